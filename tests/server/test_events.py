"""Server-sent events: a device learns at once that there is something to pull, and only about its scope.

Every read has a timeout (``EventReader``), so a broken stream fails the test instead of hanging it. The
fixture settings use a 0.5 s heartbeat. The last test runs the real server with two worker processes on
PostgreSQL and checks that LISTEN/NOTIFY carries a change to streams held by either process.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from fastapi.testclient import TestClient

from fieldapp.server import migrate
from fieldapp.server.auth import sessions as auth
from fieldapp.server.database import Database
from fieldapp.sync.protocol import Role
from tests.server import helpers as h
from tests.server.conftest import PASSWORD, Users
from tests.server.helpers import Device
from tests.server.scenario import (
    EventReader,
    change_counter,
    patient_on_caseload,
    running_server,
    scratch_postgres_database,
)

pytestmark = pytest.mark.timeout(60)


@contextmanager
def stream(client: TestClient, device: Device, last_event_id: str | None = None) -> Iterator[EventReader]:
    """An open event stream of ``device``, past its opening comment."""
    headers = dict(device.headers)
    if last_event_id is not None:
        headers["Last-Event-ID"] = last_event_id
    with client.stream("GET", "/sync/events", headers=headers) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        reader = EventReader(response.iter_lines())
        assert "connected" in reader.next().comments
        yield reader


def newest_in_scope(device: Device) -> int:
    """The newest change number in the device user's scope: the highest seq a full pull delivers (records
    and evictions). Not the pull cursor, which may move on to the newest change of the whole feed."""
    pages = replace(device, cursor=None, replica={}, evicted=[]).pull_all()
    seqs = [item["seq"] for page in pages for item in [*page["changes"], *page["evictions"]]]
    return max(seqs, default=0)


def test_on_connect_an_event_names_the_newest_change_in_scope(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    patient_on_caseload(client, office, users.nurse)
    patient_on_caseload(client, office, None)  # a newer change, not for the nurse
    expected = newest_in_scope(nurse)
    assert change_counter(client) > expected

    with stream(client, nurse) as events:
        event = events.next(timeout=2)  # at once: before any heartbeat could fill the gap
        assert event.id == str(expected)
        assert event.event == "changes"
        assert json.loads(event.data or "") == {"seq": expected}


def test_no_event_on_connect_when_nothing_is_in_scope(
    client: TestClient, office: Device, nurse: Device
) -> None:
    patient_on_caseload(client, office, None)
    with stream(client, nurse) as events:
        assert events.no_event_for(1.2)


def test_a_change_on_the_caseload_reaches_the_stream_and_one_off_it_does_not(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    mine = patient_on_caseload(client, office, users.nurse)
    other = patient_on_caseload(client, office, users.aide)
    office.pull_all()
    current = newest_in_scope(nurse)

    with stream(client, nurse, str(current)) as events:
        office.push_ok(office.update("patient", other.id, {"phone": "555-0199"}))
        assert events.no_event_for(1.2), "heartbeats keep arriving meanwhile"

        answer = office.push_ok(office.update("patient", mine.id, {"phone": "555-0100"}))

        event = events.next_event()
        assert event.id == str(answer["results"][0]["seq"])
        assert int(event.id) == newest_in_scope(nurse)


def test_a_visit_added_for_the_worker_reaches_the_stream(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = patient_on_caseload(client, office, users.nurse)
    with stream(client, nurse, str(newest_in_scope(nurse))) as events:
        answer = office.push_ok(office.create(h.visit(p.id, users.nurse)))
        assert events.next_event().id == str(answer["results"][0]["seq"])


def test_resuming_from_the_current_id_sends_nothing_and_from_an_older_one_sends_an_event_at_once(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    patient_on_caseload(client, office, users.nurse)
    first = newest_in_scope(nurse)
    patient_on_caseload(client, office, users.nurse)
    current = newest_in_scope(nurse)
    assert first < current

    with stream(client, nurse, str(current)) as events:
        assert events.no_event_for(1.2)
    with stream(client, nurse, str(first)) as events:
        assert events.next(timeout=2).id == str(current)
    with stream(client, nurse, "0") as events:
        assert events.next(timeout=2).id == str(current)


def test_heartbeat_comments_arrive_while_idle(client: TestClient, nurse: Device) -> None:
    with stream(client, nurse) as events:
        started = time.monotonic()
        beats = events.no_event_for(1.8)
        assert len(beats) >= 2, beats
        assert all(b.comments == ["heartbeat"] for b in beats)
        assert time.monotonic() - started < 5


def test_a_bad_last_event_id_is_refused_before_the_stream_starts(client: TestClient, nurse: Device) -> None:
    # "²" is a digit to str.isdigit() but not to int(): it once made the stream fail after its 200.
    for bad in ["abc", "-1", "1.5", " 7", "12345678901234567890", "²", "0x10"]:
        headers: dict[str, str | bytes] = {**nurse.headers, "Last-Event-ID": bad.encode("latin-1")}
        response = client.get("/sync/events", headers=headers)
        assert response.status_code == 422, bad
        assert response.headers["content-type"] == "application/json"
        assert response.json()["error"] == "bad_event_id"


def test_events_need_a_signed_in_user(client: TestClient) -> None:
    response = client.get("/sync/events")
    assert response.status_code == 401
    assert response.json()["error"] == "no_token"


def test_taking_a_patient_off_the_caseload_sends_an_event(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = patient_on_caseload(client, office, users.nurse)
    with stream(client, nurse, str(newest_in_scope(nurse))) as events:
        assert client.delete(f"/caseloads/{users.nurse}/{p.id}", headers=office.headers).status_code == 204
        event = events.next_event()
    page = nurse.pull_page()
    assert [e["patient_id"] for e in page["evictions"]] == [str(p.id)]
    assert event.id == str(page["evictions"][0]["seq"])


def test_an_assignment_sends_an_event_to_the_worker(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = patient_on_caseload(client, office, None)
    with stream(client, nurse) as events:
        events.no_event_for(0.6)
        assert client.put(f"/caseloads/{users.nurse}/{p.id}", headers=office.headers).status_code == 204
        event = events.next_event()
    assert int(event.id or 0) == newest_in_scope(nurse)
    nurse.pull_all()
    assert p.id in nurse.replica


def test_the_office_hears_of_every_change(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    with stream(client, office) as events:
        patient_on_caseload(client, office, None)
        assert events.next_event().id == str(change_counter(client))


# -- two worker processes on PostgreSQL --------------------------------------------------------------------


def worker_processes(server: subprocess.Popen[bytes]) -> list[int]:
    """The uvicorn worker processes under the server process."""
    found: list[int] = []
    pending = [server.pid]
    while pending:
        pid = pending.pop()
        for task in Path(f"/proc/{pid}/task").glob("*"):
            children = [int(c) for c in (task / "children").read_text().split()]
            pending.extend(children)
            found.extend(children)
    # Not multiprocessing's resource tracker, which is a child too.
    return [pid for pid in found if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]


def holder_of(response: requests.Response, server_port: int, workers: list[int]) -> int | None:
    """Which worker process holds the server end of this client connection (from /proc)."""
    client_port = response.raw._connection.sock.getsockname()[1]  # type: ignore[union-attr]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == server_port and int(remote.split(":")[1], 16) == client_port:
            inode = fields[9]
    if inode is None:
        return None
    for pid in workers:
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None


@contextmanager
def open_stream(url: str, headers: dict[str, str]) -> Iterator[requests.Response]:
    """A streaming GET whose socket is shut down at the end: a plain close would wait for the reader
    thread's blocked read (until the next heartbeat)."""
    response = requests.get(url, headers=headers, stream=True, timeout=(5, 30))
    sock = response.raw._connection.sock  # type: ignore[union-attr]
    try:
        yield response
    finally:
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        response.close()


def sign_in(base: str, username: str, device_id: str) -> dict[str, str]:
    response = requests.post(
        f"{base}/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": device_id},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.mark.timeout(120)  # starts a server with two worker processes
def test_a_change_reaches_streams_held_by_every_worker_process() -> None:
    """LISTEN/NOTIFY carries a write handled by one worker process to the streams of the other."""
    with ExitStack() as stack:
        url = stack.enter_context(scratch_postgres_database())
        database = Database(url)
        migrate.upgrade(database.engine)
        with database.write() as session:
            now = datetime.now(UTC)
            auth.create_user(session, "office", PASSWORD, Role.OFFICE, now)
            nurse_id = auth.create_user(session, "nurse", PASSWORD, Role.WORKER, now).id
        database.dispose()
        base, server = stack.enter_context(running_server(url, workers=2))
        port = int(base.rsplit(":", 1)[1])

        office = sign_in(base, "office", "office1")
        nurse = sign_in(base, "nurse", "tablet1")
        p = h.patient()
        stamp = f"{int(time.time() * 1000):012x}0000office1"
        creation = {
            "mutation_id": str(uuid.uuid4()),
            "entity": "patient",
            "record_id": str(p.id),
            "changes": {
                name: {"v": value, "s": stamp}
                for name, value in p.model_dump(mode="json").items()
                if name != "id"
            },
        }
        pushed = requests.post(
            f"{base}/sync/push",
            headers=office,
            json={"device_id": "office1", "mutations": [creation]},
            timeout=10,
        )
        assert pushed.status_code == 200, pushed.text
        assigned = requests.put(f"{base}/caseloads/{nurse_id}/{p.id}", headers=office, timeout=10)
        assert assigned.status_code == 204

        workers = worker_processes(server)
        assert len(workers) == 2, workers
        streams: list[tuple[str, int | None, EventReader]] = []
        held_by: set[int | None] = set()
        # Connections are spread over the workers by the kernel, and a worker still starting (or busy on a
        # loaded machine) accepts none for a while: keep opening, a little apart, until both hold some.
        for n in range(60):
            who = ("office", office) if n % 2 else ("nurse", nurse)
            response = stack.enter_context(open_stream(f"{base}/sync/events", who[1]))
            assert response.status_code == 200
            holder = holder_of(response, port, workers)
            reader = EventReader(response.iter_lines(decode_unicode=True))
            assert "connected" in reader.next().comments
            reader.next_event()  # the newest change at connect time
            streams.append((who[0], holder, reader))
            held_by.add(holder)
            if n >= 3 and set(workers) <= held_by:
                break
            time.sleep(0.2)
        assert set(workers) <= held_by, f"streams held by {held_by}, workers {workers}"

        update = dict(creation, mutation_id=str(uuid.uuid4()))
        update["changes"] = {
            "phone": {"v": "555-0111", "s": f"{int(time.time() * 1000) + 1:012x}0000office1"}
        }
        pushed = requests.post(
            f"{base}/sync/push",
            headers=office,
            json={"device_id": "office1", "mutations": [update]},
            timeout=10,
        )
        assert pushed.status_code == 200, pushed.text
        seq = pushed.json()["results"][0]["seq"]

        for who, holder, reader in streams:
            event = reader.next_event(timeout=10)
            assert event.id == str(seq), (who, holder)


def test_signing_out_closes_an_open_stream(client: TestClient, nurse: Device) -> None:
    """Revocation is honoured by long-lived streams too: the next heartbeat finds the session ended."""
    with stream(client, nurse) as events:
        assert client.post("/auth/logout", headers=nurse.headers).status_code == 204
        with pytest.raises(AssertionError, match="the event stream ended"):
            for _ in range(20):  # a few heartbeats at most (0.5 s each in these tests)
                events.next(timeout=5)
