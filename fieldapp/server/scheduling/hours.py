"""A worker's weekly hours and weekly limit, which the scheduling warnings compare visits with."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.schedule_checks import WorkerHours
from fieldapp.server.errors import Invalid
from fieldapp.server.models import WorkerHours as HoursRow
from fieldapp.server.models import WorkerLimit
from fieldapp.server.scheduling import queries


def set_hours(session: Session, worker_id: uuid.UUID, hours: WorkerHours) -> None:
    """Replace the worker's windows and limit (no windows and no limit: no hours warnings)."""
    if not queries.is_worker(session, worker_id):
        raise Invalid("choose an active field worker", code="unknown_worker")
    session.execute(sa.delete(HoursRow).where(HoursRow.worker_id == worker_id))
    session.execute(sa.delete(WorkerLimit).where(WorkerLimit.worker_id == worker_id))
    for window in sorted(hours.windows, key=lambda w: (w.weekday, w.start)):
        end = "24:00" if window.end.hour == 23 and window.end.minute == 59 and window.end.second else None
        session.add(
            HoursRow(
                worker_id=worker_id,
                weekday=window.weekday,
                start_time=f"{window.start:%H:%M}",
                end_time=end or f"{window.end:%H:%M}",
            )
        )
    if hours.max_weekly_minutes is not None:
        session.add(WorkerLimit(worker_id=worker_id, max_weekly_minutes=hours.max_weekly_minutes))


def hours_of(session: Session, worker_id: uuid.UUID) -> WorkerHours:
    """The worker's hours (empty when none were set)."""
    return queries.hours_of(session, [worker_id]).get(worker_id, WorkerHours())
