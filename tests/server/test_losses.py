"""Losses as the server decides them, logged for the office and handed to the device that lost (0013).

Run against SQLite and PostgreSQL. The scenarios are the ones the merge's "superseded" rule got wrong: a
value arriving at the server cannot have been seen by another device's author, whatever that author's
base stamp says, so losing to it is a conflict; and every loss of a device's value reaches that device in
its next pull, once.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from fieldapp.domain.entities import Patient
from fieldapp.server.database import Database
from fieldapp.server.fleet import devices as fleet
from fieldapp.server.models import DeviceClockSample
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import PASSWORD, Clock, Users
from tests.server.helpers import Device


def _patient_on_caseload(office: Device, nurse: Device, users: Users) -> Patient:
    patient = h.patient(phone="555-0100")
    office.push_ok(office.create(patient))
    db.assign(office, users.nurse, patient.id)
    for device in (office, nurse):
        device.pull_all()
        db.catch_up(device)
    return patient


def _phone_losses(page: dict[str, object]) -> list[dict[str, object]]:
    return [n for n in page["losses"] if n["field"] == "phone"]  # type: ignore[index,union-attr]


def test_an_arriving_value_beaten_by_an_edit_that_never_saw_it_is_a_conflict(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    """The nurse edits the phone offline. Later the office edits it twice (the second edit based on the
    first, whose stamp is newer than the nurse's). The nurse's edit then arrives: it loses, and since
    nobody who wrote the winner could have seen it, it is a conflict the office and the nurse both see."""
    p = _patient_on_caseload(office, nurse, users)
    mine = nurse.update("patient", p.id, {"phone": "555-0111"})
    db.later(office, 1000)
    first = office.update("patient", p.id, {"phone": "555-0122"})
    office.push_ok(first)
    office.pull_all()
    second = office.update("patient", p.id, {"phone": "555-0133"})
    assert second["changes"]["phone"]["b"] >= mine["changes"]["phone"]["s"], (
        "the base covers the nurse's stamp"
    )
    office.push_ok(second)

    answer = nurse.push_ok(mine)

    assert answer["results"][0]["conflicts"] == 1
    logged = [c for c in db.conflicts(client) if c["field"] == "phone"]
    assert [(c["lost_value"], c["reason"]) for c in logged] == [("555-0111", "conflict")]
    assert logged[0]["winner_value"] == "555-0133"
    [notice] = _phone_losses(nurse.pull_page())
    assert notice["lost_value"] == "555-0111" and notice["lost_stamp"] == mine["changes"]["phone"]["s"]
    assert notice["winner_value"] == "555-0133" and notice["reason"] == "conflict"
    assert notice["record_id"] == str(p.id) and notice["entity"] == "patient"
    assert _phone_losses(nurse.pull_page()) == [], "handed over once"
    office.pull_all()
    assert _phone_losses(office.pull_page()) == [], "the office's device did not lose anything"


def test_a_device_replacing_its_own_value_supersedes_it_without_a_conflict(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = _patient_on_caseload(office, nurse, users)
    first = nurse.update("patient", p.id, {"phone": "555-0144"})
    nurse.push_ok(first)
    nurse.pull_all()
    nurse.push_ok(nurse.update("patient", p.id, {"phone": "555-0155"}))
    assert [c for c in db.conflicts(client) if c["field"] == "phone"] == []
    assert _phone_losses(nurse.pull_page()) == []


def test_a_value_beaten_after_it_arrived_reaches_its_device_in_the_next_pull(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    """The nurse's edit is applied; then the office's edit, made without seeing it but stamped later,
    beats it. The nurse learns of the loss at her next pull, whether or not she still holds the value."""
    p = _patient_on_caseload(office, nurse, users)
    db.later(office, 5000)
    theirs = office.update("patient", p.id, {"phone": "555-0166"})  # made before seeing the nurse's edit
    mine = nurse.update("patient", p.id, {"phone": "555-0177"})
    nurse.push_ok(mine)
    nurse.pull_all()
    office.push_ok(theirs)

    [notice] = _phone_losses(nurse.pull_page())
    assert (notice["lost_value"], notice["winner_value"], notice["reason"]) == (
        "555-0177",
        "555-0166",
        "conflict",
    )
    assert nurse.values(p.id)["phone"] == "555-0166"


def test_equal_values_are_no_conflict(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = _patient_on_caseload(office, nurse, users)
    same = nurse.update("patient", p.id, {"phone": "555-0188"})
    db.later(office, 1000)
    office.push_ok(office.update("patient", p.id, {"phone": "555-0188"}))
    nurse.push_ok(same)
    assert [c for c in db.conflicts(client) if c["field"] == "phone"] == []
    assert _phone_losses(nurse.pull_page()) == []


def test_equal_concurrent_values_stand_as_one_and_their_overwrite_is_logged_once(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    """Two of the nurse's tablets set the same phone without seeing each other; then the office, having
    seen neither, overwrites it. The copies were one value: the copy that stood (the later stamp) is
    logged as lost, once, and handed to its tablet; the earlier copy merged into it without a trace of
    its own (the convergence test's oracle counts a logged loss of the same value, stamped later, as the
    loss of that write)."""
    p = _patient_on_caseload(office, nurse, users)
    second = Device.sign_in(client, "nurse", PASSWORD, "tablet3")
    second.pull_all()
    db.catch_up(second)
    first_copy = nurse.update("patient", p.id, {"phone": "555-0101"})
    db.later(second, 1000)
    later_copy = second.update("patient", p.id, {"phone": "555-0101"})
    db.later(office, 5000)
    overwrite = office.update("patient", p.id, {"phone": "555-0202"})
    for device, mutation in ((nurse, first_copy), (second, later_copy), (office, overwrite)):
        device.push_ok(mutation)

    logged = [c for c in db.conflicts(client) if c["field"] == "phone"]
    assert [(c["lost_value"], c["lost_stamp"], c["reason"]) for c in logged] == [
        ("555-0101", db.stamp_of(later_copy, "phone"), "conflict")
    ]
    assert db.stamp_of(later_copy, "phone") > db.stamp_of(first_copy, "phone")
    assert [n["lost_stamp"] for n in _phone_losses(second.pull_page())] == [db.stamp_of(later_copy, "phone")]


def test_edits_hidden_by_a_delete_they_did_not_know_are_lost_to_it_and_handed_over(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    """Whether stamped before or after the office's delete, an edit arriving after it is lost to it."""
    p = _patient_on_caseload(office, nurse, users)
    before = nurse.update("patient", p.id, {"care_plan": "Daily dressing"})
    db.later(office, 5000)
    office.push_ok(office.delete("patient", p.id))
    db.later(nurse, 20_000)
    after = nurse.update("patient", p.id, {"phone": "555-0199"})
    nurse.push_ok(before, after)
    logged = {c["field"]: c for c in db.conflicts(client)}
    assert {name: c["reason"] for name, c in logged.items()} == {"care_plan": "deleted", "phone": "deleted"}
    assert logged["care_plan"]["lost_value"] == "Daily dressing"
    losses = {n["field"]: n for n in nurse.pull_page()["losses"]}
    assert set(losses) == {"care_plan", "phone"} and losses["phone"]["winner_value"] is True


def test_pushes_keep_a_thinned_history_of_each_devices_clock_offset(
    client: TestClient, users: Users, office: Device, nurse: Device, clock: Clock
) -> None:
    p = _patient_on_caseload(office, nurse, users)
    database: Database = db.database(client)
    reports = [(0, 200), (1, 250), (2, 3_600_000), (3, 3_600_300), (65, 3_600_100), (66, -2000)]
    start = clock.now
    for minute, offset in reports:
        clock.now = start + timedelta(minutes=minute)
        if minute > 30:  # the access token lasts less than an hour: sign in again, as the tablet would
            nurse.token = Device.sign_in(client, "nurse", PASSWORD, nurse.device_id).token
        mutation = nurse.update("patient", p.id, {"phone": f"555-{minute:04d}"})
        response = client.post(
            "/sync/push",
            headers=nurse.headers,
            json={"device_id": nurse.device_id, "mutations": [mutation], "clock_offset_ms": offset},
        )
        assert response.status_code == 200, response.text
    with database.read() as session:
        history = fleet.clock_history(session, nurse.device_id)
        count = session.query(DeviceClockSample).count()
    # Kept: the first, each move of a second or more, and an hourly sample when nothing moved.
    assert [s.offset_ms for s in history] == [-2000, 3_600_100, 3_600_000, 200]
    assert count == 4
    assert history[0].at > history[-1].at, "newest first"
