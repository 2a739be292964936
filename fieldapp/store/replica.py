"""Applying what the server sent: pulled records merged into the replica, and evictions.

A pulled page is applied in bulk: the rows it touches are loaded with one query per entity, merged in
Python with the shared rules (``fieldapp.domain.merge``), and written with one executemany for new rows.
Records this device does not hold yet are converted straight from their wire form (the server validated
them when they were pushed; every read through ``repo`` validates again); records it holds are merged
with its own state, including changes still waiting in the outbox, and every losing value, local or
remote, goes to the conflict log.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Date, Uuid
from sqlalchemy.orm import Session

from fieldapp.domain.clock import HybridClock
from fieldapp.domain.merge import RecordState, merge
from fieldapp.store import conflicts
from fieldapp.store.models import (
    ROW_TYPES,
    OutboxRow,
    PendingEvictionRow,
    SyncedRow,
    SyncStateRow,
    UtcDateTime,
)
from fieldapp.store.records import record_state
from fieldapp.store.repo import Change

# Parents before children, so a page reads naturally; nothing depends on it (the replica has no FKs).
ENTITY_ORDER = ("patient", "visit", "visit_note", "observation", "signature", "day_report")
IN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class RemoteRecord:
    """One record's state as the server holds it, with its change number."""

    entity: str
    record_id: uuid.UUID
    state: RecordState
    seq: int


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying a page did."""

    changes: tuple[Change, ...]
    conflicts: int


def apply_remote(session: Session, clock: HybridClock, records: Sequence[RemoteRecord]) -> Applied:
    """Merge a page of server records into the replica, in the caller's transaction."""
    changes: list[Change] = []
    logged = 0
    for entity in ENTITY_ORDER:
        items = [r for r in records if r.entity == entity]
        if items:
            entity_changes, entity_conflicts = _apply_entity(session, entity, items)
            changes += entity_changes
            logged += entity_conflicts
    newest = max((s for r in records for s in r.state.stamps()), default=None)
    if newest is not None:
        stamp = clock.observe(newest)
        session.execute(sa.update(SyncStateRow).where(SyncStateRow.id == 1).values(last_stamp=stamp.encode()))
    return Applied(tuple(changes), logged)


def evict(session: Session, patient_id: uuid.UUID, seq: int) -> bool:
    """Remove a patient and everything of theirs, unless changes to them still wait to be pushed.

    Returns True when removed; otherwise the eviction is kept and retried after the next push. An
    eviction older than the patient record this device holds is dropped: assigning a patient again
    re-delivers its records with newer numbers, so the patient is back on the caseload.
    """
    patient = session.get(ROW_TYPES["patient"], patient_id)
    if patient is not None and (patient.server_seq or 0) > seq:
        session.execute(sa.delete(PendingEvictionRow).where(PendingEvictionRow.patient_id == patient_id))
        return False
    if _has_pending_changes(session, patient_id):
        session.merge(PendingEvictionRow(patient_id=patient_id, seq=seq, received_at=datetime.now(UTC)))
        return False
    for table in ROW_TYPES.values():
        column = table.id if table is ROW_TYPES["patient"] else getattr(table, "patient_id", None)
        if column is not None:
            session.execute(sa.delete(table).where(column == patient_id))
    session.execute(sa.delete(PendingEvictionRow).where(PendingEvictionRow.patient_id == patient_id))
    return True


def retry_evictions(session: Session) -> list[uuid.UUID]:
    """Apply the evictions that were waiting for their changes to be pushed; returns those applied."""
    waiting = session.execute(sa.select(PendingEvictionRow.patient_id, PendingEvictionRow.seq)).all()
    return [patient_id for patient_id, seq in waiting if evict(session, patient_id, seq)]


def _has_pending_changes(session: Session, patient_id: uuid.UUID) -> bool:
    ids = {patient_id}
    for table in ROW_TYPES.values():
        if table is not ROW_TYPES["patient"] and hasattr(table, "patient_id"):
            ids.update(session.scalars(sa.select(table.id).where(table.patient_id == patient_id)))
    pending = sa.select(OutboxRow.seq).where(OutboxRow.status == "pending", OutboxRow.record_id.in_(ids))
    return session.scalar(pending.limit(1)) is not None


def _apply_entity(session: Session, entity: str, items: Sequence[RemoteRecord]) -> tuple[list[Change], int]:
    table = ROW_TYPES[entity]
    existing = _load(session, table, [r.record_id for r in items])
    convert = _converters(table)
    inserts: list[dict[str, Any]] = []
    changes: list[Change] = []
    logged = 0
    for item in items:
        row = existing.get(item.record_id)
        if row is None:
            state = item.state
        else:
            local = record_state(row)
            result = merge(entity, local, item.state)
            state = result.state
            logged += conflicts.record(session, entity, item.record_id, result.losers)
            if state == local:
                row.server_seq = max(row.server_seq or 0, item.seq)
                continue
        values = {name: convert.get(name, _same)(v.value) for name, v in state.fields.items()}
        meta = _meta(state, item.seq)
        if row is None:
            inserts.append({"id": item.record_id, **values, **meta})
        else:
            for name, value in {**values, **meta}.items():
                setattr(row, name, value)
        changes.append(Change(entity, item.record_id, frozenset(values), deleted=state.deleted is not None))
    if inserts:
        session.execute(sa.insert(table), inserts)
    return changes, logged


def _load(session: Session, table: type[SyncedRow], ids: list[uuid.UUID]) -> dict[uuid.UUID, SyncedRow]:
    found: dict[uuid.UUID, SyncedRow] = {}
    for start in range(0, len(ids), IN_CHUNK):
        chunk = ids[start : start + IN_CHUNK]
        found.update((row.id, row) for row in session.scalars(sa.select(table).where(table.id.in_(chunk))))
    return found


def _meta(state: RecordState, seq: int) -> dict[str, Any]:
    return {
        "stamps": {name: v.stamp.encode() for name, v in state.fields.items()},
        "bases": {name: v.base.encode() for name, v in state.fields.items() if v.base is not None},
        "deleted": state.deleted.encode() if state.deleted else None,
        "server_seq": seq,
    }


def _converters(table: type[SyncedRow]) -> dict[str, Callable[[Any], Any]]:
    """Wire value -> column value, per column type (JSON columns take the wire value as it is)."""
    converters: dict[str, Callable[[Any], Any]] = {}
    for column in table.__table__.columns:
        if isinstance(column.type, JSON):
            continue
        if isinstance(column.type, Uuid):
            converters[column.key] = _uuid
        elif isinstance(column.type, UtcDateTime):
            converters[column.key] = _datetime
        elif isinstance(column.type, Date):
            converters[column.key] = _date
    return converters


def _same(value: Any) -> Any:
    return value


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


def _datetime(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)
