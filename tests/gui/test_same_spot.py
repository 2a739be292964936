"""A finger that taps twice on the same spot: after check-in, check-out, "Mark missed…" and "Sign", the
second tap must not open or confirm anything the worker did not mean (the issue saw "Correct a time…" land
exactly where "Check in" was, focused: a double tap opened the correction dialog)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.domain.entities import Visit
from fieldapp.domain.exceptions import ExceptionReason
from fieldapp.domain.values import VisitStatus
from fieldapp.qt.positioning import DevicePosition, nmea_source
from fieldapp.store import repo
from fieldapp.ui.signature_pad import SignaturePad
from fieldapp.ui.visit import VisitScreen
from fieldapp.ui.visit.verification import CheckOutWarning, ReasonDialog
from tests.gui.day_helpers import Day
from tests.gui.shell_helpers import styled_app  # noqa: F401 - a fixture
from tests.gui.test_visit import day as visit_day
from tests.gui.test_visit import open_screen

TAP = Qt.MouseButton.LeftButton
TRACKS = Path(__file__).parent / "tracks"
day = visit_day  # the visit screen's tests' day (three visits, the first patient allergic)


def open_visit(
    qtbot: QtBot,
    day: Day,
    now: datetime | None = None,
    size: tuple[int, int] = (1280, 800),
    gps: DevicePosition | None = None,
) -> VisitScreen:
    return open_screen(qtbot, day, gps=gps, now=(lambda: now) if now is not None else None, size=size)


def stored(day: Day) -> Visit:
    with day.store.read() as session:
        found = repo.get(session, Visit, day.visits[0].id)
    assert found is not None
    return found


def spot(widget: QWidget) -> QPoint:
    """Where a finger taps ``widget``, on the screen (once pending layout changes are done)."""
    QApplication.processEvents()
    return widget.mapToGlobal(widget.rect().center())


def tap_at(qtbot: QtBot, point: QPoint) -> QWidget | None:
    """Tap the screen at ``point`` as a finger does: through the window there, so Qt delivers it to what
    is under it now, or refuses it when a dialog blocks that window. Returns the window tapped."""
    QApplication.processEvents()
    window = QApplication.topLevelAt(point)
    if window is not None and window.windowHandle() is not None:
        QTest.mouseClick(
            window.windowHandle(), TAP, Qt.KeyboardModifier.NoModifier, window.mapFromGlobal(point)
        )
        QApplication.processEvents()
    return window


def open_dialogs(screen: QWidget) -> list[QDialog]:
    """The dialogs of ``screen`` on the screen now (their own dialogs included)."""
    return [d for d in screen.findChildren(QDialog) if d.isVisible()]


def focused_at(point: QPoint) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and focus.rect().contains(focus.mapFromGlobal(point))


def check_in(qtbot: QtBot, screen: VisitScreen) -> QPoint:
    """Check in at the patient's home with a double tap; the reason for the missing GPS is asked."""
    point = spot(screen.check_in_button)
    tap_at(qtbot, point)
    why = screen.dialog
    assert isinstance(why, ReasonDialog)
    tap_at(qtbot, point)  # the second tap of the double tap
    assert screen.dialog is why and why.isVisible() and why.result() == 0, "the reason was confirmed"
    assert open_dialogs(screen) == [why]
    why.choose(ExceptionReason.NO_POSITIONING)
    qtbot.mouseClick(why.confirm, TAP)
    return point


def test_a_double_tap_on_check_in_opens_no_correction(qtbot: QtBot, day: Day) -> None:
    screen = open_visit(qtbot, day)
    point = check_in(qtbot, screen)
    assert stored(day).status is VisitStatus.IN_PROGRESS
    assert not screen.correct_button.rect().contains(screen.correct_button.mapFromGlobal(point))
    assert not focused_at(point), QApplication.focusWidget()
    assert QApplication.focusWidget() is not screen.correct_button
    before = stored(day)
    tap_at(qtbot, point)  # a late third tap on the same spot
    assert open_dialogs(screen) == [] and stored(day) == before


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_with_a_gps_fix_a_double_tap_on_check_in_lands_on_nothing(
    qtbot: QtBot, day: Day, size: tuple[int, int]
) -> None:
    """At the patient's home with a GPS fix nothing is asked after checking in: the second tap meets the
    screen itself, where "Check in" was a moment ago."""
    gps = DevicePosition(nmea_source(str(TRACKS / "at_home.nmea")))
    screen = open_visit(qtbot, day, size=size, gps=gps)
    with qtbot.waitSignal(gps.position_did_change):
        gps.start()
    point = spot(screen.check_in_button)
    tap_at(qtbot, point)
    assert stored(day).status is VisitStatus.IN_PROGRESS and screen.dialog is None
    assert spot(screen.check_in_button) == point, "the buttons moved under the finger"
    assert QApplication.focusWidget() not in (screen.correct_button, screen.missed_button)
    tap_at(qtbot, point)
    assert open_dialogs(screen) == [] and screen.dialog is None
    gps.detach()


def test_a_double_tap_on_check_out_confirms_nothing_by_itself(qtbot: QtBot, day: Day) -> None:
    screen = open_visit(qtbot, day)
    check_in(qtbot, screen)
    point = spot(screen.check_out_button)
    tap_at(qtbot, point)
    warning = screen.dialog  # a one-hour visit checked out at once: confirmed first
    assert isinstance(warning, CheckOutWarning)
    tap_at(qtbot, point)
    assert warning.isVisible() and stored(day).status is VisitStatus.IN_PROGRESS
    qtbot.mouseClick(warning.confirm, TAP)
    assert stored(day).status is VisitStatus.COMPLETED
    assert not focused_at(point)
    tap_at(qtbot, point)
    assert open_dialogs(screen) == [] and stored(day).status is VisitStatus.COMPLETED


def test_a_double_tap_on_mark_missed_marks_nothing_by_itself(qtbot: QtBot, day: Day) -> None:
    start = day.visits[0].scheduled_start
    screen = open_visit(qtbot, day, now=start + timedelta(minutes=40))
    assert screen.missed_button.isEnabled()
    point = spot(screen.missed_button)
    tap_at(qtbot, point)
    dialog = screen.dialog
    assert isinstance(dialog, ReasonDialog)
    tap_at(qtbot, point)
    assert dialog.isVisible() and stored(day).status is VisitStatus.SCHEDULED
    dialog.choose(ExceptionReason.CLIENT_NOT_HOME)
    qtbot.mouseClick(dialog.confirm, TAP)
    assert stored(day).status is VisitStatus.MISSED
    assert not focused_at(point)
    tap_at(qtbot, point)  # "Undo missed" must not be waiting under the finger either
    assert open_dialogs(screen) == [] and stored(day).status is VisitStatus.MISSED


def test_a_double_tap_on_sign_neither_signs_nor_records_an_inability(qtbot: QtBot, day: Day) -> None:
    screen = open_visit(qtbot, day)
    check_in(qtbot, screen)
    qtbot.mouseClick(screen.check_out_button, TAP)
    warning = screen.dialog
    assert isinstance(warning, CheckOutWarning)
    qtbot.mouseClick(warning.confirm, TAP)
    point = spot(screen.sign_button)
    tap_at(qtbot, point)
    pad = screen.pad
    assert isinstance(pad, SignaturePad)
    qtbot.waitExposed(pad)
    tap_at(qtbot, point)
    assert pad.isVisible() and screen.pad is pad and stored(day).signature_id is None
    assert [d for d in open_dialogs(screen) if d is not pad] == [], "a second tap opened a dialog on the pad"
    pad.reject()
