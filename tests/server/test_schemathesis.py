"""Property-based API tests from the published OpenAPI schema (schemathesis): whatever a client sends, the
server answers without a 5xx and with a response that matches the schema it publishes.

Runs on SQLite only (the contract suite covers PostgreSQL); signed in as office staff and as a field
worker, on a database holding a little of everything so that some generated requests reach real records.
Examples are bounded so the file runs in well under a minute.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fieldapp.domain.entities import DayReport
from fieldapp.domain.values import DaySummary
from fieldapp.server.api import create_app
from fieldapp.server.auth import sessions as auth
from fieldapp.server.models import Record
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import LoginRequest, Role
from tests.server import helpers as h
from tests.server.conftest import PASSWORD, Users
from tests.server.helpers import Device
from tests.server.scenario import change_counter, rows

CHECKS = [
    schemathesis.checks.not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
EXAMPLES = 15
# A PDF upload is bytes like any other file.
schemathesis.serializer.alias("application/pdf", "application/octet-stream")


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    """The app on a database with users, a patient on the nurse's caseload, a visit, a signature with its
    image and a day report with its PDF; and a bearer token per role."""
    path = tmp_path_factory.mktemp("schemathesis") / "server.db"
    shutil.copy(sqlite_template, path)
    app = create_app(Settings(database_url=f"sqlite:///{path}", heartbeat_s=0.2), migrate_schema=False)
    with TestClient(app) as client:
        now = datetime.now(UTC)
        with app.state.database.write() as session:
            auth.create_user(session, "office", PASSWORD, Role.OFFICE, now)
            auth.create_user(session, "nurse", PASSWORD, Role.WORKER, now)
        office = Device.sign_in(client, "office", PASSWORD, "office1")
        nurse = Device.sign_in(client, "nurse", PASSWORD, "tablet1")
        p = h.patient()
        v = h.visit(p.id, nurse.user_id)
        office.push_ok(office.create(p), office.create(v))
        assert client.put(f"/caseloads/{nurse.user_id}/{p.id}", headers=office.headers).status_code == 204
        image = nurse.upload(h.PNG)
        nurse.push_ok(nurse.create(h.signature_for(v, [], [], image)))
        pdf = b"%PDF-1.7 day"
        nurse.upload(pdf, "application/pdf")
        report = DayReport(
            worker_id=nurse.user_id,
            day=date.today(),
            summary=dict.fromkeys(DaySummary.model_fields, 0),
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            submitted_at=now,
        )
        body = {"device_id": "tablet1", "mutations": [nurse.create(report)]}
        assert client.post("/reports/day", headers=nurse.headers, json=body).status_code == 200
    yield app, {"office": office.token, "nurse": nurse.token}


def published_schema() -> dict[str, object]:
    """The schema the server publishes at /openapi.json (read from an app that never opens its database)."""
    app = create_app(Settings(database_url="sqlite://", api_docs=True), migrate_schema=False)
    response = TestClient(app).get("/openapi.json")  # no lifespan: nothing starts
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


# Loaded when the module is collected (schemathesis builds one test per operation from it); the requests
# go to the seeded app, passed as ``app`` at each call. (``schemathesis.pytest.from_fixture`` would load
# it lazily, but fails on this pytest version: it reads ``request.node._nodeid``.)
schema = schemathesis.openapi.from_dict(published_schema())


SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def sign_in(app: FastAPI, username: str) -> str:
    """A new session's access token (for the sign-out operation, which ends the session it is given)."""
    request = LoginRequest(username=username, password=PASSWORD, device_id="schemathesis")
    with app.state.database.write() as session:
        return auth.login(session, app.state.settings, request, datetime.now(UTC)).access_token


def call(case: schemathesis.Case, seeded: tuple[FastAPI, dict[str, str]], username: str) -> None:
    app, tokens = seeded
    token = sign_in(app, username) if case.path == "/auth/logout" else tokens[username]
    headers = {"Authorization": f"Bearer {token}"}
    # An event stream never ends: read what arrives in 0.6 s (heartbeats come every 0.2 s).
    timeout = 0.6 if case.path == "/sync/events" else 30.0
    case.call_and_validate(app=app, headers=headers, checks=CHECKS, timeout=timeout)


@schema.parametrize()
@SETTINGS
def test_api_as_office(case: schemathesis.Case, seeded: tuple[FastAPI, dict[str, str]]) -> None:
    call(case, seeded, "office")


@schema.parametrize()
@SETTINGS
def test_api_as_worker(case: schemathesis.Case, seeded: tuple[FastAPI, dict[str, str]]) -> None:
    call(case, seeded, "nurse")


# -- values the schema admits but a database cannot hold (found probing PostgreSQL; both databases) ---------


def test_values_the_database_cannot_hold_are_refused_with_422_and_change_nothing(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    before = rows(client, Record), change_counter(client)
    p = h.patient()
    nul_in_address = office.create(p)
    nul_in_address["changes"]["address"] = {
        "v": {"line1": "12 Main\u0000St", "city": "Millbrook"},
        "s": nul_in_address["changes"]["mrn"]["s"],
    }
    pdf = b"%PDF-1.7 big"
    nurse.upload(pdf, "application/pdf")
    report = DayReport(
        worker_id=users.nurse,
        day=date.today(),
        summary=dict.fromkeys(DaySummary.model_fields, 0),
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        submitted_at=datetime.now(UTC),
    )
    huge_count = nurse.create(report)
    huge_count["changes"]["summary"]["v"]["notes"] = 10**30  # valid to the schema, beyond 64 bits

    answers = {
        "NUL in an address": office.push(nul_in_address),
        "a count beyond 64 bits": nurse.push(huge_count),
        "NUL in a user name": client.post(
            "/auth/login", json={"username": "nu\u0000rse", "password": PASSWORD, "device_id": "t9"}
        ),
        "NUL in an app version": client.post(
            "/auth/login",
            json={"username": "nurse", "password": PASSWORD, "device_id": "t9", "app_version": "1.0\u0000"},
        ),
    }

    for case, answer in answers.items():
        assert answer.status_code == 422, (case, answer.text)
        body = answer.json()
        assert "unstorable_value" in [body["error"]] + [r["code"] for r in body["rejected"]], case
    # A push names the refused change, so the device sets it aside instead of retrying it for ever.
    assert [r["mutation_id"] for r in answers["NUL in an address"].json()["rejected"]] == [
        nul_in_address["mutation_id"]
    ]
    assert (rows(client, Record), change_counter(client)) == before
    # The six characters backslash-u-0-0-0-0 are just text.
    v = h.visit(p.id, users.nurse)
    ok = office.create(p)
    office.push_ok(
        ok, office.create(v), office.create(h.note(v, users.office, text="typed \\u0000 literally"))
    )
