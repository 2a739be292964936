"""Ink: the samples a signature is made of, how they are drawn, and the PNG that is kept.

Every sample is kept: x, y (pad pixels), t (ms since the first sample) and pressure 0..1 (0.5 for a mouse,
or a touch screen that does not measure pressure). The line width follows the pressure.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter, QPen

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
    QImageWriter(buffer, QByteArray(b"PNG")).write(image)  # QImage.save's stub and PySide disagree
    buffer.close()
    return bytes(data.data())
