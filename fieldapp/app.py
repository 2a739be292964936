"""Composition root: the one place that builds store, transport, engine (and, later, the windows)."""

from __future__ import annotations

from dataclasses import dataclass

from fieldapp import __version__
from fieldapp.config import Profile, ProfileSettings
from fieldapp.domain.clock import measure_offset
from fieldapp.security.credentials import CredentialStore
from fieldapp.store import state
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.errors import SignInRequired
from fieldapp.transport.http import HttpTransport, Tokens


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


def open_device(profile: Profile, server_url: str | None = None) -> Device:
    """Open a profile; ``server_url`` overrides (or, before sign-in, provides) the server address."""
    store = LocalStore.open(profile.store_path)
    settings = profile.load_settings()
    url = server_url or (settings.server_url if settings else None)
    if url is None:
        store.close()
        raise SignInRequired(f"profile {profile.folder} is not signed in; give --server and --username")
    credentials = CredentialStore(store.node_id)
    access, refresh = credentials.load()
    tokens = Tokens(access, refresh, on_change=lambda t: credentials.save(t.access, t.refresh))
    transport = HttpTransport(url, tokens)
    blobs = BlobStore(profile.blobs_dir)
    engine = SyncEngine(store, transport, blobs, app_version=__version__)
    return Device(profile, store, blobs, credentials, transport, engine, settings)


def sign_in(device: Device, username: str, password: str) -> ProfileSettings:
    """Sign the profile in (tokens to the keyring, settings to the profile folder)."""
    clock = device.store.clock
    sent = clock.device_ms()
    answer = device.transport.login(username, password, device.store.node_id, __version__)
    clock.offset_ms = measure_offset(sent, clock.device_ms(), answer.server_time_ms)
    with device.store.unit_of_work() as session:
        state.save_offset(session, clock.offset_ms)
    settings = ProfileSettings(
        server_url=device.transport.base_url,
        username=answer.user.username,
        user_id=str(answer.user.id),
        role=answer.user.role.value,
    )
    device.profile.save_settings(settings)
    device.settings = settings
    return settings
