"""What scheduling reads: workers by name, patients by MRN, booked slots, hours, series and visit facts."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.entities import Visit, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.schedule import Series
from fieldapp.domain.schedule_checks import HoursWindow, Slot, WorkerHours
from fieldapp.domain.values import VisitStatus
from fieldapp.server.listing import text_field
from fieldapp.server.models import Record, ScheduleSeries, User, WorkerLimit
from fieldapp.server.models import WorkerHours as HoursRow
from fieldapp.sync.protocol import Role

BEGUN = frozenset({VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED, VisitStatus.MISSED})


def workers_named(session: Session, names: Iterable[str]) -> dict[str, uuid.UUID]:
    """Active field workers among ``names`` (user names, compared without case): name as given -> id."""
    given = {name.strip().lower(): name for name in names}
    found: dict[str, uuid.UUID] = {}
    keys = sorted(given)
    for start in range(0, len(keys), 500):
        query = sa.select(User.username, User.id).where(
            User.username.in_(keys[start : start + 500]),
            User.role == Role.WORKER.value,
            User.active.is_(True),
        )
        for username, user_id in session.execute(query):
            found[given[username]] = user_id
    return found


def patients_by_mrn(session: Session, mrns: Iterable[str]) -> dict[str, uuid.UUID]:
    """Live patients among ``mrns`` (exact, as stored upper or lower case): MRN -> patient id."""
    wanted = sorted(set(mrns))
    found: dict[str, uuid.UUID] = {}
    mrn = text_field("mrn")
    for start in range(0, len(wanted), 500):
        query = sa.select(mrn, Record.id).where(
            Record.entity == "patient", Record.deleted.is_(None), mrn.in_(wanted[start : start + 500])
        )
        found.update({value: record_id for value, record_id in session.execute(query)})
    return found


def is_worker(session: Session, worker_id: uuid.UUID) -> bool:
    """Whether ``worker_id`` is an active field worker."""
    user = session.get(User, worker_id)
    return user is not None and user.role == Role.WORKER.value and user.active


def live_patient(session: Session, patient_id: uuid.UUID) -> bool:
    """Whether ``patient_id`` is a patient record that is not deleted."""
    row = session.get(Record, patient_id)
    return row is not None and row.entity == "patient" and row.deleted is None


def visit_exists(session: Session, visit_id: uuid.UUID) -> bool:
    """Whether a live visit record has this id."""
    row = session.get(Record, visit_id)
    return row is not None and row.entity == "visit" and row.deleted is None


def worker_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Every active field worker: (id, user name), by name."""
    query = sa.select(User.id, User.username).where(User.role == Role.WORKER.value, User.active.is_(True))
    return [(uid, name) for uid, name in session.execute(query.order_by(User.username))]


def parse_visit(fields: dict[str, Any], visit_id: uuid.UUID) -> Visit | None:
    """A stored visit's fields as a Visit, or None when they no longer validate."""
    try:
        return parse(Visit, {"id": str(visit_id), **fields})
    except ValidationError:
        return None


def visits_between(
    session: Session, first: date, last: date, worker_ids: Iterable[uuid.UUID] | None = None
) -> list[Visit]:
    """Live visits whose agency day lies in ``first``..``last``, of the given workers (default: all)."""
    query = sa.select(Record.id, Record.fields).where(
        Record.entity == "visit", Record.deleted.is_(None), Record.day.between(first, last)
    )
    if worker_ids is not None:
        ids = list(set(worker_ids))
        if not ids:
            return []
        query = query.where(Record.worker_id.in_(ids))
    visits = (parse_visit(fields, visit_id) for visit_id, fields in session.execute(query))
    return sorted((v for v in visits if v is not None), key=lambda v: (v.scheduled_start, str(v.id)))


def slots_of(visits: Iterable[Visit], names: dict[uuid.UUID, str] | None = None) -> list[Slot]:
    """The booked slots (not cancelled) of ``visits``, labelled "09:00 Park, Walter" when names are given."""
    names = names or {}
    return [
        Slot(v.id, v.worker_id, v.scheduled_start, v.scheduled_end, names.get(v.patient_id, ""))
        for v in visits
        if v.status is not VisitStatus.CANCELLED
    ]


def hours_of(session: Session, worker_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, WorkerHours]:
    """Each worker's weekly hours and limit (workers with neither are left out: no warnings)."""
    ids = list(set(worker_ids))
    if not ids:
        return {}
    windows: dict[uuid.UUID, list[HoursWindow]] = defaultdict(list)
    for row in session.scalars(sa.select(HoursRow).where(HoursRow.worker_id.in_(ids))):
        windows[row.worker_id].append(
            HoursWindow(weekday=row.weekday, start=time.fromisoformat(row.start_time), end=_end(row.end_time))
        )
    limits = dict(
        session.execute(
            sa.select(WorkerLimit.worker_id, WorkerLimit.max_weekly_minutes).where(
                WorkerLimit.worker_id.in_(ids)
            )
        ).all()
    )
    return {
        worker: WorkerHours(windows=tuple(windows.get(worker, ())), max_weekly_minutes=limits.get(worker))
        for worker in set(windows) | set(limits)
    }


def _end(text: str) -> time:
    return time.max if text == "24:00" else time.fromisoformat(text)


def series_row(session: Session, series_id: uuid.UUID, *, lock: bool = False) -> ScheduleSeries | None:
    """One stored series."""
    return session.get(ScheduleSeries, series_id, with_for_update=lock)


def series_by_external_id(session: Session, external_id: str) -> ScheduleSeries | None:
    """The root series the agency calls ``external_id``."""
    return session.scalar(sa.select(ScheduleSeries).where(ScheduleSeries.external_id == external_id))


def lineage(session: Session, root_id: uuid.UUID) -> list[ScheduleSeries]:
    """Every series of a lineage, by start date."""
    query = sa.select(ScheduleSeries).where(ScheduleSeries.root_id == root_id)
    return list(session.scalars(query.order_by(ScheduleSeries.start_date)))


def series_of(row: ScheduleSeries) -> Series:
    """A stored series as the domain's Series."""
    return Series(
        id=row.id,
        root_id=None if row.root_id == row.id else row.root_id,
        external_id=row.external_id,
        patient_id=row.patient_id,
        worker_id=row.worker_id,
        service_code=row.service_code,
        weekdays=frozenset(int(day) for day in row.weekdays.split(",")),
        start_date=row.start_date,
        end_date=row.end_date,
        start_time=time.fromisoformat(row.start_time),
        end_time=time.fromisoformat(row.end_time),
        time_zone=row.time_zone,
        worker_notes=row.worker_notes,
        cancel_reason=row.cancel_reason,
    )


def series_columns(series: Series) -> dict[str, Any]:
    """A domain Series as the columns of its row (the caller adds ``updated_at``)."""
    return {
        "id": series.id,
        "root_id": series.lineage,
        "external_id": series.external_id,
        "patient_id": series.patient_id,
        "worker_id": series.worker_id,
        "service_code": series.service_code,
        "weekdays": ",".join(str(day) for day in sorted(series.weekdays)),
        "start_date": series.start_date,
        "end_date": series.end_date,
        "start_time": f"{series.start_time:%H:%M}",
        "end_time": f"{series.end_time:%H:%M}",
        "time_zone": series.time_zone,
        "worker_notes": series.worker_notes,
        "cancel_reason": series.cancel_reason,
    }
