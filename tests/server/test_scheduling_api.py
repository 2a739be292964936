"""The scheduling API by the agency's external ids, on SQLite and PostgreSQL: visits, series, replays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from fieldapp.domain.schedule import visit_id_for
from fieldapp.server.models import Record, ScheduleSeries
from tests.server import helpers as h
from tests.server.conftest import Clock
from tests.server.helpers import Device
from tests.server.scenario import change_counter, rows

ZONE = "America/New_York"


@pytest.fixture
def client(app_factory: Callable[..., TestClient]) -> TestClient:
    return app_factory(agency_timezone=ZONE)


@pytest.fixture
def park(office: Device) -> h.Patient:
    """A registered patient on nobody's caseload."""
    patient = h.patient(mrn="MRN-PARK", given_name="Walter", family_name="Park")
    office.push_ok(office.create(patient))
    return patient


def tomorrow(clock: Clock) -> date:
    return clock.now.astimezone(ZoneInfo(ZONE)).date() + timedelta(days=1)


def visit_body(clock: Clock, **changes: Any) -> dict[str, Any]:
    body = {
        "worker": "nurse",
        "patient_mrn": "MRN-PARK",
        "date": tomorrow(clock).isoformat(),
        "start": "09:00",
        "end": "10:00",
        "service_code": "g0299",
        "worker_notes": "Key under the mat",
    }
    return body | changes


def put(client: TestClient, device: Device, path: str, body: dict[str, Any]) -> Any:
    return client.put(f"/schedule/{path}", headers=device.headers, json=body)


def test_a_visit_by_external_id_is_created_once_and_reaches_the_worker(
    client: TestClient, office: Device, nurse: Device, park: h.Patient, clock: Clock
) -> None:
    answer = put(client, office, "visits/AG-1", visit_body(clock))
    assert answer.status_code == 200, answer.text
    assert answer.json() | {"warnings": []} == {
        "external_id": "AG-1",
        "visit_id": str(visit_id_for("AG-1")),
        "outcome": "created",
        "joined_caseload": True,
        "warnings": [],
    }
    nurse.pull_all()
    values = nurse.values(visit_id_for("AG-1"))
    assert values["external_id"] == "AG-1" and values["service_code"] == "G0299"
    assert values["scheduled_start"].startswith(f"{tomorrow(clock).isoformat()}T14:00")  # 09:00 EST
    assert values["worker_notes"] == "Key under the mat" and values["status"] == "scheduled"
    position = change_counter(client)
    replay = put(client, office, "visits/AG-1", visit_body(clock))
    assert replay.json()["outcome"] == "unchanged" and replay.json()["joined_caseload"] is False
    assert change_counter(client) == position  # a replay writes nothing


def test_moving_and_reassigning_a_visit_updates_it_in_place(
    client: TestClient, office: Device, aide: Device, park: h.Patient, clock: Clock
) -> None:
    put(client, office, "visits/AG-1", visit_body(clock))
    moved = put(client, office, "visits/AG-1", visit_body(clock, worker="aide", start="15:30", end="16:30"))
    assert moved.json()["outcome"] == "updated" and moved.json()["joined_caseload"] is True
    aide.pull_all()
    assert aide.values(visit_id_for("AG-1"))["worker_id"] == str(aide.user_id)
    view = client.get("/schedule/visits/AG-1", headers=office.headers).json()
    assert view["worker_id"] == str(aide.user_id) and view["scheduled_start"].endswith("20:30:00Z")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"worker": "zoe"}, "unknown worker 'zoe'"),
        ({"worker": "office"}, "unknown worker 'office'"),
        ({"patient_mrn": "MRN-NONE"}, "unknown patient MRN 'MRN-NONE'"),
        ({"end": "08:00"}, "end must be after start"),
        ({"start": "9am"}, "String should match pattern"),
        ({"service_code": "T-1"}, "String should match pattern"),
        ({"color": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_bad_visits_are_refused_and_nothing_is_written(
    client: TestClient, office: Device, park: h.Patient, clock: Clock, changes: dict[str, Any], words: str
) -> None:
    position = change_counter(client)
    answer = put(client, office, "visits/AG-1", visit_body(clock, **changes))
    assert answer.status_code == 422 and words in answer.text, answer.text
    assert change_counter(client) == position and rows(client, Record, Record.entity == "visit") == 0


def test_a_day_the_clocks_skip_is_refused(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    answer = put(
        client, office, "visits/AG-1", visit_body(clock, date="2027-03-14", start="02:30", end="04:00")
    )
    assert answer.status_code == 422 and "does not exist on 2027-03-14" in answer.text


def test_cancel_with_a_reason_is_idempotent_and_a_recorded_visit_cannot_be_cancelled(
    client: TestClient, office: Device, nurse: Device, park: h.Patient, clock: Clock
) -> None:
    put(client, office, "visits/AG-1", visit_body(clock))
    put(client, office, "visits/AG-2", visit_body(clock, start="11:00", end="12:00"))
    cancel = {"reason": "client in hospital"}
    first = client.post("/schedule/visits/AG-1/cancel", headers=office.headers, json=cancel)
    assert first.status_code == 200 and first.json()["outcome"] == "updated"
    again = client.post("/schedule/visits/AG-1/cancel", headers=office.headers, json=cancel)
    assert again.json()["outcome"] == "unchanged"
    nurse.pull_all()
    assert nurse.values(visit_id_for("AG-1"))["cancel_reason"] == "client in hospital"
    now = clock.now.isoformat()
    checked_in = {"device_time": now, "server_time": now, "location": {"kind": "home"}}
    nurse.push_ok(
        nurse.update("visit", visit_id_for("AG-2"), {"check_in": checked_in, "status": "in_progress"})
    )
    refused = client.post("/schedule/visits/AG-2/cancel", headers=office.headers, json=cancel)
    assert refused.status_code == 409 and "already recorded this visit" in refused.text
    moved = put(client, office, "visits/AG-2", visit_body(clock, start="13:00", end="14:00"))
    assert moved.status_code == 409
    replay = put(client, office, "visits/AG-2", visit_body(clock, start="11:00", end="12:00"))
    assert replay.status_code == 200 and replay.json()["outcome"] == "unchanged"  # what it already says
    assert client.post("/schedule/visits/AG-9/cancel", headers=office.headers, json=cancel).status_code == 404
    assert (
        client.post("/schedule/visits/AG-1/cancel", headers=office.headers, json={"reason": ""}).status_code
        == 422
    )


def test_only_the_office_schedules(client: TestClient, nurse: Device, park: h.Patient, clock: Clock) -> None:
    assert put(client, nurse, "visits/AG-1", visit_body(clock)).status_code == 403
    assert client.put("/schedule/visits/AG-1", json=visit_body(clock)).status_code == 401


def test_a_double_booking_is_saved_with_a_warning(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    put(client, office, "visits/AG-1", visit_body(clock))
    answer = put(client, office, "visits/AG-2", visit_body(clock, start="09:30", end="10:30"))
    assert answer.status_code == 200
    (warning,) = answer.json()["warnings"]
    assert (
        warning["kind"] == "double_booked"
        and "09:30 Park, Walter overlaps 09:00 Park, Walter" in warning["message"]
    )


# -- series ----------------------------------------------------------------------------------------------


def series_body(clock: Clock, **changes: Any) -> dict[str, Any]:
    monday = tomorrow(clock) + timedelta(days=7 - tomorrow(clock).weekday())
    body = {
        "worker": "nurse",
        "patient_mrn": "MRN-PARK",
        "weekdays": ["mon", "wed", "fri"],
        "start_date": monday.isoformat(),
        "end_date": (monday + timedelta(days=13)).isoformat(),
        "start": "09:00",
        "end": "11:00",
        "service_code": "T1019",
    }
    return body | changes


def series_visits(client: TestClient) -> dict[str, dict[str, Any]]:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        found = session.query(Record).filter(Record.entity == "visit").all()
        return {str(row.day): dict(row.fields) for row in found}


def test_a_series_expands_once_and_a_replay_changes_nothing(
    client: TestClient, office: Device, nurse: Device, park: h.Patient, clock: Clock
) -> None:
    answer = put(client, office, "series/PAT-9", series_body(clock))
    assert answer.status_code == 200, answer.text
    assert {k: answer.json()[k] for k in ("created", "updated", "cancelled")} == {
        "created": 6,
        "updated": 0,
        "cancelled": 0,
    }
    position = change_counter(client)
    replay = put(client, office, "series/PAT-9", series_body(clock))
    assert replay.json()["created"] == 0 and change_counter(client) == position
    assert rows(client, ScheduleSeries) == 1
    nurse.pull_all()
    assert len([1 for _, (entity, _) in nurse.replica.items() if entity == "visit"]) == 6


def test_a_series_changed_from_a_day_on_moves_only_later_visits(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    body = series_body(clock)
    put(client, office, "series/PAT-9", body)
    second_week = (date.fromisoformat(body["start_date"]) + timedelta(days=7)).isoformat()
    before = series_visits(client)
    changed = put(
        client,
        office,
        "series/PAT-9",
        body | {"start": "14:00", "end": "15:00", "effective_from": second_week},
    )
    assert changed.json()["updated"] == 3 and changed.json()["created"] == 0, changed.text
    after = series_visits(client)
    assert {day: v for day, v in after.items() if day < second_week} == {
        day: v for day, v in before.items() if day < second_week
    }
    assert all("T19:00:00" in v["scheduled_start"] for day, v in after.items() if day >= second_week)
    assert (
        put(
            client,
            office,
            "series/PAT-9",
            body | {"start": "14:00", "end": "15:00", "effective_from": second_week},
        ).json()["updated"]
        == 0
    )
    assert rows(client, ScheduleSeries) == 2


def test_dropping_a_day_and_cancelling_from_a_day_cancel_only_untouched_visits(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    body = series_body(clock)
    put(client, office, "series/PAT-9", body)
    start = date.fromisoformat(body["start_date"])
    dropped = put(
        client, office, "series/PAT-9", body | {"weekdays": ["mon", "fri"], "effective_from": str(start)}
    )
    assert dropped.json()["cancelled"] == 2
    cancelled = client.post(
        "/schedule/series/PAT-9/cancel",
        headers=office.headers,
        json={"reason": "client moved away", "effective_from": str(start + timedelta(days=7))},
    )
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] == 2, cancelled.text
    statuses = {day: v["status"] for day, v in series_visits(client).items()}
    assert sorted(statuses.values()).count("scheduled") == 2


def test_a_bad_series_is_refused_in_words(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    answer = put(client, office, "series/PAT-9", series_body(clock, end_date="2020-01-01"))
    assert answer.status_code == 422 and "the series ends before it starts" in answer.text
    assert put(client, office, "series/PAT-9", series_body(clock, weekdays=["funday"])).status_code == 422
    assert rows(client, ScheduleSeries) == 0


def test_scheduling_moving_and_cancelling_reach_the_workers_event_stream(
    client: TestClient, office: Device, nurse: Device, aide: Device, park: h.Patient, clock: Clock
) -> None:
    from tests.server.test_events import newest_in_scope, stream

    put(client, office, "visits/AG-1", visit_body(clock))
    nurse.pull_all()
    with stream(client, nurse, str(newest_in_scope(nurse))) as events:
        put(client, office, "visits/AG-2", visit_body(clock, start="11:00", end="12:00"))
        assert int(events.next_event().id) == newest_in_scope(nurse)
        put(client, office, "visits/AG-1", visit_body(clock, start="13:00", end="14:00"))
        assert int(events.next_event().id) == newest_in_scope(nurse)
        client.post("/schedule/visits/AG-2/cancel", headers=office.headers, json={"reason": "client away"})
        assert int(events.next_event().id) == newest_in_scope(nurse)
        put(client, office, "visits/AG-1", visit_body(clock, start="13:00", end="14:00"))  # a replay
        assert events.no_event_for(1.2), "an unchanged visit sends no notice"
    with stream(client, aide, str(newest_in_scope(aide))) as events:
        put(client, office, "visits/AG-1", visit_body(clock, worker="aide", start="13:00", end="14:00"))
        assert int(events.next_event().id) == newest_in_scope(aide)  # reassigned: the new worker hears
