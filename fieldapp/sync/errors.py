"""What can go wrong in a sync, in terms the engine (and a field worker) can act on."""

from __future__ import annotations

from fieldapp.sync.protocol import Rejection


class SyncError(Exception):
    """Base of sync failures; ``message`` is a sentence for the person holding the tablet."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Unreachable(SyncError):
    """The server could not be reached (no network, DNS, timeout, connection reset)."""


class Interrupted(Unreachable):
    """The server was reached, but the transfer broke off mid-way (a reply cut in its body), even after the
    transport's own retries: the next sync tries again; nothing is lost (pushes are replay-safe)."""


class SignInRequired(SyncError):
    """The session ended (expired, revoked, account disabled): the user must sign in again."""


class DeviceRetired(SyncError):
    """The office removed this device (or its worker) from service: hand in what it holds, then wipe."""


class ServerFailed(SyncError):
    """The server answered with an error it should not have (5xx) even after retries."""


class Refused(SyncError):
    """The server refused a request; for a push, ``rejected`` says which changes and why."""

    def __init__(self, message: str, status: int, code: str, rejected: list[Rejection] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.rejected = status, code, rejected or []
