"""Answers of the office's administration routes (fleet, audit); the device protocol is in
``fieldapp.sync.protocol``."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    """Base of the administration answers (read from ORM rows and dataclasses)."""

    model_config = ConfigDict(from_attributes=True, frozen=True)


class DeviceAuditEntry(Answer):
    """One entry of a device's audit log as the server holds it."""

    id: uuid.UUID
    device_id: str
    seq: int
    username: str
    at: datetime
    action: str
    entity: str | None
    record_id: uuid.UUID | None
    detail: str
    chain_ok: bool
    received_at: datetime
    user_id: uuid.UUID = Field(description="the account that uploaded the entry (from its session)")
    flag: str | None = Field(
        default=None,
        description="why the entry deserves a look: it names another user, or a record "
        "outside the uploader's caseload (decision 0017)",
    )


class AccessEntry(Answer):
    """One API access."""

    id: int
    at: datetime
    request_id: str
    user_id: uuid.UUID | None
    device_id: str | None
    method: str
    route: str
    target: str | None
    status: int
    ms: int
    client: str


class Retired(Answer):
    """The devices an account's disabling retired."""

    user_id: uuid.UUID
    devices: list[str]


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
