"""The server's command line, run as a person would: `fieldapp admin ...` and `fieldapp server ...`."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.server import migrate
from fieldapp.server.auth import passwords
from fieldapp.server.core.admin import CASELOADS, DEMO_ACCOUNTS, DEMO_PATIENTS
from fieldapp.server.database import Database
from fieldapp.server.models import Assignment, Record, User
from tests.server import helpers as h
from tests.server.conftest import Users
from tests.server.helpers import Device
from tests.server.scenario import running_server

FIELDAPP = str(Path(sys.executable).parent / "fieldapp")
ROOT = Path(__file__).resolve().parents[2]


def fieldapp(*args: str, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FIELDAPP, *args], input=stdin, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def admin(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return fieldapp("admin", "--database", url, *args, stdin=stdin)


def count(url: str, model: type, *where: object) -> int:
    database = Database(url)
    try:
        with database.read() as session:
            return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]
    finally:
        database.dispose()


def user_named(url: str, name: str) -> User | None:
    database = Database(url)
    try:
        with database.read() as session:
            return session.scalar(sa.select(User).where(User.username == name))
    finally:
        database.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'server.db'}"


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, subprocess.CompletedProcess[str]]:
    """A SQLite database seeded once by `fieldapp admin seed-demo` (it is slow enough to share)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'server.db'}"
    return url, admin(url, "seed-demo")


# -- create-user ---------------------------------------------------------------------------------------------


def test_create_user_reads_the_password_from_standard_input(database_url: str) -> None:
    result = admin(database_url, "create-user", "Maria.Lopez", "--role", "worker", stdin="s3cret-enough\n")

    assert result.returncode == 0, result.stderr
    user = user_named(database_url, "maria.lopez")
    assert user is not None
    assert re.fullmatch(rf"created worker maria\.lopez \({user.id}\)\n", result.stdout)
    assert user.role == "worker"
    assert passwords.verify_password("s3cret-enough", user.password_hash)
    assert "s3cret-enough" not in result.stdout + result.stderr + user.password_hash


def test_a_duplicate_user_name_is_refused_with_a_clear_message(database_url: str) -> None:
    assert (
        admin(database_url, "create-user", "maria", "--role", "office", stdin="first-password\n").returncode
        == 0
    )

    again = admin(database_url, "create-user", "MARIA", "--role", "worker", stdin="second-password\n")

    assert again.returncode != 0
    assert "already exists" in again.stderr
    assert "Traceback" not in again.stderr
    assert count(database_url, User) == 1
    user = user_named(database_url, "maria")
    assert user is not None and user.role == "office"


def test_a_short_password_is_refused(sqlite_url: str) -> None:
    for password in ["", "1234567"]:
        result = admin(sqlite_url, "create-user", "maria", "--role", "worker", stdin=password + "\n")
        assert result.returncode != 0
        assert "at least 8 characters" in result.stderr
        assert "Traceback" not in result.stderr
    assert count(sqlite_url, User) == 0


def test_common_and_breached_passwords_are_refused_and_nothing_is_stored(database_url: str) -> None:
    for password in ["password", "12345678", "iloveyou1", "maria123"]:
        result = admin(database_url, "create-user", "maria", "--role", "worker", stdin=password + "\n")
        assert result.returncode == 1, result.stderr
        [line] = result.stderr.splitlines()
        assert line.startswith("fieldapp: ") and "Traceback" not in result.stderr
        assert "common or breached" in line or "user name" in line
    assert count(database_url, User) == 0


def test_set_password_follows_the_policy_and_replaces_the_old_one(database_url: str) -> None:
    assert (
        admin(database_url, "create-user", "maria", "--role", "worker", stdin="first passphrase\n").returncode
        == 0
    )
    weak = admin(database_url, "set-password", "maria", stdin="12345678\n")
    assert weak.returncode == 1 and "common or breached" in weak.stderr
    user = user_named(database_url, "maria")
    assert user is not None and passwords.verify_password("first passphrase", user.password_hash)
    unknown = admin(database_url, "set-password", "nobody", stdin="a good new passphrase\n")
    assert unknown.returncode == 1 and "no user" in unknown.stderr
    done = admin(database_url, "set-password", "Maria", stdin="a good new passphrase\n")
    assert done.returncode == 0, done.stderr
    assert "new password set for maria" in done.stdout and "passphrase" not in done.stdout
    user = user_named(database_url, "maria")
    assert user is not None and passwords.verify_password("a good new passphrase", user.password_hash)


def test_an_unknown_role_is_refused(sqlite_url: str) -> None:
    result = admin(sqlite_url, "create-user", "maria", "--role", "superuser", stdin="long-enough-pw\n")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


# -- assign --------------------------------------------------------------------------------------------------


def test_assign_puts_a_patient_on_the_workers_caseload(
    client: TestClient, users: Users, office: Device, nurse: Device, database_url: str
) -> None:
    p = h.patient()
    office.push_ok(office.create(p))

    result = admin(database_url, "assign", "Nurse", str(p.id))

    assert result.returncode == 0, result.stderr
    assert f"assigned patient {p.id} to nurse" in result.stdout
    nurse.pull_all()
    assert p.id in nurse.replica
    again = admin(database_url, "assign", "nurse", str(p.id))
    assert again.returncode == 0
    assert "already assigned" in again.stdout


@pytest.mark.parametrize(
    "database_url", ["sqlite"], indirect=True
)  # argument handling: one database is enough
def test_assign_refuses_what_it_cannot_do(
    client: TestClient, users: Users, office: Device, database_url: str
) -> None:
    p = h.patient()
    office.push_ok(office.create(p))
    cases = [
        ("nobody", str(p.id), "no user 'nobody'"),
        ("nurse", str(uuid.uuid4()), "no patient"),
        ("office", str(p.id), "is not a field worker"),
        ("nurse", "not-a-uuid", "invalid UUID"),
    ]
    for username, patient_id, message in cases:
        result = admin(database_url, "assign", username, patient_id)
        assert result.returncode != 0, (username, patient_id)
        assert message in result.stderr
        assert "Traceback" not in result.stderr
    assert count(database_url, Assignment) == 0


# -- seed-demo and migrate -----------------------------------------------------------------------------------


def test_seed_demo_creates_accounts_patients_caseloads_and_todays_visits(
    demo_database: tuple[str, subprocess.CompletedProcess[str]],
) -> None:
    url, result = demo_database
    assert result.returncode == 0, result.stderr
    for account in DEMO_ACCOUNTS:
        assert re.search(rf"\b{account.username}\b.*\b{re.escape(account.password)}\b", result.stdout), (
            account
        )
    assert count(url, Record, Record.entity == "patient") == DEMO_PATIENTS == 300
    for name, (first, last, visits) in CASELOADS.items():
        worker = user_named(url, name)
        assert worker is not None and worker.role == "worker"
        assert count(url, Assignment, Assignment.worker_id == worker.id, Assignment.active) == last - first
        assert count(url, Record, Record.entity == "visit", Record.worker_id == worker.id) == visits
    assert count(url, Record, Record.entity == "visit") == sum(v for _, _, v in CASELOADS.values())
    office = user_named(url, "office")
    assert office is not None and office.role == "office"


def test_seed_demo_names_its_people_and_its_agency(
    demo_database: tuple[str, subprocess.CompletedProcess[str]],
) -> None:
    from fieldapp.server.models import Agency

    url, _ = demo_database
    nurse, aide = user_named(url, "nurse"), user_named(url, "aide")
    assert nurse is not None and (nurse.full_name, nurse.credential, nurse.phone) == (
        "Ana López",
        "RN",
        "555-0142",
    )
    assert aide is not None and (aide.full_name, aide.credential) == ("Marcus Reed", "HHA")
    database = Database(url)
    try:
        with database.read() as session:
            agency = session.get(Agency, 1)
            assert agency is not None
            card = (agency.name, agency.address, agency.phone, agency.time_zone)
    finally:
        database.dispose()
    assert card == ("Sunrise Home Care", "1200 Harbor Way, Springfield", "555-0100", "UTC")


def test_seed_demo_refuses_a_second_run(demo_database: tuple[str, subprocess.CompletedProcess[str]]) -> None:
    url, _ = demo_database
    again = admin(url, "seed-demo")
    assert again.returncode != 0
    assert "already holds the demo data" in again.stderr
    assert count(url, Record, Record.entity == "patient") == DEMO_PATIENTS
    assert count(url, User) == len(DEMO_ACCOUNTS)


def test_seed_demo_refuses_cleanly_when_a_demo_name_is_taken(sqlite_url: str) -> None:
    assert (
        admin(sqlite_url, "create-user", "nurse", "--role", "worker", stdin="a-real-nurse-pw\n").returncode
        == 0
    )
    result = admin(sqlite_url, "seed-demo")
    assert result.returncode != 0
    assert "nurse" in result.stderr and "already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert count(sqlite_url, User) == 1
    assert count(sqlite_url, Record) == 0


def test_migrate_brings_a_new_database_to_the_newest_schema(sqlite_url: str) -> None:
    result = admin(sqlite_url, "migrate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"database at revision {migrate.head_revision()}"
    database = Database(sqlite_url)
    try:
        assert migrate.current_revision(database.engine) == migrate.head_revision()
    finally:
        database.dispose()
    assert admin(sqlite_url, "migrate").returncode == 0  # and again: nothing to do


# -- server --------------------------------------------------------------------------------------------------


def test_server_answers_health_and_serves_a_demo_worker_their_caseload(
    demo_database: tuple[str, subprocess.CompletedProcess[str]],
) -> None:
    url, _ = demo_database
    with running_server(url, workers=1) as (base, _):
        health = requests.get(f"{base}/health", timeout=10)
        assert health.status_code == 200
        assert health.json()["status"] == "ok" and health.json()["database"] == "sqlite"

        login = requests.post(
            f"{base}/auth/login",
            json={"username": "nurse", "password": "nurse-demo-1", "device_id": "tablet1"},
            timeout=10,
        )
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        changes, cursor = [], None
        for _ in range(10):
            page = requests.get(
                f"{base}/sync/pull", headers=headers, params={"cursor": cursor} if cursor else {}, timeout=30
            ).json()
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["has_more"]:
                break

    first, last, visits = CASELOADS["nurse"]
    patients = {c["record_id"] for c in changes if c["entity"] == "patient"}
    assert len(patients) == last - first
    assert sum(1 for c in changes if c["entity"] == "visit") == visits
    nurse = user_named(url, "nurse")
    assert nurse is not None
    database = Database(url)
    try:
        with database.read() as session:
            caseload = set(
                session.scalars(
                    sa.select(Assignment.patient_id).where(
                        Assignment.worker_id == nurse.id, Assignment.active
                    )
                )
            )
    finally:
        database.dispose()
    assert patients == {str(p) for p in caseload}  # only hers


def test_several_workers_need_postgresql(sqlite_url: str) -> None:
    result = fieldapp("server", "--port", "1", "--database", sqlite_url, "--workers", "2", timeout=60)
    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_cli_runs_as_a_module_too() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fieldapp", "admin", "--help"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    for action in ("create-user", "assign", "seed-demo", "migrate"):
        assert action in result.stdout
