"""The words of the visit screen's header: the patient's allergies and what the schedule and the office say
(in the screen's own translation context, ``VisitScreen``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from fieldapp.domain.entities import Visit
from fieldapp.domain.values import Allergy
from fieldapp.qt.i18n import long_day
from fieldapp.qt.words import service, word
from fieldapp.ui.visit.parts import local


def allergy_line(allergies: Sequence[Allergy]) -> tuple[str, bool]:
    """The allergies in one line, and whether one of them is severe."""
    items = [
        f"{a.substance} ({word(a.severity.value)}{': ' + a.reaction if a.reaction else ''})"
        for a in allergies
    ]
    text = QCoreApplication.translate("VisitScreen", "⚠ ALLERGIES: {list}").format(list=" · ".join(items))
    return text, any(a.severity.value == "severe" for a in allergies)


def _reaction(a: Allergy) -> str:
    return f": {a.reaction}" if a.reaction else ""


def schedule_lines(v: Visit) -> str:
    """When the visit is scheduled and for what service, then what the office said of it."""
    lines = [
        QCoreApplication.translate(
            "VisitScreen", "Scheduled {day}, {start}–{end} · Service {service}"
        ).format(
            day=long_day(v.scheduled_start.astimezone().date()),
            start=local(v.scheduled_start),
            end=local(v.scheduled_end),
            service=service(v.service_code),
        )
    ]
    if v.cancel_reason:
        cancelled = QCoreApplication.translate("VisitScreen", "Cancelled by the office: {reason}")
        lines.append(cancelled.format(reason=v.cancel_reason))
    if notes := v.worker_notes.strip():
        lines.append(
            QCoreApplication.translate("VisitScreen", "Note from the office: {note}").format(note=notes)
        )
    return "\n".join(lines)
