"""Where a device keeps its data, and the settings IT can change (file or environment)."""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import sys
import unicodedata
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from fieldapp.domain.people import AgencyCard, WorkerCard

_log = logging.getLogger(__name__)

APP_NAME = "fieldapp"
STORE_FILE = "fieldapp.db"
SETTINGS_FILE = "settings.json"
ACCOUNT_FILE = "account.json"
BLOBS_DIR = "blobs"
UNLOCK_FILE = "unlock.json"
MAX_SETTINGS_BYTES = 64 * 1024  # a settings file is a few hundred bytes; anything this large is not one
MAX_URL = 2_000
SYNC_INTERVAL_RANGE = (10, 86_400)  # seconds
LOCK_AFTER_RANGE = (60, 900)  # seconds without input before the tablet locks itself (never "off")
EXAMPLE_URL = "Enter an address such as https://office.example.org."


class SettingsError(ValueError):
    """A setting that cannot work, or a settings file that cannot be read; the message says what to do."""


def server_address(text: str) -> str:
    """The office server's address as a worker or IT types it (``office.example.org`` means https://),
    checked and without a trailing slash.

    Only http(s) with a host name or IP address; no user name or password (they would be kept in the
    settings file in the clear), no query or fragment (the API's paths are appended), no spaces, control
    or invisible characters, nothing but plain ASCII (a look-alike letter could send the password to
    another server: an international name is written in its xn-- form). Raises SettingsError."""
    if not isinstance(text, str) or not text.strip():
        raise SettingsError(EXAMPLE_URL)
    url = text.strip()
    if len(url) > MAX_URL:
        raise SettingsError("The server address is too long.")
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for ch in url):
        raise SettingsError("The server address must not contain spaces or invisible characters.")
    if not url.isascii() or "\\" in url:
        raise SettingsError(
            "The server address must use plain letters, digits and punctuation (write an international "
            "name in its xn-- form)."
        )
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed "[" (IPv6)
        raise SettingsError(EXAMPLE_URL) from None
    if parts.scheme not in ("https", "http"):
        raise SettingsError("The server address must start with https:// (or http://). " + EXAMPLE_URL)
    if "@" in parts.netloc:
        raise SettingsError("The server address must not contain a user name or password.")
    if parts.query or parts.fragment or "?" in url or "#" in url:
        raise SettingsError("The server address must not contain ? or #.")
    host = parts.hostname or ""
    if not (_HOST.fullmatch(host) or _ip(host)):
        raise SettingsError(EXAMPLE_URL)
    try:
        port = parts.port  # raises for a port that is not a number from 0 to 65535
    except ValueError:
        port = 0
    if port == 0:
        raise SettingsError("The server address has a port number that cannot work.")
    return url.rstrip("/")


_HOST = re.compile(r"[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*\.?")


def _ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def user_name(text: str) -> str:
    """A user name as the server knows them (trimmed, lower case: 1-64 letters, digits, dots, dashes or
    underscores), or SettingsError with that sentence."""
    name = text.strip().lower() if isinstance(text, str) else ""
    bare = name.replace(".", "").replace("-", "").replace("_", "")
    if not name or len(name) > 64 or not bare.isalnum():
        raise SettingsError("A user name is 1-64 letters, digits, dots, dashes or underscores.")
    return name


def default_profile_dir() -> Path:
    """The per-user data folder (``%LOCALAPPDATA%\\fieldapp`` on Windows), or ``$FIELDAPP_PROFILE``."""
    override = os.environ.get("FIELDAPP_PROFILE")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


SITE_FILE = "site.json"


def site_config_path() -> Path:
    """The machine-wide settings IT writes at installation (``%PROGRAMDATA%\\fieldapp\\site.json`` on Windows,
    ``/etc/xdg/fieldapp/site.json`` on Linux), or ``$FIELDAPP_SITE_CONFIG``."""
    override = os.environ.get("FIELDAPP_SITE_CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / SITE_FILE


def site_server_url() -> str | None:
    """The office server's address IT set for every user of this machine (the sign-in screen's default),
    or None. A file that cannot be read, or an address that cannot work, is ignored (and logged): the
    worker can still type the address."""
    path = site_config_path()
    try:
        if not path.is_file() or path.stat().st_size > MAX_SETTINGS_BYTES:
            return None
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        return server_address(data["server_url"]) if isinstance(data, dict) else None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        _log.warning("ignoring the machine-wide settings in %s: %s", path, exc)
        return None


def read_json_object(path: Path, max_bytes: int, what: str) -> dict[str, Any]:
    """The JSON object in the small file at ``path`` (a byte-order mark, as Notepad writes, accepted).
    Raises OSError, or ValueError when the file is larger than ``max_bytes``, not JSON, or not an object
    (``what`` names what it should hold)."""
    with path.open("rb") as file:
        raw = file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ValueError("it is far too large")
    data = json.loads(raw.decode("utf-8-sig"))
    if not isinstance(data, dict):
        raise ValueError(f"it does not hold {what}")
    return data


def file_problem(exc: OSError | ValueError) -> str:
    """Why a small JSON file (``read_json_object``) cannot be used, in words for a message."""
    return "it is not valid JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)


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
    def account_path(self) -> Path:
        """The worker's and the agency's cards as the server last gave them (``fieldapp.domain.people``)."""
        return self.folder / ACCOUNT_FILE

    def load_account(self) -> tuple[WorkerCard, AgencyCard]:
        """The cards last saved; empty cards when none were (an older server) or the file is unusable."""
        try:
            data = json.loads(self.account_path.read_text(encoding="utf-8"))
            return WorkerCard.model_validate(data["worker"]), AgencyCard.model_validate(data["agency"])
        except FileNotFoundError:
            return WorkerCard(), AgencyCard()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            _log.warning("ignoring the account file %s: %s", self.account_path, exc)
            return WorkerCard(), AgencyCard()

    def save_account(self, worker: WorkerCard, agency: AgencyCard) -> None:
        """Keep the cards (atomically) for offline starts."""
        self.folder.mkdir(parents=True, exist_ok=True)
        body = {"worker": worker.model_dump(mode="json"), "agency": agency.model_dump(mode="json")}
        temporary = self.account_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(body, indent=2), encoding="utf-8")
        os.replace(temporary, self.account_path)

    @property
    def blobs_dir(self) -> Path:
        """Signature images and report PDFs made or received on this device."""
        return self.folder / BLOBS_DIR

    @property
    def unlock_path(self) -> Path:
        """The password verifier for signing in offline (a scrypt hash, never the password)."""
        return self.folder / UNLOCK_FILE

    def load_settings(self) -> ProfileSettings | None:
        """The saved settings, or None before the first sign-in.

        A file that is not a settings file (malformed JSON, wrong types, a server address that cannot
        work, a user name the server never gives) raises SettingsError naming the file; unknown keys are
        ignored (a newer version's settings). A byte-order mark (Notepad) is accepted."""
        path = self.settings_path
        if not path.exists():
            return None
        try:
            data = read_json_object(path, MAX_SETTINGS_BYTES, "settings")
            known = {k: v for k, v in data.items() if k in ProfileSettings.__dataclass_fields__}
            missing = sorted({"server_url", "username", "user_id"} - known.keys())
            if missing:
                raise ValueError(f"{', '.join(missing)} missing")
            return ProfileSettings(**known)
        except (OSError, ValueError) as exc:
            raise SettingsError(
                f"The settings file {path} cannot be used ({file_problem(exc).rstrip('.')}). Sign in again, "
                "or ask IT to correct or remove it."
            ) from exc

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
    lock_after_s: int = 300  # settings files written before this setting existed get the default

    def __post_init__(self) -> None:
        server_address(self.server_url)
        if user_name(self.username) != self.username:
            raise SettingsError("username is not written as the server gives it (trimmed, lower case)")
        try:
            uuid.UUID(self.user_id)
        except (TypeError, ValueError, AttributeError):
            raise SettingsError("user_id is not a user id") from None
        if not isinstance(self.role, str) or not re.fullmatch(r"[a-z_]{1,32}", self.role):
            raise SettingsError("role is not a role")
        low, high = SYNC_INTERVAL_RANGE
        if type(self.sync_interval_s) is not int or not low <= self.sync_interval_s <= high:
            raise SettingsError(f"sync_interval_s must be a whole number of seconds from {low} to {high}")
        low, high = LOCK_AFTER_RANGE
        if type(self.lock_after_s) is not int or not low <= self.lock_after_s <= high:
            raise SettingsError(f"lock_after_s must be a whole number of seconds from {low} to {high}")

    @property
    def user_uuid(self) -> uuid.UUID:
        """The signed-in user's id."""
        return uuid.UUID(self.user_id)
