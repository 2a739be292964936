"""``PendingChanges``: the one source of truth for what has not reached the office yet.

The status bar across the top and the End of day page both show how many changes are still on the tablet.
They used to read the store each on its own occasions: the bar after every sync, End of day only after a
local edit or when shown, so a sync that only sent the outbox (nothing pulled, no ``records_did_change``)
left End of day saying "1 unsent change" under a bar saying "All changes sent". Both now listen to this
object, which reads the store's counts after every local change and at the end of every sync cycle and
tells every listener at once (``changed``), and which knows whether a cycle is running (``syncing``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

from fieldapp.qt.ports import StatusReads
from fieldapp.readmodels.status import StoreStatus, SyncStatus


class PendingChanges(QObject):
    """The store's counts (unsent, refused, conflicts) and whether a sync runs, shared by every screen."""

    changed = Signal(object)  # StoreStatus, after every read
    sync_did_finish = Signal(object)  # str | None: the cycle's problem in words, None when it went through

    def __init__(self, records: StatusReads, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records = records
        self._status = records.status()
        self._syncing = False

    @property
    def status(self) -> StoreStatus:
        """The counts as last read."""
        return self._status

    @property
    def pending(self) -> int:
        """Changes not yet sent, as last read."""
        return self._status.pending

    @property
    def syncing(self) -> bool:
        """Whether a sync cycle is under way."""
        return self._syncing

    @Slot()
    def refresh(self, *_: object) -> StoreStatus:
        """Read the counts again and tell every listener."""
        self._status = self._records.status()
        self.changed.emit(self._status)
        return self._status

    @Slot(object)
    def set_sync_status(self, status: SyncStatus) -> None:
        """Follow the sync controller: at the end of a cycle the outbox was sent (or not), read again."""
        was_syncing, self._syncing = self._syncing, status.running
        if was_syncing and not status.running:
            self.refresh()
            self.sync_did_finish.emit(status.last_error)
