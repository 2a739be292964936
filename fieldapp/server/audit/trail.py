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
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.orm import Session

from fieldapp.domain.audit import GENESIS, AuditAction
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import caseload, device_sync
from fieldapp.server.database import Database
from fieldapp.server.errors import Forbidden
from fieldapp.server.models import ApiAccess, DeviceAuditEvent, Record
from fieldapp.sync.protocol import AuditAck, AuditEvent, AuditUpload

log = logging.getLogger(__name__)
MAX_QUERY = 1000
Row = TypeVar("Row", DeviceAuditEvent, ApiAccess)
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
    flags = _flags(session, who, [event for event in upload.events if event.id not in held])
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
                "flag": flags.get(event.id),
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


def _flags(session: Session, who: Principal, events: list[AuditEvent]) -> dict[uuid.UUID, str]:
    """Why entries deserve a look (decision 0017): kept and shown, never refused, since the log is evidence.

    An entry names someone other than the uploading account (but a refused sign-in records whatever name
    was typed), or a record the uploader could not have had: a patient off their caseload at the entry's
    time, another worker's day report, or a record the server does not hold."""
    reasons: dict[uuid.UUID, list[str]] = {}
    me = who.username.strip().casefold()
    for event in events:
        if event.action is not AuditAction.SIGN_IN_FAILED and event.username.strip().casefold() != me:
            reasons.setdefault(event.id, []).append(f"names {event.username}, not the uploader")
    named = {event.record_id for event in events if event.record_id is not None}
    if named and not who.is_office:
        held = {
            row.id: row
            for row in session.execute(
                select(Record.id, Record.patient_id, Record.worker_id).where(Record.id.in_(named))
            )
        }
        patients = {row.patient_id for row in held.values() if row.patient_id is not None}
        until = caseload.write_allowed_until(session, who.user_id, patients) if patients else {}
        for event in events:
            if event.record_id is None:
                continue
            reason = _record_reason(held.get(event.record_id), event.at_ms, who.user_id, until)
            if reason:
                reasons.setdefault(event.id, []).append(reason)
    return {event_id: "; ".join(found)[:200] for event_id, found in reasons.items()}


def _record_reason(
    row: Any, at_ms: int, user_id: uuid.UUID, until: dict[uuid.UUID, int | None]
) -> str | None:
    if row is None:
        return "a record the server does not hold"
    if row.patient_id is None:  # a day report: the worker's own only
        return None if row.worker_id == user_id else "another worker's day report"
    allowed = until.get(row.patient_id, -1)
    if allowed is not None and at_ms > allowed:
        return "a patient not on the uploader's caseload then"
    return None


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
    if query.username:
        query = replace(query, username=query.username.strip().lower())
    newest = (DeviceAuditEvent.at.desc(), DeviceAuditEvent.seq.desc())
    return _matching(session, DeviceAuditEvent, query, *newest)


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
    return _matching(session, ApiAccess, query, ApiAccess.id.desc())


def _matching(
    session: Session, table: type[Row], query: DeviceEventQuery | AccessQuery, *order: ColumnElement[Any]
) -> list[Row]:
    """The rows of ``table`` that match ``query``: each filter set (a field but the period and the limit)
    equals the column of its name, and ``at`` lies in the period; in ``order``, at most the limit."""
    statement = select(table)
    for field in fields(query):
        value = getattr(query, field.name)
        if value and field.name not in ("since", "until", "limit"):
            statement = statement.where(getattr(table, field.name) == value)
    at = table.at
    if query.since:
        statement = statement.where(at >= query.since)
    if query.until:
        statement = statement.where(at < query.until)
    return list(session.scalars(statement.order_by(*order).limit(min(query.limit, MAX_QUERY))))


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
                    device_sync.note_syncs(session, pulls)
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
