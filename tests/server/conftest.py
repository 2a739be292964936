"""Fixtures for the server contract suite: the same tests run against SQLite and PostgreSQL.

PostgreSQL is the machine's server at ``FIELDAPP_TEST_PG_URL`` (default: 127.0.0.1:5432, database
``test``); each test session creates its own database there and drops it afterwards. The suite fails
(does not skip) when PostgreSQL is unreachable: CI starts it (.ci/run).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from fieldapp.server import migrate
from fieldapp.server.api import create_app
from fieldapp.server.auth import sessions as auth
from fieldapp.server.db import make_engine
from fieldapp.server.models import Base
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role
from tests.server.helpers import Device

PG_URL = os.environ.get("FIELDAPP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery"


def _conninfo(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated to head."""
    name = f"fieldapp_t_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    try:
        admin = psycopg.connect(_conninfo(PG_URL), autocommit=True)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is needed for the server contract suite ({PG_URL}): {exc}")
    admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite database, copied for each test (migrating every time would be slow)."""
    path = tmp_path_factory.mktemp("template") / "server.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database a contract test runs against, empty but for the schema."""
    if request.param == "sqlite":
        path = tmp_path / "server.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_database_url")
    _empty_postgres(url)
    return url


def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables if t.name != "counters")
    with engine.begin() as connection:
        connection.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        connection.execute(sa.text("UPDATE counters SET value = 0"))
    engine.dispose()


@dataclass
class Clock:
    """The server's notion of now, movable by tests."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, heartbeat_s=0.5, page_limit=1000)


@pytest.fixture
def app_factory(settings: Settings, clock: Clock) -> Callable[..., TestClient]:
    """Builds a started TestClient; tests may pass other settings (limits) for the same database."""
    clients: list[TestClient] = []

    def build(**overrides: object) -> TestClient:
        custom = replace(settings, **overrides) if overrides else settings  # type: ignore[arg-type]
        client = TestClient(create_app(custom, migrate_schema=False, clock=clock))
        client.__enter__()
        clients.append(client)
        return client

    yield build  # type: ignore[misc]
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(app_factory: Callable[..., TestClient]) -> TestClient:
    return app_factory()


@dataclass(frozen=True)
class Users:
    office: uuid.UUID
    nurse: uuid.UUID
    aide: uuid.UUID


@pytest.fixture
def users(client: TestClient, clock: Clock) -> Users:
    """An office user and two field workers, all with password ``PASSWORD``."""
    database = client.app.state.database  # type: ignore[attr-defined]
    with database.write() as session:
        ids = {
            name: auth.create_user(session, name, PASSWORD, role, clock.now).id
            for name, role in (("office", Role.OFFICE), ("nurse", Role.WORKER), ("aide", Role.WORKER))
        }
    return Users(**ids)


@pytest.fixture
def office(client: TestClient, users: Users) -> Device:
    return Device.sign_in(client, "office", PASSWORD, "office1")


@pytest.fixture
def nurse(client: TestClient, users: Users) -> Device:
    return Device.sign_in(client, "nurse", PASSWORD, "tablet1")


@pytest.fixture
def aide(client: TestClient, users: Users) -> Device:
    return Device.sign_in(client, "aide", PASSWORD, "tablet2")
