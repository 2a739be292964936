"""Keyring backends for tests only: in memory (one process) or a JSON file (for subprocess CLI tests).

The application never uses these: it takes the system keyring or refuses (fieldapp.security.credentials).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from fieldapp.security.unlock import SessionKeyring


class MemoryKeyring(SessionKeyring):
    """The app's in-memory keyring (``fieldapp.security.unlock.SessionKeyring``), for tests."""

    priority = 1  # type: ignore[assignment]


class FileKeyring(KeyringBackend):
    """Select with PYTHON_KEYRING_BACKEND=tests.keyrings.FileKeyring and FIELDAPP_TEST_KEYRING=<file>."""

    priority = 1  # type: ignore[assignment]

    @property
    def path(self) -> Path:
        return Path(os.environ["FIELDAPP_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}/{username}"] = password
        self.path.write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}/{username}", None) is None:
            raise PasswordDeleteError(username)
        self.path.write_text(json.dumps(data))
