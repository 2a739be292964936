"""The office's side of visit verification on both databases: the exception queue (per day, worker, code,
state), deciding one or a selection (all or none), the visit's verification state, and the EVV and
timesheet exports (only verified visits; same data, same bytes; row count and SHA-256; recorded)."""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
import pytest
from fastapi.testclient import TestClient

from fieldapp.domain.entities import Patient, Visit, VisitException
from fieldapp.domain.evv_feed import json_schema
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.domain.values import Address
from fieldapp.domain.verification import Verification
from fieldapp.server.auth import passwords
from fieldapp.server.database import Database
from fieldapp.server.exceptions import queries as exception_views
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import Clock, Users
from tests.server.helpers import Device

DAY = datetime.now(UTC).date() - timedelta(days=2)  # the devices' clocks are real: a day just past
D = DAY.isoformat()
HOME = Address(line1="12 Orchard Lane", city="Millbrook", latitude=41.785, longitude=-73.694)
GPS = {"kind": "gps", "latitude": 41.7851, "longitude": -73.6942, "accuracy_m": 12.0}


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


def at(hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=UTC)


def worked(patient: Patient, worker: uuid.UUID, start: str, check_in: str, check_out: str) -> Visit:
    """A visit done and signed (checked in and out at the home by GPS)."""
    begin = at(start)
    event = lambda hhmm: {"device_time": at(hhmm), "server_time": at(hhmm), "location": GPS}  # noqa: E731
    return h.visit(
        patient.id,
        worker,
        begin,
        status="completed",
        check_in=event(check_in),
        check_out=event(check_out),
        signature_id=uuid.uuid4(),
    )


def exception(v: Visit, code: ExceptionCode, reason: ExceptionReason | None = None) -> VisitException:
    return VisitException(
        id=exception_id(v.id, code),
        visit_id=v.id,
        patient_id=v.patient_id,
        worker_id=v.worker_id,
        code=code,
        detected_at=v.scheduled_start,
        reason=reason,
    )


@dataclass
class Day:
    clean: Visit
    late: Visit
    far: Visit
    late_exception: VisitException
    far_exception: VisitException


@pytest.fixture
def day(client: TestClient, users: Users, office: Device, nurse: Device, aide: Device) -> Day:
    p = h.patient(address=HOME)
    clean = worked(p, users.nurse, "09:00", "09:02", "09:58")
    late = worked(p, users.nurse, "11:00", "11:40", "12:00")  # 40 min late, 20 of 60 minutes
    far = worked(p, users.aide, "14:00", "14:01", "14:59")
    office.push_ok(office.create(p), office.create(clean), office.create(late), office.create(far))
    db.assign(office, users.nurse, p.id)
    db.assign(office, users.aide, p.id)
    late_exception = exception(late, ExceptionCode.LATE_CHECK_IN, ExceptionReason.TRAFFIC_OR_TRAVEL)
    short = exception(late, ExceptionCode.VISIT_TOO_SHORT, ExceptionReason.CLIENT_REQUEST)
    far_exception = exception(far, ExceptionCode.LOCATION_FAR)
    nurse.push_ok(nurse.create(late_exception), nurse.create(short))
    aide.push_ok(aide.create(far_exception))
    return Day(clean, late, far, late_exception, far_exception)


def queue(office: Device, **params: Any) -> dict[str, Any]:
    response = office.client.get(
        "/admin/exceptions", headers=office.headers, params={"day": DAY.isoformat(), **params}
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def decide(office: Device, ids: list[uuid.UUID], decision: str, note: str = "") -> Any:
    return office.client.post(
        "/admin/exceptions/decide",
        headers=office.headers,
        json={"ids": [str(i) for i in ids], "decision": decision, "note": note},
    )


def test_the_queue_per_day_worker_code_and_state(day: Day, office: Device, users: Users) -> None:
    found = queue(office)
    assert found["total"] == 3 and found["by_state"] == {"open": 3}
    assert found["by_code"] == {"late_check_in": 1, "visit_too_short": 1, "location_far": 1}
    assert [i["code"] for i in queue(office, worker_id=str(users.aide))["items"]] == ["location_far"]
    late = queue(office, code="late_check_in")["items"]
    assert len(late) == 1 and late[0]["reason"] == "Traffic or travel delay"
    assert late[0]["patient_name"] == "Okafor, Ada" and late[0]["worker_name"] == "nurse"
    assert queue(office, day=(DAY - timedelta(days=1)).isoformat())["total"] == 0


def test_approve_one_then_a_selection_and_the_visit_becomes_verified(
    client: TestClient, day: Day, office: Device, nurse: Device, clock: Clock
) -> None:
    database: Database = client.app.state.database  # type: ignore[attr-defined]

    def state(v: Visit) -> Verification:
        with database.read() as session:
            found = exception_views.visit_verification(session, v.id, clock.now)
        assert found is not None
        return found.state

    assert state(day.clean) is Verification.VERIFIED and state(day.late) is Verification.PENDING
    assert decide(office, [day.late_exception.id], "approved").json() == {"decided": 1}
    assert state(day.late) is Verification.PENDING  # one more exception to work
    short = exception_id(day.late.id, ExceptionCode.VISIT_TOO_SHORT)
    assert decide(office, [short], "approved", "Patient asked to finish early").status_code == 200
    assert state(day.late) is Verification.VERIFIED
    assert queue(office)["by_state"] == {"open": 1, "approved": 2}

    nurse.pull_all()  # the tablet receives the decision
    resolution = nurse.values(day.late_exception.id)["resolution"]
    assert resolution["decision"] == "approved" and resolution["by"] == "office"


def test_a_rejection_needs_a_note_and_a_refused_selection_changes_nothing(
    day: Day, office: Device, client: TestClient, clock: Clock
) -> None:
    both = [day.late_exception.id, day.far_exception.id]
    response = decide(office, both, "rejected")
    assert response.status_code == 422 and "why" in response.text
    assert queue(office)["by_state"] == {"open": 3}
    response = decide(office, [*both, uuid.uuid4()], "approved")
    assert response.status_code == 404 and queue(office)["by_state"] == {"open": 3}
    assert decide(office, both, "rejected", "No proof of the delay").json() == {"decided": 2}
    database: Database = client.app.state.database  # type: ignore[attr-defined]
    with database.read() as session:
        found = exception_views.visit_verification(session, day.far.id, clock.now)
    assert found is not None and found.state is Verification.REJECTED
    assert found.exceptions[0].resolution is not None
    assert found.exceptions[0].resolution.note == "No proof of the delay"


def test_only_the_office_decides(day: Day, nurse: Device) -> None:
    assert decide(nurse, [day.late_exception.id], "approved").status_code == 403
    nurse.pull_all()
    decision = {"decision": "approved", "by": "nurse", "at": "2026-11-27T10:00:00Z", "note": ""}
    response = nurse.push(nurse.update("visit_exception", day.late_exception.id, {"resolution": decision}))
    assert response.status_code == 403 and "only the office" in response.text


def test_a_withdrawn_exception_needs_no_decision(day: Day, office: Device, nurse: Device) -> None:
    nurse.pull_all()
    nurse.push_ok(nurse.update("visit_exception", day.late_exception.id, {"withdrawn": True}))
    response = decide(office, [day.late_exception.id], "approved")
    assert response.status_code == 422 and "withdrawn" in response.text


def export(office: Device, kind: str = "evv", fmt: str = "csv", start: str = D, end: str = D) -> Any:
    return office.client.get(
        f"/admin/exports/{kind}", headers=office.headers, params={"from": start, "to": end, "format": fmt}
    )


def test_the_evv_export_holds_verified_visits_only_and_is_reproducible(day: Day, office: Device) -> None:
    first = export(office)
    assert first.status_code == 200, first.text
    rows = list(csv.DictReader(io.StringIO(first.content.decode(), newline="")))
    assert [r["visit_id"] for r in rows] == [str(day.clean.id)]  # the others have open exceptions
    assert first.headers["X-Row-Count"] == "1"
    assert first.headers["X-Content-SHA256"] == hashlib.sha256(first.content).hexdigest()
    assert rows[0]["call_in_method"] == "mobile_gps" and rows[0]["agency_id"] == "AGENCY"
    assert export(office).content == first.content  # same data, same bytes

    decide(
        office, [day.late_exception.id, exception_id(day.late.id, ExceptionCode.VISIT_TOO_SHORT)], "approved"
    )
    document = export(office, fmt="json")
    body = orjson.loads(document.content)
    assert body["row_count"] == 2 and [v["visit_id"] for v in body["visits"]] == [
        str(day.clean.id),
        str(day.late.id),
    ]
    validator = jsonschema_rs.validator_for(json_schema())
    for visit in body["visits"]:
        validator.validate(visit)
    assert [e["code"] for e in body["visits"][1]["exceptions"]] == ["late_check_in", "visit_too_short"]

    made = office.client.get("/admin/exports", headers=office.headers).json()
    assert sorted((m["kind"], m["format"], m["rows"]) for m in made) == [
        ("evv", "csv", 1),
        ("evv", "csv", 1),
        ("evv", "json", 2),
    ]
    assert hashlib.sha256(document.content).hexdigest() in {m["sha256"] for m in made}


def test_the_timesheet_and_refused_exports(day: Day, office: Device) -> None:
    sheet = export(office, "timesheet")
    rows = list(csv.DictReader(io.StringIO(sheet.content.decode(), newline="")))
    visits = [r for r in rows if r["kind"] == "visit"]
    assert len(visits) == 3 and sum(r["kind"] == "week" for r in rows) == 2
    nurse_day = next(r for r in rows if r["kind"] == "day" and r["worker_name"] == "nurse")
    assert nurse_day["hours"] == "1.26" and nurse_day["verified_hours"] == "0.93"  # 56 min verified, 20 not
    assert export(office, start=(DAY + timedelta(days=1)).isoformat(), end=D).status_code == 422
    assert export(office, start=(DAY - timedelta(days=400)).isoformat(), end=D).status_code == 422
    assert export(office, "payroll").status_code in (404, 405)
    made = office.client.get("/admin/exports", headers=office.headers).json()
    assert [m["kind"] for m in made] == ["timesheet"]  # refusals record nothing


def test_fieldapp_admin_export_evv(day: Day, database_url: str, tmp_path: Path, office: Device) -> None:
    out = tmp_path / "evv.json"
    done = _admin(
        database_url,
        "export-evv",
        "--from",
        D,
        "--to",
        D,
        "--format",
        "json",
        "--output",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    body = out.read_bytes()
    assert f"sha256 {hashlib.sha256(body).hexdigest()}" in done.stderr and "1 rows" in done.stderr
    assert orjson.loads(body)["row_count"] == 1
    again = _admin(database_url, "export-evv", "--from", D, "--to", D, "--format", "json")
    assert again.returncode == 0 and again.stdout.encode() == body
    bad = _admin(database_url, "export-evv", "--from", "26/11/2026", "--to", D)
    assert bad.returncode == 2 and "not a date" in bad.stderr and "Traceback" not in bad.stderr
    assert _admin(database_url, "export-timesheet", "--from", D, "--to", D).returncode == 0


def _admin(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fieldapp", "admin", "--database", url, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
