"""``Background``: one piece of work on Qt's thread pool, its answer back on the GUI thread.

The sign-in, the lock screen's password check and the retired tablet's erase each run a callable on the
pool while their screen stays responsive. The callable never raises (each service turns its failures into
its answer); the answer comes back as a queued call of ``done`` on the owner's thread. When the owner is
gone meanwhile (its screen was closed), the answer is dropped and the service's ``late`` warning logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Relay(QObject):
    """Lives on the owner's thread; the pool thread emits, Qt queues the call back here."""

    done = Signal(object)


class Background(Generic[T]):
    """Runs ``work`` (``start``) on ``pool`` (Qt's global pool by default); ``done(answer)`` follows."""

    def __init__(
        self, owner: QObject, done: Callable[[T], None], late: str, pool: QThreadPool | None = None
    ) -> None:
        """``late`` is the warning logged when an answer comes after ``owner`` was deleted."""
        self._pool = pool or QThreadPool.globalInstance()
        self._relay = _Relay(owner)
        self._relay.done.connect(done)
        self._late = late

    def start(self, work: Callable[[], T]) -> None:
        """Run ``work`` on the pool; its answer reaches ``done`` on the owner's thread."""
        relay, late = self._relay, self._late

        def run() -> None:
            answer = work()
            try:
                relay.done.emit(answer)
            except RuntimeError:  # the owner was deleted meanwhile
                log.warning(late)

        self._pool.start(run)
