"""A signature binds everything captured at signing (decision 0016), on SQLite and PostgreSQL.

On arrival the server recomputes the digest and refuses a signature that lacks one or does not match it
(422, nothing stored, the attempt in the integrity log). Once stored, the API and the office visit page say
per signature which part no longer matches; signatures stored before digests are "made before digests",
not tampered. A stored file whose bytes no longer match its hash is never served.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain import signing
from fieldapp.domain.entities import DayReport
from fieldapp.domain.values import SignerRole, StrokePoint
from fieldapp.server.models import Blob, IntegrityProblem, Record
from tests.office.conftest import Browser
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import PASSWORD, Users
from tests.server.helpers import PNG, Device
from tests.server.scenario import DoneVisit, patient_on_caseload, work_visit


@pytest.fixture
def done(client: TestClient, office: Device, nurse: Device, users: Users) -> DoneVisit:
    """A visit the nurse worked and had signed, as the server holds it."""
    p = patient_on_caseload(client, office, users.nurse)
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    v = h.visit(p.id, users.nurse, start)
    office.push_ok(office.create(v))
    nurse.pull_all()
    return work_visit(nurse, v)


@pytest.fixture
def signed_in(client: TestClient, users: Users) -> Browser:
    browser = Browser(TestClient(client.app))
    assert browser.sign_in("office", PASSWORD).status_code == 303
    return browser


def check(client: TestClient, office: Device, signature_id: uuid.UUID) -> dict[str, Any]:
    response = client.get(f"/admin/signatures/{signature_id}/check", headers=office.headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def tamper(client: TestClient, record_id: uuid.UUID, **changes: Any) -> None:
    """Change a stored record's values directly in the database (as someone with database access would)."""
    with db.database(client).write() as session:
        row = session.get(Record, record_id)
        assert row is not None
        row.fields = {**row.fields, **changes}


def tamper_file(client: TestClient, sha: str, **changes: Any) -> None:
    with db.database(client).write() as session:
        blob = session.get(Blob, sha)
        assert blob is not None
        for name, value in changes.items():
            setattr(blob, name, value)


def log(client: TestClient) -> list[IntegrityProblem]:
    with db.database(client).read() as session:
        return list(session.scalars(sa.select(IntegrityProblem).order_by(IntegrityProblem.seq)))


# -- on arrival ----------------------------------------------------------------------------------------------


def _signature(nurse: Device, world_visit: h.Visit, **changes: Any) -> h.Entity:
    image = nurse.upload(PNG + uuid.uuid4().bytes)
    return h.signature_for(world_visit, [], [], image, **changes)


@pytest.fixture
def visit(client: TestClient, office: Device, nurse: Device, users: Users) -> h.Visit:
    p = patient_on_caseload(client, office, users.nurse)
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(v))
    nurse.pull_all()
    return v


def test_a_sealed_signature_is_accepted_and_stored_with_its_digest(
    client: TestClient, office: Device, nurse: Device, visit: h.Visit
) -> None:
    sig = _signature(nurse, visit)
    nurse.push_ok(nurse.create(sig))
    stored = db.record(client, sig.id)
    assert stored is not None and stored.fields["digest"]["sha256"] == sig.digest.sha256  # type: ignore[attr-defined]
    assert check(client, office, sig.id)["status"] == "intact"


def test_a_new_signature_without_a_digest_is_refused_and_nothing_is_stored(
    client: TestClient, nurse: Device, visit: h.Visit
) -> None:
    sig = _signature(nurse, visit, digest=None)
    before = db.snapshot(client)
    response = nurse.push(nurse.create(sig))
    assert response.status_code == 422
    [rejection] = response.json()["rejected"]
    assert rejection["code"] == "digest_missing" and "update the tablet" in rejection["message"]
    assert db.snapshot(client) == before


def _forge(sig: h.Entity, **changes: Any) -> h.Entity:
    """The signature with ``changes`` but the digest made before them (what a tampering in transit sends)."""
    return sig.model_copy(update=changes)


FORGERIES: list[tuple[str, dict[str, Any], set[str]]] = [
    ("a point moved", {"strokes": ((StrokePoint(x=9, y=2, t=0),),)}, {"strokes"}),
    ("a time changed", {"strokes": ((StrokePoint(x=1, y=2, t=5),),)}, {"strokes"}),
    ("a pressure changed", {"strokes": ((StrokePoint(x=1, y=2, t=0, pressure=0.9),),)}, {"strokes"}),
    ("another signer", {"signer_name": "Someone Else"}, {"signer"}),
    ("another role", {"signer_role": SignerRole.CAREGIVER}, {"signer"}),
    ("another meaning", {"meaning": "I refuse this visit."}, {"signer"}),
    ("another content digest", {"content_sha256": "ab" * 32}, {"content"}),
    ("another signing time", {"signed_at": datetime(2026, 1, 1, tzinfo=UTC)}, {"record"}),
]


@pytest.mark.parametrize(("what", "changes", "parts"), FORGERIES, ids=[f[0] for f in FORGERIES])
def test_a_signature_that_does_not_match_its_digest_is_refused_naming_the_part(
    client: TestClient, nurse: Device, visit: h.Visit, what: str, changes: dict[str, Any], parts: set[str]
) -> None:
    sig = _forge(_signature(nurse, visit), **changes)
    before = db.snapshot(client)
    response = nurse.push(nurse.create(sig))
    assert response.status_code == 422, what
    [rejection] = response.json()["rejected"]
    assert rejection["code"] == "signature_mismatch"
    assert set(rejection["problems"]) == parts and "does not match its digest" in rejection["message"]
    assert db.snapshot(client) == before, f"{what}: nothing is stored"
    [entry] = log(client)
    assert (entry.found_by, entry.kind, entry.subject) == ("push", "signature", str(sig.id))
    assert entry.user_id == nurse.user_id


def test_another_image_than_the_digest_names_is_refused(
    client: TestClient, nurse: Device, visit: h.Visit
) -> None:
    sig = _signature(nurse, visit)
    other = nurse.upload(PNG + b"another picture")
    before = db.snapshot(client)
    rejection = nurse.push(nurse.create(_forge(sig, image_sha256=other))).json()["rejected"][0]
    assert rejection["code"] == "signature_mismatch" and set(rejection["problems"]) == {"image"}
    assert db.snapshot(client) == before


def test_a_rewritten_digest_is_refused_as_altered(client: TestClient, nurse: Device, visit: h.Visit) -> None:
    sig = _signature(nurse, visit)
    assert sig.digest is not None  # type: ignore[attr-defined]
    forged = sig.digest.model_copy(update={"signer": "00" * 32})  # type: ignore[attr-defined]
    rejection = nurse.push(nurse.create(_forge(sig, digest=forged))).json()["rejected"][0]
    assert rejection["code"] == "signature_mismatch"
    assert set(rejection["problems"]) == {"signer", "digest"}


def test_a_signature_naming_a_pdf_as_its_image_is_refused(
    client: TestClient, nurse: Device, visit: h.Visit
) -> None:
    pdf = nurse.upload(b"%PDF-1.7\n" + uuid.uuid4().bytes, "application/pdf")
    sig = h.signature_for(visit, [], [], pdf)
    before = db.snapshot(client)
    rejection = nurse.push(nurse.create(sig)).json()["rejected"][0]
    assert rejection["code"] == "wrong_file_type" and "PNG image" in rejection["message"]
    assert db.snapshot(client) == before


def test_a_digest_is_never_added_to_a_signature_made_before_digests(
    client: TestClient, office: Device, nurse: Device, done: DoneVisit
) -> None:
    _made_before_digests(client, done)
    sealed = signing.digest_of(str(done.signature.id), done.wire[done.signature.id]).model_dump(mode="json")
    before = db.snapshot(client)
    adding = nurse.update("signature", done.signature.id, {"digest": sealed})
    adding["changes"]["digest"]["b"] = None  # the server holds no digest this change could build on
    rejection = nurse.push(adding).json()
    assert rejection["rejected"][0]["code"] == "immutable"
    assert db.snapshot(client) == before


# -- stored, then altered ------------------------------------------------------------------------------------


def test_an_intact_signature_reports_every_part_matching(
    client: TestClient, office: Device, done: DoneVisit, signed_in: Browser
) -> None:
    report = check(client, office, done.signature.id)
    assert report["status"] == "intact" and report["problems"] == []
    assert report["parts"] == dict.fromkeys(
        ["strokes", "signer", "record", "digest", "image", "content"], "ok"
    )
    page = signed_in.get(f"/office/visits/{done.visit.id}")
    assert "✓ intact" in page.text and f"/office/signatures/{done.signature.id}/image" in page.text
    assert log(client) == []


ALTERATIONS: list[tuple[str, dict[str, Any], str, str]] = [
    ("strokes", {"strokes": [[{"x": 50.0, "y": 2.0, "t": 0, "pressure": 0.5}]]}, "strokes", "pen strokes"),
    ("signer", {"signer_name": "Mallory"}, "signer", "the signer"),
    ("meaning", {"meaning": "Nothing happened."}, "signer", "the meaning"),
    ("role", {"signer_role": "spouse"}, "signer", "their role"),
    ("signing time", {"signed_at": "2020-01-01T00:00:00Z"}, "record", "signing time"),
    ("content digest", {"content_sha256": "cd" * 32}, "content", "attested visit content"),
    ("image reference", {"image_sha256": "ef" * 32}, "image", "image reference"),
]


@pytest.mark.parametrize(("what", "changes", "part", "words"), ALTERATIONS, ids=[a[0] for a in ALTERATIONS])
def test_a_stored_signature_altered_afterwards_names_the_part_on_the_api_and_the_office_page(
    client: TestClient,
    office: Device,
    done: DoneVisit,
    signed_in: Browser,
    what: str,
    changes: dict[str, Any],
    part: str,
    words: str,
) -> None:
    tamper(client, done.signature.id, **changes)
    report = check(client, office, done.signature.id)
    assert report["status"] == "altered", what
    assert report["parts"][part] == "mismatch"
    assert [p for p, state in report["parts"].items() if state != "ok"] == [part]
    assert any(words in problem for problem in report["problems"]), report["problems"]
    page = signed_in.get(f"/office/visits/{done.visit.id}")
    assert page.status_code == 200 and "✗ altered" in page.text and "✗ no longer matches" in page.text
    [entry] = log(client)
    assert (entry.found_by, entry.kind, entry.subject, entry.part) == (
        "api",
        "signature",
        str(done.signature.id),
        part,
    )
    signed_in.get(f"/office/visits/{done.visit.id}")
    assert len(log(client)) == 1, "the same problem is written once"


def test_the_image_bytes_altered_are_reported_withheld_and_never_served(
    client: TestClient, office: Device, nurse: Device, done: DoneVisit, signed_in: Browser
) -> None:
    tamper_file(client, done.image_sha, content=PNG + b"someone else's scribble")
    report = check(client, office, done.signature.id)
    assert report["parts"]["image"] == "mismatch" and report["status"] == "altered"
    assert "the image bytes do not match the image hash" in report["problems"][0]
    for device in (office, nurse):
        response = client.get(f"/blobs/{done.image_sha}", headers=device.headers)
        assert response.status_code == 409, response.text
        body = response.json()
        assert body["error"] == "file_damaged" and "withheld" in body["message"]
        assert b"scribble" not in response.content
    image = signed_in.get(f"/office/signatures/{done.signature.id}/image")
    assert image.status_code == 409 and image.headers["content-type"].startswith("image/svg+xml")
    assert b"withheld" in image.content and b"scribble" not in image.content
    page = signed_in.get(f"/office/visits/{done.visit.id}")
    assert "Signature image withheld" in page.text
    assert f"/office/signatures/{done.signature.id}/image" not in page.text
    entries = log(client)
    assert {(e.kind, e.subject, e.part) for e in entries} == {
        ("file", done.image_sha, "bytes"),
        ("signature", str(done.signature.id), "image"),
    }
    assert {e.found_by for e in entries} <= {"download", "office", "api"}
    problems = signed_in.get("/office/integrity")
    assert problems.status_code == 200 and f"/office/visits/{done.visit.id}" in problems.text
    assert 'href="/office/integrity"' in problems.text and "hash to" in problems.text


def test_a_file_stored_under_the_wrong_type_is_withheld(
    client: TestClient, office: Device, done: DoneVisit
) -> None:
    tamper_file(client, done.image_sha, media_type="application/pdf")
    response = client.get(f"/blobs/{done.image_sha}", headers=office.headers)
    assert response.status_code == 409 and "stored as application/pdf" in response.json()["message"]
    assert check(client, office, done.signature.id)["parts"]["image"] == "mismatch"


def test_the_visit_content_changed_after_signing_is_reported_but_an_amendment_is_not(
    client: TestClient, office: Device, nurse: Device, done: DoneVisit, users: Users
) -> None:
    amendment = h.note(
        done.visit, users.nurse, text="Addendum: called the daughter.", amends=done.notes[0].id
    )
    # Written an hour after the signature (the visit was at 09:00 today: "now" may be before it).
    written = done.signature.signed_at + timedelta(hours=1)
    nurse.push_ok(nurse.create(amendment.revise(written_at=written)))
    assert check(client, office, done.signature.id)["status"] == "intact", "an addendum is not a change"
    tamper(client, done.notes[0].id, text="Wound infected.")
    report = check(client, office, done.signature.id)
    assert report["parts"]["content"] == "mismatch" and report["status"] == "altered"
    assert "differs from what was signed" in report["problems"][0]


def _made_before_digests(client: TestClient, done: DoneVisit) -> None:
    """Make the stored signature look like one stored before this change (no digest field at all)."""
    with db.database(client).write() as session:
        row = session.get(Record, done.signature.id)
        assert row is not None
        row.fields = {k: v for k, v in row.fields.items() if k != "digest"}
        row.stamps = {k: v for k, v in row.stamps.items() if k != "digest"}


def test_a_signature_stored_before_digests_is_reported_as_such_not_as_tampered(
    client: TestClient, office: Device, done: DoneVisit, signed_in: Browser
) -> None:
    _made_before_digests(client, done)
    report = check(client, office, done.signature.id)
    assert report["status"] == "made_before_digests" and report["made_before_digests"]
    assert report["problems"] == []
    assert report["parts"] == {
        "strokes": "not recorded",
        "signer": "not recorded",
        "record": "not recorded",
        "digest": "not recorded",
        "image": "ok",
        "content": "ok",
    }
    page = signed_in.get(f"/office/visits/{done.visit.id}")
    assert "made before digests" in page.text and "✗ altered" not in page.text
    assert log(client) == []
    # Its image and content are still checked.
    tamper_file(client, done.image_sha, content=PNG + b"x")
    assert check(client, office, done.signature.id)["status"] == "altered"


def test_a_day_report_pdf_altered_is_withheld_on_the_report_page(
    client: TestClient, nurse: Device, done: DoneVisit, signed_in: Browser, users: Users
) -> None:
    pdf = b"%PDF-1.7\n% the nurse's day\n%%EOF\n"
    sha = nurse.upload(pdf, "application/pdf")
    report = DayReport(
        worker_id=users.nurse,
        day=done.visit.scheduled_start.date(),
        summary=dict.fromkeys(
            ["visits_scheduled", "visits_completed", "visits_missed", "visits_unsigned", "visits_missing_evv",
             "notes", "observations", "unsent_changes", "open_conflicts"], 0),
        pdf_sha256=sha,
        submitted_at=datetime.now(UTC),
    )  # fmt: skip
    nurse.push_ok(nurse.create(report))
    assert signed_in.get(f"/office/reports/{report.id}/pdf").content == pdf
    tamper_file(client, sha, content=b"%PDF-1.7\n% a different day\n%%EOF\n")
    page = signed_in.get(f"/office/reports/{report.id}")
    assert "The PDF is withheld" in page.text and f"/office/reports/{report.id}/pdf" not in page.text
    withheld = signed_in.get(f"/office/reports/{report.id}/pdf")
    assert withheld.status_code == 409 and b"a different day" not in withheld.content
    assert "PDF withheld" in withheld.text
    assert {(e.kind, e.subject, e.part) for e in log(client)} == {("file", sha, "bytes")}


def test_the_integrity_log_is_chained_and_listed_through_the_api(
    client: TestClient, office: Device, nurse: Device, done: DoneVisit
) -> None:
    tamper_file(client, done.image_sha, content=PNG + b"y")
    client.get(f"/blobs/{done.image_sha}", headers=nurse.headers)
    tamper(client, done.signature.id, signer_name="Mallory")
    check(client, office, done.signature.id)  # the API's check writes what it finds too
    response = client.get("/admin/integrity", headers=office.headers)
    assert response.status_code == 200
    entries = response.json()[::-1]  # oldest first
    assert [(e["found_by"], e["kind"], e["part"]) for e in entries] == [
        ("download", "file", "bytes"),
        ("api", "signature", "image"),
        ("api", "signature", "signer"),
    ]
    assert entries[0]["user_id"] == str(nurse.user_id) and entries[1]["user_id"] == str(office.user_id)
    assert entries[0]["prev_hash"] == "0" * 64
    assert all(later["prev_hash"] == earlier["hash"] for earlier, later in itertools.pairwise(entries))
    assert client.get("/admin/integrity", headers=nurse.headers).status_code == 403


def test_a_damaged_file_is_reported_once_however_often_it_is_asked_for(
    client: TestClient, office: Device, done: DoneVisit
) -> None:
    tamper_file(client, done.image_sha, content=PNG + b"z")
    for _ in range(3):
        assert client.get(f"/blobs/{done.image_sha}", headers=office.headers).status_code == 409
    assert len(log(client)) == 1
    assert hashlib.sha256(PNG + b"z").hexdigest() in log(client)[0].detail
