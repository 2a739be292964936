"""The change feed's numbering.

Every write that changes what devices must pull takes numbers from the ``change_seq`` counter row
inside its transaction. Writers lock that row first (``lock``), so they run one at a time and commit in
the order of their numbers: a reader never sees number n+1 committed while n is still invisible, and a
cursor ("everything up to n") never skips a change. On SQLite the write lock does the same.
See docs/decisions/0005-change-feed.md.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.models import Counter

CHANGE_SEQ = "change_seq"
CURSOR_PREFIX = "s"


def lock(session: Session) -> int:
    """Take the feed's writer lock for this transaction; returns the last number given out."""
    value = session.scalar(sa.select(Counter.value).where(Counter.name == CHANGE_SEQ).with_for_update())
    if value is None:
        raise RuntimeError("the change counter is missing: run the server migrations")
    return value


def allocate(session: Session, count: int) -> list[int]:
    """``count`` new, increasing change numbers (call after ``lock`` in the same transaction)."""
    if count <= 0:
        return []
    statement = (
        sa.update(Counter)
        .where(Counter.name == CHANGE_SEQ)
        .values(value=Counter.value + count)
        .returning(Counter.value)
    )
    last = session.execute(statement).scalar_one()
    return list(range(last - count + 1, last + 1))


def current(session: Session) -> int:
    """The newest committed change number."""
    return session.scalar(sa.select(Counter.value).where(Counter.name == CHANGE_SEQ)) or 0


def encode_cursor(seq: int) -> str:
    """The opaque cursor a device stores: everything up to ``seq`` has been delivered."""
    return f"{CURSOR_PREFIX}{seq}"


def decode_cursor(cursor: str | None) -> int:
    """Parse a cursor; None or empty means "from the beginning". Raises ValueError for anything else."""
    if not cursor:
        return 0
    if not cursor.startswith(CURSOR_PREFIX) or not cursor[1:].isdigit() or len(cursor) > 20:
        raise ValueError(f"not a cursor this server issued: {cursor[:40]!r}")
    return int(cursor[1:])
