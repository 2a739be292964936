"""The day reports of a day and one report's page."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.office import common
from fieldapp.server.office.common import Day, Who
from fieldapp.server.office.i18n import gettext
from fieldapp.server.office.web import PREFIX, OfficeRoute, render
from fieldapp.server.reports import queries as report_views
from fieldapp.server.web.deps import database_of, now_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/reports")
def reports(request: Request, who: Who, day: Day = "") -> Response:
    chosen = common.day_of(request, day)
    with database_of(request).read() as session:
        days = report_views.day_reports(session, chosen)
    return render(
        request,
        "reports.html",
        title=gettext("Day reports"),
        nav="reports",
        **common.day_links(request, chosen),
        days=days,
    )


@router.get("/reports/{report_id}")
def report(request: Request, who: Who, report_id: uuid.UUID) -> Response:
    with database_of(request).read() as session:
        detail = report_views.report_detail(session, report_id)
    if detail.pdf_problem is not None:
        integrity_log.report(
            database_of(request), [detail.pdf_problem], "office", who.user_id, now_of(request)
        )
    return render(request, "report.html", title=gettext("Day report"), nav="reports", r=detail)
