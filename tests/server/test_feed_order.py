"""The change feed's classic trap: transactions that take change numbers and commit out of order.

If writer A takes number 1 and writer B number 2, and B commits first, a reader sees 2, moves its cursor
past 1, and never receives A's change. The feed prevents that by making writers take numbers one at a
time under a lock held until commit. These tests hold real transactions open on both databases.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from fieldapp.domain.clock import HybridClock
from fieldapp.server import passwords
from fieldapp.server.models import Record
from fieldapp.server.services import caseload, feed
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import PASSWORD, Clock, Users
from tests.server.helpers import Device


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests sign in often and are not about hashing: scrypt at 1/16 of its cost."""
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


BLOCKED_S = 0.5
WAIT_S = 20


def new_record(seq: int, now: datetime) -> Record:
    record_id = uuid.uuid4()
    stamp = HybridClock("office1").now().encode()
    return Record(
        id=record_id,
        entity="patient",
        patient_id=record_id,
        fields={"given_name": f"Writer {seq}"},
        stamps={"given_name": stamp},
        bases={},
        seq=seq,
        updated_at=now,
    )


@contextmanager
def open_transaction(client: TestClient) -> Iterator[tuple[Session, Callable[[], None]]]:
    """A write transaction the test commits when it chooses (rolled back if the test fails first)."""
    block = db.database(client).write()
    session = block.__enter__()
    done = False

    def commit() -> None:
        nonlocal done
        done = True
        block.__exit__(None, None, None)

    try:
        yield session, commit
    except BaseException as exc:
        if not done:
            block.__exit__(type(exc), exc, exc.__traceback__)
        raise
    else:
        if not done:
            commit()


def committed_numbers(client: TestClient) -> tuple[int, list[int]]:
    with db.database(client).read() as session:
        return feed.current(session), sorted(session.scalars(sa.select(Record.seq)))


def test_a_second_writer_waits_for_the_first_to_commit(
    client: TestClient, users: Users, office: Device, clock: Clock
) -> None:
    reader = Device.sign_in(client, "office", PASSWORD, "office2")
    b_locked, b_allocated, b_may_commit = threading.Event(), threading.Event(), threading.Event()
    b_result: dict[str, Any] = {}

    def writer_b() -> None:
        try:
            with db.database(client).write() as session:
                b_result["last"] = feed.lock(session)
                b_locked.set()
                b_result["numbers"] = numbers = feed.allocate(session, 2)
                session.add_all(new_record(n, clock.now) for n in numbers)
                session.flush()
                b_allocated.set()
                assert b_may_commit.wait(WAIT_S)
        finally:
            b_locked.set()
            b_allocated.set()

    with ThreadPoolExecutor(1) as pool, ExitStack() as stack:
        stack.callback(b_may_commit.set)  # whatever happens, let B finish
        with open_transaction(client) as (a, commit_a):
            assert feed.lock(a) == 0
            [a_number] = feed.allocate(a, 1)
            a.add(new_record(a_number, clock.now))
            a.flush()
            b_done: Future[None] = pool.submit(writer_b)

            assert not b_locked.wait(BLOCKED_S), "B took the feed lock while A held it"
            assert not b_done.done()
            assert committed_numbers(client) == (0, []), "a reader sees neither number"
            page = reader.pull_page()
            assert (page["changes"], page["cursor"]) == ([], "s0")

            commit_a()
            assert b_allocated.wait(WAIT_S)
            assert b_result == {"last": a_number, "numbers": [a_number + 1, a_number + 2]}
            assert committed_numbers(client) == (a_number, [a_number]), "B's numbers are not visible yet"
            page = reader.pull_page()
            assert [c["seq"] for c in page["changes"]] == [a_number]
            assert page["cursor"] == f"s{a_number}"

            b_may_commit.set()
            b_done.result(timeout=WAIT_S)
    page = reader.pull_page()
    assert [c["seq"] for c in page["changes"]] == [a_number + 1, a_number + 2], "the reader misses nothing"
    assert reader.replica == db.states(client)


def test_a_push_waits_for_an_open_caseload_change(
    client: TestClient, users: Users, office: Device, nurse: Device, clock: Clock
) -> None:
    p = h.patient()
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(p), office.create(v))
    reader = Device.sign_in(client, "office", PASSWORD, "office2")
    reader.pull_all()
    start = db.cursor_number(reader.cursor or "")
    pusher = db.own_client(office)
    q = h.patient()

    with ThreadPoolExecutor(1) as pool, open_transaction(client) as (session, commit):
        assert caseload.assign(session, users.nurse, p.id, clock.now)  # renumbers p's records, lock held
        session.flush()
        pushed = pool.submit(pusher.push_ok, pusher.create(q))
        with pytest.raises(TimeoutError):
            pushed.result(timeout=BLOCKED_S)
        page = reader.pull_page()
        assert page["changes"] == [] and page["cursor"] == f"s{start}"
        commit()
        [result] = pushed.result(timeout=WAIT_S)["results"]
    assert result["seq"] == start + 4, "after the caseload change's numbers (two records, one assignment)"
    pages = reader.pull_all()
    seqs = db.check_pages(pages, start)
    assert seqs == [start + 1, start + 2, start + 4]
    assert reader.replica == db.states(client)
    nurse.pull_all()
    assert set(nurse.replica) == {p.id, v.id}


def test_readers_never_skip_a_change_while_two_devices_push(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = h.patient()
    visit = h.visit(p.id, users.nurse)
    office.push_ok(office.create(p), office.create(visit))
    db.assign(office, users.nurse, p.id)
    nurse.pull_all()
    writers = [db.own_client(office), db.own_client(nurse)]
    reader = db.own_client(Device.sign_in(client, "office", PASSWORD, "office2"))
    done = threading.Event()

    def office_writes(device: Device) -> int:
        for i in range(20):
            new = h.patient()
            device.push_ok(device.create(new), device.update("patient", p.id, {"phone": f"555-01{i:02d}"}))
        return 20

    def nurse_writes(device: Device) -> int:
        for i in range(20):
            device.push_ok(
                device.create(h.note(visit, users.nurse, text=f"Note {i}")),
                device.update("visit", visit.id, {"status": "in_progress" if i % 2 else "scheduled"}),
            )
        return 20

    with ThreadPoolExecutor(3) as pool:
        pulled = pool.submit(db.pull_while, reader, lambda: not done.is_set(), 3)
        jobs = [pool.submit(office_writes, writers[0]), pool.submit(nurse_writes, writers[1])]
        try:
            assert [job.result(timeout=120) for job in jobs] == [20, 20]
        finally:
            done.set()
        pages = pulled.result(timeout=60)

    assert len(pages) > 3
    delivered = db.check_pages(pages)
    record_seqs, _ = db.seqs(client)
    assert set(record_seqs) <= set(delivered), "every record's last change was delivered at its number"
    assert reader.replica == db.states(client)
    assert len(reader.replica) == 2 + 20 + 20
