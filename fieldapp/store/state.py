"""The device's replication state as the status commands and the UI read it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.readmodels.status import StoreStatus as StoreStatus  # re-exported: what the status read returns
from fieldapp.store import conflicts, outbox
from fieldapp.store.models import PendingEvictionRow, SyncStateRow


def store_status(session: Session) -> StoreStatus:
    """Read the status in one consistent snapshot."""
    state = session.scalars(select(SyncStateRow).where(SyncStateRow.id == 1)).one()
    return StoreStatus(
        node_id=state.node_id,
        pending=outbox.pending_count(session),
        rejected=len(outbox.rejected(session)),
        open_conflicts=conflicts.open_count(session),
        pull_cursor=state.pull_cursor,
        last_success_at=state.last_success_at,
        clock_offset_ms=state.clock_offset_ms,
    )


def save_cursor(session: Session, cursor: str | None) -> None:
    """Remember how far the pull got (in the same transaction as the page it applied)."""
    session.execute(sa.update(SyncStateRow).where(SyncStateRow.id == 1).values(pull_cursor=cursor))


def mark_success(session: Session, when: datetime) -> None:
    """Record the end of a successful sync cycle."""
    session.execute(sa.update(SyncStateRow).where(SyncStateRow.id == 1).values(last_success_at=when))


def cursor(session: Session) -> str | None:
    """The saved pull cursor (None before the first pull)."""
    return session.scalar(sa.select(SyncStateRow.pull_cursor).where(SyncStateRow.id == 1))


def pull_start(session: Session) -> tuple[str | None, bool]:
    """The saved pull cursor, and whether evictions wait for their patients' changes to be pushed (one
    query: a no-op sync reads nothing else before its request)."""
    waiting = sa.select(PendingEvictionRow.patient_id).limit(1).exists()
    row = session.execute(sa.select(SyncStateRow.pull_cursor, waiting).where(SyncStateRow.id == 1)).one()
    return row[0], bool(row[1])
