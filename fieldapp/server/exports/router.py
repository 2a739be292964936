"""``/admin/exports``: the EVV export and the timesheet of a period as a file (row count and SHA-256 in
the headers ``X-Row-Count`` and ``X-Content-SHA256``), and the exports made before."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse

from fieldapp.server.exports import files, queries
from fieldapp.server.exports.download import send
from fieldapp.server.exports.schemas import ExportOut
from fieldapp.server.web.deps import DB, Config, Now, Office, Reads

router = APIRouter(tags=["exports"])


Start = Annotated[date, Query(alias="from", description="the first day (agency days)")]
End = Annotated[date, Query(alias="to", description="the last day (included)")]


@router.get("/admin/exports/evv", response_class=FileResponse)
def export_evv(
    who: Office,
    database: DB,
    settings: Config,
    now: Now,
    start: Start,
    end: End,
    format: files.Format = files.Format.CSV,
) -> FileResponse:
    """The verified visits of the days from ``from`` to ``to`` for the state's aggregator (CSV or JSON,
    schema fieldapp-evv/1); recorded in the audit trail of exports."""
    return send(database, files.Request(files.Kind.EVV, format, start, end), who.username, settings, now)


@router.get("/admin/exports/timesheet", response_class=FileResponse)
def export_timesheet(
    who: Office, database: DB, settings: Config, now: Now, start: Start, end: End
) -> FileResponse:
    """Hours per worker, visit by visit, with day and week totals (CSV); recorded like every export."""
    wanted = files.Request(files.Kind.TIMESHEET, files.Format.CSV, start, end)
    return send(database, wanted, who.username, settings, now)


@router.get("/admin/exports", response_model=list[ExportOut])
def exports_made(
    who: Office, session: Reads, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> list[ExportOut]:
    """The exports made, newest first."""
    return [ExportOut.model_validate(row) for row in queries.recent_exports(session, limit)]
