"""The outbox: local changes in the order they were made, until the server acknowledges them.

An entry leaves the outbox only when the server has acknowledged its mutation id. An entry the server
refuses is set aside (``rejected``) with the server's reason, so one bad record never blocks the rest.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import JSONValue, RecordState, Versioned
from fieldapp.store.models import OutboxRow

PENDING, REJECTED = "pending", "rejected"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One queued mutation: the changed fields with their stamps, or a tombstone."""

    seq: int
    mutation_id: uuid.UUID
    entity: str
    record_id: uuid.UUID
    changes: dict[str, Versioned]
    deleted: Stamp | None
    attempts: int

    def state(self) -> RecordState:
        """The mutation as a (partial) record state, ready to merge."""
        return RecordState(self.changes, self.deleted)

    def stamps(self) -> list[Stamp]:
        """The stamps this mutation carries (one per write: its fields share it, or its tombstone)."""
        return [v.stamp for v in self.changes.values()] + ([self.deleted] if self.deleted else [])


def pending(session: Session, limit: int = 500, held_back: Collection[uuid.UUID] = ()) -> list[OutboxEntry]:
    """The oldest pending entries, in the order they were made, without those of the records held back
    (an attachment whose large file is still going up in the background)."""
    query = select(*ENTRY_COLUMNS).where(OutboxRow.status == PENDING)
    if held_back:
        query = query.where(OutboxRow.record_id.not_in(list(held_back)))
    rows = session.execute(query.order_by(OutboxRow.seq).limit(limit))  # plain rows: no ORM objects
    return [_entry(row) for row in rows]


def pending_count(session: Session) -> int:
    """How many local changes have not reached the server yet."""
    return session.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.status == PENDING)) or 0


def acknowledge(session: Session, mutation_ids: Iterable[uuid.UUID]) -> int:
    """Remove entries the server acknowledged; returns how many were removed."""
    ids = list(mutation_ids)
    if not ids:
        return 0
    result = session.execute(delete(OutboxRow).where(OutboxRow.mutation_id.in_(ids)))
    return int(result.rowcount)  # type: ignore[attr-defined]


def reject(session: Session, mutation_id: uuid.UUID, reason: str) -> None:
    """Set an entry aside with the server's reason; it stays visible until a person deals with it."""
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.mutation_id == mutation_id)
        .values(status=REJECTED, error=reason, attempts=OutboxRow.attempts + 1)
    )


def rejected(session: Session) -> list[tuple[OutboxEntry, str]]:
    """Entries the server refused, with its reasons."""
    rows = session.scalars(select(OutboxRow).where(OutboxRow.status == REJECTED).order_by(OutboxRow.seq))
    return [(_entry(row), row.error or "") for row in rows]


ENTRY_COLUMNS = (
    OutboxRow.seq,
    OutboxRow.mutation_id,
    OutboxRow.entity,
    OutboxRow.record_id,
    OutboxRow.changes,
    OutboxRow.deleted,
    OutboxRow.attempts,
)


def _entry(row: Any) -> OutboxEntry:
    changes = {name: _versioned(change) for name, change in row.changes.items()}
    deleted = Stamp.decode(row.deleted) if row.deleted else None
    return OutboxEntry(row.seq, row.mutation_id, row.entity, row.record_id, changes, deleted, row.attempts)


def _versioned(change: dict[str, JSONValue]) -> Versioned:
    base = change.get("b")
    return Versioned(change["v"], Stamp.decode(change["s"]), Stamp.decode(base) if base else None)
