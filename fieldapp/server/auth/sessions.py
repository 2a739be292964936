"""Users, sign-in, tokens and their revocation, and throttling of repeated failures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.domain.merge import Side, writer
from fieldapp.server.auth import password_policy, passwords, throttle
from fieldapp.server.auth.tokens import TokenCache
from fieldapp.server.database import Database
from fieldapp.server.errors import Forbidden, Invalid, Throttled, Unauthorized
from fieldapp.server.models import AuthSession, Device, User
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import LoginRequest, Role, TokenResponse, UserInfo

ROTATION_GRACE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is making a request, from which device and session."""

    user_id: uuid.UUID
    username: str
    role: Role
    device_id: str
    session_id: uuid.UUID
    rotation_pending: bool = False  # the session came from a refresh whose old session is still alive
    # The device (or its worker's account) was disabled by the office: it may push what it holds, then must
    # wipe itself; every other request is refused with ``device_retired`` (fieldapp.server.fleet.devices).
    retired: bool = False
    language: str = ""  # the office pages' language the user chose ("" = the browser's), decision 0032

    @property
    def is_office(self) -> bool:
        """Office staff and admins see and write every record."""
        return self.role in (Role.OFFICE, Role.ADMIN)


def create_user(session: Session, username: str, password: str, role: Role, now: datetime) -> User:
    """Add a user; the name is case-insensitive and must be new."""
    name = _normal(username)
    if not name or len(name) > 64 or not name.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise Invalid("a user name is 1-64 letters, digits, dots, dashes or underscores")
    check_password(password, name)
    if session.scalar(select(User).where(User.username == name)) is not None:
        raise Invalid(f"user {name!r} already exists", code="user_exists")
    user = User(
        id=uuid.uuid4(),
        username=name,
        password_hash=passwords.hash_password(password),
        role=role.value,
        active=True,
        created_at=now,
    )
    session.add(user)
    return user


def check_password(password: str, username: str) -> None:
    """Refuse a password the policy does not allow (``password_policy``), with its reason."""
    reason = password_policy.problem(password, username)
    if reason is not None:
        raise Invalid(reason, code="weak_password")


def set_password(session: Session, username: str, password: str, now: datetime) -> User:
    """Give a user a new password (an administrator's reset): checked like a new one; the user's sessions
    end and their failed sign-ins are forgotten."""
    name = _normal(username)
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        raise Invalid(f"there is no user {name!r}", code="no_such_user")
    check_password(password, name)
    user.password_hash = passwords.hash_password(password)
    revoke_user(session, user.id, now)
    throttle.clear_user(session, name)
    return user


class ReservedDevice(Forbidden):
    """A field worker signing in under a node id of the office's clocks (decision 0021)."""

    code = "reserved_device_id"


def login(
    session: Session, settings: Settings, request: LoginRequest, now: datetime, address: str | None = None
) -> TokenResponse:
    """Check the password (throttled per name and per client ``address``, ``auth.throttle``) and open a
    session for the device."""
    name = _normal(request.username)[:64]
    gate = throttle.gate(session, settings, name, throttle.client_key(address), now)
    wait = gate.wait_s(now)
    if wait:
        raise Throttled(
            f"too many failed sign-ins; try again in {wait} s", headers={"Retry-After": str(wait)}
        )
    user = session.scalar(select(User).where(User.username == name))
    if user is None:
        passwords.dummy_verify(request.password)
    right = user is not None and passwords.verify_password(request.password, user.password_hash)
    # A disabled worker's own tablet that has not wiped itself yet may still sign in, with the right
    # password, to hand in what it holds (its session is "retiring": push only, then wipe). An expired
    # session must not keep a retired tablet's data from the office. Anywhere else: refused.
    handing_in = right and user is not None and not user.active and _retiring_device(session, user, request)
    if user is None or not right or (not user.active and not handing_in):
        gate.failed(now)
        # The refusal below rolls the request's transaction back; the failure must count regardless.
        session.commit()
        raise Unauthorized("wrong user name or password", code="bad_credentials")
    gate.succeeded(now)
    if user.role == Role.WORKER.value and writer(request.device_id) is Side.OFFICE:
        # A field device stamping as an office clock would win the office's fields (decision 0021).
        raise ReservedDevice("this device id is reserved for the office's own clocks")
    device = session.get(Device, request.device_id)
    if device is not None and device.wiped_at is not None:
        raise Forbidden(
            "this tablet was removed from service and wiped; ask the office to set it up again",
            code="device_retired",
        )
    _touch_device(session, user, request.device_id, request.app_version, now)
    return _open_session(session, settings, user, request.device_id, now)


def refresh(session: Session, settings: Settings, refresh_token: str, now: datetime) -> TokenResponse:
    """Rotate a session's tokens, in two phases so a lost answer does not end the session.

    The old refresh token keeps working until the new session is first used (``confirm_rotation``) or
    ``ROTATION_GRACE`` has passed; using it again meanwhile replaces the unused new session (the tablet
    never got its tokens). After that the old token is refused, like any revoked one.
    """
    record = session.scalar(
        select(AuthSession)
        .where(AuthSession.refresh_hash == passwords.token_hash(refresh_token))
        .with_for_update()
    )
    if record is None or record.revoked_at is not None or record.refresh_expires <= now:
        raise Unauthorized("the session has ended; sign in again", code="session_ended")
    if record.rotated_at is not None and now - record.rotated_at > ROTATION_GRACE:
        raise Unauthorized("the session has ended; sign in again", code="session_ended")
    user = session.get(User, record.user_id)
    if user is None or (not user.active and not _retiring(session, user, record.device_id)):
        raise Unauthorized("the account is disabled", code="account_disabled")
    for unused in session.scalars(
        select(AuthSession).where(AuthSession.predecessor_id == record.id, AuthSession.revoked_at.is_(None))
    ):
        unused.revoked_at = now  # its answer was lost: the tablet never held these tokens
    record.rotated_at = record.rotated_at or now
    return _open_session(session, settings, user, record.device_id, now, predecessor=record.id)


def confirm_rotation(session: Session, session_id: uuid.UUID, now: datetime) -> None:
    """The refreshed session's first use: the tablet holds the new tokens, so the old session ends."""
    current = session.get(AuthSession, session_id)
    if current is None or current.predecessor_id is None:
        return
    old = session.get(AuthSession, current.predecessor_id)
    if old is not None and old.revoked_at is None:
        old.revoked_at = now


def authenticate(session: Session, token: str, now: datetime) -> Principal:
    """The principal behind an access token; expiry and revocation take effect at once."""
    return verify(session, token, now)[0]


def authenticate_caching(database: Database, cache: TokenCache, token: str, now: datetime) -> Principal:
    """``authenticate`` in a read transaction of its own; the principal is kept in ``cache`` (decision
    0038) for this token's next requests, which ``cache.get`` then answers without a query."""
    generation = cache.generation  # before the read: an invalidation meanwhile keeps it out of the cache
    with database.read() as session:
        who, until = verify(session, token, now)
    cache.put(passwords.token_hash(token), who, until, generation)
    return who


def verify(session: Session, token: str, now: datetime) -> tuple[Principal, datetime]:
    """``authenticate``, and until when the access token is valid (for ``tokens.TokenCache``)."""
    # One query for the session, its user and its device: every request of every device comes here.
    found = session.execute(
        select(AuthSession, User, Device)
        .join(User, User.id == AuthSession.user_id)
        .outerjoin(Device, Device.id == AuthSession.device_id)
        .where(AuthSession.access_hash == passwords.token_hash(token))
    ).first()
    if found is None or found[0].revoked_at is not None:
        raise Unauthorized("not signed in", code="invalid_token")
    record, user, device = found
    if record.access_expires <= now:
        raise Unauthorized("the access token has expired; refresh it", code="token_expired")
    retired = _retiring(session, user, record.device_id, device)
    if not user.active and not retired:
        raise Unauthorized("the account is disabled", code="account_disabled")
    pending = record.predecessor_id is not None and _alive(session, record.predecessor_id)
    who = Principal(
        user.id, user.username, Role(user.role), record.device_id, record.id, pending, retired, user.language
    )
    return who, record.access_expires


def _retiring_device(session: Session, user: User, request: LoginRequest) -> bool:
    """Whether the sign-in comes from one of this (disabled) worker's own tablets that has not wiped yet."""
    device = session.get(Device, request.device_id)
    return (
        user.role == Role.WORKER.value
        and device is not None
        and device.user_id == user.id
        and device.wiped_at is None
    )


def _retiring(session: Session, user: User, device_id: str, device: Device | None = None) -> bool:
    """A worker's device the office disabled (or whose account it disabled) that has not wiped yet.

    Office accounts are never "retiring": a disabled office account simply stops working.
    """
    if user.role != Role.WORKER.value:
        return False
    device = device or session.get(Device, device_id)
    return device is not None and device.wiped_at is None and (device.disabled or not user.active)


def session_valid(session: Session, session_id: uuid.UUID, now: datetime) -> bool:
    """Whether a session may still be used (not revoked, access not expired, account active)."""
    record = session.get(AuthSession, session_id)
    if record is None or record.revoked_at is not None or record.access_expires <= now:
        return False
    user = session.get(User, record.user_id)
    return user is not None and user.active


def _alive(session: Session, session_id: uuid.UUID) -> bool:
    other = session.get(AuthSession, session_id)
    return other is not None and other.revoked_at is None


def revoke(session: Session, session_id: uuid.UUID, now: datetime) -> None:
    """End one session (sign-out)."""
    record = session.get(AuthSession, session_id)
    if record is not None and record.revoked_at is None:
        record.revoked_at = now


def revoke_user(session: Session, user_id: uuid.UUID, now: datetime) -> int:
    """End every session of a user (disabled account, lost device)."""
    records = session.scalars(
        select(AuthSession).where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
    )
    count = 0
    for record in records:
        record.revoked_at = now
        count += 1
    return count


def user_info(user: User) -> UserInfo:
    """The protocol's view of a user."""
    return UserInfo(id=user.id, username=user.username, role=Role(user.role))


def _open_session(
    session: Session,
    settings: Settings,
    user: User,
    device_id: str,
    now: datetime,
    predecessor: uuid.UUID | None = None,
) -> TokenResponse:
    access, refresh_token = passwords.new_token(), passwords.new_token()
    session.add(
        AuthSession(
            id=uuid.uuid4(),
            user_id=user.id,
            device_id=device_id,
            access_hash=passwords.token_hash(access),
            access_expires=now + timedelta(seconds=settings.access_token_ttl_s),
            refresh_hash=passwords.token_hash(refresh_token),
            refresh_expires=now + timedelta(seconds=settings.refresh_token_ttl_s),
            created_at=now,
            predecessor_id=predecessor,
        )
    )
    return TokenResponse(
        access_token=access,
        refresh_token=refresh_token,
        expires_in=settings.access_token_ttl_s,
        user=user_info(user),
        server_time_ms=int(now.timestamp() * 1000),
    )


def _touch_device(session: Session, user: User, device_id: str, app_version: str, now: datetime) -> None:
    device = session.get(Device, device_id)
    if device is None:
        session.add(
            Device(
                id=device_id,
                user_id=user.id,
                first_seen=now,
                last_seen=now,
                app_version=app_version,
                pending=0,
                disabled=False,
            )
        )
        return
    device.user_id, device.last_seen, device.app_version = user.id, now, app_version or device.app_version


def _normal(username: str) -> str:
    return username.strip().lower()
