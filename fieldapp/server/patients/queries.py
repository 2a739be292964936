"""The office's patient list (searched and paginated in the database) and one patient's page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.errors import NotFound
from fieldapp.server.listing import (
    PER_PAGE,
    Page,
    PatientRow,
    patient_filter,
    patient_page,
    usernames,
)
from fieldapp.server.models import Assignment, ConflictEntry, Record, User

# -- patients ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VisitBrief:
    """A visit in a patient's or worker's history."""

    id: uuid.UUID
    scheduled_start: datetime
    worker: str
    service_code: str
    status: str


@dataclass(frozen=True, slots=True)
class PatientDetail:
    """A patient's record as the server holds it, with the stamps the edit form carries."""

    id: uuid.UUID
    values: dict[str, Any]
    stamps: dict[str, str]
    deleted: bool
    workers: list[tuple[uuid.UUID, str]]
    visits: list[VisitBrief]
    open_conflicts: int

    @property
    def name(self) -> str:
        return f"{self.values.get('family_name', '')}, {self.values.get('given_name', '')}"


def patients(session: Session, query: str = "", page: int = 1, per_page: int = PER_PAGE) -> Page[PatientRow]:
    """Patients whose name or MRN contains every word of ``query``, sorted by name, one page."""
    return patient_page(session, [patient_filter(session, query)], page, per_page, search=bool(query.strip()))


def patient(session: Session, patient_id: uuid.UUID) -> PatientDetail:
    """One patient with caseloads, recent visits and open conflicts; NotFound if there is none."""
    row = session.get(Record, patient_id)
    if row is None or row.entity != "patient":
        raise NotFound(f"no patient {patient_id}")
    workers = list(
        session.execute(
            sa.select(User.id, User.username)
            .join(Assignment, Assignment.worker_id == User.id)
            .where(Assignment.patient_id == patient_id, Assignment.active.is_(True))
            .order_by(User.username)
        ).all()
    )
    visit_rows = session.scalars(
        sa.select(Record)
        .where(Record.patient_id == patient_id, Record.entity == "visit", Record.deleted.is_(None))
        .order_by(Record.day.desc(), Record.seq.desc())
        .limit(20)
    ).all()
    names = usernames(session, {v.worker_id for v in visit_rows if v.worker_id})
    visits = sorted(
        (_visit_brief(v, names) for v in visit_rows), key=lambda v: v.scheduled_start, reverse=True
    )
    conflicts = (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(ConflictEntry)
            .where(ConflictEntry.patient_id == patient_id, ConflictEntry.resolved_at.is_(None))
        )
        or 0
    )
    return PatientDetail(
        id=row.id,
        values=dict(row.fields),
        stamps=dict(row.stamps),
        deleted=row.deleted is not None,
        workers=[(worker_id, name) for worker_id, name in workers],
        visits=visits,
        open_conflicts=conflicts,
    )


def _visit_brief(row: Record, names: dict[uuid.UUID, str]) -> VisitBrief:
    values = row.fields
    return VisitBrief(
        id=row.id,
        scheduled_start=datetime.fromisoformat(values["scheduled_start"]),
        worker=names.get(row.worker_id, "?") if row.worker_id else "?",
        service_code=str(values.get("service_code", "")),
        status=str(values.get("status", "")),
    )
