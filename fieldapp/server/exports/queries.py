"""The rows of the EVV export and of the timesheet, read set-based and streamed: the period's completed
visits and their exceptions are two queries read in step from server-side cursors (both in the same
order), the patients one more, so memory stays flat for a month of 100,000 visits and the database is
asked a handful of times, not once a day or once a worker. And the record of every export in the audit
trail (``exports`` table)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from fieldapp.domain.entities import Visit, VisitException
from fieldapp.domain.evv_feed import EvvRow, evv_visit
from fieldapp.domain.timesheet import WorkedVisit
from fieldapp.domain.values import Address, VisitStatus
from fieldapp.domain.verification import Verification, verification
from fieldapp.server.exceptions.queries import usernames
from fieldapp.server.exports.stored import stored_exception, stored_visit
from fieldapp.server.listing import evv_policy
from fieldapp.server.models import ExportRecord, Record

YIELD = 2_000
Order = Callable[[Any], tuple[Any, ...]]


def by_day(r: Any) -> tuple[Any, ...]:
    return (r.day, r.worker_id, r.id)


def by_worker(r: Any) -> tuple[Any, ...]:
    return (r.worker_id, r.day, r.id)


def completed(visit: Any, start: date, end: date) -> tuple[Any, ...]:
    return (
        visit.entity == "visit",
        visit.day >= start,
        visit.day <= end,
        visit.deleted.is_(None),
        visit.fields["status"].as_string() == VisitStatus.COMPLETED.value,
    )


def _streams(
    session: Session, start: date, end: date, order: Order, only: Collection[uuid.UUID] | None
) -> tuple[Any, Any]:
    """The period's completed visits (those of ``only`` when given), and their live exceptions with their
    visit's id, both in ``order`` of the visits (so they are read in step), from server-side cursors."""
    among = () if only is None else (Record.id.in_(sorted(only)),)
    visits = (
        sa.select(Record.id, Record.day, Record.worker_id, Record.patient_id, Record.fields)
        .where(*completed(Record, start, end), *among)
        .order_by(*order(Record))
        .execution_options(yield_per=YIELD)
    )
    visit = aliased(Record)
    exceptions = (  # named like the visits' columns (``id`` is the visit's), so ``order`` reads both
        sa.select(Record.id.label("exception_id"), visit.day, visit.worker_id, visit.id, Record.fields)
        .join(visit, visit.id == Record.parent_id)
        .where(*completed(visit, start, end), *(() if only is None else (visit.id.in_(sorted(only)),)))
        # ``entity || ''``: SQLite would otherwise start from every exception ever recorded (their day is
        # empty) instead of the period's visits (as in the exception queue).
        .where((Record.entity + "") == "visit_exception", Record.deleted.is_(None))
        .order_by(*order(visit), Record.id)
        .execution_options(yield_per=YIELD)
    )
    return session.execute(visits), session.execute(exceptions)


@dataclass(frozen=True, slots=True)
class Checked:
    """A completed visit of the period with what the exports need of it."""

    visit: Visit
    day: date
    patient: Client
    records: list[VisitException]
    state: Verification


def checked(
    session: Session,
    start: date,
    end: date,
    order: Order,
    now: datetime,
    only: Collection[uuid.UUID] | None = None,
) -> Iterator[Checked]:
    """Each completed visit of the period (of ``only`` when given), in ``order``, with its patient,
    exceptions and verification."""
    patients, policy = _patients(session, start, end), evv_policy(session)
    visits, exceptions = _streams(session, start, end, order, only)
    pending = next(exceptions, None)
    for row in visits:
        # Read in step: skip what precedes this visit (a visit the other query did not see), take its own.
        key = order(row)
        while pending is not None and order(pending) < key:
            pending = next(exceptions, None)
        records = []
        while pending is not None and pending.id == row.id:
            records.append(stored_exception(pending.exception_id, pending.fields))
            pending = next(exceptions, None)
        patient = patients.get(row.patient_id)
        if patient is None:
            continue
        visit = stored_visit(row)
        yield Checked(
            visit, row.day, patient, records, verification(visit, records, patient.home, now, policy)
        )


@dataclass(frozen=True, slots=True)
class Client:
    """What the export needs of a patient: ids and names, and the home's position."""

    id: uuid.UUID
    mrn: str
    display_name: str
    home: Address | None


def _patients(session: Session, start: date, end: date) -> dict[uuid.UUID, Client]:
    """The patients of the period's visits, in one query (only the parts the exports use)."""
    visit, f = aliased(Record), Record.fields
    of_period = sa.select(visit.patient_id).where(*completed(visit, start, end)).distinct()
    query = sa.select(
        Record.id,
        f["mrn"].as_string(),
        f["family_name"].as_string(),
        f["given_name"].as_string(),
        f["address"],
    ).where(Record.id.in_(of_period), Record.entity == "patient")
    held = {}
    for record_id, mrn, family, given, address in session.execute(query):
        home = Address.model_validate(address) if address else None
        held[record_id] = Client(record_id, mrn, f"{family}, {given}", home)
    return held


def snapshot(session: Session) -> None:
    """Read the whole export from one snapshot of the database: PostgreSQL's repeatable read (SQLite reads
    each query from its own; the two streams are read in step by key either way)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def verified_visits(
    session: Session, start: date, end: date, agency_id: str, now: datetime
) -> Iterator[EvvRow]:
    """The export rows of the verified visits scheduled from ``start`` to ``end`` (agency days), day by day,
    in order of their actual start, then id, each made afresh: what the ready rows (``exports.ready``) the
    export streams must equal (the tests compare them)."""
    names = usernames(session)
    for _, of_day in groupby(checked(session, start, end, by_day, now), key=lambda c: c.day):
        day = [
            evv_visit(agency_id, c.visit, c.patient, names.get(c.visit.worker_id, ""), c.records)
            for c in of_day
            if c.state is Verification.VERIFIED
        ]
        day.sort(key=lambda row: (row["call_in"]["time"], row["visit_id"]))
        yield from day


def worked_visits(session: Session, start: date, end: date, now: datetime) -> Iterator[WorkedVisit]:
    """The completed visits of the period for the timesheet, by worker (id), then start."""
    names = usernames(session)
    rows = checked(session, start, end, by_worker, now)
    for _, of_day in groupby(rows, key=lambda c: (c.visit.worker_id, c.day)):
        day = [
            WorkedVisit(
                c.visit,
                names.get(c.visit.worker_id, ""),
                c.patient.display_name,
                c.state is Verification.VERIFIED,
            )
            for c in of_day
        ]
        day.sort(key=lambda w: (w.visit.effective_check_in or w.visit.scheduled_start, str(w.visit.id)))
        yield from day


def record_export(
    session: Session,
    *,
    username: str,
    kind: str,
    fmt: str,
    start: date,
    end: date,
    rows: int,
    size: int,
    sha256: str,
    now: datetime,
) -> None:
    """Keep who exported what, with its row count and SHA-256 (the audit trail of exports)."""
    session.add(
        ExportRecord(
            id=uuid.uuid4(),
            at=now,
            username=username,
            kind=kind,
            format=fmt,
            from_day=start,
            to_day=end,
            rows=rows,
            size=size,
            sha256=sha256,
        )
    )


def recent_exports(session: Session, limit: int = 20) -> list[ExportRecord]:
    """The latest exports, newest first."""
    return list(session.scalars(sa.select(ExportRecord).order_by(ExportRecord.at.desc()).limit(limit)))
