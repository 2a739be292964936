"""Opening a device profile's database: always encrypted, with the profile's key from the keyring.

Qt-free, so the headless commands (``fieldapp sync``, ``status``, ``demo``) and the window share it.
"""

from __future__ import annotations

from fieldapp.config import Profile
from fieldapp.security.keys import database_key
from fieldapp.store.local import LocalStore


def open_store(profile: Profile) -> LocalStore:
    """The profile's store, encrypted with its keyring-held key (an unencrypted one is encrypted first)."""
    return LocalStore.open(profile.store_path, key=database_key(profile.folder))
