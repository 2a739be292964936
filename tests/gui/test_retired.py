"""Retirement on screen, against the real server: the office disables the tablet while it holds an unsent
edit; the next sync hands the edit and the audit log in, then the app closes the workspace, erases the
tablet (keys out of the keyring, profile files deleted, wipe confirmed to the server) and says so on a
full-window screen, again at every start, until "Set up again" brings back an empty sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.app import Shell, Workspace
from fieldapp.config import Profile
from fieldapp.qt.retirement import RetirementService
from fieldapp.server.models import Device as ServerDevice
from fieldapp.server.models import Record
from fieldapp.ui.login import ONLINE
from fieldapp.ui.retired import ERASING, TITLE, RetiredScreen
from tests import factories
from tests.gui.shell_helpers import LANDSCAPE, PORTRAIT, layout_problems
from tests.integration.conftest import PASSWORD, LiveServer
from tests.keyrings import MemoryKeyring

TAP = Qt.MouseButton.LeftButton
SLOW = 30_000  # ms; each wait ends as soon as its condition holds


@pytest.fixture
def shells(qtbot: QtBot, styled_app: QApplication) -> Iterator[list[Shell]]:
    made: list[Shell] = []
    yield made
    for shell in made:
        shell.close()
        window = shell.workspace.window if shell.workspace else None
        for widget in (shell.login, shell.retired_screen, window):
            if widget is not None:
                widget.close()


def office_headers(base: str) -> dict[str, str]:
    answer = requests.post(
        f"{base}/auth/login",
        json={"username": "office", "password": PASSWORD, "device_id": "officedesk1"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def signed_in(qtbot: QtBot, shell: Shell) -> Workspace:
    shell.start()
    login = shell.login
    assert login is not None
    login.username.setText("nurse")
    login.password.setText(PASSWORD)
    login.submit()
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=SLOW)
    assert shell.workspace is not None
    return shell.workspace


def test_a_retired_tablet_hands_its_edit_in_erases_itself_and_says_so_until_set_up_again(
    qtbot: QtBot, tmp_path: Path, live_server: LiveServer, memory_keyring: MemoryKeyring, shells: list[Shell]
) -> None:
    patient = factories.patient(given_name="Ada", family_name="Quispe")
    live_server.office_writes(patient)
    live_server.assign("nurse", patient.id)
    profile = Profile.at(tmp_path / "tablet")
    shell = Shell(profile, live_server.url, maximized=False)
    shells.append(shell)
    workspace = signed_in(qtbot, shell)
    window, controller = workspace.window, workspace.controller
    assert controller is not None, "the real sync controller"
    qtbot.waitUntil(lambda: workspace.records.patient(patient.id) is not None, timeout=SLOW)
    device_id = workspace.session.device.store.node_id
    names = [name for _service, name in memory_keyring.secrets]
    assert any(n.startswith("dbkey:") for n in names) and any(n.startswith(device_id) for n in names)

    # The office takes the tablet out of service; meanwhile the worker edits a record on it.
    office = office_headers(live_server.url)
    disable = f"{live_server.url}/admin/devices/{device_id}/disable"
    disabled = requests.post(disable, headers=office, timeout=10)
    assert disabled.status_code == 204
    window.open_patient.emit(patient.id)
    workspace.actions.edit_patient(patient.id, phone="+1 845 555 0142")
    assert workspace.records.pending_count() == 1
    controller.sync_now()

    qtbot.waitUntil(lambda: shell.retired_screen is not None, timeout=SLOW)
    screen = shell.retired_screen
    assert shell.workspace is None and controller.worker_thread.isFinished(), "sync stopped"
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert shown == [screen], "no patient data left on screen: the retired screen is the only window"
    qtbot.waitUntil(screen.set_up_button.isEnabled, timeout=SLOW)
    assert screen.isVisible() and screen.title.text() == TITLE
    assert "removed from service by the office" in screen.message.text()
    assert "have been erased" in screen.message.text() and not screen.busy.isVisible()

    # The edit reached the office before the wipe; the wipe was confirmed; the audit log went along.
    with live_server.database.read() as session:
        record = session.get(Record, patient.id)
        assert record is not None and record.fields["phone"] == "+1 845 555 0142"
        server_device = session.get(ServerDevice, device_id)
        assert server_device is not None and server_device.disabled and server_device.wiped_at is not None
    logged = requests.get(
        f"{live_server.url}/admin/audit/devices", params={"device_id": device_id}, headers=office, timeout=10
    )
    assert logged.status_code == 200, logged.text
    actions = {entry["action"] for entry in logged.json()}
    assert {"sign_in", "view", "edit", "retired"} <= actions

    # Nothing of the tablet is left but the note saying why; the keyring holds no key and no token.
    assert [path.name for path in profile.folder.iterdir()] == ["retired.json"]
    names = [name for _service, name in memory_keyring.secrets]
    assert not any(n.startswith("dbkey:") or n.startswith(device_id) for n in names), names

    # A later start shows the same screen, and "Set up again" brings an empty sign-in.
    shell.close()
    screen.close()
    again = Shell(profile, live_server.url, maximized=False)
    shells.append(again)
    again.start()
    assert again.login is None and again.workspace is None
    screen = again.retired_screen
    assert screen is not None and screen.isVisible() and screen.set_up_button.isEnabled()
    assert "removed from service by the office" in screen.message.text()
    qtbot.mouseClick(screen.set_up_button, TAP)
    login = again.login
    assert again.retired_screen is None and login is not None and login.isVisible()
    assert login.mode == ONLINE and login.username.text() == "" and login.server.text() == live_server.url
    assert not (profile.folder / "retired.json").exists()


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_the_retired_screen_fits_is_touchable_and_named(
    qtbot: QtBot, styled_app: QApplication, size: tuple[int, int]
) -> None:
    reset: list[bool] = []
    service = RetirementService(lambda: reset.append(True), erase=lambda: "Erased. " * 30)
    screen = RetiredScreen(service)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    assert screen.message.text() == ERASING and not screen.set_up_button.isEnabled()
    screen.set_up_button.click()
    with qtbot.waitSignal(service.finished, timeout=5_000):
        service.start()
    assert screen.message.text().startswith("Erased.") and screen.set_up_button.isEnabled()
    assert layout_problems(qtbot, screen) == []
    assert screen.set_up_button.height() >= 48
    with qtbot.waitSignal(service.reset):
        qtbot.mouseClick(screen.set_up_button, TAP)
    assert reset == [True]


def test_an_erase_that_fails_is_said_plainly(qtbot: QtBot, styled_app: QApplication) -> None:
    def broken() -> str:
        raise OSError("disk is read-only")

    service = RetirementService(lambda: None, erase=broken)
    screen = RetiredScreen(service)
    qtbot.addWidget(screen)
    with qtbot.waitSignal(service.finished, timeout=5_000):
        service.start()
    assert "disk is read-only" in screen.message.text() and "next start" in screen.message.text()


def test_set_up_again_is_refused_while_the_old_data_cannot_be_erased(
    qtbot: QtBot, styled_app: QApplication
) -> None:
    def cannot(_: object = None) -> None:
        raise RuntimeError("no system keyring")

    service = RetirementService(cannot, message="This tablet was removed from service.")
    screen = RetiredScreen(service)
    qtbot.addWidget(screen)
    resets: list[bool] = []
    service.reset.connect(lambda: resets.append(True))
    screen.set_up_button.click()
    assert resets == [], "no sign-in while the old data is still there"
    assert (
        "cannot be set up again yet" in screen.message.text() and "no system keyring" in screen.message.text()
    )
