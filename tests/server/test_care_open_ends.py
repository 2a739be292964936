"""Care documentation's open ends on the server, on SQLite and PostgreSQL (decision 0034): the exception for
tasks left open reaches the office's queue with its tasks; an outcome changed after signing is reported
like any tampering while an entered-in-error mark is accepted and leaves the signature intact; the day's
receipt names the task outcomes; a photo's thumbnail must be stored with its record and is readable by the
caseload's workers (the office pages showing what was entered in error: tests/office/test_care_pages.py)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from fieldapp.domain.attestation import record_digest
from fieldapp.domain.care import Outcome
from fieldapp.domain.entities import VisitException
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.server.models import ConflictEntry
from tests.server import serverdb as db
from tests.server.conftest import Users
from tests.server.helpers import Device
from tests.server.scenario import rows
from tests.server.test_care import JPEG, _attachment, _outcome, _patch, _visit, signed_with_outcome
from tests.server.test_reports import PDF, day_report, items_of, submit
from tests.server.test_signature_integrity import check, tamper

THUMB = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(200, 256)) * 8


def test_tasks_left_open_reach_the_office_queue_with_their_names(
    client: TestClient, office: Device, nurse: Device
) -> None:
    _, v, _ = _visit(client, office, nurse)
    code = ExceptionCode.TASKS_NOT_COMPLETED
    about = {"visit_id": v.id, "patient_id": v.patient_id, "worker_id": v.worker_id}
    left_open = {
        "detail": "2 tasks left open: Bathing, Meal preparation",
        "tasks": ("Bathing", "Meal preparation"),
    }
    record = VisitException.model_validate(
        {"id": exception_id(v.id, code), "code": code, "detected_at": datetime.now(UTC), **about, **left_open}
        | {"reason": ExceptionReason.OUT_OF_TIME}
    )
    nurse.push_ok(nurse.create(record))
    queue = office.client.get(
        "/admin/exceptions",
        headers=office.headers,
        params={"day": v.scheduled_start.date().isoformat(), "code": "tasks_not_completed"},
    ).json()
    [item] = queue["items"]
    assert item["id"] == str(record.id) and item["state"] == "open"
    assert "Bathing, Meal preparation" in item["detail"] and item["code"] == "tasks_not_completed"
    office.pull_all()
    assert office.values(record.id)["tasks"] == ["Bathing", "Meal preparation"]


def test_an_outcome_changed_after_signing_is_reported_but_its_error_mark_is_not(
    client: TestClient, office: Device, nurse: Device
) -> None:
    done, worked = signed_with_outcome(client, office, nurse)
    assert check(client, office, worked.signature.id)["status"] == "intact"

    marked = nurse.update("task_outcome", done.id, {"entered_in_error": True, "error_reason": "Wrong row"})
    nurse.push_ok(marked)
    assert check(client, office, worked.signature.id)["status"] == "intact", "the mark is no change"
    refused = nurse.push(nurse.update("task_outcome", done.id, {"note": "after the fact"}))
    assert refused.status_code == 422 and "signed" in refused.text

    tamper(client, done.id, outcome="refused", reason="asleep")
    report = check(client, office, worked.signature.id)
    assert report["parts"]["content"] == "mismatch" and report["status"] == "altered"
    assert "tasks" in report["problems"][0]
    assert rows(client, ConflictEntry, ConflictEntry.reason == "attestation_mismatch") == 0


def test_the_day_receipt_names_the_task_outcomes(
    client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    _, v, task = _visit(client, office, nurse)
    done = _outcome(v, task, Outcome.DONE)
    nurse.push_ok(nurse.create(done))
    nurse.upload(PDF, "application/pdf")
    receipt = submit(nurse, nurse.create(day_report(users.nurse, day=v.scheduled_start.date()))).json()
    items = items_of(receipt)
    assert ("task_outcome", done.id) in items
    nurse.pull_all()
    assert items[("task_outcome", done.id)] == record_digest(
        "task_outcome", str(done.id), nurse.values(done.id)
    )


def test_a_photos_thumbnail_comes_with_it_and_is_readable_by_the_caseloads_workers(
    client: TestClient, office: Device, nurse: Device, aide: Device, users: Users
) -> None:
    p, v, _ = _visit(client, office, nurse)
    photo = _attachment(p, v, thumbnail_sha256=hashlib.sha256(THUMB).hexdigest())
    assert _patch(client, nurse, JPEG, 0, JPEG).json()["complete"]
    response = nurse.push(nurse.create(photo))
    assert response.status_code == 422 and "blob_missing" in response.text, "the thumbnail is not stored yet"
    assert _patch(client, nurse, THUMB, 0, THUMB).json()["complete"]
    nurse.push_ok(nurse.create(photo))
    thumb = photo.thumbnail_sha256
    assert client.get(f"/blobs/{thumb}", headers=aide.headers).status_code == 403, "not on her caseload"
    db.assign(office, users.aide, p.id)
    assert client.get(f"/blobs/{thumb}", headers=aide.headers).content == THUMB
    assert client.get(f"/blobs/{photo.sha256}", headers=aide.headers).content == JPEG
