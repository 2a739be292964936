"""Photos and documents in the tablet store: typed from their bytes, kept encrypted, refused when the
tablet is low on space (nothing written), thumbnails remembered once."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from fieldapp.domain.attachments import Attachment
from fieldapp.domain.errors import ValidationError
from fieldapp.store import attachments, outbox, repo
from fieldapp.store.attachments import LowSpaceError
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from tests import factories as f

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
PDF = b"%PDF-1.4\n" + b"0" * 4096 + b"\n%%EOF\n"


def _patient_and_visit(store: LocalStore):
    p = f.patient()
    v = f.visit(p.id)
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        repo.add(s, store.clock, v)
    return p, v


def test_a_pdf_is_kept_encrypted_with_its_record_and_outbox_entry(
    store: LocalStore, blobs: BlobStore
) -> None:
    p, v = _patient_and_visit(store)
    with store.unit_of_work() as s:
        _, record = attachments.attach(
            s,
            store.clock,
            blobs,
            PDF,
            patient_id=p.id,
            visit_id=v.id,
            taken_at=NOW,
            caption="Discharge letter",
        )
    assert record.media_type == "application/pdf" and record.byte_size == len(PDF)
    assert blobs.get(record.sha256) == PDF
    stored = next(path for path in blobs.folder.rglob(record.sha256))
    assert stored.read_bytes().startswith(b"FABLOB")
    with store.read() as s:
        assert repo.get(s, Attachment, record.id) == record
        assert outbox.pending(s)[-1].entity == "attachment"
        [view] = attachments.gallery(s, p.id)
    assert view.thumbnail_sha256 is None


def test_the_tablet_low_on_space_refuses_with_a_sentence_and_writes_nothing(
    store: LocalStore, blobs: BlobStore
) -> None:
    p, v = _patient_and_visit(store)
    free = shutil.disk_usage(blobs.folder.parent).free
    with store.read() as s:
        before = outbox.pending_count(s)
    with (
        pytest.raises(LowSpaceError, match=r"low on space: \d+ MB free") as refusal,
        store.unit_of_work() as s,
    ):
        attachments.attach(
            s, store.clock, blobs, PDF, patient_id=p.id, visit_id=v.id, taken_at=NOW, reserve=free
        )
    assert "remove old files" in str(refusal.value)
    with store.read() as s:
        assert attachments.gallery(s, p.id) == [] and outbox.pending_count(s) == before
    assert not any(path.is_file() for path in blobs.folder.rglob("*")), "no file written"


def test_a_file_that_is_not_a_photo_or_pdf_or_belongs_to_another_patient_is_refused(
    store: LocalStore, blobs: BlobStore
) -> None:
    p, v = _patient_and_visit(store)
    other, _ = _patient_and_visit(store)
    with pytest.raises(ValidationError, match="none of them"), store.unit_of_work() as s:
        attachments.attach(s, store.clock, blobs, b"GIF89a....", patient_id=p.id, visit_id=v.id, taken_at=NOW)
    with pytest.raises(ValidationError, match="not the patient's"), store.unit_of_work() as s:
        attachments.attach(s, store.clock, blobs, PDF, patient_id=other.id, visit_id=v.id, taken_at=NOW)


def test_a_thumbnail_is_remembered_once(store: LocalStore) -> None:
    with store.unit_of_work() as s:
        attachments.remember_thumbnail(s, "a" * 64, "b" * 64, 240, 180)
        attachments.remember_thumbnail(s, "a" * 64, "c" * 64, 240, 180)
    with store.read() as s:
        assert attachments.thumbnail_of(s, "a" * 64) == "b" * 64
