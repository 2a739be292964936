"""A worker's weekly hours and weekly limit, which the scheduling warnings compare visits with.

The office sets them on its page (``/office/schedule/hours/{worker}``) and an agency's own system over the
API by the worker's user name (``PUT /schedule/workers/{worker}/hours``): validated whole, and a request
that says what is stored already writes nothing.
"""

from __future__ import annotations

import uuid
from datetime import time
from itertools import pairwise

import sqlalchemy as sa
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session

from fieldapp.domain.entities import describe
from fieldapp.domain.language import joined, phrase
from fieldapp.domain.schedule_checks import HoursWindow, WorkerHours
from fieldapp.server.errors import Invalid, NotFound
from fieldapp.server.models import WorkerHours as HoursRow
from fieldapp.server.models import WorkerLimit
from fieldapp.server.scheduling import queries
from fieldapp.server.scheduling.schemas import WEEKDAYS, HoursIn, HoursOut, HoursWindowIn


def set_hours(session: Session, worker_id: uuid.UUID, hours: WorkerHours) -> None:
    """Replace the worker's windows and limit (no windows and no limit: no hours warnings)."""
    if not queries.is_worker(session, worker_id):
        raise Invalid(phrase("choose an active field worker"), code="unknown_worker")
    refuse_overlaps(hours)
    session.execute(sa.delete(HoursRow).where(HoursRow.worker_id == worker_id))
    session.execute(sa.delete(WorkerLimit).where(WorkerLimit.worker_id == worker_id))
    for window in _sorted(hours):
        session.add(
            HoursRow(
                worker_id=worker_id,
                weekday=window.weekday,
                start_time=f"{window.start:%H:%M}",
                end_time=_end_text(window.end),
            )
        )
    if hours.max_weekly_minutes is not None:
        session.add(WorkerLimit(worker_id=worker_id, max_weekly_minutes=hours.max_weekly_minutes))


def hours_of(session: Session, worker_id: uuid.UUID) -> WorkerHours:
    """The worker's hours (empty when none were set)."""
    return queries.hours_of(session, [worker_id]).get(worker_id, WorkerHours())


def refuse_overlaps(hours: WorkerHours) -> None:
    """Invalid when two windows of one day overlap (one window per stretch of time)."""
    windows = _sorted(hours)
    for earlier, later in pairwise(windows):
        if earlier.weekday == later.weekday and later.start < earlier.end:
            day = WEEKDAYS[later.weekday]
            raise Invalid(
                phrase(
                    "%(day)s: the window from %(later)s overlaps the one from %(earlier)s",
                    day=phrase(day),
                    later=f"{later.start:%H:%M}",
                    earlier=f"{earlier.start:%H:%M}",
                ),
                code="invalid_hours",
            )


# -- by user name, for the API ---------------------------------------------------------------------------


def put_hours(session: Session, worker: str, body: HoursIn) -> HoursOut:
    """Set the hours of the worker called ``worker``; the same hours again change nothing."""
    worker_id = _worker_id(session, worker)
    wanted, current = _wanted(body), hours_of(session, worker_id)
    if (_sorted(current), current.max_weekly_minutes) == (_sorted(wanted), wanted.max_weekly_minutes):
        return hours_out(worker, wanted, "unchanged")
    set_hours(session, worker_id, wanted)
    return hours_out(worker, wanted, "updated")


def get_hours(session: Session, worker: str) -> HoursOut:
    """The hours of the worker called ``worker``."""
    return hours_out(worker, hours_of(session, _worker_id(session, worker)), None)


def hours_out(worker: str, hours: WorkerHours, outcome: str | None) -> HoursOut:
    """Hours as the API answers them (windows by day and start; the limit in hours)."""
    windows = [
        HoursWindowIn(day=WEEKDAYS[w.weekday], start=f"{w.start:%H:%M}", end=_end_text(w.end))
        for w in _sorted(hours)
    ]
    limit = None if hours.max_weekly_minutes is None else round(hours.max_weekly_minutes / 60, 2)
    return HoursOut.model_validate(
        {"worker": worker, "windows": windows, "max_weekly_hours": limit, "outcome": outcome}
    )


def _wanted(body: HoursIn) -> WorkerHours:
    try:
        windows = tuple(
            HoursWindow(
                weekday=WEEKDAYS.index(w.day),
                start=time.fromisoformat(w.start),
                end=time.max if w.end == "24:00" else time.fromisoformat(w.end),
            )
            for w in body.windows
        )
    except PydanticValidationError as exc:
        problems = joined(describe(exc).values())
        raise Invalid(
            phrase("the working hours are not valid: %(problems)s", problems=problems), code="invalid_hours"
        ) from None
    limit = None if body.max_weekly_hours is None else round(body.max_weekly_hours * 60)
    hours = WorkerHours(windows=windows, max_weekly_minutes=limit)
    refuse_overlaps(hours)
    return hours


def _worker_id(session: Session, worker: str) -> uuid.UUID:
    found = queries.workers_named(session, [worker]).get(worker)
    if found is None:
        raise NotFound(f"no active field worker {worker!r}")
    return found


def _sorted(hours: WorkerHours) -> list[HoursWindow]:
    return sorted(hours.windows, key=lambda w: (w.weekday, w.start))


def _end_text(end: time) -> str:
    return "24:00" if end == time.max else f"{end:%H:%M}"
