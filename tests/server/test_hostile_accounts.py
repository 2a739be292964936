"""Accounts under attack, on SQLite and PostgreSQL: the password policy wherever a password is set, and
sign-in throttling that slows guessing per user name and per client address without letting a stranger
lock a user out at their usual address (decision 0015). Each refusal says why and changes nothing.
"""

from __future__ import annotations

import os

import httpx2
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.server.auth import password_policy, passwords, throttle
from fieldapp.server.auth import sessions as auth
from fieldapp.server.errors import Invalid
from fieldapp.server.models import AuthSession, SignInThrottle, User
from fieldapp.sync.protocol import Role
from tests.server.conftest import PASSWORD, Clock, Users

EXAMPLES = int(os.environ.get("FIELDAPP_HOSTILE_EXAMPLES", 25))
WRONG = "not the password"
HOME, STRANGER, ELSEWHERE = "198.51.100.7", "203.0.113.66", "192.0.2.44"


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


def from_address(client: TestClient, address: str) -> TestClient:
    """The same server, reached from another client address."""
    return TestClient(client.app, client=(address, 40000))


def login(client: TestClient, username: str, password: str, device_id: str = "tablet1") -> httpx2.Response:
    return client.post(
        "/auth/login", json={"username": username, "password": password, "device_id": device_id}
    )


def count(client: TestClient, model: type, *where: object) -> int:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def wait_of(response: httpx2.Response) -> int:
    assert response.status_code == 429, response.text
    assert response.json()["error"] == "too_many_attempts" and "try again in" in response.json()["message"]
    return int(response.headers["Retry-After"])


# -- the password policy ------------------------------------------------------------------------------------


REFUSED = {
    "password": "common or breached",
    "12345678": "common or breached",
    "Password1": "common or breached",
    "  iloveyou1 ": "common or breached",
    "qwertyuiop": "common or breached",
    "1234567": "at least 8 characters",
    "": "at least 8 characters",
    "maria.lopez": "user name",
    "Maria.Lopez2026!": "user name",
    "fieldapp123": "product's name",
    "zzzzzzzzzzzz": "repeated",
    "lmnopqrstu": "run such as",
    "x" * 257: "at most 256",
    "tab\tinside pw": "control characters",
}
ACCEPTED = [
    "correct horse battery",
    "Sonnenblume im Regen",
    "nurse-demo-1",
    "ĉiuj ĉevaloj manĝas",
    ("long passphrase " * 16)[:256],
]


def test_weak_passwords_are_refused_with_their_reason_and_nothing_is_stored(
    client: TestClient, clock: Clock
) -> None:
    database = client.app.state.database  # type: ignore[attr-defined]
    for password, reason in REFUSED.items():
        with pytest.raises(Invalid) as refused, database.write() as session:
            auth.create_user(session, "maria.lopez", password, Role.WORKER, clock.now)
        assert refused.value.code == "weak_password" and reason in refused.value.message, password
        assert count(client, User) == 0, password
    for n, password in enumerate(ACCEPTED):
        with database.write() as session:
            auth.create_user(session, f"user{n}", password, Role.WORKER, clock.now)
        assert login(client, f"user{n}", password, f"t{n}").status_code == 200, password


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    password=st.one_of(
        st.text(max_size=300), st.sampled_from(sorted(password_policy.common_passwords())[:500])
    )
)
def test_any_password_is_either_refused_with_a_reason_or_stored_and_usable(
    client: TestClient, clock: Clock, password: str
) -> None:
    database = client.app.state.database  # type: ignore[attr-defined]
    users_before = count(client, User)
    name = f"u{users_before}"
    reason = password_policy.problem(password, name)
    try:
        with database.write() as session:
            auth.create_user(session, name, password, Role.WORKER, clock.now)
    except Invalid as exc:
        assert reason is not None and exc.code == "weak_password" and exc.message == reason
        assert count(client, User) == users_before
        return
    assert reason is None
    assert len(password) >= 8 and password.strip().lower() not in password_policy.common_passwords()
    with database.read() as session:
        user = session.scalar(sa.select(User).where(User.username == name))
        assert user is not None and passwords.verify_password(password, user.password_hash)


def test_a_new_password_set_by_an_administrator_follows_the_policy_and_ends_the_sessions(
    client: TestClient, users: Users, clock: Clock
) -> None:
    database = client.app.state.database  # type: ignore[attr-defined]
    assert login(client, "nurse", PASSWORD).status_code == 200
    for password in ("12345678", "nurse2026", "short"):
        with pytest.raises(Invalid) as refused, database.write() as session:
            auth.set_password(session, "nurse", password, clock.now)
        assert refused.value.code == "weak_password"
        assert login(client, "nurse", PASSWORD).status_code == 200, "nothing changed"
    with pytest.raises(Invalid) as unknown, database.write() as session:
        auth.set_password(session, "nobody", "a fine new passphrase", clock.now)
    assert unknown.value.code == "no_such_user"
    with database.write() as session:
        auth.set_password(session, "NURSE", "a fine new passphrase", clock.now)
    assert (
        count(client, AuthSession, AuthSession.revoked_at.is_(None), AuthSession.user_id == users.nurse) == 0
    )
    assert login(client, "nurse", PASSWORD).status_code == 401
    assert login(client, "nurse", "a fine new passphrase").status_code == 200


# -- throttling ---------------------------------------------------------------------------------------------


def test_a_stranger_cannot_lock_a_user_out_of_their_usual_address(client: TestClient, users: Users) -> None:
    home, stranger = from_address(client, HOME), from_address(client, STRANGER)
    assert login(home, "nurse", PASSWORD).status_code == 200  # the nurse's usual address from now on
    waits = []
    for _ in range(12):
        answer = login(stranger, "nurse", WRONG)
        if answer.status_code == 429:
            waits.append(wait_of(answer))
        else:
            assert answer.status_code == 401
    assert waits, "the stranger was slowed down"
    sessions = count(client, AuthSession)
    assert wait_of(login(stranger, "nurse", PASSWORD)) > 0, "a throttled attempt is not even checked"
    assert count(client, AuthSession) == sessions
    assert login(home, "nurse", PASSWORD).status_code == 200, "the real user still signs in at home"
    assert wait_of(login(from_address(client, ELSEWHERE), "nurse", PASSWORD)) > 0, (
        "from an address never used before, the account waits (the cost of slowing a distributed attack)"
    )


def test_guesses_at_one_account_from_many_addresses_wait_longer_and_longer(
    client: TestClient, users: Users, clock: Clock
) -> None:
    waits = []
    for n in range(12):
        answer = login(from_address(client, f"10.9.{n}.1"), "office", WRONG)
        if answer.status_code == 429:
            waits.append(wait_of(answer))
            clock.advance(seconds=waits[-1])
            assert login(from_address(client, f"10.8.{n}.1"), "office", WRONG).status_code == 401
    assert waits[:4] == [60, 120, 240, 480]
    assert max(waits) <= throttle.MAX_WAIT_S + 1
    # A day without failures and the count starts again.
    clock.advance(hours=25)
    assert login(from_address(client, "10.7.0.1"), "office", PASSWORD).status_code == 200


def test_one_address_guessing_at_many_names_waits_longer_and_longer(
    client: TestClient, users: Users, clock: Clock
) -> None:
    guesser = from_address(client, STRANGER)
    for n in range(10):
        assert login(guesser, f"name{n}", WRONG).status_code == 401
    first = wait_of(login(guesser, "never-tried", WRONG))
    clock.advance(seconds=first)
    assert login(guesser, "another", WRONG).status_code == 401
    second = wait_of(login(guesser, "office", PASSWORD))
    assert second > first
    assert login(from_address(client, ELSEWHERE), "office", PASSWORD).status_code == 200, (
        "others are not slowed"
    )
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        counter = session.get(SignInThrottle, (throttle.ADDRESS, STRANGER))
        assert counter is not None and counter.failures == 11


def test_a_success_resets_the_users_count_but_not_the_addresss(client: TestClient, users: Users) -> None:
    place = from_address(client, HOME)
    for _ in range(4):
        assert login(place, "aide", WRONG).status_code == 401
    assert login(place, "aide", PASSWORD).status_code == 200
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        assert session.get(SignInThrottle, (throttle.ACCOUNT, "aide")).failures == 0  # type: ignore[union-attr]
        assert session.get(SignInThrottle, (throttle.ADDRESS, HOME)).failures == 4  # type: ignore[union-attr]


def test_guessing_from_a_familiar_address_is_slowed_there(client: TestClient, users: Users) -> None:
    home = from_address(client, HOME)
    assert login(home, "nurse", PASSWORD).status_code == 200
    for _ in range(5):
        assert login(home, "nurse", WRONG).status_code == 401
    assert 1 <= wait_of(login(home, "nurse", PASSWORD)) <= 61
    assert login(from_address(client, ELSEWHERE), "aide", PASSWORD).status_code == 200


def test_an_ipv6_network_counts_as_one_client() -> None:
    assert throttle.client_key("2001:db8:1:2::1") == throttle.client_key("2001:db8:1:2:ffff::9")
    assert throttle.client_key("2001:db8:1:3::1") != throttle.client_key("2001:db8:1:2::1")
    assert throttle.client_key("::ffff:192.0.2.1") == "192.0.2.1"
    assert throttle.client_key("testclient") == "testclient" and throttle.client_key(None) == "unknown"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(failures=st.integers(0, 40))
def test_throttle_waits_grow_and_never_pass_an_hour(failures: int) -> None:
    rule = throttle.Rule(5, 60)
    wait = rule.wait_after(failures)
    assert (wait is None) == (failures < 5)
    if wait is not None:
        assert 60 <= wait <= throttle.MAX_WAIT_S
        later = rule.wait_after(failures + 1)
        assert later is not None and later >= wait


def test_the_office_sign_in_page_is_throttled_the_same_way(client: TestClient, users: Users) -> None:
    from tests.office.conftest import Browser

    home, stranger = Browser(from_address(client, HOME)), Browser(from_address(client, STRANGER))
    assert home.sign_in().status_code == 303  # the office's usual address from now on
    answers = [stranger.sign_in(password=WRONG).status_code for _ in range(8)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    page = stranger.sign_in()
    assert page.status_code == 429 and "try again in" in page.text, "not even the right password, there"
    assert home.sign_in().status_code == 303, "the office still signs in from the office"
