"""Signing in offline: the last user's password checked against a local verifier.

At each successful online sign-in the profile folder receives a scrypt hash of the password (random
salt, parameters stored beside it so they can be raised later), never the password itself. On a later
start without a connection the same password opens the tablet for the same user. Signing out deletes
the verifier, so after a sign-out only an online sign-in opens the tablet again.

Also here: ``SessionKeyring``, tokens kept in memory for one run only, for demos and machines without a
system keyring (chosen explicitly with ``fieldapp gui --keyring memory``; never a silent fallback).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

# 16 MiB and about 35 ms per check here (as on the server, decision 0006): cheap for one person, costly
# for someone trying a word list against a copied profile folder.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
KEY_BYTES = 32


class WrongPassword(Exception):
    """The password does not match the one last used to sign in online."""


class UnlockPaused(WrongPassword):
    """Too many wrong passwords in a row: offline sign-in waits ``seconds`` (kept across restarts)."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"too many wrong passwords: wait {seconds} s before trying again")
        self.seconds = seconds


# Offline sign-in after wrong passwords: 5 free tries, then a pause of 30 s doubling to at most 15 min,
# written to the verifier file so closing and reopening the app does not reset it.
FREE_TRIES, FIRST_PAUSE_S, MAX_PAUSE_S = 5, 30, 900


@dataclass(frozen=True, slots=True)
class Verifier:
    """What the profile keeps to check a password offline."""

    username: str
    salt: bytes
    digest: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def create(cls, username: str, password: str) -> Verifier:
        """A verifier for ``password`` with a fresh random salt."""
        salt = secrets.token_bytes(16)
        return cls(username, salt, _derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P))

    def matches(self, password: str) -> bool:
        """Whether ``password`` is the one this verifier was made from (constant-time comparison)."""
        return hmac.compare_digest(self.digest, _derive(password, self.salt, self.n, self.r, self.p))


class OfflineUnlock:
    """The verifier file of one profile folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def remembered_user(self) -> str | None:
        """The user who may sign in offline, or None (never signed in online, signed out, unreadable)."""
        verifier = self._load()
        return verifier.username if verifier else None

    def remember(self, username: str, password: str) -> None:
        """Keep a verifier for ``password`` (replacing any earlier one), written atomically."""
        verifier = Verifier.create(username, password)
        data = {
            "username": verifier.username,
            "salt": verifier.salt.hex(),
            "digest": verifier.digest.hex(),
            "n": verifier.n,
            "r": verifier.r,
            "p": verifier.p,
        }
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        if os.name == "posix":
            temporary.chmod(0o600)
        os.replace(temporary, self.path)

    def _raw(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def check(self, username: str, password: str) -> None:
        """Raise ``WrongPassword`` unless ``username`` and ``password`` match the remembered sign-in."""
        verifier = self._load()
        if verifier is None:
            raise WrongPassword("this tablet has no offline sign-in; connect and sign in online once")
        same_user = hmac.compare_digest(_normal(username).encode(), _normal(verifier.username).encode())
        if not verifier.matches(password) or not same_user:
            raise WrongPassword("wrong password")

    def check_paced(self, username: str, password: str, now: Callable[[], float] = time.time) -> None:
        """``check``, with wrong passwords counted in the verifier file: after ``FREE_TRIES`` in a row each
        further try must wait (``UnlockPaused``); a right password clears the count."""
        data = self._raw()
        paused_until = float(data.get("paused_until", 0) or 0)
        if paused_until > now():
            raise UnlockPaused(math.ceil(paused_until - now()))
        try:
            self.check(username, password)
        except WrongPassword:
            if data:
                failures = int(data.get("failures", 0) or 0) + 1
                over = failures - FREE_TRIES
                pause = min(MAX_PAUSE_S, FIRST_PAUSE_S * 2 ** min(over, 10)) if over >= 0 else 0
                self._write({**data, "failures": failures, "paused_until": now() + pause if pause else 0})
            raise
        if data.get("failures"):
            self._write({**data, "failures": 0, "paused_until": 0})

    def forget(self) -> None:
        """Delete the verifier (sign-out)."""
        self.path.unlink(missing_ok=True)

    def _load(self) -> Verifier | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return Verifier(
                username=str(data["username"]),
                salt=bytes.fromhex(data["salt"]),
                digest=bytes.fromhex(data["digest"]),
                n=int(data["n"]),
                r=int(data["r"]),
                p=int(data["p"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=KEY_BYTES
    )


def _normal(username: str) -> str:
    return username.strip().lower()


class SessionKeyring(KeyringBackend):
    """Secrets in this process's memory only: lost when the app exits (nothing is written to disk)."""

    @properties.classproperty
    def priority(cls) -> float:
        # Raising makes the backend "not viable", so keyring never picks it by itself.
        raise RuntimeError("the session keyring is used only when chosen explicitly")

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)
