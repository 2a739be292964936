"""The office's changes to the worker's schedule, shown at the top of Today until the worker has seen them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from fieldapp.qt.i18n import say
from fieldapp.readmodels.notices import NoticeKind, ScheduleNotice
from fieldapp.ui.common import TOUCH, button, label, set_role, set_state

# Cancellations first catch the eye: they change where the worker goes next.
URGENT = (NoticeKind.CANCELLED, NoticeKind.CANCEL_AFTER_START, NoticeKind.REASSIGNED)


class NoticePanel(QFrame):
    """ "Changes from the office": one line per change and one button to mark them all as seen."""

    seen = Signal(list)  # the notice ids the worker acknowledged

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("noticePanel")
        set_role(self, "notices")
        self.setAccessibleName(self.tr("Changes from the office"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        self.title = label("", "heading")
        layout.addWidget(self.title)
        self._lines = QVBoxLayout()
        self._lines.setSpacing(4)
        layout.addLayout(self._lines)
        row = QHBoxLayout()
        self.seen_button = button(
            self.tr("Seen"), self.tr("Mark the changes from the office as seen"), "primary"
        )
        self.seen_button.setMinimumSize(150, TOUCH)
        self.seen_button.clicked.connect(self._acknowledge)
        row.addWidget(self.seen_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.lines: list[QLabel] = []
        self._shown: list[int] = []
        self.show_notices([])

    def show_notices(self, notices: Sequence[ScheduleNotice]) -> None:
        """Show these notices (hidden when there are none)."""
        for line in self.lines:
            self._lines.removeWidget(line)
            line.deleteLater()
        self.lines = []
        for notice in notices:
            text = say(notice.words)
            line = label(("⚠ " if notice.kind in URGENT else "• ") + text, "noticeLine")
            set_state(line, "urgent" if notice.kind in URGENT else "info")
            line.setAccessibleName(text)
            self._lines.addWidget(line)
            self.lines.append(line)
        self._shown = [n.id for n in notices]
        count = len(notices)
        self.title.setText(
            self.tr("1 change from the office")
            if count == 1
            else self.tr("{count} changes from the office").format(count=count)
        )
        self.setVisible(bool(notices))

    def _acknowledge(self) -> None:
        if self._shown:
            self.seen.emit(list(self._shown))
