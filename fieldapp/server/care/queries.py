"""Reads for the office's care pages: a patient's plan and medications, a visit's checklist and photos, the
patient's task history, and an attachment's file."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.attachments import Attachment
from fieldapp.domain.care import CareTask, ChecklistLine, TaskOutcome, checklist
from fieldapp.domain.entities import Visit, parse
from fieldapp.domain.medications import Medication, MedicationStatus
from fieldapp.server.errors import NotFound
from fieldapp.server.integrity import checks as integrity
from fieldapp.server.models import Blob, Record


@dataclass(frozen=True, slots=True)
class PatientCare:
    """A patient's plan of care, medications and attachments (newest first)."""

    tasks: list[CareTask]
    medications: list[Medication]
    attachments: list[Attachment]


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One recorded task outcome of a patient, with its visit."""

    visit_id: uuid.UUID
    visit_start: datetime | None
    outcome: TaskOutcome


def _live(session: Session, entity: str, *where: sa.ColumnElement[bool]) -> Sequence[Record]:
    return session.scalars(
        sa.select(Record).where(Record.entity == entity, Record.deleted.is_(None), *where)
    ).all()


def patient_care(session: Session, patient_id: uuid.UUID) -> PatientCare:
    """What the care page shows of a patient."""
    if (
        session.scalar(sa.select(Record.id).where(Record.id == patient_id, Record.entity == "patient"))
        is None
    ):
        raise NotFound(f"no patient {patient_id}")
    mine = Record.patient_id == patient_id
    tasks = [parse(CareTask, {"id": str(r.id), **r.fields}) for r in _live(session, "care_task", mine)]
    meds = [parse(Medication, {"id": str(r.id), **r.fields}) for r in _live(session, "medication", mine)]
    files = [parse(Attachment, {"id": str(r.id), **r.fields}) for r in _live(session, "attachment", mine)]
    return PatientCare(
        sorted(tasks, key=lambda t: (not t.active, t.position, t.label)),
        sorted(meds, key=lambda m: (m.status is not MedicationStatus.ACTIVE, m.name.casefold())),
        sorted(files, key=lambda a: a.taken_at, reverse=True),
    )


def visit_checklist(session: Session, visit: Visit, zone: tzinfo) -> tuple[ChecklistLine, ...]:
    """The tasks due at a visit (by its day in the agency's zone) with what was recorded."""
    tasks = [
        parse(CareTask, {"id": str(r.id), **r.fields})
        for r in _live(session, "care_task", Record.patient_id == visit.patient_id)
    ]
    outcomes = [
        parse(TaskOutcome, {"id": str(r.id), **r.fields})
        for r in _live(session, "task_outcome", Record.parent_id == visit.id)
    ]
    return checklist(tasks, outcomes, visit.scheduled_start.astimezone(zone).date())


def visit_attachments(session: Session, visit_id: uuid.UUID) -> list[Attachment]:
    """The photos and documents attached to one visit."""
    found = [
        parse(Attachment, {"id": str(r.id), **r.fields})
        for r in _live(session, "attachment", Record.parent_id == visit_id)
    ]
    return sorted(found, key=lambda a: a.taken_at)


def task_history(session: Session, patient_id: uuid.UUID, limit: int = 500) -> list[HistoryLine]:
    """The patient's recorded task outcomes, newest visit first."""
    outcomes = [
        parse(TaskOutcome, {"id": str(r.id), **r.fields})
        for r in _live(session, "task_outcome", Record.patient_id == patient_id)
    ]
    starts = {
        r.id: datetime.fromisoformat(r.fields["scheduled_start"])
        for r in _live(session, "visit", Record.id.in_({o.visit_id for o in outcomes}))
    }
    lines = [HistoryLine(o.visit_id, starts.get(o.visit_id), o) for o in outcomes if o.outcome is not None]
    lines.sort(
        key=lambda line: (line.visit_start or line.outcome.recorded_at, line.outcome.title), reverse=True
    )
    return lines[:limit]


def attachment_file(session: Session, attachment_id: uuid.UUID) -> tuple[Attachment, Blob]:
    """An attachment and its file, checked against its name and type before it is shown."""
    row = session.get(Record, attachment_id)
    if row is None or row.entity != "attachment" or row.deleted is not None:
        raise NotFound(f"no attachment {attachment_id}")
    attachment = parse(Attachment, {"id": str(row.id), **row.fields})
    return attachment, integrity.file_of(session, attachment.sha256)
