"""``ScheduleNotices``: the office's schedule changes for Today, read from and marked seen in the store."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo

from fieldapp.domain.people import DEFAULT_LATE_AFTER_MIN
from fieldapp.readmodels.notices import ScheduleNotice
from fieldapp.store import notices
from fieldapp.store.local import LocalStore


def _local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


class ScheduleNotices:
    """The notices of one signed-in worker, in the tablet's time zone; ``late_after`` gives the agency's
    grace in minutes (it may change at the next sync)."""

    def __init__(
        self,
        store: LocalStore,
        worker_id: uuid.UUID,
        late_after: Callable[[], int] = lambda: DEFAULT_LATE_AFTER_MIN,
        zone: Callable[[], tzinfo] = _local_zone,
    ) -> None:
        self.store, self.worker_id, self._late_after, self._zone = store, worker_id, late_after, zone

    def schedule_notices(self) -> list[ScheduleNotice]:
        """Unseen notices about this worker's visits, newest first."""
        with self.store.read() as session:
            return notices.unseen(session, self.worker_id, self._zone())

    def mark_notices_seen(self, notice_ids: Sequence[int]) -> None:
        """The worker has read these."""
        with self.store.unit_of_work() as session:
            notices.mark_seen(session, notice_ids, datetime.now(UTC))

    @property
    def late_after_min(self) -> int:
        """Minutes after its start at which a visit not started is shown as late."""
        return self._late_after()
