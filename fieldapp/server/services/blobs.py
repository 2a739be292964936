"""Content-addressed files, stored once under their SHA-256 and readable like the records using them."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.errors import Forbidden, Invalid, NotFound, TooLarge
from fieldapp.server.models import Blob, Record
from fieldapp.server.services import caseload
from fieldapp.server.services.auth import Principal

SHA256 = re.compile(r"[0-9a-f]{64}")  # used with fullmatch: "$" would also admit a trailing newline
MEDIA_TYPES = {"image/png", "application/pdf"}


def check_name(sha256: str) -> str:
    """A blob name is exactly 64 lower-case hex digits; anything else (paths, dots) is refused."""
    if not SHA256.fullmatch(sha256):
        raise Invalid(
            "a blob is named by the SHA-256 of its content (64 lower-case hex digits)", code="bad_blob_id"
        )
    return sha256


def put(
    session: Session,
    principal: Principal,
    sha256: str,
    content: bytes,
    media_type: str,
    max_bytes: int,
    now: datetime,
) -> bool:
    """Store a file under its hash after checking it; True if new, False if it was already there."""
    check_name(sha256)
    if media_type not in MEDIA_TYPES:
        raise Invalid(f"media type must be one of {', '.join(sorted(MEDIA_TYPES))}", code="bad_media_type")
    if len(content) > max_bytes:
        raise TooLarge(f"a file may have at most {max_bytes} bytes")
    if not content:
        raise Invalid("the file is empty", code="empty_blob")
    actual = hashlib.sha256(content).hexdigest()
    if actual != sha256:
        raise Invalid(f"content does not match its name: its SHA-256 is {actual}", code="hash_mismatch")
    if session.get(Blob, sha256) is not None:
        return False
    session.add(
        Blob(
            sha256=sha256,
            size=len(content),
            media_type=media_type,
            content=content,
            uploaded_by=principal.user_id,
            created_at=now,
        )
    )
    return True


def get(session: Session, principal: Principal, sha256: str) -> Blob:
    """A stored file, if the principal uploaded it or may read a record that references it."""
    check_name(sha256)
    blob = session.get(Blob, sha256)
    if blob is None:
        raise NotFound("no such file")
    if principal.is_office or blob.uploaded_by == principal.user_id:
        return blob
    readable = sa.or_(
        Record.patient_id.in_(caseload.active_patients(principal.user_id)),
        sa.and_(Record.entity == "day_report", Record.worker_id == principal.user_id),
    )
    if session.scalar(sa.select(Record.id).where(Record.blob_sha256 == sha256, readable).limit(1)) is None:
        raise Forbidden("this file belongs to a record you may not read")
    return blob
