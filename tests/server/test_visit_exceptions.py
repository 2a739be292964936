"""Visit exceptions through the sync contract, on both databases: a worker's exception reaches the office and
the worker's other tablet, merges by its rules, is refused when invalid, and is never deleted."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from fieldapp.domain.entities import Patient, Visit, VisitException
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.server.auth import passwords
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import PASSWORD, Users
from tests.server.helpers import Device


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


@dataclass
class World:
    patient: Patient
    visit: Visit


@pytest.fixture
def world(client: TestClient, users: Users, office: Device, nurse: Device) -> World:
    p = h.patient()
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(p), office.create(v))
    db.assign(office, users.nurse, p.id)
    for device in (office, nurse):
        device.pull_all()
        db.catch_up(device)
    return World(p, v)


def missed(world: World, **changes: object) -> VisitException:
    values: dict[str, object] = dict(
        id=exception_id(world.visit.id, ExceptionCode.MISSED_VISIT),
        visit_id=world.visit.id,
        patient_id=world.patient.id,
        worker_id=world.visit.worker_id,
        code=ExceptionCode.MISSED_VISIT,
        detected_at=world.visit.scheduled_start,
        reason=ExceptionReason.CLIENT_NOT_HOME,
    )
    values.update(changes)
    return VisitException(**values)  # type: ignore[arg-type]


def test_a_worker_s_exception_reaches_the_office_and_their_other_tablet(
    client: TestClient, world: World, office: Device, nurse: Device
) -> None:
    record = missed(world)
    nurse.push_ok(nurse.create(record))
    office.pull_all()
    assert office.values(record.id)["reason"] == "client_not_home"
    spare = Device.sign_in(client, "nurse", PASSWORD, "tabletspare")
    spare.pull_all()
    assert spare.replica[record.id][0] == "visit_exception"


def test_the_office_decision_and_the_worker_s_note_merge_per_field(
    world: World, office: Device, nurse: Device
) -> None:
    record = missed(world)
    nurse.push_ok(nurse.create(record))
    office.pull_all()
    nurse.pull_all()
    decision = {"decision": "approved", "by": "Maria Office", "at": "2026-11-27T10:00:00Z", "note": ""}
    office.push_ok(office.update("visit_exception", record.id, {"resolution": decision}))
    nurse.push_ok(nurse.update("visit_exception", record.id, {"note": "Neighbour says she is away"}))
    for device in (office, nurse):
        device.pull_all()
        values = device.values(record.id)
        assert values["resolution"]["decision"] == "approved"
        assert values["note"] == "Neighbour says she is away"


def test_an_invalid_exception_is_refused_and_none_is_deleted(world: World, nurse: Device) -> None:
    bad = nurse.create(missed(world))
    bad["changes"]["reason"]["v"] = "no_fix_in_time"  # not a reason for a missed visit
    response = nurse.push(bad)
    assert response.status_code == 422 and "does not apply" in response.text
    record = missed(world)
    nurse.push_ok(nurse.create(record))
    response = nurse.push(nurse.delete("visit_exception", record.id))
    assert response.status_code in (403, 409, 422) and "cannot be deleted" in response.text


def test_what_an_exception_is_about_cannot_change(world: World, nurse: Device) -> None:
    record = missed(world)
    nurse.push_ok(nurse.create(record))
    nurse.pull_all()
    response = nurse.push(nurse.update("visit_exception", record.id, {"code": "late_check_in"}))
    assert response.status_code in (409, 422) and "cannot change" in response.text


@pytest.mark.parametrize("code", list(ExceptionCode), ids=[c.value for c in ExceptionCode])
def test_every_kind_reaches_the_queue_and_is_decided(
    world: World, office: Device, nurse: Device, code: ExceptionCode
) -> None:
    from fieldapp.domain.exceptions import REASONS

    reason = REASONS[code][0]
    record = missed(world, id=exception_id(world.visit.id, code), code=code, reason=reason)
    nurse.push_ok(nurse.create(record))
    day = world.visit.scheduled_start.date().isoformat()
    queue = office.client.get(
        "/admin/exceptions", headers=office.headers, params={"day": day, "code": code.value}
    ).json()
    assert [item["id"] for item in queue["items"]] == [str(record.id)]
    assert queue["items"][0]["state"] == "open" and queue["items"][0]["reason"]
    decided = office.client.post(
        "/admin/exceptions/decide",
        headers=office.headers,
        json={"ids": [str(record.id)], "decision": "rejected", "note": "Call the worker first"},
    )
    assert decided.status_code == 200, decided.text
    nurse.pull_all()
    assert nurse.values(record.id)["resolution"]["decision"] == "rejected"
