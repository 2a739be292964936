"""The visits board and one visit's page."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from fieldapp.server.caseloads import queries as caseload_views
from fieldapp.server.exceptions import queries as exception_views
from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.office.common import (
    Who,
    day_of,
    today,
    uuid_of,
)
from fieldapp.server.office.web import PREFIX, OfficeRoute, render
from fieldapp.server.visits import queries as visit_views
from fieldapp.server.web.deps import database_of, now_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/visits")
def visits(
    request: Request,
    who: Who,
    day: Annotated[str, Query(max_length=32)] = "",
    worker: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    chosen = day_of(request, day)
    worker_id = uuid_of(worker, "worker") if worker else None
    with database_of(request).read() as session:
        board = visit_views.visit_board(session, chosen, worker_id)
        choices = caseload_views.worker_choices(session)
    return render(
        request,
        "visits.html",
        title="Visits",
        nav="visits",
        day=chosen,
        today=today(request),
        previous=chosen - timedelta(days=1),
        following=chosen + timedelta(days=1),
        board=board,
        worker=str(worker_id or ""),
        workers=choices,
    )


@router.get("/visits/{visit_id}")
def visit(request: Request, who: Who, visit_id: uuid.UUID) -> Response:
    with database_of(request).read() as session:
        detail = visit_views.visit_detail(session, visit_id)
        check = exception_views.visit_verification(session, visit_id, now_of(request))
    if detail.signature is not None and detail.signature.check.findings:
        integrity_log.report(
            database_of(request), detail.signature.check.findings, "office", who.user_id, now_of(request)
        )
    return render(request, "visit.html", title="Visit", nav="visits", v=detail, check=check)
