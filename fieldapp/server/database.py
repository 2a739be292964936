"""The server's connection to its database: engine, read and write sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from fieldapp.server.db import make_engine

T = TypeVar("T")
# PostgreSQL states of a transaction that lost a race with another, not of a bad request: the same new
# row inserted by both (a device retrying a push still in flight), a deadlock, a serialisation failure.
COLLISIONS = frozenset({"23505", "40P01", "40001"})


class Database:
    """Sessions on one database. Writes commit at the end of their block; reads never write."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.engine: Engine = make_engine(url, pool_size=pool_size)
        writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._writes = sessionmaker(writer, expire_on_commit=False)
        self._reads = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def psycopg_conninfo(self) -> str:
        """The URL in the form psycopg itself accepts (for LISTEN/NOTIFY connections)."""
        return make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends, or rolls back on an exception."""
        with self._writes.begin() as session:
            yield session

    def retrying(self, work: Callable[[Session], T], attempts: int = 3) -> T:
        """``work`` in a write transaction, run again (from scratch) when it collided with a concurrent one;
        the second run sees what the other committed (a replayed push then gets its first answer)."""
        for attempt in range(1, attempts + 1):
            try:
                with self.write() as session:
                    return work(session)
            except DBAPIError as exc:
                if attempt == attempts or getattr(exc.orig, "sqlstate", None) not in COLLISIONS:
                    raise
        raise AssertionError("unreachable")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction."""
        session = self._reads()
        try:
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
