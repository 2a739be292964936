"""The audit trail on the server (devices' logs, API accesses), the fleet list, and remote wipe.

Every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.server.models import DeviceAuditEvent, Record
from tests.server import helpers as h
from tests.server.conftest import PASSWORD, Clock, Users
from tests.server.helpers import Device


def error_of(response: Any) -> str:
    return response.json()["error"]  # type: ignore[no-any-return]


def flush(client: TestClient) -> None:
    client.app.state.access_log.flush()  # type: ignore[attr-defined]


def audit_rows(client: TestClient) -> int:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        return session.scalar(sa.select(sa.func.count()).select_from(DeviceAuditEvent)) or 0


def upload(client: TestClient, device: Device, events: list[dict[str, Any]]) -> Any:
    return client.post(
        "/audit/events", headers=device.headers, json={"device_id": device.device_id, "events": events}
    )


# -- device audit logs ---------------------------------------------------------------------------------------


def test_a_devices_audit_log_is_stored_once_and_can_be_queried(
    client: TestClient, nurse: Device, office: Device
) -> None:
    first = h.audit_events(3, username="nurse")
    answer = upload(client, nurse, first)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"stored": 3, "duplicates": 0, "last_seq": 3, "chain_ok": True}
    # The answer was lost and the device sends the same entries again, plus the next ones.
    more = h.audit_events(2, start=4, prev_hash=first[-1]["hash"], username="nurse", action="edit")
    again = upload(client, nurse, first[1:] + more)
    assert again.json() == {"stored": 2, "duplicates": 2, "last_seq": 5, "chain_ok": True}
    assert audit_rows(client) == 5

    listed = client.get("/admin/audit/devices", headers=office.headers, params={"username": "nurse"}).json()
    assert [e["seq"] for e in listed] == [5, 4, 3, 2, 1]
    assert all(e["chain_ok"] and e["device_id"] == nurse.device_id for e in listed)
    edits = client.get("/admin/audit/devices", headers=office.headers, params={"action": "edit"}).json()
    assert [e["seq"] for e in edits] == [5, 4]
    one = client.get(
        "/admin/audit/devices", headers=office.headers, params={"record_id": first[0]["record_id"]}
    ).json()
    assert [e["seq"] for e in one] == [1]


def test_a_gap_in_a_devices_chain_is_kept_and_marked(
    client: TestClient, nurse: Device, office: Device
) -> None:
    first = h.audit_events(2)
    assert upload(client, nurse, first).json()["chain_ok"] is True
    # Entries 3-4 never arrive (removed on the device); 5-6 chain to a hash the server never saw.
    later = h.audit_events(2, start=5, prev_hash="ab" * 32)
    answer = upload(client, nurse, later)
    assert answer.status_code == 200
    assert answer.json()["chain_ok"] is False
    listed = client.get("/admin/audit/devices", headers=office.headers).json()
    assert {e["seq"]: e["chain_ok"] for e in listed} == {1: True, 2: True, 5: False, 6: True}


def test_altered_or_disordered_entries_are_refused_and_nothing_is_stored(
    client: TestClient, nurse: Device, aide: Device
) -> None:
    events = h.audit_events(3)
    altered = [dict(e) for e in events]
    altered[1]["detail"] = "something else"  # the hash no longer matches the content
    response = upload(client, nurse, altered)
    assert response.status_code == 422
    assert "hash" in response.json()["message"]
    disordered = [events[0], events[2]]
    assert upload(client, nurse, disordered).status_code == 422
    control = [dict(e) for e in events]
    control[0]["username"] = "nurse\n"
    assert upload(client, nurse, control).status_code == 422
    assert upload(client, nurse, []).status_code == 422
    too_many = h.audit_events(501)
    assert upload(client, nurse, too_many).status_code == 422
    # Another device's log cannot be uploaded under its id.
    other = client.post(
        "/audit/events", headers=nurse.headers, json={"device_id": aide.device_id, "events": events}
    )
    assert other.status_code == 403
    assert error_of(other) == "not_your_device"
    assert audit_rows(client) == 0


# -- API accesses --------------------------------------------------------------------------------------------


def test_every_api_access_is_recorded_with_who_what_and_the_status(
    client: TestClient, users: Users, nurse: Device, office: Device
) -> None:
    image = nurse.upload(h.PNG + b"access")
    assert client.get(f"/blobs/{image}", headers=nurse.headers).status_code == 200
    assert client.get("/sync/pull", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/health").status_code == 200
    assert client.get("/office/static/office.css").status_code == 200
    assert client.get("/wp-admin/setup.php").status_code == 404
    flush(client)

    mine = client.get(
        "/admin/audit/access", headers=office.headers, params={"user_id": str(users.nurse)}
    ).json()
    seen = [(e["method"], e["route"], e["target"], e["status"], e["device_id"]) for e in mine]
    assert ("GET", "/blobs/{sha256:path}", image, 200, nurse.device_id) in seen
    assert ("PUT", "/blobs/{sha256:path}", image, 201, nurse.device_id) in seen
    everything = client.get("/admin/audit/access", headers=office.headers, params={"limit": 1000}).json()
    routes = {e["route"] for e in everything}
    assert "/health" not in routes and not any(r.startswith("/office/static") for r in routes)
    assert "/wp-admin/setup.php" in routes, "a probe for a page that does not exist is recorded as tried"
    refused = [e for e in everything if e["route"] == "/sync/pull" and e["status"] == 401]
    assert len(refused) == 1 and refused[0]["user_id"] is None
    assert all(e["request_id"] and e["client"] for e in everything)
    only_401 = client.get("/admin/audit/access", headers=office.headers, params={"status": 401}).json()
    assert {e["status"] for e in only_401} == {401}


def test_accesses_buffered_at_shutdown_are_written(app_factory: Any, users: Users) -> None:
    client = app_factory()
    Device.sign_in(client, "nurse", PASSWORD, "tablet9")
    database = client.app.state.database
    client.__exit__(None, None, None)  # lifespan end: the writer flushes what it holds
    with database.read() as session:
        routes = session.execute(sa.text("SELECT route FROM api_access")).scalars().all()
    assert "/auth/login" in routes


# -- fleet ---------------------------------------------------------------------------------------------------


def test_the_fleet_list_shows_what_each_device_last_reported_and_which_are_silent(
    client: TestClient, clock: Clock, nurse: Device, aide: Device, office: Device
) -> None:
    p = h.patient()
    answer = client.post(
        "/sync/push",
        headers=office.headers,
        json={
            "device_id": office.device_id,
            "mutations": [office.create(p)],
            "pending": 4,
            "app_version": "1.2.3",
            "clock_offset_ms": -1500,
        },
    )
    assert answer.status_code == 200, answer.text
    browser = client.post(
        "/auth/login",
        json={
            "username": "office",
            "password": PASSWORD,
            "device_id": "webdesk",
            "app_version": "office-web",
        },
    )
    assert browser.status_code == 200
    clock.advance(days=2)
    # The nurse syncs now; the aide signed in two days ago and has not been heard of since.
    nurse = Device.sign_in(client, "nurse", PASSWORD, nurse.device_id)
    office = Device.sign_in(client, "office", PASSWORD, office.device_id)
    nurse.pull_page()
    flush(client)
    devices = {d["device_id"]: d for d in client.get("/admin/devices", headers=office.headers).json()}
    assert devices[office.device_id]["pending"] == 4
    assert devices[office.device_id]["app_version"] == "1.2.3"
    assert devices[office.device_id]["clock_offset_ms"] == -1500
    assert devices[nurse.device_id]["last_sync_at"] is not None
    assert devices[nurse.device_id]["silent"] is False
    assert devices[aide.device_id]["silent"] is True
    assert devices[aide.device_id]["username"] == "aide"
    assert devices["webdesk"]["browser"] and not devices["webdesk"]["silent"], "a browser is no silent tablet"
    listed = client.get("/admin/devices", headers=office.headers).json()
    assert listed[0]["silent"], "silent devices come first"


def test_a_disabled_device_hands_in_its_data_then_confirms_its_wipe(
    client: TestClient, users: Users, nurse: Device, office: Device
) -> None:
    p = h.patient()
    office.push_ok(office.create(p))
    assert client.put(f"/caseloads/{users.nurse}/{p.id}", headers=office.headers).status_code == 204
    nurse.pull_page()
    second = Device.sign_in(client, "nurse", PASSWORD, "tablet7")  # her other tablet stays in service

    assert client.post(f"/admin/devices/{nurse.device_id}/disable", headers=office.headers).status_code == 204
    refused = client.get("/sync/pull", headers=nurse.headers)
    assert refused.status_code == 403
    assert error_of(refused) == "device_retired"
    assert error_of(client.get("/sync/events", headers=nurse.headers)) == "device_retired"
    # It may still push what it holds, its files first, and its audit log.
    image = nurse.upload(h.PNG + b"retiring")
    v = h.visit(p.id, users.nurse)
    nurse.push_ok(nurse.update("patient", p.id, {"phone": "555-0199"}), nurse.create(v))
    assert upload(client, nurse, h.audit_events(1)).status_code == 200
    assert image
    assert client.get("/sync/pull", headers=second.headers).status_code == 200

    assert client.post("/devices/me/wiped", headers=nurse.headers).status_code == 204
    assert client.post("/sync/push", headers=nurse.headers, json={}).status_code == 401
    assert client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token}).status_code == 401
    relogin = client.post(
        "/auth/login", json={"username": "nurse", "password": PASSWORD, "device_id": nurse.device_id}
    )
    assert relogin.status_code == 403
    assert error_of(relogin) == "device_retired"
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        assert session.get(Record, v.id) is not None, "what it pushed before the wipe is kept"
    device = next(
        d for d in client.get("/admin/devices", headers=office.headers).json() if d["device_id"] == "tablet1"
    )
    assert device["disabled"] and device["wiped_at"] is not None
    assert client.get("/sync/pull", headers=second.headers).status_code == 200


def test_a_retirement_can_be_cancelled_before_the_device_acts_on_it(
    client: TestClient, nurse: Device, office: Device
) -> None:
    assert client.post(f"/admin/devices/{nurse.device_id}/disable", headers=office.headers).status_code == 204
    assert client.get("/sync/pull", headers=nurse.headers).status_code == 403
    assert client.post(f"/admin/devices/{nurse.device_id}/enable", headers=office.headers).status_code == 204
    assert client.get("/sync/pull", headers=nurse.headers).status_code == 200
    missing = client.post("/admin/devices/nosuchdevice/disable", headers=office.headers)
    assert missing.status_code == 404
    bad = client.post("/admin/devices/NOT%20A%20DEVICE/disable", headers=office.headers)
    assert bad.status_code == 422


def test_disabling_an_account_retires_every_device_of_it(
    client: TestClient, users: Users, nurse: Device, aide: Device, office: Device
) -> None:
    second = Device.sign_in(client, "nurse", PASSWORD, "tablet7")
    answer = client.post(f"/admin/users/{users.nurse}/disable", headers=office.headers)
    assert answer.status_code == 200
    assert set(answer.json()["devices"]) == {nurse.device_id, second.device_id}
    for device in (nurse, second):
        assert error_of(client.get("/sync/pull", headers=device.headers)) == "device_retired"
    assert client.get("/sync/pull", headers=aide.headers).status_code == 200
    new_login = client.post(
        "/auth/login", json={"username": "nurse", "password": PASSWORD, "device_id": "tablet8"}
    )
    assert new_login.status_code == 401, "a disabled account cannot sign in anywhere new"
    own = client.post(f"/admin/users/{users.office}/disable", headers=office.headers)
    assert own.status_code == 422
    assert client.post(f"/admin/users/{uuid.uuid4()}/disable", headers=office.headers).status_code == 404
