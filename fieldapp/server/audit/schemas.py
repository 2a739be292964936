"""The audit routes' answers: a device's audit log entry, an API access."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from fieldapp.server.schemas import Answer


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
