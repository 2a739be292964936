"""A first end-to-end pass through the contract: office registers a patient, assigns it, the nurse pulls."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.server import helpers as h
from tests.server.conftest import Users
from tests.server.helpers import Device


def test_office_patient_reaches_the_assigned_nurse_only(
    client: TestClient, users: Users, office: Device, nurse: Device, aide: Device
) -> None:
    p = h.patient()
    office.push_ok(office.create(p))
    assert client.put(f"/caseloads/{users.nurse}/{p.id}", headers=office.headers).status_code == 204
    nurse.pull_all()
    aide.pull_all()
    assert nurse.values(p.id)["family_name"] == "Okafor"
    assert p.id not in aide.replica
