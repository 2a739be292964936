"""Notices of the office's schedule changes, recorded as a pull brings them and shown on Today until seen.

``replica`` hands over every visit a pull changed (its state before and after the merge) when the pull
is not the device's first: a first sync brings the whole caseload, which is no news. A change becomes a
notice when the office made it (the changed schedule fields' winning writes are the office's, decision
0021) and it is about a visit still to come. An office cancel of a visit already started is also logged
as a conflict here when the tablet never merged the lost status itself (the server did, and kept the
worker's), so the worker sees it on the Conflicts screen as the office sees it in the server's log.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.merge import Loser, LossReason, RecordState, Side, Versioned, writer
from fieldapp.domain.values import VisitStatus
from fieldapp.readmodels.notices import SCHEDULE_FIELDS, NoticeKind, ScheduleNotice, describe
from fieldapp.store import conflicts
from fieldapp.store.models import PatientRow, ScheduleNoticeRow

CANCELLED = VisitStatus.CANCELLED.value
NEW_VISITS_AHEAD = timedelta(days=14)  # a new visit further out is news when it comes closer (not at all)


@dataclass(frozen=True, slots=True)
class VisitChange:
    """A visit a pull changed: its state before (None when new to this device) and after the merge."""

    visit_id: uuid.UUID
    before: RecordState | None
    after: RecordState


def classify(before: dict[str, Any] | None, after: dict[str, Any], now: datetime) -> NoticeKind | None:
    """What the office did, from the schedule before and after; None when it is no news to the worker."""
    end = after.get("scheduled_end")
    if end is None or datetime.fromisoformat(end) < now:
        return None  # over already: nothing to change plans for
    cancelled = after.get("status") == CANCELLED
    if before is None:
        start = datetime.fromisoformat(after["scheduled_start"])
        return None if cancelled or start > now + NEW_VISITS_AHEAD else NoticeKind.SCHEDULED
    if cancelled and before.get("status") != CANCELLED:
        return NoticeKind.CANCELLED
    if before.get("status") == CANCELLED and not cancelled:
        return NoticeKind.RESTORED
    reason = after.get("cancel_reason") or ""
    if reason and reason != before.get("cancel_reason") and not cancelled:
        return NoticeKind.CANCEL_AFTER_START
    if before.get("worker_id") != after.get("worker_id"):
        return NoticeKind.REASSIGNED
    if any(before.get(f) != after.get(f) for f in ("scheduled_start", "scheduled_end")):
        return NoticeKind.MOVED
    if any(before.get(f) != after.get(f) for f in ("service_code", "patient_id", "worker_notes")):
        return NoticeKind.CHANGED
    return None


def record(session: Session, changes: Iterable[VisitChange], now: datetime) -> int:
    """Keep a notice for each change the office made that the worker should hear of; returns how many."""
    rows = []
    for change in changes:
        before = _schedule(change.before) if change.before is not None else None
        after = _schedule(change.after)
        kind = classify(before, after, now)
        if kind is None or not _by_office(change, before, after):
            continue
        rows.append(
            ScheduleNoticeRow(
                visit_id=change.visit_id, kind=kind.value, before=before, after=after, created_at=now
            )
        )
        if kind is NoticeKind.CANCEL_AFTER_START:
            _log_lost_cancel(session, change)
    session.add_all(rows)
    return len(rows)


def unseen(session: Session, worker_id: uuid.UUID, zone: tzinfo) -> list[ScheduleNotice]:
    """The notices not yet seen that concern ``worker_id``, newest first, in words."""
    rows = session.scalars(
        sa.select(ScheduleNoticeRow)
        .where(ScheduleNoticeRow.seen_at.is_(None))
        .order_by(ScheduleNoticeRow.created_at.desc(), ScheduleNoticeRow.id.desc())
    ).all()
    patient_ids = {r.after.get("patient_id") for r in rows}
    names = _patient_names(session, {uuid.UUID(p) for p in patient_ids if p})
    notices = []
    for row in rows:
        name = names.get(row.after.get("patient_id", ""))
        words = describe(NoticeKind(row.kind), row.before, row.after, name, worker_id, zone)
        if words is not None:
            notices.append(ScheduleNotice(row.id, row.visit_id, NoticeKind(row.kind), words, row.created_at))
    return notices


def mark_seen(session: Session, ids: Iterable[int], now: datetime) -> int:
    """The worker has seen these notices: Today no longer shows them; returns how many were marked."""
    wanted = list(ids)
    if not wanted:
        return 0
    result = session.execute(
        sa.update(ScheduleNoticeRow)
        .where(ScheduleNoticeRow.id.in_(wanted), ScheduleNoticeRow.seen_at.is_(None))
        .values(seen_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _schedule(state: RecordState) -> dict[str, Any]:
    values = state.values()
    return {name: values[name] for name in SCHEDULE_FIELDS if name in values}


def _by_office(change: VisitChange, before: dict[str, Any] | None, after: dict[str, Any]) -> bool:
    changed = [f for f in SCHEDULE_FIELDS if before is None or before.get(f) != after.get(f)]
    fields = change.after.fields
    return any(f in fields and writer(fields[f].stamp.node) is Side.OFFICE for f in changed)


def _log_lost_cancel(session: Session, change: VisitChange) -> None:
    fields = change.after.fields
    reason, status = fields.get("cancel_reason"), fields.get("status")
    if reason is None or status is None:
        return
    lost = Versioned(CANCELLED, reason.stamp, reason.base)
    conflicts.record(session, "visit", change.visit_id, [Loser("status", lost, status, LossReason.CONFLICT)])


def _patient_names(session: Session, ids: set[uuid.UUID]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.execute(
        sa.select(PatientRow.id, PatientRow.family_name, PatientRow.given_name).where(PatientRow.id.in_(ids))
    ).all()
    return {str(r.id): f"{r.family_name}, {r.given_name}" for r in rows}
