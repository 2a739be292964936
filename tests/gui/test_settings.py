"""Settings: the account, the server address, the sync interval, and signing out (tokens and the offline
check forgotten, records kept, back to sign-in)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.app import Account, Session
from fieldapp.qt.records import Records
from fieldapp.security.unlock import OfflineUnlock
from fieldapp.ui.login import ONLINE
from fieldapp.ui.settings import SettingsScreen
from tests.gui.shell_helpers import (
    LANDSCAPE,
    PORTRAIT,
    Tablet,
    layout_problems,
    make_tablet,
    signed_in_shell,
)
from tests.keyrings import MemoryKeyring


@pytest.fixture
def tablet(tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[Tablet]:
    tablet = make_tablet(tmp_path / "tablet")
    tablet.device.credentials.save("access-token", "refresh-token")
    tablet.device.transport.tokens.update("access-token", "refresh-token")
    OfflineUnlock(tablet.device.profile.unlock_path).remember("nurse", "tablet password 1")
    yield tablet
    tablet.device.close()


class Answers:
    """Stands in for the confirmation dialog."""

    def __init__(self, answer: bool) -> None:
        self.answer, self.questions = answer, []

    def __call__(self, _parent: QWidget, question: str) -> bool:
        self.questions.append(question)
        return self.answer


class IntervalController:
    def __init__(self) -> None:
        self.interval_s: float | None = None

    def set_interval_s(self, seconds: float) -> None:
        self.interval_s = seconds


def open_settings(
    qtbot: QtBot, tablet: Tablet, confirm: Any = None, controller: Any = None
) -> tuple[SettingsScreen, Account]:
    account = Account(tablet.session, controller)
    screen = SettingsScreen(account, Records(tablet.device.store), confirm or Answers(True))
    qtbot.addWidget(screen)
    screen.resize(*LANDSCAPE)
    screen.show()
    return screen, account


def labels(screen: QWidget) -> str:
    return " | ".join(label.text() for label in screen.findChildren(QLabel))


def test_settings_show_the_account_and_this_tablet(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    screen, _ = open_settings(qtbot, tablet)
    text = labels(screen)
    assert "Signed in as nurse (worker)" in text
    assert f"device {tablet.device.store.node_id}" in text
    assert screen.server.text() == "http://127.0.0.1:9"
    assert screen.interval.currentText() == "Every 5 minutes"


def test_the_server_address_is_checked_and_kept_for_the_next_sign_in(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    screen, _ = open_settings(qtbot, tablet)
    wrongs = {
        "not an address": "must not contain spaces",
        "ftp://office.example.org": "must start with https://",
        "https://": "Enter an address such as https://office.example.org.",
    }
    for wrong, message in wrongs.items():
        screen.server.setText(wrong)
        screen.save_server.click()
        assert screen.server_message.property("role") == "error", wrong
        assert message in screen.server_message.text()
    screen.server.setText("office.example.org/")
    screen.save_server.click()
    assert screen.server_message.property("role") == "saved"
    settings = tablet.device.profile.load_settings()
    assert settings is not None and settings.server_url == "https://office.example.org"


def test_the_sync_interval_is_kept_and_applied_when_the_controller_can(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    screen, _ = open_settings(qtbot, tablet)
    screen.interval.setCurrentIndex(screen.interval.findData(900))
    settings = tablet.device.profile.load_settings()
    assert settings is not None and settings.sync_interval_s == 900
    assert "next start" in screen.interval_message.text()
    controller = IntervalController()
    screen, _ = open_settings(qtbot, tablet, controller=controller)
    assert screen.interval.currentText() == "Every 15 minutes"
    screen.interval.setCurrentIndex(screen.interval.findData(60))
    assert controller.interval_s == 60 and "applies now" in screen.interval_message.text()


def test_signing_out_forgets_the_session_and_the_offline_check(
    qtbot: QtBot, tablet: Tablet, memory_keyring: MemoryKeyring, styled_app: QApplication
) -> None:
    confirm = Answers(True)
    screen, account = open_settings(qtbot, tablet, confirm)
    with qtbot.waitSignal(account.signed_out):
        screen.sign_out_button.click()
    assert confirm.questions == [], "nothing unsent: no question"
    assert tablet.device.credentials.load() == (None, None)
    # Sign-out ends the session; the database key stays (the records stay on the tablet, encrypted).
    assert [name for (_, name) in memory_keyring.secrets] == [
        n for (_, n) in memory_keyring.secrets if n.startswith("dbkey:")
    ]
    assert tablet.device.transport.tokens.access is None
    assert not tablet.device.profile.unlock_path.exists()
    assert tablet.device.profile.load_settings() is not None, "the tablet still knows whose records it holds"


def test_signing_out_with_unsent_changes_asks_first(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    from fieldapp.qt.actions import Actions

    Actions(tablet.device.store, tablet.device.blobs, tablet.session.device.settings.user_uuid).edit_patient(
        tablet.patients[0].id, phone="+1 555 0100"
    )
    no = Answers(False)
    screen, account = open_settings(qtbot, tablet, no)
    signed_out: list[bool] = []
    account.signed_out.connect(lambda: signed_out.append(True))
    screen.sign_out_button.click()
    assert len(no.questions) == 1 and no.questions[0].startswith("1 change has not reached the office yet")
    assert signed_out == [] and tablet.device.credentials.load() == ("access-token", "refresh-token")


def test_sign_out_returns_to_the_sign_in_screen(
    qtbot: QtBot, tmp_path: Path, styled_app: QApplication, memory_keyring: MemoryKeyring
) -> None:
    shell = signed_in_shell(tmp_path / "other", qtbot)
    try:
        workspace = shell.workspace
        assert workspace is not None
        session: Session = workspace.session
        window = workspace.window
        window.show_page("settings")
        window.page("settings").sign_out()
        assert shell.workspace is None and shell.login is not None and shell.login.isVisible()
        assert shell.login.mode == ONLINE and shell.login.username.text() == "nurse"
        assert workspace.controller is not None and workspace.controller.stopped
        assert not window.isVisible()
        assert not session.device.profile.unlock_path.exists()
    finally:
        shell.close()
        if shell.login is not None:
            shell.login.close()


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_settings_fit_are_touchable_and_named(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication, size: tuple[int, int]
) -> None:
    screen, _ = open_settings(qtbot, tablet)
    screen.resize(size[0] - 210, size[1] - 100)
    assert layout_problems(qtbot, screen) == []


def test_settings_name_the_worker_with_credential_and_the_agency(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    from fieldapp.domain.people import AgencyCard, WorkerCard

    tablet.device.profile.save_account(
        WorkerCard(username="nurse", full_name="Maria Delgado", credential="RN"),
        AgencyCard(name="Hudson Valley Home Care", phone="845-555-0100"),
    )
    screen, _ = open_settings(qtbot, tablet)
    assert "Maria Delgado, RN · Hudson Valley Home Care · 845-555-0100" in labels(screen)
