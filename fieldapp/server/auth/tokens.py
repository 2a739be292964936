"""Verified access tokens kept in memory, so a device's requests are authenticated without a query.

Decision 0038. A worker keeps the principal behind each access token it verified (token hash -> who,
until when). Revocation stays immediate because every write that could change a principal announces
itself: the flush of a changed user, device (disabled, wiped, given to another user) or session (revoked)
records a key (``u:<user id>``, ``d:<device id>``, ``s:<session id>``), which

* in the writing process drops the matching entries of every cache right after the commit, and
* on PostgreSQL is sent with NOTIFY on ``CHANNEL`` inside the writing transaction, so every worker's
  listener (``core.notify.PostgresNotifier``) drops them as the commit is delivered.

A cache is used only while its listener is connected (``listening``); it is emptied whenever the
listener (re)connects, since notices may have been missed meanwhile. SQLite servers (one process, no
listener) never cache. Entries also expire after ``TTL_S`` (a writer that bypasses the application, such
as hand-written SQL, is noticed by then) and at the token's own expiry. A verification that raced with
an invalidation is not stored (``generation``), so a stale principal cannot be put back after its notice.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, object_session

from fieldapp.server.models import AuthSession, Device, User

if TYPE_CHECKING:
    from fieldapp.server.auth.sessions import Principal

CHANNEL = "fieldapp_auth"
EVERYONE = "*"  # the key that drops every entry (bulk updates of the watched tables)
TTL_S = 30.0
MAX_ENTRIES = 20_000
_PENDING = "fieldapp_auth_keys"  # session.info: keys changed by the transaction, published on commit
# Device columns a principal depends on (its other columns change on every sync and sign-in).
_DEVICE_COLUMNS = ("disabled", "wiped_at", "user_id")
_SESSION_COLUMNS = ("revoked_at", "access_expires", "user_id", "device_id", "access_hash")


@dataclass(frozen=True, slots=True)
class _Entry:
    who: Principal
    access_expires: datetime
    stored: float  # time.monotonic()


class TokenCache:
    """Verified principals by access-token hash, for one worker's application."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self.generation = 0
        self.listening = False
        _CACHES.add(self)

    def get(self, token_hash: str, now: datetime) -> Principal | None:
        """The principal verified for this token, if still known to be valid at ``now``."""
        entry = self._entries.get(token_hash)
        if entry is None or not self.listening:
            return None
        if entry.access_expires <= now or time.monotonic() - entry.stored > TTL_S:
            with self._lock:
                self._entries.pop(token_hash, None)
            return None
        return entry.who

    def put(self, token_hash: str, who: Principal, access_expires: datetime, generation: int) -> None:
        """Keep a principal verified from the database, unless something was invalidated since
        ``generation`` (read before the verification) or the listener is not connected."""
        if who.rotation_pending:
            return  # its first use revokes the session it came from: always checked in the database
        with self._lock:
            if generation != self.generation or not self.listening:
                return
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[token_hash] = _Entry(who, access_expires, time.monotonic())

    def invalidate(self, keys: Iterable[str]) -> None:
        """Drop the entries of these users (``u:``), devices (``d:``) and sessions (``s:``)."""
        keys = set(keys)
        with self._lock:
            self.generation += 1
            if EVERYONE in keys:
                self._entries.clear()
                return
            for token_hash, entry in list(self._entries.items()):
                who = entry.who
                if {f"u:{who.user_id}", f"d:{who.device_id}", f"s:{who.session_id}"} & keys:
                    del self._entries[token_hash]

    def set_listening(self, listening: bool) -> None:
        """The listener connected (the cache starts empty: notices may have been missed) or lost its
        connection (the cache is not used until it is back)."""
        with self._lock:
            self.generation += 1
            self._entries.clear()
            self.listening = listening

    def __len__(self) -> int:
        return len(self._entries)


_CACHES: weakref.WeakSet[TokenCache] = weakref.WeakSet()


def invalidate_everywhere(keys: Iterable[str]) -> None:
    """Drop these keys from every cache of this process (after a commit that changed them)."""
    keys = set(keys)
    for cache in list(_CACHES):
        cache.invalidate(keys)


# -- announcing changes ----------------------------------------------------------------------------------


def _changed(target: Any, columns: Iterable[str]) -> bool:
    state = inspect(target)
    return any(state.attrs[column].history.has_changes() for column in columns)


def _key(target: Any, deleted: bool = False) -> str | None:
    if isinstance(target, User):
        return f"u:{target.id}"  # every column of a user is part of (or decides) its principal
    if isinstance(target, Device) and (deleted or _changed(target, _DEVICE_COLUMNS)):
        return f"d:{target.id}"
    if isinstance(target, AuthSession) and (deleted or _changed(target, _SESSION_COLUMNS)):
        return f"s:{target.id}"
    return None


def _announce(session: Session | None, connection: Connection, key: str) -> None:
    """Remember ``key`` for the commit and, on PostgreSQL, NOTIFY it inside the transaction."""
    if session is None:
        return
    pending: set[str] = session.info.setdefault(_PENDING, set())
    if key in pending:
        return
    pending.add(key)
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_notify(:channel, :key)"), {"channel": CHANNEL, "key": key})


def _after_update(_: Mapper[Any], connection: Connection, target: Any) -> None:
    key = _key(target)
    if key is not None:
        _announce(object_session(target), connection, key)


def _after_delete(_: Mapper[Any], connection: Connection, target: Any) -> None:
    key = _key(target, deleted=True)
    if key is not None:
        _announce(object_session(target), connection, key)


def _bulk(state: Any) -> None:
    """``session.execute(update(User)...)`` and the like: every entry goes."""
    if not (state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ in (User, Device, AuthSession):
        _announce(state.session, state.session.connection(), EVERYONE)


def _after_commit(session: Session) -> None:
    keys = session.info.pop(_PENDING, None)
    if keys:
        invalidate_everywhere(keys)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


for _model in (User, Device, AuthSession):
    event.listen(_model, "after_update", _after_update)
    event.listen(_model, "after_delete", _after_delete)
event.listen(Session, "do_orm_execute", _bulk)
event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_rollback", _after_rollback)
