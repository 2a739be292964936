"""A tablet profile opened for syncing: its store, files, credentials, transport and sync engine.

``open_device`` and ``sign_in`` serve the command line (``fieldapp sync``, ``status``) and the GUI alike;
Qt-free. The GUI's sign-in flows (``fieldapp.qt.session``) and the composition root (``fieldapp.app``)
build on them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from fieldapp import __version__, deprovision
from fieldapp.config import Profile, ProfileSettings, SettingsError, server_address
from fieldapp.deprovision import Retirement
from fieldapp.domain.audit import AuditAction
from fieldapp.domain.devicetime import TimeSources
from fieldapp.profiles import open_blobs, open_store
from fieldapp.security.credentials import CredentialStore
from fieldapp.store import audit
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.errors import SignInRequired, SyncError
from fieldapp.sync.files import FileMover
from fieldapp.transport.http import HttpTransport, Tokens

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
    files: FileMover  # large uploads and others' thumbnails, in the background (decision 0034)

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
    files = FileMover(store, transport, blobs)
    device = Device(profile, store, blobs, credentials, transport, engine, settings, files)
    engine.after_success = partial(refresh_account, device)
    return device


def refresh_account(device: Device) -> bool:
    """Read the worker's and the agency's cards from the server and keep them; False when the server has
    none (an older one) or cannot be reached now (the cards last kept stay)."""
    try:
        answer = device.transport.account()
    except SyncError as exc:
        log.info("the account's cards could not be read now: %s", exc)
        return False
    if answer is None:
        return False
    device.profile.save_account(answer.worker, answer.agency)
    return True


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
    refresh_account(device)
    return settings
