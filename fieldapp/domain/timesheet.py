"""The payroll timesheet: hours per worker, visit by visit, with a total per day and per week.

Hours come from the times that count (corrections included) of completed visits; a visit's hours count
toward the totals' ``verified_hours`` only when the visit is verified, and a week's verified hours past 40
are its overtime (the US federal rule). Visits must arrive ordered by worker, then start time: the totals
are written as each day and week closes, so the file is written in one pass at flat memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO

from fieldapp.domain.entities import Visit
from fieldapp.domain.evv_feed import ExportWriter, Written, csv_line

OVERTIME_AFTER = Decimal(40)
COLUMNS = (
    "kind",
    "worker_id",
    "worker_name",
    "date",
    "week",
    "visit_id",
    "patient_name",
    "service_code",
    "start",
    "end",
    "hours",
    "verified",
    "verified_hours",
    "overtime_hours",
)
"""The CSV columns: ``kind`` is visit, day (a day's total) or week (an ISO week's total)."""


@dataclass(frozen=True, slots=True)
class WorkedVisit:
    """A completed visit as the timesheet needs it."""

    visit: Visit
    worker_name: str
    patient_name: str
    verified: bool


def hours(visit: Visit) -> Decimal:
    """A visit's hours, to the hundredth."""
    begin, end = visit.effective_check_in, visit.effective_check_out
    if begin is None or end is None:
        return Decimal(0)
    return (Decimal((end - begin).total_seconds()) / 3600).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class _Total:
    key: tuple[uuid.UUID, str]
    worker_name: str
    day: date
    hours: Decimal = Decimal(0)
    verified: Decimal = Decimal(0)


def _week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


class _Sheet:
    def __init__(self, writer: ExportWriter) -> None:
        self.writer = writer
        self.day: _Total | None = None
        self.week: _Total | None = None

    def row(self, cells: list[str]) -> None:
        self.writer.write(csv_line(cells))
        self.writer.rows += 1

    def close(self, total: _Total | None, kind: str) -> None:
        if total is None:
            return
        overtime = max(Decimal(0), total.verified - OVERTIME_AFTER) if kind == "week" else None
        worker_id, _ = total.key
        day = total.day.isoformat() if kind == "day" else ""
        blank = [""] * 5  # visit_id, patient_name, service_code, start, end
        extra = str(overtime) if overtime is not None else ""
        sums = [str(total.hours), "", str(total.verified), extra]
        self.row([kind, str(worker_id), total.worker_name, day, _week(total.day), *blank, *sums])

    def add(self, worked: WorkedVisit, zone: tzinfo) -> None:
        v = worked.visit
        begin, end = v.effective_check_in, v.effective_check_out
        assert begin is not None and end is not None
        local_begin, local_end = begin.astimezone(zone), end.astimezone(zone)
        day = local_begin.date()
        day_key, week_key = (v.worker_id, day.isoformat()), (v.worker_id, _week(day))
        if self.day is None or self.day.key != day_key:
            self.close(self.day, "day")
            if self.week is None or self.week.key != week_key:
                self.close(self.week, "week")
                self.week = _Total(week_key, worked.worker_name, day)
            self.day = _Total(day_key, worked.worker_name, day)
        spent = hours(v)
        for total in (self.day, self.week):
            assert total is not None
            total.hours += spent
            total.verified += spent if worked.verified else Decimal(0)
        who = ["visit", str(v.worker_id), worked.worker_name, day.isoformat(), _week(day), str(v.id)]
        what = [worked.patient_name, v.service_code, _clock(local_begin), _clock(local_end), str(spent)]
        verified = ["yes", str(spent)] if worked.verified else ["no", "0.00"]
        self.row([*who, *what, *verified, ""])


def _clock(value: datetime) -> str:
    return value.isoformat(timespec="minutes")


def write_timesheet(visits: Iterable[WorkedVisit], out: BinaryIO, zone: tzinfo) -> Written:
    """Write the timesheet CSV (header, visit rows, day and week totals; times in ``zone``) to ``out``."""
    writer = ExportWriter(out)
    writer.write(csv_line(list(COLUMNS)))
    sheet = _Sheet(writer)
    for worked in visits:
        sheet.add(worked, zone)
    sheet.close(sheet.day, "day")
    sheet.close(sheet.week, "week")
    return writer.done()
