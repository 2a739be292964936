"""The real server on loopback (uvicorn on a free port, in a thread) and real device profiles on disk."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
import requests
import uvicorn
from sqlalchemy.orm import Session

from fieldapp.app import Device, open_device, sign_in
from fieldapp.config import Profile
from fieldapp.domain.entities import Entity
from fieldapp.server import migrate
from fieldapp.server.api import create_app
from fieldapp.server.auth import admin
from fieldapp.server.auth import sessions as auth
from fieldapp.server.core import caseload, feed
from fieldapp.server.core.notify import FeedWatch
from fieldapp.server.database import Database
from fieldapp.server.models import User
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role
from tests.keyrings import MemoryKeyring

PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    """A running server and direct access to its database for arranging tests as the office would."""

    url: str
    database: Database
    settings: Settings
    users: dict[str, uuid.UUID] = field(default_factory=dict)
    watch: FeedWatch | None = None  # the running server's, told of each write as its API would be

    @contextlib.contextmanager
    def writing(self) -> Iterator[Session]:
        """A write transaction behind the API's back, announced to the server's feed watch after its commit
        (the API's change notice does that), so an up-to-date device is not answered from a stale one."""
        with self.database.write() as session:
            yield session
            position = feed.last_allocated(session)
        if self.watch is not None and position:
            self.watch.heard(position)

    def office_writes(self, *records: Entity) -> None:
        """Create records as the office (stamped by the server's own clock)."""
        with self.writing() as session:
            author = session.get(User, self.users["office"])
            assert author is not None
            admin.write_records(session, self.settings, author, records, datetime.now(UTC))

    def assign(self, worker: str, patient_id: uuid.UUID) -> None:
        with self.writing() as session:
            caseload.assign(session, self.users[worker], patient_id, datetime.now(UTC))

    def unassign(self, worker: str, patient_id: uuid.UUID) -> None:
        with self.writing() as session:
            caseload.unassign(session, self.users[worker], patient_id, datetime.now(UTC))


class _ThreadedServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the test process keeps its own handlers
        pass


def start_server(database_url: str, port: int | None = None) -> tuple[_ThreadedServer, threading.Thread, str]:
    port = port or free_port()
    settings = Settings(database_url=database_url, heartbeat_s=1.0)
    app = create_app(settings, migrate_schema=False)
    server = _ThreadedServer(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


def watch_of(server: uvicorn.Server) -> FeedWatch:
    """The feed watch of a running server's app."""
    return server.config.app.state.notifier.watch  # type: ignore[no-any-return]


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    database = Database(url)
    migrate.upgrade(database.engine)
    users = {}
    with database.write() as session:
        for name, role in (("office", Role.OFFICE), ("nurse", Role.WORKER), ("aide", Role.WORKER)):
            users[name] = auth.create_user(session, name, PASSWORD, role, datetime.now(UTC)).id
    server, thread, base = start_server(url)
    live = LiveServer(base, database, Settings(database_url=url), users, watch_of(server))
    try:
        assert requests.get(f"{base}/health", timeout=5).status_code == 200
        yield live
    finally:
        server.should_exit = True
        thread.join(10)
        database.dispose()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Credentials go to an in-memory keyring in tests (the app itself refuses plaintext keyrings)."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def new_device(tmp_path: Path, live_server: LiveServer) -> Iterator[object]:
    """Factory: a signed-in device profile on disk (``new_device("nurse")``)."""
    opened: list[Device] = []

    def make(username: str = "nurse", name: str | None = None, server_url: str | None = None) -> Device:
        profile = Profile.at(tmp_path / (name or f"{username}-{len(opened)}"))
        device = open_device(profile, server_url or live_server.url)
        sign_in(device, username, PASSWORD)
        opened.append(device)
        return device

    yield make
    for device in opened:
        device.close()
