"""Sign-in, tokens, throttling, revocation and the rule that every route but a few needs a token."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from starlette.routing import Route

from fieldapp.server.models import AuthSession, SignInThrottle, User
from fieldapp.server.settings import Settings
from tests.server.conftest import PASSWORD, Clock, Users
from tests.server.helpers import Device

PUBLIC = {"/health", "/auth/login", "/auth/refresh", "/openapi.json"}
WRONG = "not the password"


def login(client: TestClient, username: str, password: str, device_id: str = "tablet1") -> httpx2.Response:
    return client.post(
        "/auth/login", json={"username": username, "password": password, "device_id": device_id}
    )


def me(client: TestClient, token: str) -> httpx2.Response:
    return client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})


def error_of(response: httpx2.Response) -> str:
    return response.json()["error"]  # type: ignore[no-any-return]


# -- sign-in -------------------------------------------------------------------------------------------------


def test_login_returns_a_working_token_pair(client: TestClient, users: Users, clock: Clock) -> None:
    response = login(client, "Nurse", PASSWORD)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    assert body["user"] == {"id": str(users.nurse), "username": "nurse", "role": "worker"}
    assert body["server_time_ms"] == int(clock.now.timestamp() * 1000)
    assert body["access_token"] != body["refresh_token"]
    who = me(client, body["access_token"])
    assert who.status_code == 200
    assert who.json()["id"] == str(users.nurse)


def test_wrong_password_and_unknown_user_get_the_same_answer(client: TestClient, users: Users) -> None:
    wrong = login(client, "nurse", WRONG)
    unknown = login(client, "nobody", WRONG)
    assert wrong.status_code == unknown.status_code == 401
    assert error_of(wrong) == error_of(unknown) == "bad_credentials"
    assert wrong.json()["message"] == unknown.json()["message"]
    assert "access_token" not in wrong.text


def test_passwords_are_stored_hashed_with_scrypt(client: TestClient, users: Users) -> None:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        hashes = session.scalars(sa.select(User.password_hash)).all()
    assert len(hashes) == 3
    assert len(set(hashes)) == 3, "each hash has its own salt"
    for stored in hashes:
        assert stored.startswith("scrypt$")
        assert PASSWORD not in stored
    body = login(client, "nurse", PASSWORD).json()
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        tokens = session.scalars(sa.select(AuthSession.access_hash)).all()
        refresh = session.scalars(sa.select(AuthSession.refresh_hash)).all()
    assert body["access_token"] not in tokens
    assert body["refresh_token"] not in refresh


# -- throttling -------------------------------------------------------------------------------------------


def test_five_failures_lock_the_name_even_for_the_right_password(
    client: TestClient, users: Users, clock: Clock
) -> None:
    for _ in range(5):
        assert login(client, "nurse", WRONG).status_code == 401
    locked = login(client, "nurse", PASSWORD)
    assert locked.status_code == 429, locked.text
    assert error_of(locked) == "too_many_attempts"
    wait = int(locked.headers["Retry-After"])
    assert 1 <= wait <= 61
    assert login(client, "NURSE", PASSWORD).status_code == 429, "the lock is on the name, not its spelling"
    assert login(client, "aide", PASSWORD).status_code == 200, "other names are not locked"

    clock.advance(seconds=wait - 2)
    still = login(client, "nurse", PASSWORD)
    assert still.status_code == 429
    assert int(still.headers["Retry-After"]) <= 2
    clock.advance(seconds=3)
    assert login(client, "nurse", PASSWORD).status_code == 200


def test_a_success_resets_the_failure_count(client: TestClient, users: Users, clock: Clock) -> None:
    for _ in range(4):
        assert login(client, "nurse", WRONG).status_code == 401
    assert login(client, "nurse", PASSWORD).status_code == 200
    for _ in range(4):
        assert login(client, "nurse", WRONG).status_code == 401
    assert login(client, "nurse", PASSWORD).status_code == 200, "8 failures in all, but never 5 in a row"
    for _ in range(5):
        assert login(client, "nurse", WRONG).status_code == 401
    assert login(client, "nurse", PASSWORD).status_code == 429


def test_parallel_failures_are_each_counted(client: TestClient, users: Users) -> None:
    assert login(client, "nurse", WRONG).status_code == 401
    clients = [TestClient(client.app) for _ in range(4)]  # one per thread, on the same app
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda c: login(c, "nurse", WRONG).status_code, clients))
    assert codes == [401] * 4
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        assert session.scalar(sa.select(SignInThrottle.failures).where(SignInThrottle.key == "nurse")) == 5
    assert login(client, "nurse", PASSWORD).status_code == 429


def test_unknown_names_are_throttled_like_known_ones(client: TestClient, users: Users) -> None:
    for _ in range(5):
        assert login(client, "nobody", WRONG).status_code == 401
    response = login(client, "nobody", WRONG)
    assert response.status_code == 429
    assert "Retry-After" in response.headers


# -- tokens -----------------------------------------------------------------------------------------------


def test_refresh_rotates_the_pair(client: TestClient, nurse: Device) -> None:
    first = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert first.status_code == 200, first.text
    pair = first.json()
    assert pair["refresh_token"] != nurse.refresh_token
    assert pair["access_token"] != nurse.token
    assert me(client, pair["access_token"]).status_code == 200

    again = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert again.status_code == 401
    assert error_of(again) == "session_ended"
    second = client.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert second.status_code == 200, "the new refresh token works"
    assert me(client, second.json()["access_token"]).status_code == 200


def test_logout_revokes_at_once(client: TestClient, nurse: Device) -> None:
    assert client.get("/auth/me", headers=nurse.headers).status_code == 200
    assert client.post("/auth/logout", headers=nurse.headers).status_code == 204
    after = client.get("/auth/me", headers=nurse.headers)
    assert after.status_code == 401
    assert error_of(after) == "invalid_token"
    assert client.get("/sync/pull", headers=nurse.headers).status_code == 401
    refresh = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert refresh.status_code == 401, "signing out also ends the refresh token"


def test_expired_access_token_is_refused_while_refresh_still_works(
    client: TestClient, nurse: Device, clock: Clock
) -> None:
    clock.advance(minutes=14, seconds=59)
    assert client.get("/auth/me", headers=nurse.headers).status_code == 200
    clock.advance(seconds=1)
    expired = client.get("/auth/me", headers=nurse.headers)
    assert expired.status_code == 401
    assert error_of(expired) == "token_expired"
    renewed = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert renewed.status_code == 200
    assert me(client, renewed.json()["access_token"]).status_code == 200


def test_refresh_token_expires_after_30_days(client: TestClient, nurse: Device, clock: Clock) -> None:
    clock.advance(days=30)
    response = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert response.status_code == 401
    assert error_of(response) == "session_ended"


def test_disabled_worker_is_refused_at_the_next_request_but_may_still_hand_in_its_data(
    client: TestClient, users: Users, nurse: Device, aide: Device
) -> None:
    assert client.get("/auth/me", headers=nurse.headers).status_code == 200
    with client.app.state.database.write() as session:  # type: ignore[attr-defined]
        session.get(User, users.nurse).active = False  # type: ignore[union-attr]
    refused = client.get("/auth/me", headers=nurse.headers)
    assert refused.status_code == 403
    assert error_of(refused) == "device_retired"  # push what it holds, then wipe (test_fleet.py)
    assert error_of(client.get("/sync/pull", headers=nurse.headers)) == "device_retired"
    # Refreshing still works until the device confirms its wipe, so a device whose access token expired
    # can still hand in its changes; the new session is just as retired.
    refreshed = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert refreshed.status_code == 200
    again = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert error_of(client.get("/auth/me", headers=again)) == "device_retired"
    elsewhere = login(client, "nurse", PASSWORD, device_id="newtablet")
    assert elsewhere.status_code == 401, "a disabled account signs in nowhere new"
    assert error_of(elsewhere) == "bad_credentials"
    wrong = login(client, "nurse", WRONG)
    assert wrong.status_code == 401 and error_of(wrong) == "bad_credentials"
    # Her own tablet, whose session may have expired in a drawer, signs in with the right password to hand
    # in what it holds: the new session is retiring too (push only, then wipe).
    own = login(client, "nurse", PASSWORD)
    assert own.status_code == 200
    own_headers = {"Authorization": f"Bearer {own.json()['access_token']}"}
    assert error_of(client.get("/sync/pull", headers=own_headers)) == "device_retired"
    assert client.post("/devices/me/wiped", headers=own_headers).status_code == 204
    after = login(client, "nurse", PASSWORD)
    assert after.status_code == 401, "a wiped tablet of a disabled account stays out"
    assert client.get("/auth/me", headers=aide.headers).status_code == 200


# -- every other route needs a token ----------------------------------------------------------------------


def _is_public(path: str) -> bool:
    return path in PUBLIC or path.startswith("/docs") or path.startswith("/redoc")


def _protected_requests(client: TestClient) -> list[tuple[str, str]]:
    found = []
    routes: list[Any] = []
    for route in client.app.routes:  # type: ignore[attr-defined]
        included = getattr(route, "original_router", None)  # an included router keeps its own routes
        routes += included.routes if included is not None else [route]
    for route in routes:
        if not isinstance(route, Route) or route.path.startswith("/office") or _is_public(route.path):
            continue
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m: _dummy(m.group(1)), route.path)
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append((method, path))
    return found


def _dummy(name: str) -> str:
    if "sha" in name:
        return "0" * 64
    if name.endswith("id"):
        return str(uuid.uuid4())
    return "x"


def test_the_route_list_covers_the_api(client: TestClient) -> None:
    routes = _protected_requests(client)
    paths = {path.split("/")[1] for _, path in routes}
    assert {"auth", "sync", "blobs", "reports", "caseloads"} <= paths
    assert ("POST", "/sync/push") in routes
    assert ("POST", "/auth/logout") in routes


@pytest.mark.parametrize("token", [None, "garbage-token-that-was-never-issued"], ids=["no_token", "garbage"])
def test_every_route_but_sign_in_and_health_needs_a_valid_token(
    client: TestClient, users: Users, token: str | None
) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answers: dict[str, Any] = {}
    for method, path in _protected_requests(client):
        response = client.request(method, path, headers=headers)
        answers[f"{method} {path}"] = (response.status_code, response.json().get("error"))
    expected = "invalid_token" if token else "no_token"
    wrong = {route: answer for route, answer in answers.items() if answer != (401, expected)}
    assert not wrong, wrong


def test_public_routes_answer_without_a_token(app_factory: Callable[..., TestClient]) -> None:
    client = app_factory(api_docs=True)
    assert client.get("/health").status_code == 200
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/docs").status_code == 200
    assert client.get("/redoc").status_code == 200


def test_the_api_documentation_is_off_unless_a_setting_turns_it_on(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in ("/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"):
        answer = client.get(path)
        assert answer.status_code == 404 and answer.json()["error"] == "not_found", path
    monkeypatch.setenv("FIELDAPP_API_DOCS", "1")
    assert Settings(database_url="sqlite://").api_docs
    monkeypatch.setenv("FIELDAPP_API_DOCS", "no")
    assert not Settings(database_url="sqlite://").api_docs


def test_a_lost_refresh_answer_does_not_end_the_session(client: TestClient, nurse: Device) -> None:
    """The tablet refreshed, the answer never arrived: it still holds only the old refresh token."""
    lost = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert lost.status_code == 200
    retry = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert retry.status_code == 200, retry.text
    pair = retry.json()
    assert me(client, pair["access_token"]).status_code == 200
    never_received = lost.json()
    assert me(client, never_received["access_token"]).status_code == 401, "the lost pair was replaced"
    refused = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert refused.status_code == 401 and error_of(refused) == "session_ended", "first use ended the old one"


def test_an_unconfirmed_rotation_closes_after_five_minutes(
    client: TestClient, nurse: Device, clock: Clock
) -> None:
    assert client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token}).status_code == 200
    clock.advance(minutes=5, seconds=1)
    late = client.post("/auth/refresh", json={"refresh_token": nurse.refresh_token})
    assert late.status_code == 401 and error_of(late) == "session_ended"


def test_disabled_office_account_stops_working_at_once(
    client: TestClient, users: Users, office: Device
) -> None:
    assert client.get("/auth/me", headers=office.headers).status_code == 200
    with client.app.state.database.write() as session:  # type: ignore[attr-defined]
        session.get(User, users.office).active = False  # type: ignore[union-attr]
    refused = client.get("/auth/me", headers=office.headers)
    assert refused.status_code == 401
    assert error_of(refused) == "account_disabled"
    assert client.post("/auth/refresh", json={"refresh_token": office.refresh_token}).status_code == 401
