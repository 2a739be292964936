"""Marking a record entered in error (decision 0034): a task outcome, a medication or an attachment recorded
by mistake is never deleted; the worker says why, and it stays on the record struck through, with the
reason, for the office and the audit trail."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from fieldapp.ui.common import TOUCH, add_dialog_buttons, named
from fieldapp.ui.visit.parts import FormDialog, named_label


class InErrorDialog(FormDialog):
    """Asks why ``what`` was entered in error; confirming runs ``mark(reason)``."""

    def __init__(self, what: str, mark: Callable[[str], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mark = mark
        self.setObjectName("inErrorDialog")
        self.setWindowTitle(self.tr("Entered in error"))
        layout = QVBoxLayout(self)
        question = self.tr(
            "Mark “{what}” as entered in error? It stays on the record, struck through with your reason, "
            "and the office sees it."
        )
        layout.addWidget(named_label(question.format(what=what), wrap=True))
        self.reason = named(QLineEdit(), "errorReason", self.tr("Why it was entered in error"))
        self.reason.setPlaceholderText(self.tr("Why? For example: wrong patient, tapped the wrong row"))
        self.reason.setMaxLength(200)
        self.reason.setMinimumHeight(TOUCH)
        layout.addWidget(self.reason)
        layout.addWidget(self.error_line())
        self.confirm_button = add_dialog_buttons(
            layout, self, self.tr("Mark entered in error"), self.tr("Cancel"), self.confirm
        )

    def confirm(self) -> bool:
        """Mark it, or say what is missing (a reason) and stay open."""
        reason = self.reason.text().strip()
        if not reason:
            return self._fail(self.tr("Say why it was entered in error."))
        return self._done(lambda: self.mark(reason))
