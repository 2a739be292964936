"""The agency's time zone on its card (decision 0035), on SQLite and PostgreSQL: validated against the zone
database, the server's setting until the agency chooses one, and what the schedule, the board's days and
the office pages read; a new zone files the stored visits under their days in it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from fieldapp.domain.schedule import visit_id_for
from fieldapp.server.models import Agency, Record
from tests.server import helpers as h
from tests.server import test_scheduling_api as api
from tests.server.conftest import Clock
from tests.server.helpers import Device
from tests.server.scenario import change_counter, rows

SETTING = api.ZONE  # the server's setting in these tests
client, park = api.client, api.park  # fixtures


def set_agency(client: TestClient, office: Device, **values: Any) -> Any:
    return client.put("/admin/agency", headers=office.headers, json=values)


def zone_shown(client: TestClient, device: Device) -> str:
    zone: str = client.get("/account", headers=device.headers).json()["agency"]["time_zone"]
    return zone


def stored_day(client: TestClient, external_id: str) -> date:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        row = session.get(Record, visit_id_for(external_id))
        assert row is not None
        return row.day  # type: ignore[no-any-return]


def test_the_setting_stands_until_the_agency_chooses_a_zone_and_a_bad_one_is_refused(
    client: TestClient, office: Device, nurse: Device
) -> None:
    assert zone_shown(client, nurse) == SETTING
    set_agency(client, office, name="Sunrise Home Care")
    assert zone_shown(client, nurse) == SETTING, "a card saved without a zone keeps the setting's"
    for bad in ("Mars/Olympus_Mons", "EST5EDT; drop", "", "Europe/Nowhere"):
        refused = set_agency(client, office, time_zone=bad)
        assert refused.status_code == 422 and "time_zone" in refused.text, (bad, refused.text)
    assert zone_shown(client, nurse) == SETTING
    chosen = set_agency(client, office, time_zone="America/Los_Angeles")
    assert chosen.status_code == 200 and chosen.json()["time_zone"] == "America/Los_Angeles", chosen.text
    assert zone_shown(client, nurse) == "America/Los_Angeles"
    assert rows(client, Agency) == 1


def visit(clock: Clock, day: date, start: str, end: str) -> dict[str, str]:
    return {
        "worker": "nurse",
        "patient_mrn": "MRN-PARK",
        "date": day.isoformat(),
        "start": start,
        "end": end,
        "service_code": "T1019",
    }


def test_the_schedule_reads_wall_times_in_the_agencys_zone(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    day = clock.now.date() + timedelta(days=10)
    set_agency(client, office, time_zone="Asia/Tokyo")
    answer = client.put(
        "/schedule/visits/AG-1", headers=office.headers, json=visit(clock, day, "09:00", "10:00")
    )
    assert answer.status_code == 200, answer.text
    shown = client.get("/schedule/visits/AG-1", headers=office.headers).json()
    assert shown["scheduled_start"].startswith(f"{day}T00:00:00")  # 09:00 in Tokyo
    assert stored_day(client, "AG-1") == day


def test_a_new_zone_files_the_stored_visits_under_their_days_in_it(
    client: TestClient, office: Device, park: h.Patient, clock: Clock
) -> None:
    day = clock.now.date() + timedelta(days=10)
    set_agency(client, office, time_zone="UTC")
    client.put("/schedule/visits/AG-1", headers=office.headers, json=visit(clock, day, "02:00", "03:00"))
    client.put("/schedule/visits/AG-2", headers=office.headers, json=visit(clock, day, "12:00", "13:00"))
    assert (stored_day(client, "AG-1"), stored_day(client, "AG-2")) == (day, day)
    position = change_counter(client)
    assert set_agency(client, office, time_zone="America/Chicago").status_code == 200
    assert stored_day(client, "AG-1") == day - timedelta(days=1)  # 20:00 the evening before in Chicago
    assert stored_day(client, "AG-2") == day
    assert change_counter(client) == position, "filing visits again changes no record: tablets pull nothing"
    shown = client.get("/schedule/visits/AG-1", headers=office.headers).json()
    assert shown["scheduled_start"].startswith(f"{day}T02:00:00"), "the visit itself stays where it was"


def test_a_push_files_a_visit_under_its_day_in_the_agencys_zone(
    client: TestClient, office: Device, clock: Clock, users: Any
) -> None:
    set_agency(client, office, time_zone="Pacific/Auckland")
    patient = h.patient()
    start = clock.now.replace(hour=20, minute=0, second=0, microsecond=0)
    v = h.visit(patient.id, users.nurse, start)
    office.push_ok(office.create(patient), office.create(v))
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        row = session.get(Record, v.id)
        assert row is not None and row.day == start.astimezone(ZoneInfo("Pacific/Auckland")).date()
