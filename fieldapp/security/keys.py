"""The key that encrypts a profile's database, kept in the OS keyring (never on the disk beside the file).

Each profile has a key id in ``device.json`` (not secret: it only names the keyring entry); the key itself,
32 random bytes written as 64 hex characters, lives in the keyring under that id, far inside Windows
Credential Manager's 2,560-byte cap. A lost tablet's disk holds only ciphertext.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import uuid
from pathlib import Path

import keyring
import keyring.errors

from fieldapp.config import file_problem
from fieldapp.security.credentials import _NO_KEYRING, SERVICE, KeyringUnavailable

KEY_FILE = "device.json"
KEY_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex: a keyring entry's name, never a path
HEX_KEY = re.compile(r"[0-9a-f]{64}")
MAX_KEY_FILE_BYTES = 4096


class DamagedKeyFile(ValueError):
    """The profile's ``device.json`` or its keyring entry is not what this app wrote: nothing is created
    or replaced (a new key would make the existing records unreadable for good)."""


def database_key(profile_folder: Path) -> bytes:
    """The profile's database key, created (with its id) on first use."""
    key_id = _key_id(profile_folder)
    name = f"dbkey:{key_id}"
    try:
        stored = keyring.get_password(SERVICE, name)
        if stored is None:
            stored = secrets.token_hex(32)
            keyring.set_password(SERVICE, name, stored)
    except keyring.errors.NoKeyringError as exc:
        raise KeyringUnavailable(_NO_KEYRING) from exc
    if not isinstance(stored, str) or not HEX_KEY.fullmatch(stored):
        raise DamagedKeyFile(
            f"the keyring entry {name} of the profile in {profile_folder} is not a key this app made; "
            "ask IT (the records on this tablet cannot be opened without the original key)"
        )
    return bytes.fromhex(stored)


def forget_database_key(profile_folder: Path) -> None:
    """Remove the key from the keyring: the database becomes unreadable (device wipe)."""
    path = profile_folder / KEY_FILE
    if not path.exists():
        return
    key_id = _read_key_id(path)
    try:
        keyring.delete_password(SERVICE, f"dbkey:{key_id}")
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.NoKeyringError as exc:
        raise KeyringUnavailable(_NO_KEYRING) from exc


def _key_id(profile_folder: Path) -> str:
    path = profile_folder / KEY_FILE
    if path.exists():
        return _read_key_id(path)
    profile_folder.mkdir(parents=True, exist_ok=True)
    key_id = uuid.uuid4().hex
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"key_id": key_id}), encoding="utf-8")
    os.replace(temporary, path)
    return key_id


def _read_key_id(path: Path) -> str:
    """The key id in ``device.json``; DamagedKeyFile for anything but what ``_key_id`` writes."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_KEY_FILE_BYTES + 1)
        if len(raw) > MAX_KEY_FILE_BYTES:
            raise ValueError("it is far too large")
        data = json.loads(raw.decode("utf-8-sig"))
        key_id = data.get("key_id") if isinstance(data, dict) else None
        if not isinstance(key_id, str) or not KEY_ID.fullmatch(key_id):
            raise ValueError("it holds no valid key id")
    except (OSError, ValueError) as exc:
        raise DamagedKeyFile(
            f"{path} cannot be used ({file_problem(exc)}); the records on this tablet cannot be opened. Ask "
            "IT: it must name the keyring entry of this profile's key"
        ) from exc
    return key_id
