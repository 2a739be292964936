"""Restoring a cancelled visit and one occurrence of a series by the agency's names (series id + day), on
SQLite and PostgreSQL: idempotent, detached from the series' later edits, refused in words when unknown."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from fieldapp.domain.schedule import occurrence_id, series_id_for, visit_id_for
from tests.server import helpers as h
from tests.server import test_scheduling_api as api
from tests.server.conftest import Clock
from tests.server.helpers import Device
from tests.server.scenario import change_counter
from tests.server.test_scheduling_api import put, series_visits, visit_body
from tests.server.test_scheduling_series_start import scheduled

client, park = api.client, api.park  # fixtures


def post(client: TestClient, device: Device, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"/schedule/{path}", headers=device.headers, json=body)


def test_a_cancelled_visit_is_restored_once_and_the_worker_hears_of_it(
    client: TestClient, office: Device, nurse: Device, park: h.Patient, clock: Clock
) -> None:
    put(client, office, "visits/AG-1", visit_body(clock))
    post(client, office, "visits/AG-1/cancel", {"reason": "client in hospital"})
    nurse.pull_all()
    assert nurse.values(visit_id_for("AG-1"))["status"] == "cancelled"
    restored = post(client, office, "visits/AG-1/restore")
    assert restored.status_code == 200 and restored.json()["outcome"] == "updated", restored.text
    nurse.pull_all()
    values = nurse.values(visit_id_for("AG-1"))
    assert values["status"] == "scheduled" and values["cancel_reason"] == ""
    position = change_counter(client)
    again = post(client, office, "visits/AG-1/restore")
    assert again.json()["outcome"] == "unchanged" and change_counter(client) == position
    assert post(client, office, "visits/AG-404/restore").status_code == 404
    assert post(client, nurse, "visits/AG-1/restore").status_code == 403


def test_restoring_warns_of_a_slot_taken_meanwhile(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    put(client, office, "visits/AG-1", visit_body(clock))
    post(client, office, "visits/AG-1/cancel", {"reason": "client in hospital"})
    put(client, office, "visits/AG-2", visit_body(clock))  # the same hour, booked after the cancel
    restored = post(client, office, "visits/AG-1/restore")
    assert restored.status_code == 200, restored.text
    assert [w["kind"] for w in restored.json()["warnings"]] == ["double_booked"]


def test_a_visit_the_worker_started_is_not_restored_over(
    client: TestClient, office: Device, nurse: Device, park: h.Patient, clock: Clock
) -> None:
    put(client, office, "visits/AG-1", visit_body(clock))
    nurse.pull_all()
    now = clock.now.isoformat()
    checked_in = {"device_time": now, "server_time": now, "location": {"kind": "home"}}
    nurse.push_ok(
        nurse.update("visit", visit_id_for("AG-1"), {"check_in": checked_in, "status": "in_progress"})
    )
    answer = post(client, office, "visits/AG-1/restore")
    assert answer.json()["outcome"] == "unchanged"
    assert client.get("/schedule/visits/AG-1", headers=office.headers).json()["status"] == "in_progress"


def occurrence(day: date) -> str:
    return f"series/PAT-9/occurrences/{day.isoformat()}"


def test_one_occurrence_is_moved_cancelled_and_restored_by_series_id_and_day(
    client: TestClient, office: Device, nurse: Device, park: h.Patient, clock: Clock
) -> None:
    body, monday = scheduled(client, office, clock)
    visit_id = occurrence_id(series_id_for("PAT-9"), monday)
    shown = client.get(f"/schedule/{occurrence(monday)}", headers=office.headers)
    assert shown.status_code == 200, shown.text
    assert shown.json()["external_id"] == f"PAT-9/{monday}" and shown.json()["visit_id"] == str(visit_id)
    change = {"worker": "nurse", "start": "13:00", "end": "14:00", "service_code": "T1019"}
    moved = put(client, office, occurrence(monday), change)
    assert moved.status_code == 200 and moved.json()["outcome"] == "updated", moved.text
    assert put(client, office, occurrence(monday), change).json()["outcome"] == "unchanged"
    edited = put(client, office, "series/PAT-9", body | {"start": "10:00", "end": "12:00"})
    assert edited.json()["kept"] == 1 and edited.json()["updated"] == 5, edited.text
    nurse.pull_all()
    assert "T18:00:00" in nurse.values(visit_id)["scheduled_start"]  # 13:00 in New York, left alone
    wednesday = monday + timedelta(days=2)
    cancelled = post(client, office, f"{occurrence(wednesday)}/cancel", {"reason": "client at the dentist"})
    assert cancelled.status_code == 200 and cancelled.json()["outcome"] == "updated", cancelled.text
    assert series_visits(client)[str(wednesday)]["status"] == "cancelled"
    restored = post(client, office, f"{occurrence(wednesday)}/restore")
    assert restored.json()["outcome"] == "updated"
    assert series_visits(client)[str(wednesday)]["status"] == "scheduled"


def test_an_occurrence_moved_to_another_day_keeps_its_name(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    _, monday = scheduled(client, office, clock)
    change = {"worker": "nurse", "date": str(monday + timedelta(days=1)), "start": "09:00", "end": "11:00"}
    moved = put(client, office, occurrence(monday), change | {"service_code": "T1019"})
    assert moved.status_code == 200, moved.text
    shown = client.get(f"/schedule/{occurrence(monday)}", headers=office.headers).json()
    assert shown["scheduled_start"].startswith(str(monday + timedelta(days=1)))
    assert shown["worker_notes"] == ""


def test_unknown_occurrences_and_bad_bodies_are_refused_and_change_nothing(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    _, monday = scheduled(client, office, clock)
    position = change_counter(client)
    tuesday = occurrence(monday + timedelta(days=1))
    change = {"worker": "nurse", "start": "13:00", "end": "14:00", "service_code": "T1019"}
    assert put(client, office, tuesday, change).status_code == 404  # the series has no Tuesdays
    assert put(client, office, f"series/NOPE/occurrences/{monday}", change).status_code == 404
    assert put(client, office, occurrence(monday), change | {"end": "12:00"}).status_code == 422
    assert put(client, office, occurrence(monday), change | {"worker": "ghost"}).status_code == 422
    assert put(client, office, occurrence(monday), change | {"patient_mrn": "X"}).status_code == 422
    assert post(client, office, f"{occurrence(monday)}/cancel", {"reason": ""}).status_code == 422
    assert (
        client.get("/schedule/series/PAT-9/occurrences/2026-13-01", headers=office.headers).status_code == 422
    )
    assert change_counter(client) == position


def test_an_office_cancel_meeting_an_offline_check_in_keeps_the_field_work_and_logs_the_conflict(
    client: TestClient, office: Device, nurse: Device, park: h.Patient, clock: Clock
) -> None:
    """The office cancels while the worker, offline, has already checked in: when the tablet's push
    arrives the visit is the worker's (in progress, checked in), the office's reason stays, and the lost
    cancel is in the conflict log (decision 0021)."""
    from fieldapp.server.models import ConflictEntry

    put(client, office, "visits/AG-1", visit_body(clock))
    nurse.pull_all()
    now = clock.now.isoformat()
    checked_in = {"device_time": now, "server_time": now, "location": {"kind": "home"}}
    offline = nurse.update("visit", visit_id_for("AG-1"), {"check_in": checked_in, "status": "in_progress"})
    assert post(client, office, "visits/AG-1/cancel", {"reason": "client in hospital"}).status_code == 200
    nurse.push_ok(offline)
    shown = client.get("/schedule/visits/AG-1", headers=office.headers).json()
    assert shown["status"] == "in_progress" and shown["cancel_reason"] == "client in hospital"
    nurse.pull_all()
    assert nurse.values(visit_id_for("AG-1"))["check_in"] is not None
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        logged = [
            (c.field, c.lost_value)
            for c in session.query(ConflictEntry).filter_by(record_id=visit_id_for("AG-1"))
        ]
    assert ("status", "cancelled") in logged
    refused = post(client, office, "visits/AG-1/cancel", {"reason": "client in hospital"})
    assert refused.status_code == 409, "the office now sees the visit begun"
