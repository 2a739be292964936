"""Small pieces the visit screen's panels share: times on the tablet's clock, sized buttons and labels,
the white cards, and a refusal as a sentence."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.errors import DomainError
from fieldapp.qt.i18n import refusal, time_of_day
from fieldapp.ui.common import TOUCH, button, label, set_role


def local(value: datetime | None) -> str:
    """A time of day in the tablet's zone ("09:30"), or a dash."""
    return time_of_day(value) if value is not None else "—"


def signing_mark(written_at: datetime, signed_at: datetime | None) -> str:
    """Where a note or a reading stands to the visit's signature: "added after signing", "signed, locked",
    or "" while the visit is not signed."""
    if signed_at is None:
        return ""
    if written_at > signed_at:
        return QCoreApplication.translate("VisitScreen", "added after signing")
    return QCoreApplication.translate("VisitScreen", "signed, locked")


@contextmanager
def kept_in_place(scroll: QScrollArea, anchor: QWidget) -> Iterator[None]:
    """Whatever the body does (parts appear above ``anchor``, others hide), scroll so that ``anchor`` is
    where it was on the screen: the next tap of a finger lands where the worker saw it land. A button
    the body disabled does not hand its focus on to the next one ("Correct a time…" after "Check in",
    which Enter or a second tap would then open): the focus rests on ``anchor``."""
    viewport = scroll.viewport()
    before = anchor.mapTo(viewport, QPoint(0, 0)).y()
    focused = QApplication.focusWidget()
    yield
    if focused is not None and anchor.isAncestorOf(focused) and QApplication.focusWidget() is not focused:
        anchor.setFocus(Qt.FocusReason.OtherFocusReason)
    for _ in range(2):  # the body's new height, then the scroll area's range: now, not at the next pass
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    bar = scroll.verticalScrollBar()
    bar.setValue(bar.value() + anchor.mapTo(viewport, QPoint(0, 0)).y() - before)


def sized_button(
    text: str, accessible: str, role: str | None = None, width: int = 120, name: str = ""
) -> QPushButton:
    """A touch-sized button at least ``width`` wide, named for the tests and the stylesheet."""
    widget = button(text, accessible, role)
    widget.setMinimumSize(width, TOUCH)
    if name:
        widget.setObjectName(name)
    return widget


def named_label(text: str = "", role: str | None = None, name: str = "", *, wrap: bool = True) -> QLabel:
    """A label with an object name."""
    widget = label(text, role, wrap=wrap)
    if name:
        widget.setObjectName(name)
    return widget


def card(frame: QFrame, title: str, name: str) -> QVBoxLayout:
    """Make ``frame`` a white card with a heading (the stylesheet's ``section`` role); returns its layout."""
    frame.setObjectName(name)
    set_role(frame, "section")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 10, 16, 14)
    layout.setSpacing(8)
    heading = named_label(title, "heading")
    heading.setAccessibleName(title)
    layout.addWidget(heading)
    return layout


def sentence(exc: DomainError) -> str:
    """A domain error as a sentence (validation errors name the field; the message says the rest), in the
    worker's language when the catalogue has the message (``fieldapp.qt.i18n.message``)."""
    text = refusal(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


COLUMN_CHARS = 52  # the width of a column of panels, in average characters of the screen's font


def fit_columns(columns: QBoxLayout, screen: QWidget) -> None:
    """Two columns of panels side by side where they fit their words, else one under the other (a portrait
    screen, the largest text size)."""
    wide = screen.width() >= COLUMN_CHARS * 2 * screen.fontMetrics().averageCharWidth()
    direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
    if columns.direction() != direction:
        columns.setDirection(direction)


def set_shown(widget: QWidget, visible: bool) -> None:
    """Show or hide only when that changes (each change lays the window out again)."""
    if widget.isHidden() == visible:
        widget.setVisible(visible)


class FormDialog(QDialog):
    """A dialog whose form is checked when the worker confirms: what is wrong shows on an error line
    under the form and the dialog stays open; the work done on confirming accepts it."""

    def error_line(self) -> QLabel:
        """The (hidden) line that says what is wrong: add it to the layout under the form."""
        self.error = named_label(role="error", name="formError")
        self.error.hide()
        return self.error

    def _fail(self, message: str) -> bool:
        self.error.setText(message)
        self.error.show()
        return False

    def _done(self, work: Callable[[], object]) -> bool:
        """Do the work: the dialog closes, or says why the work was refused and stays open."""
        try:
            work()
        except DomainError as exc:
            return self._fail(sentence(exc))
        self.accept()
        return True
