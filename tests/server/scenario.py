"""Shared steps for the blob, report, event and authorization tests: row counts, a caseload patient,
a visit taken through its day, and a server-sent-events reader whose every read has a timeout."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import requests
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from fieldapp.domain.attestation import content_digest
from fieldapp.domain.care import TaskOutcome
from fieldapp.server.models import Base
from tests.server import helpers as h
from tests.server.conftest import PG_URL
from tests.server.helpers import Device

READ_TIMEOUT_S = 5.0
ROOT = Path(__file__).resolve().parents[2]


def rows(client: TestClient, model: type[Base], *where: Any) -> int:
    """How many rows of ``model`` (matching ``where``) the server's database holds."""
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def change_counter(client: TestClient) -> int:
    """The feed's newest position: every accepted write moves it."""
    from tests.server.serverdb import newest

    return newest(client)


def patient_on_caseload(client: TestClient, office: Device, worker_id: uuid.UUID | None) -> h.Patient:
    """A patient registered by the office and (if ``worker_id``) put on that worker's caseload."""
    p = h.patient()
    office.push_ok(office.create(p))
    if worker_id is not None:
        assert client.put(f"/caseloads/{worker_id}/{p.id}", headers=office.headers).status_code == 204
    return p


@dataclass
class DoneVisit:
    """A visit the worker checked in and out of, with its notes, observations and signature."""

    visit: h.Visit
    notes: list[h.VisitNote]
    observations: list[h.Observation]
    signature: h.Entity
    image_sha: str
    wire: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)  # what the worker sent, per record


def work_visit(
    worker: Device, scheduled: h.Visit, *, image: bytes | None = None, outcomes: Sequence[TaskOutcome] = ()
) -> DoneVisit:
    """The worker's day at one visit, through the API: check in, notes, vitals, check out, signature (which
    attests ``outcomes`` too, the plan-of-care tasks recorded before)."""
    start = scheduled.scheduled_start
    checked_in = {"device_time": _iso(start), "server_time": _iso(start), "location": {"kind": "home"}}
    checked_out = {
        "device_time": _iso(start + timedelta(minutes=50)),
        "server_time": _iso(start + timedelta(minutes=50)),
    }
    # Each edit is made on top of the previous one (the device pulls its own change back), so the
    # server sees normal editing, not concurrent writes.
    worker.push_ok(worker.update("visit", scheduled.id, {"check_in": checked_in, "status": "in_progress"}))
    worker.pull_all()
    notes = [
        h.note(scheduled, worker.user_id, text="Wound clean, dressing changed.").revise(written_at=start),
        h.note(scheduled, worker.user_id, text="Patient reports less pain.").revise(
            written_at=start + timedelta(minutes=5)
        ),
    ]
    observations = [
        h.observation(scheduled, observed_at=start + timedelta(minutes=10)),
        h.observation(scheduled, kind="spo2", value=97, unit="%", observed_at=start + timedelta(minutes=11)),
    ]
    worker.push_ok(*[worker.create(record) for record in [*notes, *observations]])
    worker.push_ok(worker.update("visit", scheduled.id, {"check_out": checked_out, "status": "completed"}))
    worker.pull_all()
    visit_now = scheduled.revise(check_in=checked_in, check_out=checked_out, status="completed")
    image_sha = worker.upload(image or h.PNG + scheduled.id.bytes)
    signature = h.signature_for(
        visit_now,
        notes,
        observations,
        image_sha,
        signed_at=start + timedelta(minutes=55),
        content_sha256=content_digest(visit_now, notes, observations, outcomes),
    )
    worker.push_ok(worker.create(signature))
    worker.push_ok(worker.update("visit", scheduled.id, {"signature_id": str(signature.id)}))
    worker.pull_all()
    wire = {r.id: _wire(r) for r in [*notes, *observations, signature]}
    return DoneVisit(visit_now, notes, observations, signature, image_sha, wire)


def _wire(record: h.Entity) -> dict[str, Any]:
    values = record.model_dump(mode="json")
    values.pop("id")
    return values


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# -- server-sent events ------------------------------------------------------------------------------------


@dataclass
class Event:
    """One dispatched SSE event (or comment block)."""

    id: str | None = None
    event: str | None = None
    data: str | None = None
    comments: list[str] = field(default_factory=list)


class EventReader:
    """Reads an SSE response on a thread, so the test can wait for the next event with a timeout.

    ``lines`` is any iterator of decoded lines (TestClient's or requests' ``iter_lines``)."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._queue: queue.Queue[Event | BaseException | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, args=(lines,), daemon=True)
        self._thread.start()

    def _run(self, lines: Iterator[str]) -> None:
        current = Event()
        try:
            for raw in lines:
                line = raw.decode() if isinstance(raw, bytes) else raw
                if line == "":
                    if current != Event():
                        self._queue.put(current)
                    current = Event()
                elif line.startswith(":"):
                    current.comments.append(line[1:].strip())
                else:
                    name, _, value = line.partition(":")
                    value = value.removeprefix(" ")
                    if name in ("id", "event", "data"):
                        setattr(current, name, value)
        except BaseException as exc:  # the stream was closed under the reader, or broke
            self._queue.put(exc)
        self._queue.put(None)

    def next(self, timeout: float = READ_TIMEOUT_S) -> Event:
        """The next block; fails (never hangs) when nothing arrives in time or the stream ended."""
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no server-sent event within {timeout} s") from None
        if item is None or isinstance(item, BaseException):
            raise AssertionError(f"the event stream ended: {item!r}")
        return item

    def next_event(self, timeout: float = READ_TIMEOUT_S) -> Event:
        """The next block carrying an id (a real event), skipping heartbeat comments."""
        deadline = datetime.now(UTC) + timedelta(seconds=timeout)
        while True:
            left = (deadline - datetime.now(UTC)).total_seconds()
            if left <= 0:
                raise AssertionError(f"no server-sent event with an id within {timeout} s")
            block = self.next(left)
            if block.id is not None:
                return block

    def no_event_for(self, seconds: float) -> list[Event]:
        """Asserts that only comments (heartbeats) arrive for ``seconds``; returns them."""
        deadline = datetime.now(UTC) + timedelta(seconds=seconds)
        seen: list[Event] = []
        while (left := (deadline - datetime.now(UTC)).total_seconds()) > 0:
            try:
                item = self._queue.get(timeout=left)
            except queue.Empty:
                break
            assert isinstance(item, Event), f"the event stream ended: {item!r}"
            assert item.id is None and item.data is None, f"unexpected event {item}"
            seen.append(item)
        return seen


# -- a real server process ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def scratch_postgres_database() -> Iterator[str]:
    """A database of its own for a server process (the session's database is emptied by other tests)."""
    name = f"fieldapp_it_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    conninfo = make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def running_server(
    database_url: str, workers: int, *, tls: tuple[Path, Path] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``fieldapp server`` in a subprocess, up and answering /health; stopped (and reaped) afterwards.
    With ``tls`` (certificate, key) it serves HTTPS, checked against that certificate."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "fieldapp"), "server", "--port", str(port)]
    command += ["--database", database_url, "--workers", str(workers), "--log-level", "warning"]
    if tls is not None:
        command += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
    base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    verify: str | bool = str(tls[0]) if tls else True
    with tempfile.TemporaryFile() as log:  # not a pipe: nobody reads it while the server runs

        def output() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")

        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 40
            while True:
                assert process.poll() is None, output()
                try:
                    if requests.get(f"{base}/health", timeout=2, verify=verify).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                assert time.monotonic() < deadline, f"no answer on /health within 40 s:\n{output()}"
                time.sleep(0.2)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
                raise AssertionError(f"the server did not stop within 20 s of SIGTERM:\n{output()}") from None
