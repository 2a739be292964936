"""Writing an export: the EVV feed (CSV or JSON) or the timesheet (CSV) for a period, to a binary file,
from one read snapshot; then its row count and SHA-256 go to the audit trail of exports. The office page
and ``fieldapp admin export-evv`` / ``export-timesheet`` both come here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import BinaryIO
from zoneinfo import ZoneInfo

from fieldapp.domain.evv_feed import Written
from fieldapp.domain.timesheet import write_timesheet
from fieldapp.server.database import Database
from fieldapp.server.errors import Invalid
from fieldapp.server.exports.queries import record_export, snapshot, worked_visits
from fieldapp.server.exports.ready import ready_lines, write_ready_csv, write_ready_json

MAX_DAYS = 366


class Kind(StrEnum):
    """What is exported."""

    EVV = "evv"
    TIMESHEET = "timesheet"


class Format(StrEnum):
    """The file's form."""

    CSV = "csv"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class Request:
    """One export asked for: what, in which form, for which days (agency days, both included)."""

    kind: Kind
    fmt: Format
    start: date
    end: date

    def check(self) -> None:
        """Refuse a period backwards or longer than a year, and a timesheet in JSON."""
        if self.end < self.start:
            raise Invalid("the period ends before it starts", code="bad_period")
        if self.end - self.start > timedelta(days=MAX_DAYS - 1):
            raise Invalid(f"export at most {MAX_DAYS} days at once", code="bad_period")
        if self.kind is Kind.TIMESHEET and self.fmt is not Format.CSV:
            raise Invalid("the timesheet is a CSV file", code="bad_format")

    @property
    def filename(self) -> str:
        return f"{self.kind.value}-{self.start}-{self.end}.{self.fmt.value}"

    @property
    def media_type(self) -> str:
        return "application/json" if self.fmt is Format.JSON else "text/csv; charset=utf-8"


def export(
    database: Database,
    request: Request,
    out: BinaryIO,
    *,
    username: str,
    agency_id: str,
    zone: ZoneInfo,
    now: datetime,
) -> Written:
    """Write the export to ``out`` and record it; raises Invalid for a bad request (nothing written)."""
    request.check()
    with database.read() as session:
        snapshot(session)
        if request.kind is Kind.TIMESHEET:
            written = write_timesheet(worked_visits(session, request.start, request.end, now), out, zone)
        else:
            lines = ready_lines(session, request.start, request.end, request.fmt.value, now)
            if request.fmt is Format.JSON:
                period = (request.start.isoformat(), request.end.isoformat())
                written = write_ready_json(lines, out, period=period, agency_id=agency_id)
            else:
                written = write_ready_csv(lines, out, agency_id)
    with database.write() as session:
        record_export(
            session,
            username=username,
            kind=request.kind.value,
            fmt=request.fmt.value,
            start=request.start,
            end=request.end,
            rows=written.rows,
            size=written.size,
            sha256=written.sha256,
            now=now,
        )
    return written
