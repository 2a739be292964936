"""Recurring visit series and the visits they expand into (plain Python: no database, no clock).

A series says "Mon/Wed/Fri 09:00-11:00 with Ana for Walter Park, T1019, from 1 Dec to 31 Mar" in the
agency's local time. Expanding it gives one occurrence per matching day, each with a visit id derived from
the series' lineage and the date (``occurrence_id``): expanding twice, or after a restart, yields the same
ids, so re-expansion is idempotent and a visit the office changed by hand keeps its identity.

Editing "from a date on" (``split``) ends the series the day before and starts a successor with the same
``root_id``: the successor's occurrences keep the ids of the ones they replace, so a tablet sees "moved to
15:30" rather than a cancel and a new visit. ``reconcile`` compares what a series should produce with the
visits already stored and says what to create, update and cancel, leaving alone every visit the office
detached (changed or cancelled on its own) and every visit the field has begun.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from fieldapp.domain.entities import ExternalId, ServiceCode
from fieldapp.domain.language import phrase
from fieldapp.domain.values import Frozen, Memo, ShortText

# Occurrence ids live in their own UUID-5 namespace so they never collide with random (UUID-4) ids.
OCCURRENCE_NAMESPACE = uuid.UUID("5c3e2f1a-17a0-4c8e-9d7b-0f2a6c1e8b17")
SERIES_NAMESPACE = uuid.UUID("9b1d7e44-3f0c-4a57-8e21-6d4c2b9a0e63")
MAX_SERIES_DAYS = 800  # a series longer than about two years is a typing mistake, not a care plan

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _known_zone(name: str) -> str:
    zone_of(name)
    return name


TimeZoneName = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_known_zone)]


def zone_of(name: str) -> ZoneInfo:
    """The IANA zone called ``name``; ValueError in words when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            phrase("unknown time zone %(name)s (use an IANA name such as America/New_York)", name=repr(name))
        ) from None


def local_to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone``.

    A wall time skipped by a daylight-saving jump (02:30 on the spring-forward night) is read with the
    offset before the jump, as ``zoneinfo`` does for fold=0; a repeated one (autumn) means its first
    occurrence. Either way the answer is the same every time."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def wall_time_exists(day: date, at: time, zone: ZoneInfo) -> bool:
    """False for a wall time the clocks skip that day (02:30 on the spring-forward night)."""
    return local_to_utc(day, at, zone).astimezone(zone).time() == at


class Series(Frozen):
    """A recurring pattern of visits in the agency's local time."""

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    root_id: uuid.UUID | None = None  # the first series of a lineage; None means this series is the root
    external_id: ExternalId | None = None
    patient_id: uuid.UUID
    worker_id: uuid.UUID
    service_code: ServiceCode
    weekdays: Annotated[frozenset[int], Field(min_length=1)]  # 0 = Monday ... 6 = Sunday
    start_date: date
    end_date: date
    start_time: time
    end_time: time
    time_zone: TimeZoneName
    worker_notes: Memo = ""
    cancel_reason: ShortText = ""  # set when the whole series is cancelled

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if any(not 0 <= day <= 6 for day in self.weekdays):
            raise ValueError(phrase("days of the week are 0 (Monday) to 6 (Sunday)"))
        if self.end_date < self.start_date:
            raise ValueError(phrase("the series ends before it starts"))
        if (self.end_date - self.start_date).days > MAX_SERIES_DAYS:
            raise ValueError(
                phrase(
                    "a series spans at most %(days)s days; split it or end it sooner", days=MAX_SERIES_DAYS
                )
            )
        if self.end_time <= self.start_time:
            raise ValueError(phrase("a visit ends after it starts on the same day"))
        if self.start_time.tzinfo is not None or self.end_time.tzinfo is not None:
            raise ValueError(
                phrase("series times are wall-clock times in the agency's zone, without an offset")
            )
        return self

    @property
    def lineage(self) -> uuid.UUID:
        """The id shared by this series and every successor split from it."""
        return self.root_id or self.id

    @property
    def zone(self) -> ZoneInfo:
        """The agency time zone the times are read in."""
        return zone_of(self.time_zone)

    @property
    def cancelled(self) -> bool:
        """Whether the office cancelled the whole series."""
        return bool(self.cancel_reason)

    def days(self, first: date | None = None, last: date | None = None) -> list[date]:
        """The dates this series has a visit on, within ``first``..``last`` (inclusive) if given."""
        begin = max(self.start_date, first) if first else self.start_date
        end = min(self.end_date, last) if last else self.end_date
        count = (end - begin).days + 1
        candidates = (begin + timedelta(days=offset) for offset in range(max(count, 0)))
        return [day for day in candidates if day.weekday() in self.weekdays]

    def describe(self) -> str:
        """'Mon/Wed/Fri 09:00-11:00, 2026-12-01 to 2027-03-31', for lists and notices."""
        names = "/".join(WEEKDAY_NAMES[day] for day in sorted(self.weekdays))
        return (
            f"{names} {self.start_time:%H:%M}-{self.end_time:%H:%M}, "
            f"{self.start_date.isoformat()} to {self.end_date.isoformat()}"
        )


def occurrence_id(lineage: uuid.UUID, day: date) -> uuid.UUID:
    """The visit id of a series lineage's occurrence on ``day``: the same on every expansion."""
    return uuid.uuid5(OCCURRENCE_NAMESPACE, f"{lineage}/{day.isoformat()}")


def series_id_for(external_id: str) -> uuid.UUID:
    """The series id an agency's external series id maps to, so a replayed request finds the same series."""
    return uuid.uuid5(SERIES_NAMESPACE, f"series/{external_id}")


def visit_id_for(external_id: str) -> uuid.UUID:
    """The visit id an agency's external visit id maps to (stable across replays and imports)."""
    return uuid.uuid5(SERIES_NAMESPACE, f"visit/{external_id}")


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One visit a series produces: who, for whom, when (UTC), under which service code."""

    visit_id: uuid.UUID
    series_id: uuid.UUID
    day: date
    start: datetime
    end: datetime
    patient_id: uuid.UUID
    worker_id: uuid.UUID
    service_code: str
    worker_notes: str = ""


def expand(series: Series, first: date | None = None, last: date | None = None) -> list[Occurrence]:
    """The series' occurrences within ``first``..``last`` (inclusive), in date order; none if cancelled."""
    if series.cancelled:
        return []
    zone = series.zone
    return [
        Occurrence(
            visit_id=occurrence_id(series.lineage, day),
            series_id=series.id,
            day=day,
            start=local_to_utc(day, series.start_time, zone),
            end=local_to_utc(day, series.end_time, zone),
            patient_id=series.patient_id,
            worker_id=series.worker_id,
            service_code=series.service_code,
            worker_notes=series.worker_notes,
        )
        for day in series.days(first, last)
    ]


def split(series: Series, from_day: date, **changes: object) -> tuple[Series | None, Series]:
    """Edit ``series`` from ``from_day`` on: (the part before, or None if nothing remains; the successor).

    The successor gets a new id but the same lineage, so its occurrences keep the visit ids of those it
    replaces. ``changes`` are Series fields (times, weekdays, worker, end date ...); raises ValueError
    (pydantic's) when the result is not a valid series."""
    if not series.start_date <= from_day <= series.end_date:
        raise ValueError(
            phrase(
                "%(day)s is outside the series (%(series)s)",
                day=from_day.isoformat(),
                series=series.describe(),
            )
        )
    data = series.model_dump()
    successor_data = {**data, "start_date": from_day, **changes}
    successor_data.update(id=uuid.uuid4(), root_id=series.lineage, external_id=changes.get("external_id"))
    successor = Series.model_validate(successor_data)
    before_days = series.days(last=from_day - timedelta(days=1))
    if not before_days:
        return None, successor
    return Series.model_validate({**data, "end_date": before_days[-1]}), successor


@dataclass(frozen=True, slots=True)
class StoredVisit:
    """What reconciliation needs to know about a visit already stored for a series lineage."""

    visit_id: uuid.UUID
    day: date
    detached: bool  # the office changed or cancelled this one occurrence on its own
    begun: bool  # the field checked in (or later): the schedule no longer moves it
    cancelled: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """What to write so the stored visits match the series: each list in date order."""

    create: list[Occurrence] = field(default_factory=list)
    update: list[Occurrence] = field(default_factory=list)
    cancel: list[uuid.UUID] = field(default_factory=list)
    kept: list[uuid.UUID] = field(default_factory=list)  # detached or begun: left as they are

    @property
    def empty(self) -> bool:
        """True when nothing needs writing (a replay)."""
        return not (self.create or self.update or self.cancel)


def reconcile(wanted: Iterable[Occurrence], stored: Iterable[StoredVisit], first: date, last: date) -> Plan:
    """Compare a lineage's wanted occurrences in ``first``..``last`` with its stored visits there.

    New days are created and existing ones updated (the caller skips updates that change nothing);
    stored visits the series no longer wants are cancelled. Detached and begun visits are never touched."""
    plan = Plan()
    by_id: Mapping[uuid.UUID, StoredVisit] = {
        visit.visit_id: visit for visit in stored if first <= visit.day <= last
    }
    wanted_ids = set()
    for occurrence in wanted:
        wanted_ids.add(occurrence.visit_id)
        existing = by_id.get(occurrence.visit_id)
        if existing is None:
            plan.create.append(occurrence)
        elif existing.detached or existing.begun:
            plan.kept.append(existing.visit_id)
        else:
            plan.update.append(occurrence)
    for visit in sorted(by_id.values(), key=lambda item: item.day):
        if visit.visit_id in wanted_ids or visit.cancelled:
            continue
        (plan.kept if visit.detached or visit.begun else plan.cancel).append(visit.visit_id)
    return plan


SCHEDULE_FIELDS = (
    "patient_id",
    "worker_id",
    "scheduled_start",
    "scheduled_end",
    "service_code",
    "status",
    "cancel_reason",
    "worker_notes",
    "series_id",
)
"""The Visit fields the office owns and a series or an import writes (decision 0021 names the owners)."""


def schedule_values(occurrence: Occurrence) -> dict[str, object]:
    """The wire values (JSON-ready) of a visit's schedule fields as this occurrence has them."""
    return {
        "patient_id": str(occurrence.patient_id),
        "worker_id": str(occurrence.worker_id),
        "scheduled_start": occurrence.start.isoformat(),
        "scheduled_end": occurrence.end.isoformat(),
        "service_code": occurrence.service_code,
        "status": "scheduled",
        "cancel_reason": "",
        "worker_notes": occurrence.worker_notes,
        "series_id": str(occurrence.series_id),
    }
