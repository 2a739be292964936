"""What a worker's day holds, read from the local store: the content of the end-of-day report.

``build_day_report(session, worker_id, day, ...)`` reads the local store (one snapshot, no network) and
returns a ``DayReportData`` (``fieldapp.readmodels.day``, plain values): each visit with its patient,
EVV elements still missing, notes, vitals and signature, the day's counts (``DaySummary``), and what has
not reached the office yet (unsent changes, refused changes, open conflicts).

Qt-free, so the counts are testable without a GUI and the same data could feed another renderer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from fieldapp.domain.care import ChecklistLine, Frequency, TaskOutcome
from fieldapp.domain.entities import Observation, Patient, Signature, Visit, VisitNote
from fieldapp.domain.evv import missing_evv
from fieldapp.domain.values import CheckEvent, DaySummary, TimeCorrection, VisitStatus
from fieldapp.readmodels.day import (
    ConflictLine,
    DayReportData,
    NoteLine,
    SignatureLine,
    TaskLine,
    TimeLine,
    VisitLine,
    VitalLine,
    local_zone,
)
from fieldapp.reports.words import KIND_WORDS, unit_text, words
from fieldapp.store import conflicts, outbox, queries, repo


def build_day_report(
    session: Session,
    worker_id: uuid.UUID,
    day: date,
    *,
    worker_name: str = "",
    zone: tzinfo | None = None,
    agency: str = "",
) -> DayReportData:
    """Read a worker's day from the local store (``day`` in ``zone``, the tablet's zone by default)."""
    zone = zone if zone is not None else local_zone()
    visits: list[VisitLine] = []
    for scheduled in queries.visits_on(session, worker_id, day, zone):
        detail = queries.visit_detail(session, scheduled.visit.id)
        if detail is None:  # the patient is not on this tablet: report what the schedule knows
            visits.append(
                _visit_line(scheduled.visit, None, scheduled.patient_name, scheduled.address, (), (), None)
            )
            continue
        line = _visit_line(
            detail.visit,
            detail.patient,
            detail.patient.display_name,
            scheduled.address,
            detail.notes,
            detail.observations,
            detail.signature,
        )
        visits.append(replace(line, tasks=task_lines(detail.checklist)))
    open_conflicts = conflicts.open_conflicts(session)
    summary = DaySummary(
        visits_scheduled=len(visits),
        visits_completed=sum(1 for v in visits if v.status == VisitStatus.COMPLETED),
        visits_missed=sum(1 for v in visits if v.status == VisitStatus.MISSED),
        visits_unsigned=sum(1 for v in visits if v.needs_signature),
        visits_missing_evv=sum(1 for v in visits if v.needs_evv),
        notes=sum(len(v.notes) for v in visits),
        observations=sum(len(v.vitals) for v in visits),
        unsent_changes=outbox.pending_count(session),
        open_conflicts=len(open_conflicts),
    )
    return DayReportData(
        worker_id=worker_id,
        worker_name=worker_name,
        day=day,
        zone=_zone_name(zone, day),
        visits=tuple(visits),
        summary=summary,
        rejected_changes=len(outbox.rejected(session)),
        conflicts=tuple(ConflictLine(c.entity, c.record_id, c.field, c.reason.value) for c in open_conflicts),
        agency=agency,
    )


def local_records(session: Session, data: DayReportData) -> dict[uuid.UUID, tuple[str, dict[str, Any]]]:
    """The tablet's own wire values (``model_dump(mode="json")`` without the id) of the day's records,
    keyed by record id, as the server computes its receipt digests from them."""
    found: dict[uuid.UUID, tuple[str, dict[str, Any]]] = {}
    classes: dict[
        str, type[Visit] | type[VisitNote] | type[Observation] | type[Signature] | type[TaskOutcome]
    ]
    classes = {
        "visit": Visit,
        "visit_note": VisitNote,
        "observation": Observation,
        "signature": Signature,
        "task_outcome": TaskOutcome,
    }
    for record_id, entity in data.record_ids().items():
        record = repo.get(session, classes[entity], record_id)
        if record is not None:
            found[record_id] = (entity, record.model_dump(mode="json", exclude={"id"}))
    return found


def record_label(data: DayReportData, record_id: uuid.UUID, zone: tzinfo | None = None) -> str:
    """A record of the day as the worker recognises it ("Note 09:12 Núñez, Zoë: Patient alert...")."""
    zone = zone if zone is not None else local_zone()

    def hhmm(value: datetime) -> str:
        return value.astimezone(zone).strftime("%H:%M")

    for visit in data.visits:
        who = visit.patient_name
        if visit.id == record_id:
            return f"Visit {hhmm(visit.scheduled_start)} {who}"
        for note in visit.notes:
            if note.id == record_id:
                text = " ".join(note.text.split())
                short = text if len(text) <= 40 else text[:39] + "…"
                kind = "Amendment" if note.amends else "Note"
                return f"{kind} {hhmm(note.written_at)} {who}: {short}"
        for vital in visit.vitals:
            if vital.id == record_id:
                what = words(KIND_WORDS, vital.kind)
                return f"{what} {vital.value:g} {unit_text(vital.unit)} at {hhmm(vital.observed_at)}, {who}"
        if visit.signature is not None and visit.signature.id == record_id:
            return f"Signature of {visit.signature.signer_name}, visit {hhmm(visit.scheduled_start)} {who}"
        for task in visit.tasks:
            if task.outcome_id == record_id:
                return f"Task {task.title}: {(task.outcome or 'undone').replace('_', ' ')}, {who}"
    return f"Record {str(record_id)[:8]}"


# -- helpers ---------------------------------------------------------------------------------------------


def _visit_line(
    visit: Visit,
    patient: Patient | None,
    patient_name: str,
    address: str,
    notes: tuple[VisitNote, ...],
    observations: tuple[Observation, ...],
    signature: Signature | None,
) -> VisitLine:
    signed_at = signature.signed_at if signature is not None else None
    location = visit.check_in.location if visit.check_in is not None else None
    return VisitLine(
        id=visit.id,
        patient_id=visit.patient_id,
        patient_name=patient_name,
        patient_mrn=patient.mrn if patient is not None else "",
        address=address,
        service_code=visit.service_code,
        status=visit.status.value,
        scheduled_start=visit.scheduled_start,
        scheduled_end=visit.scheduled_end,
        check_in=_time_line(visit.effective_check_in, visit.check_in, visit.check_in_correction),
        check_out=_time_line(visit.effective_check_out, visit.check_out, visit.check_out_correction),
        location=location.kind.value if location is not None else None,
        missing_evv=tuple(e.value for e in missing_evv(visit)),
        notes=tuple(
            NoteLine(n.id, n.written_at, n.text, n.amends, signed_at is not None and n.written_at > signed_at)
            for n in notes
        ),
        vitals=tuple(
            VitalLine(
                o.id,
                o.kind.value,
                o.value,
                o.unit,
                o.observed_at,
                o.entered_in_error,
                signed_at is not None and o.observed_at > signed_at,
            )
            for o in observations
        ),
        signature=(
            SignatureLine(
                signature.id,
                signature.signer_name,
                signature.signer_role.value,
                signature.signed_at,
                signature.meaning,
                signature.image_sha256,
                signature.unable_reason,
                signature.content_sha256,
            )
            if signature is not None
            else None
        ),
    )


def task_lines(checklist: Sequence[ChecklistLine]) -> tuple[TaskLine, ...]:
    """The checklist as the report prints it."""
    return tuple(
        TaskLine(
            line.task.id,
            line.task.label,
            line.outcome.outcome.value if line.outcome and line.outcome.outcome else None,
            line.outcome.reason if line.outcome else "",
            line.outcome.note if line.outcome else "",
            line.task.frequency is Frequency.AS_NEEDED,
            line.outcome.id if line.outcome else None,
            line.outcome.error_reason if line.outcome and line.outcome.entered_in_error else "",
            line.task.duty_words,
        )
        for line in checklist
    )


def _time_line(
    effective: datetime | None, event: CheckEvent | None, correction: TimeCorrection | None
) -> TimeLine:
    return TimeLine(
        effective=effective,
        recorded=event.server_time if event is not None else None,
        correction_reason=correction.reason.value if correction is not None else None,
        correction_comment=correction.comment if correction is not None else "",
    )


def _zone_name(zone: tzinfo, day: date) -> str:
    key = getattr(zone, "key", None)  # zoneinfo.ZoneInfo
    if isinstance(key, str):
        return key
    name = zone.tzname(datetime.combine(day, datetime.min.time()))
    return name or "UTC"


__all__ = [
    "ConflictLine",
    "DayReportData",
    "NoteLine",
    "SignatureLine",
    "TaskLine",
    "TimeLine",
    "VisitLine",
    "VitalLine",
    "build_day_report",
    "local_records",
    "local_zone",
    "record_label",
]
