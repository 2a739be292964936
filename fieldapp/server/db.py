"""The server's database engine: SQLite (default, one process) or PostgreSQL (production, many workers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url

from fieldapp.sql import NAMING_CONVENTION, json_dumps, sqlite_begin, sqlite_connected

metadata = MetaData(naming_convention=NAMING_CONVENTION)
BUSY_TIMEOUT_MS = 30_000


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, and SQLite gets WAL and explicit BEGINs."""
    parsed = make_url(url)
    options: dict[str, Any] = {"json_serializer": json_dumps, "json_deserializer": orjson.loads}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"check_same_thread": False}, **options)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", sqlite_begin)
        return engine
    return create_engine(parsed, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, **options)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    sqlite_connected(dbapi_connection, BUSY_TIMEOUT_MS)
