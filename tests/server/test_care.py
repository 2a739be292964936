"""Care documentation on the server, on SQLite and PostgreSQL: tasks, outcomes, medications and attachments
sync like every record (caseload, per-field merge), outcomes are checked against their visit and locked once
signed, a signature attests them, and files go up resumably (offsets, SHA-256 checked on arrival)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from fieldapp.domain.care import CareTask, Outcome, TaskOutcome, outcome_id
from fieldapp.server.models import Blob, BlobUpload, ConflictEntry
from tests import factories
from tests.server import helpers as h
from tests.server.helpers import Device
from tests.server.scenario import DoneVisit, patient_on_caseload, rows, work_visit

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40


def _outcome(v: h.Visit, task: CareTask, outcome: Outcome | None, **extra: Any) -> TaskOutcome:
    return TaskOutcome(
        id=outcome_id(v.id, task.id),
        visit_id=v.id,
        patient_id=v.patient_id,
        task_id=task.id,
        code=task.code,
        title=task.label,
        outcome=outcome,
        recorded_at=datetime.now(UTC),
        **extra,
    )


def _attachment(p: h.Patient, v: h.Visit, **extra: Any) -> Any:
    """A camera photo of the visit, named by ``JPEG``'s hash."""
    return h.entity_type("attachment")(
        patient_id=p.id,
        visit_id=v.id,
        sha256=hashlib.sha256(JPEG).hexdigest(),
        media_type="image/jpeg",
        byte_size=len(JPEG),
        source="camera",
        taken_at=datetime.now(UTC) - timedelta(minutes=1),
        **extra,
    )


def _visit(client: TestClient, office: Device, nurse: Device) -> tuple[h.Patient, h.Visit, CareTask]:
    p = patient_on_caseload(client, office, nurse.user_id)
    v = h.visit(p.id, nurse.user_id)
    task = factories.care_task(p.id)
    office.push_ok(office.create(v), office.create(task))
    nurse.pull_all()
    return p, v, task


def test_the_plan_and_medications_reach_the_worker_and_outcomes_come_back(
    client: TestClient, office: Device, nurse: Device, aide: Device
) -> None:
    p, v, task = _visit(client, office, nurse)
    med = factories.medication(p.id)
    office.push_ok(office.create(med))
    pulled = {c["entity"] for page in nurse.pull_all() for c in page["changes"]}
    assert {"medication"} <= pulled and task.id in nurse.replica
    assert not any(c["entity"] == "care_task" for page in aide.pull_all() for c in page["changes"]), (
        "another worker's patients' plans stay off their tablet"
    )
    nurse.push_ok(nurse.create(_outcome(v, task, Outcome.REFUSED, reason="Asleep")))
    office.pull_all()
    assert office.values(outcome_id(v.id, task.id))["reason"] == "Asleep"


def test_an_outcome_of_another_patients_visit_or_without_a_reason_is_refused(
    client: TestClient, office: Device, nurse: Device
) -> None:
    _, v, task = _visit(client, office, nurse)
    wrong = _outcome(v, task, Outcome.DONE).model_dump(mode="json") | {"patient_id": str(uuid.uuid4())}
    mutation = nurse.create(_outcome(v, task, Outcome.DONE))
    mutation["changes"]["patient_id"]["v"] = wrong["patient_id"]
    response = nurse.push(mutation)
    assert response.status_code in (403, 422), response.text
    no_reason = nurse.create(_outcome(v, task, Outcome.DONE))
    no_reason["changes"]["outcome"]["v"] = "could_not_do"
    response = nurse.push(no_reason)
    assert response.status_code == 422 and "needs a reason" in response.text


def test_the_nurses_and_the_offices_edits_of_different_medication_fields_both_survive(
    client: TestClient, office: Device, nurse: Device
) -> None:
    p = patient_on_caseload(client, office, nurse.user_id)
    med = factories.medication(p.id)
    office.push_ok(office.create(med))
    nurse.pull_all()
    office.pull_all()
    nurse_edit = nurse.update("medication", med.id, {"dose": "2 tablets"})  # made offline, sent later
    office.push_ok(office.update("medication", med.id, {"prescriber": "Dr. Lee Chen"}))
    nurse.push_ok(nurse_edit)
    office.pull_all()
    values = office.values(med.id)
    assert (values["dose"], values["prescriber"]) == ("2 tablets", "Dr. Lee Chen")
    assert rows(client, ConflictEntry) == 0


def signed_with_outcome(client: TestClient, office: Device, nurse: Device) -> tuple[TaskOutcome, DoneVisit]:
    """A visit whose one task the nurse recorded done, then worked and had signed."""
    _, v, task = _visit(client, office, nurse)
    done = _outcome(v, task, Outcome.DONE)
    nurse.push_ok(nurse.create(done))
    return done, work_visit(nurse, v, outcomes=[done])


def test_a_signature_attests_the_outcomes_and_locks_them(
    client: TestClient, office: Device, nurse: Device
) -> None:
    done, _ = signed_with_outcome(client, office, nurse)
    assert rows(client, ConflictEntry, ConflictEntry.reason == "attestation_mismatch") == 0
    response = nurse.push(nurse.update("task_outcome", done.id, {"outcome": "not_needed"}))
    assert response.status_code == 422 and "signed" in response.text


# -- resumable uploads ------------------------------------------------------------------------------------


def _patch(
    client: TestClient, who: Device, content: bytes, offset: int, piece: bytes, media: str = "image/jpeg"
):  # type: ignore[no-untyped-def]
    headers = {
        **who.headers,
        "Content-Type": "application/offset+octet-stream",
        "Upload-Offset": str(offset),
        "Upload-Length": str(len(content)),
        "Upload-Type": media,
    }
    return client.patch(f"/uploads/{hashlib.sha256(content).hexdigest()}", content=piece, headers=headers)


def test_a_file_goes_up_in_pieces_at_the_offsets_the_server_holds(client: TestClient, nurse: Device) -> None:
    sha = hashlib.sha256(JPEG).hexdigest()
    missing = client.get(f"/uploads/{sha}", headers=nurse.headers)
    assert missing.status_code == 404 and missing.json()["error"] == "no_upload"
    first = _patch(client, nurse, JPEG, 0, JPEG[:4000])
    assert first.status_code == 200 and first.json() == {
        "sha256": sha,
        "size": len(JPEG),
        "offset": 4000,
        "media_type": "image/jpeg",
        "complete": False,
    }
    assert client.get(f"/uploads/{sha}", headers=nurse.headers).json()["offset"] == 4000
    again = _patch(client, nurse, JPEG, 0, JPEG[:4000])
    assert again.status_code == 409 and again.json()["error"] == "offset_mismatch"
    last = _patch(client, nurse, JPEG, 4000, JPEG[4000:])
    assert last.status_code == 200 and last.json()["complete"] is True
    assert rows(client, Blob) == 1 and rows(client, BlobUpload) == 0
    assert client.get(f"/uploads/{sha}", headers=nurse.headers).json()["complete"] is True


def test_a_file_that_is_not_its_name_or_not_its_type_is_discarded(client: TestClient, nurse: Device) -> None:
    forged = bytearray(JPEG)
    sha = hashlib.sha256(JPEG).hexdigest()
    forged[-1] ^= 0xFF
    headers = {
        **nurse.headers,
        "Upload-Offset": "0",
        "Upload-Length": str(len(JPEG)),
        "Upload-Type": "image/jpeg",
    }
    response = client.patch(f"/uploads/{sha}", content=bytes(forged), headers=headers)
    assert response.status_code == 422 and response.json()["error"] == "hash_mismatch"
    html = b"<html>" + b"x" * 100
    response = _patch(client, nurse, html, 0, html)
    assert response.status_code == 422 and response.json()["error"] == "type_mismatch"
    response = _patch(client, nurse, JPEG, 0, JPEG[:10], media="image/gif")
    assert response.status_code == 422 and response.json()["error"] == "bad_media_type"
    assert rows(client, Blob) == 0 and rows(client, BlobUpload) == 0


def test_an_attachment_needs_its_file_and_is_readable_by_the_caseloads_workers(
    client: TestClient, office: Device, nurse: Device, aide: Device
) -> None:
    p, v, _ = _visit(client, office, nurse)
    attachment = _attachment(p, v)
    response = nurse.push(nurse.create(attachment))
    assert response.status_code == 422 and "blob_missing" in response.text
    assert _patch(client, nurse, JPEG, 0, JPEG).json()["complete"]
    nurse.push_ok(nurse.create(attachment))
    sha = attachment.sha256  # type: ignore[attr-defined]
    assert client.get(f"/blobs/{sha}", headers=nurse.headers).content == JPEG
    assert client.get(f"/blobs/{sha}", headers=aide.headers).status_code == 403
