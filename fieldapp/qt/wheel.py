"""No value changes under a scrolling finger or wheel: an application-wide event filter sends wheel events
over a spin box, a list of choices or a slider that does not have the keyboard focus to the page under it,
which scrolls. A control takes the wheel only once it was tapped (focused) on purpose.

Qt gives a control with ``WheelFocus`` the focus on the wheel event itself, before any filter sees it, so
the filter also lowers such controls to ``StrongFocus`` (tap or Tab) when they are first polished.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSlider, QAbstractSpinBox, QComboBox, QScrollBar, QWidget

from fieldapp.qt.filters import install_once

GUARDED = (QAbstractSpinBox, QComboBox, QAbstractSlider)


def _guarded(watched: QObject) -> QWidget | None:
    if isinstance(watched, GUARDED) and not isinstance(watched, QScrollBar):
        return watched
    return None


class WheelGuard(QObject):
    """The filter; ``install_wheel_guard`` puts one on the application."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        control = _guarded(watched)
        if control is None:
            return False
        kind = event.type()
        if kind == QEvent.Type.Polish and control.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            control.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent) and not control.hasFocus():
            _to_page(control, event)
            return True  # the control never sees it
        return False


def _to_page(control: QWidget, event: QWheelEvent) -> None:
    """Offer ``event`` to the control's parents in turn, as Qt does with a wheel event nobody took (Qt does
    not pass on an event sent by a program, so the filter does it), until one takes it: the scroll area."""
    widget = control.parentWidget()
    while widget is not None:
        position = QPointF(control.mapTo(widget, event.position().toPoint()))
        moved = QWheelEvent(
            position,
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
            event.source(),
            event.pointingDevice(),
        )
        moved.setAccepted(True)
        QCoreApplication.sendEvent(widget, moved)
        if moved.isAccepted() or widget.isWindow():
            return
        widget = widget.parentWidget()


def install_wheel_guard(app: QCoreApplication) -> WheelGuard:
    """Filter every wheel event of ``app`` (once; returns the guard)."""
    return install_once(app, WheelGuard)
