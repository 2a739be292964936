"""Resumable uploads (decision 0027): a file arrives in pieces appended at the offset the server holds;
bytes that arrived before a connection broke are kept (each piece committed as it comes); the whole file's
SHA-256 and type are checked when its last byte arrives, and only then is it a stored file records may name.

An upload belongs to the user who started it. Photos (JPEG, PNG) and PDFs are accepted with the attachment
limits (``fieldapp.domain.attachments``); a file already stored answers "complete" at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain import attachments
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.blobs.store import check_name, keep
from fieldapp.server.errors import Conflict, Invalid, NotFound, TooLarge
from fieldapp.server.models import Blob, BlobUpload, BlobUploadPart
from fieldapp.sync.protocol import UploadStatus

STALE = timedelta(hours=24)  # an upload untouched this long is removed when another one starts


class Discarded(Invalid):
    """The upload cannot become its file (wrong type, too long, not its name): the caller discards it in a
    transaction of its own (``discard``) and answers with this refusal."""


@dataclass(frozen=True, slots=True)
class Piece:
    """What a PATCH declares: where its bytes belong, the whole file's size and type."""

    sha256: str
    offset: int
    size: int
    media_type: str


def parse_piece(sha256: str, offset: str | None, size: str | None, media_type: str | None) -> Piece:
    """The headers of a PATCH, checked; a clear 422 or 413 for anything wrong."""
    check_name(sha256)
    try:
        at, total = int(offset or ""), int(size or "")
    except ValueError:
        raise Invalid("Upload-Offset and Upload-Length must be whole numbers", code="bad_upload") from None
    kind = attachments.KINDS.get((media_type or "").strip().lower())
    if kind is None:
        raise Invalid(f"Upload-Type must be one of {', '.join(attachments.KINDS)}", code="bad_media_type")
    if total < 1 or at < 0 or at > total:
        raise Invalid(
            "the offset must lie within the file, and the file must not be empty", code="bad_upload"
        )
    if total > kind.max_bytes:
        raise TooLarge(f"a {kind.words} may have at most {kind.max_bytes // attachments.MiB} MB")
    return Piece(sha256, at, total, kind.media_type)


def status(session: Session, principal: Principal, sha256: str) -> UploadStatus:
    """Where the caller's upload of ``sha256`` stands; ``no_upload`` (404) when nothing was received."""
    check_name(sha256)
    stored = session.get(Blob, sha256)
    if stored is not None:
        return UploadStatus(
            sha256=sha256, size=stored.size, offset=stored.size, media_type=stored.media_type, complete=True
        )
    upload = session.get(BlobUpload, (sha256, principal.user_id))
    if upload is None:
        raise NotFound("nothing of this file has arrived yet: start at offset 0", code="no_upload")
    return _status(upload)


def begin(session: Session, principal: Principal, piece: Piece, now: datetime) -> UploadStatus:
    """Check a PATCH against the upload it continues (or start one at offset 0)."""
    stored = session.get(Blob, piece.sha256)
    if stored is not None:
        return UploadStatus(
            sha256=piece.sha256,
            size=stored.size,
            offset=stored.size,
            media_type=stored.media_type,
            complete=True,
        )
    upload = session.get(BlobUpload, (piece.sha256, principal.user_id), with_for_update=True)
    if upload is None:
        _remove_stale(session, now)
        upload = BlobUpload(
            sha256=piece.sha256,
            user_id=principal.user_id,
            media_type=piece.media_type,
            size=piece.size,
            received=0,
            created_at=now,
            updated_at=now,
        )
        session.add(upload)
        session.flush()
    if (upload.size, upload.media_type) != (piece.size, piece.media_type):
        raise Conflict(
            f"this upload was started as {upload.size} bytes of {upload.media_type}", code="upload_mismatch"
        )
    if piece.offset != upload.received:
        raise Conflict(
            f"the server holds {upload.received} bytes of this file: go on from there", code="offset_mismatch"
        )
    return _status(upload)


def append(
    session: Session, principal: Principal, piece: Piece, offset: int, data: bytes, now: datetime
) -> int:
    """Keep ``data`` as the bytes from ``offset`` on; returns the bytes now held. Refuses bytes of another
    type than declared (checked on the first ones) and bytes beyond the declared size."""
    upload = session.get(BlobUpload, (piece.sha256, principal.user_id), with_for_update=True)
    if upload is None or upload.received != offset:
        raise Conflict("the upload moved on meanwhile: ask where it stands", code="offset_mismatch")
    if offset + len(data) > upload.size:
        raise Discarded(
            "more bytes arrived than Upload-Length announced; the upload is discarded", code="too_long"
        )
    if offset == 0:
        kind = attachments.sniff(data[: attachments.SNIFF_BYTES])
        if kind is None or kind.media_type != upload.media_type:
            raise Discarded(
                f"the file was declared {upload.media_type} but its first bytes are not", code="type_mismatch"
            )
    session.add(BlobUploadPart(sha256=piece.sha256, user_id=principal.user_id, offset=offset, data=data))
    upload.received = offset + len(data)
    upload.updated_at = now
    return upload.received


def finish(session: Session, principal: Principal, sha256: str, now: datetime) -> UploadStatus:
    """The last byte arrived: check the whole file against its name and store it (or discard the upload)."""
    upload = session.get(BlobUpload, (sha256, principal.user_id), with_for_update=True)
    if upload is None:
        return status(session, principal, sha256)
    parts = session.scalars(
        sa.select(BlobUploadPart.data)
        .where(BlobUploadPart.sha256 == sha256, BlobUploadPart.user_id == principal.user_id)
        .order_by(BlobUploadPart.offset)
    ).all()
    content = b"".join(parts)
    result = UploadStatus(
        sha256=sha256, size=upload.size, offset=len(content), media_type=upload.media_type, complete=True
    )
    media_type = upload.media_type
    actual = hashlib.sha256(content).hexdigest()
    if len(content) != result.size or actual != sha256:
        raise Discarded(
            f"the file that arrived does not match its name (its SHA-256 is {actual}); send it again",
            code="hash_mismatch",
        )
    _discard(session, upload)
    keep(session, principal, sha256, content, media_type, now)
    return result


def discard(session: Session, principal: Principal, sha256: str) -> None:
    """Remove the caller's upload of ``sha256`` and what it received."""
    upload = session.get(BlobUpload, (sha256, principal.user_id), with_for_update=True)
    if upload is not None:
        _discard(session, upload)


def _status(upload: BlobUpload) -> UploadStatus:
    return UploadStatus(
        sha256=upload.sha256, size=upload.size, offset=upload.received, media_type=upload.media_type
    )


def _discard(session: Session, upload: BlobUpload) -> None:
    session.execute(
        sa.delete(BlobUploadPart).where(
            BlobUploadPart.sha256 == upload.sha256, BlobUploadPart.user_id == upload.user_id
        )
    )
    session.delete(upload)


def _remove_stale(session: Session, now: datetime) -> None:
    for upload in session.scalars(sa.select(BlobUpload).where(BlobUpload.updated_at < now - STALE)).all():
        _discard(session, upload)
