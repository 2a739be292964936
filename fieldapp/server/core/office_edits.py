"""Office edits from the web pages, written as mutations through the tablets' own push path.

Each edit is one mutation of the fields the office actually changed, stamped by a hybrid logical clock
whose node is the office browser's device id. The clock first observes every stamp the record holds, so
the office's stamp is later than anything it could have seen; each field's base is the stamp the office
saw when it opened the form, so an edit made meanwhile on a tablet is logged as a conflict (with both
values) instead of being overwritten silently. Fields the office did not change are not sent: a tablet's
edit of another field of the same patient survives (per-field merge, decision 0002).

Restoring a conflict's losing value is a new mutation carrying that value with a fresh stamp, based on
the current winner's stamp (so it supersedes it knowingly); the conflict is then marked resolved.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fieldapp.domain.clock import HybridClock, Stamp
from fieldapp.domain.entities import Entity, Patient, data_fields, entity_type, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.language import phrase
from fieldapp.domain.merge import canonical
from fieldapp.server.auth.office import APP_VERSION
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import feed
from fieldapp.server.core import push as sync_service
from fieldapp.server.core.losses import restorable
from fieldapp.server.errors import Conflict, Invalid, NotFound
from fieldapp.server.models import ConflictEntry, Record
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import FieldChange, Mutation, PushRequest

Changed = sync_service.Changed


def clock_for(principal: Principal, now: datetime, *rows: Record | None) -> HybridClock:
    """A clock for this office node at the server's ``now`` that has seen every stamp of ``rows``."""
    now_ms = int(now.timestamp() * 1000)
    clock = HybridClock(principal.device_id, physical_ms=lambda: now_ms)
    for row in rows:
        if row is None:
            continue
        held = [*row.stamps.values(), *([row.deleted] if row.deleted else [])]
        if held:
            clock.observe(max(Stamp.decode(s) for s in held))
    return clock


def push_mutations(
    session: Session, settings: Settings, principal: Principal, mutations: list[Mutation], now: datetime
) -> Changed | None:
    """Apply the office's mutations as one batch through the tablets' push path (all or none)."""
    request = PushRequest(device_id=principal.device_id, mutations=mutations, app_version=APP_VERSION)
    _, changed = sync_service.push(session, principal, request, settings, now)
    return changed


def _push(
    session: Session, settings: Settings, principal: Principal, mutation: Mutation, now: datetime
) -> Changed | None:
    return push_mutations(session, settings, principal, [mutation], now)


def create_patient(
    session: Session, settings: Settings, principal: Principal, values: dict[str, Any], now: datetime
) -> tuple[Patient, Changed | None]:
    """Register a new patient (``values``: wire values of its fields); raises ValidationError."""
    patient = parse(Patient, values)
    feed.begin(session)
    stamp = clock_for(principal, now).now().encode()
    wire = patient.model_dump(mode="json")
    mutation = Mutation(
        mutation_id=uuid.uuid4(),
        entity="patient",
        record_id=patient.id,
        changes={name: FieldChange(v=wire[name], s=stamp) for name in data_fields(Patient)},
    )
    return patient, _push(session, settings, principal, mutation, now)


def edit_patient(
    session: Session,
    settings: Settings,
    principal: Principal,
    patient_id: uuid.UUID,
    changes: dict[str, Any],
    bases: dict[str, str | None],
    now: datetime,
) -> Changed | None:
    """Write the fields the office changed (wire values) on top of the stamps it saw (``bases``).

    The whole record as it would become is validated first (ValidationError names each bad field);
    nothing is written when nothing changed."""
    feed.begin(session)
    row = session.get(Record, patient_id, with_for_update=True)  # read, merge and write as one step
    if row is None or row.entity != "patient":
        raise NotFound(phrase("no patient %(id)s", id=patient_id))
    if row.deleted is not None:
        raise Conflict(phrase("this patient was deleted; it can no longer be edited"), code="deleted")
    unknown = set(changes) - set(data_fields(Patient))
    if unknown:
        raise Invalid(phrase("unknown patient fields: %(names)s", names=", ".join(sorted(unknown))))
    if "mrn" in changes and changes["mrn"] != row.fields.get("mrn"):
        raise ValidationError("patient", {"mrn": phrase("the MRN cannot change once written")})
    patient = parse(Patient, {**row.fields, **changes, "id": str(patient_id)})
    normal = patient.model_dump(mode="json")
    changed = {
        name: normal[name]
        for name in changes
        if canonical(normal[name]) != canonical(row.fields.get(name)) or name not in row.stamps
    }
    if not changed:
        return None
    stamp = clock_for(principal, now, row).now().encode()
    mutation = Mutation(
        mutation_id=uuid.uuid4(),
        entity="patient",
        record_id=patient_id,
        changes={
            name: FieldChange(v=value, s=stamp, b=_base(bases.get(name), row.stamps.get(name)))
            for name, value in changed.items()
        },
    )
    return _push(session, settings, principal, mutation, now)


def create_record(
    session: Session, settings: Settings, principal: Principal, record: Entity, now: datetime
) -> Changed | None:
    """Write a new record of any entity (a task, a medication) made on an office page."""
    feed.begin(session)
    stamp = clock_for(principal, now).now().encode()
    wire = record.model_dump(mode="json")
    changes = {name: FieldChange(v=wire[name], s=stamp) for name in data_fields(type(record))}
    mutation = Mutation(
        mutation_id=uuid.uuid4(), entity=record.entity_name, record_id=record.id, changes=changes
    )
    return _push(session, settings, principal, mutation, now)


def edit_record(
    session: Session,
    settings: Settings,
    principal: Principal,
    entity: str,
    record_id: uuid.UUID,
    changes: dict[str, Any],
    now: datetime,
) -> Changed | None:
    """Write the fields of a record that the office changed (wire values), each on top of the stamp the
    server holds, so a tablet's edit of another field survives; nothing when nothing changed."""
    feed.begin(session)
    row = session.get(Record, record_id, with_for_update=True)
    if row is None or row.entity != entity or row.deleted is not None:
        raise NotFound(phrase("no %(what)s %(id)s", what=phrase(entity.replace("_", " ")), id=record_id))
    cls = entity_type(entity)
    normal = parse(cls, {**row.fields, **changes, "id": str(record_id)}).model_dump(mode="json")
    changed = {n: normal[n] for n in changes if canonical(normal[n]) != canonical(row.fields.get(n))}
    if not changed:
        return None
    stamp = clock_for(principal, now, row).now().encode()
    mutation = Mutation(
        mutation_id=uuid.uuid4(),
        entity=entity,
        record_id=record_id,
        changes={n: FieldChange(v=v, s=stamp, b=row.stamps.get(n)) for n, v in changed.items()},
    )
    return _push(session, settings, principal, mutation, now)


def _base(seen: str | None, current: str | None) -> str | None:
    """The stamp the office's form was opened on (else the record's current one)."""
    if seen:
        try:
            return Stamp.decode(seen).encode()
        except ValueError:
            pass
    return current


def restore_conflict(
    session: Session, settings: Settings, principal: Principal, conflict_id: int, now: datetime
) -> Changed | None:
    """Write a conflict's losing value back as a new edit, and mark the conflict resolved."""
    feed.begin(session)
    entry = _open_entry(session, conflict_id)
    if not restorable(entry.entity, entry.field, entry.reason):
        raise Invalid(
            phrase(
                "this value cannot be restored (it lost to a delete, or the field is fixed once written);"
                " mark it resolved instead"
            ),
            code="not_restorable",
        )
    row = session.get(Record, entry.record_id, with_for_update=True)
    if row is None or row.deleted is not None:
        raise Conflict(phrase("the record was deleted since; the value cannot be restored"), code="deleted")
    changed = None
    if canonical(row.fields.get(entry.field)) != canonical(entry.lost_value):
        mutation = Mutation(
            mutation_id=uuid.uuid4(),
            entity=entry.entity,
            record_id=entry.record_id,
            changes={
                entry.field: FieldChange(
                    v=entry.lost_value,
                    s=clock_for(principal, now, row).now().encode(),
                    b=row.stamps.get(entry.field),
                )
            },
        )
        changed = _push(session, settings, principal, mutation, now)
    entry.resolved_at, entry.resolved_by = now, principal.user_id
    return changed


def resolve_conflict(session: Session, principal: Principal, conflict_id: int, now: datetime) -> None:
    """Keep the current value: mark the conflict resolved."""
    entry = _open_entry(session, conflict_id)
    entry.resolved_at, entry.resolved_by = now, principal.user_id


def _open_entry(session: Session, conflict_id: int) -> ConflictEntry:
    entry = session.get(ConflictEntry, conflict_id, with_for_update=True)
    if entry is None:
        raise NotFound(phrase("no conflict %(id)s", id=conflict_id))
    if entry.resolved_at is not None:
        raise Conflict(phrase("this conflict was already resolved"), code="resolved")
    return entry
