"""What the tablet's store and the office's database do alike in SQLAlchemy: constraint names, JSON through
orjson, points in time kept in UTC, and SQLite's connections (WAL, foreign keys, explicit transactions).

pysqlite's own transaction handling begins a transaction only at the first write, so a read-then-write
unit of work could see data change under it, and upgrading a read lock to a write lock fails at once
instead of waiting. Both switch that off and emit BEGIN themselves: ``BEGIN IMMEDIATE`` for units of work
that write (an engine with ``execution_options(sqlite_begin="IMMEDIATE")``: they queue for the write lock,
up to the busy timeout), plain ``BEGIN`` for reads (a WAL snapshot).

Neither side's code: the store may not import the server nor the server the store (pyproject.toml).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def json_dumps(value: Any) -> str:
    """A JSON column's text (orjson's; the engines read it back with ``orjson.loads``)."""
    return orjson.dumps(value).decode()


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out; a naive datetime is refused. Stored without a zone
    (SQLite keeps none); a subclass with ``zoned`` stores it with its zone (PostgreSQL's timestamptz)."""

    impl: TypeEngine[Any] | type[TypeEngine[Any]] = DateTime
    cache_ok = True
    zoned = False

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        utc = value.astimezone(UTC)
        return utc if self.zoned else utc.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def sqlite_connected(dbapi_connection: Any, busy_timeout_ms: int) -> None:
    """A new SQLite connection set up: no implicit transactions (``sqlite_begin`` issues BEGIN), WAL,
    waits of up to ``busy_timeout_ms`` for a lock, and foreign keys enforced."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a power cut may lose the last commits but never corrupts the file.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def sqlite_begin(connection: Any) -> None:
    """The engine's "begin" event on SQLite: BEGIN, or ``BEGIN IMMEDIATE`` for an engine that writes."""
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())
