"""The push half of the contract: atomic batches, replays, validation, merge per field, clinical locks,
authorisation by caseload, and the clock checks."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient

from fieldapp.domain.attestation import content_digest
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Patient, Visit
from fieldapp.domain.values import Address
from fieldapp.server.auth import passwords
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import Clock, Users
from tests.server.helpers import PNG, Device


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests sign in often and are not about hashing: scrypt at 1/16 of its cost."""
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


# Devices send values in their canonical (fully dumped) form; the server refuses anything else.
ADDRESS = Address(line1="12 Elm Street", city="Springfield", postal_code="62701").model_dump(mode="json")


@dataclass
class World:
    """A patient on the nurse's caseload with a visit the office scheduled; both devices have pulled."""

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


def refused(response: httpx2.Response, status: int = 422) -> dict[str, dict[str, Any]]:
    """The rejections of a refused batch, by mutation id."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == "batch_refused", body
    return {r["mutation_id"]: r for r in body["rejected"]}


def refused_one(response: httpx2.Response, code: str, status: int = 422) -> dict[str, Any]:
    [rejection] = refused(response, status).values()
    assert rejection["code"] == code, rejection
    return rejection


def ms(clock: Clock) -> int:
    return int(clock.now.timestamp() * 1000)


# -- replay and atomicity ------------------------------------------------------------------------------------


def test_a_replayed_mutation_applies_nothing_and_gets_its_first_answer(
    client: TestClient, users: Users, office: Device
) -> None:
    p = h.patient()
    create = office.create(p)
    [first] = office.push_ok(create)["results"]
    assert first == {
        "mutation_id": create["mutation_id"],
        "outcome": "applied",
        "conflicts": 0,
        "seq": db.newest(client),
    }
    before = db.snapshot(client)
    assert before["applied"] == 1 and before["counter"] == first["seq"]

    [again] = office.push_ok(create)["results"]
    assert again == {**first, "outcome": "duplicate"}
    assert db.snapshot(client) == before

    edit = office.update("patient", p.id, {"phone": "555-0100"})
    [edited] = office.push_ok(edit)["results"]
    assert edited["seq"] > first["seq"]
    before = db.snapshot(client)
    other = h.patient()
    results = office.push_ok(create, edit, office.create(other))["results"]
    assert results[0] == {**first, "outcome": "duplicate"}, "the first answer, not the record's current seq"
    assert results[1] == {**edited, "outcome": "duplicate"}
    assert results[2]["outcome"] == "applied" and results[2]["seq"] > edited["seq"]
    after = db.snapshot(client)
    assert after["applied"] == before["applied"] + 1
    assert after["counter"] == results[2]["seq"]
    assert {k: v for k, v in after["records"].items() if k != other.id} == before["records"]


def test_a_batch_with_bad_mutations_changes_nothing_and_names_each(
    client: TestClient, users: Users, office: Device
) -> None:
    good, other = office.create(h.patient()), office.create(h.patient())
    bad_phone = office.create(h.patient())
    bad_phone["changes"]["phone"]["v"] = "call me maybe"
    bad_name = office.create(h.patient())
    bad_name["changes"]["given_name"]["v"] = "x" * 101
    bad_name["changes"]["date_of_birth"]["v"] = "1800-01-01"
    before = db.snapshot(client)

    rejected = refused(office.push(good, bad_phone, other, bad_name))
    assert set(rejected) == {bad_phone["mutation_id"], bad_name["mutation_id"]}
    assert rejected[bad_phone["mutation_id"]]["code"] == "invalid"
    assert set(rejected[bad_phone["mutation_id"]]["problems"]) == {"phone"}
    assert set(rejected[bad_name["mutation_id"]]["problems"]) == {"given_name", "date_of_birth"}
    assert all(r["message"] for r in rejected.values())
    assert db.snapshot(client) == before

    results = office.push_ok(good, other)["results"]
    assert [r["outcome"] for r in results] == ["applied", "applied"]


BAD_PATIENT_FIELDS = [
    ("phone", 5550142),  # wrong type
    ("allergies", "penicillin"),  # wrong type
    ("active", "maybe"),  # wrong type
    ("sex", "robot"),  # not one of the enum's values
    ("given_name", "x" * 101),  # too long
    ("care_plan", "x" * 10_001),  # too long
    ("mrn", "MRN 1/2"),  # pattern
    ("date_of_birth", "the sixties"),
    ("address", {**ADDRESS, "planet": "Mars"}),  # unknown nested field
    ("favourite_colour", "blue"),  # unknown field
]


def test_wrong_types_unknown_fields_bad_enums_and_long_strings_are_refused(
    client: TestClient, users: Users, office: Device
) -> None:
    p = h.patient()
    office.push_ok(office.create(p))
    before = db.snapshot(client)
    for name, value in BAD_PATIENT_FIELDS:
        create = office.create(h.patient())
        stamp = next(iter(create["changes"].values()))["s"]
        create["changes"][name] = {"v": value, "s": stamp}
        rejection = refused_one(office.push(create), "invalid")
        assert any(key.split(".")[0] == name for key in rejection["problems"]), (name, rejection)

        if name == "mrn":
            continue  # an edit of the MRN is refused as immutable before its value is looked at
        edit = office.update("patient", p.id, {name: value})
        rejection = refused_one(office.push(edit), "invalid")
        assert any(key.split(".")[0] == name for key in rejection["problems"]), (name, rejection)
    refused_one(office.push(office.update("visit", p.id, {"status": "completed"})), "wrong_entity")
    assert db.snapshot(client) == before


def test_malformed_requests_are_refused_before_anything_is_stored(
    client: TestClient, users: Users, office: Device
) -> None:
    before = db.snapshot(client)

    def variant(change: Any) -> dict[str, Any]:
        mutation = office.create(h.patient())
        change(mutation)
        return mutation

    broken = [
        variant(lambda m: m.update(colour="blue")),
        variant(lambda m: m.update(entity="doctor")),
        variant(lambda m: m.update(record_id="patient-1")),
        variant(lambda m: m["changes"]["phone"].update(s="yesterday")),
        variant(lambda m: m["changes"]["phone"].update(x=1)),
        variant(lambda m: m["changes"].update({"Phone!": {"v": "1", "s": m["changes"]["phone"]["s"]}})),
        variant(lambda m: m.update(changes={})),
    ]
    for mutation in broken:
        response = office.push(office.create(h.patient()), mutation)
        assert response.status_code == 422, (mutation, response.text)
        assert response.json()["error"] == "invalid_request"
    response = client.post(
        "/sync/push",
        headers=office.headers,
        json={"device_id": "office1", "mutations": [office.create(h.patient())], "extra": 1},
    )
    assert response.status_code == 422
    response = client.post(
        "/sync/push", headers=office.headers, json={"device_id": "office1", "mutations": []}
    )
    assert response.status_code == 422
    assert db.snapshot(client) == before


# -- entity rules --------------------------------------------------------------------------------------------


def test_immutable_fields_and_undeletable_records(
    client: TestClient, users: Users, office: Device, nurse: Device, world: World
) -> None:
    n = h.note(world.visit, users.nurse)
    o = h.observation(world.visit)
    nurse.push_ok(nurse.create(n), nurse.create(o))
    nurse.pull_all()
    db.catch_up(nurse)
    before = db.snapshot(client)

    refused_one(office.push(office.update("patient", world.patient.id, {"mrn": "MRN-OTHER"})), "immutable")
    for name, value in [
        ("text", "Rewritten."),
        ("written_at", "2020-01-01T00:00:00Z"),
        ("amends", str(uuid.uuid4())),
    ]:
        response = nurse.push(nurse.update("visit_note", n.id, {name: value}))
        assert refused_one(response, "immutable")["message"], name
    refused_one(nurse.push(nurse.update("observation", o.id, {"value": 80})), "immutable")
    refused_one(
        office.push(office.update("visit", world.visit.id, {"patient_id": str(uuid.uuid4())})), "immutable"
    )
    refused_one(nurse.push(nurse.delete("visit_note", n.id)), "undeletable")
    refused_one(office.push(office.delete("observation", o.id)), "undeletable")
    # A tablet whose clock is an hour behind (and lost its last stamp) stamps its edits before the first
    # writes: under "first writer wins" such an edit would win the merge, so it must be refused too.
    office.clock = HybridClock("office1", offset_ms=-3_600_000)
    early = office.update("visit_note", n.id, {"text": "Rewritten."})
    assert early["changes"]["text"]["s"] < db.record(client, n.id).stamps["text"]  # type: ignore[union-attr]
    refused_one(office.push(early), "immutable")
    refused_one(office.push(office.update("observation", o.id, {"value": 80})), "immutable")
    refused_one(office.push(office.update("patient", world.patient.id, {"mrn": "MRN-OTHER"})), "immutable")
    refused_one(
        office.push(office.update("visit", world.visit.id, {"patient_id": str(uuid.uuid4())})), "immutable"
    )
    assert db.snapshot(client) == before

    same = nurse.update("visit_note", n.id, {"text": n.text})
    assert nurse.push_ok(same)["results"][0]["outcome"] == "applied", (
        "writing the same value again is no edit"
    )
    assert db.record(client, n.id).fields["text"] == n.text  # type: ignore[union-attr]
    nurse.push_ok(nurse.update("observation", o.id, {"entered_in_error": True}))


def test_stamps_too_far_ahead_of_the_server_clock_are_refused(
    client: TestClient, users: Users, nurse: Device, world: World, clock: Clock
) -> None:
    db.later(nurse, 4 * 60_000)
    nurse.push_ok(nurse.create(h.note(world.visit, users.nurse)))
    db.later(nurse, 6 * 60_000)
    ahead = nurse.create(h.note(world.visit, users.nurse))
    before = db.snapshot(client)
    rejection = refused_one(nurse.push(ahead), "clock_ahead")
    match = re.search(r"ahead by (\d+) s", rejection["message"])
    assert match, rejection["message"]
    expected = (db.wall(db.stamp_of(ahead, "text")) - ms(clock)) // 1000
    assert int(match.group(1)) == expected and 600 <= expected < 630
    assert db.snapshot(client) == before

    clock.advance(minutes=10)
    nurse.push_ok(ahead)


def test_stamps_of_another_node_are_refused(
    client: TestClient, users: Users, nurse: Device, world: World
) -> None:
    other = HybridClock("tablet2")
    mutation = nurse.create(h.note(world.visit, users.nurse))
    for change in mutation["changes"].values():
        change["s"] = other.now().encode()
    mixed = nurse.create(h.note(world.visit, users.nurse))
    mixed["changes"]["text"]["s"] = other.now().encode()
    before = db.snapshot(client)
    rejected = refused(nurse.push(mutation, mixed))
    assert {r["code"] for r in rejected.values()} == {"foreign_stamp"}
    assert set(rejected) == {mutation["mutation_id"], mixed["mutation_id"]}
    deleting = {**nurse.delete("visit", world.visit.id), "deleted": other.now().encode()}
    refused_one(nurse.push(deleting), "foreign_stamp")
    assert db.snapshot(client) == before


def test_a_push_for_another_device_id_is_forbidden(
    client: TestClient, users: Users, nurse: Device, world: World
) -> None:
    before = db.snapshot(client)
    response = client.post(
        "/sync/push",
        headers=nurse.headers,
        json={"device_id": "tablet2", "mutations": [nurse.create(h.note(world.visit, users.nurse))]},
    )
    assert response.status_code == 403
    assert response.json()["error"] == "device_mismatch"
    assert db.snapshot(client) == before


# -- merge ------------------------------------------------------------------------------------------------


def test_concurrent_edits_of_different_fields_both_survive(
    client: TestClient, users: Users, office: Device, nurse: Device, world: World
) -> None:
    pid = world.patient.id
    by_office = office.update("patient", pid, {"phone": "555-0199"})
    by_nurse = nurse.update("patient", pid, {"address": ADDRESS})
    assert office.push_ok(by_office)["results"][0]["conflicts"] == 0
    assert nurse.push_ok(by_nurse)["results"][0]["conflicts"] == 0
    stored = db.record(client, pid)
    assert stored is not None
    assert stored.fields["phone"] == "555-0199"
    assert stored.fields["address"]["line1"] == "12 Elm Street"
    assert stored.fields["family_name"] == "Okafor"
    assert db.conflicts(client) == []
    for device in (office, nurse):
        device.pull_all()
        assert device.replica[pid] == db.states(client)[pid]


def test_concurrent_edits_of_one_field_keep_the_higher_stamp_and_log_the_loser(
    client: TestClient, users: Users, office: Device, nurse: Device, world: World
) -> None:
    pid = world.patient.id
    loser = office.update("patient", pid, {"phone": "555-0001"})
    db.later(nurse, 1_000)
    winner = nurse.update("patient", pid, {"phone": "555-0002"})
    assert nurse.push_ok(winner)["results"][0]["conflicts"] == 0
    assert office.push_ok(loser)["results"][0]["conflicts"] == 1
    assert db.record(client, pid).fields["phone"] == "555-0002"  # type: ignore[union-attr]
    [entry] = db.conflicts(client)
    assert entry == {
        "entity": "patient",
        "record_id": pid,
        "patient_id": pid,
        "field": "phone",
        "reason": "conflict",
        "lost_value": "555-0001",
        "lost_stamp": db.stamp_of(loser, "phone"),
        "winner_value": "555-0002",
        "winner_stamp": db.stamp_of(winner, "phone"),
        "mutation_id": uuid.UUID(loser["mutation_id"]),
    }

    # The other arrival order: the loser is already stored when the winner comes.
    loser = office.update("patient", pid, {"care_plan": "Office plan"})
    db.later(nurse, 1_000)
    winner = nurse.update("patient", pid, {"care_plan": "Nurse plan"})
    assert office.push_ok(loser)["results"][0]["conflicts"] == 0
    assert nurse.push_ok(winner)["results"][0]["conflicts"] == 1
    assert db.record(client, pid).fields["care_plan"] == "Nurse plan"  # type: ignore[union-attr]
    entry = db.conflicts(client)[1]
    assert (entry["field"], entry["reason"], entry["lost_value"], entry["winner_value"]) == (
        "care_plan",
        "conflict",
        "Office plan",
        "Nurse plan",
    )
    assert (entry["lost_stamp"], entry["winner_stamp"]) == (
        db.stamp_of(loser, "care_plan"),
        db.stamp_of(winner, "care_plan"),
    )


def test_editing_over_what_was_pulled_logs_no_conflict(
    client: TestClient, users: Users, office: Device, nurse: Device, world: World
) -> None:
    pid = world.patient.id
    office.push_ok(office.update("patient", pid, {"phone": "555-0001"}))
    nurse.pull_all()
    db.catch_up(nurse)
    result = nurse.push_ok(nurse.update("patient", pid, {"phone": "555-0002"}))["results"][0]
    assert result["conflicts"] == 0
    assert db.record(client, pid).fields["phone"] == "555-0002"  # type: ignore[union-attr]
    assert db.conflicts(client) == []


def test_a_delete_wins_over_a_concurrent_later_edit_which_is_logged(
    client: TestClient, users: Users, office: Device, nurse: Device, world: World
) -> None:
    second = h.visit(world.patient.id, users.nurse)
    office.push_ok(office.create(second))
    nurse.pull_all()
    db.catch_up(nurse)

    # The delete arrives first.
    deleting = office.delete("visit", world.visit.id)
    db.later(nurse, 1_000)
    editing = nurse.update("visit", world.visit.id, {"status": "in_progress"})
    office.push_ok(deleting)
    assert nurse.push_ok(editing)["results"][0]["conflicts"] == 1
    stored = db.record(client, world.visit.id)
    assert stored is not None and stored.deleted == deleting["deleted"]
    # The edit arrives first.
    editing2 = nurse.update("visit", second.id, {"status": "completed"})
    deleting2 = office.delete("visit", second.id)
    db.later(office, 5_000)
    assert nurse.push_ok(editing2)["results"][0]["conflicts"] == 0
    office.push_ok(deleting2)
    stored = db.record(client, second.id)
    assert stored is not None and stored.deleted == deleting2["deleted"]

    logged = db.conflicts(client)
    assert [(e["record_id"], e["field"], e["reason"]) for e in logged] == [
        (world.visit.id, "status", "deleted"),
        (second.id, "status", "deleted"),
    ]
    assert logged[0]["lost_value"] == "in_progress"
    assert logged[0]["lost_stamp"] == db.stamp_of(editing, "status")
    assert logged[0]["winner_stamp"] == deleting["deleted"]
    assert logged[1]["lost_value"] == "completed"
    assert logged[1]["winner_stamp"] == deleting2["deleted"]


# -- signatures ------------------------------------------------------------------------------------------


def test_a_signed_visit_locks_what_the_signature_attests(
    client: TestClient, users: Users, office: Device, nurse: Device, world: World
) -> None:
    v = world.visit
    n = h.note(v, users.nurse)
    o = h.observation(v)
    wrong = h.observation(v, kind="temperature", value=38.5, unit="Cel")
    nurse.push_ok(nurse.create(n), nurse.create(o), nurse.create(wrong))
    nurse.pull_all()
    db.catch_up(nurse)
    nurse.push_ok(nurse.update("observation", wrong.id, {"entered_in_error": True}))
    sha = nurse.upload(PNG)
    wrong_marked = wrong.model_copy(update={"entered_in_error": True})
    sig = h.signature_for(v, [n], [o, wrong_marked], sha)
    nurse.push_ok(nurse.create(sig), nurse.update("visit", v.id, {"signature_id": str(sig.id)}))
    assert db.conflicts(client) == [], "the server computes the same attested content as the tablet"
    for device in (office, nurse):
        device.pull_all()
        db.catch_up(device)
    before = db.snapshot(client)

    locked = {
        "service_code": "G0300",
        "scheduled_end": "2030-01-01T00:00:00Z",
        "worker_id": str(users.aide),
        "check_in": {"device_time": "2030-01-01T00:00:00Z", "server_time": "2030-01-01T00:00:00Z"},
    }
    for name, value in locked.items():
        rejection = refused_one(nurse.push(nurse.update("visit", v.id, {name: value})), "signed")
        assert name in rejection["message"]
    refused_one(office.push(office.update("visit", v.id, {"service_code": "G0300"})), "signed")
    refused_one(nurse.push(nurse.update("observation", o.id, {"entered_in_error": True})), "signed")
    refused_one(nurse.push(nurse.update("visit", v.id, {"signature_id": str(uuid.uuid4())})), "immutable")
    office.clock = HybridClock("office1", offset_ms=-3_600_000)  # stamps before the signing
    refused_one(office.push(office.update("visit", v.id, {"signature_id": str(uuid.uuid4())})), "immutable")
    assert db.snapshot(client) == before

    nurse.push_ok(nurse.update("visit", v.id, {"status": "completed"}))
    amendment = h.note(v, users.nurse, text="Addendum: wound dressing changed.", amends=n.id)
    nurse.push_ok(nurse.create(amendment))
    assert db.record(client, v.id).fields["status"] == "completed"  # type: ignore[union-attr]
    assert db.record(client, amendment.id) is not None
    assert db.conflicts(client) == []


def test_a_signature_needs_its_image_uploaded_first(
    client: TestClient, users: Users, nurse: Device, world: World
) -> None:
    missing = hashlib.sha256(b"never uploaded").hexdigest()
    sig = h.signature_for(world.visit, [], [], missing)
    before = db.snapshot(client)
    rejection = refused_one(nurse.push(nurse.create(sig)), "blob_missing")
    assert missing in rejection["message"]
    assert db.snapshot(client) == before
    sha = nurse.upload(PNG)
    nurse.push_ok(nurse.create(h.signature_for(world.visit, [], [], sha)))


def test_a_signature_over_other_content_is_kept_and_flagged(
    client: TestClient, users: Users, nurse: Device, world: World
) -> None:
    v = world.visit
    n = h.note(v, users.nurse)
    nurse.push_ok(nurse.create(n))
    sha = nurse.upload(PNG)
    sig = h.signature_for(v, [], [], sha)  # the tablet had not got the note when it was signed
    create = nurse.create(sig)
    result = nurse.push_ok(create)["results"][0]
    assert result["outcome"] == "applied"
    stored = db.record(client, sig.id)
    assert stored is not None and stored.fields["content_sha256"] == sig.content_sha256  # type: ignore[attr-defined]
    [entry] = db.conflicts(client)
    assert entry["entity"] == "signature" and entry["record_id"] == sig.id
    assert entry["reason"] == "attestation_mismatch"
    assert entry["patient_id"] == world.patient.id
    assert entry["lost_value"] == sig.content_sha256  # type: ignore[attr-defined]
    assert entry["winner_value"] == content_digest(v, [n], [])
    assert entry["lost_stamp"] == db.stamp_of(create, "content_sha256")


# -- references and authorisation ---------------------------------------------------------------------------


def test_children_need_an_existing_visit_of_the_same_patient(
    client: TestClient, users: Users, office: Device, nurse: Device, world: World
) -> None:
    other = h.patient()
    office.push_ok(office.create(other))
    before = db.snapshot(client)
    ghost = h.visit(world.patient.id, users.nurse)  # never pushed
    refused_one(nurse.push(nurse.create(h.note(ghost, users.nurse))), "unknown_visit")
    refused_one(nurse.push(nurse.create(h.observation(ghost))), "unknown_visit")
    mismatched = h.note(world.visit, users.office).model_copy(update={"patient_id": other.id})
    rejection = refused_one(office.push(office.create(mismatched)), "invalid")
    assert set(rejection["problems"]) == {"patient_id"}
    assert db.snapshot(client) == before

    office.push_ok(office.delete("visit", world.visit.id))
    refused_one(nurse.push(nurse.create(h.note(world.visit, users.nurse))), "unknown_visit")
    # A visit and its note in one batch is fine.
    fresh = h.visit(world.patient.id, users.nurse)
    nurse.push_ok(nurse.create(fresh), nurse.create(h.note(fresh, users.nurse)))


def test_workers_cannot_register_patients(client: TestClient, users: Users, nurse: Device) -> None:
    before = db.snapshot(client)
    rejection = refused_one(nurse.push(nurse.create(h.patient())), "office_only", status=403)
    assert rejection["message"]
    assert db.snapshot(client) == before


def test_workers_write_only_for_patients_on_their_caseload(
    client: TestClient, users: Users, office: Device, nurse: Device, aide: Device, world: World
) -> None:
    elsewhere = h.patient()
    office.push_ok(office.create(elsewhere))
    office.pull_all()
    before = db.snapshot(client)
    refused_one(nurse.push(nurse.create(h.visit(elsewhere.id, users.nurse))), "not_on_caseload", status=403)
    refused_one(
        nurse.push(nurse.update("patient", elsewhere.id, {"phone": "555-0100"})), "not_on_caseload", 403
    )
    allowed = nurse.create(h.note(world.visit, users.nurse))
    outside = nurse.create(h.visit(elsewhere.id, users.nurse))
    rejected = refused(nurse.push(allowed, outside), status=403)
    assert set(rejected) == {outside["mutation_id"]}
    refused_one(aide.push(aide.create(h.note(world.visit, users.aide))), "not_on_caseload", status=403)
    refused_one(
        aide.push(aide.update("patient", world.patient.id, {"phone": "1-555"})), "not_on_caseload", 403
    )
    assert db.snapshot(client) == before
    nurse.push_ok(allowed)


def test_edits_stamped_before_an_unassignment_are_still_accepted(
    client: TestClient, users: Users, office: Device, nurse: Device, world: World, clock: Clock
) -> None:
    v = world.visit
    before_unassign = nurse.update("visit", v.id, {"status": "in_progress"})
    note_before = nurse.create(h.note(v, users.nurse))
    clock.advance(seconds=60)
    db.unassign(office, users.nurse, world.patient.id)
    nurse.push_ok(before_unassign, note_before)
    assert db.record(client, v.id).fields["status"] == "in_progress"  # type: ignore[union-attr]

    db.later(nurse, 120_000)
    after_unassign = nurse.update("visit", v.id, {"status": "completed"})
    assert db.wall(db.stamp_of(after_unassign, "status")) > int(clock.now.timestamp() * 1000)
    before = db.snapshot(client)
    refused_one(nurse.push(after_unassign), "not_on_caseload", status=403)
    refused_one(nurse.push(nurse.create(h.note(v, users.nurse))), "not_on_caseload", status=403)
    assert db.snapshot(client) == before

    db.assign(office, users.nurse, world.patient.id)
    nurse.push_ok(after_unassign)


def test_the_answer_carries_the_server_clock(
    client: TestClient, users: Users, office: Device, clock: Clock
) -> None:
    body = office.push_ok(office.create(h.patient()))
    assert body["server_time_ms"] == ms(clock)
    clock.advance(seconds=90)
    body = office.push_ok(office.create(h.patient()))
    assert body["server_time_ms"] == ms(clock)
    replay = office.push(office.create(h.patient()))
    assert replay.json()["server_time_ms"] == ms(clock)


def test_a_mutation_id_reused_by_another_user_or_for_another_record_is_refused(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p, other = h.patient(), h.patient()
    first = office.create(p)
    office.push_ok(first)
    office.push_ok(office.create(other))
    assert client.put(f"/caseloads/{users.nurse}/{p.id}", headers=office.headers).status_code == 204
    nurse.pull_all()
    stolen = nurse.update("patient", p.id, {"phone": "555-0100"})
    stolen["mutation_id"] = first["mutation_id"]
    response = nurse.push(stolen)
    assert response.status_code == 422
    assert [r["code"] for r in response.json()["rejected"]] == ["mutation_id_reused"]
    mixed = office.update("patient", other.id, {"phone": "555-0101"})
    mixed["mutation_id"] = first["mutation_id"]
    assert office.push(mixed).json()["rejected"][0]["code"] == "mutation_id_reused"


def test_a_signed_visit_cannot_be_deleted(client: TestClient, users: Users, office: Device) -> None:
    p = h.patient()
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(p), office.create(v))
    sha = office.upload(h.PNG)
    sig = h.signature_for(v, [], [], sha)
    office.push_ok(office.create(sig), office.update("visit", v.id, {"signature_id": str(sig.id)}))
    response = office.push(office.delete("visit", v.id))
    assert response.status_code == 422 and response.json()["rejected"][0]["code"] == "signed"


def test_values_are_stored_in_their_canonical_form(
    client: TestClient, users: Users, office: Device, world: World
) -> None:
    pid = world.patient.id
    office.push_ok(
        office.update("patient", pid, {"address": {"line1": "12 Elm Street", "city": "Springfield"}})
    )
    stored = db.record(client, pid)
    assert stored is not None
    assert stored.fields["address"] == Address(line1="12 Elm Street", city="Springfield").model_dump(
        mode="json"
    )


def test_a_worker_cannot_give_a_visit_to_another_worker(
    client: TestClient, users: Users, nurse: Device, world: World
) -> None:
    v = h.visit(world.patient.id, users.aide)
    response = nurse.push(nurse.create(v))
    assert response.status_code == 403 and response.json()["rejected"][0]["code"] == "office_only"
