"""A signed-in tablet whose user can unlock it offline, and its workspace on screen (shared GUI fixtures)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.app import Workspace
from fieldapp.security.unlock import OfflineUnlock
from tests.gui.shell_helpers import LANDSCAPE, Tablet, fake_controller, make_tablet

PASSWORD = "tablet password 1"
TAP = Qt.MouseButton.LeftButton


@pytest.fixture
def tablet(tmp_path: Path) -> Iterator[Tablet]:
    tablet = make_tablet(tmp_path / "tablet")
    OfflineUnlock(tablet.device.profile.unlock_path).remember("nurse", PASSWORD)
    yield tablet
    tablet.device.close()


@pytest.fixture
def workspace(qtbot: QtBot, tablet: Tablet, styled_app: QApplication) -> Iterator[Workspace]:
    workspace = Workspace(tablet.session, controller_factory=fake_controller)
    qtbot.addWidget(workspace.window)
    workspace.window.resize(*LANDSCAPE)
    workspace.window.show()
    workspace.window.activateWindow()
    qtbot.waitActive(workspace.window)
    yield workspace
    workspace.idle.stop()
    workspace.session_lock.detach()
    workspace.lock_overlay.release()
    if workspace.controller is not None:
        workspace.controller.stop()


def unlock(qtbot: QtBot, workspace: Workspace, password: str = PASSWORD) -> None:
    """Type the password on the lock screen and tap Unlock; waits until the workspace is unlocked."""
    overlay = workspace.lock_overlay
    overlay.password.setFocus()
    QTest.keyClicks(overlay.password, password)
    with qtbot.waitSignal(workspace.lock.unlocked, timeout=5_000):
        qtbot.mouseClick(overlay.unlock_button, TAP)
