"""The Visit's schedule fields (decision 0021) and the service-code catalogue."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldapp.domain.entities import Visit, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.services import SERVICE_CODES, BillUnit, describe_service, service_info
from fieldapp.domain.values import VisitStatus

# A visit as a tablet or server of the first release wrote it: none of the schedule fields.
OLD_WIRE: dict[str, Any] = {
    "id": "0b6f2b8e-54c4-4e0c-9d4f-3f1d2e9a7c11",
    "patient_id": "6a0c1f5e-8d1b-4a1c-b3c2-1e2f3a4b5c6d",
    "worker_id": "5e1c2d3b-4a5f-4e6d-8c7b-9a0b1c2d3e4f",
    "scheduled_start": "2026-12-03T14:00:00Z",
    "scheduled_end": "2026-12-03T15:00:00Z",
    "service_code": "T1019",
    "status": "scheduled",
    "check_in": None,
    "check_out": None,
    "check_in_correction": None,
    "check_out_correction": None,
    "signature_id": None,
}


def test_a_visit_written_before_the_schedule_fields_still_validates_with_their_defaults() -> None:
    visit = parse(Visit, OLD_WIRE)
    assert (visit.cancel_reason, visit.worker_notes, visit.external_id, visit.series_id) == (
        "",
        "",
        None,
        None,
    )
    assert not visit.is_cancelled


def test_the_schedule_fields_round_trip_through_the_wire_form() -> None:
    series = uuid.uuid4()
    visit = parse(
        Visit,
        {
            **OLD_WIRE,
            "status": "cancelled",
            "cancel_reason": "Client in hospital",
            "worker_notes": "Key in the lock box.\nCode 4711.",
            "external_id": "  HHX-2026/000123 ",
            "series_id": str(series),
        },
    )
    assert visit.is_cancelled and visit.status is VisitStatus.CANCELLED
    assert visit.external_id == "HHX-2026/000123", "surrounding spaces are trimmed"
    assert parse(Visit, visit.model_dump(mode="json")) == visit
    assert visit.series_id == series


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cancel_reason", "two\nlines"),
        ("cancel_reason", "x" * 201),
        ("worker_notes", "x" * 2001),
        ("worker_notes", "bell\x07"),
        ("worker_notes", "10 \u202emg"),
        ("external_id", ""),
        ("external_id", "has space"),
        ("external_id", "x" * 65),
        ("external_id", "caf\u00e9"),
        ("series_id", "not-a-uuid"),
    ],
)
def test_bad_schedule_values_are_refused_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse(Visit, {**OLD_WIRE, field: value})
    assert field in caught.value.problems


def test_a_new_tablet_record_refuses_fields_it_does_not_know() -> None:
    with pytest.raises(ValidationError) as caught:
        parse(Visit, {**OLD_WIRE, "colour": "red"})
    assert "colour" in caught.value.problems


@pytest.mark.parametrize(
    ("code", "description", "unit"),
    [
        ("T1019", "Personal care", BillUnit.QUARTER_HOUR),
        ("S5125", "Attendant care", BillUnit.QUARTER_HOUR),
        ("G0156", "Home health aide services", BillUnit.QUARTER_HOUR),
        ("G0299", "Skilled nursing by an RN", BillUnit.QUARTER_HOUR),
        ("G0300", "Skilled nursing by an LPN", BillUnit.QUARTER_HOUR),
        ("G0151", "Physical therapy", BillUnit.QUARTER_HOUR),
        ("S9123", "Nursing care by an RN", BillUnit.HOUR),
        ("S9124", "Nursing care by an LPN", BillUnit.HOUR),
    ],
)
def test_the_agency_codes_have_their_description_and_bill_unit(
    code: str, description: str, unit: BillUnit
) -> None:
    info = service_info(code.lower() + " ")
    assert info is not None and (info.code, info.description, info.unit) == (code, description, unit)


def test_a_visit_describes_its_service_and_an_unknown_code_stays_as_written() -> None:
    assert parse(Visit, OLD_WIRE).service == SERVICE_CODES["T1019"]
    assert describe_service("t1019") == "T1019 Personal care (per 15 min)"
    assert parse(Visit, {**OLD_WIRE, "service_code": "Z9999"}).service is None
    assert describe_service(" z9999") == "Z9999"


@pytest.mark.parametrize(
    ("code", "minutes", "units"),
    [
        ("T1019", 0, 0),
        ("T1019", 7, 0),
        ("T1019", 8, 1),
        ("T1019", 22, 1),
        ("T1019", 23, 2),
        ("T1019", 60, 4),
        ("S9123", 29, 0),
        ("S9123", 30, 1),
        ("S9123", 89, 1),
        ("S9123", 90, 2),
        ("99509", 45, 1),
        ("99509", 0, 0),
    ],
)
def test_bill_units_follow_the_code(code: str, minutes: int, units: int) -> None:
    info = service_info(code)
    assert info is not None and info.units(minutes) == units


@given(st.sampled_from(sorted(SERVICE_CODES)), st.floats(0, 24 * 60), st.floats(0, 24 * 60))
def test_more_time_never_bills_fewer_units(code: str, a: float, b: float) -> None:
    info = SERVICE_CODES[code]
    low, high = sorted((a, b))
    assert info.units(low) <= info.units(high)
