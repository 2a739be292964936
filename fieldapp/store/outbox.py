"""The outbox: local changes in the order they were made, until the server acknowledges them.

An entry leaves the outbox only when the server has acknowledged its mutation id. An entry the server
refuses is set aside (``rejected``) with the server's reason, so one bad record never blocks the rest.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from fieldapp.domain.clock import HybridClock, Stamp
from fieldapp.domain.merge import JSONValue, RecordState, Versioned
from fieldapp.store.models import ROW_TYPES, OutboxRow, SyncStateRow

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


def pending(session: Session, limit: int = 500) -> list[OutboxEntry]:
    """The oldest pending entries, in the order they were made."""
    rows = session.scalars(
        select(OutboxRow).where(OutboxRow.status == PENDING).order_by(OutboxRow.seq).limit(limit)
    )
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


def _entry(row: OutboxRow) -> OutboxEntry:
    changes = {name: _versioned(change) for name, change in row.changes.items()}
    deleted = Stamp.decode(row.deleted) if row.deleted else None
    return OutboxEntry(row.seq, row.mutation_id, row.entity, row.record_id, changes, deleted, row.attempts)


def _versioned(change: dict[str, JSONValue]) -> Versioned:
    base = change.get("b")
    return Versioned(change["v"], Stamp.decode(change["s"]), Stamp.decode(base) if base else None)


def restamp(session: Session, clock: HybridClock, above: Stamp | None = None) -> int:
    """Give the pending changes stamped above ``above`` new stamps from ``clock`` (after it was rewound).

    Used when the server refused stamps from the future: those changes never reached the server, so
    their stamps can be replaced, in the rows too. A change stamped at or below ``above`` (by default
    the clock's reading, i.e. the floor it was just rewound to) keeps its stamp: the server accepts it,
    it may already hold it (an acknowledgement lost on the way back), and a new stamp would either move
    a correctly stamped edit forward in time or leave this device holding a stamp the server never saw.
    Bases that named a replaced stamp are rewritten too. Returns how many changes were re-stamped.
    """
    limit = above if above is not None else clock.last
    renamed: dict[str, str] = {}
    count = 0
    rows = session.scalars(select(OutboxRow).where(OutboxRow.status == PENDING).order_by(OutboxRow.seq)).all()
    for entry in rows:
        stamps = [change["s"] for change in entry.changes.values()] + (
            [entry.deleted] if entry.deleted else []
        )
        if all(Stamp.decode(stamp) <= limit for stamp in stamps):
            continue  # acceptable as it is (and stamped before anything re-stamped here: bases stay valid)
        new = clock.now().encode()
        count += 1
        for stamp in stamps:
            renamed[stamp] = new
        entry.changes = {
            name: {"v": change["v"], "s": new, "b": renamed.get(change["b"], change["b"])}
            for name, change in entry.changes.items()
        }
        entry.deleted = new if entry.deleted else None
        _restamp_row(session, entry.entity, entry.record_id, renamed)
    session.execute(update(SyncStateRow).where(SyncStateRow.id == 1).values(last_stamp=clock.last.encode()))
    return count


def _restamp_row(session: Session, entity: str, record_id: uuid.UUID, renamed: dict[str, str]) -> None:
    row = session.get(ROW_TYPES[entity], record_id)
    if row is None:
        return
    row.stamps = {name: renamed.get(stamp, stamp) for name, stamp in row.stamps.items()}
    row.bases = {name: renamed.get(base, base) for name, base in row.bases.items()}
    if row.deleted is not None:
        row.deleted = renamed.get(row.deleted, row.deleted)
