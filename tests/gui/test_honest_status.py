"""Honest status against the real server: the status bar and End of day say the same number of unsent
changes at every moment, End of day follows a sync live (no "Syncing…" left behind, counts without leaving
the page), and nothing on the page moves while the sync bar shows its progress."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.app import Workspace
from fieldapp.qt.session import Session
from fieldapp.readmodels.status import StoreStatus, SyncStatus
from fieldapp.ui.end_of_day import EndOfDayScreen
from tests import factories
from tests.gui.lock_helpers import TAP
from tests.gui.shell_helpers import LANDSCAPE
from tests.integration.conftest import LiveServer

SYNCED = 12_000  # ms: the issue saw "Syncing…" stay longer than this


def scheduled_today(live_server: LiveServer) -> uuid.UUID:
    nurse = live_server.users["nurse"]
    patient = factories.patient(given_name="Ada", family_name="Quispe")
    start = datetime.combine(datetime.now(UTC).date(), time(12, 0), tzinfo=UTC)
    visit = factories.visit(
        patient.id, worker_id=nurse, scheduled_start=start, scheduled_end=start + timedelta(hours=1)
    )
    live_server.office_writes(patient, visit)
    live_server.assign("nurse", patient.id)
    return visit.id


@pytest.fixture
def synced(
    qtbot: QtBot, new_device: Callable[..., Any], live_server: LiveServer, styled_app: QApplication
) -> Iterator[tuple[Workspace, uuid.UUID]]:
    """A nurse's workspace with its real sync controller, after its first sync brought today's visit."""
    visit_id = scheduled_today(live_server)
    workspace = Workspace(Session(new_device("nurse"), offline=False))
    qtbot.addWidget(workspace.window)
    workspace.window.resize(*LANDSCAPE)
    workspace.window.show()
    qtbot.waitExposed(workspace.window)
    workspace.start()
    qtbot.waitUntil(lambda: workspace.records.visit_detail(visit_id) is not None, timeout=30_000)
    assert workspace.controller is not None
    qtbot.waitUntil(lambda: not workspace.controller.status.running, timeout=30_000)  # type: ignore[union-attr]
    yield workspace, visit_id
    workspace.close(close_store=False)


def shown(workspace: Workspace) -> tuple[str, str, bool]:
    """What the bar and End of day say about unsent changes: the bar's words, the tile, the notice."""
    eod = end_of_day(workspace)
    return (
        workspace.window.status_bar.pending_label.text(),
        eod.tiles["unsent"].number.text(),
        (eod.unsent_notice.isVisibleTo(eod)),
    )


def end_of_day(workspace: Workspace) -> EndOfDayScreen:
    page = workspace.window.page("end_of_day")
    assert isinstance(page, EndOfDayScreen)
    return page


def agree(bar: str, tile: str, notice: bool) -> bool:
    if tile == "0":
        return bar.startswith("All changes sent") and not notice
    return bar.startswith(f"{tile} change") and notice


def test_the_bar_and_end_of_day_say_the_same_and_end_of_day_follows_a_sync_live(
    qtbot: QtBot, synced: tuple[Workspace, uuid.UUID]
) -> None:
    workspace, visit_id = synced
    workspace.window.show_page("end_of_day")
    eod = end_of_day(workspace)
    seen: list[tuple[str, str, bool]] = []
    # Queued: looks once the chain of updates a read set off is over, as the next paint would show it.
    workspace.window.pending_changes.changed.connect(
        lambda _counts: seen.append(shown(workspace)), Qt.ConnectionType.QueuedConnection
    )
    assert agree(*shown(workspace)), shown(workspace)

    workspace.actions.add_note(visit_id, "Ada alert and cheerful.")
    assert shown(workspace) == ("1 change not sent yet", "1", True)

    qtbot.mouseClick(eod.sync_button, TAP)  # on the page: the worker does not leave it
    qtbot.waitUntil(lambda: shown(workspace)[1] == "0", timeout=SYNCED)
    qtbot.waitUntil(lambda: "Syncing" not in eod.status.text(), timeout=SYNCED)
    assert shown(workspace) == ("All changes sent", "0", False)
    assert eod.status.text().startswith("Synced"), eod.status.text()
    assert workspace.window.current_key == "end_of_day"
    assert seen and all(agree(*s) for s in seen), seen


def geometry(window: QWidget, widgets: list[QWidget]) -> list[QRect]:
    for _ in range(3):  # the bar's own layout first, then the window's, as the event loop would
        QApplication.processEvents()
        window.centralWidget().layout().activate()
    return [QRect(w.mapTo(window, QPoint(0, 0)), w.size()) for w in widgets]


def test_nothing_on_the_page_moves_while_a_sync_shows_its_progress(
    qtbot: QtBot, synced: tuple[Workspace, uuid.UUID]
) -> None:
    workspace, visit_id = synced
    window = workspace.window
    window.show_page("end_of_day")
    eod = end_of_day(workspace)
    bar = window.status_bar
    watched = [window.stack, bar, eod.create_button, bar.sync_button, bar.pending_label]
    before = geometry(window, watched)
    during: list[list[QRect]] = []
    stages: list[str] = []

    def measure(status: SyncStatus) -> None:
        if status.running:
            stages.append(status.stage)
            during.append(geometry(window, watched))

    assert workspace.controller is not None
    workspace.controller.status_changed.connect(measure)
    workspace.actions.add_note(visit_id, "Dressing changed.")
    with qtbot.waitSignal(window.pending_changes.sync_did_finish, timeout=SYNCED):
        qtbot.mouseClick(bar.sync_button, TAP)
    after = geometry(window, watched)
    assert stages and during, "the sync reported no progress"
    for rects in during:
        assert rects == before, (stages, before, rects)
    assert after == before


def test_a_stage_shown_by_hand_takes_no_room_either(qtbot: QtBot, workspace: Workspace) -> None:
    """The same with each stage set on the bar directly (a slow cycle, a busy bar without a total)."""
    window, bar = workspace.window, workspace.window.status_bar
    watched = [window.stack, bar, bar.sync_button, bar.pending_label, bar.online_label]
    before = geometry(window, watched)
    for status in (
        SyncStatus(stage="starting", online="online"),
        SyncStatus(stage="pushing", done=1, total=3, online="online"),
        SyncStatus(stage="pulling", done=2_000, total=10_000, online="online"),
    ):
        bar.set_status(status)
        assert bar.progress.isVisible()
        assert geometry(window, watched) == before, status.stage
    bar.set_status(SyncStatus(stage="idle", online="online"))
    assert geometry(window, watched) == before


def test_the_shared_counts_tell_every_listener_once_per_read(qtbot: QtBot, workspace: Workspace) -> None:
    pending = workspace.window.pending_changes
    got: list[StoreStatus] = []
    pending.changed.connect(got.append)
    finished: list[str | None] = []
    pending.sync_did_finish.connect(finished.append)
    pending.set_sync_status(SyncStatus(stage="pushing"))
    assert pending.syncing and not got and not finished
    pending.set_sync_status(SyncStatus(stage="idle", last_error="The office server cannot be reached."))
    assert not pending.syncing and len(got) == 1 and finished == ["The office server cannot be reached."]
    pending.set_sync_status(SyncStatus(stage="idle"))  # no cycle ended: nothing read again
    assert len(got) == 1 and len(finished) == 1


def test_end_of_day_says_when_a_sync_did_not_go_through(qtbot: QtBot, workspace: Workspace) -> None:
    window, bar = workspace.window, workspace.window.status_bar
    window.show_page("end_of_day")
    eod = end_of_day(workspace)
    qtbot.mouseClick(eod.sync_button if eod.sync_button.isVisible() else bar.sync_button, TAP)
    bar.set_status(SyncStatus(stage="pushing", online="offline"))
    bar.set_status(
        SyncStatus(stage="idle", online="offline", last_error="The office server cannot be reached.")
    )
    assert eod.status.text() == "The sync did not finish: The office server cannot be reached."
    assert eod.status.property("role") == "error"
