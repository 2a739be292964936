"""The office's conflicts: the values that lost a merge, open or resolved, and which may be restored."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.clock import Stamp
from fieldapp.server.core.losses import restorable
from fieldapp.server.listing import (
    PER_PAGE,
    Page,
    page_number,
    patient_names,
    usernames,
)
from fieldapp.server.models import ConflictEntry

# -- conflicts -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConflictRow:
    id: int
    entity: str
    record_id: uuid.UUID
    patient_id: uuid.UUID | None
    patient_name: str
    field: str
    reason: str
    lost_value: Any
    lost_at: datetime | None
    lost_device: str
    winner_value: Any
    winner_at: datetime | None
    winner_device: str
    detected_at: datetime
    resolved_at: datetime | None
    resolved_by: str
    restorable: bool


def conflicts(
    session: Session, state: str = "open", page: int = 1, per_page: int = PER_PAGE
) -> Page[ConflictRow]:
    """The server's conflict log, newest first: open ones (``state="open"``), resolved ones, or all."""
    where = []
    if state == "open":
        where.append(ConflictEntry.resolved_at.is_(None))
    elif state == "resolved":
        where.append(ConflictEntry.resolved_at.is_not(None))
    total = session.scalar(sa.select(sa.func.count()).select_from(ConflictEntry).where(*where)) or 0
    page = page_number(page, total, per_page)
    entries = session.scalars(
        sa.select(ConflictEntry)
        .where(*where)
        .order_by(ConflictEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    names = patient_names(session, {e.patient_id for e in entries if e.patient_id})
    resolvers = usernames(session, {e.resolved_by for e in entries if e.resolved_by})
    items = [_conflict_row(e, names, resolvers) for e in entries]
    return Page(items, total, page, per_page)


def _conflict_row(
    entry: ConflictEntry, names: dict[uuid.UUID, str], resolvers: dict[uuid.UUID, str]
) -> ConflictRow:
    lost_at, lost_device = _stamp_parts(entry.lost_stamp)
    winner_at, winner_device = _stamp_parts(entry.winner_stamp)
    return ConflictRow(
        id=entry.id,
        entity=entry.entity,
        record_id=entry.record_id,
        patient_id=entry.patient_id,
        patient_name=names.get(entry.patient_id, "") if entry.patient_id else "",
        field=entry.field,
        reason=entry.reason,
        lost_value=entry.lost_value,
        lost_at=lost_at,
        lost_device=lost_device,
        winner_value=entry.winner_value,
        winner_at=winner_at,
        winner_device=winner_device,
        detected_at=entry.detected_at,
        resolved_at=entry.resolved_at,
        resolved_by=resolvers.get(entry.resolved_by, "") if entry.resolved_by else "",
        restorable=entry.resolved_at is None and restorable(entry.entity, entry.field, entry.reason),
    )


def _stamp_parts(text: str | None) -> tuple[datetime | None, str]:
    if not text:
        return None, ""
    try:
        stamp = Stamp.decode(text)
    except ValueError:
        return None, ""
    return datetime.fromtimestamp(stamp.wall_ms / 1000, UTC), stamp.node


def open_conflicts(session: Session) -> int:
    """How many conflicts wait for the office (shown in the navigation)."""
    return (
        session.scalar(
            sa.select(sa.func.count()).select_from(ConflictEntry).where(ConflictEntry.resolved_at.is_(None))
        )
        or 0
    )
