"""Which full-window screen is up: sign-in, a signed-in workspace, or "removed from service".

``Navigation`` owns what is on screen and moves between the three: a sign-in (online or offline) opens a
workspace, a sign-out goes back to sign-in, and a tablet the office retired shows why it is empty while it
is erased, then offers "Set up again". The workspace itself is built by the composition root
(``fieldapp.app.Shell.workspace_for``), which wires everything in it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol, TypedDict

from PySide6.QtCore import QObject, SignalInstance, Slot
from PySide6.QtWidgets import QWidget

from fieldapp import deprovision
from fieldapp.config import Profile, SettingsError, site_server_url
from fieldapp.qt.account import Account
from fieldapp.qt.retirement import RetirementService
from fieldapp.qt.session import Session, sign_in_online, unlock_offline
from fieldapp.qt.signin import SignInProblem, SignInService
from fieldapp.security.credentials import KeyringUnavailable
from fieldapp.security.unlock import OfflineUnlock
from fieldapp.sync.engine import SyncResult
from fieldapp.ui.login import ONLINE, LoginScreen
from fieldapp.ui.retired import RetiredScreen

log = logging.getLogger(__name__)


class SignedIn(Protocol):
    """A signed-in session on screen (``fieldapp.app.Workspace``), as the navigation uses it."""

    @property
    def window(self) -> QWidget: ...

    @property
    def session(self) -> Session: ...

    @property
    def account(self) -> Account: ...

    @property
    def retired(self) -> SignalInstance: ...  # payload: the SyncResult that said so

    def start(self) -> None: ...

    def close(self, *, close_store: bool = True) -> None: ...


class NavigationOptions(TypedDict, total=False):
    """How the navigation starts: a demo's user and password to sign in at once, full screen or not."""

    username: str | None
    password: str | None
    maximized: bool
    parent: QObject | None


class Navigation(QObject):
    """Sign-in, then the workspace; sign-out goes back to sign-in. Owns what is on screen."""

    def __init__(
        self,
        profile: Profile,
        server_url: str | None = None,
        *,
        username: str | None = None,
        password: str | None = None,
        maximized: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.profile, self.server_url = profile, server_url
        self._auto = (username, password) if username and password else None
        self._maximized = maximized
        self.login: LoginScreen | None = None
        self.workspace: SignedIn | None = None
        self.retired_screen: RetiredScreen | None = None

    def workspace_for(self, session: Session) -> SignedIn:
        """The workspace of a signed-in session (built by the composition root)."""
        raise NotImplementedError

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

    def show_retired(
        self, *, message: str | None = None, erase: Callable[[], str] | None = None
    ) -> RetirementService:
        """The full-window "removed from service" screen; ``erase`` (run in the background) wipes the
        tablet and returns the message. Returns the screen's service (``start()`` runs the erase)."""
        service = RetirementService(
            lambda: deprovision.set_up_again(self.profile), message=message, erase=erase, parent=self
        )
        service.reset.connect(self._set_up_again)
        self.retired_screen = RetiredScreen(service)
        self._show(self.retired_screen)
        return service

    @Slot(object)
    def _retired(self, result: SyncResult) -> None:
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
        _discard(screen)

    def show_sign_in(self) -> None:
        """The sign-in screen (a damaged settings file is said there, not a crash at start-up)."""
        try:
            settings, damaged = self.profile.load_settings(), ""
        except SettingsError as exc:
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
        self.login = login = LoginScreen(service)
        self._show(login)
        if damaged:
            service.failed.emit(SignInProblem(damaged))
        if self._auto is not None:
            username, password = self._auto
            self._auto = None
            login.set_mode(ONLINE)
            login.username.setText(username)
            login.password.setText(password)
            login.submit()

    @Slot(object)
    def _signed_in(self, session: Session) -> None:
        self.workspace = workspace = self.workspace_for(session)
        workspace.account.signed_out.connect(self._signed_out)
        workspace.retired.connect(self._retired)
        self._show(workspace.window)
        login, self.login = self.login, None
        _discard(login)
        workspace.start()

    @Slot()
    def _signed_out(self) -> None:
        workspace, self.workspace = self.workspace, None
        self.show_sign_in()
        if workspace is not None:
            workspace.close()

    def _show(self, widget: QWidget) -> None:
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


def _discard(screen: QWidget | None) -> None:
    """Close a full-window screen that is no longer up, and free it."""
    if screen is not None:
        screen.close()
        screen.deleteLater()
