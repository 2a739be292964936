"""Signing a person in on this tablet: online against the office server, or offline with the password
check kept from the last online sign-in; and the check that unlocks the lock screen.

``SignInService`` (``fieldapp.qt.signin``) runs ``sign_in_online`` / ``unlock_offline`` on Qt's thread
pool; each returns the opened ``Session`` or raises ``SignInProblem`` with a sentence for the person at the
tablet. ``offline_check`` is what ``LockService`` (``fieldapp.qt.lock``) runs to unlock. No widgets here.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from requests.adapters import HTTPAdapter

from fieldapp.config import Profile, SettingsError, server_address
from fieldapp.device import Device, open_device, sign_in
from fieldapp.domain.audit import AuditAction
from fieldapp.profiles import open_store
from fieldapp.qt.lock import UnlockRefused
from fieldapp.qt.signin import SignInProblem
from fieldapp.security.credentials import KeyringUnavailable
from fieldapp.security.unlock import OfflineUnlock, UnlockPaused, WrongPassword
from fieldapp.store import audit
from fieldapp.sync.errors import SignInRequired, SyncError, Unreachable
from fieldapp.transport.http import HttpTransport, retry_policy

log = logging.getLogger(__name__)


def sign_in_online(profile: Profile, server_url: str, username: str, password: str) -> Session:
    """Sign in against the server; on success remember a verifier for signing in offline later.

    Raises ``SignInProblem`` with a sentence for the worker (and, when the server cannot be reached but
    this user may sign in offline, the name to offer)."""
    unlock = OfflineUnlock(profile.unlock_path)
    _check_owner(profile, username)
    try:
        url = server_address(server_url)  # checked before anything is opened or created on the tablet
    except SettingsError as exc:
        raise SignInProblem(str(exc)) from exc
    try:
        device = open_device(profile, url)
    except (SyncError, KeyringUnavailable, ValueError) as exc:
        raise SignInProblem(_problem_text(exc)) from exc
    try:
        with _patient_for_a_person(device.transport):
            settings = sign_in(device, username, password)
    except Unreachable as exc:
        device.close()
        remembered = unlock.remembered_user()
        if remembered and remembered == username.strip().lower():
            raise SignInProblem(
                QCoreApplication.translate(
                    "SignIn", "The server cannot be reached — you can still sign in offline as {user}."
                ).format(user=remembered),
                offline_user=remembered,
            ) from exc
        raise SignInProblem(
            QCoreApplication.translate(
                "SignIn",
                "The server cannot be reached. Check the server address and that the tablet has a "
                "connection, then try again.",
            )
        ) from exc
    except (SyncError, KeyringUnavailable) as exc:
        device.close()
        raise SignInProblem(_problem_text(exc)) from exc
    except BaseException:
        device.close()
        raise
    unlock.remember(settings.username, password)
    return Session(device, offline=False)


def unlock_offline(profile: Profile, username: str, password: str) -> Session:
    """Open the tablet for the last signed-in user, checking the password locally (no network)."""
    try:
        OfflineUnlock(profile.unlock_path).check_paced(username, password)
    except UnlockPaused as exc:
        raise SignInProblem(
            QCoreApplication.translate(
                "SignIn", "Too many wrong passwords. Wait {seconds} s, then try again."
            ).format(seconds=exc.seconds)
        ) from exc
    except WrongPassword as exc:
        _audit_offline(profile, username, AuditAction.SIGN_IN_FAILED)
        raise SignInProblem(
            QCoreApplication.translate("SignIn", "Wrong password.")
            if str(exc) == "wrong password"
            else str(exc)
        ) from exc
    try:
        device = open_device(profile)
    except (SyncError, KeyringUnavailable) as exc:
        raise SignInProblem(_problem_text(exc)) from exc
    with device.store.unit_of_work() as session:
        audit.record(session, username, AuditAction.SIGN_IN, detail="offline", clock=device.store.clock)
    return Session(device, offline=True)


def _audit_offline(profile: Profile, username: str, action: AuditAction) -> None:
    """Record a refused offline sign-in in the profile's audit log (if the profile has a store)."""
    if not profile.store_path.exists():
        return
    try:
        store = open_store(profile)
    except (KeyringUnavailable, ValueError, OSError) as exc:
        log.warning("could not record a refused sign-in: %s", exc)
        return
    try:
        with store.unit_of_work() as session:
            audit.record(session, username.strip()[:64] or "?", action, detail="offline", clock=store.clock)
    finally:
        store.close()


@dataclass
class Session:
    """A signed-in device, and whether it was opened offline."""

    device: Device
    offline: bool


@contextlib.contextmanager
def _patient_for_a_person(transport: HttpTransport) -> Iterator[None]:
    """Retry once, not four times, while a person watches the sign-in screen (seconds, not ~7 s)."""
    session = transport.session
    saved = dict(session.adapters)
    quick = HTTPAdapter(max_retries=retry_policy(total=1, backoff=0.25))
    session.mount("http://", quick)
    session.mount("https://", quick)
    try:
        yield
    finally:
        for prefix, adapter in saved.items():
            session.mount(prefix, adapter)


def _check_owner(profile: Profile, username: str) -> None:
    try:
        settings = profile.load_settings()
    except SettingsError as exc:
        raise SignInProblem(str(exc)) from exc
    if settings is not None and settings.username != username.strip().lower():
        raise SignInProblem(
            QCoreApplication.translate(
                "SignIn",
                "This tablet holds the records of {user}; only {user} can sign in on it. Ask the office to "
                "set up a tablet for you.",
            ).format(user=settings.username)
        )


def _problem_text(exc: BaseException) -> str:
    if isinstance(exc, SignInRequired) and "user name or password" in exc.message:
        return QCoreApplication.translate("SignIn", "Wrong user name or password.")
    text = getattr(exc, "message", None) or str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def offline_check(profile: Profile, username: str) -> Callable[[str], None]:
    """What unlocks the lock screen: ``check(password)`` raises ``UnlockRefused`` unless ``password`` is
    ``username``'s (checked against the profile's offline verifier, no network)."""
    verifier = OfflineUnlock(profile.unlock_path)

    def check(password: str) -> None:
        try:
            verifier.check(username, password)
        except WrongPassword as exc:
            if str(exc) == "wrong password":
                raise UnlockRefused(QCoreApplication.translate("SignIn", "Wrong password.")) from exc
            raise UnlockRefused(
                QCoreApplication.translate(
                    "SignIn",
                    "This tablet keeps no password check for you, so it cannot be unlocked here. Sign out, "
                    "then sign in online.",
                )
            ) from exc

    return check
