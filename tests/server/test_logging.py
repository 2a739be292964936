"""Structured request logs: one JSON line per request, with a request id, and no patient data."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient

from tests.server import helpers as h
from tests.server.conftest import Users
from tests.server.helpers import Device


def test_request_logs_are_json_with_ids_and_hold_no_patient_data(
    client: TestClient, users: Users, office: Device, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="fieldapp.server")
    p = h.patient(given_name="Philippa", family_name="Quennell-Smythe", phone="555-0987")
    response = office.push(office.create(p))
    assert response.status_code == 200
    assert client.get(f"/blobs/{'ab' * 32}", headers=office.headers).status_code == 404
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "fieldapp.server"]
    push = next(line for line in lines if line["route"] == "/sync/push")
    assert push["status"] == 200 and push["method"] == "POST" and push["user"] == str(users.office)
    assert push["request_id"] == response.headers["x-request-id"]
    assert any(line["route"].startswith("/blobs/{sha256") and line["status"] == 404 for line in lines)
    text = caplog.text
    for secret in ("Philippa", "Quennell", "555-0987", str(p.id), "ab" * 32, office.token):
        assert secret not in text


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client: TestClient) -> None:
    kept = client.get("/health", headers={"X-Request-ID": "lb-1234.abc"})
    assert kept.headers["x-request-id"] == "lb-1234.abc"
    hostile = client.get("/health", headers={"X-Request-ID": 'x" injected: true'})
    assert hostile.headers["x-request-id"] != 'x" injected: true'
    assert hostile.headers["x-content-type-options"] == "nosniff"
    assert hostile.headers["cache-control"] == "no-store"
