"""The signature pad: a full-screen page where the patient (or their representative) signs for a visit.

Input: a pen through tablet events (with pressure), a finger through touch events, or a mouse. Tablet
and touch events are accepted, so Qt never also synthesises mouse events from them and no stroke is
drawn twice; a mouse event that says it came from a pen or a touch screen is ignored for the same
reason. Every sample is kept: x, y (pad pixels), t (ms since the first sample) and pressure 0..1 (0.5
for a mouse, or a touch screen that does not measure pressure).

The signer reads what they agree to (the attestation text, saved as the signature's ``meaning``), gives
their name and role, and signs; or the worker records why they could not sign. ``Sign`` renders the
strokes to a PNG (antialiased, line width following pressure) and calls ``Actions.sign``, which saves
the vector strokes and the image and binds them to the visit's content, locking it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QElapsedTimer, QEvent, QIODevice, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QInputDevice,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.errors import DomainError
from fieldapp.domain.values import SignerRole
from fieldapp.reports.words import ROLE_WORDS
from fieldapp.ui.common import TOUCH, button, dialog_buttons, label

MOUSE_PRESSURE = 0.5
MAX_POINTS = 20_000  # what a Signature may hold
INK = QColor("#0b1f4d")


@dataclass(frozen=True, slots=True)
class Sample:
    """One pen, touch or mouse sample."""

    x: float
    y: float
    t: int
    pressure: float

    def as_dict(self) -> dict[str, float]:
        return {
            "x": round(self.x, 2),
            "y": round(self.y, 2),
            "t": self.t,
            "pressure": round(self.pressure, 4),
        }


def stroke_width(pressure: float, scale: float = 1.0) -> float:
    """Line width for a pressure: light touches thin, firm strokes thick."""
    return (0.9 + 3.6 * max(0.0, min(1.0, pressure))) * scale


def paint_strokes(painter: QPainter, strokes: Sequence[Sequence[Sample]], scale: float = 1.0) -> None:
    """Draw strokes with round caps; each segment as wide as the mean pressure of its ends."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for stroke in strokes:
        if not stroke:
            continue
        if len(stroke) == 1:
            s = stroke[0]
            radius = stroke_width(s.pressure, scale) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(INK)
            painter.drawEllipse(QPointF(s.x * scale, s.y * scale), radius, radius)
            continue
        for a, b in itertools.pairwise(stroke):
            pen = QPen(INK, stroke_width((a.pressure + b.pressure) / 2, scale))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawLine(QPointF(a.x * scale, a.y * scale), QPointF(b.x * scale, b.y * scale))


def render_png(strokes: Sequence[Sequence[Sample]], scale: float = 2.0, margin: float = 10.0) -> bytes:
    """The strokes as a PNG cropped to the signature (white background, ``scale`` x pad pixels)."""
    points = [s for stroke in strokes for s in stroke]
    if not points:
        raise ValueError("nothing was drawn")
    left = min(p.x for p in points) - margin
    top = min(p.y for p in points) - margin
    width = max(p.x for p in points) - left + margin
    height = max(p.y for p in points) - top + margin
    image = QImage(max(1, round(width * scale)), max(1, round(height * scale)), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.translate(-left * scale, -top * scale)
        paint_strokes(painter, strokes, scale)
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide wants str
    buffer.close()
    return bytes(data.data())


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
        self.setAccessibleName("Signature area")
        self.setAccessibleDescription("Sign here with the pen, a finger or the mouse")
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
        if not self._real_mouse(event) or self._drawing != "mouse":
            event.ignore()
            return
        event.accept()
        self._add(event.position(), MOUSE_PRESSURE)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._real_mouse(event) or self._drawing != "mouse":
            event.ignore()
            return
        event.accept()
        self._add(event.position(), MOUSE_PRESSURE)
        self._end()

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
                    "Sign above the line",
                )
            paint_strokes(painter, self._strokes)
        finally:
            painter.end()


UNABLE_REASONS = (
    "Patient is physically unable to sign",
    "Patient declined to sign",
    "Patient was asleep or not responsive",
    "No representative present to sign",
)


class UnableToSignDialog(QDialog):
    """Why nobody could sign: a common reason or the worker's own words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unableToSignDialog")
        self.setWindowTitle("Unable to sign")
        self.setAccessibleName("Unable to sign")
        layout = QVBoxLayout(self)
        layout.addWidget(
            label("Why can nobody sign for this visit? This is recorded instead of a signature.")
        )
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reason")
        self.reason.addItems([*UNABLE_REASONS, "Other (write the reason below)"])
        self.reason.setMinimumHeight(TOUCH)
        layout.addWidget(self.reason)
        self.details = QPlainTextEdit()
        self.details.setAccessibleName("Details")
        self.details.setPlaceholderText("Details (required for 'Other')")
        self.details.setMaximumHeight(100)
        layout.addWidget(self.details)
        self.error = label(role="error")
        self.error.setObjectName("formError")
        self.error.hide()
        layout.addWidget(self.error)
        buttons, self.confirm = dialog_buttons(
            self, ("Record reason", "Record reason"), ("Back", "Back to signing"), self._accept
        )
        layout.addWidget(buttons)

    def text(self) -> str:
        """The reason as it is saved (at most 200 characters, one line)."""
        details = " ".join(self.details.toPlainText().split())
        if self.reason.currentIndex() < len(UNABLE_REASONS):
            chosen = self.reason.currentText()
            return (f"{chosen}: {details}" if details else chosen)[:200]
        return details[:200]

    def _accept(self) -> None:
        if not self.text():
            self.error.setText("Write the reason nobody could sign.")
            self.error.show()
            return
        self.accept()


class SignaturePad(QDialog):
    """Full-screen signing for one visit; calls ``actions.sign`` and emits ``signed(list[Change])``."""

    signed = Signal(object)

    def __init__(
        self,
        actions: object,
        visit_id: uuid.UUID,
        *,
        meaning: str,
        signer_name: str = "",
        heading: str = "Signature",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setWindowTitle(heading)
        self.setAccessibleName("Signature pad")
        self.app_actions, self.visit_id, self.meaning = actions, visit_id, meaning
        self.unable_reason = ""
        self.changes: list[object] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(10)
        title = label(heading, "title")
        title.setObjectName("padTitle")
        layout.addWidget(title)
        self.attestation = label(meaning, "attestation")
        self.attestation.setObjectName("attestationText")
        self.attestation.setAccessibleName("What you agree to by signing")
        self.attestation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.attestation)

        form = QFormLayout()
        self.name = QLineEdit(signer_name)
        self.name.setObjectName("signerName")
        self.name.setAccessibleName("Name of the person signing")
        self.name.setMaxLength(100)
        self.name.setMinimumHeight(TOUCH)
        self.role = QComboBox()
        self.role.setObjectName("signerRole")
        self.role.setAccessibleName("Signing as")
        self.role.setMinimumHeight(TOUCH)
        for role in SignerRole:
            self.role.addItem(ROLE_WORDS.get(role.value, role.value), role.value)
        form.addRow("Name of the person signing", self.name)
        form.addRow("Signing as", self.role)
        layout.addLayout(form)

        self.canvas = SignatureCanvas()
        layout.addWidget(self.canvas, stretch=1)

        self.error = label(role="errorBox")
        self.error.setObjectName("formError")
        self.error.hide()
        layout.addWidget(self.error)

        row = QHBoxLayout()
        self.undo_button = self._button("Undo", "Undo the last stroke")
        self.clear_button = self._button("Clear", "Clear the signature")
        self.unable_button = self._button("Unable to sign…", "Record why nobody can sign")
        self.cancel_button = self._button("Cancel", "Cancel signing")
        self.sign_button = self._button("Sign", "Sign and lock the visit", "primary")
        for tool in (self.undo_button, self.clear_button, self.unable_button):
            row.addWidget(tool)
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.sign_button)
        layout.addLayout(row)

        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.unable_button.clicked.connect(self._unable)
        self.cancel_button.clicked.connect(self.reject)
        self.sign_button.clicked.connect(self.sign)
        self.canvas.changed.connect(self._refresh)
        self.name.textChanged.connect(self._refresh)
        self._refresh()

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
            self._show_error("Write the name of the patient or representative who could not sign.")
            return False
        self.unable_reason = reason
        return self._save(strokes=[], png=None, unable_reason=reason)

    def sign(self) -> bool:
        """Render the PNG and save the signature (strokes, image, signer, meaning) through Actions."""
        if self.canvas.is_empty:
            self._show_error("Sign in the white area first.")
            return False
        if not self.name.text().strip():
            self._show_error("Write the name of the person signing.")
            return False
        return self._save(strokes=self.canvas.stroke_dicts(), png=render_png(self.canvas.strokes))

    def _save(
        self, *, strokes: list[list[dict[str, float]]], png: bytes | None, unable_reason: str = ""
    ) -> bool:
        try:
            changes = self.app_actions.sign(  # type: ignore[attr-defined]
                self.visit_id,
                strokes=strokes,
                png=png,
                signer_name=self.name.text().strip(),
                signer_role=self.signer_role,
                meaning=self.meaning,
                unable_reason=unable_reason,
            )
        except DomainError as exc:
            self._show_error(str(exc))
            return False
        self.changes = list(changes)
        self.signed.emit(self.changes)
        self.accept()
        return True

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
