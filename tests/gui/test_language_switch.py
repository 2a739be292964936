"""The language chosen in Settings applies at once: the shell builds the screens again in it, on the page
the worker was on; never while something typed is not saved yet (then from the next start)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from fieldapp.qt.display import Display, load_prefs
from fieldapp.qt.i18n import remove_language
from fieldapp.ui.main_window import MainWindow
from tests.gui.shell_helpers import signed_in_shell
from tests.keyrings import MemoryKeyring


def _buttons(window: MainWindow) -> set[str]:
    return {b.text() for b in window.findChildren(QPushButton)}


def test_the_language_chosen_in_settings_applies_at_once_and_keeps_the_page(
    qtbot: QtBot, tmp_path: Path, styled_app: QApplication, memory_keyring: MemoryKeyring
) -> None:
    folder, before = tmp_path / "tablet", QLocale()
    display = Display(folder, styled_app, speaking="en")  # the profile folder: where run_gui keeps it
    shell = signed_in_shell(folder, qtbot, display=display)
    try:
        first = shell.window_now()
        assert first is not None and "Today" in _buttons(first)
        first.show_page("settings")
        settings = first.page("settings")

        QTest.keyClicks(settings.server, "/office")  # typed, not saved: switching now would lose it
        settings.language.setCurrentIndex(settings.language.findData("es"))
        assert (
            "next start" in settings.display_message.text() and "not saved" in settings.display_message.text()
        )
        assert load_prefs(folder).language == "es", "kept for the next start"
        qtbot.wait(50)
        assert shell.window_now() is first and "Today" in _buttons(first)

        settings.server.setText(settings.server.text().removesuffix("/office"))  # as saved: nothing to lose
        settings.language.setCurrentIndex(settings.language.findData("en"))
        assert "already speaks" in settings.display_message.text()
        settings.language.setCurrentIndex(settings.language.findData("es"))
        assert settings.display_message.text() == "Saved; the screens change language now."
        qtbot.waitUntil(lambda: shell.window_now() is not first)
        second = shell.window_now()
        assert second is not None and second.isVisible() and second.current_key == "settings"
        assert {"Hoy", "Pacientes", "Ajustes"} <= _buttons(second) and "Today" not in _buttons(second)
        assert second.page("settings").language.currentData() == "es"

        second.page("settings").language.setCurrentIndex(second.page("settings").language.findData("en"))
        qtbot.waitUntil(lambda: shell.window_now() is not second)
        third = shell.window_now()
        assert third is not None and "Today" in _buttons(third) and third.current_key == "settings"
        assert load_prefs(folder).language == "en"
    finally:
        shell.close()
        remove_language()
        QLocale.setDefault(before)
