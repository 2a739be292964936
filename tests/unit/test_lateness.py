"""Late and unfinished visits (fieldapp.domain.lateness), as the office board flags them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fieldapp.domain.entities import Visit, parse
from fieldapp.domain.lateness import VisitFlag, minutes_late, visit_flags
from tests.unit import examples

START = datetime(2026, 11, 26, 9, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("visit", "minute", "flags"),
    [
        (examples.visit(), 14, []),
        (examples.visit(), 15, [VisitFlag.LATE]),
        (examples.visit(status="cancelled", cancel_reason="client in hospital"), 90, []),
        (examples.visit(status="missed"), 90, []),
        (examples.visit(status="in_progress", check_in=examples.check_in()), 74, []),
        (examples.visit(status="in_progress", check_in=examples.check_in()), 75, [VisitFlag.NO_CHECK_OUT]),
        (examples.completed_visit(), 300, []),
    ],
)
def test_flags_follow_the_grace_period(visit: dict[str, object], minute: int, flags: list[VisitFlag]) -> None:
    assert visit_flags(parse(Visit, visit), at(minute)) == flags


def test_a_shorter_grace_flags_sooner_and_minutes_late_counts_from_the_start() -> None:
    visit = parse(Visit, examples.visit())
    assert visit_flags(visit, at(10), timedelta(minutes=10)) == [VisitFlag.LATE]
    assert minutes_late(visit, at(14)) == 14 and minutes_late(visit, at(-30)) == 0
