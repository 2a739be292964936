"""The device timeline (decision 0013): server time from an uptime clock and an anchor, wall clock ignored."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldapp.domain.clock import Stamp
from fieldapp.domain.devicetime import (
    DRIFT_PPM,
    Anchor,
    AnchorKind,
    Correction,
    DeviceClock,
    DeviceTime,
    Reading,
    TimeSources,
    new_epoch,
)
from fieldapp.domain.systime import system_boot_id, system_uptime_ms

HOUR = 3_600_000
T0 = 1_800_000_000_000


@dataclass
class Clocks:
    wall: int = T0
    uptime: int = 5 * HOUR
    boot: str | None = "b1"

    def sources(self) -> TimeSources:
        return TimeSources(lambda: self.wall, lambda: self.uptime, lambda: self.boot)


def epochs() -> object:
    names = iter(f"e{n}" for n in range(100))
    return lambda: next(names)


def exact(server_ms: int = T0, uptime_ms: int = 5 * HOUR, boot: str | None = "b1", error: int = 20) -> Anchor:
    return Anchor(boot, uptime_ms, server_ms, AnchorKind.EXACT, "e-old", error)


def test_nothing_known_means_the_wall_clock_read_once_then_the_uptime_clock() -> None:
    clocks = Clocks(wall=T0 + 3 * HOUR)
    time = DeviceTime(clocks.sources(), epoch=epochs())
    assert time.anchor == Anchor("b1", 5 * HOUR, T0 + 3 * HOUR, AnchorKind.WALL, "e0", 0)
    assert time.provisional_epoch == "e0" and not time.anchor.exact
    clocks.wall -= 10 * HOUR  # the wall clock jumps back: the timeline does not
    clocks.uptime += 1500
    assert time.now_ms() == T0 + 3 * HOUR + 1500


def test_the_same_boot_goes_on_with_its_anchor_whatever_the_wall_clock_says() -> None:
    clocks = Clocks(wall=T0 - 7 * HOUR, uptime=6 * HOUR)
    time = DeviceTime(clocks.sources(), anchor=exact(), alive_ms=T0 + 10, epoch=epochs())
    assert time.anchor == exact() and time.provisional_epoch is None
    assert time.now_ms() == T0 + HOUR


def test_another_boot_resumes_from_the_last_moment_alive_counting_from_the_boot() -> None:
    clocks = Clocks(uptime=90_000, boot="b2")
    time = DeviceTime(clocks.sources(), anchor=exact(), alive_ms=T0 + HOUR, epoch=epochs())
    assert time.anchor == Anchor("b2", 0, T0 + HOUR, AnchorKind.LOWER_BOUND, "e0", 0)
    assert time.now_ms() == T0 + HOUR + 90_000 and time.provisional_epoch == "e0"


def test_the_anchor_itself_is_the_floor_when_nothing_later_was_saved() -> None:
    clocks = Clocks(uptime=1000, boot="b2")
    time = DeviceTime(clocks.sources(), anchor=exact(server_ms=T0 + 5), alive_ms=None, epoch=epochs())
    assert time.anchor.server_ms == T0 + 5 and time.anchor.kind is AnchorKind.LOWER_BOUND
    time = DeviceTime(clocks.sources(), anchor=exact(server_ms=T0 + 5), alive_ms=T0 + 1, epoch=epochs())
    assert time.anchor.server_ms == T0 + 5, "the larger of the two lower bounds"


@pytest.mark.parametrize(
    ("saved_boot", "boot", "uptime"),
    [(None, "b1", 7 * HOUR), ("b1", None, 7 * HOUR), (None, None, 7 * HOUR), ("b1", "b1", HOUR)],
    ids=["saved boot unknown", "boot unknown now", "both unknown", "uptime went backwards"],
)
def test_an_unknown_boot_counts_from_now_not_from_the_boot(
    saved_boot: str | None, boot: str | None, uptime: int
) -> None:
    clocks = Clocks(uptime=uptime, boot=boot)
    time = DeviceTime(clocks.sources(), anchor=exact(boot=saved_boot), alive_ms=T0 + HOUR, epoch=epochs())
    assert time.anchor == Anchor(boot, uptime, T0 + HOUR, AnchorKind.LOWER_BOUND, "e0", 0)
    clocks.uptime += 250
    assert time.now_ms() == T0 + HOUR + 250


def test_a_measurement_makes_a_provisional_timeline_exact_and_says_how_far_to_move() -> None:
    clocks = Clocks(uptime=60_000, boot="b2")
    time = DeviceTime(clocks.sources(), anchor=exact(), alive_ms=T0 + HOUR, epoch=epochs())
    # Off for two hours: true time is two hours past the lower bound.
    correction = time.measured(Reading(70_000, T0 - 40), Reading(70_100, T0 + 60), T0 + 3 * HOUR + 70_050)
    assert correction == Correction("e0", 2 * HOUR, AnchorKind.LOWER_BOUND)
    assert time.corrections == {"e0": correction}
    assert time.anchor == Anchor("b2", 70_050, T0 + 3 * HOUR + 70_050, AnchorKind.EXACT, "e0", 50)
    assert time.provisional_epoch is None
    assert time.offset_ms == 3 * HOUR + 70_040, "server minus the wall clock (the midpoint of both readings)"


def test_an_odd_round_trip_rounds_the_error_up() -> None:
    time = DeviceTime(Clocks().sources(), epoch=epochs())
    time.measured(Reading(100, 0), Reading(101, 0), T0)
    assert time.anchor.uptime_ms == 100 and time.anchor.error_ms == 1


def test_an_exact_timeline_keeps_its_anchor_unless_the_new_one_is_more_precise_than_the_old_aged() -> None:
    clocks = Clocks()
    time = DeviceTime(clocks.sources(), anchor=exact(error=20), epoch=epochs())
    assert time.measured(Reading(5 * HOUR + 1000, 0), Reading(5 * HOUR + 1100, 0), T0 + 1050) is None
    assert time.anchor == exact(error=20), "50 ms of error is worse than 20 ms aged one second"
    assert time.measured(Reading(5 * HOUR + 2000, 0), Reading(5 * HOUR + 2040, 0), T0 + 2021) is None
    assert time.anchor == Anchor("b1", 5 * HOUR + 2020, T0 + 2021, AnchorKind.EXACT, "e-old", 20), (
        "as precise"
    )
    later = 5 * HOUR + 2020 + 1_000_000_000 // DRIFT_PPM  # aged by 1 s of drift
    assert time.measured(Reading(later - 500, 0), Reading(later + 500, 0), T0 + 9) is None
    assert time.anchor.error_ms == 500 and time.anchor.server_ms == T0 + 9
    assert time.corrections == {}


def test_a_reading_that_goes_backwards_is_no_measurement() -> None:
    time = DeviceTime(Clocks().sources(), epoch=epochs())
    before = time.anchor
    assert time.measured(Reading(10, 0), Reading(9, 5), T0) is None
    assert time.anchor == before and time.offset_ms == 0


def test_now_never_goes_below_the_anchor() -> None:
    clocks = Clocks()
    time = DeviceTime(clocks.sources(), anchor=exact(), epoch=epochs())
    clocks.uptime -= 1000  # cannot happen in one boot; if it did, time stands still rather than go back
    assert time.now_ms() == T0


def test_the_device_clock_ticks_with_the_reading_and_epoch_needed_to_correct_it() -> None:
    clocks = Clocks(wall=T0)
    time = DeviceTime(clocks.sources(), epoch=epochs())
    clock = DeviceClock("tab1", time, last=Stamp(T0 + 10, 3, "tab1"))
    tick = clock.tick()
    assert tick.stamp == Stamp(T0 + 10, 4, "tab1") and tick.physical_ms == T0 and tick.epoch == "e0"
    time.measured(Reading(5 * HOUR, T0), Reading(5 * HOUR, T0), T0 + 500)
    clocks.uptime += 1
    tick = clock.tick()
    assert tick == type(tick)(Stamp(T0 + 501, 0, "tab1"), T0 + 501, None)


def test_the_simulated_sources_read_one_clock_in_an_unknown_boot() -> None:
    now = [T0]
    sources = TimeSources.simulated(lambda: now[0])
    assert (sources.wall_ms(), sources.uptime_ms(), sources.boot_id()) == (T0, T0, None)


def test_the_system_sources_are_the_boot_clock_and_the_boot_id() -> None:
    """Linux's (the test machines'); Windows' are read through the same functions (GetTickCount64, BootId)."""
    before = time.clock_gettime_ns(time.CLOCK_BOOTTIME) // 1_000_000
    uptime = system_uptime_ms()
    after = time.clock_gettime_ns(time.CLOCK_BOOTTIME) // 1_000_000
    assert before <= uptime <= after
    assert system_boot_id() == Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    assert TimeSources().boot_id() == system_boot_id()


def test_reading_reads_both_clocks() -> None:
    time_ = DeviceTime(Clocks(wall=T0 + 7, uptime=42).sources(), epoch=epochs())
    assert time_.reading() == Reading(42, T0 + 7)


def test_epochs_are_fresh_twelve_hex_digit_names() -> None:
    names = {new_epoch() for _ in range(50)}
    assert len(names) == 50 and all(len(n) == 12 and int(n, 16) >= 0 for n in names)


def test_one_millisecond_alive_is_already_a_lower_bound() -> None:
    clocks = Clocks(uptime=10, boot="b2")
    time_ = DeviceTime(clocks.sources(), anchor=None, alive_ms=1, epoch=epochs())
    assert time_.anchor.kind is AnchorKind.LOWER_BOUND and time_.anchor.server_ms == 1


def test_the_offset_rounds_the_wall_midpoint_down() -> None:
    time_ = DeviceTime(Clocks().sources(), epoch=epochs())
    time_.measured(Reading(0, T0), Reading(2, T0 + 1), T0 + 100)
    assert time_.offset_ms == 100 and isinstance(time_.offset_ms, int)


def test_an_anchor_ages_by_exactly_its_drift_allowance() -> None:
    """Aged 10,000 s at 100 ppm, an anchor of 20 ms error counts as 1,020 ms: one as good replaces it."""
    elapsed = 10_000_000
    time_ = DeviceTime(Clocks().sources(), anchor=exact(error=20), epoch=epochs())
    middle = 5 * HOUR + elapsed
    time_.measured(Reading(middle - 1021, 0), Reading(middle + 1021, 0), T0 + 77)
    assert time_.anchor == exact(error=20), "1,021 ms is worse"
    time_.measured(Reading(middle - 1019, 0), Reading(middle + 1020, 0), T0 + 77)
    assert time_.anchor.server_ms == T0 + 77 and time_.anchor.error_ms == 1020
