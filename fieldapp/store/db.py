"""The SQLite engine: WAL, foreign keys, explicit transactions, and a writer lock taken up front (why:
``fieldapp.sql``, which the office's database shares), SQLCipher's encryption, and fold() for search.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import URL, Engine, MetaData, create_engine, event
from sqlalchemy.pool import QueuePool

from fieldapp.domain.text import fold
from fieldapp.sql import NAMING_CONVENTION, json_dumps, sqlite_begin, sqlite_connected

metadata = MetaData(naming_convention=NAMING_CONVENTION)

BUSY_TIMEOUT_MS = 5_000
WRITE = "IMMEDIATE"


KEY_BYTES = 32
FOLD_FUNCTION = "fieldapp_fold"  # fold() as an SQL function, for search


class WrongKeyError(RuntimeError):
    """The database file cannot be read with this key (another device's file, or a lost key)."""


def make_engine(path: Path | str, *, key: bytes | None = None, echo: bool = False) -> Engine:
    """An engine on the SQLite file at ``path`` (created if missing) with the store's pragmas.

    With ``key`` (32 random bytes) the file is encrypted with SQLCipher; the raw key is handed over as
    ``x'<hex>'``, so opening costs no passphrase derivation (a passphrase would cost ~300 ms per open).
    """
    if key is None:
        url = URL.create("sqlite", database=str(path))
    else:
        if len(key) != KEY_BYTES:
            raise ValueError(f"a database key has {KEY_BYTES} bytes")
        url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))
    # One pool for both kinds of file: SQLAlchemy would give the SQLCipher dialect a SingletonThreadPool
    # (a connection per thread, and past five threads it closes other threads' connections under them:
    # a crash with the GUI thread, the sync worker and the thread pool's workers all reading).
    engine = create_engine(
        url,
        echo=echo,
        json_serializer=json_dumps,
        json_deserializer=orjson.loads,
        poolclass=QueuePool,
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", sqlite_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but transactions begin by taking SQLite's write lock."""
    return engine.execution_options(sqlite_begin=WRITE)


def _fold_column(value: str | None) -> str | None:
    return fold(value) if isinstance(value, str) else value


def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.create_function(FOLD_FUNCTION, 1, _fold_column, deterministic=True)
    sqlite_connected(dbapi_connection, BUSY_TIMEOUT_MS)


PLAINTEXT_HEADER = b"SQLite format 3\x00"


def is_plaintext(path: Path) -> bool:
    """Whether the file is an ordinary (unencrypted) SQLite database."""
    with path.open("rb") as file:
        return file.read(len(PLAINTEXT_HEADER)) == PLAINTEXT_HEADER


def encrypt_in_place(path: Path, key: bytes) -> None:
    """Turn an unencrypted database into an encrypted one with ``key``, without loss.

    SQLCipher copies everything (schema, rows, the outbox) into a new encrypted file, which then replaces
    the old one; the plaintext file (and its WAL) is removed, so no readable copy stays on the disk.
    """
    import sqlcipher3  # type: ignore[import-untyped]

    target = path.with_name(path.name + ".encrypting")
    target.unlink(missing_ok=True)
    plain = sqlcipher3.connect(str(path))
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    target.replace(path)
