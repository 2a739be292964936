"""Scheduling warnings (fieldapp.domain.schedule_checks): double bookings, hours, weekly limits."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from fieldapp.domain.schedule_checks import (
    HoursWindow,
    Slot,
    WarningKind,
    WorkerHours,
    check,
    describe_hours,
    double_bookings,
    overlapping_pairs,
    warnings_by_visit,
)

ZONE = ZoneInfo("America/New_York")
ANA, BEN = uuid.uuid4(), uuid.uuid4()
MONDAY = datetime(2026, 11, 30, tzinfo=ZONE)
WEEKDAYS_8_TO_4 = WorkerHours(
    windows=tuple(HoursWindow(weekday=d, start=time(8), end=time(16)) for d in range(5))
)


def slot(worker: uuid.UUID, start_hour: float, hours: float, label: str = "") -> Slot:
    start = (MONDAY + timedelta(hours=start_hour)).astimezone(UTC)
    return Slot(uuid.uuid4(), worker, start, start + timedelta(hours=hours), label)


def test_an_overlap_with_the_same_worker_is_warned_with_both_labels() -> None:
    booked = slot(ANA, 9, 2, "09:00 Park, Walter")
    candidate = slot(ANA, 10, 1, "10:00 Diaz, Rosa")
    (warning,) = double_bookings(candidate, [booked, slot(BEN, 10, 1), slot(ANA, 11, 1)])
    assert warning.kind is WarningKind.DOUBLE_BOOKED and warning.other_visit_id == booked.visit_id
    assert warning.message == "10:00 Diaz, Rosa overlaps 09:00 Park, Walter for the same worker"


def test_touching_visits_and_the_visit_itself_are_not_double_bookings() -> None:
    candidate = slot(ANA, 9, 2)
    assert double_bookings(candidate, [candidate, slot(ANA, 11, 1), slot(ANA, 7, 2)]) == []


def test_outside_hours_and_over_the_weekly_limit_are_warned() -> None:
    evening = slot(ANA, 17, 1, "17:00 Park, Walter")
    (warning,) = check(evening, [], WEEKDAYS_8_TO_4, ZONE)
    assert warning.kind is WarningKind.OUTSIDE_HOURS
    assert "outside the worker's hours (08:00-16:00)" in warning.message
    saturday = slot(ANA, 5 * 24 + 9, 1)
    assert "not working that day" in check(saturday, [], WEEKDAYS_8_TO_4, ZONE)[0].message
    assert check(slot(ANA, 8, 8), [], WEEKDAYS_8_TO_4, ZONE) == []
    assert check(evening, [], None, ZONE) == [] and check(evening, [], WorkerHours(), ZONE) == []


def test_the_weekly_limit_counts_only_that_workers_week() -> None:
    hours = WorkerHours(max_weekly_minutes=10 * 60)
    week = [slot(ANA, day * 24 + 8, 3) for day in range(3)] + [slot(BEN, 8, 8), slot(ANA, 7 * 24 + 8, 8)]
    assert check(slot(ANA, 3 * 24 + 8, 1), week, hours, ZONE) == []
    (warning,) = check(slot(ANA, 3 * 24 + 8, 2), week, hours, ZONE)
    assert warning.kind is WarningKind.OVER_WEEKLY_HOURS and "11 h" in warning.message


def test_warnings_group_by_visit_and_hours_describe_several_windows() -> None:
    split_day = WorkerHours(
        windows=(
            HoursWindow(weekday=0, start=time(13), end=time(17)),
            HoursWindow(weekday=0, start=time(7), end=time(11)),
        )
    )
    assert describe_hours(split_day, 0) == "07:00-11:00, 13:00-17:00"
    one, two = slot(ANA, 9, 2), slot(ANA, 10, 2)
    grouped = warnings_by_visit(check(one, [two], split_day, ZONE) + check(two, [one], split_day, ZONE))
    assert {visit: len(items) for visit, items in grouped.items()} == {one.visit_id: 1, two.visit_id: 2}


@given(st.lists(st.tuples(st.sampled_from([ANA, BEN]), st.integers(0, 40), st.integers(1, 8)), max_size=25))
def test_the_sweep_finds_exactly_the_pairs_a_brute_force_finds(
    spec: list[tuple[uuid.UUID, int, int]],
) -> None:
    slots = [slot(worker, start / 2, length / 2) for worker, start, length in spec]
    expected = {
        frozenset((a.visit_id, b.visit_id))
        for a, b in itertools.combinations(slots, 2)
        if a.worker_id == b.worker_id and a.overlaps(b)
    }
    found = [frozenset((a.visit_id, b.visit_id)) for a, b in overlapping_pairs(slots)]
    assert len(found) == len(set(found)) and set(found) == expected
    for candidate in slots:
        assert {w.other_visit_id for w in double_bookings(candidate, slots)} == {
            other for pair in expected if candidate.visit_id in pair for other in pair - {candidate.visit_id}
        }
