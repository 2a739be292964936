"""The schedule by the agency's own ids: what the API and the import's callers name, turned into ours.

A visit's id derives from its external id (``visit_id_for``) and a series' from its external id
(``series_id_for``), so a request sent twice finds the same records and, with nothing to change, writes
nothing. The agency's system is the source of its schedule: a patient who is not yet on the worker's
caseload joins it (the answer says so).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo

from fieldapp.domain.entities import Visit
from fieldapp.domain.schedule import Series, local_to_utc, series_id_for, visit_id_for, wall_time_exists
from fieldapp.server.core.notify import Notice
from fieldapp.server.errors import Invalid, NotFound
from fieldapp.server.scheduling import queries, series, visits
from fieldapp.server.scheduling.schemas import (
    CancelIn,
    SeriesIn,
    SeriesOut,
    VisitIn,
    VisitOut,
    VisitView,
    WarningOut,
    weekday_numbers,
)
from fieldapp.server.scheduling.writes import Author


def put_visit(author: Author, external_id: str, body: VisitIn) -> tuple[VisitOut, Notice | None]:
    """Create or update the visit the agency calls ``external_id``."""
    worker_id, patient_id = _people(author, body.worker, body.patient_mrn)
    times = Times(body.date, body.start, body.end)
    plan = times.plan(author, worker_id, patient_id, body.service_code, body.worker_notes, external_id)
    saved = visits.save_visit(author, visit_id_for(external_id), plan, join_caseload=True)
    return visit_answer(external_id, saved)


def cancel_visit(author: Author, external_id: str, body: CancelIn) -> tuple[VisitOut, Notice | None]:
    """Cancel the visit the agency calls ``external_id``."""
    return visit_answer(external_id, visits.cancel_visit(author, visit_id_for(external_id), body.reason))


def restore_visit(author: Author, external_id: str) -> tuple[VisitOut, Notice | None]:
    """Schedule again the cancelled visit the agency calls ``external_id`` (the worker is told)."""
    return visit_answer(external_id, visits.restore_visit(author, visit_id_for(external_id)))


def visit_answer(external_id: str, saved: visits.Saved) -> tuple[VisitOut, Notice | None]:
    """What a visit request did, and the notice for the tablets."""
    answer = VisitOut(
        external_id=external_id,
        visit_id=saved.visit_id,
        outcome=saved.outcome,
        joined_caseload=saved.joined_caseload,
        warnings=[WarningOut(kind=w.kind.value, message=w.message) for w in saved.warnings],
    )
    return answer, saved.written.notice


def get_visit(author: Author, external_id: str) -> VisitView:
    """The visit the agency calls ``external_id``, as stored."""
    return visit_view(external_id, visits.current_visit(author, visit_id_for(external_id)))


def visit_view(external_id: str, visit: Visit) -> VisitView:
    """A stored visit as the API shows it, under the agency's name for it."""
    return VisitView(
        external_id=external_id,
        visit_id=visit.id,
        worker_id=visit.worker_id,
        patient_id=visit.patient_id,
        scheduled_start=visit.scheduled_start,
        scheduled_end=visit.scheduled_end,
        service_code=visit.service_code,
        status=visit.status.value,
        cancel_reason=visit.cancel_reason,
        worker_notes=visit.worker_notes,
        series_id=visit.series_id,
    )


def put_series(author: Author, external_id: str, body: SeriesIn) -> tuple[SeriesOut, Notice | None]:
    """Create the series the agency calls ``external_id``, or apply its new pattern from a day on."""
    worker_id, patient_id = _people(author, body.worker, body.patient_mrn)
    zone = _zone(author)
    fields = {
        "patient_id": patient_id,
        "worker_id": worker_id,
        "service_code": body.service_code,
        "weekdays": weekday_numbers(body.weekdays),
        "start_date": body.start_date,
        "end_date": body.end_date,
        "start_time": wall(body.start, None, zone, "start"),
        "end_time": wall(body.end, None, zone, "end"),
        "time_zone": zone.key,
        "worker_notes": body.worker_notes,
    }
    root = queries.series_by_external_id(author.session, external_id)
    if root is None:
        wanted = series.validated({**fields, "id": series_id_for(external_id), "external_id": external_id})
        return _answer(external_id, series.save_series(author, wanted, join_caseload=True))
    # The lineage begins on the start date sent (days before it are cancelled, or added), then the
    # pattern sent applies from ``effective_from`` on.
    began = series.live_parts(author, root.root_id)[0].start_date
    moved = series.move_start(author, root.root_id, body.start_date)
    from_day = body.effective_from or max(_today(author, zone), body.start_date)
    segment = series.part_on(author, root.root_id, from_day)
    current = queries.series_of(segment)
    if not _same_pattern(current, fields):
        edited = series.edit_from(author, segment.id, from_day, fields, join_caseload=True)
        moved.absorb(edited)
        moved.series = edited.series
    elif began == body.start_date:
        return _unchanged(external_id, current), None
    return _answer(external_id, moved)


def cancel_series(author: Author, external_id: str, body: CancelIn) -> tuple[SeriesOut, Notice | None]:
    """Cancel the series' visits from ``effective_from`` (default today) on."""
    root = queries.series_by_external_id(author.session, external_id)
    if root is None:
        raise NotFound(f"no series {external_id}")
    from_day = body.effective_from or max(_today(author, _zone(author)), root.start_date)
    return _answer(external_id, series.cancel_lineage_from(author, root.root_id, from_day, body.reason))


def _answer(external_id: str, saved: series.SeriesSaved) -> tuple[SeriesOut, Notice | None]:
    w = saved.written
    answer = SeriesOut(
        external_id=external_id,
        series_id=saved.series.id,
        created=len(w.created),
        updated=len(w.updated) - saved.cancelled,
        unchanged=len(w.unchanged),
        cancelled=saved.cancelled,
        kept=saved.kept,
    )
    return answer, w.notice


def _unchanged(external_id: str, current: Series) -> SeriesOut:
    return SeriesOut(
        external_id=external_id, series_id=current.id, created=0, updated=0, unchanged=0, cancelled=0, kept=0
    )


def _same_pattern(current: Series, fields: dict[str, object]) -> bool:
    keys = [name for name in fields if name not in ("start_date", "time_zone")]
    dumped = current.model_dump()
    return not current.cancelled and all(dumped[name] == fields[name] for name in keys)


def worker_named(author: Author, worker: str) -> uuid.UUID:
    """The id of the active field worker called ``worker``; Invalid when there is none."""
    worker_id = queries.workers_named(author.session, [worker]).get(worker)
    if worker_id is None:
        raise Invalid(
            f"unknown worker {worker!r} (a fieldapp user name of an active field worker)",
            code="unknown_worker",
        )
    return worker_id


def _people(author: Author, worker: str, mrn: str) -> tuple[uuid.UUID, uuid.UUID]:
    worker_id = worker_named(author, worker)
    patient_id = queries.patients_by_mrn(author.session, [mrn]).get(mrn)
    if patient_id is None:
        raise Invalid(f"unknown patient MRN {mrn!r}", code="unknown_patient")
    return worker_id, patient_id


@dataclass(frozen=True, slots=True)
class Times:
    """A day and wall-clock start and end in the agency's zone, as a request names them."""

    day: date
    start: str
    end: str

    def plan(
        self,
        author: Author,
        worker_id: uuid.UUID,
        patient_id: uuid.UUID,
        service_code: str,
        worker_notes: str,
        external_id: str | None = None,
    ) -> visits.VisitPlan:
        """The visit these times make; Invalid for a time the clocks skip or an end not after the start."""
        zone = _zone(author)
        start, end = wall(self.start, self.day, zone, "start"), wall(self.end, self.day, zone, "end")
        if end <= start:
            raise Invalid("end must be after start on the same day", code="invalid_times")
        return visits.VisitPlan(
            patient_id=patient_id,
            worker_id=worker_id,
            start=local_to_utc(self.day, start, zone),
            end=local_to_utc(self.day, end, zone),
            service_code=service_code,
            worker_notes=worker_notes,
            external_id=external_id,
        )


def wall(text: str, day: date | None, zone: ZoneInfo, label: str) -> time:
    """``HH:MM`` as a time; Invalid when the clocks skip it on ``day``."""
    at = time.fromisoformat(text)
    if day is not None and not wall_time_exists(day, at, zone):
        raise Invalid(
            f"{label} {text} does not exist on {day} in {zone.key} (clocks jump)", code="invalid_times"
        )
    return at


def _zone(author: Author) -> ZoneInfo:
    return author.zone()


def _today(author: Author, zone: ZoneInfo) -> date:
    return author.now.astimezone(zone).date()
