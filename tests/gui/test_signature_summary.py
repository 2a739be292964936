"""The signature pad shows what is attested (notes, vital signs in the agency's units, tasks' outcomes) in a
scrolling box above the signing area, and opens over the whole screen without a window manager (offscreen
has none) with nothing over the canvas, in the standard look and at the largest text size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.domain.vitals import TemperatureUnit, VitalUnits, WeightUnit
from fieldapp.qt.look import Look, apply_look
from fieldapp.ui.signature_pad import SignaturePad
from fieldapp.ui.visit import VisitScreen
from fieldapp.ui.visit.verification import CheckOutWarning
from tests.gui.day_helpers import Day
from tests.gui.lock_helpers import TAP
from tests.gui.test_visit import day as visit_day
from tests.gui.test_visit import open_screen

day = visit_day


def worked(qtbot: QtBot, day: Day) -> VisitScreen:
    """The first visit checked in, with a note, a temperature and a blood pressure, checked out."""
    screen = open_screen(qtbot, day)
    qtbot.mouseClick(screen.check_in_button, TAP)
    if screen.dialog is not None:
        screen.dialog.reject()
    day.actions.add_note(day.visits[0].id, "Wound on the left shin healing; dressing changed.")
    day.actions.add_observation(day.visits[0].id, "temperature", 37.0, "Cel")
    day.actions.add_blood_pressure(day.visits[0].id, 132, 84)
    qtbot.mouseClick(screen.check_out_button, TAP)
    warning = screen.dialog
    assert isinstance(warning, CheckOutWarning)
    qtbot.mouseClick(warning.confirm, TAP)
    return screen


def opened_pad(qtbot: QtBot, screen: VisitScreen) -> SignaturePad:
    qtbot.mouseClick(screen.sign_button, TAP)
    pad = screen.pad
    assert isinstance(pad, SignaturePad)
    qtbot.waitExposed(pad)
    QApplication.processEvents()
    return pad


def rect_in(pad: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(pad, widget.rect().topLeft()), widget.size())


def test_the_pad_shows_each_thing_attested_in_the_agencys_units(qtbot: QtBot, day: Day) -> None:
    screen = worked(qtbot, day)
    pad = opened_pad(qtbot, screen)
    text = pad.summary.text()
    assert "Wound on the left shin healing; dressing changed." in text
    assert "Temperature 98.6 °F" in text  # stored in Celsius, read at a US agency in Fahrenheit
    assert "Blood pressure, systolic 132 mmHg" in text and "Blood pressure, diastolic 84 mmHg" in text
    assert pad.summary_box.isVisible()
    pad.reject()
    screen.vitals_panel.set_units(VitalUnits(TemperatureUnit.CELSIUS, WeightUnit.KILOGRAM))
    pad = opened_pad(qtbot, screen)
    assert "Temperature 37 °C" in pad.summary.text()
    pad.reject()


@pytest.fixture(params=["standard", "large"])
def look(request: pytest.FixtureRequest, styled_app: QApplication) -> Iterator[str]:
    if request.param == "large":
        apply_look(styled_app, Look("contrast", "large"))
    yield request.param
    apply_look(styled_app, Look())


def test_without_a_window_manager_the_pad_fills_the_screen_and_nothing_covers_the_canvas(
    qtbot: QtBot, day: Day, look: str
) -> None:
    screen = worked(qtbot, day)
    for i in range(12):  # a long visit: the summary scrolls, the canvas keeps its room
        day.actions.add_note(day.visits[0].id, f"Note {i}: " + "observed and recorded. " * 6)
    screen.refresh()
    pad = opened_pad(qtbot, screen)
    assert QApplication.platformName() == "offscreen"  # no window manager to size the window
    assert pad.geometry() == pad.screen().geometry(), (pad.geometry(), pad.screen().geometry())
    canvas, summary = rect_in(pad, pad.canvas), rect_in(pad, pad.summary_box)
    assert summary.bottom() < canvas.top(), "the summary is above the signing area"
    assert pad.summary_box.verticalScrollBar().maximum() > 0, "a long summary scrolls in its box"
    assert canvas.height() >= 200 and canvas.width() >= 480
    for button in pad.findChildren(QPushButton):
        if button.isVisible():
            assert not rect_in(pad, button).intersects(canvas), button.text()
            assert pad.rect().contains(rect_in(pad, button)), f"{button.text()} is off the screen"
    pad.reject()
