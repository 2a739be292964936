"""A worker's hours over the API by user name, on SQLite and PostgreSQL: set whole, validated, idempotent,
and the visits saved afterwards are warned about against them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from fieldapp.server.models import WorkerHours, WorkerLimit
from tests.server import helpers as h
from tests.server import test_scheduling_api as api
from tests.server.conftest import Clock
from tests.server.helpers import Device
from tests.server.scenario import rows
from tests.server.test_scheduling_api import put, visit_body

client, park = api.client, api.park  # fixtures
WEEK = {
    "windows": [
        {"day": "mon", "start": "08:00", "end": "12:00"},
        {"day": "mon", "start": "13:00", "end": "17:00"},
        {"day": "sat", "start": "18:00", "end": "24:00"},
    ],
    "max_weekly_hours": 37.5,
}


def put_hours(client: TestClient, device: Device, body: dict[str, Any], worker: str = "nurse") -> Any:
    return client.put(f"/schedule/workers/{worker}/hours", headers=device.headers, json=body)


def test_hours_are_set_whole_read_back_and_a_replay_changes_nothing(
    client: TestClient, office: Device
) -> None:
    answer = put_hours(client, office, WEEK)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"worker": "nurse", **WEEK, "outcome": "updated"}
    assert put_hours(client, office, WEEK).json()["outcome"] == "unchanged"
    shown = client.get("/schedule/workers/nurse/hours", headers=office.headers)
    assert shown.json() == {"worker": "nurse", **WEEK, "outcome": None}
    cleared = put_hours(client, office, {})
    assert cleared.json()["windows"] == [] and cleared.json()["max_weekly_hours"] is None
    assert rows(client, WorkerHours) == 0 and rows(client, WorkerLimit) == 0


def test_bad_hours_are_refused_in_words_and_change_nothing(client: TestClient, office: Device) -> None:
    put_hours(client, office, WEEK)
    overlapping = {"windows": [*WEEK["windows"], {"day": "mon", "start": "11:00", "end": "14:00"}]}
    refused = put_hours(client, office, overlapping)
    assert refused.status_code == 422 and "overlaps" in refused.json()["message"], refused.text
    backwards = put_hours(client, office, {"windows": [{"day": "tue", "start": "17:00", "end": "08:00"}]})
    assert backwards.status_code == 422 and "end after they start" in backwards.json()["message"]
    for bad in (
        {"windows": [{"day": "funday", "start": "08:00", "end": "12:00"}]},
        {"windows": [{"day": "mon", "start": "8am", "end": "12:00"}]},
        {"max_weekly_hours": 0},
        {"max_weekly_hours": 200},
        {"hours": []},
    ):
        assert put_hours(client, office, bad).status_code == 422, bad
    assert put_hours(client, office, WEEK, worker="ghost").status_code == 404
    assert put_hours(client, office, WEEK, worker="office").status_code == 404  # not a field worker
    assert rows(client, WorkerHours) == 3


def test_only_the_office_sets_hours(client: TestClient, nurse: Device) -> None:
    assert put_hours(client, nurse, WEEK).status_code == 403
    assert client.get("/schedule/workers/nurse/hours", headers=nurse.headers).status_code == 403


def test_a_visit_outside_the_hours_set_over_the_api_is_warned_about(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    only_sundays = {"windows": [{"day": "sun", "start": "08:00", "end": "09:00"}]}
    put_hours(client, office, only_sundays)
    body = visit_body(clock)
    if api.tomorrow(clock).weekday() == 6:
        body = visit_body(clock, start="10:00", end="11:00")
    answer = put(client, office, "visits/AG-1", body)
    assert [w["kind"] for w in answer.json()["warnings"]] == ["outside_hours"], answer.text
