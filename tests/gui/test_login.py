"""Sign-in: online against the real server, offline unlock with the right and wrong password, clear
errors, the offline verifier (a scrypt hash, never the password), and work off the GUI thread."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.app import Shell, Workspace, sign_in_online
from fieldapp.config import Profile, ProfileSettings
from fieldapp.qt.signin import SignInProblem, SignInService
from fieldapp.security.unlock import OfflineUnlock, WrongPassword
from fieldapp.ui.login import OFFLINE, ONLINE, LoginScreen
from tests.gui.shell_helpers import DEAD_SERVER, LANDSCAPE, PORTRAIT, WORKER, fake_controller, layout_problems
from tests.integration.conftest import PASSWORD, LiveServer
from tests.keyrings import MemoryKeyring


@pytest.fixture
def shells(qtbot: QtBot, styled_app: QApplication) -> Iterator[list[Shell]]:
    made: list[Shell] = []
    yield made
    for shell in made:
        shell.close()
        if shell.login is not None:
            shell.login.close()


def start_shell(shells: list[Shell], profile: Profile, server: str | None = None) -> Shell:
    shell = Shell(profile, server, maximized=False, controller_factory=fake_controller)
    shells.append(shell)
    shell.start()
    return shell


def signed_in(shell: Shell) -> Workspace:
    assert shell.workspace is not None
    return shell.workspace


def test_online_sign_in_against_the_real_server(
    qtbot: QtBot, tmp_path: Path, live_server: LiveServer, shells: list[Shell], memory_keyring: MemoryKeyring
) -> None:
    profile = Profile.at(tmp_path / "tablet")
    shell = start_shell(shells, profile, live_server.url)
    login = shell.login
    assert login.mode == ONLINE and login.server.text() == live_server.url and login.server.isVisible()
    login.username.setText("nurse")
    login.password.setText(PASSWORD)
    qtbot.mouseClick(login.submit_button, Qt.MouseButton.LeftButton)
    assert login.busy.isVisible() and not login.submit_button.isEnabled(), "busy while the server answers"
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=15_000)
    workspace = signed_in(shell)
    assert workspace.window.isVisible() and shell.login is None
    assert not workspace.session.offline
    settings = profile.load_settings()
    assert settings is not None and settings.username == "nurse" and settings.server_url == live_server.url
    assert any(value for value in memory_keyring.secrets.values()), "tokens went to the keyring"
    verifier = profile.unlock_path.read_text()
    assert PASSWORD not in verifier and json.loads(verifier)["username"] == "nurse"
    for path in profile.folder.rglob("*"):
        if path.is_file() and path.suffix in (".json", ".tmp"):
            assert PASSWORD not in path.read_text(errors="replace"), path


def test_a_wrong_password_online_says_so_and_keeps_the_screen(
    qtbot: QtBot, tmp_path: Path, live_server: LiveServer, shells: list[Shell]
) -> None:
    shell = start_shell(shells, Profile.at(tmp_path / "tablet"), live_server.url)
    login = shell.login
    login.username.setText("nurse")
    login.password.setText("not the password")
    login.submit()
    qtbot.waitUntil(lambda: login.error.isVisible(), timeout=15_000)
    assert login.error.text() == "Wrong user name or password."
    assert not login.busy.isVisible() and login.submit_button.isEnabled() and login.password.isEnabled()
    assert shell.workspace is None and not login.offline_button.isVisible()


def test_server_out_of_reach_offers_offline_sign_in_for_the_last_user(
    qtbot: QtBot, tmp_path: Path, live_server: LiveServer, shells: list[Shell]
) -> None:
    profile = Profile.at(tmp_path / "tablet")
    sign_in_online(profile, live_server.url, "nurse", PASSWORD).device.close()  # an earlier day, online
    shell = start_shell(shells, profile, DEAD_SERVER)
    login = shell.login
    assert login.mode == OFFLINE, "a later start offers the remembered user first"
    login.switch_button.click()
    assert login.mode == ONLINE
    login.server.setText(DEAD_SERVER)
    login.username.setText("nurse")
    login.password.setText(PASSWORD)
    login.submit()
    qtbot.waitUntil(lambda: login.error.isVisible(), timeout=20_000)
    assert login.error.text() == "The server cannot be reached — you can still sign in offline as nurse."
    assert login.offline_button.isVisible() and login.offline_button.text() == "Sign in offline as nurse"
    login.offline_button.click()
    assert login.mode == OFFLINE and login.password.text() == PASSWORD
    login.submit()
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=10_000)
    assert signed_in(shell).session.offline


def remembered_profile(folder: Path, password: str = "tablet password 1") -> Profile:
    """A profile that signed in online before: settings and the offline verifier, no server now."""
    profile = Profile.at(folder)
    profile.save_settings(ProfileSettings(server_url=DEAD_SERVER, username="nurse", user_id=str(WORKER)))
    OfflineUnlock(profile.unlock_path).remember("nurse", password)
    return profile


def test_offline_unlock_with_the_wrong_then_the_right_password(
    qtbot: QtBot, tmp_path: Path, shells: list[Shell]
) -> None:
    shell = start_shell(shells, remembered_profile(tmp_path / "tablet"))
    login = shell.login
    assert login.mode == OFFLINE and login.title.text() == "Welcome back, nurse"
    assert not login.server.isVisible() and not login.username.isVisible()
    login.password.setText("tablet password 2")
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: login.error.isVisible())
    assert login.error.text() == "Wrong password." and shell.workspace is None
    login.password.setText("tablet password 1")
    login.submit()
    qtbot.waitUntil(lambda: shell.workspace is not None)
    workspace = signed_in(shell)
    assert workspace.session.offline
    assert workspace.user_id == WORKER
    settings_page = workspace.window.page("settings")
    assert "Opened offline" in " ".join(
        label.text() for label in settings_page.findChildren(type(login.title))
    )


def test_another_user_cannot_take_over_a_tablet_holding_someone_elses_records(tmp_path: Path) -> None:
    profile = remembered_profile(tmp_path / "tablet")
    with pytest.raises(SignInProblem, match="holds the records of nurse"):
        sign_in_online(profile, DEAD_SERVER, "aide", "whatever password")


def test_missing_fields_are_named_before_anything_is_tried(qtbot: QtBot, styled_app: QApplication) -> None:
    calls: list[object] = []
    service = SignInService(online=lambda *a: calls.append(a), offline=lambda *a: calls.append(a))
    login = LoginScreen(service)
    qtbot.addWidget(login)
    login.submit()
    assert login.error.text() == "Enter the server address the office gave you."
    login.server.setText("office.example.org")
    login.submit()
    assert login.error.text() == "Enter your user name."
    login.username.setText("nurse")
    login.submit()
    assert login.error.text() == "Enter your password." and calls == []


def test_signing_in_runs_off_the_gui_thread_and_the_window_stays_alive(qtbot: QtBot) -> None:
    threads: list[int] = []

    def slow_sign_in(server: str, user: str, password: str) -> str:
        threads.append(threading.get_ident())
        time.sleep(0.4)
        return "session"

    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    service = SignInService(online=slow_sign_in, offline=lambda *a: None)
    with qtbot.waitSignal(service.succeeded, timeout=5_000) as done:
        service.sign_in("https://office", "nurse", "pw")
        assert service.busy
    timer.stop()
    assert done.args == ["session"] and not service.busy
    assert threads and threads[0] != threading.get_ident()
    assert len(ticks) >= 5, "the GUI thread kept running its timers while the sign-in waited"


def test_an_unexpected_failure_is_reported_not_left_spinning(qtbot: QtBot) -> None:
    def broken(*_: str) -> None:
        raise RuntimeError("disk full")

    service = SignInService(online=broken, offline=broken)
    with qtbot.waitSignal(service.failed, timeout=5_000) as failed:
        service.unlock("nurse", "pw")
    assert "disk full" in failed.args[0].message and not service.busy


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
@pytest.mark.parametrize("mode", [ONLINE, OFFLINE])
def test_sign_in_fits_is_touchable_and_named(
    qtbot: QtBot, tmp_path: Path, styled_app: QApplication, size: tuple[int, int], mode: str
) -> None:
    service = SignInService(online=lambda *a: None, offline=lambda *a: None, remembered_user="nurse")
    login = LoginScreen(service)
    qtbot.addWidget(login)
    login.set_mode(mode)
    login._show_problem(SignInProblem("The server cannot be reached — sign in offline as nurse.", "nurse"))
    login.resize(*size)
    login.show()
    qtbot.waitExposed(login)
    assert (login.width(), login.height()) == size
    assert layout_problems(qtbot, login) == []


def test_the_offline_verifier_keeps_a_salted_scrypt_hash_only(tmp_path: Path) -> None:
    unlock = OfflineUnlock(tmp_path / "unlock.json")
    assert unlock.remembered_user() is None
    unlock.remember("Nurse", "correct horse battery")
    data = json.loads((tmp_path / "unlock.json").read_text())
    assert set(data) == {"username", "salt", "digest", "n", "r", "p"}
    assert "correct horse" not in json.dumps(data) and data["n"] >= 2**14
    unlock.check("nurse", "correct horse battery")  # user names compare like the server's
    with pytest.raises(WrongPassword, match="wrong password"):
        unlock.check("nurse", "correct horse batter")
    with pytest.raises(WrongPassword):
        unlock.check("aide", "correct horse battery")
    first_salt = data["salt"]
    unlock.remember("Nurse", "correct horse battery")
    assert json.loads((tmp_path / "unlock.json").read_text())["salt"] != first_salt, "a fresh salt each time"
    (tmp_path / "unlock.json").write_text("{not json")
    assert unlock.remembered_user() is None
    with pytest.raises(WrongPassword, match="no offline sign-in"):
        unlock.check("nurse", "correct horse battery")
    unlock.forget()
    assert not (tmp_path / "unlock.json").exists()


def test_offline_sign_in_pauses_after_wrong_passwords_even_across_restarts(tmp_path: Path) -> None:
    from fieldapp.security.unlock import FIRST_PAUSE_S, FREE_TRIES, UnlockPaused

    path, clock = tmp_path / "unlock.json", [1_000_000.0]
    OfflineUnlock(path).remember("nurse", "correct horse battery")

    def attempt(password: str) -> None:
        OfflineUnlock(path).check_paced("nurse", password, now=lambda: clock[0])  # a fresh start each time

    for _ in range(FREE_TRIES):
        with pytest.raises(WrongPassword, match="wrong password"):
            attempt("guess")
    with pytest.raises(UnlockPaused) as paused:
        attempt("correct horse battery")  # even the right password waits out the pause
    assert paused.value.seconds == FIRST_PAUSE_S
    clock[0] += FIRST_PAUSE_S
    with pytest.raises(WrongPassword, match="wrong password"):
        attempt("guess")
    with pytest.raises(UnlockPaused) as longer:
        attempt("guess")
    assert longer.value.seconds == 2 * FIRST_PAUSE_S, "each further failure doubles the pause"
    clock[0] += 2 * FIRST_PAUSE_S
    attempt("correct horse battery")
    assert json.loads(path.read_text())["failures"] == 0
    with pytest.raises(WrongPassword, match="wrong password"):
        attempt("guess")  # the count started over


def test_the_sign_in_screen_says_how_long_to_wait(tmp_path: Path) -> None:
    from fieldapp.app import unlock_offline
    from fieldapp.config import Profile

    profile = Profile.at(tmp_path / "p")
    OfflineUnlock(profile.unlock_path).remember("nurse", "correct horse battery")
    for _ in range(5):
        with pytest.raises(SignInProblem, match="Wrong password"):
            unlock_offline(profile, "nurse", "guess")
    with pytest.raises(SignInProblem, match=r"Too many wrong passwords\. Wait 3\d s"):
        unlock_offline(profile, "nurse", "correct horse battery")


def test_the_server_address_it_set_for_the_machine_is_filled_in(
    qtbot: QtBot, tmp_path: Path, shells: list[Shell], monkeypatch: pytest.MonkeyPatch, styled_app: object
) -> None:
    site = tmp_path / "site.json"
    site.write_text(json.dumps({"server_url": "https://office.example.org"}), encoding="utf-8")
    monkeypatch.setenv("FIELDAPP_SITE_CONFIG", str(site))
    shell = start_shell(shells, Profile.at(tmp_path / "fresh"))
    assert shell.login is not None and shell.login.server.text() == "https://office.example.org"
    given = start_shell(shells, Profile.at(tmp_path / "other"), "https://elsewhere.example.org")
    assert given.login is not None and given.login.server.text() == "https://elsewhere.example.org"
