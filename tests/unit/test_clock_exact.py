"""Exact results of the hybrid logical clock (fieldapp.domain.clock): each branch of ``observe``, the error
messages, and the rounding of the offset measurement. test_clock.py states the properties; these pin the
values, so that a changed constant or a flipped sign cannot hide behind a property that still holds.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.domain.clock import (
    MAX_COUNTER,
    MAX_WALL,
    HybridClock,
    Stamp,
    measure_offset,
    system_ms,
)
from fieldapp.domain.errors import ClockDriftError
from tests.unit.test_clock import FakePhysical

NODE_RULE = "node id must be 1-32 characters of [0-9a-z]: "


def clock_at(reading: int, last: Stamp | None = None, **kwargs: int) -> HybridClock:
    return HybridClock("me", physical_ms=FakePhysical(reading), last=last, **kwargs)


# --- observe: which of the three clocks sets the wall time -------------------------------------------------


def test_observe_when_physical_time_is_ahead_of_both_resets_the_counter():
    clock = clock_at(200, last=Stamp(100, 5, "me"))
    assert clock.observe(Stamp(150, 7, "other")) == Stamp(200, 0, "me")
    assert clock.last == Stamp(200, 0, "me")


def test_observe_when_the_remote_stamp_is_ahead_continues_its_counter():
    clock = clock_at(100, last=Stamp(120, 9, "me"))
    assert clock.observe(Stamp(150, 3, "other")) == Stamp(150, 4, "me")


def test_observe_when_the_local_clock_is_ahead_counts_on_from_its_own_counter():
    clock = clock_at(100, last=Stamp(150, 3, "me"))
    assert clock.observe(Stamp(120, 9, "other")) == Stamp(150, 4, "me")


@pytest.mark.parametrize(("local", "remote", "expected"), [(3, 9, 10), (9, 3, 10), (4, 4, 5)])
def test_observe_of_the_same_wall_time_counts_on_from_the_larger_counter(local, remote, expected):
    clock = clock_at(100, last=Stamp(150, local, "me"))
    assert clock.observe(Stamp(150, remote, "other")) == Stamp(150, expected, "me")


def test_observe_when_physical_time_ties_with_one_clock_counts_on_from_that_one():
    assert clock_at(150, last=Stamp(150, 3, "me")).observe(Stamp(120, 9, "x")) == Stamp(150, 4, "me")
    assert clock_at(150, last=Stamp(120, 3, "me")).observe(Stamp(150, 9, "x")) == Stamp(150, 10, "me")


def test_observe_uses_the_corrected_physical_time():
    # Device clock 100, offset +100: corrected 200 is ahead of both stamps.
    clock = clock_at(100, last=Stamp(150, 5, "me"), offset_ms=100)
    assert clock.observe(Stamp(180, 2, "other")) == Stamp(200, 0, "me")


@given(
    last_wall=st.integers(0, 10_000),
    last_counter=st.integers(0, MAX_COUNTER - 1),
    remote_wall=st.integers(0, 10_000),
    remote_counter=st.integers(0, MAX_COUNTER - 1),
    reading=st.integers(0, 10_000),
)
def test_observe_follows_the_hybrid_logical_clock_rule(
    last_wall, last_counter, remote_wall, remote_counter, reading
):
    # Kulkarni et al.'s receive rule, written out independently of the implementation.
    clock = clock_at(reading, last=Stamp(last_wall, last_counter, "me"))
    wall = max(last_wall, remote_wall, reading)
    if wall == last_wall == remote_wall:
        counter = max(last_counter, remote_counter) + 1
    elif wall == last_wall:
        counter = last_counter + 1
    elif wall == remote_wall:
        counter = remote_counter + 1
    else:
        counter = 0
    assert clock.observe(Stamp(remote_wall, remote_counter, "other")) == Stamp(wall, counter, "me")


# --- now, last, offset, physical ---------------------------------------------------------------------------


def test_now_takes_physical_time_with_counter_zero_or_counts_on():
    physical = FakePhysical(100)
    clock = HybridClock("me", physical_ms=physical)
    assert clock.last == Stamp(0, 0, "me")
    assert clock.now() == Stamp(100, 0, "me")
    assert clock.now() == Stamp(100, 1, "me")
    physical.ms = 99
    assert clock.now() == Stamp(100, 2, "me")
    physical.ms = 101
    assert clock.now() == Stamp(101, 0, "me")


def test_a_clock_resumes_from_its_last_stamp():
    clock = clock_at(100, last=Stamp(500, 7, "other"))
    assert clock.last == Stamp(500, 7, "me")
    assert clock.now() == Stamp(500, 8, "me")


def test_the_offset_is_kept_as_a_whole_number_and_corrects_physical_time():
    clock = clock_at(1_000, offset_ms=250)
    assert (clock.offset_ms, clock.physical(), clock.device_ms()) == (250, 1_250, 1_000)
    clock.offset_ms = -400.0
    assert clock.offset_ms == -400
    assert type(clock.offset_ms) is int
    assert (clock.physical(), clock.device_ms()) == (600, 1_000)


@pytest.mark.parametrize(("reading", "offset", "physical"), [(5, -5, 0), (5, -6, 0), (5, -4, 1), (0, 0, 0)])
def test_physical_time_is_clamped_at_zero(reading, offset, physical):
    assert clock_at(reading, offset_ms=offset).physical() == physical


def test_system_ms_is_the_wall_clock_in_whole_milliseconds():
    before = time.time_ns() // 1_000_000
    reading = system_ms()
    after = time.time_ns() // 1_000_000
    assert type(reading) is int
    assert before <= reading <= after
    assert HybridClock("me").device_ms() >= reading


# --- counter overflow --------------------------------------------------------------------------------------


def test_now_at_the_counters_end_moves_one_millisecond_ahead():
    clock = clock_at(100, last=Stamp(100, MAX_COUNTER - 1, "me"))
    assert clock.now() == Stamp(100, MAX_COUNTER, "me")
    assert clock.now() == Stamp(101, 0, "me")
    assert clock.now() == Stamp(101, 1, "me")


def test_observe_at_the_counters_end_moves_one_millisecond_ahead():
    assert clock_at(0, last=Stamp(100, MAX_COUNTER, "me")).observe(Stamp(90, 0, "x")) == Stamp(101, 0, "me")
    assert clock_at(0, last=Stamp(90, 0, "me")).observe(Stamp(100, MAX_COUNTER, "x")) == Stamp(101, 0, "me")


# --- measure_offset ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "received", "server", "offset"),
    [
        (1_000, 1_200, 5_100, 4_000),
        (1_000, 1_201, 5_100, 4_000),  # midpoint 1100.5 rounds down
        (1_000, 1_203, 5_100, 3_999),  # midpoint 1101.5 rounds down
        (0, 1, 0, 0),
        (0, 1, 1, 1),
        (-3, 0, 0, 2),  # a negative midpoint (-1.5) rounds down too, to -2
        (2_000, 2_000, 1_000, -1_000),
    ],
)
def test_measure_offset_rounds_the_midpoint_down_to_a_whole_millisecond(sent, received, server, offset):
    measured = measure_offset(sent, received, server)
    assert measured == offset
    assert type(measured) is int


# --- error messages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wall", "counter", "node", "message"),
    [
        (-1, 0, "a", "wall time out of range: -1"),
        (MAX_WALL + 1, 0, "a", f"wall time out of range: {MAX_WALL + 1}"),
        (0, -1, "a", "counter out of range: -1"),
        (0, MAX_COUNTER + 1, "a", "counter out of range: 65536"),
        (0, 0, "", NODE_RULE + "''"),
        (0, 0, "Tab1", NODE_RULE + "'Tab1'"),
        (0, 0, "node\n", NODE_RULE + "'node\\n'"),
    ],
)
def test_a_bad_stamp_says_which_part_is_wrong(wall, counter, node, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Stamp(wall, counter, node)


@pytest.mark.parametrize("text", ["", "abc", "0000000000010000node\n", "00000000000A0000node"])
def test_a_bad_encoding_is_quoted_in_the_error(text):
    with pytest.raises(ValueError, match=f"^{re.escape(f'not a clock stamp: {text!r}')}$"):
        Stamp.decode(text)


@pytest.mark.parametrize("node", ["", "Tablet", "tab 1"])
def test_a_clock_with_a_bad_node_id_says_so(node):
    with pytest.raises(ValueError, match=f"^{re.escape(NODE_RULE + repr(node))}$"):
        HybridClock(node)


def test_the_drift_error_says_how_far_ahead_of_the_corrected_clock_the_stamp_is():
    # Device clock 10 000 with offset -2 000: this clock reads 8 000; the stamp at 9 500 is 1 500 ahead.
    clock = clock_at(10_000, offset_ms=-2_000, max_drift_ms=1_000)
    with pytest.raises(ClockDriftError) as raised:
        clock.observe(Stamp(9_500, 3, "tab7"))
    assert (
        str(raised.value) == "stamp from node tab7 is 1500 ms ahead of this clock (at most 1000 ms allowed)"
    )


@given(
    reading=st.integers(0, 10**6),
    offset=st.integers(-(10**5), 10**5),
    max_drift=st.integers(0, 10**5),
    beyond=st.integers(1, 10**6),
)
def test_the_drift_error_reports_the_positive_distance_ahead(reading, offset, max_drift, beyond):
    clock = clock_at(reading, offset_ms=offset, max_drift_ms=max_drift)
    ahead = max_drift + beyond
    with pytest.raises(ClockDriftError) as raised:
        clock.observe(Stamp(clock.physical() + ahead, 0, "far"))
    assert str(raised.value) == (
        f"stamp from node far is {ahead} ms ahead of this clock (at most {max_drift} ms allowed)"
    )
