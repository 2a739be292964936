"""Content-addressed files, stored once under their SHA-256 and readable like the records using them.

A file's type is read from its bytes (``fieldapp.domain.files``): an upload whose declared type disagrees
is refused, each type has its own size limit, and a file once stored keeps its type: uploading the same
bytes again under another type is refused (409), never a rewrite. Files are served only after their
bytes are checked against their name and type (``integrity.checked_file``).
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain import files
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import caseload
from fieldapp.server.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge
from fieldapp.server.integrity import checks as integrity
from fieldapp.server.models import Blob, Record

SHA256 = re.compile(r"[0-9a-f]{64}")  # used with fullmatch: "$" would also admit a trailing newline
MEDIA_TYPES = set(files.KINDS)


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
    """Store a file under its hash after checking it; True if new, False if it was already there.

    Refused (nothing stored): an unknown declared type, bytes of another type than declared, more bytes
    than that type may have, an empty file, bytes that do not hash to the name, and the same bytes again
    under another type than the one they were stored with."""
    check_name(sha256)
    kind = files.KINDS.get(media_type)
    if kind is None:
        raise Invalid(f"media type must be one of {', '.join(sorted(MEDIA_TYPES))}", code="bad_media_type")
    if len(content) > min(max_bytes, kind.max_bytes):
        raise TooLarge(f"a {kind.words} may have at most {min(max_bytes, kind.max_bytes) // 1024} KiB")
    if not content:
        raise Invalid("the file is empty", code="empty_blob")
    problem = files.problem(content, media_type)
    if problem is not None:
        raise Invalid(problem, code="type_mismatch")
    actual = hashlib.sha256(content).hexdigest()
    if actual != sha256:
        raise Invalid(f"content does not match its name: its SHA-256 is {actual}", code="hash_mismatch")
    return keep(session, principal, sha256, content, media_type, now)


def keep(
    session: Session, principal: Principal, sha256: str, content: bytes, media_type: str, now: datetime
) -> bool:
    """Store checked bytes under their hash: True if new, False if the same file was there already.
    Refused (Conflict) if it is stored under another type: a stored file's type never changes."""
    stored_as = session.scalar(sa.select(Blob.media_type).where(Blob.sha256 == sha256))
    if stored_as is not None:
        if stored_as != media_type:
            raise Conflict(
                f"this file is already stored as {stored_as}; a stored file's type never changes",
                code="stored_as_other_type",
            )
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
    """A stored file, if the principal uploaded it or may read a record that references it, and only if its
    bytes still match its name and type (``integrity.FileDamaged`` otherwise, after the access check)."""
    check_name(sha256)
    blob = session.get(Blob, sha256)
    if blob is None:
        raise NotFound("no such file")
    if principal.is_office or blob.uploaded_by == principal.user_id:
        return integrity.checked_file(blob)
    readable = sa.or_(
        Record.patient_id.in_(caseload.active_patients(principal.user_id)),
        sa.and_(Record.entity == "day_report", Record.worker_id == principal.user_id),
    )
    named = sa.or_(
        Record.blob_sha256 == sha256,
        # A photo's thumbnail (decision 0034): named in the attachment's fields only.
        sa.and_(Record.entity == "attachment", Record.fields["thumbnail_sha256"].as_string() == sha256),
    )
    if session.scalar(sa.select(Record.id).where(named, readable).limit(1)) is None:
        raise Forbidden("this file belongs to a record you may not read")
    return integrity.checked_file(blob)
