"""The office's verification pages over HTTP on SQLite and PostgreSQL: the exception queue and its forms
(one, a selection, refusals that change nothing), the patient's home position, and the exports page."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from fieldapp.domain.entities import Patient, Visit, VisitException
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.domain.values import Address
from fieldapp.server.auth import passwords
from tests.office.conftest import Browser, Users
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.helpers import Device

DAY = datetime.now(UTC).date() - timedelta(days=1)
HOME = Address(line1="12 Orchard Lane", city="Millbrook", latitude=41.785, longitude=-73.694)
GPS = {"kind": "gps", "latitude": 41.7931, "longitude": -73.6942, "accuracy_m": 9.0}


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=UTC)


def arrange(office: Device, nurse: Device, users: Users) -> tuple[Patient, Visit, list[VisitException]]:
    """A visit checked in 40 minutes late and 900 m from home, with two exceptions the nurse sent."""
    p = h.patient(address=HOME)
    event = lambda t: {"device_time": t, "server_time": t, "location": GPS}  # noqa: E731
    v = h.visit(
        p.id, users.nurse, at(9), status="completed", check_in=event(at(9, 40)), check_out=event(at(10, 30))
    )
    office.push_ok(office.create(p), office.create(v))
    db.assign(office, users.nurse, p.id)
    found = [
        VisitException(
            id=exception_id(v.id, code),
            visit_id=v.id,
            patient_id=p.id,
            worker_id=users.nurse,
            code=code,
            detected_at=at(9, 40),
            reason=reason,
        )
        for code, reason in (
            (ExceptionCode.LATE_CHECK_IN, ExceptionReason.TRAFFIC_OR_TRAVEL),
            (ExceptionCode.LOCATION_FAR, None),
        )
    ]
    nurse.push_ok(*(nurse.create(e) for e in found))
    return p, v, found


def state_of(client: TestClient, record_id: uuid.UUID) -> dict[str, object] | None:
    from fieldapp.server.models import Record

    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        row = session.get(Record, record_id)
        assert row is not None
        return row.fields.get("resolution")  # type: ignore[no-any-return]


def test_the_queue_page_filters_and_decides(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    _, v, (late, far) = arrange(office, nurse, users)
    page = signed_in.get(f"/office/exceptions?day={DAY}")
    assert page.status_code == 200
    assert "Late check-in" in page.text and "Traffic or travel delay" in page.text
    assert "Location far from the patient&#39;s home" in page.text and "no reason given" in page.text
    only = signed_in.get(f"/office/exceptions?day={DAY}&code=location_far")
    assert "Late check-in</b>" not in only.text and "Location far" in only.text
    assert "No open exceptions" in signed_in.get(f"/office/exceptions?day={DAY - timedelta(days=1)}").text

    back = f"/office/exceptions?day={DAY}&state=open"
    done = signed_in.post("/office/exceptions/decide", {"one": f"approved:{late.id}", "back": back})
    assert done.status_code == 303 and done.headers["location"] == back + "&ok=approved"
    assert state_of(client, late.id)["decision"] == "approved"  # type: ignore[index]

    refused = signed_in.post("/office/exceptions/decide", {f"pick-{far.id}": "1", "decision": "rejected"})
    assert refused.status_code == 422 and "say why" in refused.text and state_of(client, far.id) is None
    rejected = signed_in.post(
        "/office/exceptions/decide", {f"pick-{far.id}": "1", "decision": "rejected", "note": "Not at home"}
    )
    assert rejected.status_code == 303 and state_of(client, far.id)["decision"] == "rejected"  # type: ignore[index]
    visit_page = signed_in.get(f"/office/visits/{v.id}")
    assert "exception rejected" in visit_page.text and "Not at home" in visit_page.text


@pytest.mark.parametrize(
    "form",
    [
        {"decision": "maybe", "pick-x": "1"},
        {"decision": "approved", "pick-not-a-uuid": "1"},
        {"decision": "approved"},
        {"one": "approved:not-a-uuid"},
        {"decision": "approved", f"pick-{uuid.uuid4()}": "1"},
    ],
    ids=["bad decision", "bad id", "nothing chosen", "bad single id", "unknown id"],
)
def test_a_bad_decision_form_is_refused_and_changes_nothing(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users, form: dict[str, str]
) -> None:
    _, _, found = arrange(office, nurse, users)
    response = signed_in.post("/office/exceptions/decide", form)
    assert response.status_code in (400, 404, 422) and "Traceback" not in response.text
    assert all(state_of(client, e.id) is None for e in found)


def test_the_home_position_from_a_map_or_a_recorded_fix(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    p, _, _ = arrange(office, nurse, users)
    page = signed_in.get(f"/office/patients/{p.id}")
    assert "Home position" in page.text and "41.785, -73.694" in page.text
    assert "41.7931, -73.6942" in page.text and "Use this position" in page.text  # the check-in's fix
    assert "901 m" in page.text  # how far that fix is from the position on record

    saved = signed_in.post(f"/office/patients/{p.id}/home", {"position": "41.7931, -73.6942"})
    assert saved.status_code == 303
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        from fieldapp.server.models import Record

        address = session.get(Record, p.id).fields["address"]  # type: ignore[union-attr]
    assert (address["latitude"], address["longitude"]) == (41.7931, -73.6942)
    assert address["line1"] == "12 Orchard Lane"  # the rest of the address stays
    for bad in ("north of the church", "41.7931", "95, 10", "41.7 -200"):
        refused = signed_in.post(f"/office/patients/{p.id}/home", {"position": bad})
        assert refused.status_code == 422 and "not saved" in refused.text


def test_the_exports_page_downloads_and_records(
    signed_in: Browser, office: Device, nurse: Device, users: Users
) -> None:
    arrange(office, nurse, users)
    assert "No exports yet" in signed_in.get("/office/exports").text
    form = {"from": str(DAY), "to": str(DAY), "kind": "timesheet", "format": "csv"}
    sheet = signed_in.post("/office/exports/download", form)
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    assert sheet.headers["X-Content-SHA256"] == hashlib.sha256(sheet.content).hexdigest()
    assert b"visit," in sheet.content
    listed = signed_in.get("/office/exports").text
    assert hashlib.sha256(sheet.content).hexdigest() in listed and "timesheet · csv" in listed
    for bad in (
        {**form, "to": str(DAY - timedelta(days=1))},
        {**form, "format": "json"},
        {**form, "kind": "everything"},
        {**form, "from": "yesterday"},
    ):
        refused = signed_in.post("/office/exports/download", bad)
        assert refused.status_code in (400, 422) and "Traceback" not in refused.text
