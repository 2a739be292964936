"""Deployment hardening: TLS by default, secure headers, no CORS, request size limits."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.server.api import create_app
from fieldapp.server.models import Record
from fieldapp.server.settings import Settings
from tests.server import helpers as h
from tests.server.conftest import PASSWORD
from tests.server.helpers import Device
from tests.server.scenario import running_server
from tests.server.test_cli_server import fieldapp

EXPECTED_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=31536000",
}


def records(client: TestClient) -> int:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        return session.scalar(sa.select(sa.func.count()).select_from(Record)) or 0


def test_every_answer_carries_the_security_headers(client: TestClient, nurse: Device) -> None:
    answers = [
        client.get("/health"),
        client.get("/sync/pull", headers=nurse.headers),
        client.get("/sync/pull"),  # 401
        client.get("/nowhere"),  # 404
        client.post("/sync/push", headers=nurse.headers, json={"device_id": "x"}),  # 422
    ]
    for answer in answers:
        for name, value in EXPECTED_HEADERS.items():
            assert answer.headers.get(name) == value, (answer.request.url, name)
        assert "default-src 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["cache-control"] == "no-store" or answer.request.url.path.startswith("/blobs")


def test_no_cross_origin_access_is_granted(client: TestClient, nurse: Device) -> None:
    origin = {"Origin": "https://evil.example"}
    preflight = client.options(
        "/sync/pull",
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code in (404, 405)
    simple = client.get("/sync/pull", headers={**nurse.headers, **origin})
    for answer in (preflight, simple):
        assert not any(name.lower().startswith("access-control-") for name in answer.headers)


def test_a_body_over_the_limit_is_refused_before_it_is_read_and_nothing_is_stored(
    app_factory: Callable[..., TestClient], users: object
) -> None:
    client = app_factory(max_body_bytes=64 * 1024)
    office = Device.sign_in(client, "office", PASSWORD, "office1")
    fill = "x" * 2000
    mutations = [office.create(h.patient(care_plan=fill)) for _ in range(60)]  # about 150 KB
    answer = office.push(*mutations)
    assert answer.status_code == 413
    assert answer.json()["error"] and answer.json()["message"]
    assert records(client) == 0

    def chunks():  # no Content-Length: the limit holds for a streamed body too
        yield b'{"device_id": "office1", "mutations": ['
        for _ in range(100):
            yield b" " * 1024
        yield b"]}"

    streamed = client.post(
        "/sync/push", headers={**office.headers, "Content-Type": "application/json"}, content=chunks()
    )
    assert streamed.status_code == 413
    assert records(client) == 0
    client.app.state.access_log.flush()  # type: ignore[attr-defined]
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        statuses = (
            session.execute(sa.text("SELECT status FROM api_access WHERE route = '/sync/push'"))
            .scalars()
            .all()
        )
    assert sorted(statuses) == [413, 413], "the refusals are in the access log as what the client got"


def test_the_server_refuses_plain_http_beyond_loopback_unless_told(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    refused = fieldapp("server", "--host", "0.0.0.0", "--database", url, timeout=60)
    assert refused.returncode == 2
    assert "plain HTTP" in refused.stderr and "--tls-cert" in refused.stderr
    half = fieldapp("server", "--tls-cert", "cert.pem", "--database", url, timeout=60)
    assert half.returncode == 2 and "together" in half.stderr


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_the_server_serves_https_with_the_given_certificate(
    tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    with running_server(url, workers=1, tls=certificate) as (base, _):
        assert base.startswith("https://")
        health = requests.get(f"{base}/health", timeout=10, verify=str(certificate[0]))
        assert health.status_code == 200
        assert health.headers["strict-transport-security"] == "max-age=31536000"
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{base}/health", timeout=10)  # an unknown certificate is not trusted
        plain = base.replace("https://", "http://")
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(f"{plain}/health", timeout=10)


def test_a_declared_body_over_the_limit_is_refused_even_where_the_route_reads_none(
    app_factory: Callable[..., TestClient],
) -> None:
    client = app_factory(max_body_bytes=1024)
    answer = client.request("GET", "/health", content=b"x" * 2048, headers={"X-Request-ID": "big-1"})
    assert answer.status_code == 413
    assert answer.json()["error"] == "too_large"
    assert answer.headers["x-request-id"] == "big-1"
    for name, value in EXPECTED_HEADERS.items():
        assert answer.headers.get(name) == value, name
    assert client.get("/health", headers={"Content-Length": "1024"}).status_code == 200  # at the limit


def test_a_server_failure_answers_json_with_its_request_id_and_the_security_headers(
    settings: Settings, users: object
) -> None:
    app = create_app(settings, migrate_schema=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        database = app.state.database
        with database.write() as session:  # the server's own table gone: its queries fail
            session.execute(sa.text("ALTER TABLE users RENAME TO users_gone"))
        try:
            answer = client.post(
                "/auth/login",
                json={"username": "office", "password": PASSWORD, "device_id": "office1"},
                headers={"X-Request-ID": "fail-1"},
            )
        finally:
            with database.write() as session:
                session.execute(sa.text("ALTER TABLE users_gone RENAME TO users"))
    assert answer.status_code == 500
    assert answer.json()["error"] == "internal" and answer.json()["request_id"] == "fail-1"
    assert "Traceback" not in answer.text
    assert answer.headers["x-request-id"] == "fail-1"
    for name, value in EXPECTED_HEADERS.items():
        assert answer.headers.get(name) == value, name
