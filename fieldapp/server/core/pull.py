"""Pull: one page of the change feed after a device's cursor, in the device user's scope.

A page is read from one snapshot (REPEATABLE READ on PostgreSQL), only below the feed's horizon (no
position a writer still in flight could fill later; see ``feed``), keyed by the ``seq`` index, so a page
costs the same at the start and at the end of the feed. Records the asking device pushed itself, and holds
exactly as the server does, are skipped (``Record.origin``). The progress estimate (``remaining``) is
counted once per sync, on its first page, and then counted down in the continuation cursor
(``s<position>r<remaining>``), never recounted page after page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import caseload, feed, losses
from fieldapp.server.errors import Conflict, Invalid
from fieldapp.server.models import Assignment, Record
from fieldapp.server.settings import Settings

MAX_CURSOR = 48


def pull(
    session: Session, principal: Principal, cursor: str | None, limit: int, settings: Settings, now: datetime
) -> bytes:
    """One page of the feed after ``cursor`` as JSON bytes (a ``PullResponse``), built without copies."""
    try:
        since, remaining = decode(cursor)
    except ValueError as exc:
        raise Invalid(str(exc), code="bad_cursor") from None
    limit = max(1, min(limit, settings.page_limit))
    horizon, ceiling = feed.read_limits(session)  # first: it takes the snapshot the rows are read from
    if since >= ceiling:
        raise Conflict(
            "this device's cursor is ahead of the server's change feed (was the server restored from "
            "a backup?); pull again from the beginning",
            code="cursor_ahead",
        )
    if since >= horizon - 1:  # nothing can be there (yet): the no-op pull costs no scan
        return empty(since, now)
    scope = _scope(principal)
    window = sa.and_(Record.seq > since, Record.seq < horizon, scope, _not_own_echo(principal, since))
    # Keys first: pick the page's ids by the (seq) index, then read only those rows' JSON columns.
    page_ids = sa.select(Record.id).where(window).order_by(Record.seq).limit(limit + 1).scalar_subquery()
    rows = session.execute(
        sa.select(Record.id, Record.entity, Record.wire, Record.deleted, Record.seq)
        .where(Record.id.in_(page_ids))
        .order_by(Record.seq)
    ).all()
    evictions = _evictions(session, principal, since, horizon, limit)
    items: list[tuple[int, str, Any]] = [(r.seq, "change", r) for r in rows]
    items += [(e.seq, "eviction", e) for e in evictions]
    items.sort(key=lambda item: item[0])
    changes, gone, last = _fill(session, items, since, limit, settings.page_max_bytes)
    has_more = len(changes) + len(gone) < len(items)
    if has_more and remaining is None:  # the first page of a sync: count once what is to come
        remaining = _count(session, principal, since, horizon)
    left = max(0, (remaining or 0) - len(changes)) if has_more else 0
    # Everything below the horizon was seen in this snapshot: an exhausted feed moves the cursor there.
    until = last if has_more else horizon - 1
    envelope = {
        "evictions": gone,
        "losses": losses.notices(session, principal.device_id, since, until),
        "cursor": encode(last, left) if has_more else feed.encode_cursor(until),
        "has_more": has_more,
        "remaining": left,
        "server_time_ms": int(now.timestamp() * 1000),
    }
    # The records' wire JSON is stored ready-made (``Record.wire``): the page is spliced, not re-encoded.
    return b'{"changes":[' + b",".join(changes) + b"]," + orjson.dumps(envelope)[1:]


def _fill(
    session: Session, items: list[tuple[int, str, Any]], since: int, limit: int, max_bytes: int
) -> tuple[list[bytes], list[dict[str, Any]], int]:
    """The page's changes (wire JSON) and evictions in feed order, up to ``limit`` items or about
    ``max_bytes``, and the feed position of the last one taken."""
    changes: list[bytes] = []
    gone: list[dict[str, Any]] = []
    size, last = 0, since
    for seq, kind, item in items:
        if len(changes) + len(gone) >= limit or (size >= max_bytes and (changes or gone)):
            break
        if kind == "eviction":
            gone.append({"patient_id": str(item.patient_id), "seq": seq})
        else:
            change = _change(session, item)
            size += len(change)
            changes.append(change)
        last = seq
    return changes, gone, last


def empty(since: int, now: datetime) -> bytes:
    """The answer when nothing is new after ``since``."""
    return orjson.dumps(
        {
            "changes": [],
            "evictions": [],
            "losses": [],
            "cursor": feed.encode_cursor(since),
            "has_more": False,
            "remaining": 0,
            "server_time_ms": int(now.timestamp() * 1000),
        }
    )


def decode(cursor: str | None) -> tuple[int, int | None]:
    """A cursor's position, and the remaining count a continuation cursor carries (None for a sync's start).

    Raises ValueError for anything this server did not issue."""
    if cursor and len(cursor) <= MAX_CURSOR and "r" in cursor:
        position, _, remaining = cursor.partition("r")
        if remaining.isdigit() and remaining.isascii() and len(remaining) <= 12:
            return feed.decode_cursor(position), int(remaining)
        raise ValueError(f"not a cursor this server issued: {cursor[:40]!r}")
    return feed.decode_cursor(cursor), None


def encode(position: int, remaining: int) -> str:
    """A continuation cursor: the position, and the estimate of what is left after it."""
    return f"{feed.encode_cursor(position)}r{remaining}"


def _scope(principal: Principal) -> sa.ColumnElement[bool]:
    if principal.is_office:
        return sa.true()
    return sa.or_(
        caseload.on_caseload(principal.user_id, Record.patient_id),
        sa.and_(Record.entity == "day_report", Record.worker_id == principal.user_id),
    )


def _not_own_echo(principal: Principal, since: int) -> sa.ColumnElement[bool]:
    """Not a record this device pushed and holds as is (unless it pulls again from before that push)."""
    return sa.or_(Record.origin.is_(None), Record.origin != principal.device_id, Record.origin_since > since)


def _evictions(session: Session, principal: Principal, since: int, horizon: int, limit: int) -> list[Any]:
    if principal.is_office:
        return []
    return list(
        session.execute(
            sa.select(Assignment.patient_id, Assignment.seq)
            .where(
                Assignment.worker_id == principal.user_id,
                Assignment.active.is_(False),
                Assignment.seq > since,
                Assignment.seq < horizon,
            )
            .order_by(Assignment.seq)
            .limit(limit + 1)
        ).all()
    )


def _count(session: Session, principal: Principal, since: int, horizon: int) -> int:
    """Records in scope between ``since`` and the horizon: once per sync, through the caseload's index."""
    between = sa.and_(Record.seq > since, Record.seq < horizon)
    if principal.is_office:
        return session.scalar(sa.select(sa.func.count()).select_from(Record).where(between)) or 0
    on_caseload = (
        sa.select(sa.func.count())
        .select_from(Record)
        .join(Assignment, Assignment.patient_id == Record.patient_id)
        .where(Assignment.worker_id == principal.user_id, Assignment.active.is_(True), between)
    )
    reports = (
        sa.select(sa.func.count())
        .select_from(Record)
        .where(Record.entity == "day_report", Record.worker_id == principal.user_id, between)
    )
    return (session.scalar(on_caseload) or 0) + (session.scalar(reports) or 0)


def wire_fields(values: dict[str, Any], stamps: dict[str, str], bases: dict[str, str]) -> str:
    """A record's fields as the feed sends them, ``{name: {"v", "s", "b"}}`` in JSON, kept with the row."""
    fields = {
        name: {"v": values.get(name), "s": stamp, "b": bases.get(name)} for name, stamp in stamps.items()
    }
    return orjson.dumps(fields).decode()


def _change(session: Session, row: Any) -> bytes:
    wire = row.wire
    if wire is None:  # a row written by a tool that did not fill the column: build it once
        record = session.get(Record, row.id)
        assert record is not None
        wire = wire_fields(record.fields, record.stamps, record.bases)
    deleted = b"null" if row.deleted is None else b'"' + row.deleted.encode() + b'"'
    parts = (
        b'{"entity":"',
        row.entity.encode(),
        b'","record_id":"',
        str(row.id).encode(),
        b'","fields":',
        wire.encode(),
        b',"deleted":',
        deleted,
        b',"seq":',
        str(row.seq).encode(),
        b"}",
    )
    return b"".join(parts)
