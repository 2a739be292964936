"""The pad: what the signer agrees to, their name and role, the canvas, and "Sign" (or why nobody could).

``Sign`` renders the strokes to a PNG and calls ``Signing.sign`` (``Actions.sign``), which saves the
vector strokes and the image and binds them to the visit's content, locking it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.errors import DomainError
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.values import SignerRole
from fieldapp.qt.i18n import refusal
from fieldapp.qt.ports import RecordChange, Signing, Strokes
from fieldapp.reports.words import ROLE_WORDS
from fieldapp.ui.common import TOUCH, add_dialog_buttons, button, label, named, titled
from fieldapp.ui.signature_pad.canvas import SignatureCanvas
from fieldapp.ui.signature_pad.ink import render_png

# Saved in English (the office reads them the same from every tablet), shown in the worker's language.
UNABLE_REASONS = (
    QT_TRANSLATE_NOOP("UnableToSignDialog", "Patient is physically unable to sign"),
    QT_TRANSLATE_NOOP("UnableToSignDialog", "Patient declined to sign"),
    QT_TRANSLATE_NOOP("UnableToSignDialog", "Patient was asleep or not responsive"),
    QT_TRANSLATE_NOOP("UnableToSignDialog", "No representative present to sign"),
)
# The signer's role as the pad shows it (fieldapp.reports.words.ROLE_WORDS writes the report's English).
SIGNER_WORDS = {
    "patient": QT_TRANSLATE_NOOP("SignaturePad", "Patient"),
    "spouse": QT_TRANSLATE_NOOP("SignaturePad", "Spouse"),
    "child": QT_TRANSLATE_NOOP("SignaturePad", "Son or daughter"),
    "parent": QT_TRANSLATE_NOOP("SignaturePad", "Parent"),
    "legal_guardian": QT_TRANSLATE_NOOP("SignaturePad", "Legal guardian"),
    "caregiver": QT_TRANSLATE_NOOP("SignaturePad", "Caregiver"),
    "other": QT_TRANSLATE_NOOP("SignaturePad", "Other representative"),
}


class UnableToSignDialog(QDialog):
    """Why nobody could sign: a common reason or the worker's own words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        titled(self, "unableToSignDialog", self.tr("Unable to sign"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            label(self.tr("Why can nobody sign for this visit? This is recorded instead of a signature."))
        )
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Reason"))
        for reason in UNABLE_REASONS:
            self.reason.addItem(self.tr(reason), reason)
        self.reason.addItem(self.tr("Other (write the reason below)"), "")
        self.reason.setMinimumHeight(TOUCH)
        layout.addWidget(self.reason)
        self.details = QPlainTextEdit()
        self.details.setAccessibleName(self.tr("Details"))
        self.details.setPlaceholderText(self.tr("Details (required for 'Other')"))
        self.details.setMaximumHeight(100)
        layout.addWidget(self.details)
        self.error = label(role="error")
        self.error.setObjectName("formError")
        self.error.hide()
        layout.addWidget(self.error)
        back = (self.tr("Back"), self.tr("Back to signing"))
        self.confirm = add_dialog_buttons(layout, self, self.tr("Record reason"), back, self._accept)

    def text(self) -> str:
        """The reason as it is saved (at most 200 characters, one line)."""
        details = " ".join(self.details.toPlainText().split())
        if self.reason.currentIndex() < len(UNABLE_REASONS):
            chosen = str(self.reason.currentData())
            return (f"{chosen}: {details}" if details else chosen)[:200]
        return details[:200]

    def _accept(self) -> None:
        if not self.text():
            self.error.setText(self.tr("Write the reason nobody could sign."))
            self.error.show()
            return
        self.accept()


class SignaturePad(QDialog):
    """Full-screen signing for one visit; calls ``actions.sign`` and emits ``signed(list[Change])``."""

    signed = Signal(object)

    def __init__(
        self,
        actions: Signing,
        visit_id: uuid.UUID,
        *,
        meaning: str,
        signer_name: str = "",
        heading: str = "",
        parent: QWidget | None = None,
        summary: Sequence[str] = (),
    ) -> None:
        """``summary`` is what is attested, a line each (notes, vital signs, tasks' outcomes), shown in a
        scrolling box above the signing area."""
        super().__init__(parent)
        heading = heading or self.tr("Signature")
        self.setObjectName("signaturePad")
        self.setWindowTitle(heading)
        self.setAccessibleName(self.tr("Signature pad"))
        self.app_actions, self.visit_id, self.meaning = actions, visit_id, meaning
        self.unable_reason = ""
        self.changes: list[RecordChange] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)  # resizeEvent counts on these
        layout.setSpacing(10)
        title = label(heading, "title")
        title.setObjectName("padTitle")
        layout.addWidget(title)
        self.attestation = label(meaning, "attestation")
        self.attestation.setObjectName("attestationText")
        self.attestation.setAccessibleName(self.tr("What you agree to by signing"))
        self.attestation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.attestation)
        self.summary_box = self._summary(summary)
        layout.addWidget(self.summary_box)
        layout.addLayout(self._signer(signer_name))
        self.canvas = SignatureCanvas()
        layout.addWidget(self.canvas, stretch=1)
        self.error = label(role="errorBox")
        self.error.setObjectName("formError")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addLayout(self._buttons())
        self.canvas.changed.connect(self._refresh)
        self.name.textChanged.connect(self._refresh)
        self._refresh()

    def _summary(self, lines: Sequence[str]) -> QScrollArea:
        # The signer sees what they sign for, not only how many notes and vitals ("the 1 note(s) and 4
        # vital sign(s) shown"): each line, scrolled by a finger when long; the canvas keeps most room.
        self.summary = label("\n".join(f"• {line}" for line in lines) or self.tr("Nothing recorded yet."))
        self.summary.setObjectName("attestedSummary")
        self.summary.setAccessibleName(self.tr("What was recorded at this visit"))
        box = QScrollArea()
        box.setObjectName("attestedSummaryBox")
        box.setWidgetResizable(True)
        box.setWidget(self.summary)
        box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        box.setMinimumHeight(72)
        box.setMaximumHeight(170)
        QScroller.grabGesture(box.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        return box

    def open_full_screen(self) -> None:
        """Open over the whole screen, with or without a window manager: the size is set here, not left
        to one (without, the pad came up at its smallest with its buttons over the canvas)."""
        owner = self.parentWidget()
        screen = owner.screen() if owner is not None else self.screen()
        self.setGeometry(screen.geometry())
        self.setWindowState(Qt.WindowState.WindowFullScreen)
        self.open()

    def _signer(self, signer_name: str) -> QFormLayout:
        form = QFormLayout()
        self.name = named(QLineEdit(signer_name), "signerName", self.tr("Name of the person signing"))
        self.name.setMaxLength(100)
        self.name.setMinimumHeight(TOUCH)
        self.role = named(QComboBox(), "signerRole", self.tr("Signing as"))
        self.role.setMinimumHeight(TOUCH)
        for role in SignerRole:
            words = SIGNER_WORDS.get(role.value)
            self.role.addItem(self.tr(words) if words else ROLE_WORDS.get(role.value, role.value), role.value)
        form.addRow(self.tr("Name of the person signing"), self.name)
        form.addRow(self.tr("Signing as"), self.role)
        return form

    def _buttons(self) -> QBoxLayout:
        """Tools on the left, Cancel and Sign on the right; on a narrow screen (portrait, large text, longer
        words) Cancel and Sign go on a row of their own under the tools (``resizeEvent``)."""
        tools, finish = QHBoxLayout(), QHBoxLayout()
        self.undo_button = self._button(self.tr("Undo"), self.tr("Undo the last stroke"))
        self.clear_button = self._button(self.tr("Clear"), self.tr("Clear the signature"))
        self.unable_button = self._button(self.tr("Unable to sign…"), self.tr("Record why nobody can sign"))
        self.cancel_button = self._button(self.tr("Cancel"), self.tr("Cancel signing"))
        self.sign_button = self._button(self.tr("Sign"), self.tr("Sign and lock the visit"), "primary")
        for tool in (self.undo_button, self.clear_button, self.unable_button):
            tools.addWidget(tool)
        tools.addStretch(1)
        finish.addStretch(1)
        finish.addWidget(self.cancel_button)
        finish.addWidget(self.sign_button)
        self._tools, self._finish = tools, finish
        self._button_rows = row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        row.addLayout(tools, 1)
        row.addLayout(finish)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.unable_button.clicked.connect(self._unable)
        self.cancel_button.clicked.connect(self.reject)
        self.sign_button.clicked.connect(self.sign)
        return row

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        room = self.contentsRect().width() - 48  # the layout's margins: 24 px a side
        needed = (
            self._tools.sizeHint().width() + self._finish.sizeHint().width() + self._button_rows.spacing()
        )
        narrow = needed > room
        self._button_rows.setDirection(
            QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        )

    def _button(self, text: str, accessible: str, role: str | None = None) -> QPushButton:
        widget = button(text, accessible, role)
        widget.setMinimumSize(120, TOUCH + 4)
        widget.setAutoDefault(False)
        return widget

    def _refresh(self) -> None:
        has_ink = not self.canvas.is_empty
        self.undo_button.setEnabled(has_ink)
        self.clear_button.setEnabled(has_ink)
        self.sign_button.setEnabled(has_ink and bool(self.name.text().strip()))

    @property
    def signer_role(self) -> SignerRole:
        return SignerRole(self.role.currentData())  # Qt hands item data back as a plain string

    def _unable(self) -> None:
        dialog = UnableToSignDialog(self)
        dialog.accepted.connect(lambda: self.record_unable(dialog.text()))
        dialog.open()

    def record_unable(self, reason: str) -> bool:
        """Save "unable to sign" with ``reason`` instead of strokes (the worker's name may stand in)."""
        if not self.name.text().strip():
            self._show_error(self.tr("Write the name of the patient or representative who could not sign."))
            return False
        self.unable_reason = reason
        return self._save(strokes=[], png=None, unable_reason=reason)

    def sign(self) -> bool:
        """Render the PNG and save the signature (strokes, image, signer, meaning) through Actions."""
        if self.canvas.is_empty:
            self._show_error(self.tr("Sign in the white area first."))
            return False
        if not self.name.text().strip():
            self._show_error(self.tr("Write the name of the person signing."))
            return False
        return self._save(strokes=self.canvas.stroke_dicts(), png=render_png(self.canvas.strokes))

    def _save(self, *, strokes: Strokes, png: bytes | None, unable_reason: str = "") -> bool:
        try:
            changes = self.app_actions.sign(
                self.visit_id,
                strokes=strokes,
                png=png,
                signer_name=self.name.text().strip(),
                signer_role=self.signer_role,
                meaning=self.meaning,
                unable_reason=unable_reason,
            )
        except DomainError as exc:
            self._show_error(refusal(exc))
            return False
        self.changes = list(changes)
        self.signed.emit(self.changes)
        self.accept()
        return True

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
