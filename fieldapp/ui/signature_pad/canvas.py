"""The drawing surface: a pen through tablet events (with pressure), a finger through touch events, or a
mouse. Tablet and touch events are accepted, so Qt never also synthesises mouse events from them and no
stroke is drawn twice; a mouse event that says it came from a pen or a touch screen is ignored for the
same reason.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QInputDevice,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from fieldapp.ui.signature_pad.ink import MAX_POINTS, MOUSE_PRESSURE, Sample, paint_strokes


def _from_pen_or_touch(device: QInputDevice | None) -> bool:
    return device is not None and device.type() in (
        QInputDevice.DeviceType.Stylus,
        QInputDevice.DeviceType.Airbrush,
        QInputDevice.DeviceType.Puck,
        QInputDevice.DeviceType.TouchScreen,
    )


class SignatureCanvas(QWidget):
    """The drawing surface. ``strokes`` holds every sample; ``changed`` fires after each stroke edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signatureCanvas")
        self.setAccessibleName(self.tr("Signature area"))
        self.setAccessibleDescription(self.tr("Sign here with the pen, a finger or the mouse"))
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(480, 220)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._strokes: list[list[Sample]] = []
        self._drawing: str | None = None  # "pen", "touch" or "mouse" while a stroke is open
        self._touch_id: int | None = None
        self._clock = QElapsedTimer()
        self.samples_by_source: dict[str, int] = {"pen": 0, "touch": 0, "mouse": 0}

    # -- the strokes -------------------------------------------------------------------------------------

    @property
    def strokes(self) -> list[list[Sample]]:
        return [list(s) for s in self._strokes]

    def stroke_dicts(self) -> list[list[dict[str, float]]]:
        """The strokes as ``Actions.sign`` takes them."""
        return [[s.as_dict() for s in stroke] for stroke in self._strokes]

    @property
    def is_empty(self) -> bool:
        return not any(self._strokes)

    @property
    def point_count(self) -> int:
        return sum(len(s) for s in self._strokes)

    def clear(self) -> None:
        self._strokes.clear()
        self._drawing = None
        self._clock.invalidate()
        self.update()
        self.changed.emit()

    def undo(self) -> None:
        """Remove the last stroke."""
        if self._strokes:
            self._strokes.pop()
            self._drawing = None
            self.update()
            self.changed.emit()

    def _start(self, source: str, pos: QPointF, pressure: float) -> None:
        if self.point_count >= MAX_POINTS:
            return
        if not self._clock.isValid():
            self._clock.start()
        self._drawing = source
        self._strokes.append([])
        self._add(pos, pressure)

    def _add(self, pos: QPointF, pressure: float) -> None:
        if not self._strokes or self.point_count >= MAX_POINTS:
            return
        t = int(self._clock.elapsed()) if self._clock.isValid() else 0
        sample = Sample(pos.x(), pos.y(), min(t, 3_600_000), max(0.0, min(1.0, pressure)))
        stroke = self._strokes[-1]
        if stroke and (stroke[-1].x, stroke[-1].y, stroke[-1].pressure) == (
            sample.x,
            sample.y,
            sample.pressure,
        ):
            return  # a repeated sample adds nothing
        stroke.append(sample)
        if self._drawing:
            self.samples_by_source[self._drawing] += 1
        self.update()

    def _end(self) -> None:
        if self._drawing is None:
            return
        self._drawing = None
        if self._strokes and not self._strokes[-1]:
            self._strokes.pop()
        self.changed.emit()

    # -- pen ---------------------------------------------------------------------------------------------

    def tabletEvent(self, event: QTabletEvent) -> None:
        # Accepted, always: an ignored tablet event makes Qt send the same movement again as mouse events.
        event.accept()
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._start("pen", event.position(), event.pressure())
        elif kind == QEvent.Type.TabletMove and self._drawing == "pen":
            self._add(event.position(), event.pressure())
        elif kind == QEvent.Type.TabletRelease and self._drawing == "pen":
            self._add(event.position(), event.pressure())
            self._end()

    # -- finger ------------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QTouchEvent):
            self._touch(event)
            event.accept()  # accepted, so Qt synthesises no mouse events from it
            return True
        return super().event(event)

    def _touch(self, event: QTouchEvent) -> None:
        points = event.points()
        if event.type() == QEvent.Type.TouchCancel:
            self._touch_id = None
            self._end()
            return
        if not points:
            return
        device = event.pointingDevice()
        measures = device is not None and bool(device.capabilities() & QInputDevice.Capability.Pressure)
        if self._touch_id is None and event.type() == QEvent.Type.TouchBegin:
            self._touch_id = points[0].id()
        point = next((p for p in points if p.id() == self._touch_id), None)
        if point is None:
            return  # other fingers (a palm, a second finger) are not part of the signature
        pressure = point.pressure() if measures and point.pressure() > 0 else MOUSE_PRESSURE
        state = point.state()
        if state == point.State.Pressed and self._drawing is None:
            self._start("touch", point.position(), pressure)
        elif state in (point.State.Updated, point.State.Stationary) and self._drawing == "touch":
            self._add(point.position(), pressure)
        elif state == point.State.Released:
            if self._drawing == "touch":
                self._add(point.position(), pressure)
                self._end()
            self._touch_id = None

    # -- mouse -------------------------------------------------------------------------------------------

    def _real_mouse(self, event: QMouseEvent) -> bool:
        if _from_pen_or_touch(event.device()):
            return False
        return event.source() == Qt.MouseEventSource.MouseEventNotSynthesized

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self._real_mouse(event) or event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        event.accept()
        if self._drawing is None:
            self._start("mouse", event.position(), MOUSE_PRESSURE)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._mouse_stroke_to(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._mouse_stroke_to(event):
            self._end()

    def _mouse_stroke_to(self, event: QMouseEvent) -> bool:
        """Carry the mouse's stroke on to ``event``; False (the event ignored) when no mouse stroke is
        being drawn or the event is not a real mouse's."""
        if not self._real_mouse(event) or self._drawing != "mouse":
            event.ignore()
            return False
        event.accept()
        self._add(event.position(), MOUSE_PRESSURE)
        return True

    # -- painting ----------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("white"))
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            baseline = self.height() * 0.78
            painter.setPen(QPen(QColor("#9aa3ad"), 1.5))
            painter.drawLine(QPointF(32, baseline), QPointF(self.width() - 32, baseline))
            painter.setPen(QColor("#5f6368"))
            font = painter.font()
            font.setPointSizeF(20)
            painter.setFont(font)
            painter.drawText(QPointF(36, baseline - 10), "×")
            font.setPointSizeF(11)
            painter.setFont(font)
            if self.is_empty:
                painter.drawText(
                    QRectF(0, baseline + 8, self.width(), 30),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    self.tr("Sign above the line"),
                )
            paint_strokes(painter, self._strokes)
        finally:
            painter.end()
