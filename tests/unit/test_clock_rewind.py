"""HybridClock.rewind: setting a clock that ran ahead back to a floor (fieldapp.domain.clock).

Kept apart from test_clock.py and test_clock_exact.py because the re-stamping after a clock_ahead refusal
(issue 13) may change or replace ``rewind``.
"""

from __future__ import annotations

import pytest

from fieldapp.domain.clock import HybridClock, Stamp
from tests.unit.test_clock import FakePhysical


def clock_at(reading: int, last: Stamp) -> HybridClock:
    return HybridClock("me", physical_ms=FakePhysical(reading), last=last)


def test_rewind_sets_a_clock_that_ran_ahead_back_to_the_floor():
    clock = clock_at(1_000, last=Stamp(5_000, 3, "me"))
    clock.rewind(Stamp(2_000, 7, "server"))
    # The floor's wall time and counter, under this clock's own node id.
    assert clock.last == Stamp(2_000, 7, "me")
    assert clock.now() == Stamp(2_000, 8, "me")


@pytest.mark.parametrize(
    "floor",
    [
        Stamp(2_000, 4, "server"),  # the same wall time, a lower counter
        Stamp(1_999, 9, "server"),  # an earlier wall time, a higher counter
    ],
)
def test_rewind_compares_wall_time_first_then_the_counter(floor):
    clock = clock_at(0, last=Stamp(2_000, 5, "me"))
    clock.rewind(floor)
    assert clock.last == Stamp(floor.wall_ms, floor.counter, "me")


@pytest.mark.parametrize(
    "floor",
    [
        Stamp(2_000, 5, "server"),  # level with the clock
        Stamp(2_000, 6, "server"),
        Stamp(2_001, 0, "server"),
        Stamp(9_000, 0, "a"),
    ],
)
def test_rewind_never_moves_a_clock_forward(floor):
    clock = clock_at(0, last=Stamp(2_000, 5, "me"))
    clock.rewind(floor)
    assert clock.last == Stamp(2_000, 5, "me")
    assert clock.now() == Stamp(2_000, 6, "me")


def test_after_a_rewind_physical_time_takes_over_again():
    physical = FakePhysical(1_000)
    clock = HybridClock("me", physical_ms=physical, last=Stamp(5_000, 0, "me"))
    clock.rewind(Stamp(1_500, 0, "server"))
    physical.ms = 1_600
    assert clock.now() == Stamp(1_600, 0, "me")
