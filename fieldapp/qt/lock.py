"""``LockService``: the workspace's lock, for the lock screen (``fieldapp.ui.lock``) and its triggers.

Locking is instant and local; unlocking checks the signed-in user's password against the offline verifier
(a scrypt check of about 35 ms, given by the composition root as ``verify``) on Qt's thread pool, so the
screen stays responsive. After ``free_attempts`` wrong passwords in a row each further try waits: 30 s,
then twice as long each time (at most ``max_delay_s``), shown as a countdown (``wait_changed``). Every
lock (with its reason: idle, session, manual, suspended), unlock and refused unlock goes to the audit log
(never the password). Sync is not touched: it keeps running while the tablet is locked.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal, Slot

from fieldapp.domain.audit import AuditAction
from fieldapp.qt.background import Background
from fieldapp.qt.timers import timer

log = logging.getLogger(__name__)

IDLE, SESSION, MANUAL, SUSPENDED = "idle", "session", "manual", "suspended"
REASONS = (IDLE, SESSION, MANUAL, SUSPENDED)
FREE_ATTEMPTS = 5
FIRST_DELAY_S = 30
MAX_DELAY_S = 15 * 60


class UnlockRefused(Exception):
    """Why the password did not unlock the tablet, in words for the worker."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def wait_words(seconds: int) -> str:
    """ "0:45", "2:00", "15:00" (minutes and seconds)."""
    return f"{seconds // 60}:{seconds % 60:02d}"


class LockService(QObject):
    """Locks and unlocks one signed-in session."""

    locked = Signal(str)  # the reason
    unlocked = Signal()
    failed = Signal(str)  # a sentence for the person at the tablet
    busy_changed = Signal(bool)
    wait_changed = Signal(int)  # seconds before the next try is allowed (0: now)

    def __init__(
        self,
        username: str,
        verify: Callable[[str], None],
        *,
        audit: Callable[..., Any] | None = None,
        sign_out: Callable[[], None] | None = None,
        free_attempts: int = FREE_ATTEMPTS,
        first_delay_s: int = FIRST_DELAY_S,
        max_delay_s: int = MAX_DELAY_S,
        clock: Callable[[], float] = time.monotonic,
        pool: QThreadPool | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``verify(password)`` raises ``UnlockRefused`` unless the password is the signed-in user's;
        ``audit(action, detail=...)`` appends to the audit log (``Actions.audit``); ``sign_out()`` ends
        the session (``Account.sign_out``)."""
        super().__init__(parent)
        self.username = username
        self._verify, self._audit, self._sign_out = verify, audit, sign_out
        self.free_attempts, self.first_delay_s, self.max_delay_s = free_attempts, first_delay_s, max_delay_s
        self._clock = clock
        self._background = Background[UnlockRefused | None](
            self, self._checked, "a password check finished after its lock screen was closed", pool
        )
        self._locked = False
        self._busy = False
        self._failures = 0
        self._wait_until = 0.0
        self._reason = ""
        self._ticker = timer(self, self.tick, interval_ms=1000)

    # -- state -----------------------------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return self._locked

    @property
    def reason(self) -> str:
        """Why the tablet is locked ("" when it is not)."""
        return self._reason if self._locked else ""

    @property
    def busy(self) -> bool:
        """Whether a password is being checked."""
        return self._busy

    @property
    def failures(self) -> int:
        """Wrong passwords in a row."""
        return self._failures

    def wait_s(self) -> int:
        """Whole seconds before the next try is allowed (0: now)."""
        return max(0, math.ceil(self._wait_until - self._clock()))

    # -- locking ---------------------------------------------------------------------------------------------

    @Slot()
    def lock_now(self) -> None:
        """The worker's "Lock now"."""
        self.lock(MANUAL)

    @Slot(str)
    def lock(self, reason: str = MANUAL) -> bool:
        """Lock (nothing happens when already locked); returns whether it locked now."""
        if self._locked:
            return False
        self._locked, self._reason = True, reason
        self._record(AuditAction.LOCK, reason)
        self.locked.emit(reason)
        if self.wait_s():
            self._ticker.start()  # a pause from before is still running: show its countdown
        return True

    def unlock(self, password: str) -> None:
        """Check ``password`` in the background; ``unlocked`` or ``failed(message)`` follows."""
        if not self._locked or self._busy:
            return
        waiting = self.wait_s()
        if waiting:
            self.failed.emit(
                QCoreApplication.translate(
                    "LockService", "Too many wrong passwords. Try again in {wait}."
                ).format(wait=wait_words(waiting))
            )
            return
        if not password:
            self.failed.emit(QCoreApplication.translate("LockService", "Enter your password."))
            return
        self._set_busy(True)
        verify = self._verify

        def run() -> UnlockRefused | None:
            try:
                verify(password)
            except UnlockRefused as exc:
                return exc
            except Exception as exc:  # never leave the lock screen spinning
                log.exception("checking the password failed unexpectedly")
                return UnlockRefused(
                    QCoreApplication.translate(
                        "LockService",
                        "The password could not be checked because of a problem in the app: {problem}",
                    ).format(problem=exc)
                )
            return None

        self._background.start(run)

    @Slot(object)
    def _checked(self, error: UnlockRefused | None) -> None:
        self._set_busy(False)
        if not self._locked:
            return
        if error is None:
            tries = self._failures
            self._failures, self._wait_until = 0, 0.0
            self._ticker.stop()
            self._locked, self._reason = False, ""
            self._record(AuditAction.UNLOCK, f"after {tries} wrong password(s)" if tries else "")
            self.unlocked.emit()
            return
        self._failures += 1
        self._record(AuditAction.UNLOCK_FAILED, f"{error.message.rstrip('.')} ({self._failures} in a row)")
        over = self._failures - self.free_attempts + 1
        if over > 0:
            delay = min(self.first_delay_s * 2 ** (over - 1), self.max_delay_s)
            self._wait_until = self._clock() + delay
            pause = QCoreApplication.translate(
                "LockService", "Too many wrong passwords: try again in {wait}."
            )
            self.failed.emit(f"{error.message} {pause.format(wait=wait_words(delay))}")
            self.wait_changed.emit(self.wait_s())
            self._ticker.start()
            return
        left = self.free_attempts - self._failures
        if left > 1:
            then = QCoreApplication.translate("LockService", "{tries} more tries before a pause.").format(
                tries=left
            )
        else:
            then = QCoreApplication.translate("LockService", "One more try before a pause.")
        self.failed.emit(f"{error.message} {then}")

    @Slot()
    def tick(self) -> None:
        """Count the pause down (every second while it runs)."""
        waiting = self.wait_s()
        if not waiting:
            self._ticker.stop()
        self.wait_changed.emit(waiting)

    def sign_out(self) -> None:
        """End the session from the lock screen (the shell then shows sign-in)."""
        if self._sign_out is not None:
            self._sign_out()

    # -- helpers ---------------------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)

    def _record(self, action: AuditAction, detail: str) -> None:
        if self._audit is None:
            return
        try:
            self._audit(action, detail=detail)
        except Exception:  # the lock must work even when the log cannot be written
            log.exception("could not write the audit entry %s", action.value)
