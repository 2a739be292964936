"""Change notices for the server-sent-events streams.

After a write commits, the server publishes a notice (the newest change number and the patients and
workers it concerns). Each SSE stream of this process receives every notice and decides whether it
concerns its user. With SQLite (one process) notices go straight to the streams; with PostgreSQL they
travel through LISTEN/NOTIFY, so a write handled by one uvicorn worker reaches streams held by another.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.auth import tokens
from fieldapp.server.database import Database

if TYPE_CHECKING:
    from fieldapp.server.core.push import Changed

log = logging.getLogger(__name__)

CHANNEL = "fieldapp_changes"
MAX_IDS = 50  # beyond this a notice says "anything may have changed" (NOTIFY payloads are small)
QUEUE_SIZE = 64
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Notice:
    """Something changed up to ``seq``; ``patient_ids`` None means it may concern anyone."""

    seq: int
    patient_ids: frozenset[uuid.UUID] | None
    worker_ids: frozenset[uuid.UUID] = frozenset()

    def encode(self) -> str:
        """The compact JSON payload sent through NOTIFY."""
        patients = None if self.patient_ids is None else sorted(str(p) for p in self.patient_ids)
        return orjson.dumps(
            {"s": self.seq, "p": patients, "w": sorted(str(w) for w in self.worker_ids)}
        ).decode()

    @classmethod
    def decode(cls, payload: str) -> Notice:
        """Parse ``encode``'s output."""
        data = orjson.loads(payload)
        patients = None if data["p"] is None else frozenset(uuid.UUID(p) for p in data["p"])
        return cls(int(data["s"]), patients, frozenset(uuid.UUID(w) for w in data["w"]))

    @classmethod
    def of(cls, seq: int, patient_ids: frozenset[uuid.UUID], worker_ids: frozenset[uuid.UUID]) -> Notice:
        """A notice, widened to "anyone" when it would name too many patients."""
        return cls(seq, patient_ids if len(patient_ids) <= MAX_IDS else None, worker_ids)

    @classmethod
    def after(cls, changed: Changed | None) -> Notice | None:
        """The notice for what a push changed (None when it changed nothing)."""
        return None if changed is None else cls.of(changed.last_seq, changed.patient_ids, changed.worker_ids)


class FeedWatch:
    """The newest feed position this process knows to be committed, and the feed's horizon, so that a
    device that is up to date is answered without reading the database (the common no-op sync).

    Notices raise ``newest`` as they arrive; ``confirm`` reads both from the database, and the watch is
    trusted only for ``FRESH_S`` after that, so a write that sent no notice (a tool, a lost NOTIFY) delays
    a device by at most that long, never loses a change: the device's cursor is answered unchanged."""

    FRESH_S = 1.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._newest, self._horizon, self._confirmed = 0, 0, float("-inf")

    def heard(self, seq: int) -> None:
        """A committed change up to ``seq`` was announced."""
        with self._lock:
            self._newest = max(self._newest, seq)

    def confirm(self, newest: int, horizon: int) -> None:
        """Both numbers as just read from the database."""
        with self._lock:
            self._newest, self._horizon = max(self._newest, newest), max(self._horizon, horizon)
            self._confirmed = time.monotonic()

    def up_to_date(self, since: int) -> bool | None:
        """True when nothing was committed after ``since``; None when the watch cannot tell (stale, or a
        cursor at or past the horizon it knows, which only the database may judge)."""
        with self._lock:
            if time.monotonic() - self._confirmed > self.FRESH_S or since >= self._horizon:
                return None
            return since >= self._newest


class Notifier:
    """In-process fan-out from publishers (any thread) to subscribers (asyncio tasks of one loop)."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Notice]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()
        self.watch = FeedWatch()
        # Verified access tokens (decision 0038); used only while a listener hears their invalidations.
        self.tokens = tokens.TokenCache()

    async def start(self) -> None:
        """Bind to the running event loop (call from the application's start-up)."""
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        """Release resources (nothing to do in-process)."""

    def publish(self, notice: Notice) -> None:
        """Announce a committed change; safe to call from any thread."""
        self._dispatch(notice)

    def within(self, session: Session, notice: Notice) -> None:
        """Announce a change from inside its transaction (in-process: nothing to do until it commits)."""

    def committed(self, notice: Notice) -> None:
        """The transaction that announced ``notice`` committed (in-process: tell the streams now)."""
        self.publish(notice)

    @contextlib.contextmanager
    def subscribe(self) -> Iterator[asyncio.Queue[Notice]]:
        """A queue receiving every notice while the block runs (call from the event loop)."""
        queue: asyncio.Queue[Notice] = asyncio.Queue(QUEUE_SIZE)
        with self._lock:
            self._queues.add(queue)
        try:
            yield queue
        finally:
            with self._lock:
                self._queues.discard(queue)

    def _dispatch(self, notice: Notice) -> None:
        self.watch.heard(notice.seq)
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # the loop closed between the check and the call
            loop.call_soon_threadsafe(self._deliver, notice)

    def _deliver(self, notice: Notice) -> None:
        with self._lock:
            queues = list(self._queues)
        for queue in queues:
            if queue.full():  # a slow stream only needs the newest notices: drop the oldest
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(notice)


WAKE = ""  # the payload ``stop`` sends to end the listener's wait; not a notice


class PostgresNotifier(Notifier):
    """Notices through PostgreSQL LISTEN/NOTIFY, so every worker process sees every write."""

    def __init__(self, conninfo: str) -> None:
        super().__init__()
        self._conninfo = conninfo
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listening = threading.Event()

    async def start(self) -> None:
        await super().start()
        self._thread = threading.Thread(target=self._listen, name="fieldapp-listen", daemon=True)
        self._thread.start()
        await asyncio.get_running_loop().run_in_executor(None, self._listening.wait, 10.0)

    async def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, self._notify, WAKE)  # end the listener's wait now
            await loop.run_in_executor(None, self._thread.join, 5.0)
        self.tokens.set_listening(False)

    def publish(self, notice: Notice) -> None:
        self._notify(notice.encode())

    def within(self, session: Session, notice: Notice) -> None:
        """NOTIFY in the writing transaction: PostgreSQL delivers it on commit and drops it on rollback,
        and it costs no connection of its own."""
        session.execute(
            sa.text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": notice.encode()}
        )

    def committed(self, notice: Notice) -> None:
        """The commit delivered the NOTIFY (this process hears it too, a moment later)."""
        self.watch.heard(notice.seq)

    def _notify(self, payload: str) -> None:
        import psycopg

        try:
            with psycopg.connect(self._conninfo, autocommit=True) as connection:
                connection.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
        except psycopg.Error:
            # Devices also sync on a timer and on reconnect; a lost notice delays, never loses, a change.
            log.warning("could not publish a change notice", exc_info=True)

    def _listen(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    connection.execute(f"LISTEN {tokens.CHANNEL}")
                    self.tokens.set_listening(True)  # empty: what changed while nobody listened is unknown
                    self._listening.set()
                    while not self._stop.is_set():
                        for message in connection.notifies(timeout=1.0):
                            if self._stop.is_set():
                                break
                            if message.channel == tokens.CHANNEL:
                                self.tokens.invalidate((message.payload,))
                            else:
                                self._received(message.payload)
            except psycopg.Error:
                self.tokens.set_listening(False)
                log.warning("change-notice listener lost its connection; reconnecting", exc_info=True)
                self._stop.wait(1.0)
        self.tokens.set_listening(False)

    def _received(self, payload: str) -> None:
        if payload == WAKE:
            return
        try:
            notice = Notice.decode(payload)
        except (ValueError, KeyError, TypeError):
            # Anyone who can connect may NOTIFY this channel: a bad payload must not end the listener.
            log.warning("ignored a malformed change notice %.80r", payload)
            return
        self._dispatch(notice)


def write_notifying(
    database: Database, notifier: Notifier, work: Callable[[Session], tuple[T, Notice | None]]
) -> T:
    """``work`` in one write transaction (retried on collisions); its change notice, if any, goes to the
    SSE streams inside the transaction (``within``) and again once it has committed (``committed``)."""

    def run(session: Session) -> tuple[T, Notice | None]:
        result, notice = work(session)
        if notice is not None:
            notifier.within(session, notice)
        return result, notice

    result, notice = database.retrying(run)
    if notice is not None:
        notifier.committed(notice)
    return result
