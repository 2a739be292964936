"""Care documentation on the tablet: a visit's task checklist, the patient's medications, allergies and
diagnoses, each write through the one write path (row and outbox entry in the caller's transaction).

A tap on the checklist is one ``record_outcome``: the outcome record of that task at that visit is created
on the first tap and updated on the next ones (its id follows from the visit and the task), so a tap costs
one small row write and one outbox row.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.attachments import Attachment
from fieldapp.domain.care import CareTask, ChecklistLine, Outcome, TaskOutcome, checklist, outcome_id
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Patient, Visit, parse
from fieldapp.domain.errors import DomainError, ImmutableError, ValidationError
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.medications import Medication, MedicationStatus
from fieldapp.domain.values import Allergy, Diagnosis, VisitStatus
from fieldapp.store import repo
from fieldapp.store.models import CareTaskRow, MedicationRow, TaskOutcomeRow, VisitRow
from fieldapp.store.records import to_entity
from fieldapp.store.repo import Change, NotFoundError

# -- the checklist ----------------------------------------------------------------------------------------


def record_outcome(
    session: Session,
    clock: HybridClock,
    visit_id: uuid.UUID,
    task_id: uuid.UUID,
    outcome: Outcome | None,
    *,
    reason: str = "",
    note: str = "",
) -> Change:
    """Record what happened to one task at this visit (None undoes the tap).

    One tap reads the visit, the outcome and (the first time) the task, and writes one row and one outbox
    entry: the rows read stay referenced here, so the write path's own checks find them in the session
    instead of reading them again."""
    visit_row = session.get(VisitRow, visit_id)
    visit = to_entity(visit_row, Visit) if visit_row is not None and visit_row.deleted is None else None
    if visit is None:
        raise NotFoundError(f"visit {visit_id} is not on this tablet")
    if visit.status in (VisitStatus.MISSED, VisitStatus.CANCELLED):
        raise DomainError(
            QT_TRANSLATE_NOOP("Messages", "the visit did not take place; its tasks are not recorded")
        )
    if visit.is_signed:
        raise ImmutableError(
            QT_TRANSLATE_NOOP(
                "Messages", "the visit is signed; its task checklist can no longer change (add a note)"
            )
        )
    now = datetime.fromtimestamp(clock.physical() / 1000, UTC)
    values: dict[str, Any] = {"outcome": outcome, "reason": reason, "note": note, "recorded_at": now}
    record_id = outcome_id(visit_id, task_id)
    held = session.get(TaskOutcomeRow, record_id)
    if held is not None and held.deleted is None:
        if outcome is None:
            values = {**values, "reason": "", "note": ""}
        if held.entered_in_error:  # a new tap replaces the outcome marked in error
            values = {**values, "entered_in_error": False, "error_reason": ""}
        return repo.update(session, clock, TaskOutcome, record_id, values)
    task = repo.get(session, CareTask, task_id)
    if task is None or task.patient_id != visit.patient_id:
        raise NotFoundError(QT_TRANSLATE_NOOP("Messages", "this task is not on the patient's plan of care"))
    record = parse(
        TaskOutcome,
        dict(
            id=record_id,
            visit_id=visit_id,
            patient_id=visit.patient_id,
            task_id=task_id,
            code=task.code,
            title=task.label,
            **values,
        ),
    )
    return repo.add(session, clock, record)


def patient_tasks(session: Session, patient_id: uuid.UUID) -> list[CareTask]:
    """The patient's plan of care, inactive tasks included, in plan order."""
    rows = session.scalars(
        sa.select(CareTaskRow).where(CareTaskRow.patient_id == patient_id, CareTaskRow.deleted.is_(None))
    )
    tasks = [to_entity(row, CareTask) for row in rows]
    return sorted(tasks, key=lambda t: (t.position, t.label, str(t.id)))


def visit_outcomes(session: Session, visit_id: uuid.UUID) -> list[TaskOutcome]:
    """What was recorded for the tasks of one visit."""
    rows = session.scalars(
        sa.select(TaskOutcomeRow).where(TaskOutcomeRow.visit_id == visit_id, TaskOutcomeRow.deleted.is_(None))
    )
    return [to_entity(row, TaskOutcome) for row in rows]


def visit_checklist(session: Session, visit: Visit, zone: tzinfo | None = None) -> tuple[ChecklistLine, ...]:
    """The tasks due at this visit (by its day where the tablet is) with their outcomes."""
    day: date = visit.scheduled_start.astimezone(zone).date()
    return checklist(patient_tasks(session, visit.patient_id), visit_outcomes(session, visit.id), day)


def task_history(session: Session, patient_id: uuid.UUID, limit: int = 200) -> list[TaskOutcome]:
    """The patient's recorded task outcomes, newest first."""
    rows = session.scalars(
        sa.select(TaskOutcomeRow)
        .where(TaskOutcomeRow.patient_id == patient_id, TaskOutcomeRow.deleted.is_(None))
        .order_by(TaskOutcomeRow.recorded_at.desc(), TaskOutcomeRow.id)
        .limit(limit)
    )
    return [to_entity(row, TaskOutcome) for row in rows]


Markable = TypeVar("Markable", TaskOutcome, Medication, Attachment)


def mark_in_error(
    session: Session, clock: HybridClock, cls: type[Markable], record_id: uuid.UUID, reason: str
) -> Change:
    """Mark a task outcome, a medication or an attachment recorded by mistake as entered in error, with the
    reason: the record stays (struck through where it is shown), the audit trail says who and when. An
    outcome may be marked after signing: the mark is not part of what the signature attests."""
    record = repo.get(session, cls, record_id)
    if record is None:
        raise NotFoundError(f"{cls.entity_name.replace('_', ' ')} {record_id} is not on this tablet")
    if record.entered_in_error:
        raise DomainError(QT_TRANSLATE_NOOP("Messages", "this was already marked entered in error"))
    if not reason.strip():
        raise ValidationError(
            cls.entity_name,
            {"error_reason": QT_TRANSLATE_NOOP("Messages", "say why it was entered in error")},
        )
    return repo.update(session, clock, cls, record_id, {"entered_in_error": True, "error_reason": reason})


# -- medications ------------------------------------------------------------------------------------------


def patient_medications(session: Session, patient_id: uuid.UUID) -> list[Medication]:
    """The patient's medications: active ones first, then discontinued, each by name."""
    rows = session.scalars(
        sa.select(MedicationRow).where(
            MedicationRow.patient_id == patient_id, MedicationRow.deleted.is_(None)
        )
    )
    meds = [to_entity(row, Medication) for row in rows]
    return sorted(meds, key=lambda m: (m.status is not MedicationStatus.ACTIVE, m.name.casefold(), str(m.id)))


def add_medication(
    session: Session, clock: HybridClock, patient_id: uuid.UUID, values: Mapping[str, Any]
) -> Change:
    """Put a medication on the patient's list."""
    if "id" in values or "patient_id" in values:
        raise DomainError("a new medication gets its own id and belongs to the patient given")
    return repo.add(session, clock, parse(Medication, {**values, "patient_id": patient_id}))


def edit_medication(
    session: Session, clock: HybridClock, medication_id: uuid.UUID, changes: Mapping[str, Any]
) -> Change:
    """Change some fields of a medication (only those change, so the office's edits of others survive)."""
    return repo.update(session, clock, Medication, medication_id, changes)


def discontinue(session: Session, clock: HybridClock, medication_id: uuid.UUID, stop: date) -> Change:
    """The patient stops taking it from ``stop`` on; it stays on the list as discontinued."""
    changes = {"status": MedicationStatus.DISCONTINUED, "stop_date": stop}
    return repo.update(session, clock, Medication, medication_id, changes)


# -- allergies and diagnoses ------------------------------------------------------------------------------


def set_allergies(
    session: Session, clock: HybridClock, patient_id: uuid.UUID, allergies: Sequence[Allergy]
) -> Change:
    """Replace the patient's allergy list (one field: the list as the worker left it)."""
    return repo.update(session, clock, Patient, patient_id, {"allergies": tuple(allergies)})


def set_diagnoses(
    session: Session, clock: HybridClock, patient_id: uuid.UUID, diagnoses: Sequence[Diagnosis]
) -> Change:
    """Replace the patient's diagnosis list."""
    return repo.update(session, clock, Patient, patient_id, {"diagnoses": tuple(diagnoses)})
