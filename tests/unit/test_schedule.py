"""Recurring series (fieldapp.domain.schedule): expansion, stable ids, edits from a date on, reconcile."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from fieldapp.domain.entities import Visit, parse
from fieldapp.domain.schedule import (
    Occurrence,
    Series,
    StoredVisit,
    expand,
    local_to_utc,
    occurrence_id,
    reconcile,
    schedule_values,
    series_id_for,
    split,
    visit_id_for,
    zone_of,
)

NEW_YORK = "America/New_York"
PATIENT, WORKER, OTHER_WORKER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def series(**changes: object) -> Series:
    values: dict[str, object] = {
        "patient_id": PATIENT,
        "worker_id": WORKER,
        "service_code": "t1019",
        "weekdays": frozenset({0, 2, 4}),
        "start_date": date(2026, 11, 30),
        "end_date": date(2026, 12, 13),
        "start_time": time(9),
        "end_time": time(11),
        "time_zone": NEW_YORK,
    }
    return Series.model_validate(values | changes)


def stored(occurrence: Occurrence, *, detached: bool = False, begun: bool = False) -> StoredVisit:
    return StoredVisit(occurrence.visit_id, occurrence.day, detached, begun, cancelled=False)


# --- series and expansion ---------------------------------------------------------------------------------


def test_mon_wed_fri_for_two_weeks_gives_six_visits_at_local_nine() -> None:
    visits = expand(series())
    assert [visit.day.isoformat() for visit in visits] == [
        "2026-11-30", "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11",
    ]  # fmt: skip
    assert visits[0].start == datetime(2026, 11, 30, 14, tzinfo=UTC)  # 09:00 EST
    assert visits[0].end == datetime(2026, 11, 30, 16, tzinfo=UTC)
    assert {visit.service_code for visit in visits} == {"T1019"}


def test_window_limits_expansion_and_a_cancelled_series_expands_to_nothing() -> None:
    visits = expand(series(), date(2026, 12, 3), date(2026, 12, 7))
    assert [visit.day for visit in visits] == [date(2026, 12, 4), date(2026, 12, 7)]
    assert expand(series(cancel_reason="client moved to another agency")) == []


def test_local_times_follow_daylight_saving() -> None:
    summer = series(start_date=date(2026, 10, 26), end_date=date(2026, 11, 6), weekdays=frozenset({0}))
    october, november = expand(summer)
    assert october.start.hour == 13 and november.start.hour == 14  # EDT then EST, both 09:00 local


def test_a_skipped_wall_time_reads_the_same_every_time() -> None:
    zone = zone_of(NEW_YORK)
    first = local_to_utc(date(2027, 3, 14), time(2, 30), zone)
    assert first == local_to_utc(date(2027, 3, 14), time(2, 30), zone)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"end_date": date(2026, 11, 1)}, "ends before it starts"),
        ({"end_time": time(9)}, "ends after it starts"),
        ({"weekdays": frozenset({7})}, r"0 \(Monday\) to 6"),
        ({"weekdays": frozenset()}, "at least 1"),
        ({"time_zone": "Mars/Olympus"}, "unknown time zone"),
        ({"end_date": date(2029, 3, 1)}, "at most 800 days"),
        ({"service_code": "T-1019"}, "pattern"),
    ],
)
def test_bad_series_are_refused_in_words(changes: dict[str, object], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        series(**changes)


def test_describe_names_days_times_and_dates() -> None:
    assert series().describe() == "Mon/Wed/Fri 09:00-11:00, 2026-11-30 to 2026-12-13"


def test_external_ids_map_to_stable_distinct_ids() -> None:
    assert visit_id_for("V-1") == visit_id_for("V-1") != visit_id_for("V-2")
    assert series_id_for("V-1") != visit_id_for("V-1")


# --- one occurrence, and from a date on -------------------------------------------------------------------


def test_split_keeps_the_past_and_moves_the_rest_with_the_same_visit_ids() -> None:
    original = series()
    before, after = split(original, date(2026, 12, 7), start_time=time(14), end_time=time(15, 30))
    assert before is not None and before.end_date == date(2026, 12, 4)
    assert after.start_date == date(2026, 12, 7) and after.root_id == original.id != after.id
    old = {visit.day: visit for visit in expand(original)}
    for visit in expand(after):
        assert visit.visit_id == old[visit.day].visit_id
        assert visit.start.astimezone(zone_of(NEW_YORK)).time() == time(14)
    assert [v.visit_id for v in expand(before)] == [old[day].visit_id for day in sorted(old)[:3]]


def test_split_on_the_first_day_leaves_no_earlier_part_and_outside_dates_are_refused() -> None:
    before, after = split(series(), date(2026, 11, 30), worker_id=OTHER_WORKER)
    assert before is None and after.worker_id == OTHER_WORKER
    with pytest.raises(ValueError, match="outside the series"):
        split(series(), date(2027, 1, 4))


def test_reconcile_creates_then_replays_as_updates_that_the_caller_finds_unchanged() -> None:
    wanted = expand(series())
    first = reconcile(wanted, [], date(2026, 11, 30), date(2026, 12, 13))
    assert first.create == wanted and not first.update and not first.cancel
    replay = reconcile(wanted, [stored(v) for v in wanted], date(2026, 11, 30), date(2026, 12, 13))
    assert replay.update == wanted and not replay.create and not replay.cancel


def test_reconcile_leaves_a_changed_occurrence_and_a_begun_visit_alone() -> None:
    wanted = expand(series())
    moved, begun = wanted[1], wanted[2]
    visits = [stored(v, detached=v is moved, begun=v is begun) for v in wanted]
    plan = reconcile(wanted, visits, date(2026, 11, 30), date(2026, 12, 13))
    assert plan.kept == [moved.visit_id, begun.visit_id]
    assert moved not in plan.update and begun not in plan.update


def test_dropping_a_weekday_cancels_only_its_future_untouched_visits() -> None:
    original = series()
    _, after = split(original, date(2026, 12, 7), weekdays=frozenset({0, 4}))
    old = expand(original)
    wednesday = next(v for v in old if v.day == date(2026, 12, 9))
    visits = [stored(v) for v in old if v.day >= date(2026, 12, 7)]
    plan = reconcile(expand(after), visits, date(2026, 12, 7), date(2026, 12, 13))
    assert plan.cancel == [wednesday.visit_id]
    stopped = reconcile([], [stored(wednesday, begun=True)], date(2026, 12, 7), date(2026, 12, 13))
    assert stopped.cancel == [] and stopped.kept == [wednesday.visit_id]


# --- properties -------------------------------------------------------------------------------------------

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
weekdays = st.frozensets(st.integers(0, 6), min_size=1)
zones = st.sampled_from([NEW_YORK, "America/Los_Angeles", "Europe/Madrid", "UTC", "Pacific/Auckland"])
minutes = st.integers(0, 23 * 60 - 1)


@st.composite
def any_series(draw: st.DrawFn) -> Series:
    start_date = draw(days)
    start = draw(minutes)
    length = draw(st.integers(15, 24 * 60 - 1 - start))
    return series(
        weekdays=draw(weekdays),
        start_date=start_date,
        end_date=start_date + timedelta(days=draw(st.integers(0, 120))),
        start_time=time(start // 60, start % 60),
        end_time=time((start + length) // 60, (start + length) % 60),
        time_zone=draw(zones),
    )


@given(any_series())
def test_expansion_is_deterministic_and_stays_inside_the_pattern(item: Series) -> None:
    visits = expand(item)
    assert visits == expand(item) == expand(Series.model_validate(item.model_dump()))
    assert len({visit.visit_id for visit in visits}) == len(visits)
    for visit in visits:
        assert visit.day.weekday() in item.weekdays
        assert item.start_date <= visit.day <= item.end_date
        assert visit.visit_id == occurrence_id(item.id, visit.day)
        assert visit.end > visit.start or visit.end == visit.start  # a DST gap can shorten, never invert


@given(any_series(), st.integers(0, 120), st.integers(0, 23))
def test_split_then_expand_covers_the_same_days_with_the_same_ids(
    item: Series, offset: int, hour: int
) -> None:
    day = min(item.start_date + timedelta(days=offset), item.end_date)
    before, after = split(item, day, start_time=time(hour), end_time=time(hour, 59))
    pieces = (expand(before) if before else []) + expand(after)
    assert [(v.day, v.visit_id) for v in pieces] == [(v.day, v.visit_id) for v in expand(item)]


@given(any_series(), st.sets(st.integers(0, 60)))
def test_reconcile_is_idempotent_and_never_touches_kept_visits(item: Series, detached_at: set[int]) -> None:
    wanted = expand(item)
    visits = [stored(v, detached=i in detached_at) for i, v in enumerate(wanted)]
    plan = reconcile(wanted, visits, item.start_date, item.end_date)
    assert not plan.create and not plan.cancel
    assert {v.visit_id for v in plan.update}.isdisjoint(plan.kept)
    assert len(plan.update) + len(plan.kept) == len(wanted)


def test_schedule_values_make_a_valid_visit_in_its_series() -> None:
    occurrence = expand(series(worker_notes="Key under the mat"))[0]
    visit = parse(Visit, {"id": str(occurrence.visit_id), **schedule_values(occurrence)})
    assert (visit.series_id, visit.scheduled_start, visit.worker_notes) == (
        occurrence.series_id,
        occurrence.start,
        "Key under the mat",
    )
