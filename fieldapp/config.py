"""Where a device keeps its data, and the settings IT can change (file or environment)."""

from __future__ import annotations

import json
import os
import sys
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

APP_NAME = "fieldapp"
STORE_FILE = "fieldapp.db"
SETTINGS_FILE = "settings.json"
BLOBS_DIR = "blobs"
UNLOCK_FILE = "unlock.json"


def default_profile_dir() -> Path:
    """The per-user data folder (``%LOCALAPPDATA%\\fieldapp`` on Windows), or ``$FIELDAPP_PROFILE``."""
    override = os.environ.get("FIELDAPP_PROFILE")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The bundled resources (fonts, stylesheet): ``$FIELDAPP_RESOURCES``, the frozen app's bundle
    folder, or ``resources/`` beside the package in a source checkout."""
    override = os.environ.get("FIELDAPP_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


@dataclass(frozen=True, slots=True)
class Profile:
    """One signed-in device profile: a folder holding the store (and later blobs and settings)."""

    folder: Path

    @property
    def store_path(self) -> Path:
        """The local database file."""
        return self.folder / STORE_FILE

    @property
    def settings_path(self) -> Path:
        """The profile's non-secret settings (server, user, intervals)."""
        return self.folder / SETTINGS_FILE

    @property
    def blobs_dir(self) -> Path:
        """Signature images and report PDFs made or received on this device."""
        return self.folder / BLOBS_DIR

    @property
    def unlock_path(self) -> Path:
        """The password verifier for signing in offline (a scrypt hash, never the password)."""
        return self.folder / UNLOCK_FILE

    def load_settings(self) -> ProfileSettings | None:
        """The saved settings, or None before the first sign-in."""
        if not self.settings_path.exists():
            return None
        data = json.loads(self.settings_path.read_text(encoding="utf-8"))
        return ProfileSettings(**{k: v for k, v in data.items() if k in ProfileSettings.__dataclass_fields__})

    def save_settings(self, settings: ProfileSettings) -> None:
        """Write the settings atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.settings_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(settings), indent=2), encoding="utf-8")
        os.replace(temporary, self.settings_path)

    @classmethod
    def at(cls, folder: Path | str | None) -> Profile:
        """The profile in ``folder``, or the default one."""
        return cls(Path(folder).expanduser() if folder else default_profile_dir())


@dataclass(frozen=True, slots=True)
class ProfileSettings:
    """What a profile remembers between starts; secrets live in the keyring, never here."""

    server_url: str
    username: str
    user_id: str
    role: str = "worker"
    sync_interval_s: int = 300

    @property
    def user_uuid(self) -> uuid.UUID:
        """The signed-in user's id."""
        return uuid.UUID(self.user_id)
