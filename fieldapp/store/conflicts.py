"""The local conflict log: values that lost a merge, kept so the worker can see and restore them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import JSONValue, Loser, LossReason
from fieldapp.readmodels.conflicts import Conflict as Conflict  # re-exported: what the log returns
from fieldapp.store.models import ConflictRow


def record(session: Session, entity: str, record_id: uuid.UUID, losers: Iterable[Loser]) -> int:
    """Log every loser a person should see (superseded values are normal editing and are not logged),
    once: a value the log already holds as lost (from the server's word, say) is not logged again."""
    now = datetime.now(UTC)
    shown = [loser for loser in losers if loser.reason is not LossReason.SUPERSEDED]
    known = _logged(session, record_id, [(loser.field, loser.lost.stamp.encode()) for loser in shown])
    rows = [
        ConflictRow(
            entity=entity,
            record_id=record_id,
            **loser.logged(),
            detected_at=now,
        )
        for loser in shown
        if (loser.field, loser.lost.stamp.encode()) not in known
    ]
    session.add_all(rows)
    return len(rows)


@dataclass(frozen=True, slots=True)
class ReportedLoss:
    """A loss of one of this device's values, as the server logged it (its reason may be the server's
    own, such as ``attestation_mismatch``)."""

    entity: str
    record_id: uuid.UUID
    field: str
    reason: str
    lost_value: JSONValue
    lost_stamp: str
    winner_value: JSONValue
    winner_stamp: str | None


def record_reported(session: Session, notices: Iterable[ReportedLoss]) -> int:
    """Log the losses of this device's values the server reports (decision 0013), each once."""
    now = datetime.now(UTC)
    added = 0
    for notice in notices:
        key = (notice.field, notice.lost_stamp)
        if key in _logged(session, notice.record_id, [key]):
            continue
        session.add(ConflictRow(**asdict(notice), detected_at=now))  # its fields are the log's columns
        session.flush()  # a page may name one loss twice; the check above must see the first
        added += 1
    return added


def _logged(session: Session, record_id: uuid.UUID, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    if not keys:
        return set()
    rows = session.execute(
        select(ConflictRow.field, ConflictRow.lost_stamp).where(
            ConflictRow.record_id == record_id, ConflictRow.lost_stamp.in_([stamp for _, stamp in keys])
        )
    )
    return {(name, stamp) for name, stamp in rows}


def open_conflicts(session: Session) -> list[Conflict]:
    """Unresolved conflicts, newest first."""
    rows = session.scalars(
        select(ConflictRow).where(ConflictRow.resolved_at.is_(None)).order_by(ConflictRow.id.desc())
    )
    return [_conflict(row) for row in rows]


def open_count(session: Session) -> int:
    """How many conflicts wait for a person."""
    query = select(func.count()).select_from(ConflictRow).where(ConflictRow.resolved_at.is_(None))
    return session.scalar(query) or 0


def resolve(session: Session, conflict_id: int, resolution: str) -> None:
    """Mark a conflict dealt with (``kept`` the winner or ``restored`` the lost value)."""
    row = session.get(ConflictRow, conflict_id)
    if row is None:
        raise KeyError(f"no conflict {conflict_id}")
    row.resolved_at = datetime.now(UTC)
    row.resolution = resolution


def _conflict(row: ConflictRow) -> Conflict:
    return Conflict(
        row.id,
        row.entity,
        row.record_id,
        row.field,
        LossReason(row.reason),
        row.lost_value,
        Stamp.decode(row.lost_stamp),
        row.winner_value,
        Stamp.decode(row.winner_stamp) if row.winner_stamp else None,
        row.detected_at,
        row.resolved_at,
        row.resolution,
    )
