"""Which files move in the background, apart from the push (decision 0034).

A large attachment (``BACKGROUND_FROM`` bytes and more) is uploaded by the background file mover, never by
the push: until its upload is through (``uploaded_blobs``), the attachment's outbox entries are held back
and every other record pushes at once. Files made by others come down the other way: a photo's thumbnail
(named on its record by the device that took it) as soon as the record is here, the photo itself when it is
opened. Both are kept encrypted in the device's ``BlobStore`` like its own files.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.store.blobs import BlobStore
from fieldapp.store.models import AttachmentRow, OutboxRow, ThumbnailRow, UploadedBlobRow
from fieldapp.store.outbox import PENDING

BACKGROUND_FROM = 256 * 1024  # the size from which a file goes up resumably (decision 0027)


@dataclass(frozen=True, slots=True)
class WaitingFile:
    """A large file whose record waits in the outbox until the file is on the server."""

    sha256: str
    media_type: str
    byte_size: int


def _waiting_rows(session: Session) -> list[tuple[uuid.UUID, str, str, int]]:
    queued = sa.select(OutboxRow.record_id).where(
        OutboxRow.entity == "attachment", OutboxRow.status == PENDING
    )
    return [
        (row[0], row[1], row[2], row[3])
        for row in session.execute(
            sa.select(
                AttachmentRow.id, AttachmentRow.sha256, AttachmentRow.media_type, AttachmentRow.byte_size
            )
            .outerjoin(UploadedBlobRow, UploadedBlobRow.sha256 == AttachmentRow.sha256)
            .where(
                AttachmentRow.id.in_(queued),
                AttachmentRow.byte_size >= BACKGROUND_FROM,
                UploadedBlobRow.sha256.is_(None),
            )
            .order_by(AttachmentRow.taken_at, AttachmentRow.id)
        )
    ]


def waiting_uploads(session: Session) -> list[WaitingFile]:
    """The large files still to upload, oldest first (each once, however many records name it)."""
    seen: dict[str, WaitingFile] = {}
    for _, sha, media_type, size in _waiting_rows(session):
        seen.setdefault(sha, WaitingFile(sha, media_type, size))
    return list(seen.values())


def held_back(session: Session) -> set[uuid.UUID]:
    """The records the push leaves in the outbox for now: attachments whose large file is not up yet."""
    return {row[0] for row in _waiting_rows(session)}


def mark_uploaded(session: Session, sha256: str, now: datetime) -> None:
    """The server holds the file (checked by its hash on arrival): its records may go."""
    if session.get(UploadedBlobRow, sha256) is None:
        session.add(UploadedBlobRow(sha256=sha256, uploaded_at=now))


def was_uploaded(session: Session, sha256: str) -> bool:
    """Whether the background mover already put this file on the server."""
    return session.get(UploadedBlobRow, sha256) is not None


def thumbnails_to_fetch(session: Session, blobs: BlobStore, limit: int = 200) -> list[tuple[str, str]]:
    """(photo, thumbnail) pairs of photos whose thumbnail, named on the record, is not on this tablet."""
    rows = session.execute(
        sa.select(AttachmentRow.sha256, AttachmentRow.thumbnail_sha256)
        .where(AttachmentRow.thumbnail_sha256.is_not(None), AttachmentRow.deleted.is_(None))
        .order_by(AttachmentRow.taken_at.desc())
    ).all()
    wanted: dict[str, str] = {}
    for sha, thumb in rows:
        if thumb is not None and sha not in wanted and not blobs.has(thumb):
            wanted[sha] = thumb
        if len(wanted) >= limit:
            break
    return list(wanted.items())


def remember_fetched_thumbnail(session: Session, sha256: str, thumbnail_sha256: str) -> None:
    """Note a thumbnail fetched from the server for a photo (its size is read when it is drawn)."""
    if session.get(ThumbnailRow, sha256) is None:
        session.add(ThumbnailRow(sha256=sha256, thumbnail_sha256=thumbnail_sha256, width=0, height=0))
