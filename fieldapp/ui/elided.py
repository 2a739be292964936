"""``ElidedLabel``: one line that keeps its height whatever its words, shortened with "…" when they do not
fit its width; the whole words stay in its tooltip and its accessible name.

For lines whose place must not change (the sync bar's counts: a line that wrapped when a count grew moved
the page under a finger), and only where the start of the words says what matters ("3 changes not sent
yet · 1 refused by …"): elsewhere labels wrap.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from fieldapp.ui.common import set_role

_RELAYOUT = (QEvent.Type.Show, QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.StyleChange)


class ElidedLabel(QLabel):
    """A one-line label shortened with "…" to its width; ``full_text`` is the words before shortening."""

    def __init__(self, role: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        if role:
            set_role(self, role)

    def set_words(self, text: str) -> None:
        """Show ``text``, shortened if it does not fit; its whole words in the tooltip and for readers."""
        self.full_text = text
        self.setAccessibleName(text)
        self._elide()

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("…") * 4, super().minimumSizeHint().height())

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in _RELAYOUT:  # shown, resized, or another text size
            self._elide()
        return handled

    def _elide(self) -> None:
        # Laid out only once shown: before, the label's width is a default that would cut every line.
        room = self.contentsRect().width() if self.isVisible() else 1 << 20
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, room)
        self.setToolTip(self.full_text if shown != self.full_text else "")
        if shown != self.text():
            self.setText(shown)
