"""Schedule changes the office made to a worker's visits, as Today shows them until seen.

The store keeps each change as the visit's schedule before and after (wire values); the words are
written here, when shown, in the tablet's time zone and from the worker's point of view ("moved",
"now someone else's", "new for you").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import Any

from fieldapp.domain import schedule

# The visit fields a notice compares (a notice is about the schedule, not about what happened): the
# office's schedule fields but the series, which is the office's bookkeeping, nothing to tell the worker.
SCHEDULE_FIELDS = tuple(name for name in schedule.SCHEDULE_FIELDS if name != "series_id")


class NoticeKind(StrEnum):
    """What the office did to a visit, most important first when one pull brings several."""

    CANCELLED = "cancelled"  # called off
    CANCEL_AFTER_START = "cancel_late"  # the office cancelled a visit already started: it was kept
    RESTORED = "restored"  # a cancelled visit is on again
    SCHEDULED = "scheduled"  # a new visit
    REASSIGNED = "reassigned"  # another worker now, or this one
    MOVED = "moved"  # new day or times
    CHANGED = "changed"  # service, patient or notes for the worker


@dataclass(frozen=True, slots=True)
class ScheduleNotice:
    """One change as Today shows it."""

    id: int
    visit_id: uuid.UUID
    kind: NoticeKind
    text: str
    created_at: datetime


def describe(
    kind: NoticeKind,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    patient_name: str,
    me: uuid.UUID,
    zone: tzinfo,
) -> str | None:
    """The sentence for one change seen by worker ``me``; None when it is not about this worker."""
    was_mine = before is not None and before.get("worker_id") == str(me)
    mine = after.get("worker_id") == str(me)
    if not (mine or was_mine):
        return None
    start = _when(before or after, zone)
    head = f"{start} {patient_name}"
    if kind is NoticeKind.REASSIGNED and was_mine and not mine:
        return f"{head} is now another worker's visit"
    if kind in (NoticeKind.SCHEDULED, NoticeKind.REASSIGNED) or not was_mine:
        return f"New visit: {_when(after, zone)} {patient_name}" + _notes(after)
    if kind is NoticeKind.CANCELLED:
        return f"{head} cancelled by the office" + _reason(after)
    if kind is NoticeKind.CANCEL_AFTER_START:
        return f"{head}: the office cancelled it after you started" + _reason(after) + "; your visit was kept"
    if kind is NoticeKind.RESTORED:
        return f"{head} restored by the office: it is on again"
    assert before is not None
    if kind is NoticeKind.MOVED:
        return f"{head} moved to {_moved_to(before, after, zone)}"
    return f"{head}: {_what_changed(before, after)}"


def _moment(value: str, zone: tzinfo) -> datetime:
    return datetime.fromisoformat(value).astimezone(zone)


def _when(values: dict[str, Any], zone: tzinfo, today: date | None = None) -> str:
    start = _moment(values["scheduled_start"], zone)
    today = today or datetime.now(zone).date()
    return f"{start:%H:%M}" if start.date() == today else f"{start:%a %d %b %H:%M}"


def _moved_to(before: dict[str, Any], after: dict[str, Any], zone: tzinfo) -> str:
    old, new = _moment(before["scheduled_start"], zone), _moment(after["scheduled_start"], zone)
    end = _moment(after["scheduled_end"], zone)
    when = f"{new:%H:%M}" if new.date() == old.date() else f"{new:%a %d %b %H:%M}"
    return f"{when}–{end:%H:%M}"


def _reason(after: dict[str, Any]) -> str:
    reason = after.get("cancel_reason") or ""
    return f": {reason}" if reason else ""


def _notes(after: dict[str, Any]) -> str:
    notes = (after.get("worker_notes") or "").strip()
    return f". Note from the office: {notes}" if notes else ""


def _what_changed(before: dict[str, Any], after: dict[str, Any]) -> str:
    parts = []
    if before.get("service_code") != after.get("service_code"):
        parts.append(f"service now {after.get('service_code')}")
    if before.get("patient_id") != after.get("patient_id"):
        parts.append("now for another patient")
    if before.get("worker_notes") != after.get("worker_notes"):
        notes = (after.get("worker_notes") or "").strip()
        parts.append(f"note from the office: {notes}" if notes else "the office's note was removed")
    return "; ".join(parts) or "changed by the office"
