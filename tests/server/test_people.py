"""People and the agency on the server (both databases): the office sets the cards, a tablet reads its own
and the agency's at ``/account``; bad values change nothing; a field device may not pose as an office
clock."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from fieldapp.domain.people import AgencyCard
from fieldapp.domain.values import ObservationKind
from fieldapp.sync.protocol import AccountProfile
from tests.server.conftest import PASSWORD, Users
from tests.server.helpers import Device


def put(client: TestClient, who: Device, path: str, body: dict[str, Any]) -> Any:
    return client.put(path, json=body, headers=who.headers)


def test_a_tablet_reads_its_card_and_the_agencys_as_the_office_set_them(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    empty = client.get("/account", headers=nurse.headers)
    assert empty.status_code == 200, empty.text
    before = AccountProfile.parse(empty.content)
    assert (
        before.worker.username == "nurse"
        and before.worker.full_name == ""
        and before.worker.display_name == "nurse"
    )
    assert before.agency.late_after_min == 15 and before.agency.time_zone

    card = put(
        client,
        office,
        f"/admin/users/{users.nurse}/card",
        {"full_name": "Ana López", "credential": "rn", "phone": "555-0142"},
    )
    assert card.status_code == 200, card.text
    assert card.json()["credential"] == "RN"
    agency = put(
        client,
        office,
        "/admin/agency",
        {"name": "Sunrise Home Care", "address": "12 Main St", "phone": "555-0100", "late_after_min": 10},
    )
    assert agency.status_code == 200, agency.text

    answer = AccountProfile.parse(client.get("/account", headers=nurse.headers).content)
    assert answer.worker.display_name == "Ana López, RN" and answer.worker.phone == "555-0142"
    assert (answer.agency.name, answer.agency.address, answer.agency.late_after_min) == (
        "Sunrise Home Care",
        "12 Main St",
        10,
    )
    cleared = put(client, office, f"/admin/users/{users.nurse}/card", {"phone": ""})
    assert (
        cleared.status_code == 200
        and cleared.json()["phone"] is None
        and cleared.json()["full_name"] == "Ana López"
    )


def test_the_agencys_vital_units_reach_the_tablets_and_an_older_tablet_still_reads_the_card(
    client: TestClient, office: Device, nurse: Device
) -> None:
    first = AccountProfile.parse(client.get("/account", headers=nurse.headers).content)
    assert (first.agency.temperature_unit, first.agency.weight_unit) == ("[degF]", "[lb_av]")  # US default
    answer = put(client, office, "/admin/agency", {"temperature_unit": "Cel", "weight_unit": "kg"})
    assert answer.status_code == 200, answer.text
    body = client.get("/account", headers=nurse.headers)
    card = AccountProfile.parse(body.content).agency
    assert (card.temperature_unit, card.weight_unit) == ("Cel", "kg")
    assert card.vital_units.entry_unit(ObservationKind.TEMPERATURE) == "Cel"
    # An older tablet knows only the fields it had: the lenient parse drops the new ones.
    older = {k: v for k, v in body.json()["agency"].items() if k not in ("temperature_unit", "weight_unit")}
    assert AgencyCard.model_validate(older).temperature_unit == "[degF]"
    assert set(body.json()["agency"]) - set(older) == {"temperature_unit", "weight_unit"}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("card", {"credential": "Wizard"}, "credential"),
        ("card", {"credential": "ZZ"}, "credential"),
        ("card", {"full_name": "two\nlines"}, "full_name"),
        ("card", {"phone": "call me"}, "phone"),
        ("card", {"nickname": "Annie"}, "nickname"),
        ("agency", {"late_after_min": 500}, "late_after_min"),
        ("agency", {"name": "x" * 201}, "name"),
        ("agency", {"time_zone": "Europe/Nowhere"}, "time_zone"),
        ("agency", {"time_zone": "not a zone"}, "time_zone"),
        ("agency", {"temperature_unit": "K"}, "temperature_unit"),
        ("agency", {"weight_unit": "stone", "name": "Changed"}, "weight_unit"),
    ],
)
def test_bad_card_values_are_refused_and_change_nothing(
    client: TestClient,
    users: Users,
    office: Device,
    nurse: Device,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    before = client.get("/account", headers=nurse.headers).json()
    target = f"/admin/users/{users.nurse}/card" if path == "card" else "/admin/agency"
    answer = put(client, office, target, body)
    assert answer.status_code == 422, answer.text
    assert field in answer.text
    assert client.get("/account", headers=nurse.headers).json() == before


def test_only_the_office_sets_cards_and_an_unknown_user_is_not_found(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    assert put(client, nurse, f"/admin/users/{users.nurse}/card", {"full_name": "Me"}).status_code == 403
    assert put(client, nurse, "/admin/agency", {"name": "Mine"}).status_code == 403
    unknown = put(
        client, office, "/admin/users/00000000-0000-4000-8000-000000000000/card", {"full_name": "X"}
    )
    assert unknown.status_code == 404
    assert client.get("/account").status_code == 401


@pytest.mark.parametrize("device_id", ["server0", "web" + "a" * 29, "office7"])
def test_a_field_worker_cannot_sign_in_as_an_office_clock(
    client: TestClient, users: Users, device_id: str
) -> None:
    answer = client.post(
        "/auth/login", json={"username": "nurse", "password": PASSWORD, "device_id": device_id}
    )
    assert answer.status_code == 403 and answer.json()["error"] == "reserved_device_id"
    assert Device.sign_in(client, "office", PASSWORD, device_id).user_id == users.office, "the office may"
