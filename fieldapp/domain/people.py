"""Who works for the agency and the agency itself, as the tablet, the office pages and the PDF show them.

A worker has a full name, a credential (RN, LPN, HHA, PCA...) and a phone; the agency a name, an address,
a time zone, a phone, the grace after which a visit not started counts as late (and a check-in late), the
other visit-verification thresholds (``evv_policy``) and the units its workers type temperatures and weights
in. Every field has a
default, so a server that does not know them yet (or an account not filled in) still gives a valid card.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from fieldapp.domain.entities import Visit
from fieldapp.domain.values import Frozen, Phone, ShortText, VisitStatus
from fieldapp.domain.verification import EvvPolicy
from fieldapp.domain.vitals import TemperatureUnit, VitalUnits, WeightUnit

DEFAULT_LATE_AFTER_MIN = 15


class Credential(StrEnum):
    """A field worker's professional credential, as it appears beside the name on every record."""

    RN = "RN"  # registered nurse
    LPN = "LPN"  # licensed practical (vocational) nurse
    HHA = "HHA"  # home health aide
    PCA = "PCA"  # personal care aide
    CNA = "CNA"  # certified nursing assistant
    PT = "PT"  # physical therapist
    OT = "OT"  # occupational therapist
    SLP = "SLP"  # speech-language pathologist
    MSW = "MSW"  # medical social worker


CredentialCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z]{0,8}$")
]
TimeZoneName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, max_length=64, pattern=r"^(UTC|[A-Z][A-Za-z_]+(/[A-Za-z0-9_+\-]+)+)$"
    ),
]
"""An IANA time zone name such as America/Chicago (the server checks it names a real zone)."""


class WorkerCard(Frozen):
    """A worker as records name them: "Ana López, HHA"."""

    username: ShortText = ""
    full_name: ShortText = ""
    # A code as the office gave it (``Credential`` lists the usual ones; a newer server may know more).
    credential: CredentialCode = ""
    phone: Phone | None = None

    @property
    def display_name(self) -> str:
        """The full name (or the user name when none is on file) with the credential."""
        name = self.full_name or self.username or "Unknown worker"
        return f"{name}, {self.credential}" if self.credential else name


class AgencyCard(Frozen):
    """The agency as its documents and screens show it."""

    name: ShortText = ""
    address: ShortText = ""
    time_zone: TimeZoneName = "UTC"
    phone: Phone | None = None
    late_after_min: Annotated[int, Field(ge=0, le=240)] = DEFAULT_LATE_AFTER_MIN
    # The units vitals are typed and shown in on the tablets (decision 0031); stored ones stay canonical.
    temperature_unit: TemperatureUnit = TemperatureUnit.FAHRENHEIT
    weight_unit: WeightUnit = WeightUnit.POUND

    @property
    def vital_units(self) -> VitalUnits:
        """The agency's units for typing and reading temperatures and weights."""
        return VitalUnits(self.temperature_unit, self.weight_unit)

    # The visit-verification thresholds (``EvvPolicy``); the late check-in grace is ``late_after_min``.
    early_check_in_min: Annotated[int, Field(ge=0, le=240)] = 30
    early_check_out_min: Annotated[int, Field(ge=0, le=240)] = 15
    late_check_out_min: Annotated[int, Field(ge=0, le=240)] = 30
    short_visit_pct: Annotated[int, Field(ge=0, le=100)] = 75
    long_visit_pct: Annotated[int, Field(ge=100, le=1000)] = 125
    far_m: Annotated[int, Field(ge=10, le=100_000)] = 400

    @property
    def evv_policy(self) -> EvvPolicy:
        """The agency's verification thresholds, as the tablet and the office both apply them."""
        return EvvPolicy(
            late_check_in=timedelta(minutes=self.late_after_min),
            early_check_in=timedelta(minutes=self.early_check_in_min),
            early_check_out=timedelta(minutes=self.early_check_out_min),
            late_check_out=timedelta(minutes=self.late_check_out_min),
            too_short=self.short_visit_pct / 100,
            too_long=self.long_visit_pct / 100,
            far_m=float(self.far_m),
        )

    @property
    def heading(self) -> str:
        """One line for a header: name, address and phone, as far as known."""
        return " · ".join(part for part in (self.name, self.address, self.phone or "") if part)


def minutes_late(visit: Visit, now: datetime, late_after_min: int = DEFAULT_LATE_AFTER_MIN) -> int | None:
    """How many minutes past its start a visit not yet started is, once the grace is over; else None."""
    if visit.status is not VisitStatus.SCHEDULED or visit.effective_check_in is not None:
        return None
    past = now - visit.scheduled_start
    if past < timedelta(minutes=max(late_after_min, 0)) or past <= timedelta(0):
        return None
    return int(past.total_seconds() // 60)
