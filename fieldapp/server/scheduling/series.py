"""Recurring series: stored as patterns, their visits written as ordinary visit records (decision 0023).

Saving or editing a series reconciles its visits over the dates it touches: new days are created, moved
ones updated in place (same visit ids, so a tablet sees "moved"), days it no longer has are cancelled.
Visits the office changed on their own (``schedule_detached``) and visits the field has begun are never
touched. A replay (the same series saved again) finds nothing to change and writes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError as PydanticValidationError

from fieldapp.domain.entities import describe
from fieldapp.domain.language import joined, named, phrase
from fieldapp.domain.schedule import (
    Series,
    StoredVisit,
    expand,
    occurrence_id,
    reconcile,
    schedule_values,
    split,
)
from fieldapp.domain.values import VisitStatus
from fieldapp.server.errors import Conflict, Invalid, NotFound
from fieldapp.server.models import DetachedVisit, ScheduleSeries
from fieldapp.server.scheduling import queries
from fieldapp.server.scheduling.visits import ensure_caseload, require_people
from fieldapp.server.scheduling.writes import (
    Author,
    VisitChange,
    Written,
    stored_visits,
    write_visits,
)

SERIES_CHANGED = "the office changed the visit pattern"
STARTS_LATER = "the series now starts later"  # a part wholly before a new start date (``move_start``)


@dataclass(slots=True)
class SeriesSaved:
    """What saving a series did: the series now in force from the edit on, and the visits written."""

    series: Series
    written: Written
    cancelled: int = 0
    kept: int = 0  # visits changed on their own or begun, left as they are

    def absorb(self, other: SeriesSaved) -> None:
        """Add what another save of the same lineage wrote."""
        self.written.absorb(other.written)
        self.cancelled += other.cancelled
        self.kept += other.kept


def save_series(author: Author, series: Series, *, join_caseload: bool) -> SeriesSaved:
    """Store a new series and write its visits; saving the same series again changes nothing."""
    require_people(author, series.worker_id, series.patient_id)
    existing = queries.series_row(author.session, series.id, lock=True)
    if existing is not None and queries.series_of(existing) != series:
        raise Conflict(
            phrase("this series exists with another pattern; edit it from a date on"), code="series_exists"
        )
    written = Written()
    ensure_caseload(author, series.worker_id, series.patient_id, join_caseload, written)
    if existing is None:
        author.session.add(ScheduleSeries(**queries.series_columns(series), updated_at=author.now))
        author.session.flush()
    return _sync(author, series, series.start_date, series.end_date, written, SERIES_CHANGED)


def edit_from(
    author: Author, series_id: uuid.UUID, from_day: date, changes: dict[str, Any], *, join_caseload: bool
) -> SeriesSaved:
    """Change the series from ``from_day`` on; the visits before it stay as they are."""
    row = _row(author, series_id)
    current = queries.series_of(row)
    try:
        if from_day <= current.start_date:
            before, after = None, Series.model_validate({**current.model_dump(), **changes, "id": current.id})
        else:  # the successor starts on from_day, whatever start date the changes name
            before, after = split(
                current, from_day, **{k: v for k, v in changes.items() if k != "start_date"}
            )
    except PydanticValidationError as exc:
        raise invalid_series(exc) from None
    except ValueError as exc:  # the day lies outside the series
        raise Invalid(str(exc), code="invalid_series") from None
    require_people(author, after.worker_id, after.patient_id)
    written = Written()
    ensure_caseload(author, after.worker_id, after.patient_id, join_caseload, written)
    if before is None:
        _store(author, row, after)
    else:
        _store(author, row, before)
        author.session.add(ScheduleSeries(**queries.series_columns(after), updated_at=author.now))
    author.session.flush()
    last = max(current.end_date, after.end_date)
    return _sync(author, after, max(from_day, after.start_date), last, written, SERIES_CHANGED)


def cancel_from(author: Author, series_id: uuid.UUID, from_day: date, reason: str) -> SeriesSaved:
    """Cancel the series' visits from ``from_day`` on (not begun, not changed on their own)."""
    reason = reason.strip()
    if not reason:
        raise Invalid(phrase("say why the visits are cancelled"), code="reason_needed")
    row = _row(author, series_id)
    current = queries.series_of(row)
    days = current.days(last=from_day - timedelta(days=1))
    if days:
        ended = Series.model_validate({**current.model_dump(), "end_date": days[-1]})
    else:
        ended = Series.model_validate({**current.model_dump(), "cancel_reason": reason[:200]})
    _store(author, row, ended)
    written = Written()
    return _sync(author, ended, max(from_day, current.start_date), current.end_date, written, reason)


def cancel_lineage_from(author: Author, root_id: uuid.UUID, from_day: date, reason: str) -> SeriesSaved:
    """Cancel every part of a lineage from ``from_day`` on (parts already ended before it stay)."""
    total: SeriesSaved | None = None
    parts = queries.lineage(author.session, root_id)
    if not parts:
        raise NotFound(phrase("no series %(id)s", id=root_id))
    for part in parts:
        if part.end_date < from_day or part.cancel_reason:
            continue
        saved = cancel_from(author, part.id, max(from_day, part.start_date), reason)
        if total is None:
            total = saved
        else:
            total.absorb(saved)
    return total or SeriesSaved(queries.series_of(parts[-1]), Written())


def move_start(author: Author, root_id: uuid.UUID, new_start: date) -> SeriesSaved:
    """Begin the lineage on ``new_start``: earlier, its first pattern gains the days before; later, its
    visits before that day are cancelled (begun and detached ones stay), a part that ends before it is set
    aside (cancelled whole, ``STARTS_LATER``) and the last part moves to it whatever its end. Moving to the
    day it already begins on changes nothing."""
    parts = live_parts(author, root_id)
    first = queries.series_of(parts[0])
    if new_start == first.start_date:
        return SeriesSaved(first, Written())
    if new_start < first.start_date:
        moved = validated({**first.model_dump(), "start_date": new_start})
        _store(author, parts[0], moved)
        day_before = first.start_date - timedelta(days=1)
        return _sync(author, moved, new_start, day_before, Written(), SERIES_CHANGED)
    total = SeriesSaved(first, Written())
    before = [part for part in parts if part.start_date < new_start]
    for row in before:
        part = queries.series_of(row)
        if part.end_date < new_start and row is not parts[-1]:
            change: dict[str, Any] = {"cancel_reason": STARTS_LATER}
        else:  # the part in force on the new start (the last one keeps the lineage alive past its end)
            change = {"start_date": new_start, "end_date": max(part.end_date, new_start)}
        shortened = validated({**part.model_dump(), **change})
        _store(author, row, shortened)
        last = max(part.end_date, shortened.end_date)
        total.absorb(_sync(author, shortened, part.start_date, last, Written(), SERIES_CHANGED))
    return total


def live_parts(author: Author, root_id: uuid.UUID) -> list[ScheduleSeries]:
    """A lineage's parts by start date, without those set aside by a later start (NotFound if none)."""
    parts = queries.lineage(author.session, root_id)
    if not parts:
        raise NotFound(phrase("no series %(id)s", id=root_id))
    return [part for part in parts if part.cancel_reason != STARTS_LATER] or parts[-1:]


def validated(values: dict[str, Any]) -> Series:
    """A Series from its fields, or Invalid in words."""
    try:
        return Series.model_validate(values)
    except PydanticValidationError as exc:
        raise invalid_series(exc) from None


def part_on(author: Author, root_id: uuid.UUID, day: date) -> ScheduleSeries:
    """The part of a lineage in force on ``day`` (the last one started by then, else the first)."""
    parts = live_parts(author, root_id)
    started = [part for part in parts if part.start_date <= day]
    return started[-1] if started else parts[0]


def invalid_series(exc: PydanticValidationError) -> Invalid:
    """A series the domain refuses, in words ("end_date: the series ends before it starts")."""
    problems = joined(named(name, why) for name, why in describe(exc).items())
    return Invalid(phrase("the series is not valid: %(problems)s", problems=problems), code="invalid_series")


def _row(author: Author, series_id: uuid.UUID) -> ScheduleSeries:
    row = queries.series_row(author.session, series_id, lock=True)
    if row is None:
        raise NotFound(phrase("no series %(id)s", id=series_id))
    return row


def _store(author: Author, row: ScheduleSeries, series: Series) -> None:
    for name, value in queries.series_columns(series).items():
        if name != "external_id" or value is not None:
            setattr(row, name, value)
    row.updated_at = author.now


def _sync(
    author: Author, series: Series, first: date, last: date, written: Written, reason: str
) -> SeriesSaved:
    """Make the lineage's visits in ``first``..``last`` match ``series``."""
    wanted = expand(series, first, last)
    candidates = {
        occurrence_id(series.lineage, first + timedelta(days=n)): first + timedelta(days=n)
        for n in range((last - first).days + 1)
    }
    rows = stored_visits(author.session, candidates)
    detached = (
        set(
            author.session.scalars(
                sa.select(DetachedVisit.visit_id).where(DetachedVisit.visit_id.in_(list(rows)))
            )
        )
        if rows
        else set()
    )
    stored = [_stored(row, candidates[visit_id], visit_id in detached) for visit_id, row in rows.items()]
    plan = reconcile(wanted, stored, first, last)
    changes = [VisitChange(o.visit_id, schedule_values(o)) for o in plan.create + plan.update]
    cancel = {"status": VisitStatus.CANCELLED.value, "cancel_reason": reason[:200]}
    changes += [VisitChange(visit_id, cancel) for visit_id in plan.cancel]
    written.absorb(write_visits(author, changes))
    return SeriesSaved(series, written, cancelled=len(plan.cancel), kept=len(plan.kept))


def _stored(row: Any, day: date, detached: bool) -> StoredVisit:
    status = row.fields.get("status", VisitStatus.SCHEDULED.value)
    begun = status in {s.value for s in queries.BEGUN} or row.fields.get("check_in") is not None
    return StoredVisit(row.id, day, detached, begun, cancelled=status == VisitStatus.CANCELLED.value)
