"""Missing electronic-visit-verification elements (fieldapp.domain.evv)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldapp.domain.entities import Visit, parse
from fieldapp.domain.evv import EvvElement, missing_evv
from tests.unit import examples as ex

DATE, LOCATION, TIMES = EvvElement.DATE, EvvElement.LOCATION, EvvElement.TIMES


def correction(at: str, reason: str) -> dict[str, str]:
    return {"corrected_time": at, "reason": reason, "corrected_at": "2026-11-26T12:00:00Z"}


def visit(**changes) -> Visit:
    return parse(Visit, ex.visit(**changes))


def test_a_scheduled_visit_lacks_date_location_and_times():
    assert missing_evv(visit()) == [DATE, LOCATION, TIMES]


@pytest.mark.parametrize("kind", ["gps", "home", "community"])
def test_after_check_in_with_a_location_only_the_times_are_missing(kind):
    location = {"kind": kind, **({"latitude": 41.78, "longitude": -73.69} if kind == "gps" else {})}
    assert missing_evv(visit(status="in_progress", check_in=ex.check_in(location=location))) == [TIMES]


def test_after_check_out_nothing_is_missing():
    assert missing_evv(parse(Visit, ex.completed_visit())) == []


def test_check_out_without_a_location_is_enough_when_check_in_had_one():
    assert missing_evv(visit(check_in=ex.check_in(), check_out={**ex.check_out(), "location": None})) == []


def test_a_check_in_without_a_location_lacks_the_location():
    no_location = {**ex.check_in(), "location": None}
    assert missing_evv(visit(check_in=no_location)) == [LOCATION, TIMES]
    assert missing_evv(visit(check_in=no_location, check_out=ex.check_out())) == [LOCATION]


def test_a_check_out_location_does_not_stand_in_for_the_check_in_location():
    no_location = {**ex.check_in(), "location": None}
    assert missing_evv(visit(check_in=no_location, check_out=ex.check_out())) == [LOCATION]


def test_a_check_out_correction_supplies_the_end_time():
    v = visit(
        check_in=ex.check_in(), check_out_correction=correction("2026-11-26T09:55:00Z", "forgot_check_out")
    )
    assert v.check_out is None
    assert v.effective_check_out == datetime(2026, 11, 26, 9, 55, tzinfo=UTC)
    assert missing_evv(v) == []


def test_a_check_in_correction_supplies_the_date_but_not_the_location():
    v = visit(check_in_correction=correction("2026-11-26T09:05:00Z", "forgot_check_in"))
    assert v.check_in is None
    assert v.effective_check_in == datetime(2026, 11, 26, 9, 5, tzinfo=UTC)
    assert missing_evv(v) == [LOCATION, TIMES]
    both = visit(
        check_in_correction=correction("2026-11-26T09:05:00Z", "forgot_check_in"),
        check_out_correction=correction("2026-11-26T09:55:00Z", "forgot_check_out"),
    )
    assert missing_evv(both) == [LOCATION]


def test_a_correction_overrides_the_reading_it_corrects():
    v = parse(
        Visit,
        ex.completed_visit(
            check_in_correction=correction("2026-11-26T09:00:00Z", "device_failure"),
            check_out_correction=correction("2026-11-26T10:00:00Z", "device_failure"),
        ),
    )
    # The original readings stay on the visit; the corrections are the times that count.
    assert v.check_in.server_time == datetime(2026, 11, 26, 9, 2, tzinfo=UTC)
    assert v.check_out.server_time == datetime(2026, 11, 26, 9, 58, tzinfo=UTC)
    assert v.effective_check_in == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert v.effective_check_out == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    assert missing_evv(v) == []


def test_without_corrections_the_server_corrected_reading_counts():
    v = visit(
        check_in={
            "device_time": "2026-11-26T14:02:00Z",
            "server_time": "2026-11-26T09:02:00Z",
            "location": {"kind": "home"},
        },
    )
    assert v.effective_check_in == datetime(2026, 11, 26, 9, 2, tzinfo=UTC)
    assert v.effective_check_out is None


def test_the_elements_never_reported_missing_are_required_fields():
    # Service type, recipient and provider cannot be absent from a valid visit.
    for name in ("service_code", "patient_id", "worker_id"):
        assert Visit.model_fields[name].is_required()
