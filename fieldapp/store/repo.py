"""The one write path of the local store, and the reads the application needs.

Every create, update and delete goes through ``add``, ``update`` or ``delete``: they validate the
record against the domain rules, stamp each changed field with the hybrid logical clock, write the row,
and append a mutation to the outbox, all in the caller's transaction. They never commit: the unit of
work that called them does, so a record and its outbox entry are saved together or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.orm import Session

from fieldapp.domain import signing
from fieldapp.domain.attachments import Attachment
from fieldapp.domain.attestation import ATTESTED_VISIT_FIELDS, content_digest
from fieldapp.domain.care import CareTask, TaskOutcome, changes_what_was_recorded
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.devicetime import DeviceClock, Tick
from fieldapp.domain.entities import Entity, Observation, Signature, Visit, VisitNote, data_fields
from fieldapp.domain.errors import DomainError, ImmutableError, ValidationError
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.medications import Medication
from fieldapp.domain.merge import DeleteRule, FieldRule, canonical, rules_for
from fieldapp.store import timeline
from fieldapp.store.models import OutboxRow, SyncedRow, SyncStateRow
from fieldapp.store.records import column_values, row_type, to_entity

E = TypeVar("E", bound=Entity)


class NotFoundError(DomainError):
    """The record does not exist on this device (or was deleted)."""


@dataclass(frozen=True, slots=True)
class Change:
    """What one write changed; views refresh from these, the outbox holds the same as a mutation."""

    entity: str
    record_id: uuid.UUID
    fields: frozenset[str]
    deleted: bool = False

    @property
    def is_noop(self) -> bool:
        """True when the write changed nothing (and queued nothing)."""
        return not self.fields and not self.deleted


def add(session: Session, clock: HybridClock, record: Entity) -> Change:
    """Insert a new record born on this device, stamped and queued for the server."""
    cls = row_type(record.entity_name)
    if session.get(cls, record.id) is not None:
        raise DomainError(f"{record.entity_name} {record.id} already exists")
    _check_references(session, record)
    tick = _tick(session, clock)
    stamp = tick.stamp
    fields = data_fields(type(record))
    session.add(cls(**column_values(record), stamps=dict.fromkeys(fields, stamp.encode()), bases={}))
    wire = record.model_dump(mode="json")
    _enqueue(session, record.entity_name, record.id, {f: (wire[f], None) for f in fields}, tick)
    return Change(record.entity_name, record.id, frozenset(fields))


def update(
    session: Session, clock: HybridClock, cls: type[E], record_id: uuid.UUID, changes: Mapping[str, Any]
) -> Change:
    """Change some fields of a record; unchanged values are not stamped or queued."""
    if "id" in changes:
        raise ImmutableError(f"a {cls.entity_name.replace('_', ' ')}'s id cannot change")
    row = _live_row(session, cls, record_id)
    current = to_entity(row, cls)
    try:
        revised = current.revise(**changes) if changes else current
    except ValidationError:
        # A locked field is the better answer than "invalid value" for the same edit.
        _check_mutable(session, current, [name for name in changes if name in data_fields(cls)])
        raise
    changed, wire = _changed_fields(current, revised)
    if not changed:
        return Change(cls.entity_name, record_id, frozenset())
    _check_mutable(session, current, changed)
    if not isinstance(revised, TaskOutcome):  # its references are fixed by their first write
        _check_references(session, revised)
    tick = _tick(session, clock)
    stamp = tick.stamp
    values = column_values(revised)
    bases = {f: row.stamps.get(f) for f in changed}
    for name in changed:
        setattr(row, name, values[name])
    row.stamps = {**row.stamps, **dict.fromkeys(changed, stamp.encode())}
    row.bases = {**row.bases, **{f: b for f, b in bases.items() if b is not None}}
    _enqueue(session, cls.entity_name, record_id, {f: (wire[f], bases[f]) for f in changed}, tick)
    return Change(cls.entity_name, record_id, frozenset(changed))


def delete(session: Session, clock: HybridClock, cls: type[E], record_id: uuid.UUID) -> Change:
    """Delete a record: it becomes a tombstone that syncs like any change."""
    if rules_for(cls.entity_name).delete is DeleteRule.FORBIDDEN:
        raise ImmutableError(f"a {cls.entity_name.replace('_', ' ')} cannot be deleted")
    row = _live_row(session, cls, record_id)
    record = to_entity(row, cls)
    if isinstance(record, Visit) and record.is_signed:
        raise ImmutableError("a signed visit cannot be deleted; cancel it instead")
    tick = _tick(session, clock)
    stamp = tick.stamp
    row.deleted = stamp.encode()
    _enqueue(session, cls.entity_name, record_id, {}, tick, deleted=True)
    return Change(cls.entity_name, record_id, frozenset(), deleted=True)


def seal(signature: Signature) -> Signature:
    """The signature bound by its digest (``fieldapp.domain.signing``): made here if it has none, checked
    if it has one; raises ValidationError when a given digest does not match what it claims to bind."""
    wire = signature.model_dump(mode="json")
    if signature.digest is None:
        return signature.revise(digest=signing.digest_of(str(signature.id), wire))
    sealed = signing.check(str(signature.id), wire)
    if not sealed.intact:
        raise ValidationError("signature", {"digest": "; ".join(sealed.problems())})
    return signature


def sign_visit(session: Session, clock: HybridClock, signature: Signature) -> list[Change]:
    """Save a signature, bound by its digest, and lock the visit it attests, after checking it attests the
    current content."""
    visit = get(session, Visit, signature.visit_id)
    if visit is None:
        raise NotFoundError(f"visit {signature.visit_id} not found")
    if visit.is_signed:
        raise ImmutableError(
            QT_TRANSLATE_NOOP("Messages", "this visit is already signed; add a note to amend it")
        )
    notes = list_for_visit(session, VisitNote, visit.id)
    observations = list_for_visit(session, Observation, visit.id)
    outcomes = list_for_visit(session, TaskOutcome, visit.id)
    if content_digest(visit, notes, observations, outcomes) != signature.content_sha256:
        raise ValidationError(
            "signature",
            {"content_sha256": QT_TRANSLATE_NOOP("Messages", "the visit changed while it was being signed")},
        )
    signature = seal(signature)
    return [
        add(session, clock, signature),
        update(session, clock, Visit, visit.id, {"signature_id": signature.id}),
    ]


def get(session: Session, cls: type[E], record_id: uuid.UUID, *, include_deleted: bool = False) -> E | None:
    """A record by id, or None (also for a tombstone unless ``include_deleted``)."""
    row = session.get(row_type(cls.entity_name), _record_id(cls, record_id))
    if row is None or (row.deleted is not None and not include_deleted):
        return None
    return to_entity(row, cls)


def list_for_visit(session: Session, cls: type[E], visit_id: uuid.UUID) -> list[E]:
    """The live notes, observations or signatures of one visit."""
    table = row_type(cls.entity_name)
    rows = session.scalars(
        select(table).where(table.visit_id == visit_id, table.deleted.is_(None))  # type: ignore[attr-defined]
    )
    return [to_entity(row, cls) for row in rows]


def _record_id(cls: type[Entity], record_id: object) -> uuid.UUID:
    """The id as given, when it is one: anything else names no record (and never reaches SQL)."""
    if not isinstance(record_id, uuid.UUID):
        raise NotFoundError(f"{cls.entity_name.replace('_', ' ')} {str(record_id)[:80]!r} is not a record id")
    return record_id


def _live_row(session: Session, cls: type[Entity], record_id: uuid.UUID) -> SyncedRow:
    row = session.get(row_type(cls.entity_name), _record_id(cls, record_id))
    if row is None:
        raise NotFoundError(f"{cls.entity_name} {record_id} not found")
    if row.deleted is not None:
        raise NotFoundError(f"{cls.entity_name} {record_id} was deleted")
    return row


def _changed_fields(current: Entity, revised: Entity) -> tuple[list[str], dict[str, Any]]:
    """The fields whose wire value differs, and the revised record's wire values."""
    before, after = current.model_dump(mode="json"), revised.model_dump(mode="json")
    return [f for f in data_fields(type(current)) if canonical(before[f]) != canonical(after[f])], after


def _check_mutable(session: Session, current: Entity, changed: Sequence[str]) -> None:
    rules = rules_for(current.entity_name)
    values = current.model_dump()
    fixed = [
        f
        for f in changed
        if rules.rule(f) is FieldRule.FIRST_WRITER_WINS
        or (rules.rule(f) is FieldRule.SET_ONCE and values[f] is not None)
    ]
    if fixed:
        raise ImmutableError(
            f"{current.entity_name.replace('_', ' ')} field(s) {', '.join(fixed)} cannot change once written"
        )
    if isinstance(current, Visit) and current.is_signed:
        locked = [f for f in changed if f in ATTESTED_VISIT_FIELDS]
        if locked:
            raise ImmutableError(
                f"the visit is signed; {', '.join(locked)} can no longer change (add a note to amend it)"
            )
    if isinstance(current, Observation):
        visit = get(session, Visit, current.visit_id)
        if visit is not None and visit.is_signed:
            raise ImmutableError(
                QT_TRANSLATE_NOOP("Messages", "the visit is signed; record a new observation instead")
            )
    if isinstance(current, TaskOutcome) and changes_what_was_recorded(changed):
        check_checklist_open(session, current.visit_id)  # the entered-in-error mark is not attested


def check_checklist_open(session: Session, visit_id: uuid.UUID) -> None:
    """Refuse a change of a signed visit's task outcomes: the signature attests them."""
    row = session.get(row_type("visit"), visit_id)  # the column alone: no need to validate the visit here
    if row is not None and getattr(row, "signature_id", None) is not None:
        raise ImmutableError(
            QT_TRANSLATE_NOOP(
                "Messages", "the visit is signed; its task checklist can no longer change (add a note)"
            )
        )


def _check_references(session: Session, record: Entity) -> None:
    """Parents must exist here, and children must name the same patient as their visit."""
    visit_id = getattr(record, "visit_id", None)
    if visit_id is not None:
        visit = get(session, Visit, visit_id)
        if visit is None:
            raise NotFoundError(f"visit {visit_id} not found")
        if getattr(record, "patient_id", visit.patient_id) != visit.patient_id:
            raise ValidationError(record.entity_name, {"patient_id": "does not match the visit's patient"})
    if isinstance(record, Visit | CareTask | Medication | Attachment) and _missing(
        session, "patient", record.patient_id
    ):
        raise NotFoundError(f"patient {record.patient_id} not found")
    if isinstance(record, TaskOutcome):
        task = get(session, CareTask, record.task_id)
        if task is None or task.patient_id != record.patient_id:
            raise ValidationError("task_outcome", {"task_id": "must name a task of the visit's patient"})
    if isinstance(record, VisitNote) and record.amends is not None:
        original = get(session, VisitNote, record.amends)
        if original is None or original.visit_id != record.visit_id:
            raise ValidationError("visit_note", {"amends": "must name a note of the same visit"})


def _missing(session: Session, entity: str, record_id: uuid.UUID) -> bool:
    row = session.get(row_type(entity), record_id)
    return row is None or row.deleted is not None


def _tick(session: Session, clock: HybridClock) -> Tick:
    # The clock's last stamp is saved with the write, so after a restart (or a clock jump back) the
    # clock resumes above every stamp it ever issued; so is the moment alive (decision 0013).
    if isinstance(clock, DeviceClock):
        tick = clock.tick()
        values: dict[str, Any] = {"last_stamp": tick.stamp.encode(), **timeline.alive_value(clock.time)}
    else:
        tick = Tick(clock.now(), 0, None)
        values = {"last_stamp": tick.stamp.encode()}
    # Executed on the connection, not the session: the ORM's bulk-update path costs more than the write.
    statement = sa.update(SyncStateRow).where(SyncStateRow.id == 1).values(**values)
    session.connection().execute(statement)
    return tick


def _enqueue(
    session: Session,
    entity: str,
    record_id: uuid.UUID,
    changes: Mapping[str, tuple[Any, str | None]],
    tick: Tick,
    *,
    deleted: bool = False,
) -> None:
    encoded = tick.stamp.encode()
    session.add(
        OutboxRow(
            mutation_id=uuid.uuid4(),
            entity=entity,
            record_id=record_id,
            changes={f: {"v": v, "s": encoded, "b": b} for f, (v, b) in changes.items()},
            deleted=encoded if deleted else None,
            created_at=datetime.now(UTC),
            status="pending",
            attempts=0,
            epoch=tick.epoch,
            physical_ms=tick.physical_ms or None,
        )
    )
