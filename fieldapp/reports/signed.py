"""The report's signature block of one visit: the image beside who signed, as what and when, what they
agreed to and the digests it attests (or why nobody could sign). A part of ``Sections``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF, QImage, QPainter, QPen

from fieldapp.domain.language import Translate
from fieldapp.readmodels.day import VisitLine
from fieldapp.reports.layout import (
    ALERT,
    CONTENT_W,
    DPI,
    INK,
    MARGIN_X,
    MUTED,
    RULE,
    Block,
    Fonts,
    ImageSource,
    draw_text,
    fit,
    lines,
    pt,
    wrap,
)
from fieldapp.reports.words import ROLE_WORDS


class SignatureSection:
    """The signature block; ``Sections`` provides the attributes below."""

    fonts: Fonts
    images: ImageSource
    translate: Translate
    word: Callable[[str], str]
    time: Callable[..., str]

    def _signature(self, v: VisitLine) -> list[Block]:
        f = self.fonts
        s = v.signature
        if s is None:
            colour = ALERT if v.needs_signature else MUTED
            return lines(
                self.translate("Sections", "Not signed."),
                f.small_bold if v.needs_signature else f.small,
                colour,
            )
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
            (f"{s.signer_name} ({self.word(ROLE_WORDS.get(s.signer_role, s.signer_role))})", f.bold, INK),
            (
                self.translate("Sections", "Signed {time}").format(time=self.time(s.signed_at, seconds=True)),
                f.small,
                INK,
            ),
        ]
        if s.unable_reason:
            reason = self.translate("UnableToSignDialog", s.unable_reason)
            facts.append(
                (
                    self.translate("Sections", "Unable to sign: {reason}").format(reason=reason),
                    f.small_bold,
                    ALERT,
                )
            )
        facts.append(
            (self.translate("Sections", "Agreed to: “{meaning}”").format(meaning=s.meaning), f.small, INK)
        )
        facts.append(
            (
                self.translate("Sections", "Attests visit content SHA-256 {digest}").format(
                    digest=s.content_sha256
                ),
                f.tiny,
                MUTED,
            )
        )
        if s.image_sha256:
            facts.append(
                (
                    self.translate("Sections", "Image SHA-256 {digest}").format(digest=s.image_sha256),
                    f.tiny,
                    MUTED,
                )
            )
        laid = [(line, font, colour) for text, font, colour in facts for line in wrap(text, font, text_w)]
        text_h = sum(QFontMetricsF(font).lineSpacing() for _, font, _ in laid)
        has_box = bool(s.image_sha256) or not s.unable_reason

        def paint(p: QPainter, y: float) -> None:
            if has_box:
                box = QRectF(MARGIN_X, y, box_w, box_h)
                p.setPen(QPen(RULE, pt(0.6)))
                p.drawRect(box)
                if not image.isNull():
                    target = fit(image.width(), image.height(), box.adjusted(pt(3), pt(3), -pt(3), -pt(3)))
                    p.drawImage(target, image)
                else:
                    draw_text(
                        p,
                        f.small,
                        ALERT,
                        MARGIN_X + pt(6),
                        y + pt(6),
                        self.translate("Sections", "signature image not on this tablet"),
                    )
            ty = y
            x = text_x if has_box else MARGIN_X + pt(8)
            for line, font, colour in laid:
                draw_text(p, font, colour, x, ty, line)
                ty += QFontMetricsF(font).lineSpacing()

        blocks.append(Block(max(box_h if has_box else 0, text_h) + pt(4), paint))
        return blocks
