"""Service codes (HCPCS) a home-care visit is billed under, with their descriptions and bill units.

A visit's ``service_code`` is free text (agencies bill under codes this table does not know); a known code
shows its description beside it and tells how its time is billed. Descriptions are short forms of the
HCPCS Level II descriptors, in our words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class BillUnit(StrEnum):
    """How a service's time turns into billed units."""

    QUARTER_HOUR = "15 min"
    HOUR = "hour"
    VISIT = "visit"
    DAY = "day"


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """One known service code: its description and its bill unit."""

    code: str
    description: str
    unit: BillUnit

    @property
    def label(self) -> str:
        """The code with its description, as lists show it: "T1019 Personal care (per 15 min)"."""
        return f"{self.code} {self.description} (per {self.unit.value})"

    def units(self, minutes: float) -> int:
        """Billed units for ``minutes`` of service (per-visit and per-day services bill one unit).

        Time units follow the CMS "8-minute rule" for 15-minute units (a unit counts from 8 minutes on)
        and round half-hours up for hourly units; nothing worked bills nothing."""
        if minutes <= 0:
            return 0
        if self.unit is BillUnit.QUARTER_HOUR:
            return math.floor((minutes + 7) / 15)
        if self.unit is BillUnit.HOUR:
            return math.floor((minutes + 30) / 60)
        return 1


SERVICE_CODES: dict[str, ServiceInfo] = {
    info.code: info
    for info in (
        ServiceInfo("T1019", "Personal care", BillUnit.QUARTER_HOUR),
        ServiceInfo("T1020", "Personal care", BillUnit.DAY),
        ServiceInfo("S5125", "Attendant care", BillUnit.QUARTER_HOUR),
        ServiceInfo("S5130", "Homemaker service", BillUnit.QUARTER_HOUR),
        ServiceInfo("S5150", "Respite care", BillUnit.QUARTER_HOUR),
        ServiceInfo("G0156", "Home health aide services", BillUnit.QUARTER_HOUR),
        ServiceInfo("G0299", "Skilled nursing by an RN", BillUnit.QUARTER_HOUR),
        ServiceInfo("G0300", "Skilled nursing by an LPN", BillUnit.QUARTER_HOUR),
        ServiceInfo("G0151", "Physical therapy", BillUnit.QUARTER_HOUR),
        ServiceInfo("G0152", "Occupational therapy", BillUnit.QUARTER_HOUR),
        ServiceInfo("G0153", "Speech-language pathology", BillUnit.QUARTER_HOUR),
        ServiceInfo("G0155", "Medical social services", BillUnit.QUARTER_HOUR),
        ServiceInfo("S9122", "Home health aide or CNA", BillUnit.HOUR),
        ServiceInfo("S9123", "Nursing care by an RN", BillUnit.HOUR),
        ServiceInfo("S9124", "Nursing care by an LPN", BillUnit.HOUR),
        ServiceInfo("T1030", "Nursing care by an RN", BillUnit.DAY),
        ServiceInfo("T1031", "Nursing care by an LPN", BillUnit.DAY),
        ServiceInfo("99509", "Home visit for help with daily living", BillUnit.VISIT),
    )
}


def service_info(code: str) -> ServiceInfo | None:
    """The known service for a code (any case, surrounding spaces ignored), or None for an unknown code."""
    return SERVICE_CODES.get(code.strip().upper())


def service_words(code: str) -> str:
    """The code with what it is, where a code alone is shown ("G0299 — Skilled nursing by an RN"), else
    the code."""
    info = service_info(code)
    return f"{info.code} — {info.description}" if info is not None else code.strip().upper()


def describe_service(code: str) -> str:
    """The code with its description when known ("T1019 Personal care (per 15 min)"), else the code."""
    info = service_info(code)
    return info.label if info is not None else code.strip().upper()
