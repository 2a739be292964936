"""Value objects and enumerations shared by the entities.

Every type here is an immutable pydantic model or a string enum: its constraints (lengths, ranges,
patterns, choices) are declared once, and the tablet store, the sync protocol and the server all check
records against these same declarations.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    Strict,
    StringConstraints,
    model_serializer,
    model_validator,
)

from fieldapp.domain.language import QT_TRANSLATE_NOOP


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("time must carry a time zone (for example 2026-11-26T09:30:00Z)")
    return value.astimezone(UTC)


# Bidirectional overrides and isolates, and the byte-order mark: invisible characters that reorder or hide
# text ("Trojan Source" spoofing). Right-to-left scripts need none of them in a name or an address.
_INVISIBLE_FORMATTING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


# The control characters of ASCII but tab, line feed and carriage return (what a note may hold).
_ASCII_CONTROL_BUT_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _single_line(value: str) -> str:
    # Category Cc: C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F, e.g. U+009B, a terminal escape);
    # Zl/Zp: the Unicode line and paragraph separators (U+2028, U+2029), line breaks as much as CR/LF.
    # Plain ASCII without C0 or DEL (most text; checked in C) has none of them, nor any invisible mark.
    if value.isascii() and value.isprintable():
        return value
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise ValueError(QT_TRANSLATE_NOOP("Messages", "text must be one line without control characters"))
    if not _INVISIBLE_FORMATTING.isdisjoint(value):
        raise ValueError(
            QT_TRANSLATE_NOOP("Messages", "text must not contain invisible direction or byte-order marks")
        )
    return value


def _multi_line(value: str) -> str:
    if value.isascii() and not _ASCII_CONTROL_BUT_BREAKS.search(value):
        return value
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
        raise ValueError(QT_TRANSLATE_NOOP("Messages", "text must not contain control characters"))
    # A direction override in a note can show "10 mg" as "01 mg": refused as in one-line fields.
    if not _INVISIBLE_FORMATTING.isdisjoint(value):
        raise ValueError(
            QT_TRANSLATE_NOOP("Messages", "text must not contain invisible direction or byte-order marks")
        )
    return value


def _not_a_number(value: object) -> object:
    # Lax validation would read 0 as 1970-01-01 and True as 1; a date comes as a date or as text.
    if isinstance(value, int | float):
        raise ValueError("a date must be written as a date, for example 1940-04-02")
    return value


def _plausible_birth_date(value: date) -> date:
    if value < date(1880, 1, 1) or value > datetime.now(UTC).date():
        raise ValueError(QT_TRANSLATE_NOOP("Messages", "date of birth must lie between 1880-01-01 and today"))
    return value


UtcDateTime = Annotated[datetime, AfterValidator(_aware_utc)]
"""A point in time, always with a zone, normalised to UTC."""

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(_single_line)
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=200), AfterValidator(_single_line)
]
LongText = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(_multi_line)]
Statement = Annotated[str, StringConstraints(min_length=1, max_length=2_000), AfterValidator(_multi_line)]
"""What a signer agrees to: a short text, possibly of several lines."""
Memo = Annotated[str, StringConstraints(max_length=2_000), AfterValidator(_multi_line)]
"""A short message of possibly several lines (the office's notes for the worker); may be empty."""
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=32, pattern=r"^\+?[0-9 ()\-.]+$")
]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
BirthDate = Annotated[date, BeforeValidator(_not_a_number), AfterValidator(_plausible_birth_date)]


class Frozen(BaseModel):
    """Base of every domain model: immutable, unknown fields rejected, values checked on assignment."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)


class Sex(StrEnum):
    """Administrative sex, as recorded in the agency's patient register."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Address(Frozen):
    """A postal address; latitude/longitude are the geocoded home used to verify check-in location."""

    line1: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
        AfterValidator(_single_line),
    ]
    line2: ShortText = ""
    city: Name
    region: ShortText = ""
    postal_code: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=16, pattern=r"^[0-9A-Za-z \-]*$")
    ] = ""
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] = "US"
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None


class EmergencyContact(Frozen):
    """Who to call when something happens during a visit."""

    name: Name
    relationship: ShortText
    phone: Phone


class AllergySeverity(StrEnum):
    """How bad a reaction to the substance is."""

    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    UNKNOWN = "unknown"


class Allergy(Frozen):
    """A substance the patient must not be given, and what it does to them."""

    substance: Name
    reaction: ShortText = ""
    severity: AllergySeverity = AllergySeverity.UNKNOWN


class Diagnosis(Frozen):
    """An ICD-10-CM coded diagnosis."""

    # The pattern is checked before to_upper, so it admits lower case; the stored code is upper case.
    code: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z][0-9][0-9A-Za-z](\.[0-9A-Za-z]{1,4})?$"
        ),
    ]
    description: ShortText = ""


class VisitStatus(StrEnum):
    """Where a visit stands."""

    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    MISSED = "missed"
    CANCELLED = "cancelled"


class LocationKind(StrEnum):
    """How the place of service was established: a GPS fix, or the worker's declaration."""

    GPS = "gps"
    HOME = "home"
    COMMUNITY = "community"


class Location(Frozen):
    """Where a visit event happened; a GPS fix carries coordinates, their accuracy and the fix's own time
    (``fixed_at``: when the device measured it, which may be seconds before the event)."""

    kind: LocationKind
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    accuracy_m: Annotated[float, Field(ge=0, le=100_000)] | None = None
    fixed_at: UtcDateTime | None = None

    @model_serializer(mode="wrap")
    def _without_absent_fix_time(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Locations recorded before fix times existed keep their exact wire form (and the signatures'
        # content digests over them, fieldapp.domain.attestation); older peers never see the new key.
        data: dict[str, Any] = handler(self)
        if data.get("fixed_at") is None:
            data.pop("fixed_at", None)
        return data

    @model_validator(mode="after")
    def _coordinates_match_kind(self) -> Self:
        has_fix = self.latitude is not None and self.longitude is not None
        if self.kind is LocationKind.GPS and not has_fix:
            raise ValueError("a GPS location needs latitude and longitude")
        if self.kind is not LocationKind.GPS and (self.latitude is not None or self.longitude is not None):
            raise ValueError(f"a {self.kind.value} location carries no coordinates")
        return self


class CheckEvent(Frozen):
    """A check-in or check-out as captured: the device's clock and the server-corrected clock."""

    device_time: UtcDateTime
    server_time: UtcDateTime
    location: Location | None = None


class CorrectionReason(StrEnum):
    """Reason codes for a manual correction of visit times (the EVV aggregators' usual list)."""

    FORGOT_TO_CHECK_IN = "forgot_check_in"
    FORGOT_TO_CHECK_OUT = "forgot_check_out"
    DEVICE_FAILURE = "device_failure"
    WRONG_VISIT_SELECTED = "wrong_visit"
    SERVICE_OUTSIDE_HOME = "outside_home"
    SCHEDULE_CHANGE = "schedule_change"
    OTHER = "other"


class TimeCorrection(Frozen):
    """A manual correction of a check-in or check-out time; the original reading stays on the visit."""

    corrected_time: UtcDateTime
    reason: CorrectionReason
    comment: ShortText = ""
    corrected_at: UtcDateTime

    @model_validator(mode="after")
    def _other_needs_comment(self) -> Self:
        if self.reason is CorrectionReason.OTHER and not self.comment:
            raise ValueError(QT_TRANSLATE_NOOP("Messages", "reason 'other' needs a comment"))
        return self


class ObservationKind(StrEnum):
    """Vital signs and measurements a visiting nurse or aide takes."""

    SYSTOLIC_BP = "systolic_bp"
    DIASTOLIC_BP = "diastolic_bp"
    HEART_RATE = "heart_rate"
    RESPIRATORY_RATE = "respiratory_rate"
    TEMPERATURE = "temperature"
    OXYGEN_SATURATION = "spo2"
    BLOOD_GLUCOSE = "blood_glucose"
    WEIGHT = "weight"
    PAIN_SCORE = "pain_score"


# Allowed units and plausible (not normal) ranges per kind: a value outside is a typing error.
OBSERVATION_UNITS: dict[ObservationKind, dict[str, tuple[float, float]]] = {
    ObservationKind.SYSTOLIC_BP: {"mmHg": (40, 300)},
    ObservationKind.DIASTOLIC_BP: {"mmHg": (20, 200)},
    ObservationKind.HEART_RATE: {"/min": (20, 300)},
    ObservationKind.RESPIRATORY_RATE: {"/min": (2, 80)},
    ObservationKind.TEMPERATURE: {"Cel": (25, 45), "[degF]": (77, 113)},
    ObservationKind.OXYGEN_SATURATION: {"%": (50, 100)},
    ObservationKind.BLOOD_GLUCOSE: {"mg/dL": (10, 1000), "mmol/L": (0.5, 55)},
    ObservationKind.WEIGHT: {"kg": (0.5, 400), "[lb_av]": (1, 900)},
    ObservationKind.PAIN_SCORE: {"{score}": (0, 10)},
}


class SignerRole(StrEnum):
    """Who signed, in relation to the patient."""

    PATIENT = "patient"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    LEGAL_GUARDIAN = "legal_guardian"
    CAREGIVER = "caregiver"
    OTHER = "other"


class StrokePoint(Frozen):
    """One pen, touch or mouse sample: pad pixels, milliseconds since the first sample, pressure."""

    x: Annotated[float, Field(ge=-10_000, le=10_000)]
    y: Annotated[float, Field(ge=-10_000, le=10_000)]
    t: Annotated[int, Field(ge=0, le=3_600_000)]
    pressure: Annotated[float, Field(ge=0, le=1)] = 0.5


# Non-empty is checked by Signature: a tuple min_length would also fire when a point is invalid.
Stroke = Annotated[tuple[StrokePoint, ...], Field(max_length=5_000)]


# A day's count: far above any real day, and inside the 64-bit integers JSON and SQLite can hold.
Count = Annotated[int, Strict(), Field(ge=0, le=1_000_000)]


class DaySummary(Frozen):
    """The counts an end-of-day report states."""

    visits_scheduled: Count
    visits_completed: Count
    visits_missed: Count
    visits_unsigned: Count
    visits_missing_evv: Count
    notes: Count
    observations: Count
    unsent_changes: Count
    open_conflicts: Count
