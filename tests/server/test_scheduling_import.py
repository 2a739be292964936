"""The schedule CSV import over the API, on SQLite and PostgreSQL: all rows or none, replays, bad files."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from fieldapp.domain.schedule import visit_id_for
from fieldapp.server.models import Record
from tests.server import helpers as h
from tests.server.conftest import Clock, Users
from tests.server.helpers import Device
from tests.server.scenario import change_counter, rows

ZONE = "America/New_York"
HEADER = "external_id,worker,patient_mrn,date,start,end,service_code,status,cancel_reason"


@pytest.fixture
def client(app_factory: Callable[..., TestClient]) -> TestClient:
    return app_factory(agency_timezone=ZONE)


@pytest.fixture
def patients(office: Device) -> list[h.Patient]:
    found = [h.patient(mrn=f"MRN-{n}", family_name=f"Family{n}") for n in range(3)]
    office.push_ok(*[office.create(p) for p in found])
    return found


def day(clock: Clock, offset: int = 1) -> str:
    return (clock.now.astimezone(ZoneInfo(ZONE)).date() + timedelta(days=offset)).isoformat()


def csv(*lines: str) -> bytes:
    return ("\n".join((HEADER, *lines)) + "\n").encode()


def send(client: TestClient, office: Device, data: bytes, *, dry_run: bool = False) -> Any:
    headers = office.headers | {"Content-Type": "text/csv"}
    return client.post("/schedule/import", headers=headers, params={"dry_run": dry_run}, content=data)


def good_file(clock: Clock) -> bytes:
    return csv(
        f"A-1,nurse,MRN-0,{day(clock)},09:00,10:00,G0299,,",
        f"A-2,nurse,MRN-1,{day(clock)},10:30,11:30,G0299,,",
        f"A-3,aide,MRN-2,{day(clock)},09:00,11:00,T1019,,",
    )


def test_a_good_file_applies_every_row_and_a_replay_changes_nothing(
    client: TestClient, office: Device, nurse: Device, patients: list[h.Patient], clock: Clock
) -> None:
    dry = send(client, office, good_file(clock), dry_run=True)
    assert dry.status_code == 200 and dry.json()["applied"] is False and dry.json()["created"] == 3
    assert rows(client, Record, Record.entity == "visit") == 0
    applied = send(client, office, good_file(clock))
    assert applied.status_code == 200, applied.text
    body = applied.json()
    assert (body["applied"], body["created"], body["joined_caseloads"], body["problems"]) == (True, 3, 3, [])
    nurse.pull_all()
    assert nurse.values(visit_id_for("A-2"))["external_id"] == "A-2"
    position = change_counter(client)
    replay = send(client, office, good_file(clock))
    assert (replay.json()["created"], replay.json()["updated"], replay.json()["unchanged"]) == (0, 0, 3)
    assert change_counter(client) == position


def test_a_file_with_bad_rows_is_refused_whole_with_each_line_named(
    client: TestClient, office: Device, patients: list[h.Patient], clock: Clock
) -> None:
    data = csv(
        f"A-1,nurse,MRN-0,{day(clock)},09:00,10:00,G0299,,",
        f"A-2,zoe,MRN-1,{day(clock)},10:30,11:30,G0299,,",
        f"A-3,nurse,MRN-9,{day(clock)},09:30,09:00,X9999,,",
        f"A-4,nurse,MRN-1,{day(clock)},09:30,10:30,G0299,,",
    )
    dry = send(client, office, data, dry_run=True)
    assert dry.status_code == 200
    assert dry.json()["problems"] == [
        "line 3: unknown worker 'zoe' (a fieldapp user name)",
        "line 4: end 09:00 is not after start 09:30",
        "line 5: overlaps line 2 (A-1) for the same worker",
    ]
    refused = send(client, office, data)
    assert refused.status_code == 422 and "3 problems; nothing was applied" in refused.text
    assert rows(client, Record, Record.entity == "visit") == 0


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "line 1: the file is empty"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"id,who\n1,2\n", "unknown column 'id'"),
    ],
)
def test_malformed_files_are_refused(
    client: TestClient, office: Device, patients: list[h.Patient], data: bytes, words: str
) -> None:
    answer = send(client, office, data)
    assert answer.status_code == 422 and words in answer.text


def test_cancelling_rows_and_a_row_against_a_recorded_visit(
    client: TestClient, office: Device, nurse: Device, patients: list[h.Patient], clock: Clock
) -> None:
    send(client, office, good_file(clock))
    nurse.pull_all()
    now = clock.now.isoformat()
    checked_in = {"device_time": now, "server_time": now, "location": {"kind": "home"}}
    nurse.push_ok(
        nurse.update("visit", visit_id_for("A-1"), {"check_in": checked_in, "status": "in_progress"})
    )
    data = csv(
        f"A-1,nurse,MRN-0,{day(clock)},09:00,10:00,G0299,cancelled,client in hospital",
        f"A-2,nurse,MRN-1,{day(clock)},10:30,11:30,G0299,cancelled,client in hospital",
    )
    refused = send(client, office, data)
    assert (
        refused.status_code == 422 and "line 2: visit A-1 was already recorded by the worker" in refused.text
    )
    cancelled = send(client, office, csv(data.decode().splitlines()[2]))
    assert cancelled.json()["cancelled"] == 1, cancelled.text
    nurse.pull_all()
    assert nurse.values(visit_id_for("A-2"))["status"] == "cancelled"


def test_overlaps_with_visits_already_scheduled_are_warnings(
    client: TestClient, office: Device, patients: list[h.Patient], clock: Clock
) -> None:
    send(client, office, good_file(clock))
    answer = send(client, office, csv(f"B-1,nurse,MRN-2,{day(clock)},09:30,10:00,G0299,,"))
    assert answer.json()["applied"] is True
    assert answer.json()["warnings"] == [
        f"line 2: overlaps {day(clock)} 09:00 Family0, Ada, already scheduled"
    ]


def test_only_the_office_imports(client: TestClient, nurse: Device, clock: Clock) -> None:
    assert send(client, nurse, b"").status_code == 403


def test_dates_are_in_the_agency_zone(client: TestClient, office: Device, patients: list[h.Patient]) -> None:
    send(client, office, csv("W-1,nurse,MRN-0,2027-07-01,09:00,10:00,G0299,,"))
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        row = session.get(Record, visit_id_for("W-1"))
        assert row is not None and row.day == date(2027, 7, 1)
        assert "T13:00:00" in row.fields["scheduled_start"]  # 09:00 EDT


def test_joining_many_caseloads_at_once_is_like_joining_each(
    client: TestClient, office: Device, nurse: Device, users: Users, patients: list[h.Patient]
) -> None:
    from datetime import UTC, datetime

    from fieldapp.server.core import caseload
    from fieldapp.server.errors import Invalid

    database = client.app.state.database  # type: ignore[attr-defined]
    pairs = [(users.nurse, p.id) for p in patients[:2]] + [(users.aide, patients[0].id)]
    with database.write() as session:
        assert caseload.assign(session, users.nurse, patients[0].id, datetime.now(UTC))
    with database.write() as session:
        added = caseload.assign_many(session, [*pairs, *pairs], datetime.now(UTC))
    assert sorted(added) == sorted(pairs[1:])
    with database.write() as session:
        assert caseload.assign_many(session, pairs, datetime.now(UTC)) == []
        with pytest.raises(Invalid, match="not a field worker"):
            caseload.assign_many(session, [(users.office, patients[2].id)], datetime.now(UTC))
    nurse.pull_all()
    assert {p.id for p in patients[:2]} <= set(nurse.replica)


def test_a_replayed_file_after_the_worker_began_a_visit_changes_nothing(
    client: TestClient, office: Device, nurse: Device, patients: list[h.Patient], clock: Clock
) -> None:
    send(client, office, good_file(clock))
    nurse.pull_all()
    now = clock.now.isoformat()
    started = {"check_in": {"device_time": now, "server_time": now}, "status": "in_progress"}
    nurse.push_ok(nurse.update("visit", visit_id_for("A-1"), started))
    position = change_counter(client)
    replay = send(client, office, good_file(clock))
    assert replay.status_code == 200, replay.text
    assert (replay.json()["unchanged"], replay.json()["updated"]) == (3, 0)
    assert change_counter(client) == position
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        row = session.get(Record, visit_id_for("A-1"))
        assert row is not None and row.fields["status"] == "in_progress"
