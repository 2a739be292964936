"""Photos and documents on the tablet: the file kept encrypted in the device's BlobStore (decision 0010),
the record through the one write path, the thumbnail made once and remembered (decision 0027).

The file is checked from its bytes first (type, size), then the disk is asked for room: a file that would
leave the tablet almost full is refused with a sentence that says how much room there is, before anything
is written. The record is added in the caller's transaction and the file written inside it, so a refusal
leaves neither.
"""

from __future__ import annotations

import hashlib
import shutil
import uuid
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain import attachments as kinds
from fieldapp.domain.attachments import Attachment, Source
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Visit, parse
from fieldapp.domain.errors import DomainError, ValidationError
from fieldapp.readmodels.visits import AttachmentView
from fieldapp.store import repo
from fieldapp.store.blobs import BlobStore
from fieldapp.store.models import AttachmentRow, ThumbnailRow
from fieldapp.store.records import to_entity
from fieldapp.store.repo import Change, NotFoundError

# Room kept free for the database, the outbox and the next signature: the tablet must go on working.
RESERVE_BYTES = 64 * 1024 * 1024
MiB = 1024 * 1024
Thumbnail = tuple[bytes, int, int]
"""A photo's thumbnail: JPEG bytes, width, height (made where Qt can decode images)."""


class LowSpaceError(DomainError):
    """The tablet has too little room left to keep the file."""


def check_room(folder: Path, size: int, reserve: int = RESERVE_BYTES) -> None:
    """Refuse, with how much room there is, a file that would leave less than ``reserve`` free."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    if free - size < reserve:
        raise LowSpaceError(
            f"the tablet is low on space: {free / MiB:.0f} MB free, and this file needs {size / MiB:.1f} MB "
            f"plus {reserve // MiB} MB kept for your work; send what is waiting and remove old files, "
            "then try again"
        )


def attach(
    session: Session,
    clock: HybridClock,
    blobs: BlobStore,
    content: bytes,
    *,
    patient_id: uuid.UUID,
    visit_id: uuid.UUID | None,
    taken_at: datetime,
    caption: str = "",
    source: Source = Source.FILE,
    reserve: int = RESERVE_BYTES,
    thumbnail: Thumbnail | None = None,
) -> tuple[Change, Attachment]:
    """Keep a photo or document for a patient (and one of their visits), with the photo's thumbnail when
    one was made (named on the record: other devices fetch it first); returns the change and record."""
    why = kinds.problem(content[: kinds.SNIFF_BYTES], len(content))
    if why is not None:
        raise ValidationError("attachment", {"file": why})
    kind = kinds.sniff(content[: kinds.SNIFF_BYTES])
    assert kind is not None  # problem() said it is one of the kinds
    if visit_id is not None:
        visit = repo.get(session, Visit, visit_id)
        if visit is None:
            raise NotFoundError(f"visit {visit_id} is not on this tablet")
        if visit.patient_id != patient_id:
            raise ValidationError("attachment", {"visit_id": "the visit is not the patient's"})
    record = parse(
        Attachment,
        dict(
            patient_id=patient_id,
            visit_id=visit_id,
            sha256=hashlib.sha256(content).hexdigest(),
            media_type=kind.media_type,
            byte_size=len(content),
            caption=caption,
            source=source,
            taken_at=taken_at,
            thumbnail_sha256=hashlib.sha256(thumbnail[0]).hexdigest()
            if thumbnail and kind.is_image
            else None,
        ),
    )
    change = repo.add(session, clock, record)
    if not blobs.has(record.sha256):
        check_room(blobs.folder, len(content) + (len(thumbnail[0]) if thumbnail else 0), reserve)
        blobs.put(content)
    if thumbnail is not None and record.thumbnail_sha256 is not None:
        small, width, height = thumbnail
        remember_thumbnail(session, record.sha256, blobs.put(small), width, height)
    return change, record


def gallery(session: Session, patient_id: uuid.UUID) -> list[AttachmentView]:
    """The patient's photos and documents, newest first, with their thumbnails where made."""
    rows = session.execute(
        sa.select(AttachmentRow, ThumbnailRow.thumbnail_sha256)
        .outerjoin(ThumbnailRow, ThumbnailRow.sha256 == AttachmentRow.sha256)
        .where(AttachmentRow.patient_id == patient_id, AttachmentRow.deleted.is_(None))
        .order_by(AttachmentRow.taken_at.desc(), AttachmentRow.id)
    ).all()
    return [AttachmentView(to_entity(row, Attachment), thumb) for row, thumb in rows]


def thumbnail_of(session: Session, sha256: str) -> str | None:
    """The thumbnail file made for a photo, or None when none was made yet."""
    return session.scalar(sa.select(ThumbnailRow.thumbnail_sha256).where(ThumbnailRow.sha256 == sha256))


def remember_thumbnail(session: Session, sha256: str, thumbnail_sha256: str, width: int, height: int) -> None:
    """Note the thumbnail made for a photo (made once: a second one for the same photo is ignored)."""
    if thumbnail_of(session, sha256) is None:
        thumb = ThumbnailRow(sha256=sha256, thumbnail_sha256=thumbnail_sha256, width=width, height=height)
        session.add(thumb)


def without_thumbnail(session: Session, limit: int = 50) -> list[str]:
    """Photos on this tablet that have no thumbnail yet (pulled ones, or made before a crash)."""
    rows = session.scalars(
        sa.select(AttachmentRow.sha256)
        .outerjoin(ThumbnailRow, ThumbnailRow.sha256 == AttachmentRow.sha256)
        .where(ThumbnailRow.sha256.is_(None), AttachmentRow.media_type.like("image/%"))
        .distinct()
        .limit(limit)
    )
    return list(rows)
