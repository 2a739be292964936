"""The hostile-input corpus, grown by the integrity classes (issue 15), property-based, on SQLite and
PostgreSQL: arbitrary file bytes and declared types, signatures tampered in any part on the way in or in
the database, arbitrary bytes put in place of a stored file, audit entries naming anyone. Each case asserts
the clear refusal (or the flag) AND that nothing else changed.

Size: ``FIELDAPP_INTEGRITY_EXAMPLES`` examples per property (default 20, what CI runs; 500 for a long run).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.domain import files
from fieldapp.domain.audit import GENESIS, AuditAction, AuditContent
from fieldapp.server.models import Blob, DeviceAuditEvent, Record
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import Users
from tests.server.helpers import PNG, Device
from tests.server.scenario import DoneVisit, patient_on_caseload, work_visit

EXAMPLES = int(os.environ.get("FIELDAPP_INTEGRITY_EXAMPLES", "20"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
DECLARED = ["image/png", "application/pdf", "text/plain", "image/svg+xml", "application/octet-stream", ""]
MAGIC = [b"", files.KINDS[files.PNG].magic, files.KINDS[files.PDF].magic, b"<svg", b"GIF89a", b"\x00"]


def stored_files(client: TestClient) -> dict[str, tuple[str, int, bytes]]:
    with db.database(client).read() as session:
        return {b.sha256: (b.media_type, b.size, b.content) for b in session.scalars(sa.select(Blob))}


@pytest.fixture
def done(client: TestClient, office: Device, nurse: Device, users: Users) -> DoneVisit:
    p = patient_on_caseload(client, office, users.nurse)
    v = h.visit(p.id, users.nurse, datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0))
    office.push_ok(office.create(v))
    nurse.pull_all()
    return work_visit(nurse, v)


# -- uploads: arbitrary bytes and declared types -------------------------------------------------------------


@PROPERTY
@given(
    magic=st.sampled_from(MAGIC),
    body=st.binary(max_size=300),
    declared=st.sampled_from(DECLARED),
    misnamed=st.booleans(),
)
def test_any_bytes_under_any_declared_type_are_stored_only_when_the_bytes_are_that_type(
    client: TestClient, users: Users, nurse: Device, magic: bytes, body: bytes, declared: str, misnamed: bool
) -> None:
    content = magic + body
    name = hashlib.sha256(content + (b"!" if misnamed else b"")).hexdigest()
    before = stored_files(client)
    response = client.put(
        f"/blobs/{name}", content=content, headers={**nurse.headers, "Content-Type": declared or "x/none"}
    )
    acceptable = not misnamed and declared in files.KINDS and content and files.sniff(content) == declared
    if acceptable:
        assert response.status_code in (200, 201), response.text
        after = stored_files(client)
        assert after[name] == (declared, len(content), content)
        assert {k: v for k, v in after.items() if k != name} == {k: v for k, v in before.items() if k != name}
    else:
        assert response.status_code in (413, 422), response.text
        body_json = response.json()
        assert body_json["error"] in {"bad_media_type", "type_mismatch", "hash_mismatch", "empty_blob"}
        assert body_json["message"]
        assert stored_files(client) == before, "a refused upload stores nothing"


# -- signatures tampered on the way in -----------------------------------------------------------------------

PARTS = ["strokes", "signer", "content", "record", "image"]


def _tampered(values: dict[str, Any], part: str, data: st.DataObject, other_image: str) -> dict[str, Any]:
    values = dict(values)
    if part == "strokes":
        strokes = [[dict(p) for p in stroke] for stroke in values["strokes"]]
        point = strokes[0][data.draw(st.integers(0, len(strokes[0]) - 1))]
        field = data.draw(st.sampled_from(["x", "y", "t", "pressure"]))
        point[field] = data.draw(
            st.integers(0, 3_600_000).filter(lambda t: t != point["t"])
            if field == "t"
            else st.floats(0, 1).filter(lambda v: v != point[field])
        )
        values["strokes"] = strokes
    elif part == "signer":
        name = data.draw(st.sampled_from(["signer_name", "meaning"]))
        values[name] = data.draw(
            st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=40).filter(
                lambda text: text.strip() and text != values[name]
            )
        )
    elif part == "content":
        values["content_sha256"] = data.draw(st.binary(min_size=32, max_size=32)).hex()
    elif part == "record":
        values["signed_at"] = (
            datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=data.draw(st.integers(1, 10**7)))
        ).isoformat()
    else:
        values["image_sha256"] = other_image
    return values


@PROPERTY
@given(part=st.sampled_from(PARTS), data=st.data())
def test_a_signature_tampered_in_any_part_on_the_way_in_is_refused_and_nothing_is_stored(
    client: TestClient, users: Users, office: Device, nurse: Device, part: str, data: st.DataObject
) -> None:
    p = patient_on_caseload(client, office, users.nurse)
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(v))
    image = nurse.upload(PNG + uuid.uuid4().bytes)
    other = nurse.upload(PNG + uuid.uuid4().bytes)
    sig = h.signature_for(
        v, [], [], image, strokes=[[{"x": 1.5, "y": 2, "t": 0}, {"x": 4, "y": 8.5, "t": 16}]]
    )
    mutation = nurse.create(sig)
    wire = {name: change["v"] for name, change in mutation["changes"].items()}
    tampered = _tampered(wire, part, data, other)
    for name, value in tampered.items():
        mutation["changes"][name]["v"] = value
    before = db.snapshot(client)
    response = nurse.push(mutation)
    assert response.status_code == 422, response.text
    [rejection] = response.json()["rejected"]
    assert rejection["code"] in ("signature_mismatch", "invalid"), rejection
    if rejection["code"] == "signature_mismatch":
        assert set(rejection["problems"]) == {part}, (part, rejection)
    assert db.snapshot(client) == before


# -- signatures and files tampered in the database -----------------------------------------------------------


@PROPERTY
@given(part=st.sampled_from(PARTS), data=st.data())
def test_a_stored_signature_tampered_in_any_part_is_reported_as_that_part(
    client: TestClient, office: Device, done: DoneVisit, part: str, data: st.DataObject
) -> None:
    with db.database(client).read() as session:
        row = session.get(Record, done.signature.id)
        assert row is not None
        original = dict(row.fields)
    tampered = _tampered(original, part, data, "ab" * 32)
    try:
        with db.database(client).write() as session:
            session.execute(sa.update(Record).where(Record.id == done.signature.id).values(fields=tampered))
        report = client.get(f"/admin/signatures/{done.signature.id}/check", headers=office.headers).json()
        assert report["status"] == "altered"
        assert [p for p, state in report["parts"].items() if state != "ok"] == [part], report
    finally:
        with db.database(client).write() as session:
            session.execute(sa.update(Record).where(Record.id == done.signature.id).values(fields=original))
    assert (
        client.get(f"/admin/signatures/{done.signature.id}/check", headers=office.headers).json()["status"]
        == "intact"
    )


@PROPERTY
@given(
    magic=st.sampled_from(MAGIC),
    body=st.binary(max_size=200),
    media_type=st.sampled_from(["image/png", "application/pdf"]),
)
def test_whatever_bytes_are_put_in_place_of_a_stored_file_they_are_served_only_if_they_match(
    client: TestClient,
    office: Device,
    nurse: Device,
    done: DoneVisit,
    magic: bytes,
    body: bytes,
    media_type: str,
) -> None:
    with db.database(client).read() as session:
        blob = session.get(Blob, done.image_sha)
        assert blob is not None
        original = (blob.content, blob.media_type, blob.size)
    content = magic + body
    try:
        with db.database(client).write() as session:
            session.execute(
                sa.update(Blob)
                .where(Blob.sha256 == done.image_sha)
                .values(content=content, media_type=media_type, size=len(content))
            )
        response = client.get(f"/blobs/{done.image_sha}", headers=nurse.headers)
        intact = hashlib.sha256(content).hexdigest() == done.image_sha and files.sniff(content) == media_type
        if intact:
            assert response.status_code == 200 and response.content == content
        else:
            assert response.status_code == 409 and response.json()["error"] == "file_damaged"
            assert response.headers["content-type"] == "application/json", "an error, never the bytes"
    finally:
        with db.database(client).write() as session:
            session.execute(
                sa.update(Blob)
                .where(Blob.sha256 == done.image_sha)
                .values(content=original[0], media_type=original[1], size=original[2])
            )
    assert client.get(f"/blobs/{done.image_sha}", headers=nurse.headers).status_code == 200


# -- audit entries naming anyone ---------------------------------------------------------------------------


@PROPERTY
@given(
    username=st.text(st.characters(blacklist_categories=["Cc", "Cs"]), min_size=1, max_size=64).filter(
        lambda name: name.strip() and name == " ".join(name.split())
    ),
    action=st.sampled_from(
        [AuditAction.VIEW, AuditAction.EXPORT, AuditAction.SIGN_IN_FAILED, AuditAction.EDIT]
    ),
)
def test_audit_entries_naming_anyone_are_kept_with_the_uploader_and_flagged_unless_they_name_them(
    client: TestClient, users: Users, nurse: Device, username: str, action: AuditAction
) -> None:
    with db.database(client).read() as session:
        last = session.execute(
            sa.select(DeviceAuditEvent.seq, DeviceAuditEvent.hash)
            .where(DeviceAuditEvent.device_id == nurse.device_id)
            .order_by(DeviceAuditEvent.seq.desc())
            .limit(1)
        ).first()
    seq, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    content = AuditContent(
        uuid.uuid4(), seq, 1_790_000_000_000 + seq, username, action, None, None, "", previous
    )
    event = {
        "id": str(content.id), "seq": seq, "at_ms": content.at_ms, "username": username,
        "action": action.value, "entity": None, "record_id": None, "detail": "", "prev_hash": previous,
        "hash": content.digest(),
    }  # fmt: skip
    before = db.snapshot(client)
    response = client.post(
        "/audit/events", headers=nurse.headers, json={"device_id": nurse.device_id, "events": [event]}
    )
    assert response.status_code == 200, response.text
    assert db.snapshot(client) == before, "an audit upload changes no record"
    with db.database(client).read() as session:
        stored = session.get(DeviceAuditEvent, content.id)
    assert stored is not None and stored.user_id == users.nurse and stored.username == username
    names_another = username.strip().casefold() != "nurse"
    assert (stored.flag is not None) == (names_another and action is not AuditAction.SIGN_IN_FAILED)
