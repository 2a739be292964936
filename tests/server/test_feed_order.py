"""The change feed's classic trap: transactions that take change numbers and commit out of order.

If writer A takes number 1 and writer B number 2, and B commits first, a reader sees 2, moves its cursor
past 1, and never receives A's change. On PostgreSQL writers do not wait for each other: readers deliver
only positions below the oldest feed writer still in flight (decision 0018). On SQLite one writer runs at a
time. These tests hold real transactions open on both databases.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from datetime import datetime

import orjson
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from fieldapp.domain.clock import HybridClock
from fieldapp.server.auth import passwords
from fieldapp.server.auth import sessions as auth
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import caseload, feed
from fieldapp.server.core import pull as pull_service
from fieldapp.server.core import push as sync_service
from fieldapp.server.core.notify import FeedWatch
from fieldapp.server.models import Record
from fieldapp.sync.protocol import PushRequest, Role
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import PASSWORD, Clock, Users
from tests.server.helpers import Device


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests sign in often and are not about hashing: scrypt at 1/16 of its cost."""
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


@pytest.fixture(autouse=True)
def _no_feed_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests write behind the API's back (no change notice): pulls must always read the feed."""
    monkeypatch.setattr(FeedWatch, "FRESH_S", 0.0)


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


def principal(user_id: uuid.UUID, device_id: str) -> Principal:
    return Principal(user_id, "office", Role.OFFICE, device_id, uuid.uuid4())


def dialect(client: TestClient) -> str:
    return db.database(client).dialect


def writer(client: TestClient, clock: Clock, count: int, may_commit: threading.Event) -> list[int]:
    """A feed writer in its own transaction: takes ``count`` positions, writes, commits when allowed."""
    with db.database(client).write() as session:
        feed.begin(session)
        numbers = feed.allocate(session, count)
        session.add_all(new_record(n, clock.now) for n in numbers)
        session.flush()
        assert may_commit.wait(WAIT_S)
    return numbers


def test_a_writer_that_took_lower_numbers_holds_readers_back_until_it_commits(
    client: TestClient, users: Users, office: Device, clock: Clock
) -> None:
    """PostgreSQL: B starts after A and commits first, without waiting for A; a reader sees neither until A
    commits, then both in order. SQLite: B waits for A (one writer at a time)."""
    reader = Device.sign_in(client, "office", PASSWORD, "office2")
    start = db.cursor_number(reader.pull_all()[-1]["cursor"])
    b_may_commit = threading.Event()
    with ThreadPoolExecutor(1) as pool, ExitStack() as stack:
        stack.callback(b_may_commit.set)  # whatever happens, let B finish
        with open_transaction(client) as (a, commit_a):
            feed.begin(a)
            [a_number] = feed.allocate(a, 1)
            a.add(new_record(a_number, clock.now))
            a.flush()
            b_done: Future[list[int]] = pool.submit(writer, client, clock, 2, b_may_commit)
            b_may_commit.set()
            if dialect(client) == "sqlite":
                with pytest.raises(TimeoutError):
                    b_done.result(timeout=BLOCKED_S)
            else:
                b_numbers = b_done.result(timeout=WAIT_S)  # committed while A is still open
                assert min(b_numbers) > a_number
                assert db.newest(client) == max(b_numbers), "B's rows are committed"
            page = reader.pull_page()
            assert page["changes"] == [] and db.cursor_number(page["cursor"]) < a_number, "nothing above A"
            commit_a()
        b_numbers = b_done.result(timeout=WAIT_S)
    pages = reader.pull_all()
    assert db.check_pages(pages, start) == [a_number, *b_numbers], "the reader misses nothing, in order"
    assert reader.replica == db.states(client)


def test_a_push_of_another_patient_does_not_wait_for_a_caseload_change(
    client: TestClient, users: Users, office: Device, nurse: Device, clock: Clock
) -> None:
    """PostgreSQL: the push commits at once, but readers see it only after the open caseload change (which
    took lower numbers). SQLite: the push waits for it."""
    p = h.patient()
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(p), office.create(v))
    reader = Device.sign_in(client, "office", PASSWORD, "office2")
    start = db.cursor_number(reader.pull_all()[-1]["cursor"])
    pusher = db.own_client(office)
    q = h.patient()

    with ThreadPoolExecutor(1) as pool, open_transaction(client) as (session, commit):
        assert caseload.assign(session, users.nurse, p.id, clock.now)  # renumbers p's records
        session.flush()
        pushed = pool.submit(pusher.push_ok, pusher.create(q))
        if dialect(client) == "sqlite":
            with pytest.raises(TimeoutError):
                pushed.result(timeout=BLOCKED_S)
        else:
            pushed.result(timeout=WAIT_S)
        page = reader.pull_page()
        assert page["changes"] == [] and db.cursor_number(page["cursor"]) < feed.last_allocated(session)
        renumbered = feed.last_allocated(session)
        commit()
        [result] = pushed.result(timeout=WAIT_S)["results"]
    assert result["seq"] > renumbered, "numbered after the caseload change's numbers"
    seqs = db.check_pages(reader.pull_all(), start)
    assert len(seqs) == 3 and seqs[-1] == result["seq"], "two renumbered records, then the push"
    assert reader.replica == db.states(client)
    nurse.pull_all()
    assert set(nurse.replica) == {p.id, v.id}


def test_two_pushes_of_one_record_wait_for_each_other_and_lose_nothing(
    client: TestClient, users: Users, office: Device, clock: Clock
) -> None:
    """The second push of the same record waits for the first's row lock, then merges onto its result."""
    p = h.patient()
    office.push_ok(office.create(p))
    other = Device.sign_in(client, "office", PASSWORD, "office2")
    phone, plan = office.update("patient", p.id, {"phone": "555-0101"}), None
    with ThreadPoolExecutor(1) as pool, open_transaction(client) as (session, commit):
        request = PushRequest.model_validate({"device_id": "office1", "mutations": [phone]})
        sync_service.push(
            session, principal(users.office, "office1"), request, db.settings(client), clock.now
        )
        plan = other.update("patient", p.id, {"care_plan": "Twice a week"})
        pushed = pool.submit(db.own_client(other).push_ok, plan)
        with pytest.raises(TimeoutError):
            pushed.result(timeout=BLOCKED_S)
        commit()
        pushed.result(timeout=WAIT_S)
    values = db.states(client)[p.id][1].fields
    assert (values["phone"].value, values["care_plan"].value) == ("555-0101", "Twice a week")


def test_transactions_that_write_nothing_to_the_feed_do_not_hold_readers_back(
    client: TestClient, users: Users, office: Device, clock: Clock
) -> None:
    """PostgreSQL: an open transaction that wrote elsewhere (a sign-in, the access log) is no feed writer, so
    a push that commits meanwhile is delivered at once. SQLite: it is the one writer; the push waits."""
    reader = Device.sign_in(client, "office", PASSWORD, "office2")
    reader.pull_all()
    created = h.patient()
    with ThreadPoolExecutor(1) as pool, open_transaction(client) as (session, commit):
        session.execute(sa.update(Record).where(sa.false()).values(seq=0))
        if dialect(client) == "postgresql":
            session.execute(sa.text("SELECT pg_current_xact_id()"))  # it holds a transaction id: it wrote
        pushed = pool.submit(db.own_client(office).push_ok, office.create(created))
        if dialect(client) == "sqlite":
            with pytest.raises(TimeoutError):
                pushed.result(timeout=BLOCKED_S)
            commit()
        [result] = pushed.result(timeout=WAIT_S)["results"]
        page = reader.pull_page()
        assert [c["record_id"] for c in page["changes"]] == [str(created.id)]
        assert db.cursor_number(page["cursor"]) >= result["seq"]


def test_a_transaction_that_wrote_elsewhere_first_is_still_never_skipped(
    client: TestClient, users: Users, office: Device, clock: Clock
) -> None:
    """It had its transaction id before it became a feed writer, so a reader may have passed that id in
    between: its changes are numbered above anything a reader was given (decision 0018)."""
    reader = Device.sign_in(client, "office", PASSWORD, "office2")
    reader.pull_all()
    created = h.patient()
    with open_transaction(client) as (session, commit):
        auth.create_user(session, "latecomer", PASSWORD, Role.WORKER, clock.now)
        session.flush()  # written: on PostgreSQL it has its transaction id now
        if dialect(client) == "postgresql":  # meanwhile another write commits and a reader moves past both
            db.own_client(office).push_ok(office.create(h.patient()))
            reader.pull_all()
        request = PushRequest.model_validate({"device_id": "office1", "mutations": [office.create(created)]})
        sync_service.push(
            session, principal(users.office, "office1"), request, db.settings(client), clock.now
        )
        commit()
    reader.pull_all()
    assert created.id in reader.replica, "the late feed writer's change reached the reader"
    assert reader.replica == db.states(client)


def test_a_transaction_that_ends_just_after_a_readers_snapshot_hides_no_older_change(
    client: TestClient, users: Users, office: Device, clock: Clock
) -> None:
    """PostgreSQL: a transaction running when a reader takes its snapshot and gone when the reader looks at
    the lock table may have been a feed writer, so the horizon stays below it, and would hide a push that
    committed before the read began (the office's change reached the tablet only at its next sync). The
    reader takes its snapshot again and delivers it. SQLite has one writer at a time and no horizon."""
    if dialect(client) != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's feed numbers come from one counter, in commit order")
    created = h.patient()
    with open_transaction(client) as (other, end_other):
        other.execute(sa.text("SELECT pg_current_xact_id()"))  # an id below the push's; no feed writer
        [result] = db.own_client(office).push_ok(office.create(created))["results"]
        with db.database(client).read() as session:
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            session.execute(sa.text("SELECT 1"))  # the snapshot: ``other`` is still running in it
            end_other()
            assert feed.limits(session).horizon <= result["seq"], "this snapshot alone hides the push"
            page = pull_service.pull(
                session, principal(users.office, "office2"), None, 1000, db.settings(client), clock.now
            )
    changes = orjson.loads(page)["changes"]
    assert str(created.id) in {c["record_id"] for c in changes}, "the push committed before the read"


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
