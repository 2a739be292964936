"""Visit-verification exceptions: each code's rule, the reasons each code admits, resolutions, merging."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import Visit, VisitException, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.exceptions import (
    CODE_WORDS,
    REASON_WORDS,
    REASONS,
    ExceptionCode,
    ExceptionReason,
    ExceptionState,
    exception_id,
)
from fieldapp.domain.merge import LossReason, RecordState, Versioned, merge
from fieldapp.domain.values import Address
from fieldapp.domain.verification import DEFAULT_POLICY, can_mark_missed, distance_m, findings
from tests.unit import examples as ex

C = ExceptionCode
HOME = Address(line1="12 Orchard Lane", city="Millbrook", latitude=41.785, longitude=-73.694)
LATER = datetime(2026, 11, 26, 11, 0, tzinfo=UTC)  # after the 09:00-10:00 visit
GPS_HOME = {"kind": "gps", "latitude": 41.7851, "longitude": -73.6942, "accuracy_m": 8}
GPS_FAR = {"kind": "gps", "latitude": 41.803, "longitude": -73.694, "accuracy_m": 8}  # 2 km north


def at(hhmm: str) -> str:
    return f"2026-11-26T{hhmm}:00Z"


def event(hhmm: str, location: dict[str, Any] | None = GPS_HOME) -> dict[str, Any]:
    return {"device_time": at(hhmm), "server_time": at(hhmm), "location": location}


def visit(**changes: Any) -> Visit:
    return parse(Visit, ex.visit(**changes))


def worked(check_in: str = "09:02", check_out: str = "09:58", **changes: Any) -> Visit:
    return visit(status="completed", check_in=event(check_in), check_out=event(check_out), **changes)


def codes(v: Visit, now: datetime = LATER, home: Address | None = HOME) -> list[ExceptionCode]:
    return [f.code for f in findings(v, home, now)]


def signed(v: Visit) -> Visit:
    return v.revise(signature_id=uuid.uuid4())


def test_a_clean_visit_has_no_exceptions() -> None:
    assert codes(signed(worked())) == []


@pytest.mark.parametrize(
    ("check_in", "check_out", "expected"),
    [
        ("09:20", "10:10", [C.LATE_CHECK_IN]),
        ("09:20", "09:58", [C.LATE_CHECK_IN, C.VISIT_TOO_SHORT]),  # 38 of 60 minutes
        ("08:20", "09:58", [C.EARLY_CHECK_IN, C.VISIT_TOO_LONG]),
        ("09:02", "09:30", [C.EARLY_CHECK_OUT, C.VISIT_TOO_SHORT]),
        ("09:02", "10:40", [C.LATE_CHECK_OUT, C.VISIT_TOO_LONG]),
        ("09:02", "09:03", [C.EARLY_CHECK_OUT, C.VISIT_TOO_SHORT]),
        ("09:14", "10:14", []),  # within the 15 minutes' grace either side
    ],
)
def test_timing_exceptions(check_in: str, check_out: str, expected: list[ExceptionCode]) -> None:
    assert codes(signed(worked(check_in, check_out))) == expected


def test_the_detail_says_how_late_and_how_short() -> None:
    found = {f.code: f.detail for f in findings(signed(worked("09:40", "09:50")), HOME, LATER)}
    assert found[C.LATE_CHECK_IN] == "40 min after the start"
    assert found[C.VISIT_TOO_SHORT] == "10 min of 60 min"


def test_location_missing_when_either_event_has_no_gps_fix() -> None:
    v = signed(worked().revise(check_out=event("09:58", {"kind": "home"})))
    found = findings(v, HOME, LATER)
    assert [f.code for f in found] == [C.LOCATION_MISSING]
    assert found[0].detail == "no GPS position at check-out"
    declared = visit(status="in_progress", check_in=event("09:02", None))
    assert C.LOCATION_MISSING in codes(declared)


def test_location_far_from_the_geocoded_home() -> None:
    v = signed(worked().revise(check_in=event("09:02", GPS_FAR)))
    found = {f.code: f.detail for f in findings(v, HOME, LATER)}
    assert list(found) == [C.LOCATION_FAR]
    assert found[C.LOCATION_FAR].startswith("check-in 2,0")
    assert codes(v, home=HOME.model_copy(update={"latitude": None, "longitude": None})) == []  # no home
    assert 1_990 < distance_m(41.785, -73.694, 41.803, -73.694) < 2_010


def test_manual_time_missing_check_out_missed_and_no_signature() -> None:
    corrected = {"corrected_time": at("09:05"), "reason": "forgot_check_in", "corrected_at": at("09:30")}
    assert C.MANUAL_TIME in codes(signed(worked(check_in_correction=corrected)))
    open_visit = visit(status="in_progress", check_in=event("09:02"))
    assert codes(open_visit, now=datetime(2026, 11, 26, 10, 30, tzinfo=UTC)) == []
    assert codes(open_visit, now=datetime(2026, 11, 26, 11, 1, tzinfo=UTC)) == [C.MISSING_CHECK_OUT]
    assert codes(visit(status="missed")) == [C.MISSED_VISIT]
    assert codes(visit(status="cancelled")) == []
    unsigned = worked()
    assert codes(unsigned, now=datetime(2026, 11, 26, 10, 20, tzinfo=UTC)) == []  # 22 min after check-out
    assert codes(unsigned) == [C.NO_SIGNATURE]


def test_missed_may_be_marked_only_near_the_visit_s_time() -> None:
    v = visit()
    start = v.scheduled_start
    assert not can_mark_missed(v, start - DEFAULT_POLICY.missed_window - timedelta(minutes=1))
    assert can_mark_missed(v, start - DEFAULT_POLICY.missed_window)
    assert can_mark_missed(v, start + timedelta(hours=3))
    assert not can_mark_missed(visit(status="in_progress", check_in=event("09:02")), start)
    assert not can_mark_missed(visit(status="cancelled"), start)


def exception(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(exception_id(ex.VISIT_ID, C.MISSED_VISIT)),
        "visit_id": str(ex.VISIT_ID),
        "patient_id": str(ex.PATIENT_ID),
        "worker_id": str(ex.WORKER_ID),
        "code": "missed_visit",
        "detected_at": at("09:40"),
        **changes,
    }


def test_each_code_admits_its_own_reasons_and_other_needs_a_note() -> None:
    assert set(REASONS) == set(ExceptionCode) == set(CODE_WORDS) and set(REASON_WORDS) == set(ExceptionReason)
    assert parse(VisitException, exception(reason="client_hospitalised")).state is ExceptionState.OPEN
    with pytest.raises(ValidationError, match="does not apply"):
        parse(VisitException, exception(reason="no_fix_in_time"))
    with pytest.raises(ValidationError, match="needs a note"):
        parse(VisitException, exception(reason="other"))
    assert parse(VisitException, exception(reason="other", note="Dog loose in the yard")).note


def test_resolution_states_and_a_rejection_says_why() -> None:
    by = {"by": "Maria Office", "at": at("12:00")}
    approved = parse(VisitException, exception(resolution={"decision": "approved", **by}))
    assert approved.state is ExceptionState.APPROVED
    assert parse(VisitException, exception(withdrawn=True)).state is ExceptionState.WITHDRAWN
    with pytest.raises(ValidationError, match="why"):
        parse(VisitException, exception(resolution={"decision": "rejected", **by}))
    rejected = parse(VisitException, exception(resolution={"decision": "rejected", "note": "No proof", **by}))
    assert rejected.state is ExceptionState.REJECTED


def test_the_id_follows_from_visit_and_code() -> None:
    assert exception_id(ex.VISIT_ID, C.MISSED_VISIT) == exception_id(ex.VISIT_ID, C.MISSED_VISIT)
    assert exception_id(ex.VISIT_ID, C.MISSED_VISIT) != exception_id(ex.VISIT_ID, C.NO_SIGNATURE)


def state(stamp: Stamp, **values: Any) -> RecordState:
    return RecordState({name: Versioned(value, stamp) for name, value in values.items()})


def test_merge_keeps_what_was_found_and_lets_the_last_decision_win() -> None:
    tablet, office = Stamp(1_000, 0, "tablet1"), Stamp(2_000, 0, "office1")
    found = state(tablet, code="missed_visit", reason="client_not_home")
    decided = state(office, code="late_check_in", resolution={"decision": "approved"})
    result = merge("visit_exception", found, decided)
    assert result.state.values()["code"] == "missed_visit"  # fixed by its first write
    assert result.state.values()["resolution"] == {"decision": "approved"}
    assert [loser.reason for loser in result.losers] == [LossReason.IMMUTABLE]
    tomb = RecordState({}, Stamp(3_000, 0, "tablet1"))
    assert merge("visit_exception", found, tomb).state.deleted is None  # never deleted
