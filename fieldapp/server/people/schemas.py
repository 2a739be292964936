"""The people routes' bodies and answers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from fieldapp.domain.people import AgencyCard, WorkerCard


class Account(BaseModel):
    """``GET /account``: the caller's card and the agency's (``fieldapp.sync.protocol.AccountProfile``)."""

    model_config = ConfigDict(frozen=True)

    worker: WorkerCard
    agency: AgencyCard


class WorkerCardEdit(BaseModel):
    """A change of a worker's card: the fields given are set ("" clears one)."""

    model_config = ConfigDict(extra="forbid")

    full_name: str | None = None
    credential: str | None = None
    phone: str | None = None


class AgencyCardEdit(BaseModel):
    """A change of the agency's card: the fields given are set ("" clears one)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    address: str | None = None
    phone: str | None = None
    time_zone: str | None = None  # an IANA name such as America/New_York
    late_after_min: int | None = None
    temperature_unit: str | None = None  # "[degF]" or "Cel"
    weight_unit: str | None = None  # "[lb_av]" or "kg"
    early_check_in_min: int | None = None
    early_check_out_min: int | None = None
    late_check_out_min: int | None = None
    short_visit_pct: int | None = None
    long_visit_pct: int | None = None
    far_m: int | None = None
