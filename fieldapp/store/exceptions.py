"""A visit's verification exceptions on the tablet, kept in step with the visit through the one write path.

``reconcile`` runs after every step of a visit (in the step's transaction): each rule the visit breaks
(``fieldapp.domain.verification.findings``) becomes a ``VisitException`` record, or reopens its withdrawn
one; an open exception whose rule no longer holds is withdrawn. Records the office has decided on are
never touched. ``explain`` keeps the worker's reason and note; "missed" takes its reason at once and can be
undone while its change is still waiting in the outbox (``undo_missed``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.care import Outcome, TaskOutcome, open_tasks
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Patient, Visit, VisitException, parse
from fieldapp.domain.errors import DomainError, ImmutableError, ValidationError
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.domain.language import QT_TRANSLATE_NOOP, Phrase
from fieldapp.domain.values import VisitStatus
from fieldapp.domain.verification import DEFAULT_POLICY, EvvPolicy, Finding, findings
from fieldapp.store import care, repo
from fieldapp.store.models import OutboxRow, VisitExceptionRow, VisitRow
from fieldapp.store.records import to_entity
from fieldapp.store.repo import Change, NotFoundError

Explanation = tuple[ExceptionReason, str]
"""The worker's reason and note for an exception."""

# A visit's status inside a sentence (marked for the translators; the English is the status's value).
STATUS_SAID = {
    VisitStatus.SCHEDULED: QT_TRANSLATE_NOOP("Messages", "scheduled"),
    VisitStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("Messages", "in progress"),
    VisitStatus.COMPLETED: QT_TRANSLATE_NOOP("Messages", "completed"),
    VisitStatus.MISSED: QT_TRANSLATE_NOOP("Messages", "missed"),
    VisitStatus.CANCELLED: QT_TRANSLATE_NOOP("Messages", "cancelled"),
}


def now_of(clock: HybridClock) -> datetime:
    """The server-corrected time now (what check-ins record as ``server_time``)."""
    return datetime.fromtimestamp(clock.physical() / 1000, UTC)


def for_visit(session: Session, visit_id: uuid.UUID) -> list[VisitException]:
    """The exceptions recorded for one visit, in code order."""
    rows = session.scalars(sa.select(VisitExceptionRow).where(VisitExceptionRow.visit_id == visit_id))
    order = list(ExceptionCode)
    found = [to_entity(row, VisitException) for row in rows if row.deleted is None]
    return sorted(found, key=lambda e: order.index(e.code))


def reconcile(
    session: Session,
    clock: HybridClock,
    visit_id: uuid.UUID,
    *,
    policy: EvvPolicy = DEFAULT_POLICY,
    explained: Mapping[ExceptionCode, Explanation] | None = None,
) -> list[Change]:
    """Bring the visit's exception records in line with the rules it breaks now."""
    visit = repo.get(session, Visit, visit_id)
    if visit is None:
        return []
    patient = repo.get(session, Patient, visit.patient_id)
    now = now_of(clock)
    left_open = _left_open(session, visit)
    home = patient.address if patient else None
    found = {f.code: f for f in findings(visit, home, now, policy, left_open)}
    held = {e.code: e for e in for_visit(session, visit_id)}
    explained = explained or {}
    changes = [
        _found(session, clock, visit, finding, held.get(code), explained.get(code), now)
        for code, finding in found.items()
    ]
    changes += [
        repo.update(session, clock, VisitException, record.id, {"withdrawn": True})
        for code, record in held.items()
        if code not in found and record.resolution is None and not record.withdrawn
    ]
    return [c for c in changes if not c.is_noop]


def checklist_tap(
    session: Session,
    clock: HybridClock,
    tap: tuple[uuid.UUID, uuid.UUID, Outcome | None],
    *,
    policy: EvvPolicy = DEFAULT_POLICY,
    **given: str,
) -> list[Change]:
    """One tap of a visit's checklist (``tap``: visit, task, outcome for ``care.record_outcome``; ``given``:
    its reason and note) and, for a visit already checked out, its ``tasks_not_completed`` exception
    brought in line (a tap may leave a task open or close the last one). The visit's row stays referenced
    here, so the tap reads it once: a visit not checked out costs nothing more than the tap."""
    visit_id, task_id, outcome = tap
    row = session.get(VisitRow, visit_id)
    change = care.record_outcome(session, clock, visit_id, task_id, outcome, **given)
    if row is None or row.check_out is None:
        return [change]
    return [change, *reconcile(session, clock, visit_id, policy=policy)]


def after_error_mark(
    session: Session, clock: HybridClock, outcome_id: uuid.UUID, *, policy: EvvPolicy = DEFAULT_POLICY
) -> list[Change]:
    """After a task outcome was marked entered in error: its task is open again at a visit checked out."""
    outcome = repo.get(session, TaskOutcome, outcome_id)
    row = session.get(VisitRow, outcome.visit_id) if outcome is not None else None
    if outcome is None or row is None or row.check_out is None:
        return []
    return reconcile(session, clock, outcome.visit_id, policy=policy)


def _left_open(session: Session, visit: Visit) -> list[str]:
    """The names of the plan's tasks left open at a visit checked out (none asked before check-out)."""
    if visit.check_out is None:
        return []
    return [task.label for task in open_tasks(care.visit_checklist(session, visit))]


def _found(
    session: Session,
    clock: HybridClock,
    visit: Visit,
    finding: Finding,
    held: VisitException | None,
    explanation: Explanation | None,
    now: datetime,
) -> Change:
    given = {"reason": explanation[0], "note": explanation[1]} if explanation else {}
    if held is None:
        record = parse(
            VisitException,
            dict(
                id=exception_id(visit.id, finding.code),
                visit_id=visit.id,
                patient_id=visit.patient_id,
                worker_id=visit.worker_id,
                code=finding.code,
                detected_at=now,
                detail=finding.detail,
                tasks=finding.tasks,
                **given,
            ),
        )
        return repo.add(session, clock, record)
    if held.resolution is not None:
        return Change(VisitException.entity_name, held.id, frozenset())
    values = {"withdrawn": False, "detail": finding.detail, "tasks": finding.tasks, **given}
    return repo.update(session, clock, VisitException, held.id, values)


def explain(
    session: Session, clock: HybridClock, record_id: uuid.UUID, reason: ExceptionReason, note: str = ""
) -> Change:
    """Keep the worker's reason and note for an exception the office has not decided on yet."""
    record = repo.get(session, VisitException, record_id)
    if record is None:
        raise NotFoundError(f"exception {record_id} is not on this tablet")
    if record.resolution is not None:
        raise ImmutableError(f"the office has already {record.resolution.decision.value} this exception")
    return repo.update(session, clock, VisitException, record_id, {"reason": reason, "note": note})


def not_cancelled(visit: Visit) -> Visit:
    """The visit, unless the office called it off: such a visit is not started or marked missed here (the
    office can restore it)."""
    if visit.is_cancelled:
        if visit.cancel_reason:
            said = QT_TRANSLATE_NOOP(
                "Messages", "the office cancelled this visit: %(reason)s; call the office if you are there"
            )
            raise DomainError(Phrase.marked("Messages", said, reason=visit.cancel_reason))
        said = QT_TRANSLATE_NOOP(
            "Messages", "the office cancelled this visit; call the office if you are there"
        )
        raise DomainError(Phrase.marked("Messages", said))
    return visit


def mark_missed(
    session: Session,
    clock: HybridClock,
    visit_id: uuid.UUID,
    reason: ExceptionReason | None = None,
    note: str = "",
    *,
    policy: EvvPolicy = DEFAULT_POLICY,
) -> list[Change]:
    """The patient was not seen: the visit stays on record as missed, with the worker's reason (required:
    None is refused, after the visit is looked up)."""
    visit = repo.get(session, Visit, visit_id)
    if visit is None:
        raise NotFoundError(f"visit {visit_id} is not on this tablet")
    not_cancelled(visit)
    if visit.status is not VisitStatus.SCHEDULED or visit.check_in is not None or visit.is_signed:
        said = QT_TRANSLATE_NOOP("Messages", "this visit is %(status)s; it cannot be marked missed")
        status = Phrase.marked("Messages", STATUS_SAID[visit.status])
        raise DomainError(Phrase.marked("Messages", said, status=status))
    if reason is None:
        raise ValidationError(
            "visit_exception", {"reason": QT_TRANSLATE_NOOP("Messages", "say why the visit was missed")}
        )
    # The exception is checked before the visit changes, so a bad reason changes nothing.
    parse(
        VisitException,
        dict(
            visit_id=visit_id,
            patient_id=visit.patient_id,
            worker_id=visit.worker_id,
            code=ExceptionCode.MISSED_VISIT,
            detected_at=now_of(clock),
            reason=reason,
            note=note,
        ),
    )
    change = repo.update(session, clock, Visit, visit_id, {"status": VisitStatus.MISSED})
    explained = {ExceptionCode.MISSED_VISIT: (reason, note)}
    return [change, *reconcile(session, clock, visit_id, policy=policy, explained=explained)]


def missed_undoable(session: Session, visit_id: uuid.UUID) -> bool:
    """Whether "missed" can still be undone: the visit is missed and that change has not been sent yet."""
    visit = repo.get(session, Visit, visit_id)
    if visit is None or visit.status is not VisitStatus.MISSED:
        return False
    queued = session.scalars(
        sa.select(OutboxRow.changes).where(
            OutboxRow.entity == "visit", OutboxRow.record_id == visit_id, OutboxRow.status == "pending"
        )
    )
    return any(changes.get("status", {}).get("v") == VisitStatus.MISSED.value for changes in queued)


def undo_missed(
    session: Session, clock: HybridClock, visit_id: uuid.UUID, *, policy: EvvPolicy = DEFAULT_POLICY
) -> list[Change]:
    """Take back "missed" before it was sent: the visit is scheduled again, its exception withdrawn."""
    if not missed_undoable(session, visit_id):
        raise DomainError(
            QT_TRANSLATE_NOOP(
                "Messages", "this visit's missed mark has already been sent to the office; call the office"
            )
        )
    change = repo.update(session, clock, Visit, visit_id, {"status": VisitStatus.SCHEDULED})
    return [change, *reconcile(session, clock, visit_id, policy=policy)]
