"""The end-of-day report as a PDF, painted with QPainter on a QPdfWriter (so every page gets our own
header and footer), and the same pages painted on a QImage for the on-screen preview.

Layout is done once, in dots of 1/300 inch, as a list of blocks (title, summary, visit table rows,
wrapped text lines, vitals rows, signature images) that are paginated before anything is painted, so
the footer can say "page X of Y". Each footer carries the generation time and the SHA-256 of the
report's canonical content (``DayReportData.digest()``). Needs a QGuiApplication (offscreen is fine).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from fieldapp.readmodels.day import DayReportData, TimeLine, VisitLine, VitalLine, local_zone
from fieldapp.reports.fonts import report_family
from fieldapp.reports.words import KIND_WORDS, LOCATION_WORDS, STATUS_WORDS, unit_text

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


class DayReportDocument:
    """A laid-out end-of-day report: ``pdf()`` writes it, ``render_page(i)`` previews one page."""

    def __init__(
        self,
        data: DayReportData,
        images: ImageSource | None = None,
        generated_at: datetime | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        self.data = data
        self.images = images or (lambda _sha: None)
        self.zone = zone or local_zone()
        self.generated_at = (generated_at or datetime.now(self.zone)).astimezone(self.zone)
        self.digest = data.digest()
        self.fonts = Fonts()
        self.pages = self._paginate(self._blocks())

    @property
    def page_count(self) -> int:
        return len(self.pages)

    # -- output ------------------------------------------------------------------------------------------

    def pdf(self) -> bytes:
        """The report as PDF bytes."""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        writer = QPdfWriter(buffer)
        writer.setResolution(DPI)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        writer.setTitle(f"End-of-day report {self.data.worker_name} {self.data.day.isoformat()}")
        writer.setCreator("fieldapp")
        painter = QPainter(writer)
        try:
            for index in range(self.page_count):
                if index:
                    writer.newPage()
                self._paint_page(painter, index)
        finally:
            painter.end()
        buffer.close()
        return bytes(data.data())

    def render_page(self, index: int = 0, width_px: int = 850) -> QImage:
        """One page as an image ``width_px`` wide (the preview on the end-of-day screen)."""
        scale = width_px / PAGE_W
        image = QImage(width_px, round(PAGE_H * scale), QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.scale(scale, scale)
            self._paint_page(painter, index)
        finally:
            painter.end()
        return image

    # -- pages -------------------------------------------------------------------------------------------

    def _paginate(self, blocks: Sequence[Block]) -> list[Page]:
        pages = [Page()]
        y = float(CONTENT_TOP)
        for i, block in enumerate(blocks):
            needed = block.height
            if block.keep_with_next and (i == 0 or not blocks[i - 1].keep_with_next):
                # A run of blocks kept together (a heading and what it introduces) moves as one.
                j = i
                while j + 1 < len(blocks) and blocks[j].keep_with_next:
                    j += 1
                    needed += blocks[j].height
                needed = min(needed, CONTENT_BOTTOM - CONTENT_TOP)
            if y + needed > CONTENT_BOTTOM and pages[-1].placed:
                pages.append(Page())
                y = float(CONTENT_TOP)
            pages[-1].placed.append((y, block))
            y += block.height
        return pages

    def _paint_page(self, painter: QPainter, index: int) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if index:
            self._paint_header(painter)
        for y, block in self.pages[index].placed:
            block.paint(painter, y)
        self._paint_footer(painter, index)

    def _paint_header(self, painter: QPainter) -> None:
        f = self.fonts
        y = MARGIN_TOP
        left = f"End-of-day report · {self.data.worker_name or 'worker'} · {self._day_words()}"
        _text(painter, f.small, MUTED, MARGIN_X, y, left)
        _rule(painter, y + QFontMetricsF(f.small).height() + pt(3))

    def _paint_footer(self, painter: QPainter, index: int) -> None:
        f = self.fonts
        top = PAGE_H - MARGIN_BOTTOM - FOOTER_H + pt(8)
        _rule(painter, top)
        y: float = top + pt(4)
        generated = self.generated_at.strftime("%Y-%m-%d %H:%M:%S")
        left = f"Generated {generated} {self._zone_label()} by fieldapp on this tablet"
        _text(painter, f.small, MUTED, MARGIN_X, y, left)
        page = f"Page {index + 1} of {self.page_count}"
        _text_right(painter, f.small_bold, INK, PAGE_W - MARGIN_X, y, page)
        y += QFontMetricsF(f.small).lineSpacing() + pt(1)
        _text(painter, f.small, MUTED, MARGIN_X, y, f"Content SHA-256: {self.digest}")

    # -- content -----------------------------------------------------------------------------------------

    def _blocks(self) -> list[Block]:
        blocks = [*self._title(), *self._summary(), *self._visit_table()]
        for visit in self.data.visits:
            blocks.extend(self._visit_detail(visit))
        blocks.extend(self._conflicts())
        return blocks

    def _title(self) -> list[Block]:
        f, d = self.fonts, self.data
        title_h = QFontMetricsF(f.title).lineSpacing()
        sub_h = QFontMetricsF(f.body).lineSpacing()

        def paint(p: QPainter, y: float) -> None:
            _text(p, f.title, INK, MARGIN_X, y, "End-of-day report")
            who = d.worker_name or str(d.worker_id)
            _text(p, f.body, INK, MARGIN_X, y + title_h, f"{who}  ·  {self._day_words()}")
            _text(p, f.small, MUTED, MARGIN_X, y + title_h + sub_h, f"All times {self._zone_label()}")

        return [Block(title_h + sub_h + QFontMetricsF(f.small).lineSpacing() + pt(10), paint)]

    def _summary(self) -> list[Block]:
        f, d, s = self.fonts, self.data, self.data.summary
        cells: list[tuple[str, int, bool]] = [
            ("Visits scheduled", s.visits_scheduled, False),
            ("Completed", s.visits_completed, False),
            ("Missed", s.visits_missed, False),
            ("Not finished", d.unsettled, d.unsettled > 0),
            ("Unsigned", s.visits_unsigned, s.visits_unsigned > 0),
            ("Missing EVV", s.visits_missing_evv, s.visits_missing_evv > 0),
            ("Notes", s.notes, False),
            ("Vitals", s.observations, False),
            ("Unsent changes", s.unsent_changes, s.unsent_changes > 0),
            ("Open conflicts", s.open_conflicts, s.open_conflicts > 0),
        ]
        columns, gap = 5, pt(6)
        cell_w = (CONTENT_W - gap * (columns - 1)) / columns
        cell_h = QFontMetricsF(f.count).lineSpacing() + QFontMetricsF(f.small).lineSpacing() + pt(10)
        rows = (len(cells) + columns - 1) // columns

        def paint(p: QPainter, y: float) -> None:
            for i, (label, value, bad) in enumerate(cells):
                x = MARGIN_X + (i % columns) * (cell_w + gap)
                top = y + (i // columns) * (cell_h + gap)
                p.fillRect(QRectF(x, top, cell_w, cell_h), ALERT_BG if bad else SHADE)
                if bad:
                    p.fillRect(QRectF(x, top, pt(3), cell_h), ALERT)
                _text(p, f.count, ALERT if bad else INK, x + pt(7), top + pt(4), str(value))
                label_y = top + pt(4) + QFontMetricsF(f.count).lineSpacing()
                _text(p, f.small, ALERT if bad else MUTED, x + pt(7), label_y, label)

        grid = Block(rows * cell_h + (rows - 1) * gap + pt(8), paint)
        if d.ready:
            verdict, colour, background = (
                "Ready to submit: every visit is finished or marked missed, signed and verified, "
                "and everything has reached the office.",
                OK,
                OK_BG,
            )
        else:
            verdict, colour, background = (
                "Needs attention: " + "; ".join(self._problems()) + ".",
                ALERT,
                ALERT_BG,
            )
        lines = wrap(verdict, f.bold, CONTENT_W - pt(16))
        line_h = QFontMetricsF(f.bold).lineSpacing()

        def paint_verdict(p: QPainter, y: float) -> None:
            p.fillRect(QRectF(MARGIN_X, y, CONTENT_W, len(lines) * line_h + pt(8)), background)
            for i, line in enumerate(lines):
                _text(p, f.bold, colour, MARGIN_X + pt(8), y + pt(4) + i * line_h, line)

        return [grid, Block(len(lines) * line_h + pt(8) + pt(12), paint_verdict)]

    def _problems(self) -> list[str]:
        d, s = self.data, self.data.summary
        found = []
        if d.unsettled:
            found.append(f"{d.unsettled} visit(s) not finished or marked missed")
        if s.visits_unsigned:
            found.append(f"{s.visits_unsigned} visit(s) not signed")
        if s.visits_missing_evv:
            found.append(f"{s.visits_missing_evv} visit(s) missing visit-verification elements")
        if s.unsent_changes:
            found.append(f"{s.unsent_changes} change(s) not yet sent to the office")
        if d.rejected_changes:
            found.append(f"{d.rejected_changes} change(s) refused by the office")
        if s.open_conflicts:
            found.append(f"{s.open_conflicts} open conflict(s)")
        return found

    # Visits table: (header, share of the width)
    COLUMNS: tuple[tuple[str, float], ...] = (
        ("Time", 0.10),
        ("Patient", 0.24),
        ("Service", 0.09),
        ("Status", 0.11),
        ("In – out", 0.14),
        ("Location", 0.12),
        ("EVV", 0.11),
        ("Signed", 0.09),
    )

    def _visit_table(self) -> list[Block]:
        f = self.fonts
        blocks = [self._heading("Visits", f.h1, keep=True)]
        widths = [share * CONTENT_W for _, share in self.COLUMNS]
        pad = pt(3)
        header_h = QFontMetricsF(f.small_bold).lineSpacing() + 2 * pad

        def paint_header(p: QPainter, y: float) -> None:
            p.fillRect(QRectF(MARGIN_X, y, CONTENT_W, header_h), SHADE)
            x = float(MARGIN_X)
            for (title, _), w in zip(self.COLUMNS, widths, strict=True):
                _text(p, f.small_bold, INK, x + pad, y + pad, title)
                x += w

        blocks.append(Block(header_h, paint_header, keep_with_next=True))
        if not self.data.visits:
            blocks.append(self._paragraph("No visits were scheduled for this day.", f.body, MUTED))
        for visit in self.data.visits:
            blocks.append(self._visit_row(visit, widths, pad))
        blocks.append(Block(pt(14), lambda p, y: None))
        return blocks

    def _visit_row(self, v: VisitLine, widths: list[float], pad: float) -> Block:
        f = self.fonts
        if not v.worked and not v.unsettled:  # missed or cancelled: nothing to verify or sign
            evv, signed = "—", "—"
        else:
            evv = "complete" if not v.missing_evv else "missing: " + ", ".join(map(_short_evv, v.missing_evv))
            signed = "no"
            if v.signature is not None:
                signed = "unable" if v.signature.unable_reason else "yes"
        cells: list[tuple[str, bool]] = [
            (self._time(v.scheduled_start), False),
            (f"{v.patient_name}\n{v.patient_mrn}".strip(), False),
            (v.service_code, False),
            (STATUS_WORDS.get(v.status, v.status), v.unsettled),
            (f"{self._time(v.check_in.effective)} – {self._time(v.check_out.effective)}", False),
            (LOCATION_WORDS.get(v.location or "", "—"), v.worked and v.location is None),
            (evv, v.needs_evv),
            (signed, v.needs_signature),
        ]
        wrapped = [wrap(text, f.small, w - 2 * pad) for (text, _), w in zip(cells, widths, strict=True)]
        line_h = QFontMetricsF(f.small).lineSpacing()
        height = max(len(lines) for lines in wrapped) * line_h + 2 * pad

        def paint(p: QPainter, y: float) -> None:
            x = float(MARGIN_X)
            for (_, bad), lines, w in zip(cells, wrapped, widths, strict=True):
                if bad:
                    p.fillRect(QRectF(x, y, w, height), ALERT_BG)
                for i, line in enumerate(lines):
                    _text(p, f.small, ALERT if bad else INK, x + pad, y + pad + i * line_h, line)
                x += w
            _rule(p, y + height, RULE)

        return Block(height, paint)

    def _visit_detail(self, v: VisitLine) -> list[Block]:
        f = self.fonts
        blocks: list[Block] = [Block(pt(6), lambda p, y: None)]
        title = f"{self._time(v.scheduled_start)}  {v.patient_name}"
        blocks.append(self._heading(title, f.h2, keep=True, rule=True))
        facts = [
            f"Record no. {v.patient_mrn}" if v.patient_mrn else "",
            f"Service {v.service_code}",
            STATUS_WORDS.get(v.status, v.status),
            v.address,
        ]
        settled_unworked = not v.worked and not v.unsettled  # missed or cancelled
        blocks.extend(self._lines(" · ".join(x for x in facts if x), f.small, MUTED, keep=True))
        if settled_unworked:
            blocks.extend(
                self._lines(
                    f"{STATUS_WORDS.get(v.status, v.status)}: the patient was not seen.",
                    f.small,
                    INK,
                    keep=True,
                )
            )
        else:
            blocks.extend(self._lines(self._times_text("Check-in", v.check_in), f.small, INK, keep=True))
            blocks.extend(self._lines(self._times_text("Check-out", v.check_out), f.small, INK, keep=True))
            location = LOCATION_WORDS.get(v.location, v.location) if v.location else "not recorded"
            blocks.extend(self._lines(f"Location: {location}", f.small, INK, keep=True))
        problems = v.problems()
        if problems:
            blocks.extend(self._lines("To fix: " + "; ".join(problems), f.small_bold, ALERT, keep=True))
        blocks.append(Block(pt(4), lambda p, y: None, keep_with_next=True))

        blocks.append(self._heading("Notes", f.bold, keep=True))
        if not v.notes:
            blocks.extend(self._lines("No notes.", f.small, MUTED))
        written = {n.id: n.written_at for n in v.notes}
        for note in v.notes:
            label = f"{self._time(note.written_at)}"
            if note.amends is not None:
                original = written.get(note.amends)
                label += f" · amends the note of {self._time(original)}" if original else " · amendment"
            if note.after_signing:
                label += " · added after signing"
            blocks.extend(self._lines(label, f.small_bold, MUTED, keep=True))
            blocks.extend(self._lines(note.text, f.body, INK, indent=pt(8)))
            blocks.append(Block(pt(3), lambda p, y: None))
        blocks.append(Block(pt(4), lambda p, y: None))

        if settled_unworked and not v.vitals and v.signature is None:
            blocks.append(Block(pt(10), lambda p, y: None))
            return blocks
        blocks.append(self._heading("Vitals", f.bold, keep=True))
        if not v.vitals:
            blocks.extend(self._lines("No vitals recorded.", f.small, MUTED))
        for vital in v.vitals:
            blocks.append(self._vital_row(vital))
        blocks.append(Block(pt(6), lambda p, y: None))

        blocks.append(self._heading("Signature", f.bold, keep=True))
        blocks.extend(self._signature(v))
        blocks.append(Block(pt(10), lambda p, y: None))
        return blocks

    def _vital_row(self, vital: VitalLine) -> Block:
        f = self.fonts
        line_h = QFontMetricsF(f.small).lineSpacing()
        after, in_error = vital.after_signing, vital.entered_in_error
        columns = (
            (self._time(vital.observed_at), 0.10),
            (KIND_WORDS.get(vital.kind, vital.kind), 0.30),
            (f"{vital.value:g} {unit_text(vital.unit)}", 0.18),
            (("entered in error" if in_error else "") + (" added after signing" if after else ""), 0.42),
        )

        def paint(p: QPainter, y: float) -> None:
            x: float = MARGIN_X + pt(8)
            for text, share in columns:
                _text(p, f.small, MUTED if in_error else INK, x, y, text)
                x += share * (CONTENT_W - pt(8))

        return Block(line_h, paint)

    def _signature(self, v: VisitLine) -> list[Block]:
        f = self.fonts
        s = v.signature
        if s is None:
            colour = ALERT if v.needs_signature else MUTED
            return self._lines("Not signed.", f.small_bold if v.needs_signature else f.small, colour)
        blocks: list[Block] = []
        image = QImage()
        if s.image_sha256:
            content = self.images(s.image_sha256)
            if content is not None:
                image.loadFromData(content, "PNG")
        box_w, box_h = 2.6 * DPI, 0.85 * DPI
        text_x = MARGIN_X + box_w + pt(12)
        text_w = CONTENT_W - box_w - pt(12)
        facts = [
            (f"{s.signer_name} ({s.signer_role.replace('_', ' ')})", f.bold, INK),
            (f"Signed {self._time(s.signed_at, seconds=True)}", f.small, INK),
        ]
        if s.unable_reason:
            facts.append((f"Unable to sign: {s.unable_reason}", f.small_bold, ALERT))
        facts.append((f"Agreed to: “{s.meaning}”", f.small, INK))
        facts.append((f"Attests visit content SHA-256 {s.content_sha256}", f.tiny, MUTED))
        if s.image_sha256:
            facts.append((f"Image SHA-256 {s.image_sha256}", f.tiny, MUTED))
        laid = [(line, font, colour) for text, font, colour in facts for line in wrap(text, font, text_w)]
        text_h = sum(QFontMetricsF(font).lineSpacing() for _, font, _ in laid)
        has_box = bool(s.image_sha256) or not s.unable_reason

        def paint(p: QPainter, y: float) -> None:
            if has_box:
                box = QRectF(MARGIN_X, y, box_w, box_h)
                p.setPen(QPen(RULE, pt(0.6)))
                p.drawRect(box)
                if not image.isNull():
                    target = _fit(image.width(), image.height(), box.adjusted(pt(3), pt(3), -pt(3), -pt(3)))
                    p.drawImage(target, image)
                else:
                    _text(
                        p, f.small, ALERT, MARGIN_X + pt(6), y + pt(6), "signature image not on this tablet"
                    )
            ty = y
            x = text_x if has_box else MARGIN_X + pt(8)
            for line, font, colour in laid:
                _text(p, font, colour, x, ty, line)
                ty += QFontMetricsF(font).lineSpacing()

        blocks.append(Block(max(box_h if has_box else 0, text_h) + pt(4), paint))
        return blocks

    def _conflicts(self) -> list[Block]:
        f, d = self.fonts, self.data
        if not d.conflicts and not d.rejected_changes:
            return []
        blocks = [self._heading("Not settled with the office", f.h1, keep=True, rule=True)]
        if d.rejected_changes:
            blocks.extend(
                self._lines(
                    f"{d.rejected_changes} change(s) were refused by the office "
                    "and are set aside on the tablet.",
                    f.body,
                    ALERT,
                )
            )
        for c in d.conflicts:
            what = f"{c.entity.replace('_', ' ')} {str(c.record_id)[:8]} · {c.field.replace('_', ' ')}"
            text = f"Conflict: {what} ({c.reason})"
            blocks.extend(self._lines(text, f.small, INK))
        return blocks

    # -- building blocks ---------------------------------------------------------------------------------

    def _heading(self, text: str, font: QFont, *, keep: bool, rule: bool = False) -> Block:
        height = QFontMetricsF(font).lineSpacing() + pt(4)

        def paint(p: QPainter, y: float) -> None:
            _text(p, font, INK, MARGIN_X, y, text)
            if rule:
                _rule(p, y + height - pt(2), RULE)

        return Block(height + (pt(2) if rule else 0), paint, keep_with_next=keep)

    def _paragraph(self, text: str, font: QFont, colour: QColor) -> Block:
        lines = wrap(text, font, CONTENT_W)
        line_h = QFontMetricsF(font).lineSpacing()

        def paint(p: QPainter, y: float) -> None:
            for i, line in enumerate(lines):
                _text(p, font, colour, MARGIN_X, y + i * line_h, line)

        return Block(len(lines) * line_h, paint)

    def _lines(
        self, text: str, font: QFont, colour: QColor, *, indent: float = 0, keep: bool = False
    ) -> list[Block]:
        """One block per wrapped line, so long notes flow onto the next page."""
        line_h = QFontMetricsF(font).lineSpacing()
        blocks = []
        for line in wrap(text, font, CONTENT_W - indent):

            def paint(p: QPainter, y: float, line: str = line) -> None:
                _text(p, font, colour, MARGIN_X + indent, y, line)

            blocks.append(Block(line_h, paint, keep_with_next=keep))
        return blocks

    def _times_text(self, label: str, t: TimeLine) -> str:
        if t.effective is None:
            return f"{label}: not recorded"
        text = f"{label}: {self._time(t.effective)}"
        if t.correction_reason is not None:
            recorded = self._time(t.recorded) if t.recorded is not None else "none"
            why = t.correction_reason.replace("_", " ")
            text += f" (corrected by hand, reason: {why}"
            text += f", “{t.correction_comment}”" if t.correction_comment else ""
            text += f"; recorded reading: {recorded})"
        return text

    def _time(self, value: datetime | None, *, seconds: bool = False) -> str:
        if value is None:
            return "—"
        return value.astimezone(self.zone).strftime("%H:%M:%S" if seconds else "%H:%M")

    def _day_words(self) -> str:
        return f"{self.data.day.strftime('%A')} {self.data.day.day} {self.data.day.strftime('%B %Y')}"

    def _zone_label(self) -> str:
        return f"({self.data.zone})"


# -- painting helpers ------------------------------------------------------------------------------------


def _text(p: QPainter, font: QFont, colour: QColor, x: float, top: float, text: str) -> None:
    p.setFont(font)
    p.setPen(colour)
    p.drawText(QPointF(x, top + QFontMetricsF(font).ascent()), text)


def _text_right(p: QPainter, font: QFont, colour: QColor, right: float, top: float, text: str) -> None:
    width = QFontMetricsF(font).horizontalAdvance(text)
    _text(p, font, colour, right - width, top, text)


def _rule(p: QPainter, y: float, colour: QColor = RULE) -> None:
    p.setPen(QPen(colour, pt(0.5)))
    p.drawLine(QPointF(MARGIN_X, y), QPointF(PAGE_W - MARGIN_X, y))


def _fit(width: int, height: int, box: QRectF) -> QRectF:
    if width <= 0 or height <= 0:
        return box
    scale = min(box.width() / width, box.height() / height)
    w, h = width * scale, height * scale
    return QRectF(box.x() + (box.width() - w) / 2, box.y() + (box.height() - h) / 2, w, h)


def _short_evv(element: str) -> str:
    return {
        "date of service": "date",
        "location of service": "location",
        "begin and end times": "times",
        "type of service": "service",
        "person receiving the service": "recipient",
        "person providing the service": "provider",
    }.get(element, element)


def render_pdf(
    data: DayReportData,
    images: ImageSource | None = None,
    generated_at: datetime | None = None,
    zone: tzinfo | None = None,
) -> bytes:
    """The report as PDF bytes (see ``DayReportDocument`` for the preview)."""
    return DayReportDocument(data, images, generated_at, zone).pdf()


__all__ = ["DayReportDocument", "render_pdf", "wrap"]
