"""The device's audit log: who signed in, unlocked, viewed, edited, exported, printed and synced what.

Append-only in the database itself (triggers refuse UPDATE and DELETE, migration 0004), hash-chained
(``fieldapp.domain.audit``), and uploaded to the server by the sync engine; how far the upload got is kept
beside the sync state, so entries are never touched after they are written. Entries are written in the
caller's transaction: an edit and its audit entry are saved together or not at all.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.domain.audit import GENESIS, AuditAction, AuditContent, clean_username, clip_detail
from fieldapp.domain.clock import HybridClock
from fieldapp.store.models import AuditRow, SyncStateRow
from fieldapp.store.repo import Change


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One stored entry with its hash."""

    content: AuditContent
    hash: str


def record(
    session: Session,
    username: str,
    action: AuditAction,
    *,
    entity: str | None = None,
    record_id: uuid.UUID | None = None,
    detail: str = "",
    clock: HybridClock | None = None,
) -> AuditEntry:
    """Append one entry; its time is the device's clock corrected by the measured server offset."""
    last = session.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at_ms = clock.physical() if clock is not None else int(time.time() * 1000)
    content = AuditContent(
        uuid.uuid4(),
        seq,
        at_ms,
        clean_username(username),
        action,
        entity,
        record_id,
        clip_detail(detail),
        prev_hash,
    )
    digest = content.digest()
    # The row's columns are the content's fields and its hash.
    session.add(AuditRow(**{**asdict(content), "action": action.value}, hash=digest))
    session.flush()
    return AuditEntry(content, digest)


def record_changes(
    session: Session, username: str, changes: Sequence[Change], clock: HybridClock | None = None
) -> int:
    """One ``edit`` entry per record a save changed, naming the fields (never their values)."""
    written = 0
    for change in changes:
        if change.is_noop:
            continue
        detail = "deleted" if change.deleted else "fields: " + ", ".join(sorted(change.fields))
        record(
            session,
            username,
            AuditAction.EDIT,
            entity=change.entity,
            record_id=change.record_id,
            detail=detail,
            clock=clock,
        )
        written += 1
    return written


def unsent(session: Session, limit: int) -> list[AuditEntry]:
    """The oldest entries the server does not have yet (one query: the sync engine asks every cycle)."""
    sent = select(SyncStateRow.audit_sent_seq).where(SyncStateRow.id == 1).scalar_subquery()
    rows = session.scalars(select(AuditRow).where(AuditRow.seq > sent).order_by(AuditRow.seq).limit(limit))
    return [_entry(row) for row in rows]


def unsent_count(session: Session) -> int:
    """How many entries wait for upload."""
    sent = _sent_seq(session)
    return session.scalar(select(sa.func.count()).select_from(AuditRow).where(AuditRow.seq > sent)) or 0


def mark_sent(session: Session, seq: int) -> None:
    """The server holds every entry up to ``seq``."""
    session.execute(
        sa.update(SyncStateRow)
        .where(SyncStateRow.id == 1, SyncStateRow.audit_sent_seq < seq)
        .values(audit_sent_seq=seq)
    )


def prune(session: Session, before_ms: int) -> int:
    """Delete the oldest entries, up to the first one from ``before_ms`` on, that the server already
    holds (the database refuses to delete any other); returns how many went. Only a prefix of the log
    goes (a clock set back never leaves a hole) and never the newest entry (the next one chains to it and
    takes its number from it); the chain is then checked from the oldest entry kept."""
    sent = select(SyncStateRow.audit_sent_seq).where(SyncStateRow.id == 1).scalar_subquery()
    recent = select(sa.func.min(AuditRow.seq)).where(AuditRow.at_ms >= before_ms).scalar_subquery()
    newest = select(sa.func.max(AuditRow.seq)).scalar_subquery()  # kept: the next entry chains to it
    doomed = sa.and_(
        AuditRow.seq <= sent, AuditRow.seq < newest, sa.or_(recent.is_(None), AuditRow.seq < recent)
    )
    result = session.execute(sa.delete(AuditRow).where(doomed))
    return int(getattr(result, "rowcount", 0) or 0)


def entries(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The newest entries, newest first (for the settings screen and support)."""
    rows = session.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(limit))
    return [_entry(row) for row in rows]


def first_break(session: Session) -> int | None:
    """The sequence number of the first entry whose hash or link does not hold, or None if intact.

    The chain starts at the genesis, or, once older entries the server holds were pruned, at the oldest
    entry kept (pruning may only have removed entries up to the upload cursor)."""
    sent = _sent_seq(session)
    prev_hash: str | None = GENESIS
    expected: int | None = 1
    for row in session.scalars(select(AuditRow).order_by(AuditRow.seq)).yield_per(1000):
        if expected == 1 and row.seq != 1 and row.seq <= sent + 1:  # the oldest entry kept after pruning
            prev_hash, expected = row.prev_hash, row.seq
        entry = _entry(row)
        if row.seq != expected or row.prev_hash != prev_hash or entry.content.digest() != row.hash:
            return row.seq
        prev_hash, expected = row.hash, row.seq + 1
    return None


def _sent_seq(session: Session) -> int:
    return session.scalar(select(SyncStateRow.audit_sent_seq).where(SyncStateRow.id == 1)) or 0


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(AuditContent.of(row, row.at_ms), row.hash)
