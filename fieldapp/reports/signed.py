"""The report's signature block of one visit: the image beside who signed, as what and when, what they
agreed to and the digests it attests (or why nobody could sign). A part of ``Sections``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from fieldapp.domain.language import Translate
from fieldapp.readmodels.day import SignatureLine, VisitLine
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
        image = self._signature_image(s)
        box_w, box_h = 2.6 * DPI, 0.85 * DPI
        text_x = MARGIN_X + box_w + pt(12)
        text_w = CONTENT_W - box_w - pt(12)
        facts = self._signature_facts(s)
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
                    missing = self.translate("Sections", "signature image not on this tablet")
                    draw_text(p, f.small, ALERT, MARGIN_X + pt(6), y + pt(6), missing)
            ty = y
            x = text_x if has_box else MARGIN_X + pt(8)
            for line, font, colour in laid:
                draw_text(p, font, colour, x, ty, line)
                ty += QFontMetricsF(font).lineSpacing()

        return [Block(max(box_h if has_box else 0, text_h) + pt(4), paint)]

    def _signature_image(self, s: SignatureLine) -> QImage:
        """The signature's PNG as kept on this tablet (a null image when it is not)."""
        image = QImage()
        if s.image_sha256:
            content = self.images(s.image_sha256)
            if content is not None:
                image.loadFromData(content, "PNG")
        return image

    def _signature_facts(self, s: SignatureLine) -> list[tuple[str, QFont, QColor]]:
        """The lines beside the image: who signed, as what and when, why not, what and which digests."""
        f = self.fonts
        role = self.word(ROLE_WORDS.get(s.signer_role, s.signer_role))
        signed = self.translate("Sections", "Signed {time}").format(time=self.time(s.signed_at, seconds=True))
        facts = [(f"{s.signer_name} ({role})", f.bold, INK), (signed, f.small, INK)]
        if s.unable_reason:
            reason = self.translate("UnableToSignDialog", s.unable_reason)
            unable = self.translate("Sections", "Unable to sign: {reason}").format(reason=reason)
            facts.append((unable, f.small_bold, ALERT))
        agreed = self.translate("Sections", "Agreed to: “{meaning}”").format(meaning=s.meaning)
        facts.append((agreed, f.small, INK))
        attests = self.translate("Sections", "Attests visit content SHA-256 {digest}")
        facts.append((attests.format(digest=s.content_sha256), f.tiny, MUTED))
        if s.image_sha256:
            digest = self.translate("Sections", "Image SHA-256 {digest}").format(digest=s.image_sha256)
            facts.append((digest, f.tiny, MUTED))
        return facts
