"""What a worker's day holds, as plain typed values: the content of the end-of-day report.

``build_day_report(session, worker_id, day, ...)`` reads the local store (one snapshot, no network) and
returns a ``DayReportData``: each visit with its patient, EVV elements still missing, notes, vitals and
signature, the day's counts (``DaySummary``), and what has not reached the office yet (unsent changes,
refused changes, open conflicts). ``DayReportData.canonical()`` is its canonical JSON; the SHA-256 of
those bytes is printed on every page of the PDF, so a printed report can be matched to its content.

Qt-free, so the counts are testable without a GUI and the same data could feed another renderer.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from fieldapp.domain.entities import Observation, Patient, Signature, Visit, VisitNote
from fieldapp.domain.evv import missing_evv
from fieldapp.domain.merge import canonical
from fieldapp.domain.values import CheckEvent, DaySummary, TimeCorrection, VisitStatus
from fieldapp.reports.words import KIND_WORDS, unit_text, words
from fieldapp.store import conflicts, outbox, queries, repo

REPORT_VERSION = 1

# Visits the worker has worked (or is working): they must be signed and verifiable by the end of the day.
WORKED = frozenset({VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED})
# Visits nobody has acted on yet: at the end of the day each is either worked or marked missed.
UNSETTLED = frozenset({VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS})


def local_zone() -> tzinfo:
    """The tablet's time zone."""
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


@dataclass(frozen=True, slots=True)
class NoteLine:
    """A note as the report prints it; ``amends`` names the note it corrects."""

    id: uuid.UUID
    written_at: datetime
    text: str
    amends: uuid.UUID | None
    after_signing: bool


@dataclass(frozen=True, slots=True)
class VitalLine:
    """One observation."""

    id: uuid.UUID
    kind: str
    value: float
    unit: str
    observed_at: datetime
    entered_in_error: bool
    after_signing: bool


@dataclass(frozen=True, slots=True)
class SignatureLine:
    """Who signed, as what, when, what they agreed to, and the image (by SHA-256) or why they could not."""

    id: uuid.UUID
    signer_name: str
    signer_role: str
    signed_at: datetime
    meaning: str
    image_sha256: str | None
    unable_reason: str
    content_sha256: str


@dataclass(frozen=True, slots=True)
class TimeLine:
    """A check-in or check-out: the time that counts, the reading taken, and a correction's reason."""

    effective: datetime | None
    recorded: datetime | None
    correction_reason: str | None
    correction_comment: str


@dataclass(frozen=True, slots=True)
class VisitLine:
    """One visit of the day."""

    id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    patient_mrn: str
    address: str
    service_code: str
    status: str
    scheduled_start: datetime
    scheduled_end: datetime
    check_in: TimeLine
    check_out: TimeLine
    location: str | None
    missing_evv: tuple[str, ...]
    notes: tuple[NoteLine, ...]
    vitals: tuple[VitalLine, ...]
    signature: SignatureLine | None

    @property
    def signed(self) -> bool:
        return self.signature is not None

    @property
    def worked(self) -> bool:
        return VisitStatus(self.status) in WORKED

    @property
    def unsettled(self) -> bool:
        """Neither finished nor marked missed (still scheduled or in progress)."""
        return VisitStatus(self.status) in UNSETTLED

    @property
    def needs_signature(self) -> bool:
        return self.worked and not self.signed

    @property
    def needs_evv(self) -> bool:
        return self.worked and bool(self.missing_evv)

    def problems(self) -> list[str]:
        """What the worker still has to fix on this visit, in words."""
        found = []
        if VisitStatus(self.status) is VisitStatus.SCHEDULED:
            found.append("not started: check in, or mark it missed")
        elif VisitStatus(self.status) is VisitStatus.IN_PROGRESS:
            found.append("not checked out")
        if self.needs_evv:
            found.append("missing " + ", ".join(self.missing_evv))
        if self.needs_signature:
            found.append("not signed")
        return found


@dataclass(frozen=True, slots=True)
class ConflictLine:
    """An open conflict: which record and field lost a value."""

    entity: str
    record_id: uuid.UUID
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class DayReportData:
    """The content of one worker's end-of-day report."""

    worker_id: uuid.UUID
    worker_name: str
    day: date
    zone: str
    visits: tuple[VisitLine, ...]
    summary: DaySummary
    rejected_changes: int
    conflicts: tuple[ConflictLine, ...]

    @property
    def unsettled(self) -> int:
        """Visits neither completed nor marked missed."""
        return sum(1 for v in self.visits if v.unsettled)

    @property
    def ready(self) -> bool:
        """Nothing left to fix before submitting: every visit settled, signed and verifiable, all sent."""
        s = self.summary
        return (
            self.unsettled == 0
            and s.visits_unsigned == 0
            and s.visits_missing_evv == 0
            and s.unsent_changes == 0
            and s.open_conflicts == 0
            and self.rejected_changes == 0
        )

    def record_ids(self) -> dict[uuid.UUID, str]:
        """Every record of the day the office should hold: visits, notes, vitals, signatures -> entity."""
        ids: dict[uuid.UUID, str] = {}
        for visit in self.visits:
            ids[visit.id] = "visit"
            ids.update((n.id, "visit_note") for n in visit.notes)
            ids.update((o.id, "observation") for o in visit.vitals)
            if visit.signature is not None:
                ids[visit.signature.id] = "signature"
        return ids

    def to_json(self) -> dict[str, Any]:
        """The report's content as plain JSON values (what the footer's SHA-256 is computed over)."""
        return {
            "version": REPORT_VERSION,
            "worker_id": str(self.worker_id),
            "worker_name": self.worker_name,
            "day": self.day.isoformat(),
            "zone": self.zone,
            "summary": self.summary.model_dump(mode="json"),
            "rejected_changes": self.rejected_changes,
            "conflicts": [
                {"entity": c.entity, "record_id": str(c.record_id), "field": c.field, "reason": c.reason}
                for c in self.conflicts
            ],
            "visits": [_visit_json(v) for v in self.visits],
        }

    def canonical(self) -> bytes:
        """Canonical JSON bytes of the content (sorted keys, no spaces)."""
        return canonical(self.to_json())

    def digest(self) -> str:
        """SHA-256 (hex) of the canonical content; printed on every page of the PDF."""
        return hashlib.sha256(self.canonical()).hexdigest()


def build_day_report(
    session: Session,
    worker_id: uuid.UUID,
    day: date,
    *,
    worker_name: str = "",
    zone: tzinfo | None = None,
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
        visits.append(
            _visit_line(
                detail.visit,
                detail.patient,
                detail.patient.display_name,
                scheduled.address,
                detail.notes,
                detail.observations,
                detail.signature,
            )
        )
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
    )


def local_records(session: Session, data: DayReportData) -> dict[uuid.UUID, tuple[str, dict[str, Any]]]:
    """The tablet's own wire values (``model_dump(mode="json")`` without the id) of the day's records,
    keyed by record id, as the server computes its receipt digests from them."""
    found: dict[uuid.UUID, tuple[str, dict[str, Any]]] = {}
    classes: dict[str, type[Visit] | type[VisitNote] | type[Observation] | type[Signature]] = {
        "visit": Visit,
        "visit_note": VisitNote,
        "observation": Observation,
        "signature": Signature,
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


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value is not None else None


def _visit_json(v: VisitLine) -> dict[str, Any]:
    def time_json(t: TimeLine) -> dict[str, Any]:
        return {
            "effective": _iso(t.effective),
            "recorded": _iso(t.recorded),
            "correction_reason": t.correction_reason,
            "correction_comment": t.correction_comment,
        }

    signature = v.signature
    return {
        "id": str(v.id),
        "patient_id": str(v.patient_id),
        "patient_name": v.patient_name,
        "patient_mrn": v.patient_mrn,
        "address": v.address,
        "service_code": v.service_code,
        "status": v.status,
        "scheduled_start": _iso(v.scheduled_start),
        "scheduled_end": _iso(v.scheduled_end),
        "check_in": time_json(v.check_in),
        "check_out": time_json(v.check_out),
        "location": v.location,
        "missing_evv": list(v.missing_evv),
        "notes": [
            {
                "id": str(n.id),
                "written_at": _iso(n.written_at),
                "text": n.text,
                "amends": str(n.amends) if n.amends else None,
                "after_signing": n.after_signing,
            }
            for n in v.notes
        ],
        "vitals": [
            {
                "id": str(o.id),
                "kind": o.kind,
                "value": o.value,
                "unit": o.unit,
                "observed_at": _iso(o.observed_at),
                "entered_in_error": o.entered_in_error,
                "after_signing": o.after_signing,
            }
            for o in v.vitals
        ],
        "signature": (
            {
                "id": str(signature.id),
                "signer_name": signature.signer_name,
                "signer_role": signature.signer_role,
                "signed_at": _iso(signature.signed_at),
                "meaning": signature.meaning,
                "image_sha256": signature.image_sha256,
                "unable_reason": signature.unable_reason,
                "content_sha256": signature.content_sha256,
            }
            if signature is not None
            else None
        ),
    }


__all__ = [
    "ConflictLine",
    "DayReportData",
    "NoteLine",
    "SignatureLine",
    "TimeLine",
    "VisitLine",
    "VitalLine",
    "build_day_report",
    "local_records",
    "local_zone",
    "record_label",
]
