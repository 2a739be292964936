"""Hostile stamps and batch shapes: every stamp, base and tombstone of a push is checked (decision 0014),
and a batch naming one change id twice is refused whole. Each refusal says why and changes nothing, on
SQLite and PostgreSQL. The property tests draw arbitrary stamps and batch shapes
(``FIELDAPP_HOSTILE_EXAMPLES`` examples each, 25 by default; a thorough run sets a few hundred).
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import httpx2
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fieldapp.domain.clock import MAX_WALL, Stamp
from fieldapp.server.auth import passwords
from fieldapp.server.core.stamps import STAMP_FLOOR_MS
from fieldapp.server.settings import Settings
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import Clock, Users
from tests.server.helpers import Device

EXAMPLES = int(os.environ.get("FIELDAPP_HOSTILE_EXAMPLES", 25))
AHEAD_MS = Settings().max_clock_ahead_ms
YEAR_MS = 365 * 24 * 3600 * 1000
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


def ms(clock: Clock) -> int:
    return int(clock.now.timestamp() * 1000)


def stamp(wall: int, node: str = "office1", counter: int = 0) -> str:
    return Stamp(wall, counter, node).encode()


def held_stamp(client: TestClient, record_id: uuid.UUID, name: str) -> Stamp:
    row = db.record(client, record_id)
    assert row is not None
    return Stamp.decode(row.stamps[name])


def refusal(response: httpx2.Response) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "batch_refused" and body["message"]
    [rejected] = body["rejected"]
    assert rejected["message"]
    return rejected  # type: ignore[no-any-return]


def edit(record_id: uuid.UUID, s: str, b: str | None, value: str = "555-0199") -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": "patient",
        "record_id": str(record_id),
        "changes": {"phone": {"v": value, "s": s, "b": b}},
    }


def created(office: Device, s: str, base: str | None = None) -> dict[str, Any]:
    mutation = office.create(h.patient())
    for change in mutation["changes"].values():
        change["s"], change["b"] = s, base
    return mutation


def tombstone(record_id: uuid.UUID, s: str) -> dict[str, Any]:
    return {"mutation_id": str(uuid.uuid4()), "entity": "patient", "record_id": str(record_id), "deleted": s}


# -- each class of bad stamp has its own code ---------------------------------------------------------------


def test_each_bad_stamp_is_refused_with_its_reason_and_changes_nothing(
    client: TestClient, users: Users, office: Device, clock: Clock
) -> None:
    p = h.patient()
    office.push_ok(office.create(p))
    held = held_stamp(client, p.id, "phone")
    now = ms(clock)
    good = stamp(now)
    cases = {
        "stamped 1970": (edit(p.id, stamp(0), held.encode()), "stamp_too_old"),
        "stamped the day before the floor": (
            edit(p.id, stamp(STAMP_FLOOR_MS - 86_400_000), held.encode()),
            "stamp_too_old",
        ),
        "a new record stamped 1970": (created(office, stamp(1)), "stamp_too_old"),
        "a tombstone from 1970": (tombstone(p.id, stamp(0)), "stamp_too_old"),
        "a tombstone ahead of the clock": (tombstone(p.id, stamp(now + AHEAD_MS + 60_000)), "clock_ahead"),
        "a tombstone of another device": (tombstone(p.id, stamp(now, "tablet7")), "foreign_stamp"),
        "a stamp of another device": (edit(p.id, stamp(now, "tablet7"), held.encode()), "foreign_stamp"),
        "a stamp ahead of the clock": (edit(p.id, stamp(now + AHEAD_MS + 1), held.encode()), "clock_ahead"),
        "a base from 1970": (edit(p.id, good, stamp(5, "tablet7")), "stamp_too_old"),
        "a base years ahead from a device that never existed": (
            edit(p.id, good, stamp(now + 3 * YEAR_MS, "ghost")),
            "base_in_future",
        ),
        "a base just past the allowance": (
            edit(p.id, good, stamp(now + AHEAD_MS + 1, "ghost")),
            "base_in_future",
        ),
        "a base newer than the server's value": (
            edit(p.id, good, stamp(held.wall_ms + 1, "office1")),
            "base_unseen",
        ),
        "the server's wall and counter under a later node": (
            edit(p.id, good, Stamp(held.wall_ms, held.counter, "zzz").encode()),
            "base_unseen",
        ),
        "a base on a field the server never held": (
            {**edit(p.id, good, None), "changes": {"nickname": {"v": "x", "s": good, "b": held.encode()}}},
            "base_unseen",
        ),
        "a base on a brand-new record": (created(office, good, held.encode()), "base_unseen"),
        "a wall time past the year 10000": (edit(p.id, stamp(MAX_WALL), held.encode()), "clock_ahead"),
    }
    before = db.snapshot(client)
    for name, (mutation, code) in cases.items():
        rejected = refusal(office.push(mutation))
        assert rejected["code"] == code, (name, rejected)
        assert rejected["mutation_id"] == mutation["mutation_id"], name
        assert db.snapshot(client) == before, f"{name} changed something"
    assert len(cases) >= 15


def test_the_forged_base_of_the_report_can_no_longer_overwrite_silently(
    client: TestClient, users: Users, office: Device, nurse: Device, clock: Clock
) -> None:
    """The issue's attack: a base years in the future, naming no real device, made the edit "know" the
    current value and replace it without a conflict. Refused now; an honest stale base is a conflict."""
    p = h.patient()
    office.push_ok(office.create(p))
    db.assign(office, users.nurse, p.id)
    nurse.pull_all()
    db.catch_up(nurse)
    office.pull_all()
    db.catch_up(office)
    office.push_ok(office.update("patient", p.id, {"phone": "555-0001"}))
    before = db.snapshot(client)
    forged = nurse.update(
        "patient", p.id, {"phone": "555-6666"}, base={"phone": stamp(ms(clock) + 5 * YEAR_MS, "nobody")}
    )
    assert refusal(nurse.push(forged))["code"] == "base_in_future"
    assert db.snapshot(client) == before
    honest = nurse.update("patient", p.id, {"phone": "555-6666"})  # based on what the nurse last pulled
    nurse.push_ok(honest)
    [conflict] = db.conflicts(client)
    assert conflict["field"] == "phone" and conflict["reason"] == "conflict"


def test_the_edges_of_the_window_are_inside_it(
    client: TestClient, users: Users, office: Device, clock: Clock
) -> None:
    now = ms(clock)
    p = h.patient()
    office.push_ok(created(office, stamp(STAMP_FLOOR_MS)) | {"record_id": str(p.id)})
    held = held_stamp(client, p.id, "phone")
    assert held.wall_ms == STAMP_FLOOR_MS
    office.push_ok(edit(p.id, stamp(now + AHEAD_MS), held.encode()))
    assert db.record(client, p.id).fields["phone"] == "555-0199"  # type: ignore[union-attr]


def test_a_change_may_rest_on_an_earlier_change_of_the_same_batch(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = h.patient()
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(p), office.create(v))
    db.assign(office, users.nurse, p.id)
    nurse.pull_all()
    db.catch_up(nurse)
    observation = nurse.create(h.observation(v))
    first = observation["changes"]["entered_in_error"]["s"]
    marked = nurse.update("observation", uuid.UUID(observation["record_id"]), {"entered_in_error": True})
    marked["changes"]["entered_in_error"]["b"] = first
    # A new patient from the office, edited twice in the same batch, each edit resting on the one before.
    q = office.create(h.patient())
    second = edit(uuid.UUID(q["record_id"]), office.clock.now().encode(), q["changes"]["phone"]["s"])
    third = edit(
        uuid.UUID(q["record_id"]), office.clock.now().encode(), second["changes"]["phone"]["s"], "555-0300"
    )
    assert [r["outcome"] for r in nurse.push_ok(observation, marked)["results"]] == ["applied"] * 2
    assert [r["outcome"] for r in office.push_ok(q, second, third)["results"]] == ["applied"] * 3
    assert db.record(client, uuid.UUID(q["record_id"])).fields["phone"] == "555-0300"  # type: ignore[union-attr]
    assert db.conflicts(client) == []
    # The same edit on a batch whose first change is refused rests on nothing the server holds.
    r = office.create(h.patient())
    r["changes"]["phone"]["v"] = "call me maybe"
    resting = edit(uuid.UUID(r["record_id"]), office.clock.now().encode(), r["changes"]["phone"]["s"])
    before = db.snapshot(client)
    response = office.push(r, resting)
    assert response.status_code == 422
    codes = {x["mutation_id"]: x["code"] for x in response.json()["rejected"]}
    assert codes == {r["mutation_id"]: "invalid", resting["mutation_id"]: "base_unseen"}
    assert db.snapshot(client) == before


# -- arbitrary stamps: the server's answer follows the rules, and a refusal changes nothing ------------------


def expected_code(now: int, own: list[Stamp], base: Stamp | None, held: Stamp | None) -> str | None:
    """The rules of decision 0014, written out independently of the server's code."""
    for s in own:
        if s.node != "office1":
            return "foreign_stamp"
        if s.wall_ms > now + AHEAD_MS:
            return "clock_ahead"
        if s.wall_ms < STAMP_FLOOR_MS:
            return "stamp_too_old"
    if base is not None:
        if base.wall_ms < STAMP_FLOOR_MS:
            return "stamp_too_old"
        if base.wall_ms > now + AHEAD_MS:
            return "base_in_future"
        if held is None or base > held:
            return "base_unseen"
    return None


def walls(anchor: int) -> st.SearchStrategy[int]:
    """Anywhere in the stamp range, and especially close to the floor, to ``anchor`` and to the allowance."""
    near = st.integers(-3, 3)
    return st.one_of(
        st.integers(0, MAX_WALL),
        near.map(lambda d: STAMP_FLOOR_MS + d),
        near.map(lambda d: anchor + d),
        st.integers(-2 * YEAR_MS, 2 * YEAR_MS).map(lambda d: max(0, anchor + d)),
        st.sampled_from([0, 1, anchor + AHEAD_MS, anchor + AHEAD_MS + 1]),
    )


NODES = st.sampled_from(["office1"] * 4 + ["tablet7", "a", "zzzzzzzz"])


@PROPERTY
@given(data=st.data(), shape=st.sampled_from(["edit", "create", "delete"]))
def test_arbitrary_stamps_are_judged_by_the_rules(
    client: TestClient, users: Users, office: Device, clock: Clock, data: st.DataObject, shape: str
) -> None:
    now = ms(clock)
    p = h.patient()
    office.push_ok(office.create(p))
    held = held_stamp(client, p.id, "phone")
    own = Stamp(data.draw(walls(now)), data.draw(st.integers(0, 0xFFFF)), data.draw(NODES))
    base = None
    if shape != "delete" and data.draw(st.booleans()):
        base = Stamp(data.draw(walls(held.wall_ms)), data.draw(st.integers(0, 0xFFFF)), data.draw(NODES))
    if shape == "edit":
        mutation = edit(p.id, own.encode(), base.encode() if base else None)
    elif shape == "create":
        mutation = created(office, own.encode(), base.encode() if base else None)
    else:
        mutation = tombstone(p.id, own.encode())
    before = db.snapshot(client)
    response = office.push(mutation)
    expected = expected_code(now, [own], base, held if shape == "edit" else None)
    event(f"{shape}: {expected or 'applied'}")
    if expected is None:
        assert response.status_code == 200, (own, base, response.text)
    else:
        assert refusal(response)["code"] == expected, (own, base)
        assert db.snapshot(client) == before


# -- repeated change ids -----------------------------------------------------------------------------------


def test_a_batch_naming_one_change_id_twice_is_refused_whole(
    client: TestClient, users: Users, office: Device
) -> None:
    p = h.patient()
    first = office.create(p)
    twice_same = [first, first]
    other = office.update("patient", p.id, {"phone": "555-0111"}) | {"mutation_id": first["mutation_id"]}
    twice_different = [first, office.create(h.patient()), other]
    office.push_ok(office.create(h.patient()))
    applied = office.create(h.patient())
    office.push_ok(applied)
    replayed_twice = [applied, office.create(h.patient()), applied]
    before = db.snapshot(client)
    for name, batch in {
        "the same change twice": twice_same,
        "one id, two different changes": twice_different,
        "an applied change replayed twice": replayed_twice,
    }.items():
        response = office.push(*batch)
        assert response.status_code == 422, (name, response.text)
        body = response.json()
        assert body["error"] == "batch_refused" and "nothing was applied" in body["message"], name
        assert [r["code"] for r in body["rejected"]] == ["repeated_mutation_id"], name
        assert db.snapshot(client) == before, f"{name} changed something"


@PROPERTY
@given(data=st.data())
def test_arbitrary_batch_shapes_with_a_repeated_id_change_nothing(
    client: TestClient, users: Users, office: Device, data: st.DataObject
) -> None:
    size = data.draw(st.integers(2, 12))
    batch = [office.create(h.patient()) for _ in range(size)]
    # Some ids are given again to other positions, with the same or other values.
    repeats = data.draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), min_size=1))
    repeated = set()
    for source, target in repeats:
        if source != target:
            batch[target] = batch[target] | {"mutation_id": batch[source]["mutation_id"]}
    ids = [m["mutation_id"] for m in batch]
    repeated = {mid for mid in ids if ids.count(mid) > 1}
    before = db.snapshot(client)
    response = office.push(*batch)
    if not repeated:
        assert response.status_code == 200
        return
    assert response.status_code == 422, response.text
    assert {r["mutation_id"] for r in response.json()["rejected"]} == repeated
    assert db.snapshot(client) == before
