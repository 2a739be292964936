"""``SyncController``: decides when to sync, on the GUI thread, and keeps the sync status for the UI.

Triggers, each ending in one queued signal to the worker (never a direct call):
- a periodic QTimer (``interval_s``, restarted after every cycle);
- the network coming back (reachability offline/unknown -> online), within a second or two;
- local changes, debounced (``local_changes_made()``: a burst of edits makes one cycle);
- change notices from the server (an ``EventListener`` thread, marshalled by a queued signal);
- ``sync_now()``, the user's button.
While a cycle is requested or running, further triggers set "run again after", so at most one extra
cycle follows. Automatic triggers are skipped while the OS says "offline"; ``sync_now()`` never is.

The controller runs no SQL and no HTTP: counts come from the worker's result and its reads. Views that
show synced data refresh from ``sync_did_finish(result)`` (``result.changes`` says what changed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from fieldapp.qt import gc_policy
from fieldapp.qt.reachability import OFFLINE, ONLINE, Reachability
from fieldapp.qt.timers import timer
from fieldapp.qt.worker import Engine, SyncWorker
from fieldapp.readmodels.status import StoreStatus, SyncStatus
from fieldapp.sync.engine import SyncResult
from fieldapp.transport.events import EventListener, EventSource

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 300
DEBOUNCE_MS = 2000


class ReachabilityLike(Protocol):
    """``Reachability`` or ``FakeReachability``."""

    reachability_changed: Any

    @property
    def state(self) -> str: ...

    def start(self) -> str: ...


class SyncController(QObject):
    """Owns the sync worker's thread and every trigger; emits ``status_changed(SyncStatus)``."""

    status_changed = Signal(object)  # SyncStatus
    # The worker's signals, re-emitted on the GUI thread: connect here, not to the worker (a functor
    # connected to the worker runs on the worker's thread, and must not touch widgets or timers).
    sync_will_start = Signal()
    sync_did_finish = Signal(object)  # SyncResult, re-emitted on the GUI thread once the status is updated
    reachability_changed = Signal(str)
    _cycle_requested = Signal()  # queued to the worker thread
    _local_state_requested = Signal()  # queued to the worker thread: the store's counts at start-up
    _remote_changed = Signal(int)  # from the listener thread, queued to this one

    def __init__(
        self,
        engine_factory: Callable[[], Engine],
        *,
        reachability: ReachabilityLike | None = None,
        events: EventSource | None = None,
        interval_s: float = DEFAULT_INTERVAL_S,
        debounce_ms: int = DEBOUNCE_MS,
        sync_on_start: bool = True,
        freeze_startup_heap: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._reachability = reachability if reachability is not None else Reachability(self)
        self._sync_on_start, self._freeze_startup_heap = sync_on_start, freeze_startup_heap
        self._status = SyncStatus()
        self._requested = False  # a cycle was asked of the worker and has not finished
        self._again = False
        self._started = self._stopped = False
        self._timer = timer(self, interval_ms=int(interval_s * 1000))
        self._debounce = timer(self, interval_ms=debounce_ms, single_shot=True)
        self._young_gc = timer(
            self, gc_policy.collect_young_if_deferred, interval_ms=gc_policy.YOUNG_EVERY_MS
        )
        self._thread = QThread(self)
        self._thread.setObjectName("fieldapp-sync")
        self._worker = SyncWorker(engine_factory)
        self._listener = (
            EventListener(events, self._announce_remote_change, on_state=self._log_stream_state)
            if events is not None
            else None
        )
        self._wire()

    # -- public ----------------------------------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        """The latest status (also emitted with ``status_changed``)."""
        return self._status

    @property
    def online_state(self) -> str:
        """The OS's reachability: "online", "offline" or "unknown"."""
        return self._reachability.state

    @property
    def worker(self) -> SyncWorker:
        """The worker (lives on ``worker_thread``); connect to its signals with queued connections."""
        return self._worker

    @property
    def worker_thread(self) -> QThread:
        """The worker's thread."""
        return self._thread

    @property
    def listener(self) -> EventListener | None:
        """The change-notice listener, when the controller was given an event source."""
        return self._listener

    def start(self) -> None:
        """Start the worker thread, the timer, reachability and the listener; sync unless offline."""
        if self._started:
            return
        self._started = True
        if self._freeze_startup_heap:
            gc_policy.freeze_startup_heap()  # see gc_policy: full collections would stall the GUI
        self._thread.start()
        self._local_state_requested.emit()
        self._set_status(online=self._reachability.start())
        # Connected after start(): loading the backend reports the first state, which is not a change.
        self._reachability.reachability_changed.connect(self._on_reachability)
        self._timer.start()
        if self._listener is not None:
            self._listener.start()
        if self._sync_on_start:
            self._request(automatic=True)

    @Slot()
    def sync_now(self) -> None:
        """Sync now, whatever the OS says about the network (it may be wrong)."""
        self._request(automatic=False)

    def set_interval_s(self, seconds: float) -> None:
        """Change the periodic sync's interval (the settings screen); the next one is that far away."""
        self._timer.setInterval(int(seconds * 1000))
        if self._timer.isActive():
            self._timer.start()

    @Slot()
    def local_changes_made(self) -> None:
        """Something was saved locally: sync once the burst of edits is over."""
        if not self._stopped:
            self._debounce.start()  # restarts: the cycle waits for a quiet moment

    def stop(self, timeout_ms: int | None = None) -> bool:
        """Stop triggers and the listener, cancel a running cycle, end the thread and wait for it.

        The engine checks for cancellation between requests, so this returns within one request's time.
        Returns False if ``timeout_ms`` passed first.
        """
        if self._stopped:
            return self._thread.isFinished() or not self._thread.isRunning()
        self._stopped = True
        self._timer.stop()
        self._debounce.stop()
        if self._listener is not None:
            self._listener.stop()
        self._worker.cancel()
        self._thread.quit()
        finished = self._thread.wait() if timeout_ms is None else self._thread.wait(timeout_ms)
        if not finished:
            log.error("the sync thread did not finish within %s ms", timeout_ms)
        return bool(finished)

    # -- wiring ----------------------------------------------------------------------------------------------

    def _wire(self) -> None:
        queued = Qt.ConnectionType.QueuedConnection
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._cycle_requested.connect(self._worker.run_cycle, queued)
        self._local_state_requested.connect(self._worker.read_local_state, queued)
        self._worker.sync_will_start.connect(self._on_will_start, queued)
        self._worker.sync_progressed.connect(self._on_progressed, queued)
        self._worker.sync_did_finish.connect(self._on_did_finish, queued)
        self._worker.local_state_was_read.connect(self._on_local_state, queued)
        self._remote_changed.connect(self._on_remote_change, queued)
        self._timer.timeout.connect(self._on_timer)
        self._debounce.timeout.connect(self._on_local_changes)

    # -- triggers --------------------------------------------------------------------------------------------

    def _request(self, *, automatic: bool) -> None:
        if self._stopped or not self._started:
            return
        if automatic and self._reachability.state == OFFLINE:
            return
        if self._requested:
            self._again = True
            return
        self._requested = True
        self._cycle_requested.emit()

    @Slot()
    def _on_timer(self) -> None:
        self._request(automatic=True)

    @Slot()
    def _on_local_changes(self) -> None:
        self._request(automatic=True)

    @Slot(int)
    def _on_remote_change(self, seq: int) -> None:
        log.debug("the server announced change %s", seq)
        self._request(automatic=True)

    @Slot(str)
    def _on_reachability(self, state: str) -> None:
        before = self._status.online
        self._set_status(online=state)
        self.reachability_changed.emit(state)
        if state == ONLINE and before != ONLINE:
            if self._listener is not None:
                self._listener.reconnect()
            self._request(automatic=True)

    def _announce_remote_change(self, seq: int) -> None:  # listener thread: hand over to the GUI thread
        self._remote_changed.emit(seq)

    def _log_stream_state(self, connected: bool) -> None:  # listener thread: only log here
        log.info("change notices %s", "connected" if connected else "disconnected")

    # -- what the worker says --------------------------------------------------------------------------------

    @Slot()
    def _on_will_start(self) -> None:
        self._young_gc.start()  # small, frequent young collections on this thread: see gc_policy
        self._set_status(stage="starting", done=0, total=-1)
        self.sync_will_start.emit()

    @Slot(str, int, int)
    def _on_progressed(self, stage: str, done: int, total: int) -> None:
        self._set_status(stage=stage, done=done, total=total)

    @Slot(object)
    def _on_local_state(self, state: StoreStatus) -> None:
        self._set_status(
            pending=state.pending,
            rejected=state.rejected,
            conflicts=state.open_conflicts,
            last_success=state.last_success_at,
        )

    @Slot(object)
    def _on_did_finish(self, result: SyncResult) -> None:
        self._young_gc.stop()
        changes: dict[str, Any] = {"stage": "idle", "pending": result.pending, "last_error": result.error}
        if result.ok:
            changes["last_success"] = result.finished_at
        self._set_status(**changes)
        self._requested = False
        self.sync_did_finish.emit(result)
        if self._stopped:
            return
        self._timer.start()  # the next periodic sync is a full interval after this one
        if result.ok and self._listener is not None and not self._listener.is_running():
            self._listener.start()  # it stops when sign-in is refused; a cycle that worked means it is back
        if self._again:
            self._again = False
            self._request(automatic=False)

    def _set_status(self, **changes: Any) -> None:
        status = replace(self._status, **changes)
        if status != self._status:
            self._status = status
            self.status_changed.emit(status)
