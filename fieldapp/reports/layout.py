"""The report's page geometry and drawing primitives: sizes in dots of 1/300 inch, colours, fonts,
blocks of known height (laid out once, paginated before anything is painted), word wrap, and the
generic blocks (headings, paragraphs, wrapped lines)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from fieldapp.reports.fonts import report_family

DPI = 300
PAGE_W, PAGE_H = int(8.5 * DPI), 11 * DPI  # US Letter
MARGIN_X = int(0.6 * DPI)
MARGIN_TOP = int(0.5 * DPI)
HEADER_H = int(0.35 * DPI)
FOOTER_H = int(0.55 * DPI)
MARGIN_BOTTOM = int(0.4 * DPI)
CONTENT_W = PAGE_W - 2 * MARGIN_X
CONTENT_TOP = MARGIN_TOP + HEADER_H
CONTENT_BOTTOM = PAGE_H - MARGIN_BOTTOM - FOOTER_H

INK = QColor("#1a1a1a")
MUTED = QColor("#5f6368")
RULE = QColor("#b8bcc2")
ALERT = QColor("#b3261e")
ALERT_BG = QColor("#fce8e6")
OK = QColor("#1e6b34")
OK_BG = QColor("#e6f4ea")
SHADE = QColor("#eef1f4")

ImageSource = Callable[[str], bytes | None]


def pt(size: float) -> int:
    """A font size in points, as pixels of the 300-dpi layout."""
    return round(size * DPI / 72)


class Fonts:
    """The report's fonts, in layout pixels."""

    def __init__(self) -> None:
        family = report_family()

        def make(size: float, bold: bool = False) -> QFont:
            font = QFont(family)
            font.setPixelSize(pt(size))
            font.setBold(bold)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            font.setKerning(True)
            # No ligatures: text copied or searched in the PDF reads "office", not a ligature glyph.
            font.setFeature(QFont.Tag("liga"), 0)
            return font

        self.title = make(20, bold=True)
        self.h1 = make(13, bold=True)
        self.h2 = make(11, bold=True)
        self.body = make(9.5)
        self.bold = make(9.5, bold=True)
        self.small = make(8)
        self.small_bold = make(8, bold=True)
        self.tiny = make(7)
        self.count = make(16, bold=True)


@dataclass
class Block:
    """Something of known height that is painted at (x, y) and never split across pages."""

    height: float
    paint: Callable[[QPainter, float], None]
    keep_with_next: bool = False


@dataclass
class Page:
    """The blocks of one page and where each starts."""

    placed: list[tuple[float, Block]] = field(default_factory=list)


def wrap(text: str, font: QFont, width: float) -> list[str]:
    """Greedy word wrap (paragraphs kept; over-long words broken) measured with ``font``."""
    metrics = QFontMetricsF(font)
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if metrics.horizontalAdvance(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while metrics.horizontalAdvance(word) > width:  # a word longer than the line: break it
                cut = len(word)
                while cut > 1 and metrics.horizontalAdvance(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def heading(text: str, font: QFont, *, keep: bool, rule: bool = False) -> Block:
    """A heading, kept with what follows it when ``keep``; underlined when ``rule``."""
    height = QFontMetricsF(font).lineSpacing() + pt(4)

    def paint(p: QPainter, y: float) -> None:
        draw_text(p, font, INK, MARGIN_X, y, text)
        if rule:
            draw_rule(p, y + height - pt(2), RULE)

    return Block(height + (pt(2) if rule else 0), paint, keep_with_next=keep)


def paragraph(text: str, font: QFont, colour: QColor) -> Block:
    """A wrapped paragraph as one block (never split across pages)."""
    lines = wrap(text, font, CONTENT_W)
    line_h = QFontMetricsF(font).lineSpacing()

    def paint(p: QPainter, y: float) -> None:
        for i, line in enumerate(lines):
            draw_text(p, font, colour, MARGIN_X, y + i * line_h, line)

    return Block(len(lines) * line_h, paint)


def lines(text: str, font: QFont, colour: QColor, *, indent: float = 0, keep: bool = False) -> list[Block]:
    """One block per wrapped line, so long notes flow onto the next page."""
    line_h = QFontMetricsF(font).lineSpacing()
    blocks = []
    for line in wrap(text, font, CONTENT_W - indent):

        def paint(p: QPainter, y: float, line: str = line) -> None:
            draw_text(p, font, colour, MARGIN_X + indent, y, line)

        blocks.append(Block(line_h, paint, keep_with_next=keep))
    return blocks


# -- painting helpers ------------------------------------------------------------------------------------


def draw_text(p: QPainter, font: QFont, colour: QColor, x: float, top: float, text: str) -> None:
    """``text`` with its top at ``top``."""
    p.setFont(font)
    p.setPen(colour)
    p.drawText(QPointF(x, top + QFontMetricsF(font).ascent()), text)


def draw_text_right(p: QPainter, font: QFont, colour: QColor, right: float, top: float, text: str) -> None:
    """``text`` ending at ``right``."""
    width = QFontMetricsF(font).horizontalAdvance(text)
    draw_text(p, font, colour, right - width, top, text)


def draw_rule(p: QPainter, y: float, colour: QColor = RULE) -> None:
    """A hairline across the content width."""
    p.setPen(QPen(colour, pt(0.5)))
    p.drawLine(QPointF(MARGIN_X, y), QPointF(PAGE_W - MARGIN_X, y))


def fit(width: int, height: int, box: QRectF) -> QRectF:
    """An image of ``width`` x ``height`` scaled into ``box``, centred."""
    if width <= 0 or height <= 0:
        return box
    scale = min(box.width() / width, box.height() / height)
    w, h = width * scale, height * scale
    return QRectF(box.x() + (box.width() - w) / 2, box.y() + (box.height() - h) / 2, w, h)
