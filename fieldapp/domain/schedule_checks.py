"""Warnings a scheduler sees before saving: double bookings and visits outside a worker's hours.

Pure functions over time slots (UTC instants) and a worker's weekly hours (wall-clock windows in the
agency's zone). They warn, they do not refuse: the office decides (a double booking may be a planned
hand-over); the API and the import refuse overlaps inside one request or file, where nobody is asked.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Self
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator

from fieldapp.domain.language import Day, phrase
from fieldapp.domain.values import Frozen


@dataclass(frozen=True, slots=True)
class Slot:
    """A worker's booked interval [start, end) in UTC, with a label for messages ("09:00 Park, Walter")."""

    visit_id: uuid.UUID
    worker_id: uuid.UUID
    start: datetime
    end: datetime
    label: str = ""

    def overlaps(self, other: Slot) -> bool:
        """Whether the two share any time (touching ends do not overlap)."""
        return self.start < other.end and other.start < self.end


class WarningKind(StrEnum):
    """What a warning is about."""

    DOUBLE_BOOKED = "double_booked"
    OUTSIDE_HOURS = "outside_hours"
    OVER_WEEKLY_HOURS = "over_weekly_hours"


@dataclass(frozen=True, slots=True)
class ScheduleWarning:
    """One thing the scheduler should look at before saving, in words."""

    kind: WarningKind
    visit_id: uuid.UUID
    message: str
    other_visit_id: uuid.UUID | None = None


class HoursWindow(Frozen):
    """One wall-clock window a worker is available on a day of the week (0 = Monday)."""

    weekday: Annotated[int, Field(ge=0, le=6)]
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError(phrase("working hours end after they start"))
        return self


class WorkerHours(Frozen):
    """A worker's weekly availability and, optionally, the most minutes a week they take."""

    windows: tuple[HoursWindow, ...] = ()
    max_weekly_minutes: Annotated[int, Field(gt=0, le=7 * 24 * 60)] | None = None

    def covers(self, start: datetime, end: datetime, zone: ZoneInfo) -> bool:
        """Whether [start, end) lies inside one window of its local day (no windows: always available)."""
        if not self.windows:
            return True
        local_start, local_end = start.astimezone(zone), end.astimezone(zone)
        if local_end.date() != local_start.date() and local_end.time() != time(0):
            return False
        end_time = time.max if local_end.time() == time(0) else local_end.time()
        return any(
            window.weekday == local_start.weekday()
            and window.start <= local_start.time()
            and end_time <= window.end
            for window in self.windows
        )


def double_bookings(candidate: Slot, booked: Iterable[Slot]) -> list[ScheduleWarning]:
    """A warning for each booked slot of the same worker the candidate overlaps (itself excluded)."""
    return [
        ScheduleWarning(
            WarningKind.DOUBLE_BOOKED,
            candidate.visit_id,
            phrase(
                "%(visit)s overlaps %(other)s for the same worker",
                visit=candidate.label or phrase("this visit"),
                other=other.label or phrase("another visit"),
            ),
            other.visit_id,
        )
        for other in sorted(booked, key=lambda slot: slot.start)
        if other.worker_id == candidate.worker_id
        and other.visit_id != candidate.visit_id
        and candidate.overlaps(other)
    ]


def overlapping_pairs(slots: Sequence[Slot]) -> list[tuple[Slot, Slot]]:
    """Every pair of overlapping slots of one worker, each pair once, in start order (sort and sweep)."""
    by_worker: dict[uuid.UUID, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_worker[slot.worker_id].append(slot)
    pairs: list[tuple[Slot, Slot]] = []
    for worker_slots in by_worker.values():
        worker_slots.sort(key=lambda slot: (slot.start, slot.end))
        open_slots: list[Slot] = []
        for slot in worker_slots:
            open_slots = [other for other in open_slots if other.end > slot.start]
            pairs.extend((other, slot) for other in open_slots)
            open_slots.append(slot)
    return pairs


def outside_hours(candidate: Slot, hours: WorkerHours | None, zone: ZoneInfo) -> list[ScheduleWarning]:
    """A warning when the candidate falls outside the worker's available windows."""
    if hours is None or hours.covers(candidate.start, candidate.end, zone):
        return []
    local = candidate.start.astimezone(zone)
    return [
        ScheduleWarning(
            WarningKind.OUTSIDE_HOURS,
            candidate.visit_id,
            phrase(
                "%(visit)s on %(day)s is outside the worker's hours (%(hours)s)",
                visit=candidate.label or phrase("this visit"),
                day=Day(local.date()),
                hours=describe_hours(hours, local.weekday()),
            ),
        )
    ]


def over_weekly_hours(
    candidate: Slot, booked: Iterable[Slot], hours: WorkerHours | None, zone: ZoneInfo
) -> list[ScheduleWarning]:
    """A warning when the candidate takes the worker past their weekly minutes (Monday-Sunday, local)."""
    if hours is None or hours.max_weekly_minutes is None:
        return []
    monday = week_start(candidate.start.astimezone(zone).date())
    minutes = _minutes(candidate)
    for slot in booked:
        if (
            slot.worker_id == candidate.worker_id
            and slot.visit_id != candidate.visit_id
            and week_start(slot.start.astimezone(zone).date()) == monday
        ):
            minutes += _minutes(slot)
    if minutes <= hours.max_weekly_minutes:
        return []
    return [
        ScheduleWarning(
            WarningKind.OVER_WEEKLY_HOURS,
            candidate.visit_id,
            phrase(
                "the week of %(monday)s would have %(hours)s h for this worker (at most %(most)s h)",
                monday=monday.isoformat(),
                hours=f"{minutes / 60:g}",
                most=f"{hours.max_weekly_minutes / 60:g}",
            ),
        )
    ]


def check(
    candidate: Slot, booked: Iterable[Slot], hours: WorkerHours | None, zone: ZoneInfo
) -> list[ScheduleWarning]:
    """All warnings for saving ``candidate`` beside ``booked`` (the worker's other live visits)."""
    others = list(booked)
    return (
        double_bookings(candidate, others)
        + outside_hours(candidate, hours, zone)
        + over_weekly_hours(candidate, others, hours, zone)
    )


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def describe_hours(hours: WorkerHours, weekday: int) -> str:
    """'08:00-16:00' for the windows of one weekday, or 'not working that day'."""
    windows = sorted((w.start, w.end) for w in hours.windows if w.weekday == weekday)
    if not windows:
        return phrase("not working that day")
    return ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in windows)


def _minutes(slot: Slot) -> float:
    return (slot.end - slot.start).total_seconds() / 60


def warnings_by_visit(warnings: Iterable[ScheduleWarning]) -> Mapping[uuid.UUID, list[ScheduleWarning]]:
    """The warnings grouped by the visit they are about."""
    grouped: dict[uuid.UUID, list[ScheduleWarning]] = defaultdict(list)
    for warning in warnings:
        grouped[warning.visit_id].append(warning)
    return grouped
