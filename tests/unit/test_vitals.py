"""Units of vital signs (decision 0031): temperatures and weights stored in one canonical unit and shown in
the agency's, both ways without drift; a blood pressure typed as "120/80" and checked as a pair."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.domain.entities import Observation
from fieldapp.domain.people import AgencyCard
from fieldapp.domain.values import ObservationKind
from fieldapp.domain.vitals import (
    BloodPressureError,
    TemperatureUnit,
    VitalUnits,
    WeightUnit,
    convert,
    parse_blood_pressure,
    stored,
)

T, W = ObservationKind.TEMPERATURE, ObservationKind.WEIGHT
US, METRIC = VitalUnits(), VitalUnits(TemperatureUnit.CELSIUS, WeightUnit.KILOGRAM)


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [
        (98.6, "[degF]", "Cel", 37.0),
        (37.0, "Cel", "[degF]", 98.6),
        (32.0, "[degF]", "Cel", 0.0),
        (100.4, "[degF]", "Cel", 38.0),
        (1.0, "[lb_av]", "kg", 0.45359237),
        (100.0, "kg", "[lb_av]", 220.4622622),
        (72.0, "/min", "/min", 72.0),
    ],
)
def test_conversions_both_ways(value: float, unit: str, to: str, expected: float) -> None:
    assert convert(value, unit, to) == pytest.approx(expected, abs=1e-6)


def test_an_unknown_conversion_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot convert mmHg to Cel"):
        convert(120, "mmHg", "Cel")


def test_temperatures_and_weights_are_stored_canonical_and_shown_in_the_agencys_unit() -> None:
    assert stored(T, 98.6, "[degF]") == (37.0, "Cel")
    assert stored(W, 150, "[lb_av]") == (68.0389, "kg")
    assert stored(ObservationKind.HEART_RATE, 72, "/min") == (72, "/min")
    assert stored(T, 37.2, "Cel") == (37.2, "Cel")
    assert stored(T, 37.2, "degC") == (37.2, "degC")  # not a unit of ours: the observation refuses it
    assert US.shown(T, 37.0, "Cel") == (98.6, "[degF]")
    assert US.shown(W, 68.0389, "kg") == (150.0, "[lb_av]")
    assert METRIC.shown(T, 98.6, "[degF]") == (37.0, "Cel")  # an old reading typed in Fahrenheit
    assert METRIC.shown(T, 37.0, "Cel") == (37.0, "Cel")
    assert US.shown(ObservationKind.OXYGEN_SATURATION, 97, "%") == (97, "%")
    assert US.entry_unit(ObservationKind.SYSTOLIC_BP) == "mmHg" and METRIC.entry_unit(W) == "kg"


@given(
    st.sampled_from([(T, "[degF]"), (T, "Cel"), (W, "[lb_av]"), (W, "kg")]),
    st.sampled_from([US, METRIC]),
    st.floats(min_value=0, max_value=1),
)
def test_a_reading_typed_in_either_unit_reads_back_as_typed_to_one_decimal(
    kind_unit: tuple[ObservationKind, str], units: VitalUnits, share: float
) -> None:
    kind, unit = kind_unit
    typing = VitalUnits(
        TemperatureUnit(unit) if kind is T else units.temperature,
        WeightUnit(unit) if kind is W else units.weight,
    )
    low, high = typing.entry_range(kind)
    typed = round(low + (high - low) * share, 1)
    value, canonical = stored(kind, typed, unit)
    Observation.model_validate(
        {
            "visit_id": "00000000-0000-4000-8000-000000000001",
            "patient_id": "00000000-0000-4000-8000-000000000002",
            "kind": kind,
            "value": value,
            "unit": canonical,
            "observed_at": "2026-12-04T10:00:00Z",
        }
    )
    back, shown_unit = typing.shown(kind, value, canonical)
    assert shown_unit == unit and back == pytest.approx(typed, abs=0.05)


def test_entry_ranges_are_the_stored_ranges_in_the_agencys_unit() -> None:
    assert US.entry_range(T) == (77.0, 113.0) and METRIC.entry_range(T) == (25, 45)
    assert US.entry_range(W) == (1.2, 881.8) and METRIC.entry_range(W) == (0.5, 400)
    assert US.entry_range(ObservationKind.HEART_RATE) == (20, 300)


def test_the_agency_card_carries_the_units_and_defaults_to_us_units() -> None:
    assert AgencyCard().vital_units == US
    card = AgencyCard.model_validate({"temperature_unit": "Cel", "weight_unit": "kg"})
    assert card.vital_units == METRIC
    with pytest.raises(ValueError, match="temperature_unit"):
        AgencyCard.model_validate({"temperature_unit": "K"})


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("120/80", (120.0, 80.0)),
        (" 132 / 84 ", (132.0, 84.0)),
        ("132/84 mmHg", (132.0, 84.0)),
        ("99,5/60", (99.5, 60.0)),
    ],
)
def test_a_blood_pressure_pair_is_read(typed: str, expected: tuple[float, float]) -> None:
    assert parse_blood_pressure(typed) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("120", "pair"),
        ("120/", "pair"),
        ("/80", "pair"),
        ("120-80", "pair"),
        ("12O/80", "pair"),
        ("120/80/60", "pair"),
        ("", "pair"),
        ("80/120", "order"),
        ("90/90", "order"),
        ("301/80", "range"),
        ("39/20", "range"),
        ("120/19", "range"),
        ("250/201", "range"),
    ],
)
def test_a_bad_blood_pressure_says_what_is_wrong(typed: str, problem: str) -> None:
    with pytest.raises(BloodPressureError) as caught:
        parse_blood_pressure(typed)
    assert caught.value.problem == problem and str(caught.value)
