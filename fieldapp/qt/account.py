"""``Account``: the signed-in account for the settings screen: its settings (kept in the profile folder)
and signing out (the session tokens and the offline password check forgotten; the records stay)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Protocol

from PySide6.QtCore import QObject, Signal

from fieldapp import __version__
from fieldapp.config import ProfileSettings, server_address
from fieldapp.device import Device
from fieldapp.domain.audit import AuditAction
from fieldapp.qt.session import Session
from fieldapp.readmodels.account import AccountInfo
from fieldapp.security.credentials import KeyringUnavailable
from fieldapp.security.unlock import OfflineUnlock
from fieldapp.store import audit

log = logging.getLogger(__name__)


class IntervalControl(Protocol):
    """The sync controller, as far as the settings change it."""

    def set_interval_s(self, seconds: float) -> None: ...


class Account(QObject):
    """Account settings and sign-out for the settings screen; ``signed_out`` tells the shell."""

    signed_out = Signal()
    lock_after_changed = Signal(int)  # seconds without input before the tablet locks

    def __init__(
        self, session: Session, controller: IntervalControl | None = None, parent: QObject | None = None
    ) -> None:
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
        """The account as the settings screen shows it."""
        settings = self._settings()
        worker, agency = self._device.profile.load_account()
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
            worker_name=worker.display_name if worker.full_name else "",
            agency=agency.heading,
        )

    def save_server_url(self, url: str) -> None:
        """Keep a new server address for the next sign-in; raises ValueError for one that cannot work."""
        self._save(replace(self._settings(), server_url=server_address(url)))

    def save_interval(self, seconds: int) -> bool:
        """Keep the sync interval; returns whether it applies at once (the controller can change it)."""
        self._save(replace(self._settings(), sync_interval_s=int(seconds)))
        if self._controller is None:
            return False
        self._controller.set_interval_s(seconds)
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
