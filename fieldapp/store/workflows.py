"""The visit workflow as the field worker performs it, each step through the one write path.

Check-in and check-out keep both the device's own clock reading and the server-corrected time; a manual
correction keeps the original reading and needs a reason code; notes are never edited, only amended;
signing binds the signature to the visit's content at that moment and locks it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session

from fieldapp.domain import vitals
from fieldapp.domain.attestation import content_digest
from fieldapp.domain.care import TaskOutcome
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Entity, Observation, Signature, Visit, VisitNote, describe, parse
from fieldapp.domain.errors import DomainError, ValidationError
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.values import (
    CheckEvent,
    CorrectionReason,
    Location,
    LocationKind,
    ObservationKind,
    SignerRole,
    TimeCorrection,
    VisitStatus,
)
from fieldapp.store import repo
from fieldapp.store.exceptions import mark_missed as mark_missed
from fieldapp.store.exceptions import not_cancelled
from fieldapp.store.repo import Change, NotFoundError

M = TypeVar("M", bound=BaseModel)
E = TypeVar("E", bound=Entity)


def _value(cls: type[M], entity: str, field: str, **values: Any) -> M:
    """A value object built from the worker's input; a refusal is the domain's ValidationError (which the
    screens show), never pydantic's own exception."""
    try:
        return cls(**values)
    except PydanticValidationError as exc:
        problems = {f"{field}.{path}" if path != "*" else field: why for path, why in describe(exc).items()}
        raise ValidationError(entity, problems) from None


def _times(clock: HybridClock) -> tuple[datetime, datetime]:
    device = datetime.fromtimestamp(clock.device_ms() / 1000, UTC)
    corrected = datetime.fromtimestamp(clock.physical() / 1000, UTC)
    return device, corrected


def _visit(session: Session, visit_id: uuid.UUID) -> Visit:
    visit = repo.get(session, Visit, visit_id)
    if visit is None:
        raise NotFoundError(f"visit {visit_id} is not on this tablet")
    return visit


def _of_visit(visit: Visit, record: type[E], /, **values: Any) -> E:
    """A record that belongs to ``visit`` (its visit and its patient) with ``values``, checked."""
    return parse(record, dict(visit_id=visit.id, patient_id=visit.patient_id, **values))


def _add_now(
    session: Session, clock: HybridClock, visit_id: uuid.UUID, record: type[E], at: str, /, **values: Any
) -> Change:
    """Add a record to the visit, made now (``at`` names the field that holds the time)."""
    _, now = _times(clock)
    return repo.add(session, clock, _of_visit(_visit(session, visit_id), record, **{at: now}, **values))


def check_in(session: Session, clock: HybridClock, visit_id: uuid.UUID, location: Location | None) -> Change:
    """Start the visit now, where the worker is (a GPS fix, or "home"/"community")."""
    visit = not_cancelled(_visit(session, visit_id))
    if visit.check_in is not None:
        raise DomainError(QT_TRANSLATE_NOOP("Messages", "this visit is already checked in"))
    device, corrected = _times(clock)
    event = _value(
        CheckEvent, "visit", "check_in", device_time=device, server_time=corrected, location=location
    )
    return repo.update(
        session, clock, Visit, visit_id, {"check_in": event, "status": VisitStatus.IN_PROGRESS}
    )


def check_out(
    session: Session, clock: HybridClock, visit_id: uuid.UUID, location: Location | None = None
) -> Change:
    """End the visit now, where the device is (its GPS fix); without one, the place declared at check-in
    stands for the check-out too (a GPS fix of the check-in is not copied: it was not measured now)."""
    visit = _visit(session, visit_id)
    if visit.effective_check_in is None:
        raise DomainError(QT_TRANSLATE_NOOP("Messages", "check in first (or correct the check-in time)"))
    if visit.check_out is not None:
        raise DomainError(QT_TRANSLATE_NOOP("Messages", "this visit is already checked out"))
    if location is None and visit.check_in is not None and visit.check_in.location is not None:
        declared = visit.check_in.location.kind is not LocationKind.GPS
        location = visit.check_in.location if declared else None
    device, corrected = _times(clock)
    event = _value(
        CheckEvent, "visit", "check_out", device_time=device, server_time=corrected, location=location
    )
    return repo.update(session, clock, Visit, visit_id, {"check_out": event, "status": VisitStatus.COMPLETED})


def correct_time(
    session: Session,
    clock: HybridClock,
    visit_id: uuid.UUID,
    which: str,
    corrected: datetime,
    reason: CorrectionReason,
    comment: str = "",
) -> Change:
    """Correct the check-in or check-out time by hand; the original reading stays on the visit."""
    if which not in ("check_in", "check_out"):
        raise ValidationError("visit", {"which": "a correction is of the check-in or of the check-out time"})
    _, now = _times(clock)
    correction = _value(
        TimeCorrection,
        "visit",
        f"{which}_correction",
        corrected_time=corrected,
        reason=reason,
        comment=comment,
        corrected_at=now,
    )
    return repo.update(session, clock, Visit, visit_id, {f"{which}_correction": correction})


def add_note(
    session: Session,
    clock: HybridClock,
    visit_id: uuid.UUID,
    author_id: uuid.UUID,
    text: str,
    amends: uuid.UUID | None = None,
) -> Change:
    """Write a note (or an amendment of an earlier one); notes are never edited."""
    return _add_now(
        session, clock, visit_id, VisitNote, "written_at", author_id=author_id, text=text, amends=amends
    )


def add_observation(
    session: Session, clock: HybridClock, visit_id: uuid.UUID, kind: ObservationKind, value: float, unit: str
) -> Change:
    """Record a vital sign taken now; temperatures and weights in their canonical unit (``vitals.stored``)."""
    value, unit = vitals.stored(kind, value, unit)
    return _add_now(session, clock, visit_id, Observation, "observed_at", kind=kind, value=value, unit=unit)


def add_blood_pressure(
    session: Session, clock: HybridClock, visit_id: uuid.UUID, systolic: float, diastolic: float
) -> list[Change]:
    """Record a blood pressure taken now: its two observations (mmHg), together or not at all. Raises
    ValidationError when the pair is not plausible (``vitals.parse_blood_pressure`` says why)."""
    try:
        vitals.parse_blood_pressure(f"{systolic:g}/{diastolic:g}")
    except vitals.BloodPressureError as exc:
        raise ValidationError("observation", {"blood_pressure": str(exc)}) from None
    return [
        add_observation(session, clock, visit_id, ObservationKind.SYSTOLIC_BP, systolic, "mmHg"),
        add_observation(session, clock, visit_id, ObservationKind.DIASTOLIC_BP, diastolic, "mmHg"),
    ]


def sign(
    session: Session,
    clock: HybridClock,
    visit_id: uuid.UUID,
    *,
    strokes: list[list[dict[str, float]]],
    image_sha256: str | None,
    signer_name: str,
    signer_role: SignerRole,
    meaning: str,
    unable_reason: str = "",
) -> list[Change]:
    """Sign the visit as it is now: the signature attests (and locks) this exact content."""
    visit = _visit(session, visit_id)
    notes = repo.list_for_visit(session, VisitNote, visit_id)
    observations = repo.list_for_visit(session, Observation, visit_id)
    outcomes = repo.list_for_visit(session, TaskOutcome, visit_id)
    _, now = _times(clock)
    signature = _of_visit(
        visit,
        Signature,
        strokes=strokes,
        image_sha256=image_sha256,
        signer_name=signer_name,
        signer_role=signer_role,
        meaning=meaning,
        signed_at=now,
        unable_reason=unable_reason,
        content_sha256=content_digest(visit, notes, observations, outcomes),
    )
    return repo.sign_visit(session, clock, signature)
