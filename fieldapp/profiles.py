"""Opening a device profile's database and file store: always encrypted, with the profile's key from the
keyring.

Qt-free, so the headless commands (``fieldapp sync``, ``status``, ``demo``) and the window share it.
"""

from __future__ import annotations

from fieldapp.config import Profile
from fieldapp.domain.devicetime import TimeSources
from fieldapp.security.keys import database_key
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore


def open_store(profile: Profile, sources: TimeSources | None = None) -> LocalStore:
    """The profile's store, encrypted with its keyring-held key (an unencrypted one is encrypted first);
    its clocks are the system's unless ``sources`` says otherwise (simulations)."""
    return LocalStore.open(profile.store_path, key=database_key(profile.folder), sources=sources)


def open_blobs(profile: Profile) -> BlobStore:
    """The profile's file store, encrypted with a key derived from the same keyring-held key (decision
    0010); files left in plaintext by an earlier version are encrypted in place first."""
    return BlobStore(profile.blobs_dir, key=database_key(profile.folder))
