"""The audit trail on the server: devices' uploaded audit logs, and a record of every API access.

Device entries arrive hash-checked (``fieldapp.sync.protocol.AuditEvent``); the server stores them once
(by id: a repeated upload after a lost answer changes nothing) and marks whether each continues the
chain it already holds for that device. API accesses are buffered in memory and written in batches
(at most ``AccessLog.interval_s`` late, and at shutdown), so recording them costs a request no write of
its own; the same batch records each device's last pull for the fleet page. The office queries both
(``/admin/audit/...``).
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from fieldapp.domain.audit import GENESIS
from fieldapp.server.database import Database
from fieldapp.server.errors import Forbidden
from fieldapp.server.models import ApiAccess, DeviceAuditEvent
from fieldapp.server.services import fleet
from fieldapp.server.services.auth import Principal
from fieldapp.sync.protocol import AuditAck, AuditUpload

log = logging.getLogger(__name__)
MAX_QUERY = 1000
PULL_ROUTE = "/sync/pull"


# -- device audit logs -------------------------------------------------------------------------------------


def store_device_events(session: Session, who: Principal, upload: AuditUpload, now: datetime) -> AuditAck:
    """Keep a device's entries (all or none); entries already held are counted, not stored again."""
    if upload.device_id != who.device_id:
        raise Forbidden("a device uploads its own audit log only", code="not_your_device")
    ids = [event.id for event in upload.events]
    held = set(session.scalars(select(DeviceAuditEvent.id).where(DeviceAuditEvent.id.in_(ids))))
    last = session.execute(
        select(DeviceAuditEvent.seq, DeviceAuditEvent.hash)
        .where(DeviceAuditEvent.device_id == who.device_id)
        .order_by(DeviceAuditEvent.seq.desc(), DeviceAuditEvent.received_at.desc())
        .limit(1)
    ).first()
    last_seq, last_hash = (last[0], last[1]) if last else (0, GENESIS)
    chain_ok, stored = True, 0
    rows = []
    for event in upload.events:
        if event.id in held:
            continue
        follows = event.seq == last_seq + 1 and event.prev_hash == last_hash
        chain_ok = chain_ok and follows
        rows.append(
            {
                "id": event.id,
                "device_id": who.device_id,
                "seq": event.seq,
                "user_id": who.user_id,
                "username": event.username,
                "at": datetime.fromtimestamp(event.at_ms / 1000, UTC),
                "action": event.action.value,
                "entity": event.entity,
                "record_id": event.record_id,
                "detail": event.detail,
                "prev_hash": event.prev_hash,
                "hash": event.hash,
                "chain_ok": follows,
                "received_at": now,
            }
        )
        last_seq, last_hash = event.seq, event.hash
        stored += 1
    if rows:
        session.execute(insert(DeviceAuditEvent), rows)
        if not chain_ok:
            log.warning('{"event": "audit_chain_break", "device": "%s"}', who.device_id)
    return AuditAck(
        stored=stored,
        duplicates=len(upload.events) - stored,
        last_seq=max(last_seq, upload.events[-1].seq),
        chain_ok=chain_ok,
    )


@dataclass(frozen=True, slots=True)
class DeviceEventQuery:
    """Filters for the office's view of device audit logs (all optional)."""

    device_id: str | None = None
    username: str | None = None
    action: str | None = None
    record_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 200


def device_events(session: Session, query: DeviceEventQuery) -> list[DeviceAuditEvent]:
    """Matching entries, newest first."""
    statement = select(DeviceAuditEvent)
    if query.device_id:
        statement = statement.where(DeviceAuditEvent.device_id == query.device_id)
    if query.username:
        statement = statement.where(DeviceAuditEvent.username == query.username.strip().lower())
    if query.action:
        statement = statement.where(DeviceAuditEvent.action == query.action)
    if query.record_id:
        statement = statement.where(DeviceAuditEvent.record_id == query.record_id)
    if query.since:
        statement = statement.where(DeviceAuditEvent.at >= query.since)
    if query.until:
        statement = statement.where(DeviceAuditEvent.at < query.until)
    statement = statement.order_by(DeviceAuditEvent.at.desc(), DeviceAuditEvent.seq.desc())
    return list(session.scalars(statement.limit(min(query.limit, MAX_QUERY))))


# -- API accesses ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccessQuery:
    """Filters for the office's view of API accesses (all optional)."""

    user_id: uuid.UUID | None = None
    device_id: str | None = None
    route: str | None = None
    status: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 200


def accesses(session: Session, query: AccessQuery) -> list[ApiAccess]:
    """Matching API accesses, newest first."""
    statement = select(ApiAccess)
    if query.user_id:
        statement = statement.where(ApiAccess.user_id == query.user_id)
    if query.device_id:
        statement = statement.where(ApiAccess.device_id == query.device_id)
    if query.route:
        statement = statement.where(ApiAccess.route == query.route)
    if query.status:
        statement = statement.where(ApiAccess.status == query.status)
    if query.since:
        statement = statement.where(ApiAccess.at >= query.since)
    if query.until:
        statement = statement.where(ApiAccess.at < query.until)
    statement = statement.order_by(ApiAccess.id.desc())
    return list(session.scalars(statement.limit(min(query.limit, MAX_QUERY))))


class AccessLog:
    """Buffers API accesses and writes them in batches on a background thread.

    ``add`` never blocks on the database. ``flush`` writes what is buffered (the thread calls it every
    ``interval_s``; ``stop`` calls it a last time). If the database refuses a batch, the batch is kept and
    retried, up to ``max_buffer`` entries (then the oldest are dropped and the loss is logged).
    """

    def __init__(self, database: Database, interval_s: float = 1.0, max_buffer: int = 100_000) -> None:
        self.database, self.interval_s, self.max_buffer = database, interval_s, max_buffer
        self._buffer: list[dict[str, object]] = []
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, entry: dict[str, object]) -> None:
        """Queue one access (the ``ApiAccess`` columns but ``id``)."""
        with self._lock:
            self._buffer.append(entry)
            if len(self._buffer) > self.max_buffer:
                dropped = len(self._buffer) - self.max_buffer
                del self._buffer[:dropped]
                log.error('{"event": "access_log_overflow", "dropped": %d}', dropped)

    def flush(self) -> int:
        """Write the buffered accesses now; returns how many were written."""
        with self._flushing:
            with self._lock:
                batch, self._buffer = self._buffer, []
            if not batch:
                return 0
            pulls: dict[str, datetime] = {}
            for entry in batch:
                if entry["route"] == PULL_ROUTE and entry["status"] == 200 and entry["device_id"]:
                    device, at = str(entry["device_id"]), entry["at"]
                    assert isinstance(at, datetime)
                    pulls[device] = max(at, pulls.get(device, at))
            try:
                with self.database.write() as session:
                    session.execute(insert(ApiAccess), batch)
                    fleet.note_syncs(session, pulls)
            except Exception:
                log.exception('{"event": "access_log_write_failed", "entries": %d}', len(batch))
                with self._lock:
                    self._buffer[:0] = batch
                return 0
            return len(batch)

    def start(self) -> None:
        """Start the background writer."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="fieldapp-access-log", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the writer and write what is left."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.flush()


def access_entry(
    *,
    at: datetime,
    request_id: str,
    user_id: str | None,
    device_id: str | None,
    method: str,
    route: str,
    target: str | None,
    status: int,
    ms: float,
    client: str,
) -> dict[str, object]:
    """One row for ``AccessLog.add``, with every text cut to its column."""
    return {
        "at": at,
        "request_id": request_id[:36],
        "user_id": uuid.UUID(user_id) if user_id else None,
        "device_id": _clip(device_id, 32),
        "method": method[:8],
        "route": route[:120],
        "target": _clip(target, 64),
        "status": status,
        "ms": round(ms),
        "client": client[:64],
    }


def _clip(text: str | None, limit: int) -> str | None:
    return None if text is None else text[:limit]
