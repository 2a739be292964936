"""Today's visits: large cards in time order with patient, address, status, allergies and missing EVV
elements; a tap (or Enter) opens the visit; the cards follow every change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from fieldapp.domain.exceptions import ExceptionReason
from fieldapp.domain.values import Location, LocationKind
from fieldapp.qt.actions import Actions
from fieldapp.qt.models import VisitListModel
from fieldapp.ui.today import TodayScreen
from tests.gui.shell_helpers import LANDSCAPE, PORTRAIT, WORKER, Tablet, layout_problems, make_tablet


@pytest.fixture
def tablet(tmp_path: Path) -> Iterator[Tablet]:
    tablet = make_tablet(tmp_path / "tablet")
    yield tablet
    tablet.device.close()


@pytest.fixture
def screen(qtbot: QtBot, tablet: Tablet, styled_app: QApplication) -> TodayScreen:
    model = VisitListModel(tablet.device.store, WORKER, datetime.now(UTC).date())
    screen = TodayScreen(model)
    screen._test_model = model  # type: ignore[attr-defined]  # kept alive with the screen
    qtbot.addWidget(screen)
    screen.resize(*LANDSCAPE)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def texts(card: object) -> list[str]:
    return [label.text() for label in card.findChildren(QLabel)]  # type: ignore[attr-defined]


def actions_for(tablet: Tablet, screen: TodayScreen) -> Actions:
    actions = Actions(tablet.device.store, tablet.device.blobs, WORKER)
    actions.records_did_change.connect(screen._test_model.refresh)  # type: ignore[attr-defined]
    return actions


def test_cards_show_time_patient_address_status_and_allergies_in_order(screen: TodayScreen) -> None:
    assert len(screen.cards) == 3
    first, second, third = (texts(card) for card in screen.cards)
    start = datetime.now(UTC).replace(hour=9, minute=0).astimezone().strftime("%H:%M")
    assert first[0].startswith(start) and "Núñez-O'Brien, Zoë" in first and "To do" in first
    assert "12 Orchard Lane, Millbrook, 12545" in first
    assert "⚠ Allergies: Penicillin, Latex" in first
    allergy = next(label for label in screen.cards[0].findChildren(QLabel) if "Allergies" in label.text())
    assert allergy.property("role") == "allergySmall"
    assert not any("Allergies" in text for text in second + third)
    assert not any("EVV" in text for text in first + second + third), "nothing is missing before a visit"
    assert screen.summary.text() == "3 visits: 0 done, 0 in progress, 3 to do"
    assert "allergies: Penicillin, Latex" in screen.cards[0].accessibleName()
    assert screen.title.text().startswith("Today · ")


def test_a_card_opens_its_visit_by_tap_and_by_keyboard(
    screen: TodayScreen, tablet: Tablet, qtbot: QtBot
) -> None:
    with qtbot.waitSignal(screen.open_visit) as opened:
        qtbot.mouseClick(screen.cards[1], Qt.MouseButton.LeftButton)
    assert opened.args == [tablet.visits[1].id]
    screen.cards[2].setFocus()
    with qtbot.waitSignal(screen.open_visit) as opened:
        qtbot.keyClick(screen.cards[2], Qt.Key.Key_Space)
    assert opened.args == [tablet.visits[2].id]


def test_cards_follow_changes_and_flag_missing_evv_elements(screen: TodayScreen, tablet: Tablet) -> None:
    actions = actions_for(tablet, screen)
    first = tablet.visits[0].id
    actions.check_in(first, None)  # no place of service recorded
    assert "In progress" in texts(screen.cards[0])
    assert "EVV missing: location of service" in texts(screen.cards[0])
    actions.check_out(first)
    assert "Done" in texts(screen.cards[0])
    assert "EVV missing: location of service" in texts(screen.cards[0])
    second = tablet.visits[1].id
    actions.check_in(second, Location(kind=LocationKind.HOME))
    actions.check_out(second)
    assert not any("EVV" in text for text in texts(screen.cards[1])), "a complete record flags nothing"
    actions.mark_missed(tablet.visits[2].id, ExceptionReason.CLIENT_HOSPITALISED)
    assert "Missed" in texts(screen.cards[2])
    assert screen.summary.text() == "3 visits: 2 done, 0 in progress, 0 to do"


def test_a_day_without_visits_says_what_to_do(qtbot: QtBot, tablet: Tablet, styled_app: QApplication) -> None:
    from datetime import date

    model = VisitListModel(tablet.device.store, WORKER, date(2001, 1, 1))
    screen = TodayScreen(model)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.cards == [] and screen.empty.isVisible() and "Sync now" in screen.empty.text()
    assert not screen.summary.isVisible()


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_today_fits_is_touchable_and_named(screen: TodayScreen, qtbot: QtBot, size: tuple[int, int]) -> None:
    screen.resize(*size)
    assert layout_problems(qtbot, screen) == []
    assert all(card.height() >= 60 for card in screen.cards), "cards are big enough to hit while standing"


def test_today_is_the_tablets_day_not_utcs(tablet: Tablet) -> None:
    from datetime import date, timedelta
    from zoneinfo import ZoneInfo

    from fieldapp.store import repo
    from tests import factories

    new_york = ZoneInfo("America/New_York")
    day = date(2030, 1, 15)
    evening = datetime(2030, 1, 15, 20, 0, tzinfo=new_york)  # 01:00 UTC on the 16th
    late = factories.visit(
        tablet.patients[1].id, scheduled_start=evening, scheduled_end=evening + timedelta(hours=1)
    )
    with tablet.device.store.unit_of_work() as s:
        repo.add(s, tablet.device.store.clock, late)
    in_new_york = VisitListModel(tablet.device.store, WORKER, day, zone=new_york)
    assert [item.visit.id for item in in_new_york.items] == [late.id]
    in_utc = VisitListModel(tablet.device.store, WORKER, day, zone=UTC)
    assert in_utc.items == []
