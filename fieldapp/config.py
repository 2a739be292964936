"""Where a device keeps its data, and the settings IT can change (file or environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "fieldapp"
STORE_FILE = "fieldapp.db"


def default_profile_dir() -> Path:
    """The per-user data folder (``%LOCALAPPDATA%\\fieldapp`` on Windows), or ``$FIELDAPP_PROFILE``."""
    override = os.environ.get("FIELDAPP_PROFILE")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class Profile:
    """One signed-in device profile: a folder holding the store (and later blobs and settings)."""

    folder: Path

    @property
    def store_path(self) -> Path:
        """The local database file."""
        return self.folder / STORE_FILE

    @classmethod
    def at(cls, folder: Path | str | None) -> Profile:
        """The profile in ``folder``, or the default one."""
        return cls(Path(folder).expanduser() if folder else default_profile_dir())
