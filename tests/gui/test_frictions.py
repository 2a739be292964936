"""The frictions of issue 20 on the signed-in window: a "to fix" item opens its visit at the top (the
patient's name and Back in sight), Patients opens with the focus in its search box, and service codes are
shown with what they are."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.app import Workspace
from fieldapp.ui.end_of_day import EndOfDayScreen
from fieldapp.ui.patients import PatientsScreen
from fieldapp.ui.today import TodayScreen
from fieldapp.ui.visit import VisitScreen
from tests.gui.lock_helpers import TAP


def in_sight(widget: QWidget, viewport: QWidget) -> bool:
    """Whether all of ``widget`` is inside ``viewport`` on the screen."""
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return viewport.rect().contains(top_left) and viewport.rect().contains(
        top_left + QPoint(widget.width() - 1, widget.height() - 1)
    )


def test_a_to_fix_item_opens_its_visit_at_the_top(qtbot: QtBot, workspace: Workspace) -> None:
    window = workspace.window
    today = window.page("today")
    assert isinstance(today, TodayScreen)
    qtbot.mouseClick(today.cards[0], TAP)
    visit = window.page("visit")
    assert isinstance(visit, VisitScreen)
    bar = visit.page_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())  # the worker scrolled down to the signature, then went elsewhere
    assert bar.value() > 0
    window.show_page("end_of_day")
    eod = window.page("end_of_day")
    assert isinstance(eod, EndOfDayScreen)
    eod.refresh()
    assert eod.fix_list.count() > 0
    item = eod.fix_list.item(0)
    qtbot.mouseClick(eod.fix_list.viewport(), TAP, pos=eod.fix_list.visualItemRect(item).center())
    assert window.current_key == "visit"
    QApplication.processEvents()
    assert bar.value() == 0
    viewport = visit.page_scroll.viewport()
    assert in_sight(visit.patient_name, viewport) and in_sight(visit.back, viewport)


def test_patients_opens_with_the_focus_in_its_search_box(qtbot: QtBot, workspace: Workspace) -> None:
    window = workspace.window
    nav = next(b for b in window.findChildren(QPushButton) if b.text() == "Patients")
    qtbot.mouseClick(nav, TAP)
    patients = window.page("patients")
    assert isinstance(patients, PatientsScreen)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is patients.search)
    qtbot.keyClicks(QApplication.focusWidget(), "Whit")  # typed at once, without a tap into the box
    assert patients.search.text() == "Whit"
    qtbot.waitUntil(lambda: not patients._debounce.isActive())  # the search ran before the store closes
    window.show_page("today")  # other pages keep the focus off text fields (no keyboard popping up)
    assert QApplication.focusWidget() is not patients.search
    assert QApplication.focusWidget().inherits("QPushButton")  # type: ignore[union-attr]


def test_services_are_shown_with_what_they_are(qtbot: QtBot, workspace: Workspace) -> None:
    window = workspace.window
    today = window.page("today")
    assert isinstance(today, TodayScreen)
    card = today.cards[0]
    assert card.service_label.text() == "G0156 — Home health aide services"
    assert card.service_label.isVisible()
    window.open_patient.emit(card.summary.visit.patient_id)
    record = window.page("patient")
    history = [b.text() for b in record.findChildren(QPushButton) if "·" in b.text()]
    assert history and all("G0156 — Home health aide services" in line for line in history), history
