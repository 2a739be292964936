"""A patient's task history on the tablet (the office's per-patient history, decision 0034): for each task
of the plan of care, what was recorded at the last visits, newest first; an outcome entered in error says
so with its reason."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from fieldapp.domain.care import OUTCOME_WORDS, TaskOutcome, history_by_task
from fieldapp.qt.i18n import day
from fieldapp.qt.words import task_title, word
from fieldapp.ui.common import label

VISITS_SHOWN = 5


def outcome_words(outcome: TaskOutcome) -> str:
    """One recorded outcome: "Thu 26 Nov: Patient refused (asleep)"."""
    when = day(outcome.recorded_at.astimezone().date(), "ddd dd MMM")
    words = word(OUTCOME_WORDS[outcome.outcome]) if outcome.outcome else ""
    extra = " · ".join(x for x in (outcome.reason, outcome.note) if x)
    text = f"{when}: {words}" + (f" ({extra})" if extra else "")
    if outcome.entered_in_error:
        words = QCoreApplication.translate("TaskHistory", "entered in error: {reason}")
        text += " — " + words.format(reason=outcome.error_reason)
    return text


def task_history_rows(outcomes: Sequence[TaskOutcome]) -> list[QWidget]:
    """The rows of the patient record's "Task history" section: a task's name, then its last outcomes."""
    rows: list[QWidget] = []
    for title, recorded in history_by_task(outcomes, VISITS_SHOWN):
        rows.append(label(task_title(recorded[0].code, title), "fieldLabel"))
        rows.append(label("\n".join(outcome_words(o) for o in recorded), selectable=True))
    return rows or [
        label(QCoreApplication.translate("TaskHistory", "No task outcomes recorded yet."), "muted")
    ]
