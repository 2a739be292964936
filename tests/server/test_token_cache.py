"""The workers' cache of verified access tokens (decision 0038): used on PostgreSQL while the change-notice
listener is connected, never on SQLite, and revocation, disabling and wiping still refuse the very next
request, on the worker that made the change at once and on another worker as its notice arrives."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.server.auth.sessions import Principal
from fieldapp.server.auth.tokens import TokenCache
from fieldapp.server.models import Device as DeviceRow
from fieldapp.sync.protocol import Role
from tests.server.conftest import PASSWORD, Users
from tests.server.helpers import Device

NOTICE_WAIT_S = 5.0  # a NOTIFY between two workers on this machine arrives in milliseconds


def tokens(client: TestClient) -> TokenCache:
    cache: TokenCache = client.app.state.notifier.tokens  # type: ignore[attr-defined]
    return cache


def error_of(response: object) -> str:
    return str(response.json().get("error"))  # type: ignore[attr-defined]


def on_postgres(client: TestClient) -> bool:
    return bool(client.app.state.database.dialect == "postgresql")  # type: ignore[attr-defined]


def refused_soon(client: TestClient, headers: dict[str, str], path: str = "/auth/me") -> str:
    """The error the other worker answers with, once the notice has reached it ('' if it never does)."""
    deadline = time.monotonic() + NOTICE_WAIT_S
    while time.monotonic() < deadline:
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            return error_of(response)
        time.sleep(0.01)
    return ""


def two_workers(build: Callable[..., TestClient]) -> tuple[TestClient, TestClient, Device, Device]:
    """Two applications on one database (two workers), the office and the nurse signed in on the first,
    the nurse's token already verified (and on PostgreSQL kept) by the second."""
    first, second = build(), build()
    office = Device.sign_in(first, "office", PASSWORD, "office1")
    nurse = Device.sign_in(first, "nurse", PASSWORD, "tablet1")
    for _ in range(2):
        assert second.get("/auth/me", headers=nurse.headers).status_code == 200
    return first, second, office, nurse


def test_verified_tokens_are_kept_only_where_a_listener_hears_their_changes(
    client: TestClient, nurse: Device
) -> None:
    assert client.get("/auth/me", headers=nurse.headers).status_code == 200
    assert client.get("/sync/pull", headers=nurse.headers).status_code == 200
    assert len(tokens(client)) == (1 if on_postgres(client) else 0)


def test_a_disabled_device_is_refused_at_once_by_the_worker_that_disabled_it(
    client: TestClient, office: Device, nurse: Device
) -> None:
    for _ in range(2):
        assert client.get("/auth/me", headers=nurse.headers).status_code == 200
    answer = client.post(f"/admin/devices/{nurse.device_id}/disable", headers=office.headers)
    assert answer.status_code == 204
    refused = client.get("/sync/pull", headers=nurse.headers)
    assert refused.status_code == 403 and error_of(refused) == "device_retired"


def test_another_worker_refuses_a_device_disabled_elsewhere(
    app_factory: Callable[..., TestClient], users: Users
) -> None:
    first, second, office, nurse = two_workers(app_factory)
    assert first.post(f"/admin/devices/{nurse.device_id}/disable", headers=office.headers).status_code == 204
    assert refused_soon(second, nurse.headers) == "device_retired"
    assert first.post(f"/admin/devices/{nurse.device_id}/enable", headers=office.headers).status_code == 204
    assert second.get("/auth/me", headers=nurse.headers).status_code == 200, "enabled again: served again"


def test_another_worker_refuses_a_signed_out_session_and_a_disabled_account(
    app_factory: Callable[..., TestClient], users: Users
) -> None:
    first, second, office, nurse = two_workers(app_factory)
    aide = Device.sign_in(first, "aide", PASSWORD, "tablet2")
    assert second.get("/auth/me", headers=aide.headers).status_code == 200
    assert first.post("/auth/logout", headers=nurse.headers).status_code == 204
    assert refused_soon(second, nurse.headers) == "invalid_token"
    assert first.post(f"/admin/users/{users.aide}/disable", headers=office.headers).status_code == 200
    assert refused_soon(second, aide.headers) == "device_retired"
    assert second.get("/auth/me", headers=office.headers).status_code == 200, "the others are unaffected"


def test_a_wiped_device_is_refused_by_every_worker(
    app_factory: Callable[..., TestClient], users: Users
) -> None:
    first, second, office, nurse = two_workers(app_factory)
    assert first.post(f"/admin/devices/{nurse.device_id}/disable", headers=office.headers).status_code == 204
    assert first.post("/devices/me/wiped", headers=nurse.headers).status_code == 204
    assert refused_soon(second, nurse.headers, "/sync/pull") == "invalid_token"
    with first.app.state.database.read() as session:  # type: ignore[attr-defined]
        assert session.get(DeviceRow, nurse.device_id).wiped_at is not None  # type: ignore[union-attr]


# Another process (a second server, the command line) writing through the application's own code: only its
# NOTIFY can reach this worker's cache.
DISABLE_ELSEWHERE = """
import sys
from datetime import UTC, datetime
from fieldapp.server.database import Database
from fieldapp.server.fleet import devices
database = Database(sys.argv[1])
with database.write() as session:
    devices.disable_device(session, sys.argv[2], datetime.now(UTC))
database.dispose()
"""


def test_a_device_disabled_by_another_process_is_refused(client: TestClient, nurse: Device) -> None:
    for _ in range(2):
        assert client.get("/auth/me", headers=nurse.headers).status_code == 200
    url = client.app.state.database.url  # type: ignore[attr-defined]
    subprocess.run([sys.executable, "-c", DISABLE_ELSEWHERE, url, nurse.device_id], check=True, timeout=60)
    assert refused_soon(client, nurse.headers) == "device_retired"


def _who() -> Principal:
    return Principal(uuid.uuid4(), "nurse", Role.WORKER, "tablet1", uuid.uuid4())


def test_a_verification_that_raced_with_an_invalidation_is_not_kept() -> None:
    cache, who = TokenCache(), _who()
    cache.set_listening(True)
    until = datetime.now(UTC) + timedelta(minutes=15)
    generation = cache.generation
    cache.invalidate({f"d:{who.device_id}"})  # the device was disabled while the database was read
    cache.put("hash", who, until, generation)
    assert cache.get("hash", datetime.now(UTC)) is None
    cache.put("hash", who, until, cache.generation)
    assert cache.get("hash", datetime.now(UTC)) == who


def test_the_cache_answers_only_while_listening_and_before_the_token_expires() -> None:
    cache, who = TokenCache(), _who()
    now = datetime.now(UTC)
    cache.put("hash", who, now + timedelta(minutes=15), cache.generation)
    assert cache.get("hash", now) is None, "no listener yet: nothing kept"
    cache.set_listening(True)
    cache.put("hash", who, now + timedelta(minutes=15), cache.generation)
    assert cache.get("hash", now) == who
    assert cache.get("hash", now + timedelta(minutes=15)) is None, "expired with its token"
    cache.put("hash", who, now + timedelta(minutes=15), cache.generation)
    cache.set_listening(False)
    assert cache.get("hash", now) is None, "the listener lost its connection: notices may be missed"
    cache.set_listening(True)
    assert cache.get("hash", now) is None, "reconnected: it starts empty"
    pending = Principal(uuid.uuid4(), "nurse", Role.WORKER, "tablet1", uuid.uuid4(), rotation_pending=True)
    cache.put("other", pending, now + timedelta(minutes=15), cache.generation)
    assert cache.get("other", now) is None, "a first use after a refresh always goes to the database"


def test_invalidation_drops_only_the_named_user_device_or_session() -> None:
    cache = TokenCache()
    cache.set_listening(True)
    now = datetime.now(UTC)
    a, b = _who(), Principal(uuid.uuid4(), "aide", Role.WORKER, "tablet2", uuid.uuid4())
    for key, who in (("a", a), ("b", b)):
        cache.put(key, who, now + timedelta(minutes=15), cache.generation)
    cache.invalidate({f"s:{a.session_id}"})
    assert cache.get("a", now) is None and cache.get("b", now) == b
    cache.invalidate({f"u:{b.user_id}"})
    assert cache.get("b", now) is None


def test_a_bulk_update_of_devices_empties_the_caches(client: TestClient, nurse: Device) -> None:
    for _ in range(2):
        assert client.get("/auth/me", headers=nurse.headers).status_code == 200
    with client.app.state.database.write() as session:  # type: ignore[attr-defined]
        session.execute(sa.update(DeviceRow).where(DeviceRow.id == nurse.device_id).values(disabled=True))
    assert len(tokens(client)) == 0
    assert error_of(client.get("/auth/me", headers=nurse.headers)) == "device_retired"
