"""Units of vital signs and the blood pressure as one "systolic/diastolic" entry (decision 0031).

Temperatures and weights are stored in one canonical unit each (degrees Celsius, kilograms; UCUM codes
``Cel`` and ``kg``), with that unit in the observation's ``unit`` field as before, so every tablet and the
office read them without knowing the agency. They are typed and shown in the agency's units
(``VitalUnits``, from the agency's card): degrees Fahrenheit and pounds unless the office says otherwise.
Readings saved before (or by an older tablet) in ``[degF]`` or ``[lb_av]`` stay as they are and are shown
converted like the others.

A blood pressure is typed as "120/80" and stored as the two observations it always was (systolic and
diastolic, mmHg), saved together.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from fieldapp.domain.values import OBSERVATION_UNITS, ObservationKind


class TemperatureUnit(StrEnum):
    """How the agency reads temperatures (UCUM codes, as observations record them)."""

    FAHRENHEIT = "[degF]"
    CELSIUS = "Cel"


class WeightUnit(StrEnum):
    """How the agency reads weights (UCUM codes)."""

    POUND = "[lb_av]"
    KILOGRAM = "kg"


CANONICAL_UNITS = {ObservationKind.TEMPERATURE: "Cel", ObservationKind.WEIGHT: "kg"}
POUNDS_PER_KILOGRAM = 1 / 0.45359237  # the international avoirdupois pound is exactly 0.45359237 kg
STORED_DECIMALS = 4  # far finer than any thermometer or scale; one decimal shown in either unit survives


def convert(value: float, unit: str, to: str) -> float:
    """``value`` in ``unit`` expressed in ``to`` (temperatures and weights; any unit into itself)."""
    if unit == to:
        return value
    match unit, to:
        case "[degF]", "Cel":
            return (value - 32) * 5 / 9
        case "Cel", "[degF]":
            return value * 9 / 5 + 32
        case "[lb_av]", "kg":
            return value / POUNDS_PER_KILOGRAM
        case "kg", "[lb_av]":
            return value * POUNDS_PER_KILOGRAM
    raise ValueError(f"cannot convert {unit} to {to}")


@dataclass(frozen=True, slots=True)
class VitalUnits:
    """The units a worker types and reads temperatures and weights in (the agency's setting)."""

    temperature: TemperatureUnit = TemperatureUnit.FAHRENHEIT
    weight: WeightUnit = WeightUnit.POUND

    def entry_unit(self, kind: ObservationKind) -> str:
        """The one unit ``kind`` is typed in."""
        if kind is ObservationKind.TEMPERATURE:
            return self.temperature.value
        if kind is ObservationKind.WEIGHT:
            return self.weight.value
        return next(iter(OBSERVATION_UNITS[kind]))

    def entry_range(self, kind: ObservationKind) -> tuple[float, float]:
        """The plausible range in the unit ``kind`` is typed in: the canonical unit's range converted
        (narrowed to one decimal), so that what is accepted is also a valid stored reading on every tablet
        (pounds 1.2-881.8: 1 lb would be 0.45 kg, below the 0.5 kg an older tablet accepts)."""
        unit, canonical = self.entry_unit(kind), CANONICAL_UNITS.get(kind)
        if canonical is None or unit == canonical:
            return OBSERVATION_UNITS[kind][unit]
        low, high = (convert(v, canonical, unit) for v in OBSERVATION_UNITS[kind][canonical])
        return math.ceil(low * 10) / 10, math.floor(high * 10) / 10

    def shown(self, kind: ObservationKind, value: float, unit: str) -> tuple[float, str]:
        """A stored reading as the worker reads it: in the agency's unit, rounded to one decimal when it
        was converted."""
        wanted = self.entry_unit(kind)
        if unit == wanted or unit not in OBSERVATION_UNITS[kind] or wanted not in OBSERVATION_UNITS[kind]:
            return value, unit
        return round(convert(value, unit, wanted), 1), wanted


def stored(kind: ObservationKind, value: float, unit: str) -> tuple[float, str]:
    """A typed reading as it is saved: temperatures and weights in their canonical unit."""
    canonical = CANONICAL_UNITS.get(kind)
    number = (isinstance(value, float) and math.isfinite(value)) or (
        isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**6
    )
    if canonical is None or unit == canonical or unit not in OBSERVATION_UNITS[kind] or not number:
        return value, unit  # nothing to convert, or what the observation's check refuses in words
    return round(convert(value, unit, canonical), STORED_DECIMALS), canonical


# -- blood pressure ---------------------------------------------------------------------------------------

_PAIR = re.compile(r"^\s*(\d{1,3}(?:[.,]\d+)?)\s*/\s*(\d{1,3}(?:[.,]\d+)?)\s*(?:mm\s*hg)?\s*$", re.IGNORECASE)


class BloodPressureError(ValueError):
    """Why a typed blood pressure cannot be saved: ``problem`` is "pair" (not two numbers with a slash),
    "range" (``which`` pressure's ``value`` is outside ``low``-``high``) or "order" (systolic not above
    diastolic); the message is the English sentence, screens word it in the worker's language."""

    def __init__(self, message: str, problem: str, **facts: float | str) -> None:
        super().__init__(message)
        self.problem, self.facts = problem, facts


def parse_blood_pressure(text: str) -> tuple[float, float]:
    """The systolic and diastolic values of "120/80" (mmHg); raises BloodPressureError saying what is
    wrong: not two numbers, outside the plausible ranges, or the first not above the second."""
    found = _PAIR.match(text)
    if found is None:
        raise BloodPressureError(
            f"Type the blood pressure as two numbers with a slash, e.g. 120/80, not “{text}”.",
            "pair",
            text=text,
        )
    systolic, diastolic = (float(part.replace(",", ".")) for part in found.groups())
    for which, value, kind in (
        ("systolic", systolic, ObservationKind.SYSTOLIC_BP),
        ("diastolic", diastolic, ObservationKind.DIASTOLIC_BP),
    ):
        low, high = OBSERVATION_UNITS[kind]["mmHg"]
        if not low <= value <= high:
            raise BloodPressureError(
                f"A {which} pressure of {value:g} mmHg is outside the plausible range {low:g}–{high:g}.",
                "range",
                which=which,
                value=value,
                low=low,
                high=high,
            )
    if systolic <= diastolic:
        raise BloodPressureError(
            f"The systolic pressure ({systolic:g}) must be higher than the diastolic ({diastolic:g}).",
            "order",
            systolic=systolic,
            diastolic=diastolic,
        )
    return systolic, diastolic
