"""The visit's verification exceptions as the worker meets them: "missed" with a confirmation and a reason,
a reason for an exception (no GPS position, far from home, late...), and the warning before checking out
a visit much shorter than scheduled.

Each dialog opens without blocking (``open()``) and acts only when the worker confirms; a refusal from the
store is shown in the dialog as a sentence.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from fieldapp.domain.entities import VisitException
from fieldapp.domain.exceptions import CODE_WORDS, REASON_WORDS, REASONS, ExceptionCode, ExceptionReason
from fieldapp.domain.verification import DEFAULT_POLICY, EvvPolicy
from fieldapp.qt.words import detail as details
from fieldapp.qt.words import word
from fieldapp.readmodels.visits import VisitDetail
from fieldapp.ui.common import TOUCH, add_dialog_buttons, named, titled
from fieldapp.ui.visit.parts import FormDialog, named_label

_CODE = Qt.ItemDataRole.UserRole


class ReasonDialog(FormDialog):
    """Pick a reason from the list for one exception code (and add a note); ``chosen`` acts on it."""

    def __init__(
        self,
        code: ExceptionCode,
        question: str,
        confirm: str,
        act: Callable[[ExceptionReason, str], object],
        parent: QWidget | None = None,
        *,
        preset: ExceptionReason | None = None,
        note: str = "",
        explanation: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setMinimumWidth(560)
        self.setWindowTitle(question)
        self.setAccessibleName(question)
        self.code, self.act = code, act
        layout = QVBoxLayout(self)
        layout.addWidget(named_label(question, "heading", "reasonQuestion"))
        if explanation:
            layout.addWidget(named_label(explanation, name="reasonExplanation"))
        self.reasons = named(QListWidget(), "reasonList", self.tr("Reasons"))
        for reason in REASONS[code]:
            item = QListWidgetItem(word(REASON_WORDS[reason]))
            item.setData(_CODE, reason.value)
            self.reasons.addItem(item)
            if reason is preset:
                self.reasons.setCurrentItem(item)
        self.reasons.setStyleSheet(f"QListWidget::item {{ min-height: {TOUCH}px; }}")
        self.reasons.setMinimumHeight(len(REASONS[code]) * (TOUCH + 8) + 8)  # every reason in sight
        layout.addWidget(self.reasons)
        self.note = named(QLineEdit(note), "reasonNote", self.tr("Note"))
        self.note.setMaxLength(200)
        self.note.setMinimumHeight(TOUCH)
        self.note.setPlaceholderText(self.tr("Note for the office (required for 'Other')"))
        layout.addWidget(self.note)
        layout.addWidget(self.error_line())
        self.confirm = add_dialog_buttons(layout, self, confirm, self.tr("Cancel"), self.submit)

    def choose(self, reason: ExceptionReason) -> None:
        """Select ``reason`` in the list."""
        for row in range(self.reasons.count()):
            if self.reasons.item(row).data(_CODE) == reason.value:
                self.reasons.setCurrentRow(row)

    @property
    def reason(self) -> ExceptionReason | None:
        """The reason selected, or None."""
        item = self.reasons.currentItem()
        return ExceptionReason(item.data(_CODE)) if item is not None else None

    def submit(self) -> bool:
        """Act on the reason chosen: one is required, and "Other" needs a note."""
        reason, note = self.reason, self.note.text().strip()
        if reason is None:
            return self._fail(self.tr("Choose a reason from the list."))
        if reason is ExceptionReason.OTHER and not note:
            return self._fail(self.tr("Say what happened: the reason 'Other' needs a note."))
        return self._done(lambda: self.act(reason, note))


def missed_dialog(
    visit_id: uuid.UUID,
    mark: Callable[[uuid.UUID, ExceptionReason, str], object],
    parent: QWidget | None = None,
) -> ReasonDialog:
    """Confirm "missed" with a reason; the office sees it, and it can be undone until the next sync."""
    dialog = ReasonDialog(
        ExceptionCode.MISSED_VISIT,
        QCoreApplication.translate("ReasonDialog", "Mark this visit missed?"),
        QCoreApplication.translate("ReasonDialog", "Mark missed"),
        lambda reason, note: mark(visit_id, reason, note),
        parent,
        explanation=QCoreApplication.translate(
            "ReasonDialog", "The office is told why. You can undo this until the tablet next syncs."
        ),
    )
    dialog.setObjectName("missedDialog")
    return dialog


def exception_dialog(
    record: VisitException,
    explain: Callable[[uuid.UUID, ExceptionReason, str], object],
    parent: QWidget | None = None,
    *,
    preset: ExceptionReason | None = None,
) -> ReasonDialog:
    """Give the reason for one exception (the device's own reason preselected, when it has one)."""
    what = word(CODE_WORDS[record.code])
    detail = details(record.detail)
    return ReasonDialog(
        record.code,
        QCoreApplication.translate("ReasonDialog", "{what}: why?").format(what=what),
        QCoreApplication.translate("ReasonDialog", "Save reason"),
        lambda reason, note: explain(record.id, reason, note),
        parent,
        preset=record.reason or preset,
        note=record.note,
        explanation=(f"{detail[:1].upper()}{detail[1:]}. " if detail else "")
        + QCoreApplication.translate("ReasonDialog", "The office reviews this visit."),
    )


class CheckOutWarning(QDialog):
    """Before checking out: what the office will question (a short visit) and what is still to do (the
    signature). ``confirmed`` runs the check-out."""

    def __init__(
        self, warnings: Sequence[str], confirmed: Callable[[], object], parent: QWidget | None = None
    ):
        super().__init__(parent)
        titled(self, "checkOutWarning", self.tr("Check out now?"))
        layout = QVBoxLayout(self)
        layout.addWidget(named_label(self.tr("Check out now?"), "heading"))
        self.warnings = named_label("\n".join(f"⚠ {w}" for w in warnings), "warning", "checkOutWarnings")
        self.warnings.setAccessibleName(self.tr("Warnings"))
        layout.addWidget(self.warnings)
        self.confirmed = confirmed
        self.confirm = add_dialog_buttons(
            layout, self, self.tr("Check out anyway"), self.tr("Keep the visit open"), self._go
        )

    def _go(self) -> None:
        self.accept()
        self.confirmed()


def check_out_warnings(detail: VisitDetail, now: datetime, policy: EvvPolicy = DEFAULT_POLICY) -> list[str]:
    """What to confirm before checking out now: a visit much shorter than scheduled (and then the
    signature still to come); empty when checking out now is unremarkable."""
    v = detail.visit
    begin = v.effective_check_in
    if begin is None:
        return []
    scheduled, actual = v.scheduled_end - v.scheduled_start, now - begin
    if actual >= scheduled * policy.too_short:
        return []
    minutes = max(0, round(actual.total_seconds() / 60))
    warnings = [
        QCoreApplication.translate(
            "CheckOutWarning",
            "This visit has lasted {minutes} min of the {scheduled} min scheduled: the office will review a "
            "visit this short.",
        ).format(minutes=minutes, scheduled=round(scheduled.total_seconds() / 60))
    ]
    if detail.signature is None:
        warnings.append(
            QCoreApplication.translate(
                "CheckOutWarning", "The patient has not signed yet: after checking out, ask them to sign."
            )
        )
    return warnings
