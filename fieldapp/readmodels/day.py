"""The content of a worker's end-of-day report, as plain typed values.

``fieldapp.reports.builder.build_day_report`` fills a ``DayReportData`` from the local store: each visit
with its patient, EVV elements still missing, notes, vitals and signature, the day's counts
(``DaySummary``), and what has not reached the office yet. ``DayReportData.canonical()`` is its canonical
JSON; the SHA-256 of those bytes is printed on every page of the PDF, so a printed report can be matched
to its content. The end-of-day screen and the PDF painter read it without loading the store.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from fieldapp.domain.language import Translate, english
from fieldapp.domain.merge import canonical
from fieldapp.domain.values import DaySummary, VisitStatus

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
class TaskLine:
    """A plan-of-care task at the visit: what was recorded (None: left open), the reason, the note."""

    task_id: uuid.UUID
    title: str
    outcome: str | None
    reason: str
    note: str
    as_needed: bool
    outcome_id: uuid.UUID | None = None  # the outcome record, when a tap made one
    error_reason: str = ""  # set when the outcome was marked entered in error
    duty: str | None = None  # the catalogue duty's English words when the task is named by them (translated)

    def name(self, translate: Translate = english) -> str:
        """The task's name in the reader's language: a catalogue duty's words translated, else as written."""
        return translate("Words", self.duty) if self.duty is not None else self.title

    @property
    def left_open(self) -> bool:
        """Due at the visit and nothing recorded (an as-needed task is never left open; an outcome entered
        in error is none)."""
        return (self.outcome is None or bool(self.error_reason)) and not self.as_needed


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
    tasks: tuple[TaskLine, ...] = ()  # the plan of care's tasks due at the visit (issue 19)

    @property
    def open_tasks(self) -> tuple[str, ...]:
        """The tasks left without an outcome."""
        return tuple(t.title for t in self.tasks if t.left_open)

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
    def minutes(self) -> float | None:
        """Minutes worked, from the check-in and check-out that count; None until both are known."""
        begin, end = self.check_in.effective, self.check_out.effective
        if begin is None or end is None:
            return None
        return max((end - begin).total_seconds() / 60, 0.0)

    @property
    def needs_evv(self) -> bool:
        return self.worked and bool(self.missing_evv)

    def problems(self, translate: Translate = english) -> list[str]:
        """What the worker still has to fix on this visit, in words (in the reader's language when a
        ``translate`` is handed in: the tablet's screen and report)."""
        found = []
        if VisitStatus(self.status) is VisitStatus.SCHEDULED:
            found.append(translate("VisitProblems", "not started: check in, or mark it missed"))
        elif VisitStatus(self.status) is VisitStatus.IN_PROGRESS:
            found.append(translate("VisitProblems", "not checked out"))
        if self.needs_evv:
            missing = ", ".join(translate("Words", element) for element in self.missing_evv)
            found.append(translate("VisitProblems", "missing {elements}").format(elements=missing))
        if self.needs_signature:
            found.append(translate("VisitProblems", "not signed"))
        if self.worked and self.open_tasks:
            tasks = ", ".join(t.name(translate) for t in self.tasks if t.left_open)
            found.append(translate("VisitProblems", "tasks left open: {tasks}").format(tasks=tasks))
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
    agency: str = ""  # the agency's name, address and phone, for the report's header

    @property
    def worked_minutes(self) -> float:
        """Minutes worked over the day's visits that have both times."""
        return sum(v.minutes or 0.0 for v in self.visits)

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

    def with_store_counts(self, pending: int, rejected: int, conflicts: int) -> DayReportData:
        """The same day with the tablet-wide counts (unsent, refused, conflicts) as the status bar last read
        them (``fieldapp.qt.pending``), so both screens say the same number at the same moment."""
        summary = self.summary.model_copy(update={"unsent_changes": pending, "open_conflicts": conflicts})
        return replace(self, summary=summary, rejected_changes=rejected)

    def record_ids(self) -> dict[uuid.UUID, str]:
        """Every record of the day the office should hold: visits, notes, vitals, signatures, task
        outcomes -> entity."""
        ids: dict[uuid.UUID, str] = {}
        for visit in self.visits:
            ids[visit.id] = "visit"
            ids.update((n.id, "visit_note") for n in visit.notes)
            ids.update((o.id, "observation") for o in visit.vitals)
            if visit.signature is not None:
                ids[visit.signature.id] = "signature"
            ids.update((t.outcome_id, "task_outcome") for t in visit.tasks if t.outcome_id is not None)
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
            **({"agency": self.agency} if self.agency else {}),  # reports without one hash as before
        }

    def canonical(self) -> bytes:
        """Canonical JSON bytes of the content (sorted keys, no spaces)."""
        return canonical(self.to_json())

    def digest(self) -> str:
        """SHA-256 (hex) of the canonical content; printed on every page of the PDF."""
        return hashlib.sha256(self.canonical()).hexdigest()


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value is not None else None


def _time_json(t: TimeLine) -> dict[str, Any]:
    return {
        "effective": _iso(t.effective),
        "recorded": _iso(t.recorded),
        "correction_reason": t.correction_reason,
        "correction_comment": t.correction_comment,
    }


def _note_json(n: NoteLine) -> dict[str, Any]:
    return {
        "id": str(n.id),
        "written_at": _iso(n.written_at),
        "text": n.text,
        "amends": str(n.amends) if n.amends else None,
        "after_signing": n.after_signing,
    }


def _vital_json(o: VitalLine) -> dict[str, Any]:
    return {
        "id": str(o.id),
        "kind": o.kind,
        "value": o.value,
        "unit": o.unit,
        "observed_at": _iso(o.observed_at),
        "entered_in_error": o.entered_in_error,
        "after_signing": o.after_signing,
    }


def _signature_json(s: SignatureLine | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "id": str(s.id),
        "signer_name": s.signer_name,
        "signer_role": s.signer_role,
        "signed_at": _iso(s.signed_at),
        "meaning": s.meaning,
        "image_sha256": s.image_sha256,
        "unable_reason": s.unable_reason,
        "content_sha256": s.content_sha256,
    }


def _task_json(t: TaskLine) -> dict[str, Any]:
    return {
        "task_id": str(t.task_id),
        "title": t.title,
        "outcome": t.outcome,
        "reason": t.reason,
        "note": t.note,
        **({"entered_in_error": t.error_reason} if t.error_reason else {}),
    }


def _visit_json(v: VisitLine) -> dict[str, Any]:
    tasks = {"tasks": [_task_json(t) for t in v.tasks]} if v.tasks else {}  # old reports' content unchanged
    return {
        **tasks,
        "id": str(v.id),
        "patient_id": str(v.patient_id),
        "patient_name": v.patient_name,
        "patient_mrn": v.patient_mrn,
        "address": v.address,
        "service_code": v.service_code,
        "status": v.status,
        "scheduled_start": _iso(v.scheduled_start),
        "scheduled_end": _iso(v.scheduled_end),
        "check_in": _time_json(v.check_in),
        "check_out": _time_json(v.check_out),
        "location": v.location,
        "missing_evv": list(v.missing_evv),
        "notes": [_note_json(n) for n in v.notes],
        "vitals": [_vital_json(o) for o in v.vitals],
        "signature": _signature_json(v.signature),
    }
