"""The pull half of the contract: pages bounded in count and bytes, cursors, tombstones, compression,
and what each user may see as caseloads change."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

import orjson
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain.entities import DayReport
from fieldapp.domain.values import DaySummary
from fieldapp.server.auth import admin, passwords
from fieldapp.server.core.notify import FeedWatch
from fieldapp.server.models import User
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import PASSWORD, Clock, Users
from tests.server.helpers import PNG, Device


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests sign in often and are not about hashing: scrypt at 1/16 of its cost."""
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


def fresh(device: Device, client: TestClient | None = None) -> Device:
    """The same signed-in device as if it had never pulled (optionally talking to another app)."""
    return replace(device, client=client or device.client, cursor=None, replica={}, evicted=[])


def submit_day_report(worker: Device, day: date) -> uuid.UUID:
    sha = worker.upload(b"%PDF-1.4\n" + worker.username.encode() + b"\n%%EOF\n", "application/pdf")
    report = DayReport(
        worker_id=worker.user_id,
        day=day,
        summary=DaySummary(
            visits_scheduled=1,
            visits_completed=1,
            visits_missed=0,
            visits_unsigned=0,
            visits_missing_evv=0,
            notes=1,
            observations=1,
            unsent_changes=0,
            open_conflicts=0,
        ),
        pdf_sha256=sha,
        submitted_at=datetime.now(UTC),
    )
    response = worker.client.post(
        "/reports/day",
        headers=worker.headers,
        json={"device_id": worker.device_id, "mutations": [worker.create(report)]},
    )
    assert response.status_code == 200, response.text
    return report.id


# -- paging --------------------------------------------------------------------------------------------------


def test_pages_are_bounded_by_limit_and_deliver_each_record_once(
    client: TestClient, users: Users, office: Device, app_factory: Callable[..., TestClient], clock: Clock
) -> None:
    patients = [h.patient() for _ in range(20)]
    office.push_ok(*(office.create(p) for p in patients))
    for p in patients[3:8]:  # edits move records forward in the feed
        office.push_ok(office.update("patient", p.id, {"phone": "555-0100"}))

    device = Device.sign_in(client, "office", PASSWORD, "office2")
    pages = device.pull_all(limit=7)
    assert [len(page["changes"]) for page in pages] == [7, 7, 6]
    assert [page["has_more"] for page in pages] == [True, True, False]
    assert [page["remaining"] for page in pages] == [13, 6, 0]
    assert all(page["server_time_ms"] == int(clock.now.timestamp() * 1000) for page in pages)
    seqs = db.check_pages(pages)
    assert seqs[-1] == db.newest(client) and db.cursor_number(device.cursor or "") >= seqs[-1]
    delivered = Counter(uuid.UUID(c["record_id"]) for page in pages for c in page["changes"])
    assert set(delivered) == {p.id for p in patients}
    assert set(delivered.values()) == {1}, "every record exactly once"
    assert device.replica == db.states(client)

    again = device.pull_page(limit=7)
    assert (again["changes"], again["has_more"], again["remaining"], again["cursor"]) == (
        [],
        False,
        0,
        device.cursor,
    )

    capped = fresh(device, app_factory(page_limit=5))
    assert len(capped.pull_page(limit=1000)["changes"]) == 5, "the server's page limit caps the client's"


def test_pages_are_bounded_by_bytes(
    client: TestClient, users: Users, office: Device, app_factory: Callable[..., TestClient]
) -> None:
    big = h.patient(care_plan="Dressing change, then " + "x" * 4_000)
    patients = [h.patient() for _ in range(12)]
    office.push_ok(*(office.create(p) for p in patients[:6]), office.create(big))
    office.push_ok(*(office.create(p) for p in patients[6:]))

    device = fresh(office, app_factory(page_max_bytes=2000))
    pages = device.pull_all()
    assert len(pages) >= 4
    for page in pages:
        sizes = [len(orjson.dumps(change)) for change in page["changes"]]
        assert sizes, "every page makes progress"
        assert sum(sizes[:-1]) < 2000, sizes
        assert page["has_more"] is (page is not pages[-1])
    [big_page] = [page for page in pages if str(big.id) in {c["record_id"] for c in page["changes"]}]
    assert sum(len(orjson.dumps(c)) for c in big_page["changes"]) > 2000, (
        "a record over the bound still comes"
    )
    db.check_pages(pages)
    delivered = [uuid.UUID(c["record_id"]) for page in pages for c in page["changes"]]
    assert sorted(delivered) == sorted({p.id for p in [*patients, big]})
    assert device.replica == db.states(client)


def test_tombstones_are_delivered(client: TestClient, users: Users, office: Device, nurse: Device) -> None:
    p = h.patient()
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(p), office.create(v))
    db.assign(office, users.nurse, p.id)
    nurse.pull_all()
    deleting = office.delete("visit", v.id)
    office.push_ok(deleting)
    [page] = nurse.pull_all()
    [change] = page["changes"]
    assert change["record_id"] == str(v.id)
    assert change["deleted"] == deleting["deleted"]
    assert change["fields"]["service_code"]["v"] == "G0156", "the tombstone keeps the record's last state"
    assert nurse.replica[v.id][1].deleted is not None
    newcomer = Device.sign_in(client, "nurse", PASSWORD, "tablet3")
    newcomer.pull_all()
    assert newcomer.replica[v.id][1].deleted == nurse.replica[v.id][1].deleted
    assert newcomer.replica == nurse.replica == db.states(client)


def test_large_pages_are_gzip_encoded(client: TestClient, users: Users, office: Device) -> None:
    office.push_ok(*(office.create(h.patient()) for _ in range(10)))
    zipped = client.get("/sync/pull", headers={**office.headers, "Accept-Encoding": "gzip"})
    assert zipped.status_code == 200
    assert zipped.headers["content-encoding"] == "gzip"
    assert len(zipped.json()["changes"]) == 10
    plain = client.get("/sync/pull", headers={**office.headers, "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    unzipped = {k: v for k, v in zipped.json().items() if k != "cursor"}  # the horizon moves on PostgreSQL
    assert {k: v for k, v in plain.json().items() if k != "cursor"} == unzipped


def test_a_cursor_the_server_did_not_issue_is_refused(
    client: TestClient, users: Users, office: Device
) -> None:
    for cursor in ["garbage", "s-1", "sabc", "x5", "s", "s12a", "s 1", "S1", "s1.5"]:
        response = client.get("/sync/pull", headers=office.headers, params={"cursor": cursor})
        assert response.status_code == 422, cursor
        assert response.json()["error"] == "bad_cursor", cursor
    response = client.get("/sync/pull", headers=office.headers, params={"cursor": "s" + "9" * 30})
    assert response.status_code == 422
    response = client.get("/sync/pull", headers=office.headers, params={"limit": 0})
    assert response.status_code == 422


# -- scope ---------------------------------------------------------------------------------------------------


def test_each_user_sees_only_what_their_role_and_caseload_allow(
    client: TestClient, users: Users, office: Device, nurse: Device, aide: Device
) -> None:
    mine, theirs, nobodys = h.patient(), h.patient(), h.patient()
    visits = {
        mine.id: h.visit(mine.id, users.nurse),
        theirs.id: h.visit(theirs.id, users.aide),
        nobodys.id: h.visit(nobodys.id, users.nurse),
    }
    office.push_ok(*(office.create(p) for p in (mine, theirs, nobodys)), *map(office.create, visits.values()))
    office.push_ok(office.create(h.note(visits[nobodys.id], users.office)))
    db.assign(office, users.nurse, mine.id)
    db.assign(office, users.aide, theirs.id)
    for worker, patient in ((nurse, mine), (aide, theirs)):
        v = visits[patient.id]
        n, o = h.note(v, worker.user_id), h.observation(v)
        sha = worker.upload(PNG + worker.username.encode())
        sig = h.signature_for(v, [n], [o], sha)
        worker.push_ok(*map(worker.create, (n, o, sig)))
    reports = {worker.username: submit_day_report(worker, date.today()) for worker in (nurse, aide)}

    everything = db.states(client)
    assert Counter(entity for entity, _ in everything.values()) == {
        "patient": 3,
        "visit": 3,
        "visit_note": 3,
        "observation": 2,
        "signature": 2,
        "day_report": 2,
    }
    for worker, patient in ((nurse, mine), (aide, theirs)):
        worker.pull_all(limit=3)
        expected = db.states(client, patients={patient.id})
        expected[reports[worker.username]] = everything[reports[worker.username]]
        assert worker.replica == expected, worker.username
        assert {entity for entity, _ in worker.replica.values()} == {
            "patient",
            "visit",
            "visit_note",
            "observation",
            "signature",
            "day_report",
        }
    office.pull_all(limit=4)
    assert office.replica == everything


def test_caseload_changes_deliver_history_evictions_and_history_again(
    client: TestClient, users: Users, office: Device, nurse: Device, aide: Device
) -> None:
    p, q = h.patient(), h.patient()
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(p), office.create(v))
    office.push_ok(office.create(h.note(v, users.office)))
    office.push_ok(office.create(q))
    db.assign(office, users.nurse, q.id)
    nurse.pull_all()
    history = db.states(client, patients={p.id})
    assert len(history) == 3 and set(nurse.replica) == {q.id}
    history_seqs = [db.record(client, record_id).seq for record_id in history]  # type: ignore[union-attr]
    assert db.cursor_number(nurse.cursor or "") > max(history_seqs), (
        "the cursor is past the patient's history"
    )

    db.assign(office, users.nurse, p.id)
    start = db.cursor_number(nurse.cursor or "")
    pages = nurse.pull_all()
    db.check_pages(pages, start)
    assert {uuid.UUID(c["record_id"]) for page in pages for c in page["changes"]} == set(history)
    assert nurse.replica == db.states(client, patients={p.id, q.id})
    assert aide.pull_all()[0]["changes"] == []

    db.unassign(office, users.nurse, p.id)
    start = db.cursor_number(nurse.cursor or "")
    [page] = nurse.pull_all()
    db.check_pages([page], start)
    assert page["changes"] == []
    assert [e["patient_id"] for e in page["evictions"]] == [str(p.id)]
    assert nurse.evicted == [p.id]
    assert set(nurse.replica) == {q.id}
    assert nurse.pull_page()["evictions"] == [], "an eviction is delivered once"

    office.push_ok(office.update("patient", p.id, {"phone": "555-0177"}))
    assert nurse.pull_page()["changes"] == [], "changes to an evicted patient no longer reach the worker"

    db.assign(office, users.nurse, p.id)
    start = db.cursor_number(nurse.cursor or "")
    pages = nurse.pull_all()
    db.check_pages(pages, start)
    assert {uuid.UUID(c["record_id"]) for page in pages for c in page["changes"]} == set(history)
    assert nurse.values(p.id)["phone"] == "555-0177"
    assert nurse.replica == db.states(client, patients={p.id, q.id})

    newcomer = Device.sign_in(client, "nurse", PASSWORD, "tablet3")
    newcomer.pull_all(limit=2)
    assert newcomer.replica == nurse.replica
    office.pull_all()
    assert office.replica == db.states(client)


def test_a_cursor_from_the_future_is_refused_so_the_device_starts_over(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    """After the server is restored from an older backup, devices hold cursors it never issued."""
    p = h.patient()
    office.push_ok(office.create(p))
    assert client.put(f"/caseloads/{users.nurse}/{p.id}", headers=office.headers).status_code == 204
    response = client.get("/sync/pull", params={"cursor": f"s{2**62}"}, headers=nurse.headers)
    assert response.status_code == 409 and response.json()["error"] == "cursor_ahead"
    nurse.pull_all()
    assert p.id in nurse.replica


def test_an_exhausted_feed_moves_the_cursor_past_changes_out_of_scope(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    """So a tablet's no-op sync is one cheap query, even when the office is busy with other patients."""
    mine, others = h.patient(), [h.patient() for _ in range(3)]
    office.push_ok(office.create(mine))
    db.assign(office, users.nurse, mine.id)
    office.push_ok(*[office.create(p) for p in others])
    [page] = nurse.pull_all()
    assert [c["record_id"] for c in page["changes"]] == [str(mine.id)]
    assert db.cursor_number(page["cursor"]) >= db.newest(client), "past the changes out of scope too"
    again = nurse.pull_page()
    assert again["changes"] == [] and again["cursor"] == page["cursor"] and not again["has_more"]


def test_unassigning_an_unknown_worker_or_patient_is_a_clear_404(
    client: TestClient, users: Users, office: Device
) -> None:
    p = h.patient()
    office.push_ok(office.create(p))
    unknown = uuid.uuid4()
    for worker, patient in ((unknown, p.id), (users.nurse, unknown)):
        response = client.delete(f"/caseloads/{worker}/{patient}", headers=office.headers)
        assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert client.delete(f"/caseloads/{users.nurse}/{p.id}", headers=office.headers).status_code == 204


# -- a device's own writes ---------------------------------------------------------------------------------


def test_a_device_does_not_download_what_it_just_pushed_unless_it_lacks_something(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = h.patient()
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(p), office.create(v))
    db.assign(office, users.nurse, p.id)
    nurse.pull_all()

    nurse.push_ok(nurse.update("patient", p.id, {"phone": "555-0101"}), cursor=True)
    [page] = nurse.pull_all()
    assert page["changes"] == [], "the nurse holds exactly what the server stored"
    assert db.cursor_number(page["cursor"]) >= db.newest(client)
    other = Device.sign_in(client, "nurse", PASSWORD, "tablet3")
    other.pull_all()
    assert other.values(p.id)["phone"] == "555-0101", "another device of the same worker gets it"

    office.push_ok(office.update("patient", p.id, {"care_plan": "Daily"}))  # the nurse has not pulled this
    nurse.push_ok(nurse.update("patient", p.id, {"phone": "555-0102"}), cursor=True)
    nurse.push_ok(nurse.update("visit", v.id, {"service_code": "g0156"}), cursor=True)  # stored upper-case
    [page] = nurse.pull_all()
    assert {c["record_id"] for c in page["changes"]} == {str(p.id), str(v.id)}
    assert nurse.values(p.id)["care_plan"] == "Daily" and nurse.values(v.id)["service_code"] == "G0156"
    assert nurse.replica == db.states(client, patients={p.id})

    nurse.push_ok(nurse.update("patient", p.id, {"phone": "555-0103"}), cursor=True)
    nurse.cursor = None  # the tablet starts over (a new profile, a server restored from a backup)
    nurse.replica.clear()
    nurse.pull_all()
    assert nurse.replica == db.states(client, patients={p.id}), "from the start, everything comes again"

    nurse.push_ok(nurse.update("patient", p.id, {"phone": "555-0104"}), cursor=True)
    db.unassign(office, users.nurse, p.id)
    nurse.pull_all()
    assert p.id in nurse.evicted and p.id not in nurse.replica
    db.assign(office, users.nurse, p.id)
    nurse.pull_all()
    assert nurse.replica == db.states(client, patients={p.id}), "assigned again, the patient comes whole"


def test_an_up_to_date_device_is_answered_without_reading_the_feed(
    client: TestClient,
    users: Users,
    office: Device,
    nurse: Device,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    p = h.patient()
    office.push_ok(office.create(p))
    db.assign(office, users.nurse, p.id)
    nurse.pull_all()
    nurse.pull_page()  # the watch is confirmed from the database here at the latest
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    engine = db.database(client).engine
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        pages = [nurse.pull_page() for _ in range(3)]
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert all(page["changes"] == [] and page["cursor"] == nurse.cursor for page in pages)
    assert not [s for s in statements if "records" in s or "pg_locks" in s or "counters" in s], statements

    office.push_ok(office.update("patient", p.id, {"phone": "555-0111"}))  # announced: seen at once
    assert [c["record_id"] for c in nurse.pull_page()["changes"]] == [str(p.id)]

    with db.database(client).write() as session:  # a write that announces nothing (a tool, a lost NOTIFY)
        author = session.get(User, users.office)
        assert author is not None
        admin.write_records(session, db.settings(client), author, [h.visit(p.id, users.nurse)], clock.now)
    monkeypatch.setattr(FeedWatch, "FRESH_S", 0.0)  # the watch's trust ran out: it asks the database again
    assert len(nurse.pull_page()["changes"]) == 1
