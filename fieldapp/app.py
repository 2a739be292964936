"""Composition root: the one place that builds store, transport, engine, and the tablet's windows.

``open_device``/``sign_in`` serve the command line and the GUI alike. ``sign_in_online`` and
``unlock_offline`` are what the sign-in screen runs (in the background). ``run_gui`` builds the
QApplication (high-DPI, bundled font, the one stylesheet), shows sign-in, then ``Workspace`` wires the
main window: Actions, Records, the qt models, the sync controller, and the one ``records_did_change``
signal everything refreshes from.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import keyring
from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication
from requests.adapters import HTTPAdapter

from fieldapp import __version__, deprovision
from fieldapp.config import (
    Profile,
    ProfileSettings,
    SettingsError,
    resources_dir,
    server_address,
    site_server_url,
)
from fieldapp.deprovision import Retirement
from fieldapp.domain.audit import AuditAction
from fieldapp.domain.devicetime import TimeSources
from fieldapp.profiles import open_blobs, open_store
from fieldapp.qt.signin import SignInProblem
from fieldapp.security.credentials import CredentialStore, KeyringUnavailable
from fieldapp.security.unlock import OfflineUnlock, SessionKeyring, UnlockPaused, WrongPassword
from fieldapp.store import audit
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.errors import SignInRequired, SyncError, Unreachable
from fieldapp.transport.http import HttpTransport, Tokens, retry_policy

log = logging.getLogger(__name__)


@dataclass
class Device:
    """A profile opened for syncing: its store, file store, credentials, transport and engine."""

    profile: Profile
    store: LocalStore
    blobs: BlobStore
    credentials: CredentialStore
    transport: HttpTransport
    engine: SyncEngine
    settings: ProfileSettings | None

    def close(self) -> None:
        """Release the database."""
        self.store.close()

    def retire(self, undelivered: int) -> Retirement:
        """The office retired this device and the engine handed in what it could (``SyncResult.retired``):
        confirm to the server (best effort), close the store, erase the data and keys."""
        device_id = self.store.node_id
        try:
            self.transport.confirm_wiped()
        except SyncError as exc:
            log.warning("could not confirm the wipe to the server: %s", exc.message)
        self.store.close()
        return deprovision.wipe(self.profile, device_id, undelivered)


def open_device(
    profile: Profile, server_url: str | None = None, *, sources: TimeSources | None = None
) -> Device:
    """Open a profile; ``server_url`` overrides (or, before sign-in, provides) the server address. The
    device's clocks are the system's unless ``sources`` gives others (simulations)."""
    url = server_address(server_url) if server_url else None  # SettingsError before anything is opened
    store = open_store(profile, sources)
    try:
        settings = profile.load_settings()
    except SettingsError:
        store.close()
        raise
    url = url or (settings.server_url if settings else None)
    if url is None:
        store.close()
        raise SignInRequired(f"profile {profile.folder} is not signed in; give --server and --username")
    credentials = CredentialStore(store.node_id)
    access, refresh = credentials.load()
    tokens = Tokens(access, refresh, on_change=lambda t: credentials.save(t.access, t.refresh))
    transport = HttpTransport(url, tokens)
    blobs = open_blobs(profile)
    engine = SyncEngine(
        store, transport, blobs, app_version=__version__, username=settings.username if settings else ""
    )
    return Device(profile, store, blobs, credentials, transport, engine, settings)


def sign_in(device: Device, username: str, password: str) -> ProfileSettings:
    """Sign the profile in (tokens to the keyring, settings to the profile folder)."""
    clock = device.store.clock
    sent = device.store.device_time.reading()
    try:
        answer = device.transport.login(username, password, device.store.node_id, __version__)
    except SignInRequired:  # wrong user name or password (a network failure is no sign-in attempt)
        with device.store.unit_of_work() as session:
            audit.record(
                session, username.strip()[:64], AuditAction.SIGN_IN_FAILED, detail="online", clock=clock
            )
        raise
    device.store.measured(sent, device.store.device_time.reading(), answer.server_time_ms)
    with device.store.unit_of_work() as session:
        audit.record(session, answer.user.username, AuditAction.SIGN_IN, detail="online", clock=clock)
    previous = device.settings or device.profile.load_settings()
    kept: dict[str, int] = {}  # the worker's own choices
    if previous:
        kept = {"sync_interval_s": previous.sync_interval_s, "lock_after_s": previous.lock_after_s}
    settings = ProfileSettings(
        server_url=device.transport.base_url,
        username=answer.user.username,
        user_id=str(answer.user.id),
        role=answer.user.role.value,
        **kept,
    )
    device.profile.save_settings(settings)
    device.settings = settings
    device.engine.username = settings.username
    return settings


# -- signing in from the GUI ------------------------------------------------------------------------------


def sign_in_online(profile: Profile, server_url: str, username: str, password: str) -> Session:
    """Sign in against the server; on success remember a verifier for signing in offline later.

    Raises ``SignInProblem`` with a sentence for the worker (and, when the server cannot be reached but
    this user may sign in offline, the name to offer)."""
    unlock = OfflineUnlock(profile.unlock_path)
    _check_owner(profile, username)
    try:
        url = server_address(server_url)  # checked before anything is opened or created on the tablet
    except SettingsError as exc:
        raise SignInProblem(str(exc)) from exc
    try:
        device = open_device(profile, url)
    except (SyncError, KeyringUnavailable, ValueError) as exc:
        raise SignInProblem(_problem_text(exc)) from exc
    try:
        with _patient_for_a_person(device.transport):
            settings = sign_in(device, username, password)
    except Unreachable as exc:
        device.close()
        remembered = unlock.remembered_user()
        if remembered and remembered == username.strip().lower():
            raise SignInProblem(
                f"The server cannot be reached — you can still sign in offline as {remembered}.",
                offline_user=remembered,
            ) from exc
        raise SignInProblem(
            "The server cannot be reached. Check the server address and that the tablet has a "
            "connection, then try again."
        ) from exc
    except (SyncError, KeyringUnavailable) as exc:
        device.close()
        raise SignInProblem(_problem_text(exc)) from exc
    except BaseException:
        device.close()
        raise
    unlock.remember(settings.username, password)
    return Session(device, offline=False)


def unlock_offline(profile: Profile, username: str, password: str) -> Session:
    """Open the tablet for the last signed-in user, checking the password locally (no network)."""
    try:
        OfflineUnlock(profile.unlock_path).check_paced(username, password)
    except UnlockPaused as exc:
        raise SignInProblem(f"Too many wrong passwords. Wait {exc.seconds} s, then try again.") from exc
    except WrongPassword as exc:
        _audit_offline(profile, username, AuditAction.SIGN_IN_FAILED)
        raise SignInProblem("Wrong password." if str(exc) == "wrong password" else str(exc)) from exc
    try:
        device = open_device(profile)
    except (SyncError, KeyringUnavailable) as exc:
        raise SignInProblem(_problem_text(exc)) from exc
    with device.store.unit_of_work() as session:
        audit.record(session, username, AuditAction.SIGN_IN, detail="offline", clock=device.store.clock)
    return Session(device, offline=True)


def _audit_offline(profile: Profile, username: str, action: AuditAction) -> None:
    """Record a refused offline sign-in in the profile's audit log (if the profile has a store)."""
    if not profile.store_path.exists():
        return
    try:
        store = open_store(profile)
    except (KeyringUnavailable, ValueError, OSError) as exc:
        log.warning("could not record a refused sign-in: %s", exc)
        return
    try:
        with store.unit_of_work() as session:
            audit.record(session, username.strip()[:64] or "?", action, detail="offline", clock=store.clock)
    finally:
        store.close()


@dataclass
class Session:
    """A signed-in device, and whether it was opened offline."""

    device: Device
    offline: bool


@contextlib.contextmanager
def _patient_for_a_person(transport: HttpTransport) -> Iterator[None]:
    """Retry once, not four times, while a person watches the sign-in screen (seconds, not ~7 s)."""
    session = transport.session
    saved = dict(session.adapters)
    quick = HTTPAdapter(max_retries=retry_policy(total=1, backoff=0.25))
    session.mount("http://", quick)
    session.mount("https://", quick)
    try:
        yield
    finally:
        for prefix, adapter in saved.items():
            session.mount(prefix, adapter)


def _check_owner(profile: Profile, username: str) -> None:
    try:
        settings = profile.load_settings()
    except SettingsError as exc:
        raise SignInProblem(str(exc)) from exc
    if settings is not None and settings.username != username.strip().lower():
        raise SignInProblem(
            f"This tablet holds the records of {settings.username}; only {settings.username} can sign in "
            "on it. Ask the office to set up a tablet for you."
        )


def _problem_text(exc: BaseException) -> str:
    if isinstance(exc, SignInRequired) and "user name or password" in exc.message:
        return "Wrong user name or password."
    text = getattr(exc, "message", None) or str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


# -- the GUI ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountInfo:
    """What the settings screen shows about the signed-in account."""

    username: str
    role: str
    server_url: str
    device_id: str
    folder: str
    version: str
    sync_interval_s: int
    offline: bool
    lock_after_s: int = 300


class Account(QObject):
    """Account settings and sign-out for the settings screen; ``signed_out`` tells the shell."""

    signed_out = Signal()
    lock_after_changed = Signal(int)  # seconds without input before the tablet locks

    def __init__(self, session: Session, controller: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session, self._controller = session, controller

    @property
    def _device(self) -> Device:
        return self._session.device

    def _settings(self) -> ProfileSettings:
        settings = self._device.settings or self._device.profile.load_settings()
        if settings is None:
            raise RuntimeError("the profile is not signed in")
        return settings

    def info(self) -> AccountInfo:
        settings = self._settings()
        return AccountInfo(
            username=settings.username,
            role=settings.role,
            server_url=settings.server_url,
            device_id=self._device.store.node_id,
            folder=str(self._device.profile.folder),
            version=__version__,
            sync_interval_s=settings.sync_interval_s,
            offline=self._session.offline,
            lock_after_s=settings.lock_after_s,
        )

    def save_server_url(self, url: str) -> None:
        """Keep a new server address for the next sign-in; raises ValueError for one that cannot work."""
        self._save(replace(self._settings(), server_url=server_address(url)))

    def save_interval(self, seconds: int) -> bool:
        """Keep the sync interval; returns whether it applies at once (the controller can change it)."""
        self._save(replace(self._settings(), sync_interval_s=int(seconds)))
        apply = getattr(self._controller, "set_interval_s", None)
        if apply is None:
            return False
        apply(seconds)
        return True

    def save_lock_after(self, seconds: int) -> bool:
        """Keep how long the tablet waits without input before it locks; applies at once."""
        self._save(replace(self._settings(), lock_after_s=int(seconds)))
        self.lock_after_changed.emit(int(seconds))
        return True

    def sign_out(self, detail: str = "") -> None:
        """Forget the session tokens and the offline check; the shell then shows sign-in."""
        store = self._device.store
        try:
            with store.unit_of_work() as session:
                username = self._settings().username
                audit.record(session, username, AuditAction.SIGN_OUT, detail=detail, clock=store.clock)
        except Exception:  # signing out must work even when the log cannot be written
            log.exception("could not record the sign-out")
        self._device.transport.tokens.update(None, None)
        try:
            self._device.credentials.clear()
        except KeyringUnavailable:
            log.warning("no keyring to clear at sign-out")
        OfflineUnlock(self._device.profile.unlock_path).forget()
        self.signed_out.emit()

    def _save(self, settings: ProfileSettings) -> None:
        self._device.profile.save_settings(settings)
        self._device.settings = settings


class Workspace(QObject):
    """A signed-in session on screen: the main window with its pages, models and sync controller."""

    retired = Signal(object)  # SyncResult: the office removed this tablet from service

    def __init__(
        self,
        session: Session,
        *,
        controller_factory: Callable[[Device, ProfileSettings, QObject], Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """``controller_factory`` builds the sync controller (tests give a fake; returning None runs
        without sync)."""
        super().__init__(parent)
        from fieldapp.qt.actions import Actions
        from fieldapp.qt.models import ConflictListModel, PatientListModel, VisitListModel
        from fieldapp.qt.records import Records

        self.session = session
        device = session.device
        settings = device.settings
        if settings is None:
            raise RuntimeError("the profile is not signed in")
        self.user_id = settings.user_uuid
        self.actions = Actions(device.store, device.blobs, self.user_id, self, username=settings.username)
        self.records = Records(device.store, device.blobs)
        self.patients = PatientListModel(device.store, self)
        self.today = VisitListModel(device.store, self.user_id, date.today(), self)
        self.conflicts = ConflictListModel(device.store, self)
        self.controller = (controller_factory or make_sync_controller)(device, settings, self)
        self.account = Account(session, self.controller, self)
        self.window = self._build_window(settings.username)
        self._announcing = False
        self._wire()
        self._build_lock(device, settings)

    def _build_window(self, username: str) -> Any:
        from fieldapp.ui.main_window import MainWindow
        from fieldapp.ui.patients import PatientsScreen
        from fieldapp.ui.settings import SettingsScreen
        from fieldapp.ui.today import TodayScreen

        window = MainWindow(self.records, self.actions, username)
        window.add_page("today", "Today", TodayScreen(self.today))
        window.add_page("patients", "Patients", PatientsScreen(self.patients))
        window.add_page("conflicts", "Conflicts", self._optional_screen("conflicts", window))
        window.add_page("end_of_day", "End of day", self._optional_screen("end_of_day", window))
        window.add_page("settings", "Settings", SettingsScreen(self.account, self.records))
        window.show_page("today")
        return window

    def _build_lock(self, device: Device, settings: ProfileSettings) -> None:
        """The lock screen over the window and what locks it: no input for ``lock_after_s``, the OS
        locking the session or suspending the app, "Lock now". Unlocking checks the offline verifier."""
        from fieldapp.qt.idle import IdleWatcher
        from fieldapp.qt.lock import IDLE, LockService, UnlockRefused
        from fieldapp.qt.session_lock import SessionLockWatcher
        from fieldapp.ui.lock import LockOverlay

        verifier, username = OfflineUnlock(device.profile.unlock_path), settings.username

        def verify(password: str) -> None:
            try:
                verifier.check(username, password)
            except WrongPassword as exc:
                if str(exc) == "wrong password":
                    raise UnlockRefused("Wrong password.") from exc
                raise UnlockRefused(
                    "This tablet keeps no password check for you, so it cannot be unlocked here. Sign out, "
                    "then sign in online."
                ) from exc

        self.lock = LockService(
            username,
            verify,
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

    def _optional_screen(self, name: str, window: Any) -> Any:
        """A screen another module provides, or a placeholder in a build without it."""
        from fieldapp.ui.common import PlaceholderPage

        title = OPTIONAL_SCREENS[name][0]
        try:
            module = importlib.import_module(f"fieldapp.ui.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"fieldapp.ui.{name}":
                raise
            return PlaceholderPage(title, f"The {title.lower()} screen is not part of this build yet.")
        return OPTIONAL_SCREENS[name][1](module, self, window)

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
        bar.set_status(self.controller.status)

    def start(self) -> None:
        """Start syncing (timer, network watch, change notices, a first sync) and watching for idleness."""
        self.idle.start()
        self.session_lock.attach(self.window)
        if self.controller is not None:
            self.controller.start()

    @Slot(object)
    def _sync_finished(self, result: Any) -> None:
        if getattr(result, "retired", False):
            self.retired.emit(result)  # the shell closes this workspace and erases the tablet
            return
        # Pulled changes refresh the views like local ones, but must not trigger another sync.
        self._announcing = True
        try:
            self.actions.announce(result.changes)
        finally:
            self._announcing = False

    @Slot(object)
    def _local_changes(self, _changes: object) -> None:
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
        self.window.close()
        self.window.deleteLater()
        if close_store:
            self.session.device.close()


def _conflicts_screen(module: Any, workspace: Workspace, window: Any) -> Any:
    node_id = workspace.session.device.store.node_id  # tells "this tablet" from the office
    return module.ConflictsScreen(
        workspace.conflicts, workspace.records, workspace.actions, window, node_id=node_id
    )


def _end_of_day_screen(module: Any, workspace: Workspace, window: Any) -> Any:
    from fieldapp.reports.submit import DaySubmitter

    device = workspace.session.device
    submitter = DaySubmitter(device.store, device.blobs, device.transport, app_version=__version__)
    controller = workspace.controller
    return module.EndOfDayScreen(
        workspace.records,
        workspace.actions,
        workspace.user_id,
        window,
        submitter=submitter,
        sync_now=controller.sync_now if controller is not None else None,
        worker_name=device.settings.username if device.settings else "",
    )


OPTIONAL_SCREENS: dict[str, tuple[str, Callable[[Any, Workspace, Any], Any]]] = {
    "conflicts": ("Conflicts", _conflicts_screen),
    "end_of_day": ("End of day", _end_of_day_screen),
}


def make_sync_controller(device: Device, settings: ProfileSettings, parent: QObject | None = None) -> Any:
    """The sync controller for ``device``, or None in a build without ``fieldapp.qt.controller``."""
    try:
        controller_module = importlib.import_module("fieldapp.qt.controller")
    except ModuleNotFoundError as exc:
        if exc.name not in ("fieldapp.qt.controller", "fieldapp.qt.worker", "fieldapp.qt.reachability"):
            raise
        log.warning("this build has no sync controller; changes stay on the tablet")
        return None
    return controller_module.SyncController(
        lambda: device.engine,
        events=device.transport,
        interval_s=settings.sync_interval_s,
        parent=parent,
    )


class Shell(QObject):
    """Sign-in, then the workspace; sign-out goes back to sign-in. Owns what is on screen."""

    def __init__(
        self,
        profile: Profile,
        server_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        maximized: bool = True,
        controller_factory: Callable[[Device, ProfileSettings, QObject], Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile, self.server_url = profile, server_url
        self._controller_factory = controller_factory
        self._auto = (username, password) if username and password else None
        self._maximized = maximized
        self.login: Any = None
        self.workspace: Workspace | None = None
        self.retired_screen: Any = None

    def start(self) -> None:
        """Show sign-in (and, for a demo started with a user name and password, sign in at once); a tablet
        the office retired shows why it is empty instead (finishing an erase a crash interrupted)."""
        try:
            found = deprovision.retirement(self.profile)
        except (KeyringUnavailable, OSError, ValueError) as exc:  # the erase a crash interrupted failed again
            log.error("could not finish erasing a retired tablet: %s", exc)
            self.show_retired(
                message="This tablet was removed from service by the office, but erasing it could not finish "
                f"({exc}). Ask IT."
            )
            return
        if found is not None:
            self.show_retired(message=found.message)
            return
        self.show_sign_in()

    def show_retired(self, *, message: str | None = None, erase: Callable[[], str] | None = None) -> Any:
        """The full-window "removed from service" screen; ``erase`` (run in the background) wipes the
        tablet and returns the message. Returns the screen's service (``start()`` runs the erase)."""
        from fieldapp.qt.retirement import RetirementService
        from fieldapp.ui.retired import RetiredScreen

        service = RetirementService(
            lambda: deprovision.set_up_again(self.profile), message=message, erase=erase, parent=self
        )
        service.reset.connect(self._set_up_again)
        self.retired_screen = RetiredScreen(service)
        self._show(self.retired_screen)
        return service

    @Slot(object)
    def _retired(self, result: Any) -> None:
        """The office removed this tablet from service: nothing of the workspace stays on screen, sync
        stops, then the tablet is erased (confirmed to the server, store closed, keys and files gone)."""
        workspace, self.workspace = self.workspace, None
        if workspace is None:
            return
        device = workspace.session.device
        undelivered = int(result.pending) + int(result.rejected)
        service = self.show_retired(erase=lambda: device.retire(undelivered=undelivered).message)
        workspace.close(close_store=False)  # waits for the sync thread: nothing else uses the store now
        service.start()

    @Slot()
    def _set_up_again(self) -> None:
        screen, self.retired_screen = self.retired_screen, None
        self.show_sign_in()
        if screen is not None:
            screen.close()
            screen.deleteLater()

    def show_sign_in(self) -> None:
        from fieldapp.qt.signin import SignInService
        from fieldapp.ui.login import ONLINE, LoginScreen

        try:
            settings, damaged = self.profile.load_settings(), ""
        except SettingsError as exc:  # shown on the sign-in screen instead of a crash at start-up
            settings, damaged = None, str(exc)
        service = SignInService(
            online=lambda server, user, password: sign_in_online(self.profile, server, user, password),
            offline=lambda user, password: unlock_offline(self.profile, user, password),
            remembered_user=OfflineUnlock(self.profile.unlock_path).remembered_user(),
            server_url=self.server_url
            or (settings.server_url if settings else "")
            or site_server_url()
            or "",
            username=settings.username if settings else None,
            parent=self,
        )
        service.succeeded.connect(self._signed_in)
        self.login = LoginScreen(service)
        self._show(self.login)
        if damaged:
            service.failed.emit(SignInProblem(damaged))
        if self._auto is not None:
            username, password = self._auto
            self._auto = None
            self.login.set_mode(ONLINE)
            self.login.username.setText(username)
            self.login.password.setText(password)
            self.login.submit()

    @Slot(object)
    def _signed_in(self, session: Session) -> None:
        self.workspace = Workspace(session, controller_factory=self._controller_factory, parent=self)
        self.workspace.account.signed_out.connect(self._signed_out)
        self.workspace.retired.connect(self._retired)
        self._show(self.workspace.window)
        if self.login is not None:
            self.login.close()
            self.login.deleteLater()
            self.login = None
        self.workspace.start()

    @Slot()
    def _signed_out(self) -> None:
        workspace, self.workspace = self.workspace, None
        self.show_sign_in()
        if workspace is not None:
            workspace.close()

    def _show(self, widget: Any) -> None:
        widget.resize(1280, 800)
        if self._maximized:
            widget.showMaximized()
        else:
            widget.show()

    @Slot()
    def close(self) -> None:
        """Stop syncing and release the database (at quit)."""
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with high-DPI scaling, the bundled font and the one stylesheet."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("fieldapp")
    app.setApplicationDisplayName("fieldapp")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")  # the stylesheet looks the same on Windows and Linux
    apply_look(app)
    return app


def apply_look(app: QApplication) -> None:
    """Load the bundled DejaVu Sans and apply ``resources/style.qss``."""
    fonts = resources_dir() / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        if QFontDatabase.addApplicationFont(str(fonts / name)) < 0:
            log.warning("could not load the font %s", fonts / name)
    font = QFont("DejaVu Sans")
    font.setPixelSize(17)
    app.setFont(font)
    app.setStyleSheet(stylesheet())


def stylesheet() -> str:
    """``resources/style.qss`` with its resource paths made absolute ("" when it is missing)."""
    path = resources_dir() / "style.qss"
    if not path.exists():
        log.warning("no stylesheet at %s", path)
        return ""
    return path.read_text(encoding="utf-8").replace("@RESOURCES@", resources_dir().as_posix())


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
    app = make_application()
    shell = Shell(profile, server_url, username=username, password=password)
    app.aboutToQuit.connect(shell.close)
    shell.start()
    return int(app.exec())
