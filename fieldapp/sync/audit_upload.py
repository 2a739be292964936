"""Handing the tablet's audit entries to the office, after each sync cycle (decision 0017)."""

from __future__ import annotations

import logging

from fieldapp.store import audit
from fieldapp.store.local import LocalStore
from fieldapp.sync.errors import SyncError
from fieldapp.sync.ports import SyncTransport
from fieldapp.sync.protocol import MAX_AUDIT_BATCH, AuditEvent, AuditUpload

log = logging.getLogger(__name__)


def send_unsent(
    store: LocalStore, transport: SyncTransport, entries: list[audit.AuditEntry], kept_ms: int
) -> int:
    """Hand the unsent audit entries in (``entries``: the first batch, read by the caller); returns how
    many the office now holds, and those it held for ``kept_ms`` leave the tablet. A failure here never
    fails the cycle: they go with the next one."""
    sent = 0
    try:
        while entries:
            events = [AuditEvent.of(e.content, e.hash) for e in entries]
            ack = transport.upload_audit(AuditUpload(device_id=store.node_id, events=events))
            with store.unit_of_work() as session:
                audit.mark_sent(session, events[-1].seq)
            sent += len(events) if ack.stored + ack.duplicates == len(events) else 0
            with store.read() as session:
                entries = audit.unsent(session, MAX_AUDIT_BATCH)
    except (SyncError, ValueError) as exc:
        log.warning("audit entries not handed in this time: %s", getattr(exc, "message", exc))
    if sent:
        with store.unit_of_work() as session:  # the office holds them: keep the tablet's log short
            audit.prune(session, store.clock.physical() - kept_ms)
    return sent
