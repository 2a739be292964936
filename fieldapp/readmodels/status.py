"""How far this tablet is with the office: the store's counts and the sync controller's state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class StoreStatus:
    """What has and has not reached the server, as far as this device knows."""

    node_id: str
    pending: int
    rejected: int
    open_conflicts: int
    pull_cursor: str | None
    last_success_at: datetime | None
    clock_offset_ms: int


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the UI shows about sync. ``stage`` is idle, starting, pushing or pulling; ``total`` is -1
    when unknown; ``last_error`` is a sentence for the person holding the tablet (None after a success)."""

    stage: str = "idle"
    done: int = 0
    total: int = -1
    pending: int = 0
    rejected: int = 0
    last_success: datetime | None = None
    last_error: str | None = None
    conflicts: int = 0
    online: str = "unknown"

    @property
    def running(self) -> bool:
        """Whether a cycle is under way."""
        return self.stage != "idle"
