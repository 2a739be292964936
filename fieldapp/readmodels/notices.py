"""Schedule changes the office made to a worker's visits, as Today shows them until seen.

The store keeps each change as the visit's schedule before and after (wire values); what to say is decided
here, when shown, in the tablet's time zone and from the worker's point of view ("moved", "now someone
else's", "new for you"), as a ``Phrase`` the tablet writes in the worker's language (times by its locale).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum
from typing import Any

from fieldapp.domain import schedule
from fieldapp.domain.language import QT_TRANSLATE_NOOP, Moment, Phrase, Value

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


CONTEXT = "ScheduleNotice"  # the translators' context of the notices' words


@dataclass(frozen=True, slots=True)
class ScheduleNotice:
    """One change as Today shows it: ``words`` say it in any language, ``text`` in English."""

    id: int
    visit_id: uuid.UUID
    kind: NoticeKind
    words: Phrase
    created_at: datetime

    @property
    def text(self) -> str:
        """The notice in English (the source text)."""
        return self.words.say()


def _say(template: str, **values: Value) -> Phrase:
    return Phrase.marked(CONTEXT, template, **values)


def describe(
    kind: NoticeKind,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    patient_name: str | None,
    me: uuid.UUID,
    zone: tzinfo,
) -> Phrase | None:
    """What to say of one change seen by worker ``me``; None when it is not about this worker. Without a
    ``patient_name`` (not on this tablet) the words say "a patient"."""
    was_mine = before is not None and before.get("worker_id") == str(me)
    mine = after.get("worker_id") == str(me)
    if not (mine or was_mine):
        return None
    patient: Value = patient_name or _say(QT_TRANSLATE_NOOP("ScheduleNotice", "a patient"))
    head = {"start": _when(before or after, zone), "patient": patient}
    if kind is NoticeKind.REASSIGNED and was_mine and not mine:
        return _say(
            QT_TRANSLATE_NOOP("ScheduleNotice", "%(start)s %(patient)s is now another worker's visit"), **head
        )
    if kind in (NoticeKind.SCHEDULED, NoticeKind.REASSIGNED) or not was_mine:
        new = {"start": _when(after, zone), "patient": patient}
        notes = (after.get("worker_notes") or "").strip()
        if notes:
            return _say(
                QT_TRANSLATE_NOOP(
                    "ScheduleNotice", "New visit: %(start)s %(patient)s. Note from the office: %(notes)s"
                ),
                notes=notes,
                **new,
            )
        return _say(QT_TRANSLATE_NOOP("ScheduleNotice", "New visit: %(start)s %(patient)s"), **new)
    return _change_to_my_visit(kind, before, after, head, zone)


def _change_to_my_visit(
    kind: NoticeKind,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    head: dict[str, Value],
    zone: tzinfo,
) -> Phrase:
    """What to say of the office's change to a visit that was and stays this worker's."""
    reason = after.get("cancel_reason") or ""
    if kind is NoticeKind.CANCELLED and reason:
        return _say(
            QT_TRANSLATE_NOOP("ScheduleNotice", "%(start)s %(patient)s cancelled by the office: %(reason)s"),
            reason=reason,
            **head,
        )
    if kind is NoticeKind.CANCELLED:
        return _say(
            QT_TRANSLATE_NOOP("ScheduleNotice", "%(start)s %(patient)s cancelled by the office"), **head
        )
    if kind is NoticeKind.CANCEL_AFTER_START:
        return _say(
            QT_TRANSLATE_NOOP(
                "ScheduleNotice",
                "%(start)s %(patient)s: the office cancelled it after you started: %(reason)s; "
                "your visit was kept",
            ),
            reason=reason,
            **head,
        )
    if kind is NoticeKind.RESTORED:
        return _say(
            QT_TRANSLATE_NOOP(
                "ScheduleNotice", "%(start)s %(patient)s restored by the office: it is on again"
            ),
            **head,
        )
    assert before is not None
    if kind is NoticeKind.MOVED:
        old, new_start = _moment(before["scheduled_start"], zone), _moment(after["scheduled_start"], zone)
        return _say(
            QT_TRANSLATE_NOOP("ScheduleNotice", "%(start)s %(patient)s moved to %(new_start)s–%(new_end)s"),
            new_start=Moment(new_start, with_day=new_start.date() != old.date()),
            new_end=Moment(_moment(after["scheduled_end"], zone)),
            **head,
        )
    return _say(
        QT_TRANSLATE_NOOP("ScheduleNotice", "%(start)s %(patient)s: %(changes)s"),
        changes=_what_changed(before, after),
        **head,
    )


def _moment(value: str, zone: tzinfo) -> datetime:
    return datetime.fromisoformat(value).astimezone(zone)


def _when(values: dict[str, Any], zone: tzinfo, today: date | None = None) -> Moment:
    start = _moment(values["scheduled_start"], zone)
    today = today or datetime.now(zone).date()
    return Moment(start, with_day=start.date() != today)


def _what_changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[Phrase, ...]:
    parts = []
    if before.get("service_code") != after.get("service_code"):
        service = str(after.get("service_code"))
        parts.append(_say(QT_TRANSLATE_NOOP("ScheduleNotice", "service now %(service)s"), service=service))
    if before.get("patient_id") != after.get("patient_id"):
        parts.append(_say(QT_TRANSLATE_NOOP("ScheduleNotice", "now for another patient")))
    if before.get("worker_notes") != after.get("worker_notes"):
        notes = (after.get("worker_notes") or "").strip()
        if notes:
            parts.append(
                _say(QT_TRANSLATE_NOOP("ScheduleNotice", "note from the office: %(notes)s"), notes=notes)
            )
        else:
            parts.append(_say(QT_TRANSLATE_NOOP("ScheduleNotice", "the office's note was removed")))
    return tuple(parts) or (_say(QT_TRANSLATE_NOOP("ScheduleNotice", "changed by the office")),)
