"""What the command groups share."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from fieldapp import failures
from fieldapp.config import SettingsError

if TYPE_CHECKING:
    from fieldapp.server.settings import Settings

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def add_settings_options(parser: argparse.ArgumentParser) -> None:
    """The options the server's settings take from the command line (they override the environment and
    the settings file)."""
    parser.add_argument("--database", help="SQLAlchemy URL (default: a SQLite file in the user data folder)")
    parser.add_argument(
        "--settings",
        type=Path,
        metavar="FILE",
        help="a TOML settings file (as FIELDAPP_SETTINGS_FILE; docs/operations.md lists the settings)",
    )


def server_settings(args: argparse.Namespace, **flags: object) -> Settings:
    """The server's settings: the flags given over the environment over the settings file; settings that
    cannot be used end the command with exit 2 and the reason."""
    from fieldapp.server import settings

    if args.settings is not None:
        os.environ[settings.SETTINGS_FILE_ENV] = str(args.settings)
    try:
        return settings.load(database_url=args.database, **flags)
    except settings.SettingsError as exc:
        raise SettingsError(str(exc)) from None


def read_password() -> str:
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise failures.Refusal("the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")
