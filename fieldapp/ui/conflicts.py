"""Conflicts: values that lost a merge, shown so the worker can keep what won or bring the other back.

Each open conflict (``ConflictListModel``) is a card: which record and field, the value kept now and the
value that lost, who wrote each (the clock stamp's node: this tablet, the office, or another device)
and when (the stamp's wall time). "Keep" accepts the current value (``Actions.keep_current``);
"Restore mine" / "Restore this value" writes the lost value again as a new edit that syncs and wins
(``Actions.restore_lost_value``). Nothing here runs SQL: the model reads, Actions writes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from fieldapp.domain.clock import Stamp
from fieldapp.domain.errors import DomainError
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.merge import RULES, LossReason, Side, writer
from fieldapp.domain.values import VisitStatus
from fieldapp.qt.i18n import day_and_time, refusal
from fieldapp.qt.lists import ConflictList
from fieldapp.qt.ports import ConflictActions, ConflictReads
from fieldapp.readmodels.conflicts import Conflict
from fieldapp.ui.common import TOUCH, button, label, scrolled_page, set_role

# A stored value as it comes from JSON.
Shown = str | int | float | bool | None | list["Shown"] | dict[str, "Shown"]

REASON_WORDS = {
    LossReason.CONFLICT: QT_TRANSLATE_NOOP(
        "ConflictCard", "Changed in two places at the same time; the later change was kept."
    ),
    LossReason.DELETED: QT_TRANSLATE_NOOP(
        "ConflictCard", "Changed here after the record was deleted elsewhere."
    ),
    LossReason.IMMUTABLE: QT_TRANSLATE_NOOP(
        "ConflictCard", "A second value for something that cannot change once written; the first was kept."
    ),
    LossReason.UNDELETABLE: QT_TRANSLATE_NOOP(
        "ConflictCard", "Someone tried to delete a record that is never deleted; it was kept."
    ),
    LossReason.SUPERSEDED: QT_TRANSLATE_NOOP("ConflictCard", "Replaced by a later edit."),
}


def show_value(value: Shown) -> str:
    """A stored JSON value as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return QCoreApplication.translate("ConflictCard", "(empty)")
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("ConflictCard", "yes")
            if value
            else QCoreApplication.translate("ConflictCard", "no")
        )
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return f"{value:g}"
    if isinstance(value, list):
        return "; ".join(show_value(v) for v in value)
    if isinstance(value, dict):
        parts = [show_value(v) for k, v in value.items() if v not in (None, "", [], {}) and k != "country"]
        return ", ".join(parts) if parts else QCoreApplication.translate("ConflictCard", "(empty)")
    return json.dumps(value, ensure_ascii=False)


# The fields a conflict can be about, as a worker calls them (others: the field's name, capitalised).
FIELD_WORDS = {
    "mrn": QT_TRANSLATE_NOOP("ConflictCard", "Record number"),
    "given_name": QT_TRANSLATE_NOOP("ConflictCard", "Given name"),
    "family_name": QT_TRANSLATE_NOOP("ConflictCard", "Family name"),
    "date_of_birth": QT_TRANSLATE_NOOP("ConflictCard", "Date of birth"),
    "sex": QT_TRANSLATE_NOOP("ConflictCard", "Sex"),
    "phone": QT_TRANSLATE_NOOP("ConflictCard", "Phone"),
    "address": QT_TRANSLATE_NOOP("ConflictCard", "Address"),
    "emergency_contact": QT_TRANSLATE_NOOP("ConflictCard", "Emergency contact"),
    "allergies": QT_TRANSLATE_NOOP("ConflictCard", "Allergies"),
    "diagnoses": QT_TRANSLATE_NOOP("ConflictCard", "Diagnoses"),
    "care_plan": QT_TRANSLATE_NOOP("ConflictCard", "Care plan"),
    "active": QT_TRANSLATE_NOOP("ConflictCard", "Active"),
    "scheduled_start": QT_TRANSLATE_NOOP("ConflictCard", "Scheduled start"),
    "scheduled_end": QT_TRANSLATE_NOOP("ConflictCard", "Scheduled end"),
    "service_code": QT_TRANSLATE_NOOP("ConflictCard", "Service"),
    "status": QT_TRANSLATE_NOOP("ConflictCard", "Status"),
    "check_in": QT_TRANSLATE_NOOP("ConflictCard", "Check in"),
    "check_out": QT_TRANSLATE_NOOP("ConflictCard", "Check out"),
    "text": QT_TRANSLATE_NOOP("ConflictCard", "Text"),
    "value": QT_TRANSLATE_NOOP("ConflictCard", "Value"),
    "unit": QT_TRANSLATE_NOOP("ConflictCard", "Unit"),
}


def field_words(field: str) -> str:
    """A field as a worker calls it, in the app's language."""
    words = FIELD_WORDS.get(field)
    if words is None:
        return field.replace("_", " ").capitalize()
    return QCoreApplication.translate("ConflictCard", words)


def reason_words(conflict: Conflict) -> str:
    """Why the kept value was kept: the later change, or (decision 0021) the side that owns the field."""
    rules = RULES.get(conflict.entity)
    owner = rules.owner(conflict.field) if rules is not None else None
    winner = conflict.winner_stamp
    if owner is None or winner is None or conflict.reason is not LossReason.CONFLICT:
        return REASON_WORDS.get(conflict.reason, conflict.reason.value)
    if writer(winner.node) is not owner.side or writer(conflict.lost_stamp.node) is owner.side:
        return REASON_WORDS[LossReason.CONFLICT]
    if conflict.field == "status" and conflict.lost_value == VisitStatus.CANCELLED.value:
        return QT_TRANSLATE_NOOP(
            "ConflictCard",
            "The office cancelled this visit after it had started; the visit and its record were kept.",
        )
    if owner.side is Side.OFFICE:
        return QT_TRANSLATE_NOOP("ConflictCard", "The office sets the schedule; its value was kept.")
    return QT_TRANSLATE_NOOP(
        "ConflictCard",
        "What happened at the visit is recorded in the field; the office's change did not replace it.",
    )


class ConflictCard(QFrame):
    """One conflict with its two values and the two choices."""

    def __init__(self, screen: ConflictsScreen, conflict: Conflict, record_label: str) -> None:
        super().__init__()
        self.owner, self.conflict = screen, conflict
        self.setObjectName("conflictCard")
        set_role(self, "section")
        self.setAccessibleName(
            self.tr("Conflict: {record}, {field}").format(
                record=record_label, field=field_words(conflict.field)
            )
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(label(f"{record_label} · {field_words(conflict.field)}", "heading"))
        layout.addWidget(label(self.tr(reason_words(conflict)), "muted"))

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.setColumnStretch(1, 1)
        kept_who, kept_when = screen.who_and_when(conflict.winner_stamp)
        lost_who, lost_when = screen.who_and_when(conflict.lost_stamp)
        self.kept_value = self._row(
            grid, 0, self.tr("Kept now"), show_value(conflict.winner_value), kept_who, kept_when
        )
        self.lost_value = self._row(
            grid, 1, self.tr("Lost"), show_value(conflict.lost_value), lost_who, lost_when
        )
        layout.addLayout(grid)

        self.error = label(role="error")
        self.error.hide()
        layout.addWidget(self.error)
        row = QHBoxLayout()
        field = field_words(conflict.field).lower()
        self.keep_button = button(
            self.tr("Keep"), self.tr("Keep the current value of {field}").format(field=field), "primary"
        )
        mine = conflict.lost_stamp.node == screen.node_id
        restore_text = self.tr("Restore mine") if mine else self.tr("Restore this value")
        self.restore_button = button(
            restore_text, self.tr("Restore the value of {field} that lost").format(field=field)
        )
        for widget in (self.keep_button, self.restore_button):
            widget.setMinimumSize(150, TOUCH)
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.keep_button.clicked.connect(lambda: self.owner.keep(self))
        self.restore_button.clicked.connect(lambda: self.owner.restore(self))

    def _row(self, grid: QGridLayout, row: int, title: str, value: str, who: str, when: str) -> QLabel:
        grid.addWidget(label(title, "fieldLabel", wrap=False), row, 0)
        shown = label(value, selectable=True)
        shown.setObjectName("conflictValue")
        shown.setAccessibleName(f"{title}: {value}")
        grid.addWidget(shown, row, 1)
        source = label(f"{who}, {when}", "muted", wrap=False)
        source.setAccessibleName(
            self.tr("{title}, written by {who}, {when}").format(title=title, who=who, when=when)
        )
        grid.addWidget(source, row, 2)
        return shown

    def fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()


class ConflictsScreen(QWidget):
    """Every open conflict, newest first, from ``ConflictListModel``."""

    def __init__(
        self,
        model: ConflictList,
        records: ConflictReads,
        actions: ConflictActions,
        parent: QWidget | None = None,
        *,
        node_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsScreen")
        self.setAccessibleName(self.tr("Conflicts"))
        self.model, self.records, self.app_actions = model, records, actions
        self.node_id = node_id if node_id is not None else records.node_id
        self.cards: list[ConflictCard] = []

        self.body, self.layout_ = scrolled_page(self, self.tr("Conflicts list"))
        self.layout_.addWidget(label(self.tr("Conflicts"), "title"))
        self.intro = label(
            self.tr(
                "Someone else changed the same thing while this tablet was offline (or the other way round). "
                "The newer change was kept; the other value is kept here so nothing is lost. Keep what is "
                "right now, or bring the other value back."
            ),
            "muted",
        )
        self.layout_.addWidget(self.intro)
        self.empty = label(
            self.tr("No conflicts. Everything changed here and at the office fits together."), "notice"
        )
        self.empty.setObjectName("conflictsEmpty")
        self.layout_.addWidget(self.empty)
        self.list_layout = QVBoxLayout()
        self.list_layout.setSpacing(12)
        self.layout_.addLayout(self.list_layout)
        self.layout_.addStretch(1)

        self.model.modelReset.connect(self.rebuild)
        self.rebuild()

    def who_and_when(self, stamp: Stamp | None) -> tuple[str, str]:
        """Who wrote a value (the stamp's node) and when (the stamp's wall time, in the tablet's zone)."""
        if stamp is None:
            return self.tr("nobody"), "—"
        if stamp.node == self.node_id:
            who = self.tr("this tablet")
        elif writer(stamp.node) is Side.OFFICE:
            who = self.tr("the office")
        else:
            who = self.tr("device {node}").format(node=stamp.node)
        return who, day_and_time(datetime.fromtimestamp(stamp.wall_ms / 1000, UTC))

    def rebuild(self) -> None:
        """One card per open conflict."""
        for card in self.cards:
            self.list_layout.removeWidget(card)
            card.hide()
            card.deleteLater()
        self.cards = []
        for conflict in self.model.items:
            card = ConflictCard(self, conflict, self._describe(conflict))
            self.list_layout.addWidget(card)
            self.cards.append(card)
        self.empty.setVisible(not self.cards)

    def _describe(self, conflict: Conflict) -> str:
        return self.records.describe_record(conflict.entity, conflict.record_id)

    def keep(self, card: ConflictCard) -> bool:
        try:
            self.app_actions.keep_current(card.conflict.id)
        except (DomainError, KeyError) as exc:
            card.fail(refusal(exc) if isinstance(exc, DomainError) else str(exc))
            return False
        self.model.refresh()
        return True

    def restore(self, card: ConflictCard) -> bool:
        try:
            self.app_actions.restore_lost_value(card.conflict)
        except (DomainError, KeyError) as exc:
            card.fail(self.tr("This value cannot be restored: {problem}").format(problem=exc))
            return False
        self.model.refresh()
        return True


__all__ = ["ConflictCard", "ConflictsScreen", "show_value"]
