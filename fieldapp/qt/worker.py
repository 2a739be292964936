"""``SyncWorker``: runs sync cycles on its own QThread and says what happened through signals.

The worker is a QObject moved to a QThread; the controller triggers ``run_cycle`` through a queued
signal and listens to ``sync_will_start``, ``sync_progressed``, ``sync_did_finish`` and
``local_state_was_read``. The engine comes from a factory called inside the worker thread on first use,
so whatever the factory opens (database sessions, even its own store) belongs to that thread.
``cancel()`` may be called from any thread: the engine stops between two steps, everything done so far
stays committed, and no further cycle starts. During a cycle, full garbage collections wait for its end
(``gc_policy``): they would hold the GIL, and so the GUI, for 100 ms and more; the controller collects
the young generations at each progress report.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Protocol

from PySide6.QtCore import QObject, Signal, Slot

from fieldapp.qt import gc_policy
from fieldapp.readmodels.status import StoreStatus
from fieldapp.store.state import store_status
from fieldapp.sync.engine import Progress, SyncEngine, SyncResult

log = logging.getLogger(__name__)

UNEXPECTED = (
    "sync stopped because of an unexpected problem in the app; your changes are safe on this tablet "
    "and will be sent at the next sync"
)
UNKNOWN_TOTAL = -1


class Engine(Protocol):
    """What the worker needs of an engine (``SyncEngine``, or a fake in tests)."""

    def run(self, progress: Callable[[Progress], None], cancelled: Callable[[], bool]) -> SyncResult:
        """One cycle."""
        ...


class SyncWorker(QObject):
    """Runs one cycle at a time; a request during a cycle runs one more cycle right after it."""

    sync_will_start = Signal()
    sync_progressed = Signal(str, int, int)  # stage, done, total (-1 when unknown)
    sync_did_finish = Signal(object)  # SyncResult
    local_state_was_read = Signal(object)  # StoreStatus, read in this thread (real engines only)

    def __init__(self, engine_factory: Callable[[], Engine], *, defer_full_gc: bool = True) -> None:
        super().__init__()  # no parent: it is moved to its own thread
        self._engine_factory = engine_factory
        self._defer_full_gc = defer_full_gc
        self._engine: Engine | None = None
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._running = False
        self._again = False

    def cancel(self) -> None:
        """Stop the running cycle at its next step and start no more (thread-safe; for shutdown)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """Whether ``cancel()`` was called."""
        return self._cancel.is_set()

    @Slot()
    def run_cycle(self) -> None:
        """Run a cycle; if one is already running (on any thread), ask it to run once more after."""
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running = True
        try:
            while not self._cancel.is_set():
                self._cycle()
                with self._lock:
                    if not self._again:
                        break
                    self._again = False
        finally:
            with self._lock:
                self._running, self._again = False, False

    @Slot()
    def read_local_state(self) -> None:
        """Read pending changes, open conflicts and the last success from the store, in this thread."""
        try:
            engine = self._engine_or_none()
            if isinstance(engine, SyncEngine):
                self.local_state_was_read.emit(_read_status(engine))
        except Exception:
            log.exception("reading the sync state of the local store failed")

    def _cycle(self) -> None:
        self.sync_will_start.emit()
        deferred = gc_policy.full_collections_deferred() if self._defer_full_gc else nullcontext()
        try:
            with deferred:
                engine = self._engine_or_none()
                result = SyncResult(error=UNEXPECTED)
                if engine is not None:
                    result = engine.run(self._progress, self._cancel.is_set)
        except Exception:
            log.exception("a sync cycle failed unexpectedly")
            result = SyncResult(error=UNEXPECTED)
        if isinstance(self._engine, SyncEngine):
            self.read_local_state()
        self.sync_did_finish.emit(result)

    def _engine_or_none(self) -> Engine | None:
        if self._engine is None:
            try:
                self._engine = self._engine_factory()
            except Exception:
                log.exception("the sync engine could not be built")
                return None
        return self._engine

    def _progress(self, progress: Progress) -> None:
        total = UNKNOWN_TOTAL if progress.total is None else progress.total
        self.sync_progressed.emit(progress.stage.value, progress.done, total)


def _read_status(engine: SyncEngine) -> StoreStatus:
    with engine.store.read() as session:
        return store_status(session)
