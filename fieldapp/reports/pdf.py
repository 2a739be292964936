"""The end-of-day report as a PDF, painted with QPainter on a QPdfWriter (so every page gets our own
header and footer), and the same pages painted on a QImage for the on-screen preview.

Layout is done once, in dots of 1/300 inch, as a list of blocks (title, summary, visit table rows,
wrapped text lines, vitals rows, signature images) that are paginated before anything is painted, so
the footer can say "page X of Y". Each footer carries the generation time and the SHA-256 of the
report's canonical content (``DayReportData.digest()``). Needs a QGuiApplication (offscreen is fine).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QImage,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from fieldapp.domain.language import Translate, english
from fieldapp.readmodels.day import DayReportData, local_zone
from fieldapp.reports.layout import (
    CONTENT_BOTTOM,
    CONTENT_TOP,
    DPI,
    FOOTER_H,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_H,
    PAGE_W,
    Block,
    Fonts,
    ImageSource,
    Page,
    draw_rule,
    draw_text,
    draw_text_right,
    pt,
    wrap,
)
from fieldapp.reports.sections import Sections


class DayReportDocument:
    """A laid-out end-of-day report: ``pdf()`` writes it, ``render_page(i)`` previews one page. Its words
    are in the language of ``translate`` (English by default), its dates in ``locale``'s (decision 0030)."""

    def __init__(
        self,
        data: DayReportData,
        images: ImageSource | None = None,
        generated_at: datetime | None = None,
        zone: tzinfo | None = None,
        *,
        translate: Translate = english,
        locale: str = "en_US",
    ) -> None:
        self.data = data
        self.images = images or (lambda _sha: None)
        self.zone = zone or local_zone()
        self.generated_at = (generated_at or datetime.now(self.zone)).astimezone(self.zone)
        self.digest = data.digest()
        self.fonts = Fonts()
        self.translate = translate
        self.sections = Sections(data, self.fonts, self.zone, self.images, translate, locale)
        self.pages = self._paginate(self.sections.blocks())

    def tr(self, text: str) -> str:
        """``text`` in the report's language."""
        return self.translate("DayReportDocument", text)

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
        writer.setTitle(
            self.tr("End-of-day report {worker} {day}").format(
                worker=self.data.worker_name, day=self.data.day.isoformat()
            )
        )
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
        worker = self.data.worker_name or self.tr("worker")
        left = self.tr("End-of-day report · {worker} · {day}").format(
            worker=worker, day=self.sections.day_words()
        )
        draw_text(painter, f.small, MUTED, MARGIN_X, y, left)
        draw_rule(painter, y + QFontMetricsF(f.small).height() + pt(3))

    def _paint_footer(self, painter: QPainter, index: int) -> None:
        f = self.fonts
        top = PAGE_H - MARGIN_BOTTOM - FOOTER_H + pt(8)
        draw_rule(painter, top)
        y: float = top + pt(4)
        generated = self.generated_at.strftime("%Y-%m-%d %H:%M:%S")
        left = self.tr("Generated {time} {zone} by fieldapp on this tablet").format(
            time=generated, zone=self.sections.zone_label()
        )
        draw_text(painter, f.small, MUTED, MARGIN_X, y, left)
        page = self.tr("Page {page} of {pages}").format(page=index + 1, pages=self.page_count)
        draw_text_right(painter, f.small_bold, INK, PAGE_W - MARGIN_X, y, page)
        y += QFontMetricsF(f.small).lineSpacing() + pt(1)
        draw_text(
            painter,
            f.small,
            MUTED,
            MARGIN_X,
            y,
            self.tr("Content SHA-256: {digest}").format(digest=self.digest),
        )


def render_pdf(
    data: DayReportData,
    images: ImageSource | None = None,
    generated_at: datetime | None = None,
    zone: tzinfo | None = None,
    *,
    translate: Translate = english,
    locale: str = "en_US",
) -> bytes:
    """The report as PDF bytes (see ``DayReportDocument`` for the preview)."""
    return DayReportDocument(data, images, generated_at, zone, translate=translate, locale=locale).pdf()


__all__ = ["DayReportDocument", "render_pdf", "wrap"]
