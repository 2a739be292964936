"""Session tokens in the operating system's keyring (Windows Credential Manager on the tablets).

Never in a file: a lost tablet's disk must not hold a working session. Each secret is short (a 43-char
token), far inside Credential Manager's 2,560-byte cap. When no keyring backend exists (a headless Linux
box without a Secret Service), this says so plainly instead of falling back to a plaintext store.
"""

from __future__ import annotations

import contextlib

import keyring
import keyring.errors

SERVICE = "fieldapp"
MAX_SECRET = 1_000  # characters; Credential Manager caps a secret at 2,560 bytes of UTF-16


class KeyringUnavailable(RuntimeError):
    """The system has no usable keyring; credentials cannot be kept safely."""


class CredentialStore:
    """The tokens of one device profile, keyed by the profile's device id."""

    def __init__(self, device_id: str) -> None:
        self.device_id = device_id

    def save(self, access: str | None, refresh: str | None) -> None:
        """Keep (or, with None, forget) the tokens."""
        self._set("access", access)
        self._set("refresh", refresh)

    def load(self) -> tuple[str | None, str | None]:
        """The kept tokens (None where absent)."""
        return self._get("access"), self._get("refresh")

    def clear(self) -> None:
        """Forget both tokens."""
        self.save(None, None)

    def _key(self, name: str) -> str:
        return f"{self.device_id}:{name}"

    def _set(self, name: str, value: str | None) -> None:
        try:
            if value is None:
                with contextlib.suppress(keyring.errors.PasswordDeleteError):
                    keyring.delete_password(SERVICE, self._key(name))
                return
            if len(value) > MAX_SECRET:
                raise ValueError(
                    f"secret {name} is too long for the system keyring ({len(value)} characters)"
                )
            keyring.set_password(SERVICE, self._key(name), value)
        except keyring.errors.NoKeyringError as exc:
            raise KeyringUnavailable(_NO_KEYRING) from exc

    def _get(self, name: str) -> str | None:
        try:
            return keyring.get_password(SERVICE, self._key(name))
        except keyring.errors.NoKeyringError as exc:
            raise KeyringUnavailable(_NO_KEYRING) from exc


_NO_KEYRING = (
    "no system keyring is available to keep the sign-in safe (on Linux start a Secret Service such "
    "as gnome-keyring; on Windows the Credential Manager is always there)"
)
