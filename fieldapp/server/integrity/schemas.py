"""The integrity routes' answers: an integrity log entry, a signature checked part by part."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from fieldapp.server.schemas import Answer


class IntegrityEntry(Answer):
    """One entry of the server's integrity log: a problem found, where, by what, and its chain hash."""

    seq: int
    found_at: datetime
    found_by: str = Field(description="push, download, office, api or verify")
    kind: str = Field(description="signature, file, day_report, device_audit or integrity_log")
    subject: str = Field(description="the record id, file SHA-256 or device id concerned")
    part: str
    detail: str
    user_id: uuid.UUID | None
    prev_hash: str
    hash: str


class SignatureCheck(Answer):
    """Per part of a signature, whether it still matches what was captured at signing."""

    signature_id: uuid.UUID
    visit_id: uuid.UUID | None
    status: str = Field(description="intact, altered, or made_before_digests (nothing altered found)")
    made_before_digests: bool
    parts: dict[str, str] = Field(
        description="strokes, image, signer, content, record, digest: ok, mismatch, missing, "
        "not recorded (made before digests) or none (no image)"
    )
    problems: list[str]
