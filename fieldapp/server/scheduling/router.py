"""``/schedule/...``: the agency's own system schedules visits, series, occurrences of series and workers'
hours by its ids and names (docs/scheduling.md).

Every write is idempotent: the ids derive from the agency's, and a request that changes nothing writes
nothing. Every change reaches the tablets through the change feed and the event stream.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fieldapp.domain.entities import ExternalId
from fieldapp.server.core.notify import Notice
from fieldapp.server.scheduling import external, hours, importer, occurrences
from fieldapp.server.scheduling.schemas import (
    CancelIn,
    HoursIn,
    HoursOut,
    ImportOut,
    OccurrenceIn,
    ReasonIn,
    SeriesIn,
    SeriesOut,
    VisitIn,
    VisitOut,
    VisitView,
)
from fieldapp.server.scheduling.writes import Author
from fieldapp.server.web.deps import Config, Now, Office, Reads, Writes, write_and_notify

router = APIRouter(prefix="/schedule", tags=["schedule"])
ExternalKey = Annotated[ExternalId, Path(description="the agency's own id")]
Day = Annotated[date, Path(description="the day the series gave the occurrence (YYYY-MM-DD)")]
Worker = Annotated[str, Path(min_length=1, max_length=64, description="the worker's user name")]
T = TypeVar("T")


class Desk:
    """Who schedules, when, under which settings: what every scheduling request needs (a dependency)."""

    def __init__(self, request: Request, who: Office, now: Now, settings: Config) -> None:
        self.request, self.who, self.now, self.settings = request, who, now, settings

    def write(self, act: Callable[[Author], tuple[T, Notice | None]]) -> T:
        """``act`` in one write transaction; its notice reaches the event streams on commit."""

        def work(session: Session) -> tuple[T, Notice | None]:
            return act(Author(session, self.settings, self.who, self.now))

        return write_and_notify(self.request, work)

    def author(self, session: Session) -> Author:
        """The author of a read (or of a write outside the change feed)."""
        return Author(session, self.settings, self.who, self.now)


Scheduler = Annotated[Desk, Depends(Desk)]


@router.put("/visits/{external_id}")
def put_visit(external_id: ExternalKey, body: VisitIn, desk: Scheduler) -> VisitOut:
    """Create or update a visit; a patient not on the worker's caseload joins it."""
    return desk.write(lambda author: external.put_visit(author, external_id, body))


@router.post("/visits/{external_id}/cancel")
def cancel_visit(external_id: ExternalKey, body: CancelIn, desk: Scheduler) -> VisitOut:
    """Cancel a visit with a reason (a visit the worker already recorded is refused, 409)."""
    return desk.write(lambda author: external.cancel_visit(author, external_id, body))


@router.post("/visits/{external_id}/restore")
def restore_visit(external_id: ExternalKey, desk: Scheduler) -> VisitOut:
    """Schedule a cancelled visit again (the worker's tablet says it is on again); warnings as for a save."""
    return desk.write(lambda author: external.restore_visit(author, external_id))


@router.get("/visits/{external_id}")
def get_visit(external_id: ExternalKey, desk: Scheduler, session: Reads) -> VisitView:
    """A visit as the schedule holds it."""
    return external.get_visit(desk.author(session), external_id)


@router.put("/series/{external_id}")
def put_series(external_id: ExternalKey, body: SeriesIn, desk: Scheduler) -> SeriesOut:
    """Create a recurring series, or change it: its start date, and its pattern from ``effective_from`` on."""
    return desk.write(lambda author: external.put_series(author, external_id, body))


@router.post("/series/{external_id}/cancel")
def cancel_series(external_id: ExternalKey, body: CancelIn, desk: Scheduler) -> SeriesOut:
    """Cancel a series' visits from ``effective_from`` (default today) on."""
    return desk.write(lambda author: external.cancel_series(author, external_id, body))


@router.get("/series/{external_id}/occurrences/{day}")
def get_occurrence(external_id: ExternalKey, day: Day, desk: Scheduler, session: Reads) -> VisitView:
    """One occurrence of a series, by the series' id and the occurrence's day."""
    return occurrences.get(desk.author(session), external_id, day)


@router.put("/series/{external_id}/occurrences/{day}")
def put_occurrence(external_id: ExternalKey, day: Day, body: OccurrenceIn, desk: Scheduler) -> VisitOut:
    """Move, reassign or change one occurrence; the series' later edits then leave it alone."""
    return desk.write(lambda author: occurrences.put(author, external_id, day, body))


@router.post("/series/{external_id}/occurrences/{day}/cancel")
def cancel_occurrence(external_id: ExternalKey, day: Day, body: ReasonIn, desk: Scheduler) -> VisitOut:
    """Cancel one occurrence with a reason."""
    return desk.write(lambda author: occurrences.cancel(author, external_id, day, body))


@router.post("/series/{external_id}/occurrences/{day}/restore")
def restore_occurrence(external_id: ExternalKey, day: Day, desk: Scheduler) -> VisitOut:
    """Schedule a cancelled occurrence again."""
    return desk.write(lambda author: occurrences.restore(author, external_id, day))


@router.get("/workers/{worker}/hours")
def get_hours(worker: Worker, who: Office, session: Reads) -> HoursOut:
    """A worker's weekly hours and weekly limit (the warnings compare visits with them)."""
    return hours.get_hours(session, worker)


@router.put("/workers/{worker}/hours")
def put_hours(worker: Worker, body: HoursIn, who: Office, session: Writes) -> HoursOut:
    """Replace a worker's weekly hours and limit; the same hours again change nothing."""
    return hours.put_hours(session, worker, body)


@router.post(
    "/import", openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}}
)
async def import_csv(
    request: Request, desk: Scheduler, dry_run: Annotated[bool, Query()] = False
) -> ImportOut:
    """Import a schedule CSV (the body): every row or none; ``dry_run`` only checks."""
    data = await request.body()

    def work(author: Author) -> tuple[ImportOut, Notice | None]:
        report = importer.import_schedule(author, data, dry_run=dry_run)
        if report.problems and not dry_run:
            raise importer.refused(report)
        return importer.answer(report), report.written.notice if report.applied else None

    return await run_in_threadpool(desk.write, work)
