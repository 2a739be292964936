"""The EVV export and the timesheet: verified means approved or clean, rows follow the documented schema,
the same data gives the same bytes, and each file carries its row count and SHA-256."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jsonschema_rs
import orjson

from fieldapp.domain.entities import Patient, Visit, VisitException, parse
from fieldapp.domain.evv_feed import CSV_COLUMNS, EvvVisit, evv_visit, json_schema, write_csv, write_json
from fieldapp.domain.exceptions import ExceptionCode, exception_id
from fieldapp.domain.timesheet import COLUMNS, WorkedVisit, write_timesheet
from fieldapp.domain.verification import Verification, verification
from tests.unit import examples as ex

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "evv-visit.schema.json"
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
FIX = {"kind": "gps", "latitude": 41.7851, "longitude": -73.6942, "accuracy_m": 12.0}


def patient() -> Patient:
    return parse(Patient, ex.patient())


def call(hhmm: str, location: dict[str, Any] | None = None) -> dict[str, Any]:
    at = f"2026-11-26T{hhmm}:00Z"
    place = location or {**FIX, "fixed_at": f"2026-11-26T{hhmm}:00.250000Z"}
    return {"device_time": at, "server_time": at, "location": place}


def done(check_in: str = "09:01", check_out: str = "09:59", **changes: Any) -> Visit:
    values = ex.visit(status="completed", check_in=call(check_in), check_out=call(check_out), **changes)
    return parse(Visit, {**values, "signature_id": str(uuid.UUID(int=7))})


def record(v: Visit, code: ExceptionCode, decision: str | None = None, **changes: Any) -> VisitException:
    resolution = None
    if decision:
        note = "" if decision == "approved" else "No evidence"
        resolution = {"decision": decision, "by": "Maria Office", "at": "2026-11-27T10:00:00Z", "note": note}
    return parse(
        VisitException,
        {
            "id": str(exception_id(v.id, code)),
            "visit_id": str(v.id),
            "patient_id": str(v.patient_id),
            "worker_id": str(v.worker_id),
            "code": code.value,
            "detected_at": "2026-11-26T09:20:00Z",
            "resolution": resolution,
            **changes,
        },
    )


def test_only_approved_or_clean_visits_are_verified() -> None:
    home = patient().address
    clean, late = done(), done("09:30", "10:20")
    assert verification(clean, [], home, NOON) is Verification.VERIFIED
    assert verification(late, [], home, NOON) is Verification.PENDING  # a rule broken, nothing recorded
    assert verification(late, [record(late, ExceptionCode.LATE_CHECK_IN)], home, NOON) is Verification.PENDING
    approved = [record(late, ExceptionCode.LATE_CHECK_IN, "approved", reason="traffic_or_travel")]
    assert verification(late, approved, home, NOON) is Verification.VERIFIED
    rejected = [record(late, ExceptionCode.LATE_CHECK_IN, "rejected")]
    assert verification(late, rejected, home, NOON) is Verification.REJECTED
    withdrawn = [record(clean, ExceptionCode.MISSED_VISIT, withdrawn=True)]
    assert verification(clean, withdrawn, home, NOON) is Verification.VERIFIED
    scheduled = parse(Visit, ex.visit())
    assert verification(scheduled, [], home, NOON) is Verification.NOT_DONE


def rows() -> list[EvvVisit]:
    p = patient()
    late = done("09:30", "10:20", id=str(uuid.UUID(int=2)))
    corrected = {"corrected_time": "2026-11-26T09:00:00Z", "reason": "forgot_check_in", "corrected_at": NOON}
    manual = done(id=str(uuid.UUID(int=3)), check_in_correction=corrected)
    approved = record(late, ExceptionCode.LATE_CHECK_IN, "approved", reason="traffic_or_travel")
    return [
        evv_visit("AGENCY-7", done(), p, "Ana Ruiz, RN", []),
        evv_visit("AGENCY-7", late, p, "Ana Ruiz, RN", [approved]),
        evv_visit("AGENCY-7", manual, p, 'Bo "Jr" Lee, HHA', []),
    ]


def test_csv_has_the_documented_columns_and_reads_back() -> None:
    out = io.BytesIO()
    written = write_csv(rows(), out)
    data = out.getvalue()
    assert written.rows == 3 and written.size == len(data)
    assert written.sha256 == hashlib.sha256(data).hexdigest()
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert tuple(table[0]) == CSV_COLUMNS and len(table) == 3
    assert table[0]["call_in_method"] == "mobile_gps" and table[0]["call_in_latitude"] == "41.7851"
    assert table[0]["call_in_fix_time"] == "2026-11-26T09:01:00Z" and table[0]["duration_minutes"] == "58"
    assert table[1]["exceptions"] == "late_check_in:traffic_or_travel:approved"
    assert (
        table[2]["call_in_method"] == "manual" and table[2]["call_in_correction_reason"] == "forgot_check_in"
    )
    assert table[2]["worker_name"] == 'Bo "Jr" Lee, HHA'  # quoted, not split
    assert data.endswith(b"\r\n")


def test_json_rows_validate_against_the_documented_schema() -> None:
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema(), "regenerate the schema file"
    validator = jsonschema_rs.validator_for(json_schema())
    out = io.BytesIO()
    written = write_json(rows(), out, period=("2026-11-01", "2026-11-30"), agency_id="AGENCY-7")
    document = orjson.loads(out.getvalue())
    assert document["schema"] == "fieldapp-evv/1" and document["row_count"] == written.rows == 3
    for visit in document["visits"]:
        validator.validate(visit)
    assert document["visits"][1]["exceptions"][0]["resolved_by"] == "Maria Office"
    bad = {**document["visits"][0], "duration_minutes": -1}
    assert not validator.is_valid(bad)


def test_the_same_data_gives_the_same_bytes() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    assert write_csv(rows(), first) == write_csv(rows(), second)
    assert first.getvalue() == second.getvalue()
    a, b = io.BytesIO(), io.BytesIO()
    period = ("2026-11-01", "2026-11-30")
    assert write_json(rows(), a, period=period, agency_id="A") == write_json(
        rows(), b, period=period, agency_id="A"
    )
    assert a.getvalue() == b.getvalue()


def test_an_empty_export_is_still_a_valid_file() -> None:
    out = io.BytesIO()
    assert write_json([], out, period=("2026-11-01", "2026-11-30"), agency_id="A").rows == 0
    assert orjson.loads(out.getvalue())["visits"] == []
    out = io.BytesIO()
    write_csv([], out)
    assert out.getvalue().decode().strip() == ",".join(CSV_COLUMNS)


def worked(worker: uuid.UUID, start: datetime, minutes: int, verified: bool = True) -> WorkedVisit:
    at = start.isoformat().replace("+00:00", "Z")
    end = (start + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
    values = ex.visit(
        id=str(uuid.uuid4()),
        worker_id=str(worker),
        scheduled_start=at,
        scheduled_end=end,
        status="completed",
        check_in={"device_time": at, "server_time": at, "location": None},
        check_out={"device_time": end, "server_time": end, "location": None},
    )
    return WorkedVisit(
        parse(Visit, values), "Ana Ruiz" if worker.int == 1 else "Bo Lee", "Núñez, Zoë", verified
    )


def test_timesheet_totals_per_day_and_week_with_overtime() -> None:
    ana, bo = uuid.UUID(int=1), uuid.UUID(int=2)
    monday = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York
    week = [worked(ana, monday + timedelta(days=d, hours=h), 150) for d in range(5) for h in (0, 3, 6)]
    week.append(worked(ana, monday + timedelta(days=5), 90, verified=False))
    week.append(worked(bo, monday, 45))
    out = io.BytesIO()
    written = write_timesheet(week, out, ZoneInfo("America/New_York"))
    table = list(csv.DictReader(io.StringIO(out.getvalue().decode(), newline="")))
    assert tuple(table[0]) == COLUMNS and written.rows == len(table)
    kinds = [row["kind"] for row in table]
    assert kinds.count("visit") == 17 and kinds.count("day") == 7 and kinds.count("week") == 2
    first_day = next(row for row in table if row["kind"] == "day")
    assert first_day["date"] == "2026-11-23" and first_day["hours"] == "7.50"
    ana_week = next(row for row in table if row["kind"] == "week" and row["worker_name"] == "Ana Ruiz")
    assert ana_week["week"] == "2026-W48" and ana_week["hours"] == "39.00"
    assert ana_week["verified_hours"] == "37.50" and ana_week["overtime_hours"] == "0"
    assert table[0]["start"] == "2026-11-23T09:00-05:00"


def test_overtime_past_forty_verified_hours() -> None:
    ana = uuid.UUID(int=1)
    monday = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    out = io.BytesIO()
    write_timesheet([worked(ana, monday + timedelta(days=d), 9 * 60) for d in range(5)], out, UTC)
    week = list(csv.DictReader(io.StringIO(out.getvalue().decode(), newline="")))[-1]
    assert week["kind"] == "week" and week["verified_hours"] == "45.00" and week["overtime_hours"] == "5.00"
