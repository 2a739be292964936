"""The application's look: the QApplication (high-DPI pass-through, Fusion), the bundled DejaVu Sans and
the one stylesheet, ``resources/style.qss`` (widgets state a role, the stylesheet says what it looks like).

Two choices of the worker change it (Settings, ``Look``): the theme (``standard``, or ``contrast``: black on
white with heavy borders for sunlight, ``resources/style-contrast.qss`` laid over the standard sheet) and
the text size (every ``font-size`` of the sheet scaled). Both apply at once: ``apply_look`` sets the sheet
again and Qt re-polishes every widget.
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from fieldapp import __version__
from fieldapp.config import resources_dir
from fieldapp.qt.touch import install_combo_rows
from fieldapp.qt.wheel import install_wheel_guard

log = logging.getLogger(__name__)

THEMES = ("standard", "contrast")
TEXT_SIZES = {"small": 0.88, "normal": 1.0, "large": 1.3}  # factor on every font size of the sheet
BASE_PX = 17
_FONT_SIZE = re.compile(r"font-size:\s*(\d+)px")


@dataclass(frozen=True, slots=True)
class Look:
    """A theme and a text size."""

    theme: str = "standard"
    text_size: str = "normal"

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}")
        if self.text_size not in TEXT_SIZES:
            raise ValueError(f"text size must be one of {', '.join(TEXT_SIZES)}")

    @property
    def scale(self) -> float:
        """The factor on font sizes."""
        return TEXT_SIZES[self.text_size]


def make_application(argv: list[str] | None = None, look: Look | None = None) -> QApplication:
    """The QApplication with high-DPI scaling, the bundled font and the one stylesheet."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("fieldapp")
    app.setApplicationDisplayName("fieldapp")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")  # the stylesheet looks the same on Windows and Linux
    install_wheel_guard(app)  # scrolling never changes a value
    install_combo_rows(app)  # lists of choices open with finger-sized rows
    apply_look(app, look)
    return app


def apply_look(app: QApplication, look: Look | None = None) -> None:
    """Load the bundled DejaVu Sans and apply ``resources/style.qss`` in ``look`` (standard, normal)."""
    look = look or Look()
    fonts = resources_dir() / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        if QFontDatabase.addApplicationFont(str(fonts / name)) < 0:
            log.warning("could not load the font %s", fonts / name)
    font = QFont("DejaVu Sans")
    font.setPixelSize(round(BASE_PX * look.scale))
    app.setFont(font)
    app.setStyleSheet(stylesheet(look))


def stylesheet(look: Look | None = None) -> str:
    """``resources/style.qss`` (and the contrast sheet over it) with its resource paths made absolute and
    its font sizes scaled ("" when it is missing)."""
    look = look or Look()
    sheets = ["style.qss"] + (["style-contrast.qss"] if look.theme == "contrast" else [])
    parts = []
    for name in sheets:
        path = resources_dir() / name
        if not path.exists():
            log.warning("no stylesheet at %s", path)
            continue
        parts.append(path.read_text(encoding="utf-8"))
    text = "\n".join(parts).replace("@RESOURCES@", resources_dir().as_posix())
    if look.scale != 1.0:
        text = _FONT_SIZE.sub(lambda m: f"font-size: {round(int(m.group(1)) * look.scale)}px", text)
    return text
