"""The visit's plan-of-care checklist: one line per task due, four outcomes a finger can hit, a reason where
the outcome asks for one (common reasons are one tap), an optional note, and the tasks left open flagged.

Each tap is saved at once (``outcome_chosen`` -> the screen -> ``Actions.record_outcome``). Line widgets
are built once and reused from visit to visit (a line is re-bound to another task), and a refresh only
changes what differs: building and re-parenting widgets, not reading the store, is what costs time here.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from fieldapp.domain.care import NEEDS_REASON, OUTCOME_WORDS, ChecklistLine, Frequency, Outcome
from fieldapp.domain.entities import Visit
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.values import VisitStatus
from fieldapp.qt.words import task_title, word
from fieldapp.ui.common import TOUCH, set_role, set_state
from fieldapp.ui.flow import FlowRow
from fieldapp.ui.visit.parts import card, named_label, set_shown, sized_button

# One tap for the reasons aides give most; anything else is typed. Saved in English (the office reads the
# same words from every tablet), shown in the worker's language.
REASONS: Mapping[Outcome, tuple[str, ...]] = {
    Outcome.REFUSED: (
        QT_TRANSLATE_NOOP("TaskLine", "Not feeling well"),
        QT_TRANSLATE_NOOP("TaskLine", "Asleep"),
        QT_TRANSLATE_NOOP("TaskLine", "Did not want it today"),
        QT_TRANSLATE_NOOP("TaskLine", "Family did it"),
    ),
    Outcome.COULD_NOT_DO: (
        QT_TRANSLATE_NOOP("TaskLine", "No supplies"),
        QT_TRANSLATE_NOOP("TaskLine", "Equipment not working"),
        QT_TRANSLATE_NOOP("TaskLine", "Not safe today"),
        QT_TRANSLATE_NOOP("TaskLine", "Ran out of time"),
    ),
}
SHORT_WORDS: Mapping[Outcome, str] = {
    Outcome.DONE: QT_TRANSLATE_NOOP("TaskLine", "✓ Done"),
    Outcome.REFUSED: QT_TRANSLATE_NOOP("TaskLine", "Refused"),
    Outcome.NOT_NEEDED: QT_TRANSLATE_NOOP("TaskLine", "Not needed"),
    Outcome.COULD_NOT_DO: QT_TRANSLATE_NOOP("TaskLine", "Could not do"),
}


def _reason_words(text: str) -> str:
    """A reason as shown: the preset ones in the worker's language, typed ones as typed."""
    return QCoreApplication.translate("TaskLine", text) if text else text


class TaskLine(QFrame):
    """One task: its name, instructions, the four outcomes, and (when asked for) reason and note."""

    chosen = Signal(object, object, str, str)  # task id, Outcome | None, reason, note
    error_requested = Signal(object)  # task id: mark its recorded outcome entered in error

    def __init__(self, line: ChecklistLine) -> None:
        super().__init__()
        self.task_id = line.task.id
        set_role(self, "taskLine")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        top = QHBoxLayout()
        self.title = named_label(role="taskTitle", wrap=True)
        self.state = named_label(role="muted", wrap=False)
        top.addWidget(self.title, stretch=1)
        top.addWidget(self.state)
        layout.addLayout(top)
        self.instructions = named_label(role="muted")
        layout.addWidget(self.instructions)
        self.buttons: dict[Outcome, QPushButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # tapping the chosen outcome again undoes it
        row = FlowRow()
        for outcome in Outcome:
            b = sized_button(
                self.tr(SHORT_WORDS[outcome]),
                f"{word(OUTCOME_WORDS[outcome])}: {task_title(line.task.code, line.task.title)}",
                "choice",
                96,
            )
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, o=outcome: self._tapped(o))
            self.group.addButton(b)
            self.buttons[outcome] = b
            row.addWidget(b)
        self.note_button = sized_button(self.tr("Note"), self.tr("Note"), "link", 72)
        self.note_button.clicked.connect(lambda: self._open_detail(self.current))
        row.addWidget(self.note_button)
        # Once signed, a wrong outcome is not changed but marked entered in error (decision 0034).
        self.error_button = sized_button(self.tr("In error…"), self.tr("Entered in error"), "link", 96)
        self.error_button.clicked.connect(lambda: self.error_requested.emit(self.task_id))
        self.error_button.hide()
        row.addWidget(self.error_button)
        layout.addLayout(row)
        self.detail: QWidget | None = None  # built on first need: most lines never need it
        self.pending: Outcome | None = None
        self.current: Outcome | None = None
        self.reason, self.note = "", ""
        self.label = ""
        self.bind(line)
        self.show_line(line, locked=False)

    def bind(self, line: ChecklistLine) -> None:
        """Make this line the one of ``line``'s task (lines are reused from visit to visit)."""
        task = line.task
        self.task_id, self.pending = task.id, None
        self.setObjectName(f"task-{task.id}")
        name = task_title(task.code, task.title)
        if name != self.label:
            self.label = name
            self.title.setText(name)
            self.title.setAccessibleName(self.tr("Task: {task}").format(task=name))
            for outcome, b in self.buttons.items():
                b.setAccessibleName(f"{word(OUTCOME_WORDS[outcome])}: {name}")
            self.note_button.setAccessibleName(self.tr("Note on {task}").format(task=name))
            self.error_button.setAccessibleName(self.tr("Entered in error: {task}").format(task=name))
        if self.instructions.text() != task.instructions:
            self.instructions.setText(task.instructions)
        set_shown(self.instructions, bool(task.instructions))
        if self.detail is not None:
            set_shown(self.detail, False)

    def show_line(self, line: ChecklistLine, *, locked: bool) -> None:
        """Show what was recorded for the task (``locked``: signed or not taking place)."""
        task, recorded = line.task, line.outcome
        self.current = recorded.outcome if recorded else None
        self.reason = recorded.reason if recorded else ""
        self.note = recorded.note if recorded else ""
        for outcome, b in self.buttons.items():
            b.setChecked(outcome is self.current)
            b.setEnabled(not locked)
        self.note_button.setEnabled(not locked and self.current is not None)
        words = word(OUTCOME_WORDS[self.current]) if self.current else ""
        in_error = recorded is not None and recorded.entered_in_error
        if in_error and recorded is not None:
            words = self.tr("{outcome} — entered in error: {reason}").format(
                outcome=words, reason=recorded.error_reason
            )
        font = self.state.font()
        if font.strikeOut() != in_error:
            font.setStrikeOut(in_error)
            self.state.setFont(font)
        set_shown(self.error_button, locked and self.current is not None and not in_error)
        extra = " · ".join(x for x in (_reason_words(self.reason), self.note) if x)
        as_needed = self.tr("as needed") if task.frequency is Frequency.AS_NEEDED else ""
        self.state.setText(" · ".join(x for x in (words + (f": {extra}" if extra else ""), as_needed) if x))
        state = "open" if line.is_open else "recorded"
        if self.property("state") != state:
            set_state(self, state)
        if self.detail is not None and (locked or self.pending is None):
            set_shown(self.detail, False)

    def _tapped(self, outcome: Outcome) -> None:
        if outcome is self.current and self.pending is None:
            self.chosen.emit(self.task_id, None, "", "")
            return
        if outcome is self.pending:  # tapped again while asking for the reason: never mind
            self.pending = None
            self.buttons[outcome].setChecked(outcome is self.current)
            if self.detail is not None:
                set_shown(self.detail, False)
            return
        if outcome in NEEDS_REASON:
            self._open_detail(outcome)
            return
        self.pending = None
        self.chosen.emit(self.task_id, outcome, "", self.note)

    # -- reason and note ----------------------------------------------------------------------------------

    def _open_detail(self, outcome: Outcome | None) -> None:
        if outcome is None:
            return
        self.pending = outcome
        if self.detail is None:
            self._build_detail()
        assert self.detail is not None
        for b in self.buttons.values():
            b.setChecked(False)
        self.buttons[outcome].setChecked(True)
        presets = REASONS.get(outcome, ())
        for i, b in enumerate(self.presets):
            b.setVisible(i < len(presets))
            if i < len(presets):
                b.setProperty("reason", presets[i])
                b.setText(self.tr(presets[i]))
                b.setAccessibleName(self.tr("Reason: {reason}").format(reason=self.tr(presets[i])))
        self.reason_edit.setVisible(outcome in NEEDS_REASON)
        self.reason_edit.setText(self.reason if outcome is self.current else "")
        self.note_edit.setText(self.note)
        self.detail.show()
        (self.reason_edit if outcome in NEEDS_REASON else self.note_edit).setFocus()

    def _build_detail(self) -> None:
        self.detail = QWidget()
        box = QVBoxLayout(self.detail)
        box.setContentsMargins(0, 0, 0, 0)
        chips = QHBoxLayout()
        self.presets = [sized_button("", self.tr("Reason"), "choice", 96) for _ in range(4)]
        for b in self.presets:
            b.clicked.connect(lambda _=False, b=b: self._save(str(b.property("reason"))))
            chips.addWidget(b)
        chips.addStretch(1)
        box.addLayout(chips)
        edits = QHBoxLayout()
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("Other reason…"))
        self.reason_edit.setAccessibleName(self.tr("Reason"))
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("Note (optional)"))
        self.note_edit.setAccessibleName(self.tr("Note"))
        for edit in (self.reason_edit, self.note_edit):
            edit.setMinimumHeight(TOUCH)
            edit.setMaxLength(200)
            edit.returnPressed.connect(lambda: self._save(self.reason_edit.text()))
            edits.addWidget(edit, stretch=1)
        self.save_button = sized_button(self.tr("Save"), self.tr("Save the reason and note"), "primary", 88)
        self.save_button.clicked.connect(lambda: self._save(self.reason_edit.text()))
        edits.addWidget(self.save_button)
        box.addLayout(edits)
        layout = self.layout()
        assert layout is not None
        layout.addWidget(self.detail)

    def _save(self, reason: str) -> None:
        outcome, self.pending = self.pending, None
        if outcome is None:
            return
        keep = reason.strip() if outcome in NEEDS_REASON else ""
        self.chosen.emit(self.task_id, outcome, keep, self.note_edit.text().strip())


class ChecklistPanel(QFrame):
    """The visit's tasks; ``outcome_chosen(task_id, outcome, reason, note)`` for each tap."""

    outcome_chosen = Signal(object, object, str, str)
    error_requested = Signal(object)  # task id

    def __init__(self) -> None:
        super().__init__()
        layout = card(self, self.tr("Tasks (plan of care)"), "tasksCard")
        self.summary = named_label(role="muted", name="tasksSummary")
        self.summary.setAccessibleName(self.tr("Tasks recorded"))
        self.flag = named_label(role="banner", name="openTasksFlag")
        self.flag.setAccessibleName(self.tr("Tasks left open"))
        self.flag.hide()
        self.lines_box = QVBoxLayout()
        self.lines_box.setSpacing(6)
        layout.addWidget(self.summary)
        layout.addWidget(self.flag)
        layout.addLayout(self.lines_box)
        self.lines: dict[uuid.UUID, TaskLine] = {}
        self.pool: list[TaskLine] = []  # every line widget built so far, reused from visit to visit
        self.open_labels: list[str] = []
        self._armed = False  # a check-out with open tasks asks once, then goes ahead

    def show_checklist(self, visit: Visit, lines: Sequence[ChecklistLine]) -> None:
        """Show the tasks due at ``visit`` with their outcomes."""
        ids = [line.task.id for line in lines]
        if ids != list(self.lines):
            self._bind(lines)
        locked = visit.is_signed or visit.status in (VisitStatus.MISSED, VisitStatus.CANCELLED)
        for line in lines:
            self.lines[line.task.id].show_line(line, locked=locked)
        self.open_labels = [task_title(line.task.code, line.task.title) for line in lines if line.is_open]
        done = sum(1 for line in lines if line.outcome is not None and line.outcome.outcome is not None)
        self.summary.setText(
            self.tr("{done} of {count} tasks recorded").format(done=done, count=len(lines))
            if lines
            else self.tr("No tasks on the plan of care for this visit")
        )
        # Shown before check-in too: a card appearing at check-in pushed "Check in"'s row down by its
        # height and put the next button under the finger.
        set_shown(self, bool(lines) or visit.status in (VisitStatus.SCHEDULED, VisitStatus.IN_PROGRESS))
        left_open = visit.check_out is not None and bool(self.open_labels)
        if left_open:
            self._show_flag(
                self.tr("⚠ Left open at check-out: {tasks}").format(tasks=", ".join(self.open_labels))
            )
        elif not self._armed:
            set_shown(self.flag, False)

    def _bind(self, lines: Sequence[ChecklistLine]) -> None:
        self._armed = False
        while len(self.pool) < len(lines):
            widget = TaskLine(lines[len(self.pool)])
            widget.chosen.connect(self.outcome_chosen)
            widget.error_requested.connect(self.error_requested)
            self.lines_box.addWidget(widget)
            self.pool.append(widget)
        self.lines = {}
        for widget, line in zip(self.pool, lines, strict=False):
            widget.bind(line)
            set_shown(widget, True)
            self.lines[line.task.id] = widget
        for widget in self.pool[len(lines) :]:
            set_shown(widget, False)

    def check_out_allowed(self) -> bool:
        """True when nothing is open, or the worker already saw the warning and taps check-out again."""
        if not self.open_labels or self._armed:
            self._armed = False
            return True
        self._armed = True
        count, tasks = len(self.open_labels), ", ".join(self.open_labels)
        self._show_flag(
            (
                self.tr(
                    "⚠ {count} tasks are still open: {tasks}. Record what happened, or tap Check out again "
                    "to leave them open (the office sees it)."
                )
                if count > 1
                else self.tr(
                    "⚠ 1 task is still open: {tasks}. Record what happened, or tap Check out again to leave "
                    "it open (the office sees it)."
                )
            ).format(count=count, tasks=tasks)
        )
        return False

    def _show_flag(self, text: str) -> None:
        self.flag.setText(text)
        set_state(self.flag, "bad")
        self.flag.show()
