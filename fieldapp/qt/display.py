"""The worker's display choices: language, theme and text size, kept in the profile folder
(``display.json``) so that sign-in already shows them, and applied by ``Display`` for the settings screen.

The theme and the text size apply at once (``fieldapp.qt.look.apply_look``); the language too when the shell
can build the screens again in it (``switch_to``: nothing typed and unsaved), else from the next start
(``fieldapp.qt.i18n.install_language``).
A damaged file never stops the app: it is logged and the defaults are used.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Literal

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from fieldapp.config import read_json_object
from fieldapp.qt.i18n import LANGUAGES, SYSTEM, language_code
from fieldapp.qt.look import Look, apply_look

log = logging.getLogger(__name__)

DISPLAY_FILE = "display.json"
LanguageWhen = Literal["spoken", "now", "unsaved", "next start"]  # when a chosen language is spoken
MAX_BYTES = 4096


@dataclass(frozen=True, slots=True)
class DisplayPrefs:
    """Language (``system``, ``en``, ``es``), theme and text size (``fieldapp.qt.look``)."""

    language: str = SYSTEM
    theme: str = "standard"
    text_size: str = "normal"

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        Look(self.theme, self.text_size)  # raises ValueError for an unknown theme or size

    @property
    def look(self) -> Look:
        """The theme and text size as ``apply_look`` takes them."""
        return Look(self.theme, self.text_size)


def load_prefs(folder: Path) -> DisplayPrefs:
    """The choices saved in ``folder``, or the defaults (no file, or one that cannot be used: logged)."""
    path = folder / DISPLAY_FILE
    try:
        if not path.is_file():
            return DisplayPrefs()
        data = read_json_object(path, MAX_BYTES, "display choices")
        known = {k: v for k, v in data.items() if k in DisplayPrefs.__dataclass_fields__}
        if not all(isinstance(v, str) for v in known.values()):
            raise ValueError("a choice is not text")
        return DisplayPrefs(**known)
    except (OSError, ValueError) as exc:
        log.warning("ignoring the display choices in %s: %s", path, exc)
        return DisplayPrefs()


def save_prefs(folder: Path, prefs: DisplayPrefs) -> None:
    """Write the choices atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / (DISPLAY_FILE + ".tmp")
    temporary.write_text(json.dumps(asdict(prefs), indent=2), encoding="utf-8")
    os.replace(temporary, folder / DISPLAY_FILE)


class Display(QObject):
    """The display choices for the settings screen: saved in ``folder``; the look applied to ``app``."""

    def __init__(
        self,
        folder: Path,
        app: QApplication | None = None,
        *,
        speaking: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``speaking``: the language the app speaks now (installed at start-up)."""
        super().__init__(parent)
        self._folder, self._app = folder, app
        self._prefs = load_prefs(folder)
        self._speaking = speaking or language_code(self._prefs.language)
        # Set by the shell: asked to speak a language at once; returns False when it cannot now (input
        # not saved yet), and the language then applies from the next start.
        self.switch_to: Callable[[str], bool] | None = None

    def prefs(self) -> DisplayPrefs:
        """The choices as saved."""
        return self._prefs

    def set_language(self, choice: str) -> LanguageWhen:
        """Keep the language; returns when the app speaks it: already (``spoken``), once the screens are
        built again in it, in a moment (``now``: the shell's ``switch_to`` agreed), from the next start
        because something typed is not saved yet (``unsaved``), or from the next start (no shell here).
        Raises ValueError for a language the app does not have."""
        self._save(replace(self._prefs, language=choice))
        if language_code(choice) == self._speaking:
            return "spoken"
        if self.switch_to is None:
            return "next start"
        return "now" if self.switch_to(choice) else "unsaved"

    def spoken(self, code: str) -> None:
        """The app speaks ``code`` now (its translator was installed)."""
        self._speaking = code

    def set_theme(self, theme: str) -> None:
        """Keep the theme and show it at once."""
        self._save(replace(self._prefs, theme=theme))
        self._apply()

    def set_text_size(self, size: str) -> None:
        """Keep the text size and show it at once."""
        self._save(replace(self._prefs, text_size=size))
        self._apply()

    def _save(self, prefs: DisplayPrefs) -> None:
        save_prefs(self._folder, prefs)
        self._prefs = prefs

    def _apply(self) -> None:
        if self._app is not None:
            apply_look(self._app, self._prefs.look)
