"""Small pieces every screen uses: roles the stylesheet styles, labels, placeholders, relative times.

Looks live in ``resources/style.qss`` only; a widget states what it is (``set_role(w, "allergy")``)
and, where it changes, its state (``set_state(w, "online")``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.qt.i18n import time_of_day

W = TypeVar("W", bound=QWidget)

TOUCH = 44  # px: touch targets (>= 40 effective pixels at 100 % scaling)


def named(widget: W, name: str, accessible: str) -> W:
    """``widget`` with its object name (for tests and the stylesheet) and the name a screen reader says."""
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def set_role(widget: QWidget, role: str) -> QWidget:
    """Tell the stylesheet what ``widget`` is."""
    widget.setProperty("role", role)
    _repolish(widget)
    return widget


def set_state(widget: QWidget, state: str) -> None:
    """Tell the stylesheet which state ``widget`` is in (re-applies the style only on a change)."""
    if widget.property("state") != state:
        widget.setProperty("state", state)
        _repolish(widget)


def set_flag(widget: QWidget, name: str, value: bool) -> None:
    """Set a boolean property the stylesheet selects on (e.g. ``[invalid="true"]``)."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        _repolish(widget)


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def label(text: str = "", role: str | None = None, *, wrap: bool = True, selectable: bool = False) -> QLabel:
    """A label (word-wrapped by default, so it never clips on a narrow portrait screen)."""
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if role:
        set_role(widget, role)
    return widget


def button(text: str, accessible: str, role: str | None = None, *, tip: str = "") -> QPushButton:
    """A push button with its accessible name (and, when given, a description and tooltip)."""
    widget = QPushButton(text)
    widget.setAccessibleName(accessible)
    if tip:
        widget.setToolTip(tip)
        widget.setAccessibleDescription(tip)
    widget.setMinimumSize(TOUCH, TOUCH)
    if role:
        set_role(widget, role)
    return widget


def combo(accessible: str, choices: Sequence[tuple[str | int, str]], current: str | int) -> QComboBox:
    """A touch-sized list of choices, each (data, text), with ``current`` chosen when it is one of them."""
    box = QComboBox()
    box.setAccessibleName(accessible)
    box.setMinimumHeight(TOUCH)
    for data, text in choices:
        box.addItem(text, data)
    box.setCurrentIndex(max(0, box.findData(current)))
    return box


def scrolling(content: QWidget, name: str) -> QScrollArea:
    """``content`` in a vertical scroll area that keeps it as wide as the screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(content)
    area.setAccessibleName(name)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


def section(title: str) -> tuple[QFrame, QVBoxLayout]:
    """A titled card of a page (the stylesheet's "section") and the layout its content goes in."""
    frame = QFrame()
    set_role(frame, "section")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 16)
    layout.setSpacing(8)
    layout.addWidget(label(title, "heading"))
    return frame, layout


def page(parent: QWidget | None = None) -> tuple[QWidget, QVBoxLayout]:
    """A page's root widget and its layout, with the usual margins."""
    root = QWidget(parent)
    root.setObjectName("page")
    layout = QVBoxLayout(root)
    layout.setContentsMargins(20, 16, 20, 16)
    layout.setSpacing(12)
    return root, layout


def scrolled_page(screen: QWidget, name: str) -> tuple[QWidget, QVBoxLayout]:
    """A ``page()`` in a scroll area (``scrolling``, named ``name``) that fills ``screen``: the page's root
    and the layout its content goes in."""
    root, layout = page()
    outer = QVBoxLayout(screen)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scrolling(root, name))
    return root, layout


def column(*widgets: QWidget, spacing: int) -> QWidget:
    """A bare widget (no margins) holding ``widgets`` one under the other, ``spacing`` pixels apart."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return holder


def status_line(role: str, name: str) -> QLabel:
    """A line that says something only when there is something to say (a problem, a wait): hidden until
    then, named ``name`` for screen readers."""
    line = label("", role)
    line.setAccessibleName(name)
    line.setVisible(False)
    return line


def tab_chain(*widgets: QWidget) -> None:
    """Tab (and a keyboard's Next) moves from each of ``widgets`` to the next, in this order."""
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def card_form(name: str, width: int, margin: tuple[int, int], spacing: int) -> tuple[QFrame, QVBoxLayout]:
    """The card of a full-window screen (sign-in, lock, retired) and the column its content goes in:
    named for the stylesheet, ``width`` wide (wrapped text then takes the height it needs), with
    ``margin`` (across, down) inside."""
    card = QFrame()
    card.setObjectName(name)
    card.setFixedWidth(width)
    form = QVBoxLayout(card)
    form.setContentsMargins(margin[0], margin[1], margin[0], margin[1])
    form.setSpacing(spacing)
    return card, form


def full_window(screen: QWidget, title: str, name: str) -> None:
    """Make ``screen`` a full-window screen (sign-in, retired): the page's look, its window title and the
    name a screen reader says."""
    screen.setObjectName("page")
    screen.setWindowTitle(title)
    screen.setAccessibleName(name)


def centre_card(screen: QWidget, card: QWidget) -> None:
    """Lay ``card`` out in the middle of a full-window ``screen`` (sign-in, lock, retired), a little above
    centre, with room around it in both orientations."""
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card)
    row.addStretch(1)
    outer = QVBoxLayout(screen)
    outer.setContentsMargins(24, 24, 24, 24)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)


class PlaceholderPage(QWidget):
    """Stands in for a screen this build does not have yet."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(label(title, "title"))
        layout.addWidget(label(text, "muted"))
        layout.addStretch(1)


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """ "just now", "12 min ago", "3 h ago", "yesterday", "4 days ago"; "never" for None."""
    if when is None:
        return QCoreApplication.translate("Common", "never")
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - when).total_seconds()))
    if seconds < 60:
        return QCoreApplication.translate("Common", "just now")
    if seconds < 3600:
        return QCoreApplication.translate("Common", "{minutes} min ago").format(minutes=seconds // 60)
    if seconds < 86400:
        return QCoreApplication.translate("Common", "{hours} h ago").format(hours=seconds // 3600)
    days = seconds // 86400
    if days == 1:
        return QCoreApplication.translate("Common", "yesterday")
    return QCoreApplication.translate("Common", "{days} days ago").format(days=days)


def local_time(when: datetime) -> str:
    """A time of day on this tablet's clock, e.g. "09:30"."""
    return time_of_day(when)


ButtonText = str | tuple[str, str]
"""A button's text, or (text, accessible name) where a screen reader should hear more than it shows."""


def titled(dialog: QDialog, name: str, title: str) -> None:
    """Name a dialog (``name`` for tests and the stylesheet) and title it: the title is what a screen
    reader says for it too."""
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)


def dialog_buttons(
    dialog: QDialog, accept: ButtonText, reject: ButtonText, on_accept: Callable[[], object]
) -> tuple[QDialogButtonBox, QPushButton]:
    """A dialog's two touch-sized buttons; returns box and accept button."""
    box = QDialogButtonBox()
    yes = box.addButton(_text(accept), QDialogButtonBox.ButtonRole.AcceptRole)
    yes.setAccessibleName(_accessible(accept))
    no = box.addButton(_text(reject), QDialogButtonBox.ButtonRole.RejectRole)
    no.setAccessibleName(_accessible(reject))
    for choice in (yes, no):
        choice.setMinimumSize(120, TOUCH)
    box.accepted.connect(on_accept)
    box.rejected.connect(dialog.reject)
    return box, yes


def add_dialog_buttons(
    layout: QVBoxLayout,
    dialog: QDialog,
    accept: ButtonText,
    reject: ButtonText,
    on_accept: Callable[[], object],
) -> QPushButton:
    """``dialog_buttons`` placed at the foot of ``layout``; returns the accept button."""
    box, yes = dialog_buttons(dialog, accept, reject, on_accept)
    layout.addWidget(box)
    return yes


def _text(text: ButtonText) -> str:
    return text if isinstance(text, str) else text[0]


def _accessible(text: ButtonText) -> str:
    return text if isinstance(text, str) else text[1]
