"""``SignInService``: runs a sign-in off the GUI thread and reports back with signals.

Online sign-in is the one network call the screens start themselves; it runs on Qt's thread pool while
the sign-in screen shows that it is busy. Unlocking offline (a scrypt check, ~35 ms, then opening the
store) runs there too, so the screen never freezes. The work itself is handed in (``fieldapp.shell`` gives
``fieldapp.qt.session``'s flows): ``online(server, username, password)`` and ``offline(username,
password)`` return the opened session or raise ``SignInProblem`` with a sentence for the person at the
tablet.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal, Slot

from fieldapp.config import SettingsError, server_address, user_name
from fieldapp.qt.background import Background

log = logging.getLogger(__name__)
MAX_PASSWORD = 256  # characters (the sign-in request's limit)


class SignInProblem(Exception):
    """Why signing in did not work, in words for the worker; ``offline_user`` is set when signing in
    offline as that user is still possible."""

    def __init__(self, message: str, offline_user: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offline_user = offline_user


_Answer = tuple[object, SignInProblem | None]  # the session opened, or why not


class SignInService(QObject):
    """One sign-in at a time; ``succeeded(session)`` or ``failed(SignInProblem)`` when it ends."""

    busy_changed = Signal(bool)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        online: Callable[[str, str, str], object],
        offline: Callable[[str, str], object],
        *,
        remembered_user: str | None = None,
        server_url: str | None = None,
        username: str | None = None,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._online, self._offline = online, offline
        self.remembered_user = remembered_user
        self.server_url = server_url
        self.username = username or remembered_user
        self._busy = False
        self._background = Background[_Answer](
            self, self._finished, "a sign-in finished after its screen was closed", pool
        )

    @property
    def busy(self) -> bool:
        """Whether an attempt is under way."""
        return self._busy

    def sign_in(self, server: str, username: str, password: str) -> None:
        """Sign in online (in the background). A server address or user name that cannot work is refused
        at once, before anything is opened or stored on the tablet."""
        if self._busy:
            return
        try:
            server_address(server)
            user_name(username)
        except SettingsError as exc:
            self.failed.emit(SignInProblem(str(exc)))
            return
        if len(password) > MAX_PASSWORD:  # the server accepts no longer password
            self.failed.emit(
                SignInProblem(QCoreApplication.translate("SignIn", "Wrong user name or password."))
            )
            return
        self._start(lambda: self._online(server.strip(), username.strip(), password))

    def unlock(self, username: str, password: str) -> None:
        """Sign in offline as the remembered user (in the background)."""
        self._start(lambda: self._offline(username.strip(), password))

    def _start(self, work: Callable[[], object]) -> None:
        if self._busy:
            return
        self._set_busy(True)

        def run() -> _Answer:
            try:
                return work(), None
            except SignInProblem as exc:
                return None, exc
            except Exception as exc:  # never let a bug leave the screen spinning
                log.exception("sign-in failed unexpectedly")
                return None, SignInProblem(
                    QCoreApplication.translate(
                        "SignIn", "Signing in failed because of a problem in the app: {problem}"
                    ).format(problem=exc)
                )

        self._background.start(run)

    @Slot(object)
    def _finished(self, answer: _Answer) -> None:
        result, error = answer
        self._set_busy(False)
        if error is not None:
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)
