"""The office's workers: today's workload, a worker's caseload, the patients one may add."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.errors import NotFound
from fieldapp.server.listing import (
    PER_PAGE,
    Page,
    PatientRow,
    aware,
    patient_filter,
    patient_page,
)
from fieldapp.server.models import Assignment, Device, Record, User
from fieldapp.sync.protocol import Role

# -- workers and caseloads ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkerRow:
    """A field worker with the size of their caseload and their day."""

    id: uuid.UUID
    username: str
    active: bool
    caseload: int
    visits_today: int
    devices: int
    last_seen: datetime | None


def workers(session: Session, day: date) -> list[WorkerRow]:
    """Every field worker, by name."""
    users = session.scalars(
        sa.select(User).where(User.role == Role.WORKER.value).order_by(User.username)
    ).all()
    ids = [u.id for u in users]
    if not ids:
        return []
    caseloads = dict(
        session.execute(
            sa.select(Assignment.worker_id, sa.func.count())
            .where(Assignment.worker_id.in_(ids), Assignment.active.is_(True))
            .group_by(Assignment.worker_id)
        ).all()
    )
    visits = dict(
        session.execute(
            sa.select(Record.worker_id, sa.func.count())
            .where(
                Record.entity == "visit",
                Record.worker_id.in_(ids),
                Record.day == day,
                Record.deleted.is_(None),
            )
            .group_by(Record.worker_id)
        ).all()
    )
    devices: dict[uuid.UUID, tuple[int, datetime | None]] = {
        user_id: (count, seen)
        for user_id, count, seen in session.execute(
            sa.select(Device.user_id, sa.func.count(), sa.func.max(Device.last_seen))
            .where(Device.user_id.in_(ids))
            .group_by(Device.user_id)
        ).all()
    }
    return [
        WorkerRow(
            id=u.id,
            username=u.username,
            active=u.active,
            caseload=caseloads.get(u.id, 0),
            visits_today=visits.get(u.id, 0),
            devices=devices.get(u.id, (0, None))[0],
            last_seen=aware(devices.get(u.id, (0, None))[1]),
        )
        for u in users
    ]


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    id: uuid.UUID
    username: str
    active: bool


def worker(session: Session, worker_id: uuid.UUID) -> WorkerInfo:
    """A field worker; NotFound for anyone else."""
    user = session.get(User, worker_id)
    if user is None or user.role != Role.WORKER.value:
        raise NotFound(f"no field worker {worker_id}")
    return WorkerInfo(user.id, user.username, user.active)


def worker_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Active field workers for a select box."""
    return list(
        session.execute(
            sa.select(User.id, User.username)
            .where(User.role == Role.WORKER.value, User.active.is_(True))
            .order_by(User.username)
        ).all()
    )


def _on_caseload(worker_id: uuid.UUID) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        Assignment.worker_id == worker_id,
        Assignment.patient_id == Record.id,
        Assignment.active.is_(True),
    )


def caseload(
    session: Session, worker_id: uuid.UUID, query: str = "", page: int = 1, per_page: int = PER_PAGE
) -> Page[PatientRow]:
    """The patients on a worker's caseload (searchable), one page."""
    return patient_page(
        session,
        [_on_caseload(worker_id), patient_filter(session, query)],
        page,
        per_page,
        search=bool(query.strip()),
    )


def assignable(
    session: Session, worker_id: uuid.UUID, query: str, page: int = 1, per_page: int = 20
) -> Page[PatientRow]:
    """Patients matching ``query`` that are not on the worker's caseload (for the assign form)."""
    return patient_page(
        session,
        [sa.not_(_on_caseload(worker_id)), patient_filter(session, query)],
        page,
        per_page,
        search=True,
    )
