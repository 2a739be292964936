"""A record's replicated state as the server stores it: one row of ``records``, built once per write.

The push merges in domain terms (``RecordState``); these functions turn a row into a state and a state
into the row's columns (values, stamps, bases, the feed's ready-made wire form and the derived columns the
server queries by), so a batch is written with one statement per kind of write, not one per record.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from fieldapp.domain.attestation import ATTESTED_CHILDREN
from fieldapp.domain.care import TaskOutcome
from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import Observation, VisitNote, parse
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.domain.text import patient_search_text
from fieldapp.server.core.pull import wire_fields
from fieldapp.server.models import Base, Record

CHUNK = 900  # ids per IN list


def values_of(state: RecordState) -> dict[str, Any]:
    """The plain values of a state's fields."""
    return {name: v.value for name, v in state.fields.items()}


def state_of(row: Any) -> RecordState:
    """A stored row (ORM object or result row with fields, stamps, bases, deleted) as a record state."""
    bases = row.bases
    fields = {
        name: Versioned(
            row.fields.get(name), Stamp.decode(stamp), Stamp.decode(bases[name]) if name in bases else None
        )
        for name, stamp in row.stamps.items()
    }
    return RecordState(fields, Stamp.decode(row.deleted) if row.deleted else None)


def blob_of(entity: str, values: dict[str, Any]) -> str | None:
    """The file a record references (a signature's image, a day report's PDF, an attachment's file)."""
    if entity == "signature":
        return values.get("image_sha256")
    if entity == "day_report":
        return values.get("pdf_sha256")
    if entity == "attachment":
        return values.get("sha256")
    return None


def derived(
    record_id: uuid.UUID, entity: str, values: dict[str, Any], zone: ZoneInfo
) -> tuple[uuid.UUID | None, uuid.UUID | None, uuid.UUID | None, date | None]:
    """The patient, parent visit, worker and day a record is queried by."""
    if entity == "patient":
        return record_id, None, None, None
    if entity == "visit":
        start = datetime.fromisoformat(values["scheduled_start"]).astimezone(zone)
        return uuid.UUID(values["patient_id"]), None, uuid.UUID(values["worker_id"]), start.date()
    if entity == "day_report":
        return None, None, uuid.UUID(values["worker_id"]), date.fromisoformat(values["day"])
    if entity in ("care_task", "medication", "attachment"):  # a patient's; an attachment maybe a visit's
        visit = values.get("visit_id")
        return uuid.UUID(values["patient_id"]), uuid.UUID(visit) if visit else None, None, None
    return uuid.UUID(values["patient_id"]), uuid.UUID(values["visit_id"]), None, None


def columns(record_id: uuid.UUID, entity: str, state: RecordState, zone: ZoneInfo) -> dict[str, Any]:
    """Every column of the row that holds ``state`` (the caller adds ``seq``, times and origin)."""
    values = values_of(state)
    stamps = {name: v.stamp.encode() for name, v in state.fields.items()}
    bases = {name: v.base.encode() for name, v in state.fields.items() if v.base}
    patient_id, parent_id, worker_id, day = derived(record_id, entity, values, zone)
    return {
        "id": record_id,
        "entity": entity,
        "fields": values,
        "stamps": stamps,
        "bases": bases,
        "wire": wire_fields(values, stamps, bases),  # the feed's form, built once here
        "search_text": patient_search_text(values) if entity == "patient" else None,
        "deleted": state.deleted.encode() if state.deleted else None,
        "patient_id": patient_id,
        "parent_id": parent_id,
        "worker_id": worker_id,
        "day": day,
        "blob_sha256": blob_of(entity, values),
    }


def insert(session: Session, model: type[Base], values: list[dict[str, Any]]) -> None:
    """Insert rows of ``model`` in one statement (Core: the ORM's bulk path adds per-row bookkeeping the
    push does not need). Every dict has the same keys."""
    if values:
        session.execute(sa.insert(cast(sa.Table, model.__table__)), values)


def update(session: Session, values: list[dict[str, Any]]) -> None:
    """Rewrite stored records (every dict has ``id`` and the same other columns) in one executemany."""
    if not values:
        return
    table = cast(sa.Table, Record.__table__)
    by_id = [{"_id": row["id"], **{k: v for k, v in row.items() if k != "id"}} for row in values]
    session.execute(table.update().where(table.c.id == sa.bindparam("_id")), by_id)


def exception_days(
    session: Session, exception_ids: Iterable[uuid.UUID], visit_ids: Iterable[uuid.UUID]
) -> None:
    """Give the exceptions just written, and those of the visits just written, their visit's ``day``: the
    office's queue reads a day's exceptions by the (entity, day) index instead of joining every visit of
    the day to its children (decision 0033). An exception whose visit is not here yet gets its day when
    the visit arrives."""
    exceptions, visits = sorted(set(exception_ids)), sorted(set(visit_ids))
    if not exceptions and not visits:
        return
    visit = aliased(Record)
    day_of_visit = sa.select(visit.day).where(visit.id == Record.parent_id).scalar_subquery()
    for start in range(0, max(len(exceptions), len(visits)), CHUNK):
        which = sa.or_(
            Record.id.in_(exceptions[start : start + CHUNK]),
            Record.parent_id.in_(visits[start : start + CHUNK]),
        )
        session.execute(
            sa.update(Record).where(Record.entity == "visit_exception", which).values(day=day_of_visit),
            execution_options={"synchronize_session": False},
        )


def uuid_or_none(value: Any) -> uuid.UUID | None:
    """``value`` as a UUID, or None when it is not one (validation refuses it later, with a reason)."""
    try:
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def visit_children(
    session: Session, visit_id: uuid.UUID, written: dict[uuid.UUID, tuple[str, RecordState]]
) -> tuple[list[VisitNote], list[Observation], list[TaskOutcome]]:
    """A visit's notes, vitals and task outcomes as they will be once ``written`` (this batch's records) is
    stored."""
    found = session.execute(
        sa.select(Record.id, Record.entity, Record.fields, Record.stamps, Record.bases, Record.deleted).where(
            Record.parent_id == visit_id, Record.entity.in_(ATTESTED_CHILDREN)
        )
    )
    states = {row.id: (row.entity, state_of(row)) for row in found}
    for record_id, (entity, state) in written.items():
        if entity in ATTESTED_CHILDREN and values_of(state).get("visit_id") == str(visit_id):
            states[record_id] = (entity, state)
    live = [
        (rid, entity, values_of(state)) for rid, (entity, state) in states.items() if state.deleted is None
    ]
    notes = [parse(VisitNote, {"id": str(rid), **v}) for rid, entity, v in live if entity == "visit_note"]
    observations = [
        parse(Observation, {"id": str(rid), **v}) for rid, entity, v in live if entity == "observation"
    ]
    outcomes = [
        parse(TaskOutcome, {"id": str(rid), **v}) for rid, entity, v in live if entity == "task_outcome"
    ]
    return notes, observations, outcomes
