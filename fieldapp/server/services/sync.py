"""Push and pull: the two halves of the sync protocol on the server.

A push is applied all together or not at all. Each mutation is checked (device, stamps, authorisation,
entity rules, validation of the merged record); if any is refused the whole batch is refused with every
reason, and the device sets those aside and pushes the rest. A mutation id seen before is not applied
again: its first answer is returned. A pull reads one snapshot of the change feed after the device's
cursor, limited to the device user's scope, in pages bounded in count and bytes.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain import files, signing
from fieldapp.domain.attestation import ATTESTED_VISIT_FIELDS, content_digest
from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import Observation, Visit, VisitNote, entity_type, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.merge import Loser, LossReason, MergeResult, RecordState, Versioned, canonical, merge
from fieldapp.domain.text import patient_search_text
from fieldapp.server.errors import Conflict, Forbidden, Invalid
from fieldapp.server.models import AppliedMutation, Blob, ConflictEntry, Device, DeviceClockSample, Record
from fieldapp.server.services import caseload, feed
from fieldapp.server.services import stamps as stamp_rules
from fieldapp.server.services.auth import Principal
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import (
    Mutation,
    MutationResult,
    Outcome,
    PushRequest,
    PushResponse,
    Rejection,
)

CHILD_ENTITIES = ("visit_note", "observation", "signature")
CLOCK_SAMPLE_STEP_MS = 1000
CLOCK_SAMPLE_EVERY = timedelta(hours=1)
CLOCK_SAMPLES_KEPT = timedelta(days=90)
LOGGED = (LossReason.CONFLICT, LossReason.DELETED)


@dataclass
class Pending:
    """A record as the batch leaves it: its state and the columns derived from it."""

    entity: str
    state: RecordState
    existed: bool
    conflicts: list[Loser] = field(default_factory=list)
    mutation_ids: list[uuid.UUID] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Changed:
    """What a committed push changed, for the notifier."""

    last_seq: int
    patient_ids: frozenset[uuid.UUID]
    worker_ids: frozenset[uuid.UUID]


class _Refused(Exception):
    def __init__(
        self, code: str, message: str, problems: dict[str, str] | None = None, forbidden: bool = False
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.problems, self.forbidden = code, message, problems or {}, forbidden


def push(
    session: Session, principal: Principal, request: PushRequest, settings: Settings, now: datetime
) -> tuple[PushResponse, Changed | None]:
    """Apply a batch atomically; returns the answer and what changed (None when nothing did)."""
    if request.device_id != principal.device_id:
        raise Forbidden("this device signed in under another id", code="device_mismatch")
    _refuse_repeated_ids(request)
    feed.lock(session)
    now_ms = int(now.timestamp() * 1000)
    known = _known_results(session, principal, request)
    batch = _Batch(session, principal, settings, now_ms)
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
    _touch_device(session, principal, request, now)
    return PushResponse(results=results, server_time_ms=now_ms), changed


def _refuse_repeated_ids(request: PushRequest) -> None:
    """One id names one change: a batch naming an id twice is a broken device, refused whole, whatever the
    values (taking either would drop the other silently)."""
    counts = Counter(m.mutation_id for m in request.mutations)
    repeated = [mid for mid, count in counts.items() if count > 1]
    if repeated:
        raise Invalid(
            f"{len(repeated)} change id(s) appear more than once in this batch; nothing was applied",
            rejected=[
                Rejection(
                    mutation_id=mid,
                    code="repeated_mutation_id",
                    message=f"this change id appears {counts[mid]} times in one batch; "
                    "each change needs its own id",
                )
                for mid in repeated
            ],
            code="batch_refused",
        )


class _Batch:
    """The records one push touches, merged in memory before anything is written."""

    def __init__(self, session: Session, principal: Principal, settings: Settings, now_ms: int) -> None:
        self.session, self.principal, self.settings, self.now_ms = session, principal, settings, now_ms
        self.records: dict[uuid.UUID, Pending] = {}
        self.rows: dict[uuid.UUID, Record] = {}
        self.looked_up: set[uuid.UUID] = set()  # ids the prefetch asked for: found ones are in ``rows``
        self.zone = ZoneInfo(settings.agency_timezone)
        self.allowed_until: dict[uuid.UUID, int | None] = {}

    def prefetch(self, mutations: list[Mutation]) -> None:
        """Load every record the batch names, and the caseload facts it needs, in a few queries."""
        ids = sorted({m.record_id for m in mutations})
        self.looked_up.update(ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in self.session.scalars(sa.select(Record).where(Record.id.in_(chunk))):
                self.rows[row.id] = row
                self.records[row.id] = Pending(row.entity, _state(row), existed=True)
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

    def apply(self, mutation: Mutation) -> None:
        current = self._load(mutation.record_id, mutation.entity)
        self._check_stamps(mutation, current.state)
        result = merge(mutation.entity, current.state, mutation.state())
        result = MergeResult(result.state, arrival_losses(mutation.state(), result))
        self._check_losers(mutation, result.losers)
        values = _values(result.state)
        record = self._validate(mutation, values, result.state.deleted is not None)
        self._authorize(mutation, current, values)
        self._check_entity_rules(mutation, current, values, record)
        current.state = self._canonical(mutation, record, result.state)
        current.conflicts.extend(loser for loser in result.losers if loser.reason in LOGGED)
        current.mutation_ids.append(mutation.mutation_id)

    def write(
        self, now: datetime, request: PushRequest, known: dict[uuid.UUID, dict[str, Any]]
    ) -> tuple[list[MutationResult], Changed | None]:
        touched = [rid for rid, pending in self.records.items() if pending.mutation_ids]
        numbers = dict(zip(touched, feed.allocate(self.session, len(touched)), strict=True))
        by_mutation: dict[uuid.UUID, MutationResult] = {}
        mutations = {m.mutation_id: m for m in request.mutations}
        patients: set[uuid.UUID] = set()
        workers: set[uuid.UUID] = set()
        for record_id in touched:
            pending = self.records[record_id]
            row = self._store(record_id, pending, numbers[record_id], now)
            if row.patient_id:
                patients.add(row.patient_id)
            if row.worker_id:
                workers.add(row.worker_id)
            self._log_conflicts(record_id, row.patient_id, pending, numbers[record_id], now)
            for mutation_id in pending.mutation_ids:
                mine = _conflicts_of(pending, mutations[mutation_id])
                by_mutation[mutation_id] = MutationResult(
                    mutation_id=mutation_id, outcome=Outcome.APPLIED, conflicts=mine, seq=numbers[record_id]
                )
        for mutation_id, result in by_mutation.items():
            self.session.add(
                AppliedMutation(
                    mutation_id=mutation_id,
                    user_id=self.principal.user_id,
                    device_id=self.principal.device_id,
                    record_id=mutations[mutation_id].record_id,
                    result=result.model_dump(mode="json"),
                    applied_at=now,
                )
            )
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

    def _check_losers(self, mutation: Mutation, losers: Iterable[Loser]) -> None:
        incoming = mutation.state()
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
        normal = record.model_dump(mode="json")
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
        signed_before = current.existed and _values(current.state).get("signature_id") is not None
        if mutation.entity == "visit" and mutation.deleted is not None and signed_before:
            raise _Refused("signed", "a signed visit cannot be deleted; cancel it instead")
        if mutation.entity == "visit" and current.existed:
            before = _values(current.state)
            if before.get("signature_id") is not None:
                locked = [
                    name
                    for name in ATTESTED_VISIT_FIELDS
                    if name in mutation.changes and values.get(name) != before.get(name)
                ]
                if locked:
                    raise _Refused("signed", f"the visit is signed; {', '.join(locked)} can no longer change")
        if mutation.entity in CHILD_ENTITIES:
            visit = self._load(uuid.UUID(values["visit_id"]), "visit")
            visit_values = _values(visit.state)
            if not visit_values or visit.state.deleted is not None:
                raise _Refused("unknown_visit", f"visit {values['visit_id']} does not exist here")
            if visit_values.get("patient_id") != values.get("patient_id"):
                raise _Refused(
                    "invalid",
                    "patient does not match the visit's patient",
                    {"patient_id": "does not match the visit's patient"},
                )
            if mutation.entity == "observation" and current.existed and visit_values.get("signature_id"):
                raise _Refused("signed", "the visit is signed; record a new observation instead")
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
            self._check_file(mutation.entity, sha)
        if mutation.entity == "signature":
            self._check_signature(mutation, current, record)

    # -- loading and storing -------------------------------------------------------------------------------

    def _load(self, record_id: uuid.UUID, entity: str) -> Pending:
        if record_id in self.records:
            pending = self.records[record_id]
        else:
            row = self.rows.get(record_id)
            if row is None and record_id not in self.looked_up:  # the prefetch knows it is new otherwise
                row = self.session.get(Record, record_id)
            if row is not None:
                self.rows[record_id] = row
            pending = Pending(
                row.entity if row else entity, _state(row) if row else RecordState(), existed=row is not None
            )
            self.records[record_id] = pending
        if pending.entity != entity:
            raise _Refused("wrong_entity", f"record {record_id} is a {pending.entity}, not a {entity}")
        return pending

    def _store(self, record_id: uuid.UUID, pending: Pending, seq: int, now: datetime) -> Record:
        values = _values(pending.state)
        row = self.rows.get(record_id)
        if row is None:
            row = Record(id=record_id, entity=pending.entity)
            self.session.add(row)
            self.rows[record_id] = row
        row.fields = values
        row.stamps = {name: v.stamp.encode() for name, v in pending.state.fields.items()}
        row.bases = {name: v.base.encode() for name, v in pending.state.fields.items() if v.base}
        row.wire = wire_fields(values, row.stamps, row.bases)
        row.search_text = patient_search_text(values) if pending.entity == "patient" else None
        row.deleted = pending.state.deleted.encode() if pending.state.deleted else None
        row.patient_id, row.parent_id, row.worker_id, row.day = self._derived(
            record_id, pending.entity, values
        )
        row.blob_sha256 = _blob_of(pending.entity, values)
        row.seq, row.updated_at = seq, now
        if pending.entity == "signature" and not pending.existed:
            self._check_attestation(record_id, values, seq, now)
        return row

    def _derived(
        self, record_id: uuid.UUID, entity: str, values: dict[str, Any]
    ) -> tuple[uuid.UUID | None, uuid.UUID | None, uuid.UUID | None, date | None]:
        if entity == "patient":
            return record_id, None, None, None
        if entity == "visit":
            start = datetime.fromisoformat(values["scheduled_start"]).astimezone(self.zone)
            return uuid.UUID(values["patient_id"]), None, uuid.UUID(values["worker_id"]), start.date()
        if entity == "day_report":
            return None, None, uuid.UUID(values["worker_id"]), date.fromisoformat(values["day"])
        return uuid.UUID(values["patient_id"]), uuid.UUID(values["visit_id"]), None, None

    def _log_conflicts(
        self, record_id: uuid.UUID, patient_id: uuid.UUID | None, pending: Pending, seq: int, now: datetime
    ) -> None:
        for loser in pending.conflicts:
            self.session.add(
                ConflictEntry(
                    entity=pending.entity,
                    record_id=record_id,
                    patient_id=patient_id,
                    field=loser.field,
                    reason=loser.reason.value,
                    lost_value=loser.lost.value,
                    lost_stamp=loser.lost.stamp.encode(),
                    winner_value=loser.winner.value if loser.winner else None,
                    winner_stamp=loser.winner.stamp.encode() if loser.winner else None,
                    mutation_id=pending.mutation_ids[-1] if pending.mutation_ids else None,
                    detected_at=now,
                    seq=seq,
                    lost_node=loser.lost.stamp.node,
                )
            )

    def _check_file(self, entity: str, sha: str) -> None:
        """The file a new signature or day report names is stored, and of the type that record takes."""
        media_type = self.session.scalar(sa.select(Blob.media_type).where(Blob.sha256 == sha))
        if media_type is None:
            raise _Refused("blob_missing", f"upload the file {sha} before the record that references it")
        kind = files.KIND_OF_ENTITY[entity]
        if media_type != kind.media_type:
            raise _Refused(
                "wrong_file_type",
                f"a {entity.replace('_', ' ')} takes a {kind.words}; the file {sha} is {media_type}",
                {kind.field: f"must name a {kind.media_type} file"},
            )

    def _check_signature(self, mutation: Mutation, current: Pending, record: Any) -> None:
        """A new signature arrives bound by the digest made at signing, and matching it (decision 0016);
        a digest is never added to a signature stored before digests existed."""
        if current.existed:
            if "digest" in mutation.changes and "digest" not in current.state.fields:
                raise _Refused("immutable", "a signature's digest is made at signing, never added later")
            return
        if record.digest is None:
            raise _Refused(
                "digest_missing",
                "the signature carries no digest binding what was captured; update the tablet's app",
                {"digest": "required"},
            )
        sealed = signing.check(str(mutation.record_id), record.model_dump(mode="json"))
        if not sealed.intact:
            raise _Refused(
                "signature_mismatch",
                "the signature does not match its digest: " + "; ".join(sealed.problems()),
                {part.value: "does not match the digest" for part in sealed.changed}
                | ({"digest": "does not cover its parts"} if sealed.digest_altered else {}),
            )

    def _check_attestation(
        self, signature_id: uuid.UUID, values: dict[str, Any], seq: int, now: datetime
    ) -> None:
        """A signature over content the server holds differently is kept, and flagged for the office."""
        visit_id = uuid.UUID(values["visit_id"])
        visit = parse(Visit, {"id": str(visit_id), **_values(self._load(visit_id, "visit").state)})
        notes, observations = self._children(visit_id)
        if content_digest(visit, notes, observations) == values["content_sha256"]:
            return
        signed = self.records[signature_id].state.fields["content_sha256"].stamp
        self.session.add(
            ConflictEntry(
                entity="signature",
                record_id=signature_id,
                patient_id=visit.patient_id,
                field="content_sha256",
                reason="attestation_mismatch",
                lost_value=values["content_sha256"],
                lost_stamp=signed.encode(),
                winner_value=content_digest(visit, notes, observations),
                winner_stamp=None,
                mutation_id=None,
                detected_at=now,
                seq=seq,
                lost_node=signed.node,
            )
        )

    def _children(self, visit_id: uuid.UUID) -> tuple[list[VisitNote], list[Observation]]:
        rows = self.session.scalars(
            sa.select(Record).where(
                Record.parent_id == visit_id, Record.entity.in_(("visit_note", "observation"))
            )
        )
        states = {row.id: (row.entity, _state(row)) for row in rows}
        for record_id, pending in self.records.items():
            if pending.entity in ("visit_note", "observation") and _values(pending.state).get(
                "visit_id"
            ) == str(visit_id):
                states[record_id] = (pending.entity, pending.state)
        notes = [
            parse(VisitNote, {"id": str(rid), **_values(st)})
            for rid, (e, st) in states.items()
            if e == "visit_note" and st.deleted is None
        ]
        observations = [
            parse(Observation, {"id": str(rid), **_values(st)})
            for rid, (e, st) in states.items()
            if e == "observation" and st.deleted is None
        ]
        return notes, observations


def arrival_losses(incoming: RecordState, result: MergeResult) -> tuple[Loser, ...]:
    """The losses of a merge as the server sees them when ``incoming`` arrives (decision 0013).

    The merge calls a loser "superseded" when the winner's base is at least as new as the loser's stamp,
    and lets a tombstone silently cover edits stamped before it. For a value arriving now, neither can
    mean that the winner's author saw it: a value reaches other devices only through the server, and this
    one was not here until now. Only its own device could have known it. So an arriving value that loses
    to another device's different value is a conflict, and one hidden by another device's tombstone is
    lost to the delete: both are logged for the office and handed back to the device that wrote them.
    """
    losses = []
    for loser in result.losers:
        arriving = incoming.fields.get(loser.field) == loser.lost
        if (
            arriving
            and loser.reason is LossReason.SUPERSEDED
            and loser.winner is not None
            and loser.winner.stamp.node != loser.lost.stamp.node
            and canonical(loser.winner.value) != canonical(loser.lost.value)
        ):
            loser = Loser(loser.field, loser.lost, loser.winner, LossReason.CONFLICT)
        losses.append(loser)
    tombstone = result.state.deleted
    if tombstone is not None and incoming.deleted is None:
        reported = {loser.field for loser in losses if loser.lost in incoming.fields.values()}
        losses.extend(
            Loser(name, value, Versioned(True, tombstone), LossReason.DELETED)
            for name, value in sorted(incoming.fields.items())
            if name not in reported and value.stamp.node != tombstone.node
        )
    return tuple(losses)


def _values(state: RecordState) -> dict[str, Any]:
    return {name: v.value for name, v in state.fields.items()}


def _state(row: Record) -> RecordState:
    fields = {
        name: Versioned(
            row.fields.get(name),
            Stamp.decode(stamp),
            Stamp.decode(row.bases[name]) if name in row.bases else None,
        )
        for name, stamp in row.stamps.items()
    }
    return RecordState(fields, Stamp.decode(row.deleted) if row.deleted else None)


def _blob_of(entity: str, values: dict[str, Any]) -> str | None:
    if entity == "signature":
        return values.get("image_sha256")
    if entity == "day_report":
        return values.get("pdf_sha256")
    return None


def _known_results(
    session: Session, principal: Principal, request: PushRequest
) -> dict[uuid.UUID, dict[str, Any]]:
    """First answers of mutations applied before; an id another user applied, or for another record,
    is not a replay but a clash, refused rather than answered with someone else's result."""
    records = {m.mutation_id: m.record_id for m in request.mutations}
    rows = session.execute(
        sa.select(
            AppliedMutation.mutation_id,
            AppliedMutation.result,
            AppliedMutation.user_id,
            AppliedMutation.record_id,
        ).where(AppliedMutation.mutation_id.in_(list(records)))
    ).all()
    clashes = [
        Rejection(
            mutation_id=mid,
            code="mutation_id_reused",
            message="this change id was already used for "
            "another change; the device must give each change its own id",
        )
        for mid, _, user_id, record_id in rows
        if user_id != principal.user_id or record_id != records[mid]
    ]
    if clashes:
        raise Invalid(
            "some change ids were already used for other changes", rejected=clashes, code="batch_refused"
        )
    return {mutation_id: result for mutation_id, result, _, _ in rows}


def _conflicts_of(pending: Pending, mutation: Mutation) -> int:
    if not pending.conflicts:
        return 0
    incoming = mutation.state()
    return sum(
        1 for loser in pending.conflicts if incoming.fields.get(loser.field) in (loser.lost, loser.winner)
    )


def _touch_device(session: Session, principal: Principal, request: PushRequest, now: datetime) -> None:
    device = session.get(Device, principal.device_id)
    if device is not None:
        device.last_seen, device.last_sync_at, device.pending = now, now, request.pending
        device.app_version = request.app_version or device.app_version
        if request.clock_offset_ms is not None:
            _sample_clock(session, device, request.clock_offset_ms, now)
            device.clock_offset_ms = request.clock_offset_ms


def _sample_clock(session: Session, device: Device, offset_ms: int, now: datetime) -> None:
    """Keep the offset history short: a sample when the offset moved by a second, or hourly otherwise."""
    last = session.execute(
        sa.select(DeviceClockSample.at, DeviceClockSample.offset_ms)
        .where(DeviceClockSample.device_id == device.id)
        .order_by(DeviceClockSample.at.desc(), DeviceClockSample.id.desc())
        .limit(1)
    ).first()
    if (
        last is not None
        and abs(last.offset_ms - offset_ms) < CLOCK_SAMPLE_STEP_MS
        and now - last.at < CLOCK_SAMPLE_EVERY
    ):
        return
    session.add(DeviceClockSample(device_id=device.id, at=now, offset_ms=offset_ms))


# -- pull --------------------------------------------------------------------------------------------------


def pull(
    session: Session, principal: Principal, cursor: str | None, limit: int, settings: Settings, now: datetime
) -> bytes:
    """One page of the feed after ``cursor`` as JSON bytes (a ``PullResponse``), built without copies."""
    try:
        since = feed.decode_cursor(cursor)
    except ValueError as exc:
        raise Invalid(str(exc), code="bad_cursor") from None
    limit = max(1, min(limit, settings.page_limit))
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    scope = _scope(principal)
    newest = feed.current(session)
    if since == newest:  # nothing anywhere since the cursor: the common no-op sync costs one query
        return orjson.dumps(
            {
                "changes": [],
                "evictions": [],
                "losses": [],
                "cursor": feed.encode_cursor(since),
                "has_more": False,
                "remaining": 0,
                "server_time_ms": int(now.timestamp() * 1000),
            }
        )
    if since > newest:
        raise Conflict(
            "this device's cursor is ahead of the server's change feed (was the server restored from "
            "a backup?); pull again from the beginning",
            code="cursor_ahead",
        )
    # Keys first: pick the page's ids by the (seq) index, then read only those rows' JSON columns.
    page_ids = (
        sa.select(Record.id).where(Record.seq > since, scope).order_by(Record.seq).limit(limit + 1)
    ).scalar_subquery()
    rows = session.execute(
        sa.select(Record.id, Record.entity, Record.wire, Record.deleted, Record.seq)
        .where(Record.id.in_(page_ids))
        .order_by(Record.seq)
    ).all()
    evictions = (
        []
        if principal.is_office
        else session.execute(
            sa.select(caseload.Assignment.patient_id, caseload.Assignment.seq)
            .where(
                caseload.Assignment.worker_id == principal.user_id,
                caseload.Assignment.active.is_(False),
                caseload.Assignment.seq > since,
            )
            .order_by(caseload.Assignment.seq)
            .limit(limit + 1)
        ).all()
    )
    items: list[tuple[int, str, Any]] = [(r.seq, "change", r) for r in rows]
    items += [(e.seq, "eviction", e) for e in evictions]
    items.sort(key=lambda item: item[0])
    changes: list[bytes] = []
    gone: list[dict[str, Any]] = []
    size, last = 0, since
    for seq, kind, item in items:
        if len(changes) + len(gone) >= limit or (size >= settings.page_max_bytes and (changes or gone)):
            break
        if kind == "eviction":
            gone.append({"patient_id": str(item.patient_id), "seq": seq})
        else:
            change = _change(session, item)
            size += len(change)
            changes.append(change)
        last = seq
    has_more = len(changes) + len(gone) < len(items)
    remaining = 0
    if has_more:
        remaining = (
            session.scalar(sa.select(sa.func.count()).select_from(Record).where(Record.seq > last, scope))
            or 0
        )
    until = last if has_more else max(last, newest)
    envelope = {
        "evictions": gone,
        "losses": _losses(session, principal.device_id, since, until),
        # Everything up to ``newest`` was seen in this snapshot, so an exhausted feed moves the cursor there.
        "cursor": feed.encode_cursor(until),
        "has_more": has_more,
        "remaining": remaining,
        "server_time_ms": int(now.timestamp() * 1000),
    }
    # The records' wire JSON is stored ready-made (``Record.wire``): the page is spliced, not re-encoded.
    return b'{"changes":[' + b",".join(changes) + b"]," + orjson.dumps(envelope)[1:]


def _losses(session: Session, device_id: str, since: int, until: int) -> list[dict[str, Any]]:
    """The losses of this device's values logged by writes numbered in (since, until] (decision 0013)."""
    rows = session.scalars(
        sa.select(ConflictEntry)
        .where(ConflictEntry.lost_node == device_id, ConflictEntry.seq > since, ConflictEntry.seq <= until)
        .order_by(ConflictEntry.seq, ConflictEntry.id)
    )
    return [
        {
            "entity": row.entity,
            "record_id": str(row.record_id),
            "field": row.field,
            "reason": row.reason,
            "lost_value": row.lost_value,
            "lost_stamp": row.lost_stamp,
            "winner_value": row.winner_value,
            "winner_stamp": row.winner_stamp,
            "seq": row.seq,
        }
        for row in rows
    ]


def _scope(principal: Principal) -> sa.ColumnElement[bool]:
    if principal.is_office:
        return sa.true()
    return sa.or_(
        caseload.on_caseload(principal.user_id, Record.patient_id),
        sa.and_(Record.entity == "day_report", Record.worker_id == principal.user_id),
    )


def wire_fields(values: dict[str, Any], stamps: dict[str, str], bases: dict[str, str]) -> str:
    """A record's fields as the feed sends them, ``{name: {"v", "s", "b"}}`` in JSON, kept with the row."""
    fields = {
        name: {"v": values.get(name), "s": stamp, "b": bases.get(name)} for name, stamp in stamps.items()
    }
    return orjson.dumps(fields).decode()


def _change(session: Session, row: Any) -> bytes:
    wire = row.wire
    if wire is None:  # a row written by a tool that did not fill the column: build it once
        record = session.get(Record, row.id)
        assert record is not None
        wire = wire_fields(record.fields, record.stamps, record.bases)
    deleted = b"null" if row.deleted is None else b'"' + row.deleted.encode() + b'"'
    parts = (
        b'{"entity":"',
        row.entity.encode(),
        b'","record_id":"',
        str(row.id).encode(),
        b'","fields":',
        wire.encode(),
        b',"deleted":',
        deleted,
        b',"seq":',
        str(row.seq).encode(),
        b"}",
    )
    return b"".join(parts)
