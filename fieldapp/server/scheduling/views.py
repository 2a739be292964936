"""What the office's scheduling pages show: a worker's week, the choices of the forms, a series.

Plain data for the templates, read in one transaction; warnings (double bookings, hours) and the board's
flags (late, open past its end) are the domain's, computed for the time the page is asked at.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.entities import Visit
from fieldapp.domain.lateness import DEFAULT_GRACE, VisitFlag, flags_at, minutes_late_at, visit_flags
from fieldapp.domain.schedule import Series
from fieldapp.domain.schedule_checks import check, week_start
from fieldapp.domain.services import SERVICE_CODES, describe_service
from fieldapp.domain.values import VisitStatus
from fieldapp.server.listing import patient_names, text_field
from fieldapp.server.models import Device, Record, User
from fieldapp.server.scheduling import queries

MAX_PATIENT_CHOICES = 2_000


@dataclass(frozen=True, slots=True)
class Choices:
    """What the visit and series forms offer."""

    workers: list[tuple[uuid.UUID, str]]
    patients: list[tuple[uuid.UUID, str]]  # (id, "Park, Walter (MRN-1)")
    services: list[tuple[str, str]]  # (code, "T1019 Personal care (per 15 min)")


def choices(session: Session) -> Choices:
    """Active field workers, live patients by name, known service codes."""
    query = (
        sa.select(Record.id, text_field("family_name"), text_field("given_name"), text_field("mrn"))
        .where(Record.entity == "patient", Record.deleted.is_(None))
        .order_by(text_field("family_name"), text_field("given_name"))
        .limit(MAX_PATIENT_CHOICES)
    )
    patients = [(pid, f"{family}, {given} ({mrn})") for pid, family, given, mrn in session.execute(query)]
    services = [(code, info.label) for code, info in sorted(SERVICE_CODES.items())]
    return Choices(queries.worker_choices(session), patients, services)


def worker_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Active field workers (id, user name), by name."""
    return queries.worker_choices(session)


@dataclass(frozen=True, slots=True)
class WeekVisit:
    """One visit in a worker's week."""

    id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    start: datetime
    end: datetime
    service: str
    status: str
    cancel_reason: str
    series_id: uuid.UUID | None
    flags: list[str]
    warnings: list[str]


@dataclass(frozen=True, slots=True)
class Week:
    """A worker's visits Monday to Sunday."""

    worker_id: uuid.UUID
    worker: str
    monday: date
    days: list[tuple[date, list[WeekVisit]]]
    hours: float  # scheduled hours, cancelled visits left out

    @property
    def warnings(self) -> int:
        """How many visits carry a warning."""
        return sum(1 for _, visits in self.days for visit in visits if visit.warnings)


def week(session: Session, worker_id: uuid.UUID, day: date, zone: ZoneInfo, now: datetime) -> Week:
    """The worker's week around ``day``, each visit with its flags and warnings."""
    monday = week_start(day)
    visits = queries.visits_between(
        session, monday - timedelta(days=1), monday + timedelta(days=7), [worker_id]
    )
    names = patient_names(session, {v.patient_id for v in visits})
    slots = queries.slots_of(visits, names)
    hours = queries.hours_of(session, [worker_id]).get(worker_id)
    by_day: dict[date, list[WeekVisit]] = defaultdict(list)
    total = 0.0
    for visit in visits:
        local_day = visit.scheduled_start.astimezone(zone).date()
        if not monday <= local_day < monday + timedelta(days=7):
            continue
        slot = next((s for s in slots if s.visit_id == visit.id), None)
        warnings = [w.message for w in check(slot, slots, hours, zone)] if slot is not None else []
        if slot is not None:
            total += (visit.scheduled_end - visit.scheduled_start).total_seconds() / 3600
        by_day[local_day].append(_week_visit(visit, names, now, warnings))
    user = session.get(User, worker_id)
    days = [(monday + timedelta(days=n), by_day.get(monday + timedelta(days=n), [])) for n in range(7)]
    return Week(worker_id, user.username if user else "?", monday, days, round(total, 2))


def _week_visit(visit: Visit, names: dict[uuid.UUID, str], now: datetime, warnings: list[str]) -> WeekVisit:
    return WeekVisit(
        id=visit.id,
        patient_id=visit.patient_id,
        patient_name=names.get(visit.patient_id, "(unknown patient)"),
        start=visit.scheduled_start,
        end=visit.scheduled_end,
        service=describe_service(visit.service_code),
        status=visit.status.value,
        cancel_reason=visit.cancel_reason,
        series_id=visit.series_id,
        flags=flag_words(visit, now),
        warnings=warnings,
    )


def flag_words(visit: Visit, now: datetime, grace: timedelta = DEFAULT_GRACE) -> list[str]:
    """The board's flags in words: "late 14 min", "no check-out"."""
    return _words(visit_flags(visit, now, grace), visit.scheduled_start, now)


@dataclass(frozen=True, slots=True)
class BoardFlags:
    """The day board's flags over all workers: who has late or open visits, whose tablet is silent."""

    late: dict[uuid.UUID, int] = field(default_factory=dict)  # worker -> visits late now
    open_past_end: dict[uuid.UUID, int] = field(default_factory=dict)  # worker -> checked in, not out
    unseen_workers: set[uuid.UUID] = field(default_factory=set)


def board_flags(session: Session, day: date, zone: ZoneInfo, now: datetime, grace: timedelta) -> BoardFlags:
    """Per worker, the visits of ``day`` late now and those open past their end; and, when ``day`` is
    today, the workers with visits whose tablet has not synced since midnight.

    Counted by the database in one pass over the day (4,000 visits in a few tens of milliseconds). The
    times compare as text: the push stores every visit time in one form, UTC with a ``Z``
    (``UtcDateTime``), so text order is time order."""
    status = sa.func.coalesce(text_field("status"), VisitStatus.SCHEDULED.value)
    begun = sa.or_(text_field("check_in").is_not(None), text_field("check_in_correction").is_not(None))
    ended = sa.or_(text_field("check_out").is_not(None), text_field("check_out_correction").is_not(None))
    cutoff = _stored_form(now - grace)
    late = sa.and_(status == VisitStatus.SCHEDULED.value, ~begun, text_field("scheduled_start") <= cutoff)
    still_open = sa.and_(begun, ~ended, text_field("scheduled_end") <= cutoff)
    query = (
        sa.select(
            Record.worker_id,
            sa.func.sum(sa.case((late, 1), else_=0)),
            sa.func.sum(sa.case((still_open, 1), else_=0)),
        )
        .where(
            Record.entity == "visit",
            Record.deleted.is_(None),
            Record.day == day,
            status != VisitStatus.CANCELLED.value,
        )
        .group_by(Record.worker_id)
    )
    counts = [
        (worker, int(n_late or 0), int(n_open or 0)) for worker, n_late, n_open in session.execute(query)
    ]
    flags = BoardFlags(
        {worker: n for worker, n, _ in counts if worker is not None and n},
        {worker: n for worker, _, n in counts if worker is not None and n},
    )
    if day != now.astimezone(zone).date():
        return flags
    working = {worker for worker, _, _ in counts if worker is not None}
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    flags.unseen_workers.update(working - synced_since(session, working, midnight))
    return flags


def _stored_form(moment: datetime) -> str:
    """A time as the push stores visit times: UTC, ISO 8601, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + "Z"


def row_flags(
    status: str,
    start: datetime,
    end: datetime,
    check_in: datetime | None,
    check_out: datetime | None,
    now: datetime,
    grace: timedelta = DEFAULT_GRACE,
) -> list[str]:
    """A board row's flags in words, from what the row shows."""
    found = flags_at(VisitStatus(status), start, end, check_in is not None, check_out is not None, now, grace)
    return _words(found, start, now)


def _words(found: list[VisitFlag], start: datetime, now: datetime) -> list[str]:
    words = []
    if VisitFlag.LATE in found:
        words.append(f"late {minutes_late_at(start, now)} min")
    if VisitFlag.NO_CHECK_OUT in found:
        words.append("no check-out")
    return words


def synced_since(session: Session, worker_ids: set[uuid.UUID], moment: datetime) -> set[uuid.UUID]:
    """Workers one of whose devices pushed or pulled since ``moment``."""
    if not worker_ids:
        return set()
    query = sa.select(Device.user_id).where(
        Device.user_id.in_(list(worker_ids)), Device.last_sync_at >= moment
    )
    return set(session.scalars(query.distinct()))


@dataclass(frozen=True, slots=True)
class SeriesView:
    """A series lineage: its parts in date order, the patient and worker names."""

    root_id: uuid.UUID
    parts: list[Series]
    names: dict[uuid.UUID, str]

    @property
    def current(self) -> Series:
        """The latest part (the one edits apply to by default)."""
        return self.parts[-1]


def series_view(session: Session, series_id: uuid.UUID) -> SeriesView | None:
    """The lineage ``series_id`` belongs to, or None."""
    row = queries.series_row(session, series_id)
    if row is None:
        return None
    parts = [queries.series_of(part) for part in queries.lineage(session, row.root_id)]
    people = {p.worker_id for p in parts}
    names = {
        uid: name
        for uid, name in session.execute(sa.select(User.id, User.username).where(User.id.in_(people)))
    }
    names.update(patient_names(session, {p.patient_id for p in parts}))
    return SeriesView(row.root_id, parts, names)
