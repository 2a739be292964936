"""The rows of the EVV export and of the timesheet, read a day at a time (memory stays flat for a month of
100,000 visits), and the record of every export in the audit trail (``exports`` table)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.entities import Visit, VisitException, parse
from fieldapp.domain.evv_feed import EvvRow, evv_visit
from fieldapp.domain.timesheet import WorkedVisit
from fieldapp.domain.values import Address
from fieldapp.domain.verification import Verification, verification
from fieldapp.server.exceptions.queries import exceptions_of, usernames
from fieldapp.server.models import ExportRecord, Record

YIELD = 2_000


def _days(session: Session, start: date, end: date, *, by_worker: bool = False) -> Iterator[list[Any]]:
    """The completed visits' rows, one list per day (per worker and day when ``by_worker``), read in
    pages from a server-side cursor."""
    order = (
        (Record.worker_id, Record.day, Record.id) if by_worker else (Record.day, Record.worker_id, Record.id)
    )
    query = (
        sa.select(Record.id, Record.day, Record.worker_id, Record.patient_id, Record.fields)
        .where(Record.entity == "visit", Record.day >= start, Record.day <= end, Record.deleted.is_(None))
        .order_by(*order)
        .execution_options(yield_per=YIELD)
    )

    def key(row: Any) -> tuple[Any, ...]:
        return (row.worker_id, row.day) if by_worker else (row.day,)

    group: list[Any] = []
    for row in session.execute(query):
        if row.fields.get("status") != "completed":
            continue
        if group and key(group[0]) != key(row):
            yield group
            group = []
        group.append(row)
    if group:
        yield group


@dataclass(frozen=True, slots=True)
class _Client:
    """What the export needs of a patient: ids and names, and the home's position."""

    id: uuid.UUID
    mrn: str
    display_name: str
    home: Address | None


class _Patients:
    """Patients read once per export, as its rows need them (only the parts the export uses)."""

    def __init__(self, session: Session) -> None:
        self.session, self.held = session, dict[uuid.UUID, _Client]()

    def load(self, ids: Iterable[uuid.UUID]) -> None:
        wanted = sorted(set(ids) - set(self.held))
        f = Record.fields
        for start in range(0, len(wanted), 900):
            query = sa.select(
                Record.id,
                f["mrn"].as_string(),
                f["family_name"].as_string(),
                f["given_name"].as_string(),
                f["address"],
            ).where(Record.id.in_(wanted[start : start + 900]), Record.entity == "patient")
            for record_id, mrn, family, given, address in self.session.execute(query):
                home = Address.model_validate(address) if address else None
                self.held[record_id] = _Client(record_id, mrn, f"{family}, {given}", home)


def _checked(
    session: Session, rows: Sequence[Any], patients: _Patients, now: datetime
) -> Iterator[tuple[Visit, _Client, list[VisitException], Verification]]:
    by_visit: dict[uuid.UUID, list[VisitException]] = {}
    for record_id, parent_id, fields in exceptions_of(session, [row.id for row in rows]):
        by_visit.setdefault(parent_id, []).append(parse(VisitException, {"id": str(record_id), **fields}))
    patients.load(row.patient_id for row in rows)
    for row in rows:
        patient = patients.held.get(row.patient_id)
        if patient is None:
            continue
        visit = parse(Visit, {"id": str(row.id), **row.fields})
        records = by_visit.get(row.id, [])
        yield visit, patient, records, verification(visit, records, patient.home, now)


def verified_visits(
    session: Session, start: date, end: date, agency_id: str, now: datetime
) -> Iterator[EvvRow]:
    """The export rows of the verified visits scheduled from ``start`` to ``end`` (agency days), in order of
    their actual start, then id."""
    patients, names = _Patients(session), usernames(session)
    for rows in _days(session, start, end):
        day = [
            evv_visit(agency_id, visit, patient, names.get(visit.worker_id, ""), records)
            for visit, patient, records, state in _checked(session, rows, patients, now)
            if state is Verification.VERIFIED
        ]
        day.sort(key=lambda row: (row["call_in"]["time"], str(row["visit_id"])))
        yield from day


def worked_visits(session: Session, start: date, end: date, now: datetime) -> Iterator[WorkedVisit]:
    """The completed visits of the period for the timesheet, by worker (id), then start."""
    patients, names = _Patients(session), usernames(session)
    for rows in _days(session, start, end, by_worker=True):
        day = [
            WorkedVisit(
                visit, names.get(visit.worker_id, ""), patient.display_name, state is Verification.VERIFIED
            )
            for visit, patient, _, state in _checked(session, rows, patients, now)
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
