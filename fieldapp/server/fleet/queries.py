"""The office's fleet page: every device and its health."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from fieldapp.server.auth.office import BROWSER_PREFIX
from fieldapp.server.fleet import devices as fleet_service

# -- fleet ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """A device on the fleet page: a tablet, or an office browser session's node."""

    status: fleet_service.DeviceStatus
    browser: bool
    clock: list[fleet_service.ClockSample] = field(default_factory=list)  # newest first

    @property
    def silent(self) -> bool:
        return self.status.silent and not self.browser and not self.status.disabled


@dataclass(frozen=True, slots=True)
class Fleet:
    devices: list[DeviceRow] = field(default_factory=list)

    @property
    def tablets(self) -> list[DeviceRow]:
        return [d for d in self.devices if not d.browser]

    @property
    def browsers(self) -> list[DeviceRow]:
        return [d for d in self.devices if d.browser]

    @property
    def silent(self) -> int:
        return sum(1 for d in self.tablets if d.silent)

    @property
    def pending(self) -> int:
        return sum(d.status.pending for d in self.tablets)


def fleet(session: Session, now: datetime) -> Fleet:
    """Every device that signed in, with what it last reported (``fleet.devices``), silent ones first;
    office browser sessions apart."""
    statuses = fleet_service.devices(session, now)
    histories = fleet_service.clock_histories(session, [s.device_id for s in statuses if not s.browser])
    return Fleet(
        [
            DeviceRow(s, s.device_id.startswith(BROWSER_PREFIX), histories.get(s.device_id, []))
            for s in statuses
        ]
    )
