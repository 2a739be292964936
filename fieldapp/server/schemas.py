"""Answers of the office's administration routes (fleet, audit); the device protocol is in
``fieldapp.sync.protocol``."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict


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
