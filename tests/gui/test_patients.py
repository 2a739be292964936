"""The patient list over 10,000 patients: rows load in windows of 200 as the table scrolls, search waits
for typing to pause (one query, not one per key), a tap opens the record."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.qt.models import PatientListModel
from fieldapp.ui.patients import DEBOUNCE_MS, TOWN, PatientsScreen
from tests.gui.shell_helpers import LANDSCAPE, PORTRAIT, Tablet, layout_problems, make_tablet
from tests.keyrings import MemoryKeyring

MANY = 10_000


@pytest.fixture(scope="module")
def big_tablet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tablet]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())  # built once for the module, before the per-test keyring
    try:
        tablet = make_tablet(tmp_path_factory.mktemp("big") / "tablet", extra_patients=MANY)
    finally:
        keyring.set_keyring(previous)
    yield tablet
    tablet.device.close()


@pytest.fixture
def screen(qtbot: QtBot, big_tablet: Tablet, styled_app: QApplication) -> PatientsScreen:
    screen = PatientsScreen(PatientListModel(big_tablet.device.store))
    qtbot.addWidget(screen)
    screen.resize(*LANDSCAPE)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


class CountingSearch:
    """Counts the queries the screen asks of the model."""

    def __init__(self, model: PatientListModel) -> None:
        self.model, self.calls = model, []
        self._real = model.set_search
        model.set_search = self  # type: ignore[method-assign]

    def __call__(self, text: str) -> None:
        self.calls.append(text)
        self._real(text)


def test_ten_thousand_patients_load_in_windows_as_the_table_scrolls(
    screen: PatientsScreen, qtbot: QtBot
) -> None:
    model = screen.model
    assert model.total == MANY + 3
    assert model.rowCount() == PatientListModel.WINDOW, "only the first window is loaded"
    assert screen.count_label.text() == f"{MANY + 3:,} patients on this tablet"
    screen.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 2 * PatientListModel.WINDOW)
    screen.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 3 * PatientListModel.WINDOW)
    assert model.rowCount() < model.total
    ids = [model.patient_id(row) for row in range(model.rowCount())]
    assert len(set(ids)) == len(ids), "windows follow on without overlapping"


def test_search_waits_for_typing_to_pause_then_queries_once(screen: PatientsScreen, qtbot: QtBot) -> None:
    spy = CountingSearch(screen.model)  # type: ignore[arg-type]
    QTest.keyClicks(screen.search, "okaf")
    assert spy.calls == [], "no query per keystroke"
    qtbot.wait(DEBOUNCE_MS // 2)
    assert spy.calls == []
    qtbot.waitUntil(lambda: spy.calls == ["okaf"], timeout=DEBOUNCE_MS * 8)
    model = screen.model
    assert 0 < model.rowCount() <= PatientListModel.WINDOW
    assert all("Okafor" in model.index(row, 0).data() for row in range(model.rowCount()))
    assert screen.count_label.text().endswith("match") or screen.count_label.text().endswith("matches")
    qtbot.wait(DEBOUNCE_MS * 2)
    assert spy.calls == ["okaf"], "one query for the whole word"


def test_enter_searches_at_once_and_clear_shows_everyone(screen: PatientsScreen, qtbot: QtBot) -> None:
    screen.search.setText("MRN-100042")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.model.total == 1 and screen.count_label.text() == "1 patient matches"
    screen.search.setText("no such person zzz")
    screen.apply_search()
    assert screen.count_label.text() == "No patient matches this search."
    qtbot.mouseClick(screen.clear_button, Qt.MouseButton.LeftButton)
    assert screen.search.text() == "" and screen.model.total == MANY + 3
    assert screen.search.hasFocus()


def test_a_tap_on_a_row_opens_that_patient(screen: PatientsScreen, qtbot: QtBot, big_tablet: Tablet) -> None:
    okafor = next(p for p in big_tablet.patients if p.family_name == "Okafor" and p.given_name == "Edith")
    screen.search.setText(okafor.mrn)
    screen.apply_search()
    rect = screen.table.visualRect(screen.model.index(0, 0))
    with qtbot.waitSignal(screen.open_patient) as opened:
        qtbot.mouseClick(screen.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [okafor.id]


def test_ctrl_f_goes_to_the_search_box(screen: PatientsScreen, qtbot: QtBot) -> None:
    screen.activateWindow()
    qtbot.waitActive(screen)
    screen.table.setFocus()
    QTest.keyClick(screen, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert screen.search.hasFocus()


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_the_list_fits_is_touchable_and_named(
    screen: PatientsScreen, qtbot: QtBot, size: tuple[int, int]
) -> None:
    screen.resize(size[0] - 210, size[1] - 100)  # beside the navigation, under the status bar
    assert layout_problems(qtbot, screen) == []
    assert screen.table.verticalHeader().defaultSectionSize() >= 44, "rows are touch-sized"
    qtbot.waitUntil(lambda: screen.table.isColumnHidden(TOWN) == (screen.table.width() < 720))
