"""The office's audit page: users by name and by id, and what its entries' records are about."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.listing import aware, patient_names, text_field, usernames
from fieldapp.server.models import Record, User

# -- audit ---------------------------------------------------------------------------------------------------


def user_id_named(session: Session, username: str) -> uuid.UUID | None:
    """The id of the user with this name (names are case-insensitive), or None."""
    return session.scalar(sa.select(User.id).where(User.username == username.strip().lower()))


def user_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """User names by id, for the audit page's API accesses."""
    return usernames(session, {i for i in ids if i is not None})


@dataclass(frozen=True, slots=True)
class RecordLabel:
    """What an audit entry's record is about: its patient, and for a visit's records the visit's start and
    worker (a note, vital or signature names the visit it belongs to)."""

    patient_id: uuid.UUID | None
    patient_name: str
    visit_id: uuid.UUID | None = None
    visit_start: datetime | None = None
    worker: str = ""


def record_labels(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, RecordLabel]:
    """Labels of the records the audit entries name, in three queries whatever their number."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        sa.select(Record.id, Record.entity, Record.patient_id, Record.parent_id).where(Record.id.in_(wanted))
    ).all()
    visit_of = {rid: (rid if entity == "visit" else parent) for rid, entity, _, parent in rows}
    visits = {
        vid: (aware(_moment(start)), worker)
        for vid, start, worker in session.execute(
            sa.select(Record.id, text_field("scheduled_start"), Record.worker_id).where(
                Record.id.in_({v for v in visit_of.values() if v is not None}), Record.entity == "visit"
            )
        ).all()
    }
    patients = {rid: rid if entity == "patient" else patient for rid, entity, patient, _ in rows}
    names = patient_names(session, {p for p in patients.values() if p is not None})
    workers = usernames(session, {w for _, w in visits.values() if w is not None})
    labels = {}
    for rid in patients:
        visit_id = visit_of.get(rid)
        start, worker = visits.get(visit_id, (None, None)) if visit_id else (None, None)
        patient = patients[rid]
        labels[rid] = RecordLabel(
            patient,
            names.get(patient, "") if patient else "",
            visit_id if visit_id in visits else None,
            start,
            workers.get(worker, "") if worker else "",
        )
    return labels


def _moment(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
