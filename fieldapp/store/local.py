"""The local store as the application holds it: engine, clock, and units of work."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from fieldapp.domain.clock import HybridClock, Stamp
from fieldapp.domain.devicetime import DeviceClock, DeviceTime, Reading, TimeSources
from fieldapp.store import migrate, timeline
from fieldapp.store.db import WrongKeyError, encrypt_in_place, is_plaintext, make_engine, writer
from fieldapp.store.models import SyncStateRow


class StoreClosed(RuntimeError):
    """The store was closed (sign-out, remote wipe): a late caller must not reopen, or re-create, its file."""


class LocalStore:
    """One device's database file.

    ``unit_of_work()`` opens a write transaction that commits when the block ends (or rolls back on an
    exception); ``read()`` a read-only snapshot. Open one per thread that needs it; the clock is shared
    and thread-safe.
    """

    def __init__(
        self, engine: Engine, clock: HybridClock, path: Path | None = None, time: DeviceTime | None = None
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.path = path
        # The device timeline the clock reads (decision 0013); None for a clock given from outside.
        self.time = time
        self._writes = sessionmaker(writer(engine), expire_on_commit=False)
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._closed = False

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        key: bytes | None = None,
        physical_ms: Callable[[], int] | None = None,
        sources: TimeSources | None = None,
    ) -> LocalStore:
        """Open (creating and migrating as needed) the store at ``path``.

        With ``key`` the file is encrypted (SQLCipher); an existing unencrypted file is encrypted in place
        first. The application always passes the key from the keyring (``fieldapp.security.keys``);
        tools and tests may open an unencrypted store. The clocks are the system's unless ``sources`` (or
        ``physical_ms``, a simulated clock that never jumps) are given.
        """
        if sources is None:
            sources = TimeSources.simulated(physical_ms) if physical_ms is not None else TimeSources()
        path.parent.mkdir(parents=True, exist_ok=True)
        if key is not None and path.exists() and path.stat().st_size and is_plaintext(path):
            encrypt_in_place(path, key)
        engine = make_engine(path, key=key)
        try:
            engine.connect().close()
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except DatabaseError as exc:
            engine.dispose()
            raise WrongKeyError(
                f"{path.name} cannot be opened with this device's key: it belongs to another device or "
                "profile, or the key was removed from the keyring"
            ) from exc
        migrate.upgrade(engine, path)
        state = _load_or_create_state(engine)
        last = Stamp.decode(state.last_stamp) if state.last_stamp else None
        time = timeline.resume(state, sources)
        clock = DeviceClock(state.node_id, time, last=last)
        store = cls(engine, clock, path, time)
        with store.unit_of_work() as session:  # a new epoch is remembered before anything is stamped on it
            timeline.save(session, time)
        return store

    @property
    def node_id(self) -> str:
        """This device's id in clock stamps."""
        return self.clock.node

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A write transaction: everything in the block is saved together, or nothing is."""
        self._check_open()
        with self._writes.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent read-only view; never waits for the network or for a writer."""
        self._check_open()
        session = self._reads()
        try:
            yield session
        finally:
            session.close()  # ends the read transaction; loaded objects stay usable

    @property
    def device_time(self) -> DeviceTime:
        """The timeline this store's clock reads (stores opened with ``open`` always have one)."""
        if self.time is None:
            raise RuntimeError("this store's clock was given from outside; it has no device timeline")
        return self.time

    def measured(self, sent: Reading, received: Reading, server_ms: int) -> int:
        """Take the server time an exchange answered with. When it made the timeline exact, the changes
        stamped provisionally are re-dated (decision 0013); returns how many."""
        time = self.device_time
        correction = time.measured(sent, received, server_ms)
        if correction is None:
            return 0
        with self.unit_of_work() as session:
            moved = timeline.correct(session, self.clock, correction)
            timeline.save(session, time)
        return moved

    def close(self) -> None:
        """Release the database connections; from now on the store refuses work (``StoreClosed``) instead
        of opening a new connection, which after a wipe would create an empty file where the data was."""
        if not self._closed and self.time is not None:
            # Remember the last moment alive, if the file can still be written.
            with contextlib.suppress(DatabaseError, OSError), self.unit_of_work() as session:
                timeline.save(session, self.time)
        self._closed = True
        self.engine.dispose()

    def _check_open(self) -> None:
        if self._closed:
            raise StoreClosed("the tablet's database is closed")


def _load_or_create_state(engine: Engine) -> SyncStateRow:
    with sessionmaker(writer(engine), expire_on_commit=False).begin() as session:
        state = session.scalar(select(SyncStateRow).where(SyncStateRow.id == 1))
        if state is None:
            state = SyncStateRow(id=1, node_id=uuid.uuid4().hex[:16], clock_offset_ms=0)
            session.add(state)
        return state
