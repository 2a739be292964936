"""The bundled DejaVu Sans, loaded into Qt once, so reports (and signature previews) look the same on
every machine whatever fonts it has installed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtGui import QFontDatabase

FAMILY = "DejaVu Sans"
FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")

_loaded: str | None = None


def font_dirs() -> list[Path]:
    """Where the fonts may be: $FIELDAPP_RESOURCES, a frozen bundle, or the source tree."""
    candidates = []
    if os.environ.get("FIELDAPP_RESOURCES"):
        candidates.append(Path(os.environ["FIELDAPP_RESOURCES"]) / "fonts")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "resources" / "fonts")
    candidates.append(Path(__file__).resolve().parents[2] / "resources" / "fonts")
    return candidates


def report_family() -> str:
    """The family name to use in reports: the bundled DejaVu Sans (needs a QGuiApplication)."""
    global _loaded
    if _loaded is not None:
        return _loaded
    family = ""
    for folder in font_dirs():
        if not all((folder / name).exists() for name in FILES):
            continue
        for name in FILES:
            font_id = QFontDatabase.addApplicationFont(str(folder / name))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            family = family or (families[0] if families else "")
        break
    _loaded = family or FAMILY  # not found: Qt substitutes the closest installed font
    return _loaded
