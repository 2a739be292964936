"""Properties of the hybrid logical clock (fieldapp.domain.clock)."""

from __future__ import annotations

import itertools
import string
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain.clock import MAX_COUNTER, MAX_WALL, HybridClock, Stamp, measure_offset
from fieldapp.domain.errors import ClockDriftError

NODE_ALPHABET = string.digits + string.ascii_lowercase


class FakePhysical:
    """A settable device clock: the test decides what every reading returns."""

    def __init__(self, ms: int = 0) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


# --- strategies --------------------------------------------------------------------------------------------

node_ids = st.text(NODE_ALPHABET, min_size=1, max_size=32)
small_nodes = st.sampled_from(["a", "b", "c", "tab1", "server"])
# Physical readings in a small range, so that a list of them jumps backwards and repeats readings often.
readings = st.integers(min_value=0, max_value=2_000)
counters = st.one_of(st.integers(0, 3), st.integers(MAX_COUNTER - 3, MAX_COUNTER))
remote_stamps = st.builds(Stamp, wall_ms=st.integers(0, 2_500), counter=counters, node=small_nodes)
any_stamps = st.builds(
    Stamp,
    wall_ms=st.one_of(st.integers(0, 3), st.integers(0, MAX_WALL)),
    counter=st.one_of(st.integers(0, 3), st.integers(0, MAX_COUNTER)),
    node=st.one_of(small_nodes, node_ids),
)

# One step of a clock's life: a local event, or a received stamp, each at some device-clock reading.
local_events = st.tuples(st.just("now"), readings, st.none())
received = st.tuples(st.just("observe"), readings, remote_stamps)
histories = st.lists(st.one_of(local_events, received), max_size=40)


def run(
    clock: HybridClock, physical: FakePhysical, history: list[tuple[str, int, Stamp | None]]
) -> list[Stamp]:
    """Play a history against a clock; returns the stamp each step produced."""
    stamps = []
    for op, reading, remote in history:
        physical.ms = reading
        if op == "now":
            stamps.append(clock.now())
        else:
            assert remote is not None
            stamps.append(clock.observe(remote))
    return stamps


# --- monotonicity and causality ----------------------------------------------------------------------------


@settings(deadline=None)
@given(history=histories, node=small_nodes)
def test_stamps_strictly_increase_whatever_the_physical_clock_does(history, node):
    physical = FakePhysical()
    clock = HybridClock(node, physical_ms=physical)
    previous = clock.last
    for stamp in run(clock, physical, history):
        assert stamp > previous
        assert stamp.node == node
        previous = stamp
    assert clock.last == previous


@settings(deadline=None)
@given(
    history=histories, reading=readings, remote=remote_stamps, later_readings=st.lists(readings, max_size=5)
)
def test_observe_returns_a_stamp_after_the_remote_one_and_after_every_local_one(
    history, reading, remote, later_readings
):
    physical = FakePhysical()
    clock = HybridClock("b", physical_ms=physical)
    run(clock, physical, history)
    before = clock.last

    physical.ms = reading
    merged = clock.observe(remote)

    assert merged > remote
    assert merged > before
    assert clock.last == merged
    # Everything this node does afterwards is causally after the received event too.
    for later in later_readings:
        physical.ms = later
        assert clock.now() > merged


@settings(deadline=None)
@given(
    a_readings=st.lists(readings, min_size=1, max_size=15),
    b_readings=st.lists(readings, min_size=1, max_size=15),
)
def test_a_reply_is_stamped_after_the_message_it_answers(a_readings, b_readings):
    # Two devices with unrelated clocks ping-pong messages: every receive is after the matching send.
    pa, pb = FakePhysical(), FakePhysical()
    a, b = HybridClock("a", physical_ms=pa), HybridClock("b", physical_ms=pb)
    for ra, rb in zip(a_readings, b_readings, strict=False):
        pa.ms, pb.ms = ra, rb
        sent = a.now()
        received_at = b.observe(sent)
        reply = b.now()
        answered_at = a.observe(reply)
        assert sent < received_at < reply < answered_at


@settings(deadline=None)
@given(history=histories, offset=st.integers(-3_000, 3_000))
def test_the_wall_time_never_falls_behind_the_corrected_physical_clock(history, offset):
    physical = FakePhysical()
    clock = HybridClock("a", physical_ms=physical, offset_ms=offset)
    for step in history:
        (stamp,) = run(clock, physical, [step])
        assert stamp.wall_ms >= step[1] + offset
        assert clock.physical() == max(0, step[1] + offset)


# --- offset to server time ---------------------------------------------------------------------------------


@settings(deadline=None)
@given(
    offset=st.integers(-(10**9), 10**9),
    start=st.integers(10**9, 2 * 10**9),
    steps=st.lists(st.integers(1, 5_000), min_size=1, max_size=20),
)
def test_now_tracks_the_physical_clock_plus_the_offset(offset, start, steps):
    physical = FakePhysical(start)
    clock = HybridClock("a", physical_ms=physical, offset_ms=offset)
    assert clock.offset_ms == offset
    reading = start
    for step in steps:
        reading += step
        physical.ms = reading
        stamp = clock.now()
        assert (stamp.wall_ms, stamp.counter) == (reading + offset, 0)


@settings(deadline=None)
@given(
    offset=st.integers(-(10**7), 10**7),
    reading=st.integers(10**8, 10**9),
)
def test_setting_a_measured_offset_moves_the_next_stamp(offset, reading):
    physical = FakePhysical(reading)
    clock = HybridClock("a", physical_ms=physical)
    assert clock.now().wall_ms == reading
    clock.offset_ms = offset
    physical.ms = reading + 1
    stamp = clock.now()
    if offset + 1 > 0:
        assert stamp.wall_ms == reading + 1 + offset
    else:
        # Corrected time went backwards: the clock holds its wall time and counts instead.
        assert (stamp.wall_ms, stamp.counter) == (reading, 1)


def test_a_negative_corrected_time_is_clamped_to_zero():
    clock = HybridClock("a", physical_ms=FakePhysical(5), offset_ms=-10)
    assert clock.physical() == 0
    assert clock.now() == Stamp(0, 1, "a")


@settings(deadline=None)
@given(
    sent=st.integers(0, 10**13),
    one_way=st.integers(0, 60_000),
    true_offset=st.integers(-(10**10), 10**10),
)
def test_measure_offset_is_exact_for_symmetric_delays(sent, one_way, true_offset):
    # The server reads its clock when the request arrives and answers at once.
    server_ms = sent + one_way + true_offset
    received = sent + 2 * one_way
    assert measure_offset(sent, received, server_ms) == true_offset


@settings(deadline=None)
@given(
    sent=st.integers(0, 10**13),
    round_trip=st.integers(0, 120_000),
    data=st.data(),
    true_offset=st.integers(-(10**10), 10**10),
)
def test_measure_offset_error_is_at_most_half_the_round_trip(sent, round_trip, data, true_offset):
    # The server may read its clock at any moment of the round trip (asymmetric delays, slow handler).
    read_after = data.draw(st.integers(0, round_trip), label="server reads this long after sending")
    received = sent + round_trip
    server_ms = sent + read_after + true_offset
    error = measure_offset(sent, received, server_ms) - true_offset
    # Half the round trip, rounded up to whole milliseconds: for an odd round trip no integer offset is
    # closer than half a millisecond more than that to both ends.
    assert 2 * abs(error) <= round_trip + round_trip % 2


def test_measure_offset_known_exchange():
    # Sent at 1000, answer back at 1200 (device clock); the server said 5100 half way: offset 4000.
    assert measure_offset(1_000, 1_200, 5_100) == 4_000
    assert measure_offset(1_000, 1_200, 100) == -1_000


# --- text encoding -----------------------------------------------------------------------------------------


def _sign(x: int) -> int:
    return (x > 0) - (x < 0)


def _cmp(a, b) -> int:
    return _sign((a > b) - (a < b))


@given(a=any_stamps, b=any_stamps)
def test_encoded_order_is_stamp_order(a, b):
    assert _cmp(a.encode(), b.encode()) == _cmp(a, b)
    assert (a.encode() == b.encode()) == (a == b)


@given(stamps=st.lists(any_stamps, max_size=30))
def test_sorting_encoded_stamps_sorts_the_stamps(stamps):
    by_text = sorted(stamps, key=Stamp.encode)
    assert [s.encode() for s in by_text] == [s.encode() for s in sorted(stamps)]


@given(stamp=any_stamps)
def test_decode_inverts_encode(stamp):
    text = stamp.encode()
    assert Stamp.decode(text) == stamp
    assert str(stamp) == text
    assert len(text) == 16 + len(stamp.node)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "0000000000010000",  # no node
        "000000000001000a",  # too short: 11-digit wall
        "00000000000A0000node",  # upper-case hex
        "0000000000010000Node",  # upper-case node
        "0000000000010000no-de",
        "0000000000010000" + "n" * 33,  # node too long
        " 0000000000010000node",
        "0000000000010000node ",
        "0000000000010000node\n",
        "0000000000010000node\n\n",
        "00000000000g0000node",
        "0x00000000010000node",
        "0000000000010000nodé",
        "000000000001\u0661000node",  # an Arabic-Indic digit
    ],
)
def test_decode_rejects_malformed_text(text):
    with pytest.raises(ValueError):
        Stamp.decode(text)


def test_decode_accepts_the_shortest_and_longest_nodes():
    assert Stamp.decode("00000000000100020") == Stamp(1, 2, "0")
    assert Stamp.decode("ffffffffffffffff" + "z" * 32) == Stamp(MAX_WALL, MAX_COUNTER, "z" * 32)


@given(
    stamp=any_stamps,
    position=st.integers(min_value=0),
    junk=st.characters(exclude_characters=NODE_ALPHABET),
)
def test_decode_rejects_an_encoding_with_a_foreign_character(stamp, position, junk):
    text = stamp.encode()
    position %= len(text) + 1
    with pytest.raises(ValueError):
        Stamp.decode(text[:position] + junk + text[position:])


@given(stamp=any_stamps, keep=st.integers(min_value=0, max_value=16))
def test_decode_rejects_a_truncated_encoding(stamp, keep):
    # Wall and counter take 16 characters and the node at least one more.
    with pytest.raises(ValueError):
        Stamp.decode(stamp.encode()[:keep])


@pytest.mark.parametrize(
    ("wall", "counter", "node"),
    [
        (-1, 0, "a"),
        (MAX_WALL + 1, 0, "a"),
        (0, -1, "a"),
        (0, MAX_COUNTER + 1, "a"),
        (0, 0, ""),
        (0, 0, "A"),
        (0, 0, "a-b"),
        (0, 0, "n" * 33),
        (0, 0, "node\n"),
    ],
)
def test_stamp_rejects_out_of_range_parts(wall, counter, node):
    with pytest.raises(ValueError):
        Stamp(wall, counter, node)


@pytest.mark.parametrize("node", ["", "Tablet", "tab 1", "tab1\n", "n" * 33])
def test_clock_rejects_a_bad_node_id(node):
    with pytest.raises(ValueError):
        HybridClock(node)


# --- tie-break ---------------------------------------------------------------------------------------------


@given(
    wall=st.integers(0, MAX_WALL),
    counter=st.integers(0, MAX_COUNTER),
    nodes=st.lists(node_ids, min_size=2, max_size=2, unique=True),
)
def test_equal_wall_and_counter_order_by_node(wall, counter, nodes):
    first, second = sorted(nodes)
    a, b = Stamp(wall, counter, first), Stamp(wall, counter, second)
    assert a < b
    assert a != b
    assert sorted([b, a]) == [a, b]
    assert a.encode() < b.encode()


@given(reading=readings, nodes=st.lists(small_nodes, min_size=2, max_size=5, unique=True))
def test_clocks_reading_the_same_time_are_ordered_by_node(reading, nodes):
    stamps = {node: HybridClock(node, physical_ms=FakePhysical(reading)).now() for node in nodes}
    assert len({(s.wall_ms, s.counter) for s in stamps.values()}) == 1
    assert sorted(stamps.values()) == [stamps[node] for node in sorted(nodes)]


# --- counter overflow --------------------------------------------------------------------------------------


@settings(deadline=None)
@given(
    stuck_at=st.integers(0, 10**12),
    headroom=st.integers(0, 5),
    events=st.integers(1, 20),
    catch_up=st.integers(0, 3),
)
def test_counter_overflow_borrows_a_millisecond_and_stays_monotonic(stuck_at, headroom, events, catch_up):
    physical = FakePhysical(stuck_at)
    start = Stamp(stuck_at, MAX_COUNTER - headroom, "a")
    clock = HybridClock("a", physical_ms=physical, last=start)
    stamps = [clock.now() for _ in range(events)]

    assert all(x < y for x, y in zip([start, *stamps], stamps, strict=False))
    if events > headroom:
        # Counter exhausted: the (headroom+1)-th stamp moves one millisecond ahead and restarts counting.
        assert stamps[headroom] == Stamp(stuck_at + 1, 0, "a")
    assert all(s.wall_ms <= stuck_at + 1 for s in stamps)
    # When the physical clock catches up with the borrowed millisecond, stamps still increase.
    physical.ms = stuck_at + catch_up
    assert clock.now() > stamps[-1]


@given(stuck_at=st.integers(0, 10**12), ahead=st.booleans())
def test_observing_a_stamp_with_an_exhausted_counter_borrows_a_millisecond(stuck_at, ahead):
    local = Stamp(stuck_at, 7, "a")
    clock = HybridClock("a", physical_ms=FakePhysical(stuck_at), last=local)
    remote = Stamp(stuck_at + ahead, MAX_COUNTER, "b")
    merged = clock.observe(remote)
    assert merged > remote
    assert merged == Stamp(stuck_at + ahead + 1, 0, "a")


def test_a_stuck_clock_issues_more_than_a_counters_worth_of_distinct_stamps():
    clock = HybridClock("a", physical_ms=FakePhysical(1_000))
    stamps = [clock.now() for _ in range(MAX_COUNTER + 3)]
    assert len(set(stamps)) == len(stamps)
    assert stamps == sorted(stamps)
    assert stamps[MAX_COUNTER] == Stamp(1_000, MAX_COUNTER, "a")
    assert stamps[MAX_COUNTER + 1] == Stamp(1_001, 0, "a")


# --- drift limit -------------------------------------------------------------------------------------------


@settings(deadline=None)
@given(
    history=histories,
    reading=readings,
    offset=st.integers(-500, 500),
    max_drift=st.integers(0, 10_000),
    too_far=st.integers(1, 10**6),
    counter=counters,
)
def test_a_stamp_beyond_the_drift_limit_is_refused_and_changes_nothing(
    history, reading, offset, max_drift, too_far, counter
):
    physical = FakePhysical()
    clock = HybridClock("a", physical_ms=physical, offset_ms=offset, max_drift_ms=max_drift)
    twin = HybridClock("a", physical_ms=physical, offset_ms=offset, max_drift_ms=max_drift)
    # Keep the received stamps of the history within the limit; only the one below is too far ahead.
    history = [
        (op, r, remote)
        for op, r, remote in history
        if remote is None or remote.wall_ms - max(0, r + offset) <= max_drift
    ]
    run(clock, physical, history)
    run(twin, physical, history)
    before = clock.last

    physical.ms = reading
    remote = Stamp(clock.physical() + max_drift + too_far, counter, "wild")
    with pytest.raises(ClockDriftError):
        clock.observe(remote)

    assert clock.last == before
    # The refused stamp left no trace: the clock goes on exactly like one that never saw it.
    physical.ms = reading
    assert clock.now() == twin.now()


@given(reading=readings, offset=st.integers(-500, 500), max_drift=st.integers(0, 10_000), counter=counters)
def test_a_stamp_at_the_drift_limit_is_accepted(reading, offset, max_drift, counter):
    physical = FakePhysical(reading)
    clock = HybridClock("a", physical_ms=physical, offset_ms=offset, max_drift_ms=max_drift)
    remote = Stamp(clock.physical() + max_drift, counter, "b")
    assert clock.observe(remote) > remote


def test_without_a_drift_limit_any_future_stamp_is_accepted():
    clock = HybridClock("a", physical_ms=FakePhysical(0))
    remote = Stamp(10**12, 0, "b")
    assert clock.observe(remote) > remote


# --- threads -----------------------------------------------------------------------------------------------


class YieldingMs(int):
    """A clock reading that lets other threads run while it is compared with the clock's state.

    Under the GIL, ``now()`` would otherwise run from reading the state to writing it back without a
    thread switch, and a missing lock could not be seen; this opens exactly that window.
    """

    def __gt__(self, other: object) -> bool:
        time.sleep(0)  # release the GIL
        return int(self) > other  # type: ignore[operator]

    def __add__(self, other: object) -> YieldingMs:
        return YieldingMs(int(self) + other)  # type: ignore[operator]

    __radd__ = __add__


class SharedPhysical:
    """A device clock that advances every few readings, so threads often read the same millisecond."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return YieldingMs(1_000 + self.calls // 3)


def run_threads(threads: int, work) -> None:
    barrier = threading.Barrier(threads)

    def start(index: int) -> None:
        barrier.wait()
        work(index)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        workers = [threading.Thread(target=start, args=(i,)) for i in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        sys.setswitchinterval(interval)


@settings(deadline=None, max_examples=10)
@given(threads=st.integers(2, 6), per_thread=st.integers(50, 300))
def test_concurrent_now_calls_never_return_the_same_stamp(threads, per_thread):
    clock = HybridClock("a", physical_ms=SharedPhysical())
    results: list[list[Stamp]] = [[] for _ in range(threads)]

    def work(index: int) -> None:
        for _ in range(per_thread):
            results[index].append(clock.now())

    run_threads(threads, work)

    stamps = [s for out in results for s in out]
    assert len(stamps) == threads * per_thread
    assert len(set(stamps)) == len(stamps)
    for out in results:
        assert all(x < y for x, y in itertools.pairwise(out))
    assert clock.last == max(stamps)


@settings(deadline=None, max_examples=10)
@given(
    threads=st.integers(2, 4), per_thread=st.integers(20, 100), remote_walls=st.lists(st.integers(990, 1_100))
)
def test_concurrent_now_and_observe_never_return_the_same_stamp(threads, per_thread, remote_walls):
    clock = HybridClock("a", physical_ms=SharedPhysical())
    remotes = [Stamp(wall, 0, "b") for wall in remote_walls] or [Stamp(1_000, 0, "b")]
    results: list[list[tuple[Stamp, Stamp | None]]] = [[] for _ in range(threads)]

    def work(index: int) -> None:
        for i in range(per_thread):
            if (i + index) % 2:
                remote = remotes[i % len(remotes)]
                results[index].append((clock.observe(remote), remote))
            else:
                results[index].append((clock.now(), None))

    run_threads(threads, work)

    stamps = [stamp for out in results for stamp, _ in out]
    assert len(set(stamps)) == len(stamps) == threads * per_thread
    for out in results:
        assert all(x[0] < y[0] for x, y in itertools.pairwise(out))
        assert all(stamp > remote for stamp, remote in out if remote is not None)
