"""Device time: the office server's clock as this device can tell it, immune to wall-clock jumps.

A tablet's wall clock cannot be trusted between two syncs: a dead clock battery, a wrong time zone or a
worker setting the time by hand moves it by hours while the tablet is offline. So edits are not dated by
the wall clock. They are dated on a *timeline*: an uptime clock that counts from boot, suspend included,
and never jumps, tied to server time by an ``Anchor``:

    server time now = anchor.server_ms + (uptime now - anchor.uptime_ms)

- An **exact** anchor comes from an exchange with the server (NTP-style midpoint; its error is half the
  round trip). While the device stays in the same boot it holds, whatever the wall clock does.
- When the app starts in another boot than its anchor's (or cannot tell), it does not know how long it
  was off. It continues from a **lower bound**: the last moment it was known alive (``alive_ms``). Stamps
  made then are *provisional* and carry the anchor's ``epoch``: the first exchange in the same boot gives
  the exact anchor, and every provisional stamp of that epoch is corrected by the difference
  (``Correction``). A provisional stamp whose boot ended before any exchange keeps its lower bound: it may
  lose to an edit made before it, never beat one made after it (decision 0013).
- A store that never talked to a server has only its wall clock (``WALL`` kind); its stamps are corrected
  at the first exchange too.

Pure Python: the operating system is reached only through ``TimeSources`` (injectable for tests).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from fieldapp.domain.clock import HybridClock, Stamp, system_ms
from fieldapp.domain.systime import system_boot_id, system_uptime_ms

DRIFT_PPM = 100  # worst-case rate error of an uptime clock (quartz: typically under 50 ppm)


@dataclass(frozen=True, slots=True)
class TimeSources:
    """Where the device reads its clocks: the wall clock, an uptime clock, and the boot's identity."""

    wall_ms: Callable[[], int] = system_ms
    uptime_ms: Callable[[], int] = system_uptime_ms
    boot_id: Callable[[], str | None] = system_boot_id

    @classmethod
    def simulated(cls, now_ms: Callable[[], int]) -> TimeSources:
        """One reading serving as wall clock and uptime (tests, tools). Its boot is unknown, so every
        opening of a store resumes from a lower bound, corrected at the next exchange."""
        return cls(now_ms, now_ms, _unknown_boot)


def _unknown_boot() -> str | None:
    return None


class AnchorKind(StrEnum):
    """How much an anchor's server time can be trusted."""

    EXACT = "exact"  # measured by an exchange with the server in this boot
    LOWER_BOUND = "lower_bound"  # carried over a restart: the true time is at least this
    WALL = "wall"  # never measured: the device's wall clock, corrected at the first exchange


@dataclass(frozen=True, slots=True)
class Anchor:
    """Ties the uptime clock of one boot to server time (see the module's docstring)."""

    boot_id: str | None
    uptime_ms: int
    server_ms: int
    kind: AnchorKind
    epoch: str  # names the stretch of timeline provisional stamps were made on
    error_ms: int = 0  # exact anchors: half the round trip of the measurement

    @property
    def exact(self) -> bool:
        """Whether stamps made on this anchor are final."""
        return self.kind is AnchorKind.EXACT

    @property
    def boot_ms(self) -> int:
        """Server time at which this timeline's uptime clock read zero."""
        return self.server_ms - self.uptime_ms


@dataclass(frozen=True, slots=True)
class Reading:
    """The device's clocks read at one moment."""

    uptime_ms: int
    wall_ms: int


@dataclass(frozen=True, slots=True)
class Correction:
    """Provisional stamps of ``epoch`` move by ``delta_ms`` to become exact."""

    epoch: str
    delta_ms: int
    kind: AnchorKind  # the kind of anchor they were made on


def new_epoch() -> str:
    """A fresh epoch name (12 hex digits)."""
    return uuid.uuid4().hex[:12]


class DeviceTime:
    """The device's reading of server time (``now_ms``), kept by anchors (see the module's docstring)."""

    def __init__(
        self,
        sources: TimeSources | None = None,
        *,
        anchor: Anchor | None = None,
        alive_ms: int | None = None,
        offset_ms: int = 0,
        epoch: Callable[[], str] = new_epoch,
    ) -> None:
        self.sources = sources or TimeSources()
        self._new_epoch = epoch
        self.offset_ms = offset_ms  # server time minus the device's wall clock, as last measured
        self.corrections: dict[str, Correction] = {}  # made in this process, for stragglers of an epoch
        self.anchor = self._resume(anchor, alive_ms)

    def _resume(self, anchor: Anchor | None, alive_ms: int | None) -> Anchor:
        boot, uptime = self.sources.boot_id(), self.sources.uptime_ms()
        if anchor is not None and boot is not None and anchor.boot_id == boot and uptime >= anchor.uptime_ms:
            return anchor  # the same boot: the timeline goes on, exact or not
        floor = max(alive_ms or 0, anchor.server_ms if anchor is not None else 0)
        if floor <= 0:  # nothing known but the wall clock
            return Anchor(boot, uptime, self.sources.wall_ms(), AnchorKind.WALL, self._new_epoch())
        # Another boot: it began after the last moment known alive, and the uptime clock counts from it.
        # Unknown boot (or an uptime that went backwards in "the same" boot): count from now instead.
        rebooted = anchor is not None and anchor.boot_id is not None and boot is not None
        start = 0 if rebooted and anchor is not None and anchor.boot_id != boot else uptime
        return Anchor(boot, start, floor, AnchorKind.LOWER_BOUND, self._new_epoch())

    def reading(self) -> Reading:
        """Read both clocks now (around an exchange)."""
        return Reading(self.sources.uptime_ms(), self.sources.wall_ms())

    def now_ms(self) -> int:
        """Server time now, as well as this device can tell (exact, or a lower bound: see ``anchor``)."""
        anchor = self.anchor
        return anchor.server_ms + max(0, self.sources.uptime_ms() - anchor.uptime_ms)

    @property
    def provisional_epoch(self) -> str | None:
        """The epoch stamps made now belong to, when they are provisional (None once exact)."""
        return None if self.anchor.exact else self.anchor.epoch

    def measured(self, sent: Reading, received: Reading, server_ms: int) -> Correction | None:
        """Take an exchange's server time (read half way through the round trip, as NTP assumes).

        Returns the correction of the provisional stamps when this exchange made the timeline exact.
        An exact timeline keeps its anchor unless the new one is more precise than the old one aged by
        the uptime clock's drift, so one slow answer does not shake every later stamp.
        """
        if received.uptime_ms < sent.uptime_ms:
            return None  # the uptime clock went backwards: this is no measurement
        middle = (sent.uptime_ms + received.uptime_ms) // 2
        error = (received.uptime_ms - sent.uptime_ms + 1) // 2
        self.offset_ms = server_ms - (sent.wall_ms + received.wall_ms) // 2
        current = self.anchor
        candidate = Anchor(self.sources.boot_id(), middle, server_ms, AnchorKind.EXACT, current.epoch, error)
        if current.exact:
            aged = current.error_ms + max(0, middle - current.uptime_ms) * DRIFT_PPM // 1_000_000
            if candidate.error_ms <= aged:
                self.anchor = candidate
            return None
        self.anchor = candidate
        correction = Correction(current.epoch, candidate.boot_ms - current.boot_ms, current.kind)
        self.corrections[current.epoch] = correction
        return correction


@dataclass(frozen=True, slots=True)
class Tick:
    """A stamp for a local write, with the timeline reading it was made at and its epoch if provisional."""

    stamp: Stamp
    physical_ms: int
    epoch: str | None


class DeviceClock(HybridClock):
    """The hybrid logical clock of a device, reading its ``DeviceTime``."""

    def __init__(self, node: str, time: DeviceTime, *, last: Stamp | None = None) -> None:
        super().__init__(node, physical_ms=time.now_ms, last=last)
        self.time = time

    def tick(self) -> Tick:
        """A new stamp for a local write (``now``), with what is needed to correct it later."""
        epoch = self.time.provisional_epoch
        physical = self.physical()
        return Tick(self.now(), physical, epoch)
