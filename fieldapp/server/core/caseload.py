"""Caseloads: which worker sees which patients, and what happens when that changes.

Assigning a patient re-numbers all of that patient's records in the change feed, so the worker's next
pull delivers the patient's whole history (other devices that already hold it merge it as a no-op).
Unassigning records an eviction in the feed; the worker's devices remove the patient after pushing
their own changes, and the server still accepts the worker's edits stamped before the unassignment.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, Session

from fieldapp.server.core import feed
from fieldapp.server.errors import Invalid, NotFound
from fieldapp.server.models import Assignment, Record, User
from fieldapp.sync.protocol import Role


def assign(session: Session, worker_id: uuid.UUID, patient_id: uuid.UUID, now: datetime) -> bool:
    """Put a patient on a worker's caseload; False when it already was."""
    current = _locked(session, worker_id, patient_id)
    if current is not None and current.active:
        return False
    # Locked in id order, as pushes lock them (no deadlock), and renumbered in their feed order.
    held = session.execute(
        sa.select(Record.id, Record.seq)
        .where(Record.patient_id == patient_id)
        .order_by(Record.id)
        .with_for_update()
    ).all()
    record_ids = [record_id for record_id, _ in sorted(held, key=lambda row: row.seq)]
    numbers = feed.allocate(session, len(record_ids) + 1)
    if record_ids:
        session.execute(
            sa.update(Record),
            # origin: the worker's devices may have removed these records; they must come again whole.
            [{"id": rid, "seq": seq, "origin": None} for rid, seq in zip(record_ids, numbers, strict=False)],
        )
    if current is None:
        session.add(
            Assignment(
                worker_id=worker_id,
                patient_id=patient_id,
                active=True,
                seq=numbers[-1],
                changed_at=now,
                unassigned_at_ms=None,
            )
        )
    else:
        current.active, current.seq, current.changed_at = True, numbers[-1], now
        current.unassigned_at_ms = None
    return True


def assign_many(
    session: Session, pairs: Iterable[tuple[uuid.UUID, uuid.UUID]], now: datetime
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """``assign`` for many (worker, patient) pairs with a few statements; the pairs newly assigned.

    The same rules and the same feed order as ``assign``: each newly assigned patient's records are
    renumbered (once, however many workers it joins), then the assignments take the last numbers."""
    wanted = sorted(set(pairs))
    if not wanted:
        return []
    feed.begin(session)
    workers, patients = sorted({w for w, _ in wanted}), sorted({p for _, p in wanted})
    _require_workers(session, workers)
    _require_patients(session, patients)
    current = _assignments(session, workers, patients)
    missing = [pair for pair in wanted if pair not in current or not current[pair].active]
    if not missing:
        return []
    held = _records_of(session, sorted({p for _, p in missing}))
    numbers = feed.allocate(session, len(held) + len(missing))
    if held:
        renumbered = zip(held, numbers, strict=False)
        session.execute(
            sa.update(Record), [{"id": rid, "seq": seq, "origin": None} for rid, seq in renumbered]
        )
    for (worker_id, patient_id), seq in zip(missing, numbers[len(held) :], strict=True):
        row = current.get((worker_id, patient_id))
        if row is None:
            session.add(Assignment(worker_id=worker_id, patient_id=patient_id, active=True, seq=seq,
                                   changed_at=now, unassigned_at_ms=None))  # fmt: skip
        else:
            row.active, row.seq, row.changed_at, row.unassigned_at_ms = True, seq, now, None
    return missing


def _assignments(
    session: Session, workers: list[uuid.UUID], patients: list[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], Assignment]:
    found: dict[tuple[uuid.UUID, uuid.UUID], Assignment] = {}
    for start in range(0, len(patients), 500):
        query = sa.select(Assignment).where(
            Assignment.worker_id.in_(workers), Assignment.patient_id.in_(patients[start : start + 500])
        )
        for row in session.scalars(
            query.order_by(Assignment.worker_id, Assignment.patient_id).with_for_update()
        ):
            found[(row.worker_id, row.patient_id)] = row
    return found


def _records_of(session: Session, patients: list[uuid.UUID]) -> list[uuid.UUID]:
    """The patients' records, locked in id order (as pushes lock them), returned in their feed order."""
    held: list[tuple[uuid.UUID, int]] = []
    for start in range(0, len(patients), 500):
        query = sa.select(Record.id, Record.seq).where(Record.patient_id.in_(patients[start : start + 500]))
        held += [(rid, seq) for rid, seq in session.execute(query.order_by(Record.id).with_for_update())]
    return [rid for rid, _ in sorted(held, key=lambda row: row[1])]


def _require_workers(session: Session, workers: list[uuid.UUID]) -> None:
    roles = dict(session.execute(sa.select(User.id, User.role).where(User.id.in_(workers))).all())
    for worker_id in workers:
        if worker_id not in roles:
            raise NotFound(f"no user {worker_id}")
        if roles[worker_id] != Role.WORKER.value:
            raise Invalid(f"user {worker_id} is not a field worker")


def _require_patients(session: Session, patients: list[uuid.UUID]) -> None:
    found: set[uuid.UUID] = set()
    for start in range(0, len(patients), 500):
        query = sa.select(Record.id).where(
            Record.id.in_(patients[start : start + 500]), Record.entity == "patient"
        )
        found.update(session.scalars(query))
    for patient_id in patients:
        if patient_id not in found:
            raise NotFound(f"no patient {patient_id}")


def unassign(session: Session, worker_id: uuid.UUID, patient_id: uuid.UUID, now: datetime) -> bool:
    """Take a patient off a worker's caseload; False when it was not on it."""
    current = _locked(session, worker_id, patient_id)
    if current is None or not current.active:
        return False
    [seq] = feed.allocate(session, 1)
    current.active, current.seq, current.changed_at = False, seq, now
    current.unassigned_at_ms = int(now.timestamp() * 1000)
    return True


def _locked(session: Session, worker_id: uuid.UUID, patient_id: uuid.UUID) -> Assignment | None:
    """The assignment (locked), if any, once the feed is begun and both people are known."""
    feed.begin(session)
    _require_worker(session, worker_id)
    _require_patient(session, patient_id)
    return session.get(Assignment, (worker_id, patient_id), with_for_update=True)


def caseload(session: Session, worker_id: uuid.UUID) -> list[uuid.UUID]:
    """The patients now on a worker's caseload."""
    return list(
        session.scalars(
            sa.select(Assignment.patient_id).where(
                Assignment.worker_id == worker_id, Assignment.active.is_(True)
            )
        )
    )


def active_patients(worker_id: uuid.UUID) -> sa.Select[uuid.UUID]:
    """A subquery of the patient ids a worker may read now."""
    return sa.select(Assignment.patient_id).where(
        Assignment.worker_id == worker_id, Assignment.active.is_(True)
    )


def on_caseload(
    worker_id: uuid.UUID,
    patient_column: sa.ColumnElement[uuid.UUID | None] | QueryableAttribute[uuid.UUID | None],
) -> sa.ColumnElement[bool]:
    """A correlated EXISTS: lets the database walk records in feed order and probe the caseload per row,
    instead of expanding the whole caseload first (measured 10x faster for a no-op pull on SQLite)."""
    return sa.exists().where(
        Assignment.worker_id == worker_id,
        Assignment.patient_id == patient_column,
        Assignment.active.is_(True),
    )


def write_allowed_until(
    session: Session, worker_id: uuid.UUID, patient_ids: set[uuid.UUID]
) -> dict[uuid.UUID, int | None]:
    """Per patient: None if on the caseload now, else the ms up to which edits are still accepted (or -1)."""
    rows = session.execute(
        sa.select(Assignment.patient_id, Assignment.active, Assignment.unassigned_at_ms).where(
            Assignment.worker_id == worker_id, Assignment.patient_id.in_(patient_ids)
        )
    )
    found = {pid: (None if active else (until if until is not None else -1)) for pid, active, until in rows}
    return {pid: found.get(pid, -1) for pid in patient_ids}


def _require_worker(session: Session, worker_id: uuid.UUID) -> None:
    user = session.get(User, worker_id)
    if user is None:
        raise NotFound(f"no user {worker_id}")
    if user.role != Role.WORKER.value:
        raise Invalid(f"{user.username} is not a field worker")


def _require_patient(session: Session, patient_id: uuid.UUID) -> None:
    exists = session.scalar(sa.select(Record.id).where(Record.id == patient_id, Record.entity == "patient"))
    if exists is None:
        raise NotFound(f"no patient {patient_id}")
