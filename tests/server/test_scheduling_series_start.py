"""A series sent again with only another start date (issue 17): the lineage begins on it, on both databases.

Earlier: the days before the old start are added. Later: the visits before the new start are cancelled
(a visit the worker recorded stays), and a replay changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from fieldapp.domain.schedule import occurrence_id, series_id_for
from tests.server import helpers as h
from tests.server import test_scheduling_api as api
from tests.server.conftest import Clock
from tests.server.helpers import Device
from tests.server.scenario import change_counter
from tests.server.test_scheduling_api import put, series_body, series_visits

client, park = api.client, api.park  # fixtures


def scheduled(client: TestClient, office: Device, clock: Clock) -> tuple[dict[str, Any], date]:
    """Series PAT-9 (Mon/Wed/Fri for two weeks from next Monday) saved: its body and first day."""
    body = series_body(clock)
    put(client, office, "series/PAT-9", body)
    return body, date.fromisoformat(body["start_date"])


def statuses(client: TestClient) -> dict[str, str]:
    return {day: values["status"] for day, values in series_visits(client).items()}


def test_a_later_start_date_cancels_the_visits_before_it_and_a_replay_changes_nothing(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    body, start = scheduled(client, office, clock)
    later = (start + timedelta(days=7)).isoformat()
    moved = put(client, office, "series/PAT-9", body | {"start_date": later})
    assert moved.status_code == 200, moved.text
    assert moved.json()["cancelled"] == 3 and moved.json()["created"] == 0, moved.text
    assert {day: s for day, s in statuses(client).items() if day < later} == dict.fromkeys(
        [str(start), str(start + timedelta(days=2)), str(start + timedelta(days=4))], "cancelled"
    )
    assert all(s == "scheduled" for day, s in statuses(client).items() if day >= later)
    position = change_counter(client)
    replay = put(client, office, "series/PAT-9", body | {"start_date": later})
    assert replay.json()["cancelled"] == 0 and change_counter(client) == position


def test_an_earlier_start_date_adds_the_days_before(
    client: TestClient, office: Device, nurse: Device, park: h.Patient, clock: Clock
) -> None:
    body = series_body(clock)
    start = date.fromisoformat(body["start_date"])
    put(client, office, "series/PAT-9", body | {"start_date": (start + timedelta(days=7)).isoformat()})
    assert len(series_visits(client)) == 3
    back = put(client, office, "series/PAT-9", body)
    assert back.status_code == 200 and back.json()["created"] == 3, back.text
    assert sorted(statuses(client).values()) == ["scheduled"] * 6
    nurse.pull_all()
    lineage = series_id_for("PAT-9")
    assert nurse.values(occurrence_id(lineage, start))["status"] == "scheduled"


def test_moving_the_start_later_and_back_again_restores_the_days(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    body, start = scheduled(client, office, clock)
    second_week = (start + timedelta(days=7)).isoformat()
    put(
        client,
        office,
        "series/PAT-9",
        body | {"start": "14:00", "end": "15:00", "effective_from": second_week},
    )
    past_both = put(
        client, office, "series/PAT-9", body | {"start_date": (start + timedelta(days=9)).isoformat()}
    )
    assert past_both.status_code == 200, past_both.text
    assert sorted(statuses(client).values()) == ["cancelled"] * 4 + ["scheduled"] * 2
    again = put(client, office, "series/PAT-9", body | {"effective_from": str(start)})
    assert again.status_code == 200, again.text
    assert sorted(statuses(client).values()) == ["scheduled"] * 6
    assert all("T14:00:00" in v["scheduled_start"] for v in series_visits(client).values())


def test_a_start_date_later_than_a_recorded_visit_keeps_it(
    client: TestClient, office: Device, nurse: Device, park: h.Patient, clock: Clock
) -> None:
    body, start = scheduled(client, office, clock)
    nurse.pull_all()
    first = occurrence_id(series_id_for("PAT-9"), start)
    now = clock.now.isoformat()
    checked_in = {"device_time": now, "server_time": now, "location": {"kind": "home"}}
    nurse.push_ok(nurse.update("visit", first, {"check_in": checked_in, "status": "in_progress"}))
    moved = put(
        client, office, "series/PAT-9", body | {"start_date": (start + timedelta(days=1)).isoformat()}
    )
    assert moved.status_code == 200 and moved.json()["kept"] == 1, moved.text
    assert statuses(client)[str(start)] == "in_progress"


def test_a_series_moved_past_its_own_end_starts_again_there(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    body, start = scheduled(client, office, clock)
    later = {"start_date": str(start + timedelta(days=21)), "end_date": str(start + timedelta(days=34))}
    moved = put(client, office, "series/PAT-9", body | later)
    assert moved.status_code == 200, moved.text
    assert moved.json()["cancelled"] == 6 and moved.json()["created"] == 6, moved.text
    assert sorted(statuses(client).values()) == ["cancelled"] * 6 + ["scheduled"] * 6
    assert put(client, office, "series/PAT-9", body | later).json()["created"] == 0
    backwards = put(client, office, "series/PAT-9", body | {"start_date": str(start + timedelta(days=40))})
    assert backwards.status_code == 422 and "ends before it starts" in backwards.text
    assert sorted(statuses(client).values()) == ["cancelled"] * 6 + ["scheduled"] * 6
