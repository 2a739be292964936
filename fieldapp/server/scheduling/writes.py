"""Schedule changes written as office mutations through the sync core's push (decision 0023).

Every scheduling path (office pages, the API, the CSV import, series) ends here: the visits' wanted
schedule fields are compared with what is stored, only fields that differ are sent, stamped by an office
clock that has seen every stamp the visits hold, and pushed in batches inside the caller's transaction.
The push validates each visit as it will be, numbers it in the change feed and tells the caller what
changed, so tablets receive a schedule change like any other record (and a replay writes nothing).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.clock import HybridClock, Stamp
from fieldapp.domain.entities import Visit, data_fields, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.language import Phrase, joined, named, phrase
from fieldapp.domain.merge import canonical
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import caseload as assignments
from fieldapp.server.core import feed
from fieldapp.server.core import push as sync_push
from fieldapp.server.core.agency import agency_zone
from fieldapp.server.core.notify import Notice
from fieldapp.server.errors import Conflict, Invalid
from fieldapp.server.models import Record
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import MAX_BATCH, FieldChange, Mutation, PushRequest

APP_VERSION = "office-schedule"
# A new visit is sent whole: the fields named plus every field a tablet must hold from the start.
REQUIRED = frozenset(
    {"patient_id", "worker_id", "scheduled_start", "scheduled_end", "service_code", "status"}
)


@dataclass(frozen=True, slots=True)
class Author:
    """Who writes the schedule, from where, and when (the server's now)."""

    session: Session
    settings: Settings
    principal: Principal
    now: datetime

    def zone(self) -> ZoneInfo:
        """The agency's time zone (its card's, else the server's setting)."""
        return agency_zone(self.session, self.settings)


@dataclass(frozen=True, slots=True)
class VisitChange:
    """The schedule fields (wire values) one visit should have; a new visit needs all it requires."""

    visit_id: uuid.UUID
    values: dict[str, Any]


@dataclass(slots=True)
class Written:
    """What a schedule write did: counts, and the notice for the tablets' event streams."""

    created: list[uuid.UUID] = field(default_factory=list)
    updated: list[uuid.UUID] = field(default_factory=list)
    unchanged: list[uuid.UUID] = field(default_factory=list)
    last_seq: int = 0
    patient_ids: set[uuid.UUID] = field(default_factory=set)
    worker_ids: set[uuid.UUID] = field(default_factory=set)

    @property
    def notice(self) -> Notice | None:
        """The change notice, or None when nothing was written."""
        if not self.last_seq:
            return None
        return Notice.of(self.last_seq, frozenset(self.patient_ids), frozenset(self.worker_ids))

    def absorb(self, other: Written) -> None:
        """Add another write's outcome to this one."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.last_seq = max(self.last_seq, other.last_seq)
        self.patient_ids |= other.patient_ids
        self.worker_ids |= other.worker_ids


def stored_visits(session: Session, ids: Iterable[uuid.UUID], *, lock: bool = False) -> dict[uuid.UUID, Any]:
    """The stored visit rows (id, entity, fields, stamps, deleted) among ``ids``, 500 ids a query."""
    wanted = sorted(set(ids))
    found: dict[uuid.UUID, Any] = {}
    columns = (Record.id, Record.entity, Record.fields, Record.stamps, Record.deleted)
    for start in range(0, len(wanted), 500):
        query = sa.select(*columns).where(Record.id.in_(wanted[start : start + 500])).order_by(Record.id)
        for row in session.execute(query.with_for_update() if lock else query):
            found[row.id] = row
    return found


def write_visits(
    author: Author, changes: Sequence[VisitChange], stored: dict[uuid.UUID, Any] | None = None
) -> Written:
    """Write ``changes`` as office mutations; visits left as they are count as unchanged.

    Raises Invalid (with each refused visit) when a resulting visit is not valid, Conflict when a visit id
    names another kind of record or a deleted visit. ``stored``: ``stored_visits`` of these ids, if read."""
    feed.begin(author.session)  # before any row is locked (see feed.py)
    rows = stored if stored is not None else stored_visits(author.session, (c.visit_id for c in changes))
    clock = _clock(author, rows.values())
    written = Written()
    mutations: list[Mutation] = []
    for change in changes:
        row = rows.get(change.visit_id)
        diff = differences(change, row)
        if not diff:
            written.unchanged.append(change.visit_id)
            continue
        (written.updated if row is not None else written.created).append(change.visit_id)
        stamp = clock.now().encode()
        stamps = row.stamps if row is not None else {}
        mutations.append(
            Mutation(
                mutation_id=uuid.uuid4(),
                entity="visit",
                record_id=change.visit_id,
                changes={name: FieldChange(v=v, s=stamp, b=stamps.get(name)) for name, v in diff.items()},
            )
        )
    for start in range(0, len(mutations), MAX_BATCH):
        _push(author, mutations[start : start + MAX_BATCH], written)
    return written


def preview(session: Session, changes: Sequence[VisitChange]) -> Written:
    """What ``write_visits`` would do (created, updated, unchanged), without writing anything."""
    rows = stored_visits(session, (change.visit_id for change in changes))
    written = Written()
    for change in changes:
        row = rows.get(change.visit_id)
        bucket = (
            written.unchanged if not differences(change, row) else written.updated if row else written.created
        )
        bucket.append(change.visit_id)
    return written


def differences(change: VisitChange, row: Any) -> dict[str, Any]:
    """The wanted fields whose normal form (as the push would store it) differs from the stored one."""
    if row is not None and row.entity != "visit":
        raise Conflict(phrase("%(id)s is not a visit", id=change.visit_id), code="not_a_visit")
    if row is not None and row.deleted is not None:
        raise Conflict(
            phrase("visit %(id)s was deleted; it cannot be scheduled again", id=change.visit_id),
            code="deleted",
        )
    stored: dict[str, Any] = dict(row.fields) if row is not None else {}
    try:
        visit = parse(Visit, {**stored, **change.values, "id": str(change.visit_id)})
    except ValidationError as exc:
        problems = joined(named(name, why) for name, why in sorted(exc.problems.items()))
        raise Invalid(
            phrase("visit %(id)s would not be valid: %(problems)s", id=change.visit_id, problems=problems),
            code="invalid_visit",
        ) from None
    normal = visit.model_dump(mode="json")
    if row is None:
        return {
            name: normal[name] for name in data_fields(Visit) if name in change.values or name in REQUIRED
        }
    return {
        name: normal[name]
        for name in change.values
        if name not in row.stamps or canonical(normal[name]) != canonical(stored.get(name))
    }


def _clock(author: Author, rows: Iterable[Any]) -> HybridClock:
    """An office clock at the server's now that has seen every stamp of ``rows``."""
    now_ms = int(author.now.timestamp() * 1000)
    clock = HybridClock(author.principal.device_id, physical_ms=lambda: now_ms)
    held = [Stamp.decode(stamp) for row in rows for stamp in row.stamps.values()]
    if held:
        clock.observe(max(held))
    return clock


def _push(author: Author, mutations: list[Mutation], written: Written) -> None:
    request = PushRequest(device_id=author.principal.device_id, mutations=mutations, app_version=APP_VERSION)
    try:
        _, changed = sync_push.push(author.session, author.principal, request, author.settings, author.now)
    except Invalid as exc:
        visits = {m.mutation_id: m.record_id for m in mutations}
        raise Invalid(_refusal_words(exc, visits), code="schedule_refused") from exc
    if changed is not None:
        written.last_seq = max(written.last_seq, changed.last_seq)
        written.patient_ids |= changed.patient_ids
        written.worker_ids |= changed.worker_ids


def _refusal_words(exc: Invalid, visits: dict[uuid.UUID, uuid.UUID]) -> str:
    details = [
        phrase(
            "visit %(id)s: %(why)s",
            id=visits.get(item.mutation_id, item.mutation_id),
            why=joined(named(k, v) for k, v in sorted(item.problems.items())) or item.message,
        )
        for item in exc.rejected[:5]
    ]
    more = phrase(" (and %(more)s more)", more=len(exc.rejected) - 5) if len(exc.rejected) > 5 else ""
    why = Phrase("%(details)s%(more)s", details=joined(details, " | "), more=more) if details else exc.message
    return phrase("the schedule change was refused: %(why)s", why=why)


def join_caseloads(author: Author, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]], written: Written) -> int:
    """Put each (worker, patient) on the caseload if not yet there; the number newly assigned."""
    added = assignments.assign_many(author.session, pairs, author.now)
    if added:
        written.patient_ids.update(patient for _, patient in added)
        written.worker_ids.update(worker for worker, _ in added)
        written.last_seq = max(written.last_seq, feed.last_allocated(author.session))
    return len(added)
