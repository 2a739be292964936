"""Hybrid logical clock (Kulkarni et al., 2014) with a measured offset to server time.

A stamp is (wall milliseconds, counter, node id). Stamps from one clock strictly increase even when the
device clock jumps backwards; a received stamp is merged so that causally later events get larger stamps;
equal wall and counter are broken deterministically by node id. ``Stamp.encode`` gives a compact string
whose lexicographic order is the clock order, so stamps sort correctly as text in SQL and JSON.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fieldapp.domain.errors import ClockDriftError

WALL_DIGITS = 12  # hex digits: 2**48 ms reaches the year 10889
COUNTER_DIGITS = 4
MAX_WALL = 16**WALL_DIGITS - 1
MAX_COUNTER = 16**COUNTER_DIGITS - 1
# \Z, not $: $ also matches before a trailing newline, which would let "node\n" through.
NODE_PATTERN = re.compile(r"^[0-9a-z]{1,32}\Z")
_ENCODED = re.compile(r"^([0-9a-f]{12})([0-9a-f]{4})([0-9a-z]{1,32})\Z")


@dataclass(frozen=True, slots=True, order=True)
class Stamp:
    """One hybrid-logical-clock reading; orders by wall time, then counter, then node id."""

    wall_ms: int
    counter: int
    node: str

    def __post_init__(self) -> None:
        if not 0 <= self.wall_ms <= MAX_WALL:
            raise ValueError(f"wall time out of range: {self.wall_ms}")
        if not 0 <= self.counter <= MAX_COUNTER:
            raise ValueError(f"counter out of range: {self.counter}")
        if not NODE_PATTERN.match(self.node):
            raise ValueError(f"node id must be 1-32 characters of [0-9a-z]: {self.node!r}")

    def encode(self) -> str:
        """Compact text form; sorting these strings sorts the stamps."""
        return f"{self.wall_ms:012x}{self.counter:04x}{self.node}"

    @classmethod
    def decode(cls, text: str) -> Stamp:
        """Parse ``encode``'s output; raises ValueError on anything else."""
        return _decode(text)

    def __str__(self) -> str:
        return self.encode()


def system_ms() -> int:
    """The device's wall clock in milliseconds since the Unix epoch."""
    return time.time_ns() // 1_000_000


def measure_offset(sent_ms: int, received_ms: int, server_ms: int) -> int:
    """Offset to add to device time to get server time, from one request/response exchange.

    Assumes the server read its clock half way through the round trip (as NTP does); the error is at
    most half the round-trip time.
    """
    return server_ms - (sent_ms + received_ms) // 2


@functools.lru_cache(maxsize=1 << 16)
def _decode(text: str) -> Stamp:
    # Cached: a record's fields mostly share one stamp, and a batch or a page repeats the same few stamps
    # thousands of times; stamps are immutable, so each distinct text is parsed once.
    match = _ENCODED.match(text)
    if match is None:
        raise ValueError(f"not a clock stamp: {text!r}")
    wall, counter, node = match.groups()
    return Stamp(int(wall, 16), int(counter, 16), node)


class HybridClock:
    """A thread-safe hybrid logical clock for one node (a device or a server).

    ``offset_ms`` is the measured difference between server time and this device's clock; physical
    readings are corrected by it, so a tablet whose clock is hours off still stamps close to real time.
    ``max_drift_ms`` bounds how far into the future a received stamp may lie before it is refused, so one
    device with a wild clock cannot drag every clock forward.
    """

    def __init__(
        self,
        node: str,
        *,
        physical_ms: Callable[[], int] = system_ms,
        offset_ms: int = 0,
        last: Stamp | None = None,
        max_drift_ms: int | None = None,
    ) -> None:
        if not NODE_PATTERN.match(node):
            raise ValueError(f"node id must be 1-32 characters of [0-9a-z]: {node!r}")
        self.node = node
        self._physical_ms = physical_ms
        self._offset_ms = offset_ms
        self._max_drift_ms = max_drift_ms
        self._wall = last.wall_ms if last else 0
        self._counter = last.counter if last else 0
        self._lock = threading.Lock()

    @property
    def offset_ms(self) -> int:
        """Current correction added to the device clock."""
        return self._offset_ms

    @offset_ms.setter
    def offset_ms(self, value: int) -> None:
        self._offset_ms = int(value)

    @property
    def last(self) -> Stamp:
        """The most recent stamp issued or observed (wall 0 before the first)."""
        with self._lock:
            return Stamp(self._wall, self._counter, self.node)

    def physical(self) -> int:
        """Corrected physical time in milliseconds."""
        return max(0, self._physical_ms() + self._offset_ms)

    def now(self) -> Stamp:
        """A new stamp for a local event, greater than every stamp issued or observed before."""
        with self._lock:
            physical = self.physical()
            if physical > self._wall:
                self._wall, self._counter = physical, 0
            else:
                self._advance_counter()
            return Stamp(self._wall, self._counter, self.node)

    def observe(self, remote: Stamp) -> Stamp:
        """Merge a received stamp; the returned stamp is greater than both it and every earlier one."""
        with self._lock:
            physical = self.physical()
            if self._max_drift_ms is not None and remote.wall_ms - physical > self._max_drift_ms:
                raise ClockDriftError(
                    f"stamp from node {remote.node} is {remote.wall_ms - physical} ms ahead of this clock "
                    f"(at most {self._max_drift_ms} ms allowed)"
                )
            wall = max(self._wall, remote.wall_ms, physical)
            if wall == self._wall == remote.wall_ms:
                self._counter = max(self._counter, remote.counter)
                self._advance_counter()
            elif wall == self._wall:
                self._advance_counter()
            elif wall == remote.wall_ms:
                self._wall, self._counter = wall, remote.counter
                self._advance_counter()
            else:
                self._wall, self._counter = wall, 0
            return Stamp(self._wall, self._counter, self.node)

    def rewind(self, floor: Stamp) -> None:
        """Set the clock back to ``floor`` if it is ahead of it.

        Only for a device whose clock ran ahead while offline, and only when nothing stamped above
        ``floor`` has left the device: it then re-stamps its unsent changes (``outbox.restamp``). The
        server guarantees the premise by refusing stamps further ahead than its allowance, so any floor
        at or above "server time + allowance" is safe.
        """
        with self._lock:
            if (floor.wall_ms, floor.counter) < (self._wall, self._counter):
                self._wall, self._counter = floor.wall_ms, floor.counter

    def device_ms(self) -> int:
        """The uncorrected device clock, for measuring the offset around an exchange."""
        return self._physical_ms()

    def _advance_counter(self) -> None:
        # On counter overflow borrow one millisecond from the future instead of repeating a stamp.
        if self._counter >= MAX_COUNTER:
            self._wall, self._counter = self._wall + 1, 0
        else:
            self._counter += 1
