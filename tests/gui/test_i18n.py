"""Spanish and English: every string of the owned screens (tests/gui/i18n_helpers.OWNED_SCREENS) goes
through Qt's translation system, and the Spanish catalogue has a finished translation for each of them.

Each screen is built twice over the same tablet, in English and with the Spanish catalogue installed, and
every string a person reads or hears is compared: one that comes out the same was not wrapped in ``tr``
or has no Spanish yet (a short list of words is the same in both languages; data such as the user's name
or the device id is left out)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.app import Workspace
from fieldapp.qt.i18n import day, install_language, language_code, locale_for, number, remove_language
from fieldapp.ui.main_window import MainWindow
from tests.gui.i18n_helpers import (
    CATALOGUE,
    OWNED_CONTEXTS,
    OWNED_SCREENS,
    SAME_IN_BOTH,
    Spanish,
    build_screens,
    compile_catalogue,
    texts,
)
from tests.gui.i18n_screens import DAY_TEXTS
from tests.gui.shell_helpers import Tablet
from tests.gui.shell_helpers import styled_app as styled_app


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_catalogue(tmp_path_factory.mktemp("qm"))


def _all_texts(tablet: Tablet, qtbot: QtBot) -> dict[str, list[tuple[str, str]]]:
    keep: list[object] = []
    screens = build_screens(tablet, keep)
    found = {name: list(texts(screens[name])) for name in OWNED_SCREENS}
    for screen in screens.values():
        # the workspace closes its window; a dialog goes with the window it belongs to
        if screen.isWindow() and screen.parent() is None and not isinstance(screen, MainWindow):
            qtbot.addWidget(screen)
    for thing in keep:
        if isinstance(thing, Workspace):
            thing.close(close_store=False)
    return found


def _data(tablet: Tablet) -> list[str]:
    """What the screens show from the tablet's data: the same in every language (longest first, so a
    full name goes before its parts)."""
    device = tablet.device
    found = [
        str(device.profile.folder),
        device.store.node_id,
        device.settings.server_url,
        "nurse",
        *DAY_TEXTS,
    ]
    for p in tablet.patients:
        found += [p.display_name, f"{p.given_name} {p.family_name}", p.mrn, p.care_plan, p.phone or ""]
        found += [a.substance for a in p.allergies] + [a.reaction for a in p.allergies]
        found += [f"{d.code} — {d.description}" for d in p.diagnoses] + [d.description for d in p.diagnoses]
        if p.address is not None:
            found += [p.address.line1, p.address.line2 or "", p.address.city, p.address.postal_code or ""]
    return sorted({text for text in found if text}, key=len, reverse=True)


def _words_left(text: str, data: list[str]) -> str:
    for value in data:
        text = text.replace(value, "")
    text = re.sub(r"fieldapp|\d+(\.\d+)*|https?://\S+", "", text)
    return text if re.search(r"[A-Za-z]{2,}", text) else ""


def test_every_string_of_the_owned_screens_is_translated(
    qtbot: QtBot, tablet: Tablet, catalogue: Path, styled_app: QApplication
) -> None:
    english = _all_texts(tablet, qtbot)
    with Spanish(catalogue):
        spanish = _all_texts(tablet, qtbot)
    data = _data(tablet)
    untranslated = []
    for screen in OWNED_SCREENS:
        assert len(english[screen]) == len(spanish[screen]), screen
        for (where, source), (_, shown) in zip(english[screen], spanish[screen], strict=True):
            if source == shown and source not in SAME_IN_BOTH and _words_left(source, data):
                untranslated.append(f"{screen}: {where}: {source!r}")
    assert untranslated == [], "\n".join(untranslated)
    assert sum(len(found) for found in english.values()) > 300, "the walk found the screens' strings"


@pytest.mark.parametrize(
    ("screen", "spanish"),
    [
        ("settings", "Consultar con la oficina"),
        ("visit (in progress)", "Signos vitales"),
        ("end of day", "Fin del día"),
    ],
)
def test_the_walk_would_see_a_string_left_in_english(
    qtbot: QtBot, tablet: Tablet, catalogue: Path, styled_app: QApplication, screen: str, spanish: str
) -> None:
    """The check above can fail: a label whose text is not wrapped stays English under the catalogue."""
    with Spanish(catalogue):
        screens = build_screens(tablet, keep := [])
        page = screens[screen]
        from fieldapp.ui.common import label

        page.layout().addWidget(label("Check with the office"))  # not through tr
        shown = [text for _, text in texts(page)]
        for thing in keep:
            if isinstance(thing, Workspace):
                thing.close(close_store=False)
    assert "Check with the office" in shown, "the unwrapped label stays English"
    assert spanish in shown, "the wrapped ones are Spanish"


def _messages(context: ET.Element) -> list[ET.Element]:
    return list(context.iter("message"))


def unfinished_entries(root: ET.Element) -> list[str]:
    """Every entry of every context without a finished, non-empty translation."""
    return [
        f"{context.findtext('name')}: {m.findtext('source')!r}"
        for context in root.iter("context")
        for m in _messages(context)
        if m.find("translation") is None
        or m.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
        or not (m.findtext("translation") or "").strip()
    ]


def test_the_spanish_catalogue_is_finished_for_every_context() -> None:
    root = ET.parse(CATALOGUE).getroot()
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    missing = [name for name in OWNED_CONTEXTS if name not in contexts]
    assert missing == [], "contexts the catalogue does not have (run `make translations`)"
    assert sorted(contexts) == sorted(OWNED_CONTEXTS), "a new context: add it to OWNED_CONTEXTS"
    assert unfinished_entries(root) == []
    placeholders = [
        f"{name}: {m.findtext('source')!r}"
        for name, context in contexts.items()
        for m in _messages(context)
        if sorted(re.findall(r"\{\w+\}", m.findtext("source") or ""))
        != sorted(re.findall(r"\{\w+\}", m.findtext("translation") or ""))
    ]
    assert placeholders == [], "a translation must keep every {placeholder} of its source"


def test_the_finished_check_sees_an_unfinished_entry() -> None:
    """The check above can fail: an entry lupdate added and nobody translated is reported."""
    root = ET.parse(CATALOGUE).getroot()
    entry = next(root.iter("message"))
    translation = entry.find("translation")
    assert translation is not None
    translation.set("type", "unfinished")
    assert len(unfinished_entries(root)) == 1


def test_numbers_and_dates_follow_the_chosen_language(catalogue: Path) -> None:
    before = QLocale()
    try:
        install_language("en", catalogue)
        assert number(12345) == "12,345"
        assert day(datetime(2026, 3, 5, tzinfo=UTC).date()) == "05 Mar 2026"
        with Spanish(catalogue):
            assert number(12345) in ("12.345", "12,345", "12 345")  # es_US groups with a comma
            assert day(datetime(2026, 3, 5, tzinfo=UTC).date()).startswith("05 mar")
    finally:
        remove_language()
        QLocale.setDefault(before)


def test_the_system_language_is_the_default_and_english_stands_in_for_others() -> None:
    assert language_code("system", QLocale("es_MX")) == "es"
    assert locale_for("system", QLocale("es_MX")).name() == "es_MX"
    assert language_code("system", QLocale("fr_FR")) == "en"
    assert language_code("system", QLocale.c()) == "en"
    assert language_code("es", QLocale("en_GB")) == "es"
    assert locale_for("en", QLocale("en_GB")).name() == "en_GB"


def test_a_missing_catalogue_leaves_the_app_in_english(tmp_path: Path) -> None:
    before = QLocale()
    try:
        language = install_language("es", tmp_path)
        assert language.code == "es" and not language.loaded
        assert QApplication.translate("LoginScreen", "Sign in") == "Sign in"
    finally:
        remove_language()
        QLocale.setDefault(before)


def test_the_messages_marked_for_translation_are_what_the_qt_free_layers_write(catalogue: Path) -> None:
    import requests

    from fieldapp.config import SettingsError, server_address
    from fieldapp.qt.i18n import message
    from fieldapp.qt.messages import NETWORK, SERVER_ADDRESS
    from fieldapp.transport.http import _network_message

    written = set()
    for wrong in (
        "",
        "x" * 2_001,
        "a b",
        "ófice.example.org",
        "ftp://o.example.org",
        "https://u@o.org",
        "https://o.org/?q",
        "https://o.org:0",
        "https://",
    ):
        with pytest.raises(SettingsError) as refused:
            server_address(wrong)
        written.add(str(refused.value))
    assert written == set(SERVER_ADDRESS)
    assert {_network_message(requests.ConnectionError()), _network_message(requests.Timeout())} == set(
        NETWORK
    )
    with Spanish(catalogue):
        assert message(SERVER_ADDRESS[0]) == "Escriba una dirección como https://office.example.org."
        assert message("a message nobody marked") == "a message nobody marked"
