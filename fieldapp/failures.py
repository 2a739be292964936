"""How the command line ends a failure: one plain sentence on standard error and an exit code per kind.

No traceback reaches a person: an error nobody foresaw is named in one line too (exit 70), and
``FIELDAPP_DEBUG=1`` prints the traceback for whoever fixes it. The codes are listed by ``fieldapp --help``
and in the README.
"""

from __future__ import annotations

import os
import sys
import traceback
from enum import IntEnum


class Exit(IntEnum):
    """The exit codes of ``fieldapp``."""

    OK = 0
    REFUSED = 1
    USAGE = 2
    RETIRED = 3
    NO_CONNECTION = 4
    SIGN_IN = 5
    NO_KEYRING = 6
    DATABASE = 7
    NOT_IN_BUILD = 8
    SERVER_FAILED = 9
    FILES = 10
    INTEGRITY = 11
    UNEXPECTED = 70
    INTERRUPTED = 130


MEANINGS = {
    Exit.OK: "done",
    Exit.REFUSED: "refused: a value, a name already taken, a weak password, or a change the server refused",
    Exit.USAGE: "a wrong or missing option, a server address or database URL that is not valid, no profile",
    Exit.RETIRED: "this tablet was removed from service by the office (it handed in what it held)",
    Exit.NO_CONNECTION: "the office server cannot be reached, or the transfer kept being interrupted",
    Exit.SIGN_IN: "sign in needed: wrong user name or password, or the session ended",
    Exit.NO_KEYRING: "no system keyring to keep the profile's key and sign-in (README: headless machines)",
    Exit.DATABASE: "a database or profile cannot be opened (unreachable, damaged, or not this app's)",
    Exit.NOT_IN_BUILD: "the command needs the back-office server, which this build does not include",
    Exit.SERVER_FAILED: "the office server failed (it answered with an error of its own)",
    Exit.FILES: "a file or folder cannot be read or written (a path, its permissions, a full disk)",
    Exit.INTEGRITY: "fieldapp admin verify found records or files that no longer match their hashes",
    Exit.UNEXPECTED: "an unexpected failure (a bug): FIELDAPP_DEBUG=1 prints the details",
    Exit.INTERRUPTED: "interrupted (Ctrl+C)",
}

NO_KEYRING = (
    "no system keyring is available, and fieldapp keeps this profile's database key and sign-in only "
    "there: on a desktop, use a session with a keyring (GNOME Keyring, KWallet; Windows always has one); "
    "on a headless Linux machine run the command inside a keyring session, e.g. dbus-run-session -- sh -c "
    '\'printf %s "$KEYRING_PASSPHRASE" | gnome-keyring-daemon --unlock >/dev/null && fieldapp status '
    "--profile DIR' (README: Headless machines)"
)

SYNC_FAILURES = {
    "Unreachable": Exit.NO_CONNECTION,
    "Interrupted": Exit.NO_CONNECTION,
    "Refused": Exit.REFUSED,
    "SignInRequired": Exit.SIGN_IN,
    "ServerFailed": Exit.SERVER_FAILED,
    "DeviceRetired": Exit.RETIRED,
    "Cancelled": Exit.INTERRUPTED,
}


class Refusal(Exception):
    """The command refuses its input (the message says why); exit 1."""


def epilog() -> str:
    """The exit codes, for ``fieldapp --help``."""
    lines = [f"  {int(code):>3}  {meaning}" for code, meaning in MEANINGS.items()]
    return "exit codes:\n" + "\n".join(lines)


def classify(exc: BaseException, command: str | None) -> tuple[Exit, str]:
    """The exit code and the sentence for a failure."""
    if isinstance(exc, KeyboardInterrupt):
        return Exit.INTERRUPTED, "interrupted"
    if isinstance(exc, ModuleNotFoundError) and command in ("server", "admin"):
        # A tablet install (`pip install fieldapp`) and the tablet's bundle leave the back office out.
        return Exit.NOT_IN_BUILD, (
            f"`{command}` needs the back-office server, which this build does not include "
            f"(no module {exc.name!r}); install it with: pip install 'fieldapp[server]'"
        )
    found = _known(exc)
    if found is not None:
        return found
    return Exit.UNEXPECTED, (
        f"an unexpected failure ({type(exc).__name__}: {_first_line(exc)}); nothing more was done. "
        "Set FIELDAPP_DEBUG=1 to see where it happened"
    )


def report(exc: BaseException, command: str | None) -> int:
    """Print the failure's sentence (and, with FIELDAPP_DEBUG=1, its traceback); return its exit code."""
    code, sentence = classify(exc, command)
    print(f"fieldapp: {sentence}", file=sys.stderr)
    if os.environ.get("FIELDAPP_DEBUG") == "1":
        traceback.print_exception(exc, file=sys.stderr)
    return int(code)


def _known(exc: BaseException) -> tuple[Exit, str] | None:
    from fieldapp.config import SettingsError
    from fieldapp.security.credentials import KeyringUnavailable
    from fieldapp.security.keys import DamagedKeyFile
    from fieldapp.sync.errors import SyncError

    if isinstance(exc, KeyringUnavailable):
        return Exit.NO_KEYRING, NO_KEYRING
    if isinstance(exc, Refusal):
        return Exit.REFUSED, str(exc)
    if isinstance(exc, SyncError):
        code = SYNC_FAILURES.get(type(exc).__name__) or SYNC_FAILURES.get(type(exc).__mro__[1].__name__)
        return code or Exit.NO_CONNECTION, exc.message
    if isinstance(exc, SettingsError):
        return Exit.USAGE, str(exc)
    if isinstance(exc, DamagedKeyFile):
        return Exit.DATABASE, str(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return Exit.FILES, f"a file or folder cannot be used{where}: {exc.strerror or _first_line(exc)}"
    return _database_failure(exc)


def _database_failure(exc: BaseException) -> tuple[Exit, str] | None:
    import sqlalchemy.exc

    if isinstance(exc, sqlalchemy.exc.ArgumentError | sqlalchemy.exc.NoSuchModuleError):
        return Exit.USAGE, f"the database URL is not valid ({_first_line(exc)})"
    if isinstance(exc, sqlalchemy.exc.OperationalError | sqlalchemy.exc.DatabaseError):
        return Exit.DATABASE, f"the database cannot be opened ({_first_line(exc.orig or exc)})"
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else "no details"
