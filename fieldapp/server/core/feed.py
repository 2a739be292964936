"""The change feed's numbering: positions readers can trust, without making writers wait for each other.

Every record row and every caseload change carries ``seq``, its position in the feed; a device's cursor
means "everything up to here was delivered". The trap is a writer that takes a lower position and commits
after a higher one was read: the cursor would skip it. See docs/decisions/0018-parallel-feed-writers.md.

PostgreSQL (many writers at once): a writer marks itself as a feed writer (``begin``: a shared advisory
lock, before the transaction has an id) and numbers its rows from its own transaction id
(``(xid + base) << 20``, plus a counter within the transaction). Transaction ids are handed out in order
and a reader's snapshot says which were still running, so a reader delivers only positions below the
oldest feed writer still in flight (``horizon``); transactions that write nothing to the feed (sign-ins,
the access log, other databases of the cluster) never hold readers back. Writers never wait for each
other except on the rows they both touch.

SQLite (one writer at a time, ``BEGIN IMMEDIATE``): positions come from the ``change_seq`` counter row
inside the writing transaction, so they become visible in order by construction.
"""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from fieldapp.server.models import Assignment, Counter, Record

CHANGE_SEQ = "change_seq"
XID_BASE = "xid_base"  # PostgreSQL: added to transaction ids so positions keep growing after a restore
CURSOR_PREFIX = "s"
SHIFT = 20  # positions per transaction: 2**20 changes (a push holds at most 1,000)
# The advisory lock every feed writer holds (shared) for its whole transaction: ("fiel", "feed").
LOCK_KEYS = (0x6669656C, 0x66656564)
SNAPSHOT_TRIES = 3  # snapshots a reader takes at most while ending transactions hold its horizon back
_STATE = "fieldapp.feed"  # session.info key: this transaction's base position and how many it gave out

_BEGIN = sa.text(
    "SELECT pg_current_xact_id_if_assigned() IS NULL"
    " FROM (SELECT pg_advisory_xact_lock_shared(:k1, :k2)) AS feed_writer"
)
_XID = sa.text(
    "SELECT pg_current_xact_id()::text::bigint + coalesce((SELECT value FROM counters WHERE name = :base), 0)"
)
# The oldest transaction a reader must still wait for: of the ids running when its snapshot was taken,
# those that are feed writers of this database now, or that have finished since (their rows are not in
# the snapshot); else the first id not yet given out. pg_locks is read once (MATERIALIZED): every running
# transaction holds an exclusive lock on its own id, and feed writers the advisory lock of ``begin``.
_HORIZON = sa.text(
    """
    WITH snap AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
    locks AS MATERIALIZED (
        SELECT pid, locktype, transactionid, classid, objid, objsubid, database, mode, granted FROM pg_locks
    ),
    running AS (
        SELECT pid, transactionid FROM locks
        WHERE locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted
    ),
    writers AS (
        SELECT r.transactionid FROM running r JOIN locks a ON a.pid = r.pid
        WHERE a.locktype = 'advisory' AND a.granted AND a.classid = :k1 AND a.objid = :k2
          AND a.objsubid = 2 AND a.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    ),
    waiting AS (
        SELECT x, x::xid IN (SELECT transactionid FROM writers) AS writer
        FROM snap, pg_snapshot_xip(snap.s) AS x
        WHERE x::xid IN (SELECT transactionid FROM writers)
           OR x::xid NOT IN (SELECT transactionid FROM running)
        UNION ALL
        SELECT pg_snapshot_xmax(s), true FROM snap
    )
    SELECT (SELECT min(x) FROM waiting)::text::bigint + b.value,
           (SELECT pg_snapshot_xmax(s) FROM snap)::text::bigint + b.value,
           (SELECT min(x) FROM waiting) = (SELECT min(x) FROM waiting WHERE writer)
    FROM (SELECT coalesce((SELECT value FROM counters WHERE name = :base), 0) AS value) AS b
    """
)


def _postgres(session: Session | Connection) -> bool:
    dialect = session.get_bind().dialect if isinstance(session, Session) else session.dialect
    return dialect.name == "postgresql"


def _state(session: Session) -> tuple[int, int, bool] | None:
    """This transaction's (first position, positions given out, began late), None before ``begin``."""
    held = session.info.get(_STATE)
    if held is None or held[0] is not session.get_transaction():  # begun in an earlier transaction
        return None
    return held[1], held[2], held[3]


def begin(session: Session) -> None:
    """Mark this transaction as a feed writer: best before its first write (rows locked included)."""
    if _state(session) is not None:
        return
    late = False
    if _postgres(session):
        late = not session.execute(_BEGIN, {"k1": LOCK_KEYS[0], "k2": LOCK_KEYS[1]}).scalar_one()
    session.info[_STATE] = (session.get_transaction(), 0, 0, late)  # the base comes at the first allocate


def _late_xid(session: Session) -> int:
    """For a transaction that already had an id when it became a feed writer: readers may have passed that
    id meanwhile (it was no writer then), so its positions come from a new id, a subtransaction's, given
    out after the feed lock was taken (the lock, held by the parent, keeps readers below it from now)."""
    with session.begin_nested():
        sub = session.execute(
            sa.text("UPDATE counters SET value = value WHERE name = :base RETURNING xmin::text::bigint"),
            {"base": XID_BASE},
        ).scalar_one()
    top = session.execute(sa.text("SELECT pg_current_xact_id()::text::bigint")).scalar_one()
    epoch = (top >> 32) + (1 if sub < (top & 0xFFFFFFFF) else 0)  # the 32-bit id wrapped since the parent's
    base = session.scalar(sa.select(Counter.value).where(Counter.name == XID_BASE)) or 0
    return int((epoch << 32 | sub) + base)


def allocate(session: Session, count: int) -> list[int]:
    """``count`` new, increasing positions for this transaction's changes (after ``begin``)."""
    if count <= 0:
        return []
    state = _state(session)
    if state is None:
        raise RuntimeError("feed.begin was not called in this transaction")
    start, used, late = state
    if not _postgres(session):
        statement = (
            sa.update(Counter)
            .where(Counter.name == CHANGE_SEQ)
            .values(value=Counter.value + count)
            .returning(Counter.value)
        )
        last = session.execute(statement).scalar_one()
        session.info[_STATE] = (session.get_transaction(), last - count + 1 - used, used + count, late)
        return list(range(last - count + 1, last + 1))
    if used == 0:
        xid = _late_xid(session) if late else session.execute(_XID, {"base": XID_BASE}).scalar_one()
        start = xid << SHIFT
    if used + count > 1 << SHIFT:
        raise RuntimeError(f"one transaction may write at most {1 << SHIFT} changes to the feed")
    session.info[_STATE] = (session.get_transaction(), start, used + count, late)
    return list(range(start + used, start + used + count))


def last_allocated(session: Session) -> int:
    """The newest position this transaction gave out (0 if none)."""
    start, used, _ = _state(session) or (0, 0, False)
    return start + used - 1 if used else 0


class Limits(NamedTuple):
    """Where a reader stands: ``horizon``, the first position it may not deliver yet (everything below is
    final in its snapshot), and ``ceiling``, the first position no writer has been given yet. A cursor at
    or above the ceiling was not issued by this database; one between the two is valid but has nothing to
    read yet (on PostgreSQL the horizon can dip for a moment below where it stood: a transaction that
    ended just after the snapshot counts as a writer still in flight; ``read_limits`` then takes the
    snapshot again)."""

    horizon: int
    ceiling: int


def limits(session: Session | Connection) -> Limits:
    """The reader's ``Limits``. On PostgreSQL call it first in a REPEATABLE READ transaction, so it speaks
    of the snapshot the rows are read from."""
    return _limits(session)[0]


def read_limits(session: Session) -> Limits:
    """Start a reader's snapshot (REPEATABLE READ on PostgreSQL) and return its ``Limits``, the snapshot
    taken again when the horizon is held back only by transactions that ended just after it was taken.

    Such a transaction was running when the snapshot was taken and is gone by the time the lock table is
    read, so nobody can tell whether it wrote to the feed: the horizon must stay below it, and would hide
    every change committed after it, even long before the read, until the device's next sync. A new
    snapshot sees it committed. ``session`` is fresh, or its transaction has only read: it may be rolled
    back and begun again."""
    for _ in range(SNAPSHOT_TRIES - 1):
        found, settled = _limits(_reading(session))
        if settled:
            return found
        session.rollback()
    return _limits(_reading(session))[0]  # the last try: a horizon that is too low delays, never skips


def _reading(session: Session) -> Session:
    if _postgres(session) and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    return session


def _limits(session: Session | Connection) -> tuple[Limits, bool]:
    """The reader's ``Limits`` and whether the horizon is settled: held back by no transaction that ended
    after the snapshot (always on SQLite)."""
    if _postgres(session):
        params = {"k1": LOCK_KEYS[0], "k2": LOCK_KEYS[1], "base": XID_BASE}
        oldest, unissued, settled = session.execute(_HORIZON, params).one()
        return Limits(int(oldest) << SHIFT, int(unissued) << SHIFT), bool(settled)
    first_free = current(session) + 1
    return Limits(first_free, first_free), True


def horizon(session: Session | Connection) -> int:
    """``limits(session).horizon``."""
    return limits(session).horizon


def current(session: Session | Connection) -> int:
    """The newest position a reader may be given (``horizon - 1`` on PostgreSQL)."""
    if _postgres(session):
        return horizon(session) - 1
    return session.scalar(sa.select(Counter.value).where(Counter.name == CHANGE_SEQ)) or 0


def newest(session: Session | Connection) -> int:
    """The newest position any record or caseload change holds (committed, in this snapshot)."""
    records = sa.select(sa.func.coalesce(sa.func.max(Record.seq), 0)).scalar_subquery()
    assignments = sa.select(sa.func.coalesce(sa.func.max(Assignment.seq), 0)).scalar_subquery()
    return int(max(session.execute(sa.select(records, assignments)).one()))


def prepare(engine: Engine) -> None:
    """At start-up on PostgreSQL: after a restore into another cluster (transaction ids start low again),
    raise the base so new positions stay above every stored one. A no-op otherwise."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                """
                UPDATE counters SET value = greatest(value, (
                    SELECT greatest(
                        coalesce((SELECT max(seq) FROM records), 0),
                        coalesce((SELECT max(seq) FROM assignments), 0)
                    ) >> :shift) + 1 - pg_current_xact_id()::text::bigint)
                WHERE name = :base
                """
            ),
            {"shift": SHIFT, "base": XID_BASE},
        )


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
