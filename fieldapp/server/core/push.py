"""Push: the device-to-server half of the sync protocol (pulls are in ``pull``).

A push is applied all together or not at all. Each mutation is checked (device, stamps, authorisation,
entity rules, validation of the merged record); if any is refused the whole batch is refused with every
reason, and the device sets those aside and pushes the rest. A mutation id seen before is not applied
again: its first answer is returned. Pushes run in parallel: they lock only the rows they change (see
``feed`` for how the change feed stays gap-free), and each is written with a few set-based statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.attestation import content_digest
from fieldapp.domain.entities import Visit, entity_type, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.merge import Loser, LossReason, MergeResult, RecordState, Versioned, canonical, merge
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import caseload, device_sync, evidence, feed, locks, pull, replays, rows
from fieldapp.server.core import stamps as stamp_rules
from fieldapp.server.core.agency import agency_zone
from fieldapp.server.core.losses import arrival_losses
from fieldapp.server.core.refusal import Refused as _Refused
from fieldapp.server.errors import Forbidden, Invalid
from fieldapp.server.models import AppliedMutation, ConflictEntry, Record
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Mutation, MutationResult, Outcome, PushRequest, PushResponse, Rejection

CHILD_ENTITIES = ("visit_note", "observation", "signature", "task_outcome")
LOGGED = (LossReason.CONFLICT, LossReason.DELETED)


@dataclass
class Pending:
    """A record as the batch leaves it: its state and the columns derived from it."""

    entity: str
    state: RecordState
    existed: bool
    conflicts: list[Loser] = field(default_factory=list)
    mutation_ids: list[uuid.UUID] = field(default_factory=list)
    # The pushing device holds exactly this state (it had the record as stored, and its changes won as
    # sent): its own pulls then skip the record instead of downloading its own write.
    echo: bool = False


@dataclass(frozen=True, slots=True)
class Changed:
    """What a committed push changed, for the notifier."""

    last_seq: int
    patient_ids: frozenset[uuid.UUID]
    worker_ids: frozenset[uuid.UUID]


def push(
    session: Session, principal: Principal, request: PushRequest, settings: Settings, now: datetime
) -> tuple[PushResponse, Changed | None]:
    """Apply a batch atomically; returns the answer and what changed (None when nothing did)."""
    if request.device_id != principal.device_id:
        raise Forbidden("this device signed in under another id", code="device_mismatch")
    replays.refuse_repeated_ids(request)
    feed.begin(session)  # before any row is locked or written (see feed.py)
    now_ms = int(now.timestamp() * 1000)
    known = replays.known_results(session, principal, request)
    batch = _Batch(session, principal, settings, now_ms, _device_cursor(request))
    batch.prefetch([m for m in request.mutations if m.mutation_id not in known])
    rejected: list[Rejection] = []
    forbidden = False
    for mutation in request.mutations:
        if mutation.mutation_id in known:
            continue
        try:
            batch.apply(mutation)
        except _Refused as refusal:
            forbidden = forbidden or refusal.forbidden
            rejected.append(
                Rejection(
                    mutation_id=mutation.mutation_id,
                    code=refusal.code,
                    message=refusal.message,
                    problems=refusal.problems,
                )
            )
    if rejected:
        error = Forbidden if forbidden else Invalid
        raise error(
            f"{len(rejected)} of {len(request.mutations)} changes were refused; nothing was applied",
            rejected=rejected,
            code="batch_refused",
        )
    results, changed = batch.write(now, request, known)
    device_sync.touch(session, principal, request, now)
    return PushResponse(results=results, server_time_ms=now_ms), changed


class _Batch:
    """The records one push touches, merged in memory before anything is written."""

    def __init__(
        self, session: Session, principal: Principal, settings: Settings, now_ms: int, since: int | None
    ) -> None:
        self.session, self.principal, self.settings, self.now_ms = session, principal, settings, now_ms
        self.since = since  # the device's cursor: what it holds of the records it pushes
        self.records: dict[uuid.UUID, Pending] = {}
        self.rows: dict[uuid.UUID, Any] = {}  # stored rows (id, entity, state columns, seq, patient_id)
        self.looked_up: set[uuid.UUID] = set()  # ids the prefetch asked for: found ones are in ``rows``
        self.zone = agency_zone(session, settings)
        self.allowed_until: dict[uuid.UUID, int | None] = {}
        self.conflict_rows: list[dict[str, Any]] = []

    def prefetch(self, mutations: list[Mutation]) -> None:
        """Load every record the batch names, and the caseload facts it needs, in a few queries."""
        ids = sorted({m.record_id for m in mutations})
        self.looked_up.update(ids)
        for start in range(0, len(ids), 500):
            # Locked until commit, in id order (no deadlock between two pushes): a concurrent push of the
            # same record waits here and then merges onto this one's result instead of overwriting it.
            self._fetch(ids[start : start + 500], lock=True)
        # The visits that notes, vitals and signatures name: read (not locked) for the entity rules.
        named = {rows.uuid_or_none(m.changes["visit_id"].v) for m in mutations if "visit_id" in m.changes}
        named |= {row.parent_id for row in self.rows.values()}
        parents = sorted(p for p in named if p is not None and p not in self.looked_up)
        self.looked_up.update(parents)
        for start in range(0, len(parents), 500):
            self._fetch(parents[start : start + 500], lock=False)
        if self.principal.is_office:
            return
        patients = {m.record_id for m in mutations if m.entity == "patient"}
        for mutation in mutations:
            change = mutation.changes.get("patient_id")
            if change is not None and isinstance(change.v, str):
                patients.add(uuid.UUID(change.v))
        patients |= {row.patient_id for row in self.rows.values() if row.patient_id is not None}
        if patients:
            self.allowed_until = caseload.write_allowed_until(self.session, self.principal.user_id, patients)

    def _fetch(self, ids: list[uuid.UUID], *, lock: bool) -> None:
        query = sa.select(*STATE_COLUMNS).where(Record.id.in_(ids)).order_by(Record.id)
        for row in self.session.execute(query.with_for_update() if lock else query):
            self.rows[row.id] = row
            if lock:  # a record the batch writes; the visits it only reads get a state if they need one
                echo = self.since is not None and row.seq <= self.since
                self.records[row.id] = Pending(row.entity, rows.state_of(row), existed=True, echo=echo)

    def apply(self, mutation: Mutation) -> None:
        current = self._load(mutation.record_id, mutation.entity)
        self._check_stamps(mutation, current.state)
        incoming = mutation.state()  # its stamps decoded once, here (the checks above read the text)
        result = merge(mutation.entity, current.state, incoming)
        result = MergeResult(result.state, arrival_losses(incoming, result))
        self._check_losers(mutation, incoming, result.losers)
        values = _values(result.state)
        record = self._validate(mutation, values, result.state.deleted is not None)
        self._authorize(mutation, current, values)
        self._check_entity_rules(mutation, current, values, record)
        current.state = self._canonical(mutation, record, result.state)
        current.conflicts.extend(loser for loser in result.losers if loser.reason in LOGGED)
        current.mutation_ids.append(mutation.mutation_id)
        current.echo = current.echo and _as_sent(current.state, incoming)

    def write(
        self, now: datetime, request: PushRequest, known: dict[uuid.UUID, dict[str, Any]]
    ) -> tuple[list[MutationResult], Changed | None]:
        touched = [rid for rid, pending in self.records.items() if pending.mutation_ids]
        numbers = dict(zip(touched, feed.allocate(self.session, len(touched)), strict=True))
        by_mutation: dict[uuid.UUID, MutationResult] = {}
        mutations = {m.mutation_id: m for m in request.mutations}
        patients: set[uuid.UUID] = set()
        workers: set[uuid.UUID] = set()
        new: list[dict[str, Any]] = []
        changed_rows: list[dict[str, Any]] = []
        for record_id in touched:
            pending = self.records[record_id]
            row = self._store(record_id, pending, numbers[record_id], now)
            (changed_rows if pending.existed else new).append(row)
            if row["patient_id"]:
                patients.add(row["patient_id"])
            if row["worker_id"]:
                workers.add(row["worker_id"])
            self._log_conflicts(record_id, row["patient_id"], pending, numbers[record_id], now)
            for mutation_id in pending.mutation_ids:
                mine = _conflicts_of(pending, mutations[mutation_id])
                by_mutation[mutation_id] = MutationResult(
                    mutation_id=mutation_id, outcome=Outcome.APPLIED, conflicts=mine, seq=numbers[record_id]
                )
        # One statement per kind of write (executemany / multi-row VALUES), not a round trip per record.
        rows.insert(self.session, Record, new)
        rows.update(self.session, changed_rows)
        rows.exception_days(
            self.session,
            (rid for rid in touched if self.records[rid].entity == "visit_exception"),
            (rid for rid in touched if self.records[rid].entity == "visit"),
        )
        rows.insert(self.session, ConflictEntry, self.conflict_rows)
        applied = [
            {
                "mutation_id": mutation_id,
                "user_id": self.principal.user_id,
                "device_id": self.principal.device_id,
                "record_id": mutations[mutation_id].record_id,
                "result": result.model_dump(mode="json"),
                "applied_at": now,
            }
            for mutation_id, result in by_mutation.items()
        ]
        rows.insert(self.session, AppliedMutation, applied)
        results = []
        for mutation in request.mutations:
            if mutation.mutation_id in by_mutation:
                results.append(by_mutation[mutation.mutation_id])
            else:
                first = MutationResult.model_validate(known[mutation.mutation_id])
                results.append(first.model_copy(update={"outcome": Outcome.DUPLICATE}))
        changed = Changed(max(numbers.values()), frozenset(patients), frozenset(workers)) if numbers else None
        return results, changed

    # -- checks ------------------------------------------------------------------------------------------

    def _check_stamps(self, mutation: Mutation, held: RecordState) -> None:
        bounds = stamp_rules.Bounds(self.principal.device_id, self.now_ms, self.settings.max_clock_ahead_ms)
        problem = stamp_rules.check(mutation, held, bounds)
        if problem is not None:
            raise _Refused(problem.code, problem.message, problem.problems)

    def _check_losers(self, mutation: Mutation, incoming: RecordState, losers: Iterable[Loser]) -> None:
        for loser in losers:
            change = incoming.fields.get(loser.field)
            mine = change == loser.lost or (
                loser.field == "_deleted" and incoming.deleted == loser.lost.stamp
            )
            # A fixed field keeps its first write: an incoming value stamped earlier would win the merge
            # and replace it, so taking part in an immutable loss at all (losing or winning) is refused.
            rewrites = change is not None and change == loser.winner
            if loser.reason is LossReason.IMMUTABLE and (mine or rewrites):
                raise _Refused(
                    "immutable",
                    f"{mutation.entity.replace('_', ' ')} field {loser.field} cannot change once written",
                )
            if mine and loser.reason is LossReason.UNDELETABLE:
                raise _Refused("undeletable", f"a {mutation.entity.replace('_', ' ')} cannot be deleted")

    def _validate(self, mutation: Mutation, values: dict[str, Any], deleted: bool) -> Any:
        if not values:
            raise _Refused("unknown_record", f"{mutation.entity} {mutation.record_id} does not exist here")
        try:
            return parse(entity_type(mutation.entity), {"id": str(mutation.record_id), **values})
        except ValidationError as exc:
            raise _Refused("invalid", str(exc), exc.problems) from None

    @staticmethod
    def _canonical(mutation: Mutation, record: Any, state: RecordState) -> RecordState:
        """Store what the model makes of each written value (upper-case codes, filled-in defaults), so every
        replica receives one form; devices built on the same model already send exactly that."""
        normal = record.model_dump(mode="json", include=set(mutation.changes))
        fields = dict(state.fields)
        for name in mutation.changes:
            held = fields.get(name)
            if held is not None and canonical(held.value) != canonical(normal.get(name)):
                fields[name] = Versioned(normal.get(name), held.stamp, held.base)
        return RecordState(fields, state.deleted)

    def _authorize(self, mutation: Mutation, current: Pending, values: dict[str, Any]) -> None:
        if self.principal.is_office:
            return
        if mutation.entity == "day_report":
            if values.get("worker_id") != str(self.principal.user_id):
                raise _Refused(
                    "not_yours", "a day report can only be submitted by its worker", forbidden=True
                )
            return
        if mutation.entity == "patient" and not current.existed:
            raise _Refused("office_only", "only the office can register a new patient", forbidden=True)
        decided = mutation.changes.get("resolution") if mutation.entity == "visit_exception" else None
        # Devices create it undecided (also when the server's sweep made it first: the office owns the field,
        # so their empty value never replaces a decision).
        if decided is not None and decided.v is not None:
            raise _Refused("office_only", "only the office approves or rejects an exception", forbidden=True)
        patient_id = mutation.record_id if mutation.entity == "patient" else uuid.UUID(values["patient_id"])
        if patient_id not in self.allowed_until:
            self.allowed_until.update(
                caseload.write_allowed_until(self.session, self.principal.user_id, {patient_id})
            )
        until = self.allowed_until[patient_id]
        newest = max(stamp.wall_ms for stamp in mutation.stamps())
        if until is not None and newest > until:
            raise _Refused("not_on_caseload", "this patient is not on your caseload", forbidden=True)

    def _check_entity_rules(
        self, mutation: Mutation, current: Pending, values: dict[str, Any], record: Any
    ) -> None:
        signature = current.state.fields.get("signature_id")
        signed_before = current.existed and signature is not None and signature.value is not None
        if mutation.entity == "visit" and mutation.deleted is not None and signed_before:
            raise _Refused("signed", "a signed visit cannot be deleted; cancel it instead")
        if mutation.entity == "visit" and signed_before:
            locked = locks.attested_changes(mutation, current.state, values)
            if locked:
                raise _Refused("signed", f"the visit is signed; {', '.join(locked)} can no longer change")
        if mutation.entity in CHILD_ENTITIES:
            visit_values, visit_deleted = self._visit(uuid.UUID(values["visit_id"]))
            if not visit_values or visit_deleted:
                raise _Refused("unknown_visit", f"visit {values['visit_id']} does not exist here")
            if visit_values.get("patient_id") != values.get("patient_id"):
                raise _Refused(
                    "invalid",
                    "patient does not match the visit's patient",
                    {"patient_id": "does not match the visit's patient"},
                )
            if mutation.entity == "observation" and current.existed and visit_values.get("signature_id"):
                raise _Refused("signed", "the visit is signed; record a new observation instead")
            if mutation.entity == "task_outcome" and visit_values.get("signature_id"):
                locks.check_outcome_open(mutation, current.existed)
        if mutation.entity == "attachment" and values.get("visit_id"):
            self._check_attachment_visit(values)
        reassigned = mutation.entity == "visit" and "worker_id" in mutation.changes
        if (
            reassigned
            and not self.principal.is_office
            and values.get("worker_id") != str(self.principal.user_id)
        ):
            raise _Refused(
                "office_only", "only the office can give a visit to another worker", forbidden=True
            )
        sha = _blob_of(mutation.entity, values)
        if sha is not None and not current.existed:
            evidence.check_file(self.session, mutation.entity, sha, values.get("media_type"))
            if mutation.entity == "attachment" and values.get("thumbnail_sha256"):
                evidence.check_file(self.session, "thumbnail", values["thumbnail_sha256"], "image/jpeg")
        if mutation.entity == "signature":
            evidence.check_signature(mutation, current.existed, current.state, record)

    # -- loading and storing -------------------------------------------------------------------------------

    def _load(self, record_id: uuid.UUID, entity: str) -> Pending:
        if record_id in self.records:
            pending = self.records[record_id]
        else:
            row = self.rows.get(record_id)
            if row is None and record_id not in self.looked_up:  # the prefetch knows it is new otherwise
                row = self.session.execute(sa.select(*STATE_COLUMNS).where(Record.id == record_id)).first()
            if row is not None:
                self.rows[record_id] = row
            pending = Pending(
                row.entity if row else entity,
                rows.state_of(row) if row else RecordState(),
                existed=row is not None,
                echo=row is None and self.since is not None,  # a new record: the device made it
            )
            self.records[record_id] = pending
        if pending.entity != entity:
            raise _Refused("wrong_entity", f"record {record_id} is a {pending.entity}, not a {entity}")
        return pending

    def _visit(self, visit_id: uuid.UUID) -> tuple[dict[str, Any], bool]:
        """A visit's values and whether it is deleted; a stored one the batch does not write is read from
        its row (no state built: a batch of notes reads hundreds of visits)."""
        row = self.rows.get(visit_id)
        if visit_id in self.records or row is None or row.entity != "visit":
            visit = self._load(visit_id, "visit")
            return _values(visit.state), visit.state.deleted is not None
        return {name: row.fields.get(name) for name in row.stamps}, row.deleted is not None

    def _store(self, record_id: uuid.UUID, pending: Pending, seq: int, now: datetime) -> dict[str, Any]:
        row = rows.columns(record_id, pending.entity, pending.state, self.zone)
        echo = pending.echo and self.since
        row.update(seq=seq, updated_at=now, origin=self.principal.device_id if echo else None)
        row["origin_since"] = self.since if echo else None
        if pending.entity == "signature" and not pending.existed:
            self._check_attestation(record_id, row["fields"], seq, now)
        return row

    def _log_conflicts(
        self, record_id: uuid.UUID, patient_id: uuid.UUID | None, pending: Pending, seq: int, now: datetime
    ) -> None:
        for loser in pending.conflicts:
            self.conflict_rows.append(
                dict(
                    entity=pending.entity,
                    record_id=record_id,
                    patient_id=patient_id,
                    **loser.logged(),
                    mutation_id=pending.mutation_ids[-1] if pending.mutation_ids else None,
                    detected_at=now,
                    seq=seq,
                    lost_node=loser.lost.stamp.node,
                )
            )

    def _check_attachment_visit(self, values: dict[str, Any]) -> None:
        visit, _ = self._visit(uuid.UUID(values["visit_id"]))
        if not visit:
            raise _Refused("unknown_visit", f"visit {values['visit_id']} does not exist here")
        if visit.get("patient_id") != values.get("patient_id"):
            raise _Refused(
                "invalid", "the visit is not the patient's", {"visit_id": "not the patient's visit"}
            )

    def _check_attestation(
        self, signature_id: uuid.UUID, values: dict[str, Any], seq: int, now: datetime
    ) -> None:
        """A signature over content the server holds differently is kept, and flagged for the office."""
        visit_id = uuid.UUID(values["visit_id"])
        visit = parse(Visit, {"id": str(visit_id), **_values(self._load(visit_id, "visit").state)})
        written = {rid: (p.entity, p.state) for rid, p in self.records.items() if p.mutation_ids}
        notes, observations, outcomes = rows.visit_children(self.session, visit_id, written)
        if content_digest(visit, notes, observations, outcomes) == values["content_sha256"]:
            return
        signed = self.records[signature_id].state.fields["content_sha256"].stamp
        self.conflict_rows.append(
            dict(
                entity="signature",
                record_id=signature_id,
                patient_id=visit.patient_id,
                field="content_sha256",
                reason="attestation_mismatch",
                lost_value=values["content_sha256"],
                lost_stamp=signed.encode(),
                winner_value=content_digest(visit, notes, observations, outcomes),
                winner_stamp=None,
                mutation_id=None,
                detected_at=now,
                seq=seq,
                lost_node=signed.node,
            )
        )


_values, _blob_of = rows.values_of, rows.blob_of
# What a push reads of a stored record (no JSON it does not need: the wire form, the search text).
STATE_COLUMNS = (
    Record.id,
    Record.entity,
    Record.fields,
    Record.stamps,
    Record.bases,
    Record.deleted,
    Record.seq,
    Record.patient_id,
    Record.parent_id,
)


def _as_sent(state: RecordState, incoming: RecordState) -> bool:
    """Whether the merged state holds every field (and tombstone) exactly as the device sent it."""
    if incoming.deleted is not None and state.deleted != incoming.deleted:
        return False
    return all(state.fields.get(name) == value for name, value in incoming.fields.items())


def _device_cursor(request: PushRequest) -> int | None:
    """The pushing device's feed position (None when it sent none, or one this server did not issue)."""
    try:
        position = pull.decode(request.cursor)[0] if request.cursor else 0
    except ValueError:
        return None
    return position or None


def _conflicts_of(pending: Pending, mutation: Mutation) -> int:
    if not pending.conflicts:
        return 0
    incoming = mutation.state()
    return sum(
        1 for loser in pending.conflicts if incoming.fields.get(loser.field) in (loser.lost, loser.winner)
    )
