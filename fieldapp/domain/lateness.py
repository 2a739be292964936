"""Late and unfinished visits, as the office board flags them (pure: the caller passes the time).

A visit is late when it has not started ``grace`` after its scheduled start (agencies chase it by phone
after 10-15 minutes); it is open past its end when the worker checked in but not out and the scheduled
end has passed by ``grace``. Cancelled, missed and finished visits are never flagged.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from fieldapp.domain.entities import Visit
from fieldapp.domain.values import VisitStatus

DEFAULT_GRACE = timedelta(minutes=15)


class VisitFlag(StrEnum):
    """Why the office should look at a visit now."""

    LATE = "late"  # not started grace after its start
    NO_CHECK_OUT = "no_check_out"  # checked in, not out, grace after its end


def visit_flags(visit: Visit, now: datetime, grace: timedelta = DEFAULT_GRACE) -> list[VisitFlag]:
    """The flags ``visit`` carries at ``now`` (an aware time)."""
    began = visit.effective_check_in is not None
    ended = visit.effective_check_out is not None
    return flags_at(visit.status, visit.scheduled_start, visit.scheduled_end, began, ended, now, grace)


def flags_at(
    status: VisitStatus,
    start: datetime,
    end: datetime,
    began: bool,
    ended: bool,
    now: datetime,
    grace: timedelta = DEFAULT_GRACE,
) -> list[VisitFlag]:
    """The flags of a visit given as its parts (for boards that read thousands of stored visits)."""
    if status is VisitStatus.SCHEDULED and not began:
        return [VisitFlag.LATE] if now >= start + grace else []
    if began and not ended:
        return [VisitFlag.NO_CHECK_OUT] if now >= end + grace else []
    return []


def minutes_late_at(start: datetime, now: datetime) -> int:
    """Whole minutes since ``start`` (0 before it)."""
    return max(0, int((now - start).total_seconds() // 60))


def minutes_late(visit: Visit, now: datetime) -> int:
    """Whole minutes since the scheduled start (0 before it), for "late 14 min"."""
    return minutes_late_at(visit.scheduled_start, now)
