"""Content-addressed files: an upload is checked against its name, stored once, and readable by the people
who may read a record that uses it."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from fieldapp.server.models import Blob
from tests.server import helpers as h
from tests.server.conftest import Users
from tests.server.helpers import Device
from tests.server.scenario import patient_on_caseload, rows

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def put(client: TestClient, who: Device, name: str, content: bytes, media_type: str | None = "image/png"):  # type: ignore[no-untyped-def]
    headers = dict(who.headers)
    if media_type is not None:
        headers["Content-Type"] = media_type
    return client.put(f"/blobs/{name}", content=content, headers=headers)


# -- upload -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "media_type"), [(h.PNG, "image/png"), (PDF, "application/pdf")])
def test_upload_is_stored_under_its_hash_and_read_back_with_its_media_type(
    client: TestClient, nurse: Device, content: bytes, media_type: str
) -> None:
    response = put(client, nurse, sha(content), content, media_type)
    assert response.status_code == 201, response.text

    download = client.get(f"/blobs/{sha(content)}", headers=nurse.headers)
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["content-type"] == media_type
    assert download.headers["etag"] == f'"{sha(content)}"'


def test_media_type_parameters_and_case_are_ignored(client: TestClient, nurse: Device) -> None:
    assert put(client, nurse, sha(h.PNG), h.PNG, "Image/PNG; charset=binary").status_code == 201
    assert client.get(f"/blobs/{sha(h.PNG)}", headers=nurse.headers).headers["content-type"] == "image/png"


def test_content_that_does_not_match_its_name_is_refused_and_nothing_is_stored(
    client: TestClient, nurse: Device, office: Device
) -> None:
    claimed = sha(h.PNG)
    response = put(client, nurse, claimed, h.PNG + b"tampered")
    assert response.status_code == 422
    assert response.json()["error"] == "hash_mismatch"
    assert sha(h.PNG + b"tampered") in response.json()["message"]
    assert rows(client, Blob) == 0
    assert client.get(f"/blobs/{claimed}", headers=office.headers).status_code == 404


def test_uploading_the_same_file_again_answers_200_and_keeps_one_row(
    client: TestClient, nurse: Device, aide: Device
) -> None:
    assert put(client, nurse, sha(h.PNG), h.PNG).status_code == 201
    again = put(client, nurse, sha(h.PNG), h.PNG)
    assert again.status_code == 200, again.text
    from_another_device = put(client, aide, sha(h.PNG), h.PNG)
    assert from_another_device.status_code == 200
    assert rows(client, Blob) == 1


def test_a_file_over_the_size_limit_is_refused_with_413(
    app_factory: Callable[..., TestClient], nurse: Device
) -> None:
    small = app_factory(max_blob_bytes=64)
    at_limit, over = h.PNG.ljust(64, b"\0"), h.PNG.ljust(65, b"\0")

    response = put(small, nurse, sha(over), over)
    assert response.status_code == 413, response.text
    assert response.json()["error"] == "too_large"
    assert rows(small, Blob) == 0
    assert put(small, nurse, sha(at_limit), at_limit).status_code == 201
    assert rows(small, Blob) == 1


def test_an_empty_file_is_refused(client: TestClient, nurse: Device) -> None:
    response = put(client, nurse, sha(b""), b"")
    assert response.status_code == 422
    assert response.json()["error"] == "empty_blob"
    assert rows(client, Blob) == 0


def test_only_png_and_pdf_are_accepted(client: TestClient, nurse: Device) -> None:
    for media_type in ["text/html", "application/octet-stream", "image/svg+xml", None]:
        response = put(client, nurse, sha(h.PNG), h.PNG, media_type)
        assert response.status_code == 422, (media_type, response.text)
        assert response.json()["error"] == "bad_media_type"
        assert "application/pdf" in response.json()["message"]
    assert rows(client, Blob) == 0


BAD_NAMES = {
    "path traversal": "..%2F..%2Fetc%2Fpasswd",
    "encoded dots": "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "traversal after a hash": sha(h.PNG) + "%2F..%2F..%2Fsecret",
    "upper case": sha(h.PNG).upper(),
    "63 digits": sha(h.PNG)[:63],
    "65 digits": sha(h.PNG) + "0",
    "not hex": "g" * 64,
    "trailing space": sha(h.PNG) + "%20",
    "empty": "",
}


def test_a_name_that_is_not_64_lower_case_hex_digits_is_refused_clearly(
    client: TestClient, nurse: Device
) -> None:
    for case, name in BAD_NAMES.items():
        upload = put(client, nurse, name, h.PNG)
        download = client.get(f"/blobs/{name}", headers=nurse.headers)
        for response in (upload, download):
            assert response.status_code == 422, (case, response.request.url, response.text)
            assert response.json()["error"] == "bad_blob_id", case
            assert "64 lower-case hex digits" in response.json()["message"]
    assert rows(client, Blob) == 0


def test_blobs_need_a_signed_in_user(client: TestClient, nurse: Device) -> None:
    assert (
        client.put(f"/blobs/{sha(h.PNG)}", content=h.PNG, headers={"Content-Type": "image/png"}).status_code
        == 401
    )
    nurse.upload(h.PNG)
    assert client.get(f"/blobs/{sha(h.PNG)}").status_code == 401
    assert client.get(f"/blobs/{sha(h.PNG)}", headers={"Authorization": "Bearer nonsense"}).status_code == 401


# -- download ----------------------------------------------------------------------------------------------


def test_unknown_file_is_404(client: TestClient, office: Device, nurse: Device) -> None:
    for who in (office, nurse):
        response = client.get(f"/blobs/{'0' * 64}", headers=who.headers)
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"


def test_who_may_download_a_signature_image(
    client: TestClient, users: Users, office: Device, nurse: Device, aide: Device
) -> None:
    p = patient_on_caseload(client, office, users.nurse)
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(v))
    image = h.PNG + b"nurse's patient signed"
    image_sha = nurse.upload(image)
    signature = h.signature_for(v, [], [], image_sha)
    nurse.push_ok(nurse.create(signature))
    url = f"/blobs/{image_sha}"

    assert client.get(url, headers=nurse.headers).status_code == 200  # the uploader
    assert client.get(url, headers=office.headers).content == image  # the office reads everything
    refused = client.get(url, headers=aide.headers)  # another worker, patient not on her caseload
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    assert image not in refused.content

    # The patient moves to the aide's caseload: the signature, and so its image, become hers to read.
    assert client.put(f"/caseloads/{users.aide}/{p.id}", headers=office.headers).status_code == 204
    shared = client.get(url, headers=aide.headers)
    assert shared.status_code == 200
    assert shared.content == image
    assert shared.headers["content-type"] == "image/png"

    # ...and stop being hers when the patient leaves it again.
    assert client.delete(f"/caseloads/{users.aide}/{p.id}", headers=office.headers).status_code == 204
    assert client.get(url, headers=aide.headers).status_code == 403


def test_an_uploaded_file_no_record_uses_is_private_to_its_uploader(
    client: TestClient, nurse: Device, aide: Device, office: Device
) -> None:
    image_sha = nurse.upload(h.PNG + b"draft")
    assert client.get(f"/blobs/{image_sha}", headers=aide.headers).status_code == 403
    assert client.get(f"/blobs/{image_sha}", headers=office.headers).status_code == 200
