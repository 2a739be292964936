"""The sync engine: one cycle pushes the outbox, then pulls until the device is up to date.

Qt-free and synchronous: ``run(progress, cancelled)`` is called by the Qt worker thread, by the
``fieldapp sync`` command and by tests alike. It opens its own units of work on the store, so it can
run on any thread. See docs/decisions/0007-client-sync-engine.md.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from typing import TypeVar, cast

from fieldapp.domain.audit import AuditAction
from fieldapp.domain.clock import MAX_COUNTER, Stamp
from fieldapp.domain.merge import Versioned
from fieldapp.store import audit, conflicts, files, notices, outbox, replica, state, timeline
from fieldapp.store.local import LocalStore
from fieldapp.store.outbox import OutboxEntry
from fieldapp.store.repo import Change
from fieldapp.sync.audit_upload import send_unsent
from fieldapp.sync.collection import collections_deferred
from fieldapp.sync.errors import DeviceRetired, Refused, ServerFailed, SyncError
from fieldapp.sync.files import record_files, send_record_files, uploaded_records
from fieldapp.sync.ports import BlobSource, SyncTransport
from fieldapp.sync.protocol import (
    MAX_AUDIT_BATCH,
    EntityName,
    FieldChange,
    LossNotice,
    Mutation,
    PullPage,
    PushRequest,
)

T = TypeVar("T")
# A cycle reports each record it changed up to this many; beyond, one entry per kind of record with the nil
# id ("records of this kind changed"): the screens reload either way, and a first sync's memory must not
# grow with the caseload.
MAX_CHANGES = 1_000
SOME_RECORDS = uuid.UUID(int=0)
AUDIT_KEPT_MS = 90 * 24 * 3600 * 1000  # audit entries stay on the tablet 90 days after the office has them
log = logging.getLogger(__name__)
PULL_BACK_MARGIN_MS = 1000  # re-dated changes stay this far inside the server's allowance
# A cycle that wrote nothing keeps the state row (last success, moment alive) and refreshes the account's
# cards only if that was last done longer ago than this: a no-op sync is one request, no write.
QUIET_KEEP_S = 60.0


def _wire(versioned: Versioned) -> FieldChange:
    base = versioned.base.encode() if versioned.base else None
    return FieldChange.model_construct(v=versioned.value, s=versioned.stamp.encode(), b=base)


class Stage(StrEnum):
    """Where a cycle is."""

    IDLE = "idle"
    PUSHING = "pushing"
    PULLING = "pulling"


@dataclass(frozen=True, slots=True)
class Progress:
    """Reported during a cycle: stage, records done, and an estimate of the total (None if unknown)."""

    stage: Stage
    done: int
    total: int | None


@dataclass(frozen=True, slots=True)
class SyncResult:
    """What one cycle did."""

    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    evicted: int = 0
    conflicts: int = 0
    pending: int = 0
    error: str | None = None
    # What kind of failure ``error`` describes: the SyncError's class name ("Unreachable", "Interrupted",
    # "Refused", "ServerFailed", "SignInRequired", "DeviceRetired"...), or "Cancelled"; None after a success.
    failure: str | None = None
    changes: tuple[Change, ...] = ()
    # The office retired the device: everything it could hand in has been sent; the caller must now wipe
    # it (``fieldapp.deprovision``). ``rejected`` + ``pending`` is what could not be delivered.
    retired: bool = False
    audit_sent: int = 0
    finished_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def ok(self) -> bool:
        """True when the cycle completed without error."""
        return self.error is None


def _reported(notice: LossNotice) -> conflicts.ReportedLoss:
    return conflicts.ReportedLoss(
        notice.entity,
        notice.record_id,
        notice.field,
        notice.reason,
        notice.lost_value,
        notice.lost_stamp,
        notice.winner_value,
        notice.winner_stamp,
    )


class Cancelled(Exception):
    """The cycle was asked to stop between two steps; everything done so far is committed."""


def _never() -> bool:
    return False


def _ignore(_: Progress) -> None:
    return None


class SyncEngine:
    """Runs sync cycles for one store against one server."""

    def __init__(
        self,
        store: LocalStore,
        transport: SyncTransport,
        blobs: BlobSource | None = None,
        *,
        batch_size: int = 500,
        page_size: int = 1000,
        app_version: str = "",
        username: str = "",
    ) -> None:
        self.store, self.transport, self.blobs = store, transport, blobs
        self.batch_size, self.page_size, self.app_version = batch_size, page_size, app_version
        self.username = username  # who the audit entries of syncs name (the signed-in worker)
        self._done = SyncResult()
        self._changes: list[Change] = []
        self._kinds: set[str] | None = None  # set once a cycle changed more than MAX_CHANGES records
        self._last_error: str | None = None
        # Called after each cycle that reached the end, a quiet one at most every QUIET_KEEP_S (the device
        # refreshes the account's cards there).
        self.after_success: Callable[[], object] | None = None
        # Per cycle: it wrote what it pulled or pushed; evictions waited; the pull's start (read with the
        # outbox when nothing was queued). Across cycles: the anchor (boot, kind, epoch) the state row was
        # last kept on, and the time.monotonic() then.
        self._moved, self._evictions_waiting = False, False
        self._start: tuple[str | None, bool] | None = None
        self._kept: tuple[object, ...] = ()
        self._kept_at = 0.0

    def run(
        self, progress: Callable[[Progress], None] = _ignore, cancelled: Callable[[], bool] = _never
    ) -> SyncResult:
        """One cycle; never raises for sync failures (they are in ``SyncResult.error``).

        Batches and pages are committed as they go, so a cycle that fails or is stopped half way also
        reports what it did until then (``changes`` included: the screens refresh from them). A no-op
        cycle (nothing queued, nothing new) is one request: it writes nothing to the store unless its
        state was last kept more than ``QUIET_KEEP_S`` ago, and runs ``after_success`` as rarely.
        """
        self._done = SyncResult()  # what the cycle has committed so far
        self._changes = []  # what the pulled pages changed (collected as a list: no copying per page)
        self._kinds, self._moved, self._start = None, False, None
        try:
            self._done = self._push(self._done, progress, cancelled)
            self._done = self._pull(self._done, progress, cancelled)
            result = self._finish(self._done)
        except Cancelled:
            result = replace(self._done, error="sync was stopped", failure="Cancelled")
        except DeviceRetired as exc:
            retired = replace(self._done, error=exc.message, retired=True, failure="DeviceRetired")
            result = self._hand_in(retired, progress, cancelled)
        except SyncError as exc:
            result = replace(self._done, error=_failure_sentence(exc), failure=type(exc).__name__)
        self._record(result)
        with self.store.read() as session:  # one snapshot: what is still queued, what the office lacks
            pending = outbox.pending_count(session)
            unsent = audit.unsent(session, MAX_AUDIT_BATCH)
        sent = send_unsent(self.store, self.transport, unsent, AUDIT_KEPT_MS)
        result = replace(result, audit_sent=sent)
        return replace(result, pending=pending, changes=self._changed(), finished_at=datetime.now(UTC))

    def _then(self) -> None:
        if self.after_success is None:
            return
        try:
            self.after_success()
        except Exception:  # what follows a good cycle never turns it into a failed one
            log.exception("the step after a sync cycle failed")

    # -- retirement and audit --------------------------------------------------------------------------------

    def _hand_in(
        self, result: SyncResult, progress: Callable[[Progress], None], cancelled: Callable[[], bool]
    ) -> SyncResult:
        """Retired: push whatever is still queued (the server accepts it), before the caller wipes."""
        with contextlib.suppress(SyncError, Cancelled):  # what could not be sent is counted in ``pending``
            result = self._push(result, progress, cancelled)
        with self.store.unit_of_work() as session:
            left = outbox.pending_count(session)
            audit.record(
                session,
                self.username,
                AuditAction.RETIRED,
                detail=(
                    f"retired by the office; pushed {result.pushed}, {left} change(s) undelivered, "
                    f"{result.rejected} set aside"
                ),
                clock=self.store.clock,
            )
        return result

    def _record(self, result: SyncResult) -> None:
        """Record the cycle in the audit log when it moved data or failed differently from the last one."""
        moved = result.pushed or result.pulled or result.rejected or result.evicted
        repeated = result.error is not None and result.error == self._last_error
        if (moved or result.error) and not repeated and not result.retired:  # retired: its own entry
            with self.store.unit_of_work() as session:
                audit.record(
                    session,
                    self.username,
                    AuditAction.SYNC_FAILED if result.error else AuditAction.SYNC,
                    detail=(
                        f"pushed {result.pushed}, pulled {result.pulled}, set aside {result.rejected}, "
                        f"removed {result.evicted}" + (f"; {result.error}" if result.error else "")
                    ),
                    clock=self.store.clock,
                )
        self._last_error = result.error

    # -- push ------------------------------------------------------------------------------------------------

    def _push(
        self, result: SyncResult, progress: Callable[[Progress], None], cancelled: Callable[[], bool]
    ) -> SyncResult:
        with self.store.read() as session:
            if not outbox.pending(session, 1):  # nothing queued: the pull starts from this snapshot
                self._start = state.pull_start(session)
                return result
            total = outbox.pending_count(session)
        if total:
            self._date_provisional()
        pulled_back = False
        while True:
            self._check(cancelled)
            with collections_deferred():  # a batch's objects are freed when it ends: no full collection
                step = self._batch(result, progress, total, pulled_back)
            if step is None:
                return result
            result = self._done = step[0]
            pulled_back = step[1]

    def _batch(
        self, result: SyncResult, progress: Callable[[Progress], None], total: int, pulled_back: bool
    ) -> tuple[SyncResult, bool] | None:
        """Send the next batch of the outbox; None when nothing is left to send."""
        with self.store.read() as session:
            # Records never wait behind a large file: its attachment goes once the file is up.
            entries = outbox.pending(session, self.batch_size, files.held_back(session))
            left = outbox.pending_count(session)
            cursor = state.cursor(session)
            wanted = record_files(entries, uploaded_records(session, entries))
        if not entries:
            return None
        progress(Progress(Stage.PUSHING, result.pushed, total))
        send_record_files(self.transport, self.blobs, wanted)
        try:
            request = self._request(entries, left, cursor)
            response = self._exchange(partial(self.transport.push, request))
        except Refused as refusal:
            if not refusal.rejected:
                raise
            if not pulled_back and any(r.code == "clock_ahead" for r in refusal.rejected):
                self._pull_back()
                return result, True
            return replace(result, rejected=result.rejected + self._set_aside(refusal)), pulled_back
        with self.store.unit_of_work() as session:
            outbox.acknowledge(session, [r.mutation_id for r in response.results])
            timeline.raise_acked_floor(session, (stamp for e in entries for stamp in e.stamps()))
            timeline.save(session, self.store.device_time)
        self._moved = True
        return replace(result, pushed=result.pushed + len(entries)), pulled_back

    def _request(self, entries: list[OutboxEntry], pending: int, cursor: str | None = None) -> PushRequest:
        """The push body; with the device's cursor, so its own pulls leave out what it just pushed."""
        # Built without validation (model_construct): the outbox holds what the store's write path
        # validated; the server validates the request as it arrives.
        mutations = [
            Mutation.model_construct(
                mutation_id=e.mutation_id,
                entity=cast(EntityName, e.entity),
                record_id=e.record_id,
                changes={n: _wire(v) for n, v in e.changes.items()},
                deleted=e.deleted.encode() if e.deleted else None,
            )
            for e in entries
        ]
        return PushRequest(
            device_id=self.store.node_id,
            mutations=mutations,
            pending=pending,
            app_version=self.app_version,
            clock_offset_ms=-self.store.device_time.offset_ms,  # the protocol's sign: device minus server
            cursor=cursor,
        )

    def _set_aside(self, refusal: Refused) -> int:
        self._moved = True
        with self.store.unit_of_work() as session:
            for rejection in refusal.rejected:
                outbox.reject(session, rejection.mutation_id, rejection.message)
        return len(refusal.rejected)

    def _date_provisional(self) -> None:
        """Changes stamped before this boot's first exchange are dated on a lower bound: learn the server's
        time first, so they are corrected before they leave (decision 0013)."""
        with self.store.unit_of_work() as session:
            waiting = timeline.settle(session, self.store.clock, self.store.device_time)
        if waiting:
            self._exchange(self.transport.health)

    def _pull_back(self) -> None:
        """The server says some stamps are from the future: re-measure, then re-date those changes no later
        than they were made (just after what they follow), and set the clock back with them."""
        health = self._exchange(self.transport.health)
        limit = Stamp(
            max(0, health.server_time_ms + health.max_clock_ahead_ms - PULL_BACK_MARGIN_MS),
            MAX_COUNTER,
            self.store.node_id,
        )
        now = Stamp(health.server_time_ms, 0, self.store.node_id)
        with self.store.unit_of_work() as session:
            timeline.pull_back(session, self.store.clock, limit, now)
            timeline.save(session, self.store.device_time)

    # -- pull ------------------------------------------------------------------------------------------------

    def _pull(
        self, result: SyncResult, progress: Callable[[Progress], None], cancelled: Callable[[], bool]
    ) -> SyncResult:
        """Pull pages until the feed is exhausted, fetching the next page while applying this one."""
        start, self._start = self._start, None
        if start is None:
            with self.store.read() as session:
                start = state.pull_start(session)
        cursor, self._evictions_waiting = start
        # A first pull brings the whole caseload: no news; later pulls bring the office's changes.
        watch = cursor is not None
        total: int | None = None
        # The first page is fetched here (a no-op sync is that one request); the prefetch thread starts
        # only when there is a next page to fetch while this one is applied.
        prefetch: ThreadPoolExecutor | None = None
        try:
            pending = self._fetch_now(cursor)
            while True:
                self._check(cancelled)
                try:
                    page = pending.result()
                except Refused as refusal:
                    if refusal.code != "cursor_ahead" or cursor is None:
                        raise
                    # The server lost history (restored from a backup): start over; merges are idempotent.
                    cursor = None
                    pending = self._fetch_now(cursor)
                    continue
                if page.has_more:
                    prefetch = prefetch or ThreadPoolExecutor(1, thread_name_prefix="fieldapp-pull")
                    pending = prefetch.submit(self._fetch, page.cursor)
                nothing = not (page.changes or page.evictions or page.losses) and page.cursor == cursor
                applied, evicted = (replica.Applied((), 0), 0) if nothing else self._apply(page, watch)
                self._note(applied.changes)
                result = self._done = replace(
                    result,
                    pulled=result.pulled + len(page.changes),
                    evicted=result.evicted + evicted,
                    conflicts=result.conflicts + applied.conflicts,
                )
                if total is None:
                    total = result.pulled + page.remaining
                progress(Progress(Stage.PULLING, result.pulled, max(total, result.pulled)))
                cursor = page.cursor
                if not page.has_more:
                    return result
        finally:
            if prefetch is not None:
                prefetch.shutdown(wait=False, cancel_futures=True)

    def _fetch_now(self, cursor: str | None) -> Future[PullPage]:
        done: Future[PullPage] = Future()
        try:
            done.set_result(self._fetch(cursor))
        except SyncError as exc:
            done.set_exception(exc)
        return done

    def _note(self, changes: tuple[Change, ...]) -> None:
        if self._kinds is not None:
            self._kinds.update(change.entity for change in changes)
            return
        self._changes.extend(changes)
        if len(self._changes) > MAX_CHANGES:
            self._kinds = {change.entity for change in self._changes}
            self._changes = []

    def _changed(self) -> tuple[Change, ...]:
        if self._kinds is None:
            return tuple(self._changes)
        return tuple(Change(entity, SOME_RECORDS, frozenset()) for entity in sorted(self._kinds))

    def _fetch(self, cursor: str | None) -> PullPage:
        return self._exchange(partial(self.transport.pull, cursor, self.page_size))

    def _apply(self, page: PullPage, watch: bool = False) -> tuple[replica.Applied, int]:
        evicted = 0
        self._moved = True
        with self.store.unit_of_work() as session:
            try:
                applied = replica.apply_wire(session, self.store.clock, page.changes, watch_visits=watch)
            except ValueError as exc:
                raise ServerFailed(f"the server sent a record this app cannot store ({exc})") from exc
            if applied.visits:
                now = datetime.fromtimestamp(self.store.clock.physical() / 1000, UTC)
                notices.record(session, applied.visits, now)
            for eviction in page.evictions:
                evicted += replica.evict(session, eviction.patient_id, eviction.seq)
            reported = conflicts.record_reported(session, (_reported(n) for n in page.losses))
            state.save_cursor(session, page.cursor)
            timeline.save(session, self.store.device_time)
        return replace(applied, conflicts=applied.conflicts + reported), evicted

    def _finish(self, result: SyncResult) -> SyncResult:
        """Retry the evictions that waited for pushes, keep the state row (last success, the timeline's
        anchor and moment alive), then ``after_success``. A quiet cycle (it wrote nothing, nothing waits)
        skips all three while they were done less than ``QUIET_KEEP_S`` ago on the same anchor."""
        anchor = self.store.device_time.anchor
        kept = (anchor.boot_id, anchor.kind, anchor.epoch)
        now = time.monotonic()
        quiet = not (self._moved or self._evictions_waiting)
        if quiet and kept == self._kept and now - self._kept_at < QUIET_KEEP_S:
            return result
        with self.store.unit_of_work() as session:
            evicted = replica.retry_evictions(session) if self._evictions_waiting or self._moved else []
            state.mark_success(session, datetime.now(UTC))
            timeline.save(session, self.store.device_time)  # a no-op pull saved nothing itself
        self._kept, self._kept_at = kept, now
        self._then()
        return replace(result, evicted=result.evicted + len(evicted))

    # -- helpers ---------------------------------------------------------------------------------------------

    def _exchange(self, call: Callable[[], T]) -> T:
        """Run one request and take the server time in its answer (the device timeline, decision 0013)."""
        device_time = self.store.device_time
        sent = device_time.reading()
        answer = call()
        received = device_time.reading()
        server_ms = getattr(answer, "server_time_ms", None)
        if isinstance(server_ms, int):
            self.store.measured(sent, received, server_ms)
        return answer

    @staticmethod
    def _check(cancelled: Callable[[], bool]) -> None:
        if cancelled():
            raise Cancelled()


def _failure_sentence(exc: SyncError) -> str:
    """What the person holding the tablet reads: a refusal says that the server refused, and why."""
    if isinstance(exc, Refused):
        return f"the office server refused the request: {exc.message}"
    return exc.message
