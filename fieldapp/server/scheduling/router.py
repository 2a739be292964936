"""``/schedule/...``: the agency's own system schedules visits and series by its ids (docs/scheduling.md).

Every write is idempotent: the ids derive from the agency's, and a request that changes nothing writes
nothing. Every change reaches the tablets through the change feed and the event stream.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fieldapp.domain.entities import ExternalId
from fieldapp.server.core.notify import Notice
from fieldapp.server.scheduling import external, importer
from fieldapp.server.scheduling.schemas import (
    CancelIn,
    ImportOut,
    SeriesIn,
    SeriesOut,
    VisitIn,
    VisitOut,
    VisitView,
)
from fieldapp.server.scheduling.writes import Author
from fieldapp.server.web.deps import Config, Now, Office, Reads, write_and_notify

router = APIRouter(prefix="/schedule", tags=["schedule"])
ExternalKey = Annotated[ExternalId, Path(description="the agency's own id")]


@router.put("/visits/{external_id}")
def put_visit(
    external_id: ExternalKey, body: VisitIn, who: Office, request: Request, now: Now, settings: Config
) -> VisitOut:
    """Create or update a visit; a patient not on the worker's caseload joins it."""

    def work(session: Session) -> tuple[VisitOut, Notice | None]:
        return external.put_visit(Author(session, settings, who, now), external_id, body)

    return write_and_notify(request, work)


@router.post("/visits/{external_id}/cancel")
def cancel_visit(
    external_id: ExternalKey, body: CancelIn, who: Office, request: Request, now: Now, settings: Config
) -> VisitOut:
    """Cancel a visit with a reason (a visit the worker already recorded is refused, 409)."""

    def work(session: Session) -> tuple[VisitOut, Notice | None]:
        return external.cancel_visit(Author(session, settings, who, now), external_id, body)

    return write_and_notify(request, work)


@router.get("/visits/{external_id}")
def get_visit(external_id: ExternalKey, who: Office, session: Reads, now: Now, settings: Config) -> VisitView:
    """A visit as the schedule holds it."""
    return external.get_visit(Author(session, settings, who, now), external_id)


@router.put("/series/{external_id}")
def put_series(
    external_id: ExternalKey, body: SeriesIn, who: Office, request: Request, now: Now, settings: Config
) -> SeriesOut:
    """Create a recurring series, or change it from ``effective_from`` on (earlier visits stay)."""

    def work(session: Session) -> tuple[SeriesOut, Notice | None]:
        return external.put_series(Author(session, settings, who, now), external_id, body)

    return write_and_notify(request, work)


@router.post("/series/{external_id}/cancel")
def cancel_series(
    external_id: ExternalKey, body: CancelIn, who: Office, request: Request, now: Now, settings: Config
) -> SeriesOut:
    """Cancel a series' visits from ``effective_from`` (default today) on."""

    def work(session: Session) -> tuple[SeriesOut, Notice | None]:
        return external.cancel_series(Author(session, settings, who, now), external_id, body)

    return write_and_notify(request, work)


@router.post(
    "/import", openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}}
)
async def import_csv(
    request: Request, who: Office, now: Now, settings: Config, dry_run: Annotated[bool, Query()] = False
) -> ImportOut:
    """Import a schedule CSV (the body): every row or none; ``dry_run`` only checks."""
    data = await request.body()

    def work(session: Session) -> tuple[ImportOut, Notice | None]:
        report = importer.import_schedule(Author(session, settings, who, now), data, dry_run=dry_run)
        if report.problems and not dry_run:
            raise importer.refused(report)
        return importer.answer(report), report.written.notice if report.applied else None

    return await run_in_threadpool(write_and_notify, request, work)
