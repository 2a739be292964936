"""The key that encrypts a profile's database, kept in the OS keyring (never on the disk beside the file).

Each profile has a key id in ``device.json`` (not secret: it only names the keyring entry); the key itself,
32 random bytes written as 64 hex characters, lives in the keyring under that id, far inside Windows
Credential Manager's 2,560-byte cap. A lost tablet's disk holds only ciphertext.
"""

from __future__ import annotations

import json
import os
import secrets
import uuid
from pathlib import Path

import keyring
import keyring.errors

from fieldapp.security.credentials import _NO_KEYRING, SERVICE, KeyringUnavailable

KEY_FILE = "device.json"


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
    return bytes.fromhex(stored)


def forget_database_key(profile_folder: Path) -> None:
    """Remove the key from the keyring: the database becomes unreadable (device wipe)."""
    path = profile_folder / KEY_FILE
    if not path.exists():
        return
    key_id = json.loads(path.read_text(encoding="utf-8"))["key_id"]
    try:
        keyring.delete_password(SERVICE, f"dbkey:{key_id}")
    except keyring.errors.PasswordDeleteError:
        pass
    except keyring.errors.NoKeyringError as exc:
        raise KeyringUnavailable(_NO_KEYRING) from exc


def _key_id(profile_folder: Path) -> str:
    path = profile_folder / KEY_FILE
    if path.exists():
        return str(json.loads(path.read_text(encoding="utf-8"))["key_id"])
    profile_folder.mkdir(parents=True, exist_ok=True)
    key_id = uuid.uuid4().hex
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"key_id": key_id}), encoding="utf-8")
    os.replace(temporary, path)
    return key_id
