"""The main window: navigation, detail pages, the sync status bar, refresh from one signal, and layout at
landscape and portrait sizes (touch targets, accessible names, nothing overlapping)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from fieldapp.app import Workspace, sign_in_online, stylesheet
from fieldapp.config import Profile
from fieldapp.domain.entities import Visit
from fieldapp.qt.controller import SyncStatus
from fieldapp.store import replica, repo
from fieldapp.store.repo import Change
from fieldapp.sync.engine import SyncResult
from fieldapp.ui.common import PlaceholderPage, ago
from tests.gui.shell_helpers import (
    LANDSCAPE,
    PORTRAIT,
    FakeController,
    Tablet,
    as_delivered,
    layout_problems,
)
from tests.integration.conftest import PASSWORD, LiveServer

NAV_PAGES = ("today", "patients", "conflicts", "end_of_day", "settings")


# ``tablet`` and ``workspace``: the shared fixtures of tests/gui/conftest.py (tests/gui/lock_helpers.py).


def test_navigation_reaches_every_page_by_tap_and_by_shortcut(workspace: Workspace, qtbot: QtBot) -> None:
    window = workspace.window
    assert window.current_key == "today"
    for key in NAV_PAGES:
        button = window._pages[key].nav_button
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert window.current_key == key and button.isChecked()
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_key == "patients")  # a button's shortcut animates a click
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_key == "today")


def test_today_ticks_only_while_on_screen(workspace: Workspace, qtbot: QtBot) -> None:
    """Today's minute tick (new day, late visits) runs while it is shown; on another page or in a closed
    window it stops, so it never reads a store that was closed after its window."""
    window = workspace.window
    today = window.page("today")

    def ticking() -> bool:
        return any(timer.isActive() for timer in today.findChildren(QTimer))

    assert window.current_key == "today" and ticking()
    qtbot.mouseClick(window._pages["patients"].nav_button, Qt.MouseButton.LeftButton)
    assert not ticking()
    qtbot.mouseClick(window._pages["today"].nav_button, Qt.MouseButton.LeftButton)
    assert ticking()
    window.close()
    assert not ticking()


def test_opening_a_patient_and_going_back(workspace: Workspace, tablet: Tablet, qtbot: QtBot) -> None:
    window = workspace.window
    window.show_page("patients")
    window.open_patient.emit(tablet.patients[1].id)
    assert window.current_key == "patient"
    assert window.page("patient").name_label.text() == "Harold Whitcombe"
    assert window.back_button.isVisible()
    assert window._pages["patients"].nav_button.isChecked(), "the left column still says where you came from"
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert window.current_key == "patients"
    assert not window.back_button.isVisible()


def test_a_visit_opens_in_the_visit_screen_from_today(workspace: Workspace, tablet: Tablet) -> None:
    window = workspace.window
    today = window.page("today")
    today.cards[0].click()
    assert window.current_key == "visit"
    screen = window.page("visit")
    try:
        from fieldapp.ui.visit import VisitScreen
    except ModuleNotFoundError:
        assert isinstance(screen, PlaceholderPage)
    else:
        assert isinstance(screen, VisitScreen)
        assert screen.visit_id == tablet.visits[0].id
    window.go_back()
    assert window.current_key == "today"


def test_a_page_is_registered_once_and_reached_by_key(workspace: Workspace) -> None:
    window = workspace.window
    with pytest.raises(ValueError, match="already registered"):
        window.add_page("today", "Today", PlaceholderPage("x", "y"))
    extra = window.add_page("help", "Help", PlaceholderPage("Help", "How to use fieldapp"))
    assert window.has_page("help") and window.page("help") is extra
    window.show_page("help")
    assert window.current_key == "help"


def test_a_local_edit_refreshes_views_counts_and_asks_for_a_sync(
    workspace: Workspace, tablet: Tablet
) -> None:
    controller = workspace.controller
    assert isinstance(controller, FakeController)
    bar = workspace.window.status_bar
    assert bar.pending_label.text() == "All changes sent"
    workspace.actions.edit_patient(tablet.patients[0].id, phone="+1 555 0100")
    assert bar.pending_label.text() == "1 change not sent yet"
    assert controller.local_changes == 1
    assert workspace.patients.total == len(tablet.patients)


def test_changes_pulled_by_a_sync_refresh_the_views_without_starting_another_sync(
    workspace: Workspace, tablet: Tablet, qtbot: QtBot
) -> None:
    controller = workspace.controller
    assert isinstance(controller, FakeController)
    visit = tablet.visits[0]
    with tablet.device.store.unit_of_work() as s:  # as if the sync worker had just written it
        repo.update(s, tablet.device.store.clock, Visit, visit.id, {"service_code": "T1019"})
    refreshed = []
    workspace.actions.records_did_change.connect(refreshed.append)
    controller.worker.sync_did_finish.emit(SyncResult(changes=(Change("visit", visit.id, frozenset({"x"})),)))
    qtbot.waitUntil(lambda: bool(refreshed))
    card = workspace.window.page("today").cards[0]
    assert any(label.text() == "T1019 — Personal care" for label in card.findChildren(QLabel))
    assert controller.local_changes == 0


def test_status_bar_says_what_sync_is_doing_in_plain_words(workspace: Workspace) -> None:
    bar = workspace.window.status_bar
    bar.set_status(SyncStatus(stage="pulling", done=2_000, total=10_000, online="online"))
    assert bar.progress.isVisible() and bar.progress_label.text() == "Receiving records: 2,000 of 10,000"
    assert bar.progress.value() == 2_000 and bar.progress.maximum() == 10_000
    assert bar.online_label.text() == "● Syncing…" and not bar.sync_button.isEnabled()
    bar.set_status(SyncStatus(stage="starting", online="online"))
    assert bar.progress.maximum() == 0, "unknown size: a busy bar, not a wrong percentage"
    twelve_minutes_ago = datetime.now(UTC) - timedelta(minutes=12)
    bar.set_status(
        SyncStatus(
            online="offline",
            last_success=twelve_minutes_ago,
            last_error="the office server cannot be reached (no connection); your changes are safe",
        )
    )
    assert not bar.progress.isVisible()
    assert bar.online_label.text() == "● Offline"
    assert bar.last_sync_label.text() == "Last sync: 12 min ago"
    assert bar.error_label.isVisible()
    assert "cannot be reached" in bar.error_label.text() and "safe" in bar.error_label.text()
    # The engine's three kinds of failure (tests/integration/test_faults.py) read differently.
    for error, words in [
        (
            "the transfer was interrupted 3 times (the connection dropped mid-way); it will be retried at "
            "the next sync, and your changes are safe on this tablet",
            "interrupted",
        ),
        ("the office server refused the request: this device's cursor is not valid", "refused"),
    ]:
        bar.set_status(SyncStatus(online="online", last_error=error))
        text = bar.error_label.text()
        assert text.startswith("Last sync did not finish: the ") and words in text
        assert "cannot be reached" not in text
    bar.set_status(SyncStatus(online="unknown", last_success=datetime.now(UTC)))
    assert not bar.error_label.isVisible() and bar.online_label.text() == "● Network unknown"
    assert bar.sync_button.isEnabled() and bar.sync_button.text() == "Sync now"


def test_sync_now_by_button_and_by_f5(workspace: Workspace, qtbot: QtBot) -> None:
    controller = workspace.controller
    assert isinstance(controller, FakeController)
    qtbot.mouseClick(workspace.window.status_bar.sync_button, Qt.MouseButton.LeftButton)
    QTest.keyClick(workspace.window, Qt.Key.Key_F5)
    assert controller.syncs == 2


def test_conflicts_badge_counts_what_needs_a_person(workspace: Workspace, tablet: Tablet) -> None:
    window = workspace.window
    badge = window._pages["conflicts"].badge
    assert badge is not None and not badge.isVisible()
    patient = tablet.patients[0]
    workspace.actions.edit_patient(patient.id, phone="+1 555 0111")  # the tablet's edit ...
    office = patient.model_copy(update={"phone": "+1 555 0199"})  # ... and the office's, at the same time
    with tablet.device.store.unit_of_work() as s:
        replica.apply_remote(s, tablet.device.store.clock, as_delivered([office]))
    workspace.actions.announce([Change("patient", patient.id, frozenset({"phone"}))])
    assert badge.isVisible() and badge.text() == "1"
    assert window.status_bar.conflicts_button.isVisible()
    window.status_bar.conflicts_button.click()
    assert window.current_key == "conflicts"


def test_without_a_sync_controller_the_bar_says_changes_stay_here(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    workspace = Workspace(tablet.session, controller_factory=lambda *_: None)
    qtbot.addWidget(workspace.window)
    bar = workspace.window.status_bar
    assert not bar.sync_button.isEnabled()
    assert "not part of this build" in bar.error_label.text()


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_every_page_fits_is_touchable_and_named(
    workspace: Workspace, tablet: Tablet, qtbot: QtBot, size: tuple[int, int]
) -> None:
    window = workspace.window
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    pages = [*NAV_PAGES, "patient"]
    for key in pages:
        if key == "patient":
            window.open_patient.emit(tablet.patients[0].id)
        else:
            window.show_page(key)
        assert window.current_key == key
        assert layout_problems(qtbot, window) == [], key


def test_the_stylesheet_points_at_bundled_files() -> None:
    sheet = stylesheet()
    assert "@RESOURCES@" not in sheet and "chevron-down.svg" in sheet
    assert 'QLabel[role="allergy"]' in sheet, "allergies have their own, loud style"


def test_relative_times_read_naturally() -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert ago(None, now) == "never"
    assert ago(now - timedelta(seconds=20), now) == "just now"
    assert ago(now - timedelta(minutes=12), now) == "12 min ago"
    assert ago(now - timedelta(hours=3), now) == "3 h ago"
    assert ago(now - timedelta(days=1, hours=2), now) == "yesterday"
    assert ago(now - timedelta(days=4), now) == "4 days ago"


def test_a_real_sync_fills_the_screens_and_sends_local_edits(
    qtbot: QtBot, tmp_path: Path, live_server: LiveServer, styled_app: QApplication
) -> None:
    from fieldapp import demodata

    patient = next(demodata.patients(1, seed=11))
    today = datetime.now(UTC).date()
    visit = next(demodata.visits_for_day([patient.id], live_server.users["nurse"], today))
    live_server.office_writes(patient, visit)
    live_server.assign("nurse", patient.id)
    session = sign_in_online(Profile.at(tmp_path / "tablet"), live_server.url, "nurse", PASSWORD)
    workspace = Workspace(session)
    qtbot.addWidget(workspace.window)
    try:
        assert workspace.controller is not None and workspace.window.page("today").cards == []
        workspace.start()
        qtbot.waitUntil(lambda: len(workspace.window.page("today").cards) == 1, timeout=20_000)
        assert workspace.patients.total == 1
        bar = workspace.window.status_bar
        qtbot.waitUntil(lambda: bar.last_sync_label.text() == "Last sync: just now", timeout=20_000)
        workspace.actions.edit_patient(patient.id, phone="+1 845 555 0142")
        assert bar.pending_label.text() == "1 change not sent yet"
        qtbot.waitUntil(lambda: bar.pending_label.text() == "All changes sent", timeout=20_000)
    finally:
        workspace.close()
