"""``/audit/events`` (a device uploads its audit log) and ``/admin/audit/*`` (the office reads the devices'
logs and the API access log). Two routers, so the published API lists the routes in their old order."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from fieldapp.domain.audit import AuditAction
from fieldapp.server.audit import trail as audit
from fieldapp.server.audit.schemas import AccessEntry, DeviceAuditEntry
from fieldapp.server.web.deps import Now, Office, Reads, Uploader, Writes
from fieldapp.server.web.params import DeviceId, Instant
from fieldapp.sync.protocol import AuditAck, AuditUpload

router = APIRouter(tags=["audit"])
office_router = APIRouter(tags=["audit"])


@router.post("/audit/events", response_model=AuditAck)
def upload_audit(body: AuditUpload, who: Uploader, session: Writes, now: Now) -> AuditAck:
    """A device's audit log entries (hash-checked, stored once; a retiring device may still send them)."""
    return audit.store_device_events(session, who, body, now)


@office_router.get("/admin/audit/devices", response_model=list[DeviceAuditEntry])
def device_audit(
    who: Office,
    session: Reads,
    device_id: Annotated[DeviceId | None, Query()] = None,
    username: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[AuditAction | None, Query()] = None,
    record_id: Annotated[uuid.UUID | None, Query()] = None,
    since: Annotated[Instant | None, Query()] = None,
    until: Annotated[Instant | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_QUERY)] = 200,
) -> list[DeviceAuditEntry]:
    """Devices' audit logs (sign-ins, unlocks, views, edits, exports, prints, syncs), newest first."""
    query = audit.DeviceEventQuery(
        device_id, username, action.value if action else None, record_id, since, until, limit
    )
    return [DeviceAuditEntry.model_validate(row) for row in audit.device_events(session, query)]


@office_router.get("/admin/audit/access", response_model=list[AccessEntry])
def api_access(
    who: Office,
    session: Reads,
    user_id: Annotated[uuid.UUID | None, Query()] = None,
    device_id: Annotated[DeviceId | None, Query()] = None,
    route: Annotated[str | None, Query(max_length=120)] = None,
    status: Annotated[int | None, Query(ge=100, le=599)] = None,
    since: Annotated[Instant | None, Query()] = None,
    until: Annotated[Instant | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_QUERY)] = 200,
) -> list[AccessEntry]:
    """Every API access (who, device, route, record or file named, status, time), newest first."""
    query = audit.AccessQuery(user_id, device_id, route, status, since, until, limit)
    return [AccessEntry.model_validate(row) for row in audit.accesses(session, query)]
