"""``FaultyTransport``: a real transport with network faults injected per call, deterministically.

It implements the engine's ``SyncTransport`` port by delegating to a real ``HttpTransport`` (so requests
reach the real server on loopback), and consumes a queue of planned faults, one per matching call:

- ``LOSE_REQUEST``: the request never leaves the tablet (``Unreachable`` before anything is sent);
- ``LOSE_REPLY``: the request reaches the server, which commits, but the answer never arrives
  (``Unreachable`` after the call returned or was refused);
- ``DUPLICATE``: the request is delivered twice (a proxy or a retry replays it); the engine gets the
  second answer, as it would after a replay;
- ``NONE``: the call goes through untouched (useful to let some calls pass before a fault).

A planned fault may name the kind of call it waits for (``on="push"``), and may run a callable just
before that call is made (``before=...``): a user editing the record while the sync thread is between
its push and its pull. The transport also keeps a log of what crossed it: every push request as sent,
the mutations whose acknowledgement reached the engine, and the refusals with their codes.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp import __version__
from fieldapp.app import Device
from fieldapp.domain.merge import canonical
from fieldapp.security.keys import database_key
from fieldapp.server.models import ConflictEntry, Record
from fieldapp.store.local import LocalStore
from fieldapp.store.models import ROW_TYPES
from fieldapp.store.records import record_state
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.errors import Refused, Unreachable
from fieldapp.sync.ports import SyncTransport
from fieldapp.sync.protocol import (
    AuditAck,
    AuditUpload,
    Health,
    Mutation,
    PullPage,
    PushRequest,
    PushResponse,
    Rejection,
)

T = TypeVar("T")
CALLS = ("health", "push", "pull", "upload_blob", "upload_audit")
LOST = "the office server cannot be reached (no connection); your changes are safe on this tablet"


class Fault(StrEnum):
    """What happens to one call."""

    NONE = "none"
    LOSE_REQUEST = "lose_request"
    LOSE_REPLY = "lose_reply"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Planned:
    """One planned fault: what, on which kind of call (None: the next call of any kind), and a hook."""

    fault: Fault
    on: str | None = None
    before: Callable[[], object] | None = None

    def __post_init__(self) -> None:
        if self.on is not None and self.on not in CALLS:
            raise ValueError(f"unknown call {self.on!r}; one of {', '.join(CALLS)}")

    def matches(self, call: str) -> bool:
        return self.on is None or self.on == call


@dataclass
class TransportLog:
    """What crossed the transport, for the test's bookkeeping."""

    calls: list[tuple[str, Fault]] = field(default_factory=list)
    # The last form of every mutation sent (stamps may change if the engine re-stamps before resending).
    sent: dict[uuid.UUID, Mutation] = field(default_factory=dict)
    # Mutations whose acknowledgement reached the engine, in the form the server acknowledged.
    acknowledged: dict[uuid.UUID, Mutation] = field(default_factory=dict)
    # Refusals that reached the engine (the engine sets those changes aside).
    refused: dict[uuid.UUID, Rejection] = field(default_factory=dict)
    pushes_delivered: int = 0


class FaultyTransport:
    """A ``SyncTransport`` that delegates to ``inner`` and injects the planned faults."""

    def __init__(
        self,
        inner: SyncTransport,
        plan: Iterable[Planned | Fault] = (),
        *,
        on_answer: Callable[[str], None] | None = None,
    ) -> None:
        self.inner = inner
        self.queue: deque[Planned] = deque()
        self.log = TransportLog()
        self.on_answer = on_answer  # called with the call's name when its answer reached the engine
        self.plan(*plan)

    # -- control ---------------------------------------------------------------------------------------

    def plan(self, *faults: Planned | Fault) -> None:
        """Append faults to the queue (a bare ``Fault`` applies to the next call of any kind)."""
        self.queue.extend(f if isinstance(f, Planned) else Planned(f) for f in faults)

    def clear(self) -> list[Planned]:
        """Drop the faults not used yet; returns them."""
        left = list(self.queue)
        self.queue.clear()
        return left

    # -- the port --------------------------------------------------------------------------------------

    def health(self) -> Health:
        return self._call("health", self.inner.health)

    def push(self, request: PushRequest) -> PushResponse:
        for mutation in request.mutations:
            self.log.sent[mutation.mutation_id] = mutation
        try:
            response = self._call("push", lambda: self.inner.push(request))
        except Refused as refusal:
            for rejection in refusal.rejected:
                self.log.refused[rejection.mutation_id] = rejection
            raise
        by_id = {m.mutation_id: m for m in request.mutations}
        for result in response.results:
            self.log.acknowledged[result.mutation_id] = by_id[result.mutation_id]
        self.log.pushes_delivered += 1
        return response

    def pull(self, cursor: str | None, limit: int) -> PullPage:
        return self._call("pull", lambda: self.inner.pull(cursor, limit))

    def upload_blob(self, sha256: str, content: bytes, media_type: str) -> None:
        self._call("upload_blob", lambda: self.inner.upload_blob(sha256, content, media_type))

    def upload_audit(self, upload: AuditUpload) -> AuditAck:
        return self._call("upload_audit", lambda: self.inner.upload_audit(upload))

    # -- plumbing --------------------------------------------------------------------------------------

    def _next(self, call: str) -> Planned:
        if self.queue and self.queue[0].matches(call):
            return self.queue.popleft()
        return Planned(Fault.NONE)

    def _call(self, call: str, send: Callable[[], T]) -> T:
        planned = self._next(call)
        self.log.calls.append((call, planned.fault))
        if planned.before is not None:
            planned.before()
        if planned.fault is Fault.LOSE_REQUEST:
            raise Unreachable(LOST)
        if planned.fault is Fault.LOSE_REPLY:
            try:
                send()
            except Exception as exc:  # whatever the server said (even a refusal) is lost on the way back
                raise Unreachable(LOST) from exc
            raise Unreachable(LOST)
        if planned.fault is Fault.DUPLICATE:
            with contextlib.suppress(Refused):  # the replay below gets its own answer, which is delivered
                send()
        answer = send()
        if self.on_answer is not None:
            self.on_answer(call)
        return answer


def rewire(
    device: Device, *, physical_ms: Callable[[], int] | None = None, plan: Iterable[Planned | Fault] = ()
) -> FaultyTransport:
    """Re-open ``device``'s store (with another physical clock, if given) and put a FaultyTransport
    between its engine and its transport; returns the fault layer."""
    device.store.close()
    store = LocalStore.open(
        device.profile.store_path,
        key=database_key(device.profile.folder),
        **({"physical_ms": physical_ms} if physical_ms else {}),
    )
    faulty = FaultyTransport(device.transport, plan)
    device.store = store
    device.engine = SyncEngine(store, faulty, device.blobs, app_version=__version__)
    return faulty


# -- comparing replicas with the server -------------------------------------------------------------------

FieldState = tuple[bytes, str, str | None]  # canonical value, stamp, base
RecordSnapshot = tuple[dict[str, FieldState], str | None]  # fields, tombstone


def replica_snapshot(store: LocalStore) -> dict[uuid.UUID, RecordSnapshot]:
    """Every record a device holds (tombstones included), as comparable values, stamps and bases."""
    found: dict[uuid.UUID, RecordSnapshot] = {}
    with store.read() as s:
        for table in ROW_TYPES.values():
            for row in s.scalars(sa.select(table)):
                state = record_state(row)
                fields = {
                    n: (canonical(v.value), v.stamp.encode(), v.base.encode() if v.base else None)
                    for n, v in state.fields.items()
                }
                found[row.id] = (fields, state.deleted.encode() if state.deleted else None)
    return found


def server_snapshot(session: Session) -> dict[uuid.UUID, tuple[uuid.UUID | None, RecordSnapshot]]:
    """Every record the server holds, with its patient (for caseload scopes), comparable likewise."""
    return {
        r.id: (
            r.patient_id,
            (
                {n: (canonical(r.fields.get(n)), stamp, r.bases.get(n)) for n, stamp in r.stamps.items()},
                r.deleted,
            ),
        )
        for r in session.scalars(sa.select(Record))
    }


def unaccounted_writes(
    acknowledged: Iterable[Mutation],
    server_rows: Mapping[uuid.UUID, tuple[uuid.UUID | None, RecordSnapshot]],
    conflict_rows: Iterable[ConflictEntry],
) -> list[str]:
    """The acknowledged writes the server neither holds, nor logged as lost, nor saw superseded knowingly.

    A write is accounted for when the server holds its value, when its loss is in the conflict log, or when
    a write that knew it replaced it: the server's current value, or any acknowledged write of the same
    field whose base is at least its stamp (decisions 0002 and 0013: a value replaced by a write made over
    it is superseded, not lost; a device replacing its own value is not a conflict). That replacing write
    is itself one of the acknowledged writes checked here, so a chain of replacements ending in a logged
    loss is accounted for by that loss. Equal values written concurrently stand as one (the later stamp):
    when that copy is overwritten its loss is logged once, and it is the loss of every earlier copy too
    (tests/server/test_losses.py). An acknowledged delete must have left a tombstone.
    """
    mutations = list(acknowledged)
    conflicts = list(conflict_rows)
    lost = {(c.record_id, c.field, c.lost_stamp) for c in conflicts}
    lost_copies: dict[tuple[uuid.UUID, str, bytes], str] = {}
    for c in conflicts:
        key = (c.record_id, c.field, canonical(c.lost_value))
        lost_copies[key] = max(lost_copies.get(key, c.lost_stamp), c.lost_stamp)
    newest_base: dict[tuple[uuid.UUID, str], str] = {}
    for mutation in mutations:
        for name, change in mutation.changes.items():
            if change.b is not None:
                key2 = (mutation.record_id, name)
                newest_base[key2] = max(newest_base.get(key2, change.b), change.b)
    found = []
    for mutation in mutations:
        fields, deleted = server_rows[mutation.record_id][1]
        if mutation.deleted and deleted is None:
            found.append(f"acknowledged delete {mutation.mutation_id} left no tombstone")
        for name, change in mutation.changes.items():
            value, stamp, base = fields[name]
            ok = (
                value == canonical(change.v)
                or (mutation.record_id, name, change.s) in lost
                or lost_copies.get((mutation.record_id, name, canonical(change.v)), "") > change.s
                or (base is not None and base >= change.s)
                or newest_base.get((mutation.record_id, name), "") >= change.s
            )
            if not ok:
                found.append(
                    f"acknowledged write lost: {mutation.entity} {mutation.record_id}.{name}={change.v!r} "
                    f"@{change.s}; the server holds {value!r} @{stamp} (base {base})"
                )
    return found
