"""The scheduling API's bodies and answers (docs/scheduling.md): visits and series by the agency's ids.

Times are wall-clock times in the agency's time zone, as in the schedule CSV: a day, a start and an end.
Workers are named by user name, patients by MRN, so an agency's own system needs none of our ids.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fieldapp.domain.entities import Mrn, ServiceCode
from fieldapp.domain.values import Memo, ShortText
from fieldapp.server.scheduling.visits import Outcome

WallTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
UserName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Day = date  # a field named ``date`` hides the type inside a model
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Body(BaseModel):
    """Strict request bodies: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class VisitIn(Body):
    """A visit as the agency's system schedules it."""

    worker: UserName
    patient_mrn: Mrn
    date: date
    start: WallTime
    end: WallTime
    service_code: ServiceCode
    worker_notes: Memo = ""


class CancelIn(Body):
    """Why a visit (or a series from a day on) is cancelled."""

    reason: Reason
    effective_from: date | None = None  # series only: the first day cancelled (default: today)


class ReasonIn(Body):
    """Why one occurrence of a series is cancelled."""

    reason: Reason


class OccurrenceIn(Body):
    """One occurrence of a series changed on its own (it then leaves the series' later edits alone)."""

    worker: UserName
    date: Day | None = None  # another day to move it to (default: the occurrence's own day)
    start: WallTime
    end: WallTime
    service_code: ServiceCode
    worker_notes: Memo | None = None  # None: keep the notes it has


class SeriesIn(Body):
    """A recurring pattern: days of the week, dates, times, worker, patient, service."""

    worker: UserName
    patient_mrn: Mrn
    weekdays: Annotated[list[Weekday], Field(min_length=1, max_length=7)]
    start_date: date
    end_date: date
    start: WallTime
    end: WallTime
    service_code: ServiceCode
    worker_notes: Memo = ""
    # For a series that exists: the first day the new pattern applies (default: today, or its start).
    effective_from: date | None = None


class WarningOut(BaseModel):
    """Something the scheduler should look at (the change was saved)."""

    kind: str
    message: str


class VisitOut(BaseModel):
    """What a visit request did."""

    external_id: str
    visit_id: uuid.UUID
    outcome: Outcome
    joined_caseload: bool = False
    warnings: list[WarningOut] = []


class VisitView(BaseModel):
    """A visit as the schedule holds it."""

    external_id: str
    visit_id: uuid.UUID
    worker_id: uuid.UUID
    patient_id: uuid.UUID
    scheduled_start: datetime
    scheduled_end: datetime
    service_code: str
    status: str
    cancel_reason: ShortText
    worker_notes: str
    series_id: uuid.UUID | None


class SeriesOut(BaseModel):
    """What a series request did: the series in force and how many of its visits changed."""

    external_id: str
    series_id: uuid.UUID
    created: int
    updated: int
    unchanged: int
    cancelled: int
    kept: int  # changed on their own or already recorded by the worker: left as they are


class ImportOut(BaseModel):
    """What an import found and did (``applied`` is false after a dry run or a refusal)."""

    applied: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    cancelled: int
    joined_caseloads: int
    problems: list[str]
    warnings: list[str]


HoursText = Annotated[str, StringConstraints(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]


class HoursWindowIn(Body):
    """One window a worker is available: a day of the week, a start and an end ("24:00": midnight)."""

    day: Weekday
    start: WallTime
    end: HoursText


class HoursIn(Body):
    """A worker's weekly hours: windows (none: no hours warnings) and a weekly limit in hours (or none)."""

    windows: Annotated[list[HoursWindowIn], Field(max_length=7 * 24)] = []
    max_weekly_hours: Annotated[float, Field(gt=0, le=168)] | None = None


class HoursOut(BaseModel):
    """A worker's weekly hours as stored, and what the request did (``unchanged`` for a replay)."""

    worker: str
    windows: list[HoursWindowIn]
    max_weekly_hours: float | None
    outcome: Literal["updated", "unchanged"] | None = None


def weekday_numbers(days: list[Weekday]) -> frozenset[int]:
    """["mon", "wed"] -> {0, 2}."""
    return frozenset(WEEKDAYS.index(day) for day in days)
