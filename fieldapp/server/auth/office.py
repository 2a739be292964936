"""Signing office staff in to the web pages, on top of the ordinary sessions of ``auth.sessions``.

A browser signs in like a device (same password check, throttling, tokens, revocation), under a device id
derived from the user name (``web`` + 29 hex digits), so every office edit carries hybrid-logical-clock
stamps of a node that names its author. Field workers are refused: they sign in on their tablet.
The access token lasts 15 minutes; while the office keeps working, ``resume`` rotates it with the refresh
token, but not after ``IDLE`` without a request (automatic log-off).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.server.auth import passwords
from fieldapp.server.auth import sessions as auth
from fieldapp.server.errors import Forbidden, Invalid, Unauthorized
from fieldapp.server.models import AuthSession, User
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import LoginRequest, Role, TokenResponse

APP_VERSION = "office-web"  # what office web sessions report: the fleet tells them from tablets by it
IDLE = timedelta(minutes=30)
OFFICE_ROLES = (Role.OFFICE, Role.ADMIN)

BROWSER_PREFIX = "web"  # device ids of office browser sessions


class NotOffice(Forbidden):
    code = "not_office"


def browser_device_id(username: str) -> str:
    """The node id of a user's office browser sessions (never a tablet's: those are 16 hex digits)."""
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return BROWSER_PREFIX + digest[:29]


def sign_in(
    session: Session,
    settings: Settings,
    username: str,
    password: str,
    now: datetime,
    address: str | None = None,
) -> TokenResponse:
    """Check the password (throttled like any sign-in) and open a browser session for office staff.

    Raises Unauthorized (wrong name or password), Throttled, or NotOffice for a field worker; in the last
    case the caller's transaction must roll back, so nothing of the attempt is kept."""
    request = LoginRequest(
        username=username[:64] or "?",
        password=password[:256] or "?",
        device_id=browser_device_id(username),
        app_version=APP_VERSION,
    )
    refusal = "these pages are for office staff; field workers sign in on their tablet"
    try:
        tokens = auth.login(session, settings, request, now, address)
    except auth.ReservedDevice:  # a field worker under the browser's (office) node id
        raise NotOffice(refusal, code="not_office") from None
    if tokens.user.role not in OFFICE_ROLES:
        raise NotOffice(refusal, code="not_office")
    return tokens


def resume(session: Session, settings: Settings, refresh_token: str, now: datetime) -> TokenResponse | None:
    """New tokens for a browser whose access token expired. None when it was idle longer than ``IDLE``:
    its session is then ended (commit the transaction). Raises Unauthorized when the session was
    revoked or the account disabled."""
    record = session.scalar(
        select(AuthSession).where(AuthSession.refresh_hash == passwords.token_hash(refresh_token))
    )
    if record is None or not record.device_id.startswith(BROWSER_PREFIX):
        raise Unauthorized("not signed in", code="invalid_token")
    if now - record.access_expires > IDLE:
        auth.revoke(session, record.id, now)
        return None
    tokens = auth.refresh(session, settings, refresh_token, now)
    if tokens.user.role not in OFFICE_ROLES:
        raise NotOffice("these pages are for office staff", code="not_office")
    return tokens


def choose_language(session: Session, user_id: uuid.UUID, language: str, known: Collection[str]) -> None:
    """Save the office pages' language a user chose ("" = the browser's); any other value is refused."""
    if language and language not in known:
        raise Invalid("choose one of the languages offered", code="bad_language")
    user = session.get(User, user_id)
    if user is None:
        raise Invalid("no such user", code="no_user")
    user.language = language
