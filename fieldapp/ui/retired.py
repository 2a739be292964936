"""The retired-tablet screen: the office removed this tablet from service and its data has been erased.

Shown full-window instead of everything else, right after a sync learns of the retirement (while the
erase finishes in the background) and at every later start until someone sets the tablet up again. It
says why the tablet is empty (``Retirement.message``) and offers "Set up again", which goes back to an
empty sign-in. The screen only shows what its ``RetirementService`` (``fieldapp.qt.retirement``) says.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QProgressBar, QWidget

from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.qt.i18n import message
from fieldapp.qt.retirement import RetirementService
from fieldapp.ui.common import button, card_form, centre_card, full_window, label

TITLE = QT_TRANSLATE_NOOP("RetiredScreen", "This tablet was removed from service")
ERASING = QT_TRANSLATE_NOOP("RetiredScreen", "Erasing this tablet's patient records, files and keys…")
TOUCH_BIG = 48


class RetiredScreen(QWidget):
    """Why the tablet is empty, and "Set up again"."""

    def __init__(self, service: RetirementService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        full_window(self, self.tr("fieldapp – removed from service"), self.tr("Tablet removed from service"))
        self.service = service
        self._build()
        service.finished.connect(self._show_message)
        if service.message is not None and not service.erasing:
            self._show_message(service.message)
        else:
            self._show_erasing()

    def _build(self) -> None:
        self.title = label(self.tr(TITLE), "title")
        self.message = label("", None, selectable=True)
        self.message.setAccessibleName(self.tr("What happened"))
        self.busy = QProgressBar()
        self.busy.setAccessibleName(self.tr("Erasing"))
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.next_steps = label(
            self.tr(
                'Once the office has set it up for a worker, tap "Set up again" and sign in with the account '
                "they give you: the tablet gets a new identity and downloads that worker's records."
            ),
            "muted",
        )
        self.set_up_button = button(self.tr("Set up again"), self.tr("Set up this tablet again"), "primary")
        self.set_up_button.setMinimumSize(200, TOUCH_BIG)
        self.set_up_button.clicked.connect(self.service.set_up_again)

        card, form = card_form("retiredCard", 620, (36, 32), 14)
        form.addWidget(self.title)
        form.addWidget(self.message)
        form.addWidget(self.busy)
        form.addWidget(self.next_steps)
        form.addSpacing(6)
        form.addWidget(self.set_up_button, 0, Qt.AlignmentFlag.AlignLeft)
        centre_card(self, card)

    def _show_erasing(self) -> None:
        self.message.setText(self.tr(ERASING))
        self.busy.setVisible(True)
        self.set_up_button.setEnabled(False)

    @Slot(str)
    def _show_message(self, text: str) -> None:
        self.message.setText(message(text))
        self.busy.setVisible(False)
        self.set_up_button.setEnabled(True)
        self.set_up_button.setFocus(Qt.FocusReason.OtherFocusReason)
