"""Correcting the check-in or check-out time by hand: a reason code is required, the reading is kept."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.entities import Visit
from fieldapp.domain.values import CorrectionReason
from fieldapp.qt.ports import TimeCorrecting
from fieldapp.qt.words import word
from fieldapp.reports.words import CORRECTION_WORDS
from fieldapp.ui.common import TOUCH, add_dialog_buttons, named, titled
from fieldapp.ui.visit.parts import FormDialog, named_label


class TimeCorrectionDialog(FormDialog):
    """Correct the check-in or check-out time by hand: a reason code is required, the reading is kept."""

    def __init__(self, visit: Visit, actions: TimeCorrecting, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        titled(self, "timeCorrectionDialog", self.tr("Correct the visit time"))
        self.visit, self.app_actions = visit, actions
        layout = QVBoxLayout(self)
        layout.addWidget(
            named_label(
                self.tr(
                    "The time recorded by the tablet is kept on the visit; the office sees both, with your "
                    "reason."
                )
            )
        )
        layout.addLayout(self._which(visit))
        layout.addLayout(self._form())
        layout.addWidget(self.error_line())
        cancel = (self.tr("Cancel"), self.tr("Cancel correction"))
        self.save = add_dialog_buttons(layout, self, self.tr("Save correction"), cancel, self.submit)
        self.check_in.toggled.connect(self._preset)
        self._preset()

    def _which(self, visit: Visit) -> QHBoxLayout:
        which = QHBoxLayout()
        self.check_in = QRadioButton(self.tr("Check-in time"))
        self.check_in.setAccessibleName(self.tr("Correct the check-in time"))
        self.check_out = QRadioButton(self.tr("Check-out time"))
        self.check_out.setAccessibleName(self.tr("Correct the check-out time"))
        for radio in (self.check_in, self.check_out):
            radio.setMinimumHeight(TOUCH)
            which.addWidget(radio)
        group = QButtonGroup(self)
        group.addButton(self.check_in)
        group.addButton(self.check_out)
        (self.check_out if visit.effective_check_in is not None else self.check_in).setChecked(True)
        return which

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        self.when = named(QDateTimeEdit(), "correctedTime", self.tr("Corrected time"))
        self.when.setDisplayFormat("dd MMM yyyy  HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setMinimumHeight(TOUCH)
        self.reason = named(QComboBox(), "correctionReason", self.tr("Reason for the correction"))
        self.reason.setMinimumHeight(TOUCH)
        self.reason.addItem(self.tr("Choose a reason…"), None)
        for reason in CorrectionReason:
            self.reason.addItem(word(CORRECTION_WORDS.get(reason.value, reason.value)), reason.value)
        self.comment = named(QLineEdit(), "correctionComment", self.tr("Comment"))
        self.comment.setMaxLength(200)
        self.comment.setMinimumHeight(TOUCH)
        self.comment.setPlaceholderText(self.tr("What happened (required for 'Other')"))
        form.addRow(self.tr("Corrected time"), self.when)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Comment"), self.comment)
        return form

    @property
    def which(self) -> str:
        """``check_in`` or ``check_out``."""
        return "check_in" if self.check_in.isChecked() else "check_out"

    def _preset(self) -> None:
        v = self.visit
        current = v.effective_check_in if self.which == "check_in" else v.effective_check_out
        start = current or (v.scheduled_start if self.which == "check_in" else v.scheduled_end)
        self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(start.timestamp())))

    def corrected_time(self) -> datetime:
        """The time chosen, in UTC."""
        return datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), UTC)

    def submit(self) -> bool:
        """Save the correction (a reason is required; "Other" needs a comment)."""
        code = self.reason.currentData()
        if not code:
            return self._fail(self.tr("Choose the reason for the correction."))
        reason = CorrectionReason(code)
        if reason is CorrectionReason.OTHER and not self.comment.text().strip():
            return self._fail(self.tr("Say what happened: the reason 'Other' needs a comment."))
        comment, when, which = self.comment.text().strip(), self.corrected_time(), self.which
        return self._done(lambda: self.app_actions.correct_time(self.visit.id, which, when, reason, comment))
