"""The application's look: the QApplication (high-DPI pass-through, Fusion), the bundled DejaVu Sans and
the one stylesheet, ``resources/style.qss`` (widgets state a role, the stylesheet says what it looks like).
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from fieldapp import __version__
from fieldapp.config import resources_dir

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
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
    apply_look(app)
    return app


def apply_look(app: QApplication) -> None:
    """Load the bundled DejaVu Sans and apply ``resources/style.qss``."""
    fonts = resources_dir() / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        if QFontDatabase.addApplicationFont(str(fonts / name)) < 0:
            log.warning("could not load the font %s", fonts / name)
    font = QFont("DejaVu Sans")
    font.setPixelSize(17)
    app.setFont(font)
    app.setStyleSheet(stylesheet())


def stylesheet() -> str:
    """``resources/style.qss`` with its resource paths made absolute ("" when it is missing)."""
    path = resources_dir() / "style.qss"
    if not path.exists():
        log.warning("no stylesheet at %s", path)
        return ""
    return path.read_text(encoding="utf-8").replace("@RESOURCES@", resources_dir().as_posix())
