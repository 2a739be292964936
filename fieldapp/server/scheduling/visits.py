"""One visit at a time: create, move, reassign, cancel (office pages and the API by external id).

Each returns the warnings a scheduler should see (double booking, outside hours, over the weekly limit);
``check_visit`` gives them without writing, so a page can show them before saving. A patient who is not
on the worker's caseload joins it only when the caller says so (the page asks first); otherwise the write
is refused with code ``caseload``. A visit of a series changed on its own is detached from the series,
so later series edits leave it alone (decision 0023).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from fieldapp.domain.entities import Visit
from fieldapp.domain.language import phrase
from fieldapp.domain.schedule_checks import ScheduleWarning, Slot, check
from fieldapp.domain.values import VisitStatus
from fieldapp.server.errors import Conflict, Invalid, NotFound
from fieldapp.server.listing import patient_names
from fieldapp.server.models import Assignment, DetachedVisit, Record, ScheduleSeries
from fieldapp.server.scheduling import queries
from fieldapp.server.scheduling.writes import (
    Author,
    VisitChange,
    Written,
    differences,
    join_caseloads,
    stored_visits,
    write_visits,
)


@dataclass(frozen=True, slots=True)
class VisitPlan:
    """The office's side of a visit: who, for whom, when (aware times), what, and notes for the worker."""

    patient_id: uuid.UUID
    worker_id: uuid.UUID
    start: datetime
    end: datetime
    service_code: str
    worker_notes: str = ""
    external_id: str | None = None

    def values(self) -> dict[str, Any]:
        """The plan as the visit's wire values."""
        values: dict[str, Any] = {
            "patient_id": str(self.patient_id),
            "worker_id": str(self.worker_id),
            "scheduled_start": self.start.isoformat(),
            "scheduled_end": self.end.isoformat(),
            "service_code": self.service_code,
            "worker_notes": self.worker_notes,
        }
        if self.external_id is not None:
            values["external_id"] = self.external_id
        return values


Outcome = Literal["created", "updated", "unchanged"]


@dataclass(slots=True)
class Saved:
    """What saving a visit did."""

    visit_id: uuid.UUID
    written: Written
    warnings: list[ScheduleWarning] = field(default_factory=list)
    joined_caseload: bool = False

    @property
    def outcome(self) -> Outcome:
        """created, updated or unchanged."""
        if self.written.created:
            return "created"
        return "updated" if self.written.updated else "unchanged"


def zone(author: Author) -> ZoneInfo:
    """The agency's time zone."""
    return author.zone()


def check_visit(author: Author, visit_id: uuid.UUID, plan: VisitPlan) -> list[ScheduleWarning]:
    """The warnings saving ``plan`` as ``visit_id`` would bring (nothing is written)."""
    agency = zone(author)
    first = plan.start.astimezone(agency).date() - timedelta(days=7)
    last = plan.end.astimezone(agency).date() + timedelta(days=7)
    booked = queries.visits_between(author.session, first, last, [plan.worker_id])
    names = patient_names(author.session, {v.patient_id for v in booked} | {plan.patient_id})
    label = f"{plan.start.astimezone(agency):%H:%M} {names.get(plan.patient_id, 'this visit')}"
    candidate = Slot(visit_id, plan.worker_id, plan.start, plan.end, label)
    others = [_labelled(slot, agency) for slot in queries.slots_of(booked, names)]
    hours = queries.hours_of(author.session, [plan.worker_id]).get(plan.worker_id)
    return check(candidate, others, hours, agency)


def _labelled(slot: Slot, agency: ZoneInfo) -> Slot:
    return Slot(
        slot.visit_id,
        slot.worker_id,
        slot.start,
        slot.end,
        f"{slot.start.astimezone(agency):%H:%M} {slot.label}",
    )


def save_visit(author: Author, visit_id: uuid.UUID, plan: VisitPlan, *, join_caseload: bool) -> Saved:
    """Create the visit, or set its schedule to ``plan``; refuses a visit the field has begun."""
    require_people(author, plan.worker_id, plan.patient_id)
    current = _current(author, visit_id)
    if current is not None and _begun(current):
        if not _changes(author, visit_id, plan.values()):  # a replay of what it already says
            return Saved(visit_id, Written(unchanged=[visit_id]))
        _refuse_begun(current, phrase("moved or reassigned"))
    warnings = check_visit(author, visit_id, plan)
    written = Written()
    joined = ensure_caseload(author, plan.worker_id, plan.patient_id, join_caseload, written)
    values = plan.values()
    if current is None:
        values |= {"status": VisitStatus.SCHEDULED.value, "cancel_reason": ""}
    elif current.series_id is not None and _moves(current, plan):
        detach(author, visit_id, current.series_id)
    written.absorb(write_visits(author, [VisitChange(visit_id, values)]))
    if current is not None and current.worker_id != plan.worker_id:
        written.worker_ids.add(current.worker_id)  # the old worker's tablets hear of it too
    return Saved(visit_id, written, warnings, joined)


def cancel_visit(author: Author, visit_id: uuid.UUID, reason: str) -> Saved:
    """Cancel a visit with a reason (replaying the same cancel changes nothing)."""
    if not reason.strip():
        raise Invalid(phrase("say why the visit is cancelled"), code="reason_needed")
    current = _current(author, visit_id)
    if current is None:
        raise NotFound(phrase("no visit %(id)s", id=visit_id))
    change = VisitChange(visit_id, {"status": VisitStatus.CANCELLED.value, "cancel_reason": reason.strip()})
    if current.is_cancelled and not _changes(author, visit_id, change.values):
        return Saved(visit_id, Written(unchanged=[visit_id]))  # a replay of the same cancel
    _refuse_begun(current, phrase("cancelled"))
    if current.series_id is not None:
        detach(author, visit_id, current.series_id)
    return Saved(visit_id, write_visits(author, [change]))


def restore_visit(author: Author, visit_id: uuid.UUID) -> Saved:
    """Undo a cancel: the visit is scheduled again, with the warnings its slot now brings (a visit that
    is not cancelled is left as it is). A series visit restored on its own leaves the series' edits."""
    current = current_visit(author, visit_id)
    if not current.is_cancelled:
        return Saved(visit_id, Written(unchanged=[visit_id]))
    warnings = check_visit(author, visit_id, _plan_of(current))
    if current.series_id is not None:
        detach(author, visit_id, current.series_id)
    change = VisitChange(visit_id, {"status": VisitStatus.SCHEDULED.value, "cancel_reason": ""})
    return Saved(visit_id, write_visits(author, [change]), warnings)


def restore_warnings(author: Author, visit_id: uuid.UUID) -> list[ScheduleWarning]:
    """What restoring the visit would warn about (nothing for a visit that is not cancelled)."""
    current = current_visit(author, visit_id)
    return check_visit(author, visit_id, _plan_of(current)) if current.is_cancelled else []


def _plan_of(current: Visit) -> VisitPlan:
    return VisitPlan(
        patient_id=current.patient_id,
        worker_id=current.worker_id,
        start=current.scheduled_start,
        end=current.scheduled_end,
        service_code=current.service_code,
        worker_notes=current.worker_notes,
    )


def detach(author: Author, visit_id: uuid.UUID, series_id: uuid.UUID) -> None:
    """Mark a series visit as changed on its own (idempotent)."""
    if author.session.get(DetachedVisit, visit_id) is not None:
        return
    root = author.session.scalar(sa.select(ScheduleSeries.root_id).where(ScheduleSeries.id == series_id))
    author.session.add(DetachedVisit(visit_id=visit_id, root_id=root or series_id, detached_at=author.now))


def current_visit(author: Author, visit_id: uuid.UUID) -> Visit:
    """The stored visit; NotFound when there is none."""
    found = _current(author, visit_id)
    if found is None:
        raise NotFound(phrase("no visit %(id)s", id=visit_id))
    return found


def _current(author: Author, visit_id: uuid.UUID) -> Visit | None:
    row = author.session.get(Record, visit_id)
    if row is None:
        return None
    if row.entity != "visit" or row.deleted is not None:
        raise Conflict(phrase("%(id)s is not a visit that can be scheduled", id=visit_id), code="not_a_visit")
    visit = queries.parse_visit(row.fields, visit_id)
    if visit is None:
        raise Conflict(
            phrase("visit %(id)s no longer reads as a visit; see the integrity page", id=visit_id),
            code="unreadable",
        )
    return visit


def _begun(visit: Visit) -> bool:
    return visit.status in queries.BEGUN or visit.check_in is not None


def _changes(author: Author, visit_id: uuid.UUID, values: dict[str, Any]) -> dict[str, Any]:
    """What writing ``values`` would change on the stored visit (empty: nothing)."""
    rows = stored_visits(author.session, [visit_id])
    return differences(VisitChange(visit_id, values), rows.get(visit_id))


def _refuse_begun(visit: Visit, what: str) -> None:
    if _begun(visit):
        status = visit.status.value.replace("_", " ")
        raise Conflict(
            phrase(
                "the worker already recorded this visit (%(status)s); it can no longer be %(what)s",
                status=phrase(status),
                what=what,
            ),
            code="visit_begun",
        )


def _moves(current: Visit, plan: VisitPlan) -> bool:
    return (current.worker_id, current.scheduled_start, current.scheduled_end) != (
        plan.worker_id,
        plan.start,
        plan.end,
    ) or current.service_code != plan.service_code.strip().upper()


def require_people(author: Author, worker_id: uuid.UUID, patient_id: uuid.UUID) -> None:
    """Refuse a worker who is not an active field worker, or a patient who is not registered."""
    if not queries.is_worker(author.session, worker_id):
        raise Invalid(phrase("choose an active field worker"), code="unknown_worker")
    if not queries.live_patient(author.session, patient_id):
        raise Invalid(phrase("choose a registered patient"), code="unknown_patient")


def on_caseload(author: Author, worker_id: uuid.UUID, patient_id: uuid.UUID) -> bool:
    """Whether the patient is on the worker's caseload now."""
    row = author.session.get(Assignment, (worker_id, patient_id))
    return row is not None and row.active


def ensure_caseload(
    author: Author, worker_id: uuid.UUID, patient_id: uuid.UUID, join: bool, written: Written
) -> bool:
    """Whether the patient joined the worker's caseload now; refused (code ``caseload``) unless ``join``."""
    if on_caseload(author, worker_id, patient_id):
        return False
    if not join:
        raise Conflict(
            phrase(
                "the patient is not on this worker's caseload; confirm to add them (the worker's tablet then "
                "receives the patient's record)"
            ),
            code="caseload",
        )
    return join_caseloads(author, [(worker_id, patient_id)], written) > 0
