"""Composition root: the one place that builds the tablet's parts and wires them together.

``run_gui`` builds the QApplication (``fieldapp.qt.look``) and the ``Shell``, which shows sign-in and
then, per signed-in session, a ``Workspace``: Actions, Records, the lists, the sync controller, the main
window with its pages, the lock, and the one ``records_did_change`` signal everything refreshes from.

Nothing but wiring lives here. Opening a device (command line and GUI alike) is ``fieldapp.device``;
signing in and unlocking are ``fieldapp.qt.session``; the account's settings and sign-out are
``fieldapp.qt.account``; which full-window screen is up is ``fieldapp.shell``. Their names are re-exported
below for the scripts and tests that import them from here.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Unpack

import keyring
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from fieldapp import __version__
from fieldapp.config import Profile, ProfileSettings
from fieldapp.device import Device, open_device, sign_in
from fieldapp.qt.account import Account
from fieldapp.qt.actions import Actions
from fieldapp.qt.controller import SyncController
from fieldapp.qt.display import Display, load_prefs
from fieldapp.qt.files import BackgroundFiles
from fieldapp.qt.i18n import install_language
from fieldapp.qt.idle import IdleWatcher
from fieldapp.qt.lock import IDLE, LockService
from fieldapp.qt.look import apply_look, make_application, stylesheet
from fieldapp.qt.models import ConflictListModel, PatientListModel, VisitListModel
from fieldapp.qt.notices import ScheduleNotices
from fieldapp.qt.positioning import DevicePosition
from fieldapp.qt.records import Records
from fieldapp.qt.session import Session, offline_check, sign_in_online, unlock_offline
from fieldapp.qt.session_lock import SessionLockWatcher
from fieldapp.readmodels.account import AccountInfo
from fieldapp.reports.submit import DaySubmitter
from fieldapp.security.unlock import SessionKeyring
from fieldapp.shell import Navigation, NavigationOptions
from fieldapp.store.repo import Change
from fieldapp.sync.engine import SOME_RECORDS, SyncResult
from fieldapp.sync.files import Moved
from fieldapp.ui.conflicts import ConflictsScreen
from fieldapp.ui.end_of_day import EndOfDayScreen
from fieldapp.ui.lock import LockOverlay
from fieldapp.ui.main_window import MainWindow
from fieldapp.ui.patients import PatientsScreen
from fieldapp.ui.settings import SettingsScreen
from fieldapp.ui.today import TodayScreen

__all__ = [
    "Account",
    "AccountInfo",
    "Device",
    "Session",
    "Shell",
    "Workspace",
    "apply_look",
    "make_application",
    "make_sync_controller",
    "open_device",
    "run_gui",
    "sign_in",
    "sign_in_online",
    "stylesheet",
    "unlock_offline",
]

log = logging.getLogger(__name__)

# Builds the sync controller of a device (tests give a fake; returning None runs without sync).
ControllerFactory = Callable[[Device, ProfileSettings, QObject], SyncController | None]


def make_sync_controller(
    device: Device, settings: ProfileSettings, parent: QObject | None = None
) -> SyncController:
    """The sync controller for ``device``: its engine on a worker thread, its interval, its change notices."""
    return SyncController(
        lambda: device.engine, events=device.transport, interval_s=settings.sync_interval_s, parent=parent
    )


class Workspace(QObject):
    """A signed-in session on screen: the main window with its pages, models and sync controller."""

    retired = Signal(object)  # SyncResult: the office removed this tablet from service

    def __init__(
        self,
        session: Session,
        *,
        controller_factory: ControllerFactory | None = None,
        display: Display | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``controller_factory`` builds the sync controller (tests give a fake; returning None runs
        without sync); ``display`` keeps the language, theme and text size (one over the profile folder
        by default)."""
        super().__init__(parent)
        self.session = session
        device = session.device
        self.display = display or Display(device.profile.folder, parent=self)
        settings = device.settings
        if settings is None:
            raise RuntimeError("the profile is not signed in")
        self.user_id = settings.user_uuid
        self.actions = Actions(device.store, device.blobs, self.user_id, self, username=settings.username)
        self.records = Records(device.store, device.blobs)
        self.patients = PatientListModel(device.store, self)
        self.today = VisitListModel(device.store, self.user_id, date.today(), self)
        self.conflicts = ConflictListModel(device.store, self)
        self.worker_card, self.agency = device.profile.load_account()
        self.actions.policy = self.agency.evv_policy
        self.controller = (controller_factory or make_sync_controller)(device, settings, self)
        self.files = BackgroundFiles(device.files, self)
        if self.controller is not None:  # a workspace that syncs also moves files (decision 0034)
            self.records.fetcher = self.files.request
        self.account = Account(session, self.controller, self)
        self.position: DevicePosition | None = None  # made when a visit screen is first built
        self.window = self._build_window(device, settings.username)
        self._announcing = False
        self._wire()
        self._build_lock(device, settings)

    def _device_position(self) -> DevicePosition:
        """The device's positioning, started when the visit screen is first built."""
        self.position = DevicePosition.of_device(self)
        self.position.start()
        return self.position

    def _build_window(self, device: Device, username: str) -> MainWindow:
        window = MainWindow(self.records, self.actions, username, positioning=self._device_position)
        board = ScheduleNotices(device.store, self.user_id, late_after=lambda: self.agency.late_after_min)
        window.add_page(
            "today", QCoreApplication.translate("Navigation", "Today"), TodayScreen(self.today, notices=board)
        )
        window.add_page(
            "patients", QCoreApplication.translate("Navigation", "Patients"), PatientsScreen(self.patients)
        )
        # The device's node tells "this tablet" from the office in the conflicts' stamps.
        node_id = device.store.node_id
        conflicts = ConflictsScreen(self.conflicts, self.records, self.actions, window, node_id=node_id)
        window.add_page("conflicts", QCoreApplication.translate("Navigation", "Conflicts"), conflicts)
        end_of_day = EndOfDayScreen(
            self.records,
            self.actions,
            self.user_id,
            window,
            submitter=DaySubmitter(device.store, device.blobs, device.transport, app_version=__version__),
            sync_now=self.controller.sync_now if self.controller is not None else None,
            worker_name=self.worker_name,
            pending=window.pending_changes,
        )
        end_of_day.agency = self.agency.heading
        self.end_of_day = end_of_day
        window.add_page("end_of_day", QCoreApplication.translate("Navigation", "End of day"), end_of_day)
        window.add_page(
            "settings",
            QCoreApplication.translate("Navigation", "Settings"),
            SettingsScreen(self.account, self.records, display=self.display),
        )
        window.show_page("today")
        window.set_account(
            self.worker_card.display_name if self.worker_card.full_name else username, self.agency.name
        )
        window.set_units(self.agency.vital_units)
        return window

    def _build_lock(self, device: Device, settings: ProfileSettings) -> None:
        """The lock screen over the window and what locks it: no input for ``lock_after_s``, the OS
        locking the session or suspending the app, "Lock now". Unlocking checks the offline verifier."""
        self.lock = LockService(
            settings.username,
            offline_check(device.profile, settings.username),
            audit=self.actions.audit,
            sign_out=lambda: self.account.sign_out("from the lock screen"),
            parent=self,
        )
        self.lock_overlay = LockOverlay(self.lock, self.window)
        self.idle = IdleWatcher(settings.lock_after_s, parent=self)
        self.session_lock = SessionLockWatcher(parent=self)
        self.idle.idle.connect(lambda: self.lock.lock(IDLE))
        self.session_lock.lock_requested.connect(self.lock.lock)
        self.window.lock_requested.connect(self.lock.lock_now)
        self.lock.locked.connect(lambda _reason: self.idle.stop())
        self.lock.unlocked.connect(self.idle.start)
        self.account.lock_after_changed.connect(self.idle.set_timeout_s)

    def _wire(self) -> None:
        for model in (self.patients, self.today, self.conflicts):
            self.actions.records_did_change.connect(model.refresh)
        self.actions.records_did_change.connect(self.window.status_bar.refresh)
        self.actions.records_did_change.connect(self._local_changes)
        bar = self.window.status_bar
        if self.controller is None:
            bar.set_available(False)
            return
        self.controller.status_changed.connect(bar.set_status)
        bar.sync_requested.connect(self.controller.sync_now)
        # The worker lives on its own thread: a slot of this (GUI-thread) object makes the call queued.
        self.controller.worker.sync_did_finish.connect(self._sync_finished)
        self.files.moved.connect(self._files_moved)
        bar.set_status(self.controller.status)

    def start(self) -> None:
        """Start syncing (timer, network watch, change notices, a first sync) and watching for idleness."""
        self.idle.start()
        self.session_lock.attach(self.window)
        if self.controller is not None:
            self.controller.start()

    @Slot(object)
    def _sync_finished(self, result: SyncResult) -> None:
        if result.retired:
            self.retired.emit(result)  # the shell closes this workspace and erases the tablet
            return
        self._account_read()
        self._announce(result.changes)
        self.files.run_soon()  # large uploads and others' thumbnails, apart from the push

    def _announce(self, changes: Sequence[Change]) -> None:
        # Pulled changes refresh the views like local ones, but must not trigger another sync.
        self._announcing = True
        try:
            self.actions.announce(changes)
        finally:
            self._announcing = False

    @Slot(object)
    def _files_moved(self, moved: Moved) -> None:
        if moved.uploaded and self.controller is not None:
            self.controller.sync_now()  # the records whose files are now up go at once
        if moved.thumbnails:
            self._announce([Change("attachment", SOME_RECORDS, frozenset({"thumbnail_sha256"}))])

    def _account_read(self) -> None:
        """The cards the cycle may have refreshed (the device keeps them in the profile folder)."""
        self.worker_card, self.agency = self.session.device.profile.load_account()
        self.actions.policy = self.agency.evv_policy  # the agency's thresholds, as the office applies them
        self.window.set_account(self.worker_name, self.agency.name)
        self.window.set_units(self.agency.vital_units)
        self.end_of_day.worker_name, self.end_of_day.agency = self.worker_name, self.agency.heading

    @property
    def worker_name(self) -> str:
        """The worker as records name them ("Ana López, HHA"); the user name before the office filled it."""
        settings = self.session.device.settings
        fallback = settings.username if settings else ""
        return self.worker_card.display_name if self.worker_card.full_name else fallback

    @Slot(object)
    def _local_changes(self, *_: object) -> None:
        if self.controller is not None and not self._announcing:
            self.controller.local_changes_made()

    def close(self, *, close_store: bool = True) -> None:
        """Stop syncing (waiting for the worker thread), close the window and (unless the caller still
        needs it: a retired tablet's erase) the database."""
        self.idle.stop()
        self.session_lock.detach()
        self.lock_overlay.release()
        if self.controller is not None:
            # The worker's last status and result arrive queued, after the window is gone: nothing on
            # screen may read the store for them (it is closed, or being erased).
            with contextlib.suppress(RuntimeError, TypeError):
                self.controller.status_changed.disconnect(self.window.status_bar.set_status)
            with contextlib.suppress(RuntimeError, TypeError):
                self.controller.worker.sync_did_finish.disconnect(self._sync_finished)
            self.controller.stop(10_000)
        self.files.stop()
        if self.position is not None:
            self.position.detach()
        # The window is deleted only when control returns to the event loop; until then a screen's own
        # clock (Today's minute tick) would still fire and read the store this closes.
        for timer in self.window.findChildren(QTimer):
            timer.stop()
        self.window.close()
        self.window.deleteLater()
        if close_store:
            self.session.device.close()


class Shell(Navigation):
    """What ``fieldapp`` shows: sign-in, then this app's ``Workspace``; sign-out goes back to sign-in."""

    def __init__(
        self,
        profile: Profile,
        server_url: str | None = None,
        *,
        controller_factory: ControllerFactory | None = None,
        display: Display | None = None,
        **options: Unpack[NavigationOptions],
    ) -> None:
        super().__init__(profile, server_url, **options)
        self._controller_factory = controller_factory
        self._display = display
        if display is not None:
            display.switch_to = self.switch_language

    def workspace_for(self, session: Session) -> Workspace:
        """A workspace wired for ``session``."""
        return Workspace(
            session, controller_factory=self._controller_factory, display=self._display, parent=self
        )

    def switch_language(self, choice: str) -> bool:
        """Speak ``choice`` at once: the workspace is built again in it, on the page it was on (in a
        moment, after the settings screen that asked has returned). Refused (False) while a text field
        holds input not saved yet: building the screens again would lose it."""
        workspace = self.workspace
        if not isinstance(workspace, Workspace) or workspace.window.has_unsaved_input():
            return False
        QTimer.singleShot(0, lambda: self._rebuild_in(choice, workspace))
        return True

    def _rebuild_in(self, choice: str, workspace: Workspace) -> None:
        if self.workspace is not workspace or self._display is None:
            return  # signed out (or retired) meanwhile
        language = install_language(choice)
        self._display.spoken(language.code)
        old = workspace.window
        page, geometry, maximized = old.current_key, old.geometry(), old.isMaximized()
        self.workspace = None
        workspace.close(close_store=False)  # the store stays open: the new workspace reads it
        workspace.deleteLater()
        self._signed_in(workspace.session)
        window = self.window_now()
        if window is not None:
            if not maximized:
                window.setGeometry(geometry)
            if page is not None and window.has_page(page):
                window.show_page(page)

    def window_now(self) -> MainWindow | None:
        """The main window on screen, if signed in."""
        return self.workspace.window if isinstance(self.workspace, Workspace) else None


def run_gui(
    profile: Profile,
    server_url: str | None = None,
    *,
    username: str | None = None,
    password: str | None = None,
    session_keyring: bool = False,
) -> int:
    """Run the tablet app until its window closes; returns the exit code."""
    if session_keyring:
        keyring.set_keyring(SessionKeyring())
    prefs = load_prefs(profile.folder)  # the worker's language and look, from sign-in on
    app = make_application(look=prefs.look)
    language = install_language(prefs.language)
    display = Display(profile.folder, app, speaking=language.code)
    shell = Shell(profile, server_url, display=display, username=username, password=password)
    app.aboutToQuit.connect(shell.close)
    shell.start()
    return int(app.exec())
