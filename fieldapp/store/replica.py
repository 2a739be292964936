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
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.clock import HybridClock, Stamp
from fieldapp.domain.entities import ENTITY_TYPES, entity_type
from fieldapp.domain.merge import RecordState, Versioned, merge
from fieldapp.store import bulk, conflicts
from fieldapp.store.models import (
    ROW_TYPES,
    OutboxRow,
    PendingEvictionRow,
    SyncedRow,
    SyncStateRow,
)
from fieldapp.store.notices import VisitChange
from fieldapp.store.records import record_state
from fieldapp.store.repo import Change
from fieldapp.store.wire import check_stamps, converters, read_fields, same

# The domain's order (parents before their children), so a page reads naturally; nothing depends on it
# (the replica has no FKs).
ENTITY_ORDER = tuple(ENTITY_TYPES)
_COLUMNS = {
    name: frozenset(c.key for c in table.__table__.columns)
    - {"id", "stamps", "bases", "deleted", "server_seq"}
    for name, table in ROW_TYPES.items()
}
# Values for fields a pulled record may lack: records written before a field existed (an older tablet or
# server) carry no value for it, and a new row takes the entity's default, as validation would.
_DEFAULTS = {
    name: {
        field: info.get_default(call_default_factory=True)
        for field, info in entity_type(name).model_fields.items()
        if field in columns and not info.is_required()
    }
    for name, columns in _COLUMNS.items()
}
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
    visits: tuple[VisitChange, ...] = ()  # with ``watch_visits``: each visit changed, before and after


def apply_remote(
    session: Session, clock: HybridClock, records: Sequence[RemoteRecord], *, watch_visits: bool = False
) -> Applied:
    """Merge records given as domain states (tests, tools); see ``apply_wire`` for pulled pages."""
    return apply_wire(session, clock, [_to_wire(r) for r in records], watch_visits=watch_visits)


def apply_wire(
    session: Session, clock: HybridClock, changes: Sequence[dict[str, Any]], *, watch_visits: bool = False
) -> Applied:
    """Merge a pulled page, in its wire form (``RecordChange`` dicts), in the caller's transaction.

    Records this device does not hold go straight from the wire into one bulk insert; records it holds
    and that did not change are only re-numbered; the others are merged field by field. Raises
    ValueError for a change that is not well formed (unknown entity or field, bad id or stamp). With
    ``watch_visits``, ``Applied.visits`` lists each live visit changed, for the schedule notices.
    """
    if any(c.get("entity") not in ENTITY_ORDER for c in changes):
        raise ValueError("the server sent a record of an unknown kind")
    out: list[Change] = []
    logged = 0
    newest = ""
    visits: list[VisitChange] | None = [] if watch_visits else None
    kinds: dict[str, list[dict[str, Any]]] = {}
    for change in changes:
        kinds.setdefault(change["entity"], []).append(change)
    for entity in ENTITY_ORDER:
        items = kinds.get(entity)
        if items:
            watch = visits if entity == "visit" else None
            entity_changes, entity_conflicts, entity_newest = _apply_entity(session, entity, items, watch)
            out += entity_changes
            logged += entity_conflicts
            newest = max(newest, entity_newest)
    if newest:
        # Encoded stamps sort in clock order, so the greatest string is the newest stamp.
        stamp = clock.observe(Stamp.decode(newest))
        session.execute(sa.update(SyncStateRow).where(SyncStateRow.id == 1).values(last_stamp=stamp.encode()))
    return Applied(tuple(out), logged, tuple(visits or ()))


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


def _apply_entity(
    session: Session, entity: str, items: Sequence[dict[str, Any]], watch: list[VisitChange] | None = None
) -> tuple[list[Change], int, str]:
    table = ROW_TYPES[entity]
    columns = _COLUMNS[entity]
    ids = [_record_id(item) for item in items]
    existing = _load(session, table, ids)
    connection = session.connection()  # new rows go in on it: no ORM bookkeeping, no per-row processing
    new = bulk.NewRows(bulk.plan(table, connection.dialect, _DEFAULTS[entity]))
    convert = converters(table)
    changes: list[Change] = []
    logged = 0
    newest = ""
    for record_id, item in zip(ids, items, strict=True):
        row = existing.get(record_id)
        if row is None:
            fields = new.add(record_id, item)
            deleted = item.get("deleted") is not None
            changes.append(Change(entity, record_id, frozenset(fields), deleted=deleted))
            if watch is not None and not deleted:
                stamps, bases, values, _ = _unpack(item, columns)
                watch.append(VisitChange(record_id, None, _state(stamps, bases, values, None)))
            continue
        change, losers, stamp = _merge_row(session, row, item, columns, convert, watch)
        logged += losers
        newest = max(newest, stamp)
        if change is not None:
            changes.append(change)
    newest = max(newest, new.newest())
    new.write(connection)
    return changes, logged, newest


def _merge_row(
    session: Session,
    row: SyncedRow,
    item: dict[str, Any],
    columns: frozenset[str],
    convert: dict[str, Callable[[Any], Any]],
    watch: list[VisitChange] | None,
) -> tuple[Change | None, int, str]:
    """Merge a pulled record into the row this device holds (its pending edits included): the change
    made (None for none), the losing values logged, and the record's newest stamp."""
    entity, record_id = row.entity_name, row.id
    stamps, bases, values, deleted = _unpack(item, columns)
    newest = max(max(stamps.values(), default=""), deleted or "")
    seq = int(item["seq"])
    if row.stamps == stamps and row.bases == bases and row.deleted == deleted:
        row.server_seq = max(row.server_seq or 0, seq)  # our own write coming back: nothing to merge
        return None, 0, newest
    local = record_state(row)
    result = merge(entity, local, _state(stamps, bases, values, deleted))
    logged = conflicts.record(session, entity, record_id, result.losers)
    if result.state == local:
        row.server_seq = max(row.server_seq or 0, seq)
        return None, logged, newest
    state = result.state
    if watch is not None and state.deleted is None:
        watch.append(VisitChange(record_id, local, state))
    for name, v in state.fields.items():
        setattr(row, name, convert.get(name, same)(v.value))
    for name, value in _meta(state, seq).items():
        setattr(row, name, value)
    return (
        Change(entity, record_id, frozenset(state.fields), deleted=state.deleted is not None),
        logged,
        newest,
    )


def _record_id(item: dict[str, Any]) -> uuid.UUID:
    try:
        return uuid.UUID(item["record_id"])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise ValueError("the server sent a record without a valid id") from None


def _unpack(
    item: dict[str, Any], columns: frozenset[str]
) -> tuple[dict[str, str], dict[str, str], dict[str, Any], str | None]:
    """Stamps, bases, values and tombstone of a wire record, each stamp checked once as text."""
    fields, stamps, bases = read_fields(item, columns)
    values = {name: change.get("v") for name, change in fields.items()}
    deleted = item.get("deleted")
    check_stamps([*stamps.values(), *bases.values(), *([] if deleted is None else [deleted])])
    return stamps, bases, values, deleted


def _state(
    stamps: dict[str, str], bases: dict[str, str], values: dict[str, Any], deleted: str | None
) -> RecordState:
    fields = {
        name: Versioned(
            values[name], Stamp.decode(stamp), Stamp.decode(bases[name]) if name in bases else None
        )
        for name, stamp in stamps.items()
    }
    return RecordState(fields, Stamp.decode(deleted) if deleted else None)


def _to_wire(record: RemoteRecord) -> dict[str, Any]:
    fields = {
        name: {"v": v.value, "s": v.stamp.encode(), "b": v.base.encode() if v.base else None}
        for name, v in record.state.fields.items()
    }
    deleted = record.state.deleted.encode() if record.state.deleted else None
    return {
        "entity": record.entity,
        "record_id": str(record.record_id),
        "fields": fields,
        "deleted": deleted,
        "seq": record.seq,
    }


def _load(session: Session, table: type[SyncedRow], ids: list[uuid.UUID]) -> dict[uuid.UUID, SyncedRow]:
    """The rows this device holds among ``ids``: found by their stored ids (a first sync holds none of
    them), then only those loaded through the ORM."""
    session.flush()  # as the ORM's query would: rows added in this transaction are found too
    held = bulk.held(session.connection(), table, ids, IN_CHUNK)
    found: dict[uuid.UUID, SyncedRow] = {}
    for start in range(0, len(held), IN_CHUNK):
        chunk = held[start : start + IN_CHUNK]
        found.update((row.id, row) for row in session.scalars(sa.select(table).where(table.id.in_(chunk))))
    return found


def _meta(state: RecordState, seq: int) -> dict[str, Any]:
    return {
        "stamps": {name: v.stamp.encode() for name, v in state.fields.items()},
        "bases": {name: v.base.encode() for name, v in state.fields.items() if v.base is not None},
        "deleted": state.deleted.encode() if state.deleted else None,
        "server_seq": seq,
    }
