"""Exports for the state's EVV aggregator and for payroll: choose the period and the form, download the
file (with its row count and SHA-256 in the response headers), and see the exports made before."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request, Response

from fieldapp.server.errors import ApiError
from fieldapp.server.exports import files
from fieldapp.server.exports import queries as export_views
from fieldapp.server.exports.download import send
from fieldapp.server.office.common import BadRequest, Posted, Who, parse_day, refused_page, today
from fieldapp.server.office.i18n import N_, gettext
from fieldapp.server.office.web import PREFIX, OfficeRoute, render
from fieldapp.server.web.deps import database_of, now_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/exports")
def exports(request: Request, who: Who) -> Response:
    last = today(request) - timedelta(days=1)
    with database_of(request).read() as session:
        made = export_views.recent_exports(session)
    return render(
        request,
        "exports.html",
        title=gettext("Exports"),
        nav="exports",
        start=last.replace(day=1),
        end=last,
        made=made,
    )


def _period(form: Posted) -> tuple[date, date]:
    start, end = parse_day(form.get("from")), parse_day(form.get("to"))
    if start is None or end is None:
        raise BadRequest(gettext("Give the first and the last day of the period (YYYY-MM-DD)."))
    return start, end


@router.post("/exports/download")
def download(request: Request, who: Who, form: Posted) -> Response:
    """Write the export to a temporary file, record it, and send it."""
    try:
        kind, fmt = files.Kind(form.get("kind")), files.Format(form.get("format"))
    except ValueError:
        raise BadRequest(gettext("Choose what to export and in which form.")) from None
    start, end = _period(form)
    wanted = files.Request(kind, fmt, start, end)
    try:
        return send(database_of(request), wanted, who.username, settings_of(request), now_of(request))
    except ApiError as exc:
        return refused_page(request, exc, N_("Nothing was exported: %(reason)s"), N_("Not exported"))
