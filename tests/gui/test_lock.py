"""The automatic lock: idle, the OS session lock, a suspended app and "Lock now" lock the workspace; the
lock screen hides every bit of patient data without destroying what is on screen; the password (checked
offline, off the GUI thread) unlocks it with everything as it was; repeated wrong passwords pause."""

from __future__ import annotations

import ctypes
import json
import threading
import time
from collections.abc import Callable
from ctypes import wintypes
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from fieldapp.app import Workspace
from fieldapp.config import Profile, SettingsError
from fieldapp.domain.entities import Patient
from fieldapp.domain.values import Location, LocationKind
from fieldapp.qt.idle import IdleWatcher
from fieldapp.qt.lock import LockService, UnlockRefused
from fieldapp.qt.session_lock import (
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    WTS_SESSION_UNLOCK,
    SessionLockWatcher,
    asks_to_lock,
)
from fieldapp.store import repo
from fieldapp.store.repo import Change
from fieldapp.sync.engine import SyncResult
from fieldapp.ui.lock import LOCKED_TITLE, TOUCH_LOCK, LockOverlay
from tests.gui.lock_helpers import TAP, unlock
from tests.gui.shell_helpers import (
    LANDSCAPE,
    PORTRAIT,
    WORKER,
    FakeController,
    Tablet,
    controls,
    layout_problems,
)


def visible_outside(overlay: QWidget, window: QWidget) -> list[str]:
    """Widgets of ``window`` a person (or a screen reader) could see that are not the lock screen."""
    return [
        f"{type(w).__name__}({w.objectName() or w.accessibleName()})"
        for w in window.findChildren(QWidget)
        if w.isVisibleTo(window) and w is not overlay and not overlay.isAncestorOf(w) and not w.isWindow()
    ]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- covering and restoring ---------------------------------------------------------------------------------


def test_the_lock_hides_every_bit_of_patient_data_and_unlock_restores_a_field_being_edited(
    qtbot: QtBot, workspace: Workspace, tablet: Tablet
) -> None:
    window, overlay, lock = workspace.window, workspace.lock_overlay, workspace.lock
    controller = workspace.controller
    assert isinstance(controller, FakeController)
    patient = tablet.patients[0]
    window.open_patient.emit(patient.id)
    record = window.page("patient")
    phone = record.fields["phone"].edit
    phone.setFocus()
    qtbot.waitUntil(phone.hasFocus)
    phone.selectAll()
    QTest.keyClicks(phone, "+1 845 555 01")
    QTest.keyClick(phone, Qt.Key.Key_Left)
    typed, cursor = phone.text(), phone.cursorPosition()
    window.setWindowTitle("fieldapp – Zoë Núñez-O'Brien")  # as if the title named the patient

    qtbot.mouseClick(window.lock_button, TAP)

    assert lock.is_locked and lock.reason == "manual" and overlay.covering and overlay.isVisible()
    assert overlay.geometry() == window.rect(), "the lock screen covers the whole window"
    assert window.windowTitle() == LOCKED_TITLE
    assert visible_outside(overlay, window) == [], "nothing of the workspace is visible or readable"
    assert QApplication.focusWidget() is overlay.password
    assert overlay.user_label.text() == "Signed in as nurse"
    assert not controller.stopped, "sync keeps running while locked"

    # Keyboard focus cannot reach anything underneath, and the window's shortcuts do nothing.
    for _ in range(12):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        assert focused is not None and overlay.isAncestorOf(focused), focused
    overlay.password.setFocus()
    for key, modifier in (
        (Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier),  # the Patients page
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),  # back
        (Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier),  # sync now
        (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),  # find
    ):
        QTest.keyClick(overlay.password, key, modifier)
    qtbot.wait(300)  # a button's shortcut would animate a click first
    assert window.current_key == "patient" and controller.syncs == 0
    QTest.keyClicks(overlay.password, "typed here")
    assert overlay.password.text() == "typed here", "keys go to the lock screen"

    # While locked, a sync brings the office's change to the same patient: the view under the lock
    # refreshes, and the field being edited keeps what was typed.
    assert patient.address is not None
    moved = patient.address.model_copy(update={"city": "Rhinebeck"})
    with tablet.device.store.unit_of_work() as s:  # as if the sync worker had just written it
        repo.update(s, tablet.device.store.clock, Patient, patient.id, {"address": moved})
    controller.worker.sync_did_finish.emit(SyncResult(changes=(Change("patient", patient.id, frozenset()),)))
    qtbot.waitUntil(lambda: record.fields["address.city"].edit.text() == "Rhinebeck")

    # A wrong password is refused with a clear message and the field cleared.
    overlay.password.clear()
    QTest.keyClicks(overlay.password, "tablet password 2")
    with qtbot.waitSignal(lock.failed, timeout=5_000):
        qtbot.keyClick(overlay.password, Qt.Key.Key_Return)
    assert overlay.error.isVisible() and overlay.error.text().startswith("Wrong password.")
    assert overlay.password.text() == "" and lock.is_locked

    unlock(qtbot, workspace)
    assert not overlay.isVisible() and not lock.is_locked
    assert window.windowTitle() == "fieldapp – Zoë Núñez-O'Brien"
    assert window.current_key == "patient" and window.centralWidget().isVisible()
    assert phone.text() == typed and QApplication.focusWidget() is phone
    assert phone.cursorPosition() == cursor
    # Locking left the field as deactivating the window does: by the record's rule it is saved here.
    saved = workspace.records.patient(patient.id)
    assert isinstance(saved, Patient) and saved.phone == typed


def test_a_note_being_written_and_a_half_drawn_signature_survive_a_lock(
    qtbot: QtBot, workspace: Workspace, tablet: Tablet
) -> None:
    window, overlay, lock = workspace.window, workspace.lock_overlay, workspace.lock
    first, second = tablet.visits[0], tablet.visits[1]
    workspace.actions.check_in(first.id, Location(kind=LocationKind.HOME))
    window.open_visit.emit(first.id)
    visit = window.page("visit")
    visit.note_editor.setFocus()
    QTest.keyClicks(visit.note_editor, "Wound clean, dressing changed; patient")
    cursor = visit.note_editor.textCursor().position()

    lock.lock("idle")
    assert overlay.covering and not visit.isVisible()
    unlock(qtbot, workspace)
    assert visit.note_editor.toPlainText() == "Wound clean, dressing changed; patient"
    assert QApplication.focusWidget() is visit.note_editor
    assert visit.note_editor.textCursor().position() == cursor

    # The patient starts signing the second visit on the full-screen pad (a window of its own).
    workspace.actions.check_in(second.id, Location(kind=LocationKind.HOME))
    workspace.actions.check_out(second.id)
    window.open_visit.emit(second.id)
    pad = visit.open_signature_pad()
    assert pad is not None
    qtbot.waitExposed(pad)
    canvas = pad.canvas
    y = canvas.height() // 2
    QTest.mousePress(canvas, TAP, Qt.KeyboardModifier.NoModifier, QPoint(40, y))
    for x in range(50, 300, 10):
        QTest.mouseMove(canvas, QPoint(x, y + (x % 30)))
    QTest.mouseRelease(canvas, TAP, Qt.KeyboardModifier.NoModifier, QPoint(300, y))
    strokes = [list(stroke) for stroke in canvas.strokes]
    assert strokes and pad.name.text()
    pad.name.setText("Harold Whitcombe (by his son)")

    lock.lock("session")
    assert not pad.isVisible(), "the pad names the patient: hidden while locked"
    assert overlay.covering and QApplication.focusWidget() is overlay.password
    unlock(qtbot, workspace)
    qtbot.waitUntil(pad.isVisible)
    assert visit.pad is pad and pad.windowModality() == Qt.WindowModality.WindowModal
    assert [list(stroke) for stroke in canvas.strokes] == strokes
    assert pad.name.text() == "Harold Whitcombe (by his son)"
    pad.reject()


def test_lock_now_by_button_and_by_ctrl_l(qtbot: QtBot, workspace: Workspace) -> None:
    window = workspace.window
    assert window.lock_button.accessibleName() and window.lock_button.height() >= 44
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: workspace.lock.is_locked)
    assert workspace.lock.reason == "manual"
    unlock(qtbot, workspace)
    qtbot.mouseClick(window.lock_button, TAP)
    assert workspace.lock.is_locked


# -- what locks ----------------------------------------------------------------------------------------------


def test_no_input_for_the_set_time_locks_and_the_watch_resumes_after_unlocking(
    qtbot: QtBot, workspace: Workspace
) -> None:
    idle = workspace.idle
    assert idle.timeout_s == 300, "five minutes unless the worker chose otherwise"
    idle.set_timeout_s(0.3)
    idle.start()
    qtbot.waitUntil(lambda: workspace.lock.is_locked, timeout=5_000)
    assert workspace.lock.reason == "idle" and not idle.watching, "no idle lock while locked"
    unlock(qtbot, workspace)
    assert idle.watching


def test_input_postpones_the_idle_lock(qtbot: QtBot, styled_app: QApplication) -> None:
    clock = FakeClock()
    idle = IdleWatcher(300, clock=clock)
    said: list[bool] = []
    idle.idle.connect(lambda: said.append(True))
    target = QWidget()
    qtbot.addWidget(target)
    idle.start()
    try:
        clock.now += 200
        QTest.keyClick(target, Qt.Key.Key_A)  # input 200 s in
        clock.now += 150
        idle._check()  # the timer fires 300 s after the start: only 150 s were quiet
        assert not said and idle.watching
        for send in (
            lambda: QTest.mouseClick(target, TAP),
            lambda: QTest.mouseMove(target, QPoint(5, 5)),
            lambda: QTest.keyClick(target, Qt.Key.Key_Space),
        ):
            clock.now += 299
            send()
            idle._check()
            assert not said
        clock.now += 300
        idle._check()
        assert said == [True] and not idle.watching
    finally:
        idle.stop()


def test_the_quiet_period_really_ends_in_a_lock_by_the_timer(qtbot: QtBot) -> None:
    idle = IdleWatcher(0.2)
    with qtbot.waitSignal(idle.idle, timeout=5_000):
        idle.start()
    assert not idle.watching


def windows_msg(message: int, wparam: int) -> wintypes.MSG:
    msg = wintypes.MSG()
    msg.message, msg.wParam = message, wparam
    return msg


def test_the_windows_session_lock_message_asks_to_lock() -> None:
    locked = windows_msg(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
    assert asks_to_lock(b"windows_generic_MSG", ctypes.addressof(locked))
    assert asks_to_lock(b"windows_dispatcher_MSG", ctypes.addressof(locked))
    unlocked = windows_msg(WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK)
    assert not asks_to_lock(b"windows_generic_MSG", ctypes.addressof(unlocked))
    other = windows_msg(0x0010, WTS_SESSION_LOCK)  # WM_CLOSE
    assert not asks_to_lock(b"windows_generic_MSG", ctypes.addressof(other))
    assert not asks_to_lock(b"xcb_generic_event_t", ctypes.addressof(locked)), "never read as a MSG"
    assert not asks_to_lock(b"windows_generic_MSG", 0)


def test_the_native_filter_passes_a_session_lock_on_and_filters_nothing(qtbot: QtBot) -> None:
    watcher = SessionLockWatcher()
    try:
        locked = windows_msg(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
        with qtbot.waitSignal(watcher.lock_requested) as asked:
            answer = watcher.native_filter.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(locked))
        assert asked.args == ["session"] and answer == (False, 0)
        with qtbot.assertNotEmitted(watcher.lock_requested):
            watcher.native_filter.nativeEventFilter(b"xcb_generic_event_t", ctypes.addressof(locked))
        if not QGuiApplication.platformName().startswith("windows"):
            assert watcher.attach(QMainWindow()) is False, "nothing is registered on other platforms"
    finally:
        watcher.detach()


def test_the_session_lock_and_a_suspended_app_lock_the_workspace(qtbot: QtBot, workspace: Workspace) -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)  # another window in front
    assert not workspace.lock.is_locked
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationSuspended)
    assert workspace.lock.is_locked and workspace.lock.reason == "suspended"
    unlock(qtbot, workspace)
    locked = windows_msg(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK)
    workspace.session_lock.native_filter.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(locked))
    assert workspace.lock.is_locked and workspace.lock.reason == "session"


# -- unlocking -----------------------------------------------------------------------------------------------


def refusing(calls: list[str], right: str = "right") -> Callable[[str], None]:
    def verify(password: str) -> None:
        calls.append(password)
        if password != right:
            raise UnlockRefused("Wrong password.")

    return verify


def test_five_wrong_passwords_start_a_pause_that_doubles_and_counts_down(qtbot: QtBot) -> None:
    clock, calls, entries = FakeClock(), [], []
    lock = LockService(
        "nurse", refusing(calls), audit=lambda action, detail: entries.append((action, detail)), clock=clock
    )
    lock.lock("idle")
    messages = []
    for _ in range(4):
        with qtbot.waitSignal(lock.failed, timeout=5_000) as failed:
            lock.unlock("wrong")
        messages.append(failed.args[0])
    assert messages[0] == "Wrong password. 4 more tries before a pause."
    assert messages[3] == "Wrong password. One more try before a pause."
    with qtbot.waitSignal(lock.failed, timeout=5_000) as failed:
        lock.unlock("wrong")
    assert failed.args[0] == "Wrong password. Too many wrong passwords: try again in 0:30."
    assert lock.wait_s() == 30 and len(calls) == 5
    with qtbot.waitSignal(lock.failed) as failed:
        lock.unlock("right")  # even the right password waits
    assert failed.args[0] == "Too many wrong passwords. Try again in 0:30." and len(calls) == 5
    clock.now += 29
    with qtbot.waitSignal(lock.wait_changed) as waiting:
        lock.tick()
    assert waiting.args == [1]
    clock.now += 1
    with qtbot.waitSignal(lock.wait_changed) as waiting:
        lock.tick()
    assert waiting.args == [0]
    with qtbot.waitSignal(lock.failed, timeout=5_000) as failed:
        lock.unlock("wrong again")
    assert "try again in 1:00" in failed.args[0] and lock.wait_s() == 60, "doubled"
    clock.now += 60
    with qtbot.waitSignal(lock.unlocked, timeout=5_000):
        lock.unlock("right")
    assert lock.failures == 0 and lock.wait_s() == 0 and not lock.is_locked
    actions = [action.value for action, _ in entries]
    assert actions == ["lock"] + ["unlock_failed"] * 6 + ["unlock"]
    assert entries[-1][1] == "after 6 wrong password(s)"
    assert not any("wrong again" in detail or "right" in detail for _, detail in entries), "no passwords"


def test_the_lock_screen_shows_the_countdown_and_blocks_tries_meanwhile(
    qtbot: QtBot, styled_app: QApplication
) -> None:
    clock = FakeClock()
    lock = LockService("nurse", refusing([]), clock=clock, free_attempts=1, first_delay_s=90)
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    qtbot.addWidget(window)
    overlay = LockOverlay(lock, window)
    window.resize(*LANDSCAPE)
    window.show()
    lock.lock("manual")
    overlay.password.setText("wrong")
    with qtbot.waitSignal(lock.wait_changed, timeout=5_000):
        overlay.submit()
    assert overlay.countdown.isVisible() and overlay.countdown.text() == "Try again in 1:30."
    assert not overlay.password.isEnabled() and not overlay.unlock_button.isEnabled()
    assert overlay.sign_out_button.isEnabled(), "signing out is always possible"
    clock.now += 90
    lock.tick()
    assert not overlay.countdown.isVisible() and overlay.password.isEnabled()
    assert QApplication.focusWidget() is overlay.password
    overlay.release()


def test_the_password_is_checked_off_the_gui_thread(qtbot: QtBot) -> None:
    threads: list[int] = []

    def slow(password: str) -> None:
        threads.append(threading.get_ident())
        time.sleep(0.4)

    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    lock = LockService("nurse", slow)
    lock.lock("manual")
    with qtbot.waitSignal(lock.unlocked, timeout=5_000):
        lock.unlock("pw")
        assert lock.busy
    timer.stop()
    assert threads and threads[0] != threading.get_ident()
    assert len(ticks) >= 5, "the GUI thread kept running its timers while the password was checked"


def test_signing_out_from_the_lock_screen_asks_first(qtbot: QtBot, workspace: Workspace) -> None:
    overlay = workspace.lock_overlay
    signed_out: list[bool] = []
    workspace.account.signed_out.connect(lambda: signed_out.append(True))
    workspace.lock.lock("manual")
    qtbot.mouseClick(overlay.sign_out_button, TAP)
    assert overlay.confirm_text.isVisible() and not signed_out
    qtbot.mouseClick(overlay.cancel_sign_out, TAP)
    assert not overlay.confirm_text.isVisible() and QApplication.focusWidget() is overlay.password
    qtbot.mouseClick(overlay.sign_out_button, TAP)
    qtbot.mouseClick(overlay.confirm_sign_out, TAP)
    assert signed_out == [True]
    assert not workspace.session.device.profile.unlock_path.exists()


# -- settings ------------------------------------------------------------------------------------------------


def test_the_lock_delay_is_chosen_in_settings_and_applies_at_once(
    workspace: Workspace, tablet: Tablet
) -> None:
    settings = workspace.window.page("settings")
    combo = settings.lock_after
    assert [combo.itemData(i) for i in range(combo.count())] == [60, 120, 300, 600, 900]
    assert combo.currentData() == 300, "never off: five minutes by default"
    combo.setCurrentIndex(combo.findData(60))
    saved = tablet.device.profile.load_settings()
    assert saved is not None and saved.lock_after_s == 60
    assert workspace.idle.timeout_s == 60 and settings.lock_message.text() == "Saved; applies now."


def test_older_settings_files_load_and_a_lock_delay_of_off_is_refused(tmp_path: Path) -> None:
    profile = Profile.at(tmp_path)
    profile.folder.mkdir(parents=True, exist_ok=True)
    older = {"server_url": "https://office.example.org", "username": "nurse", "user_id": str(WORKER)}
    profile.settings_path.write_text(json.dumps(older))
    loaded = profile.load_settings()
    assert loaded is not None and loaded.lock_after_s == 300
    for value in (0, -1, 10**6, "300", None):
        profile.settings_path.write_text(json.dumps({**older, "lock_after_s": value}))
        with pytest.raises(SettingsError):
            profile.load_settings()


# -- looks ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_the_lock_screen_fits_is_touchable_and_named(
    qtbot: QtBot, workspace: Workspace, size: tuple[int, int]
) -> None:
    window, overlay = workspace.window, workspace.lock_overlay
    window.resize(*size)
    workspace.lock.lock("manual")
    overlay._show_problem("Wrong password. 4 more tries before a pause.")
    overlay._set_confirming(True)
    qtbot.waitUntil(lambda: overlay.size() == window.size())
    assert layout_problems(qtbot, overlay) == []
    small = [
        w.accessibleName() for w in controls(overlay) if w.height() < TOUCH_LOCK and w is not overlay.busy
    ]
    assert small == [], "the lock screen's controls are at least 48 px high"
