"""Remote wipe: what a device does when the office has removed it (or its worker) from service.

The server answers a retired device's requests with ``device_retired`` but still accepts its pushes, files
and audit log, so the sync engine first hands in everything it can (``SyncResult.retired``); then the
caller confirms to the server (best effort) and calls ``wipe``: the keys leave the keyring first (from that
moment the encrypted database and files are unreadable), then every file of the profile is deleted.
A marker written before anything else makes a wipe interrupted by a crash or power loss finish at the
next start, and lets the app say why the tablet is empty. Qt-free. See docs/decisions/0011.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.config import Profile
from fieldapp.security.credentials import CredentialStore
from fieldapp.security.keys import DamagedKeyFile, forget_database_key

log = logging.getLogger(__name__)
MARKER = "retired.json"


@dataclass(frozen=True, slots=True)
class Retirement:
    """Why this profile is empty."""

    retired_at: datetime
    device_id: str
    undelivered: int  # changes the server refused and that were erased with the rest

    @property
    def message(self) -> str:
        """A sentence for whoever holds the tablet."""
        when = self.retired_at.astimezone().strftime("%d %b %Y %H:%M")
        lost = (
            f" {self.undelivered} change(s) the office could not accept were erased with it."
            if self.undelivered
            else ""
        )
        return (
            f"This tablet was removed from service by the office on {when}; its patient data and keys "
            f"have been erased.{lost} Ask the office to set it up again."
        )


def retirement(profile: Profile) -> Retirement | None:
    """The profile's retirement, if it has been retired (and finish a wipe a crash interrupted)."""
    path = profile.folder / MARKER
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        when, device = datetime.fromisoformat(data["retired_at"]), str(data["device_id"])
        found = Retirement(when, device, int(data.get("undelivered", 0)))
    except (ValueError, KeyError, TypeError):
        found = Retirement(datetime.now(UTC), "?", 0)
    if _leftovers(profile):
        _erase(profile, found.device_id)
    return found


def wipe(profile: Profile, device_id: str, undelivered: int = 0) -> Retirement:
    """Erase the profile: keys first, then every file; the store must be closed already."""
    found = Retirement(datetime.now(UTC), device_id, undelivered)
    profile.folder.mkdir(parents=True, exist_ok=True)
    temporary = profile.folder / (MARKER + ".tmp")
    temporary.write_text(
        json.dumps(
            {"retired_at": found.retired_at.isoformat(), "device_id": device_id, "undelivered": undelivered}
        ),
        encoding="utf-8",
    )
    os.replace(temporary, profile.folder / MARKER)
    _erase(profile, device_id)
    log.warning("profile %s wiped: the device was retired by the office", profile.folder)
    return found


class IncompleteWipe(RuntimeError):
    """Something of the retired tablet's data is still there: it must not be set up again yet."""


def set_up_again(profile: Profile) -> None:
    """Forget the retirement, so the tablet can be signed in afresh (it gets a new device id and key).

    Refused (``IncompleteWipe``) while anything of the old data remains and cannot be erased now: a new
    sign-in must never find the retired tablet's database, or its key, still there."""
    found = retirement(profile)  # finishes an erase that was cut short
    if found is not None and _leftovers(profile):
        raise IncompleteWipe(
            "this tablet still holds data of its earlier use that could not be erased; ask IT "
            f"({', '.join(sorted(p.name for p in _leftovers(profile)))})"
        )
    (profile.folder / MARKER).unlink(missing_ok=True)


def _erase(profile: Profile, device_id: str) -> None:
    try:
        forget_database_key(profile.folder)  # needs device.json, so before the files go
    except DamagedKeyFile as exc:  # the files go regardless; the key (if any) is unreachable without it
        log.error("could not remove the database key: %s", exc)
    if device_id != "?":
        CredentialStore(device_id).clear()
    for path in _leftovers(profile):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _leftovers(profile: Profile) -> list[Path]:
    if not profile.folder.exists():
        return []
    return [path for path in profile.folder.iterdir() if path.name != MARKER]
