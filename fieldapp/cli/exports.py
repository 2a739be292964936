"""``fieldapp admin export-evv`` and ``export-timesheet``: the office's exports from the command line, to a
file or standard output, with the row count and SHA-256 on standard error (and in the audit trail)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from fieldapp.failures import Exit


def add_commands(actions: Any) -> None:
    """The two export commands under ``fieldapp admin``."""
    for name, kind, formats, what in (
        (
            "export-evv",
            "evv",
            ["csv", "json"],
            "the verified visits of a period for the state's EVV aggregator",
        ),
        ("export-timesheet", "timesheet", ["csv"], "hours per worker per day and week, visit by visit"),
    ):
        command = actions.add_parser(name, help=f"export {what} (exit 2: a bad period or form)")
        command.add_argument(
            "--from", dest="start", required=True, metavar="DATE", help="first day (YYYY-MM-DD)"
        )
        command.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day (YYYY-MM-DD)")
        command.add_argument("--format", default="csv", choices=formats)
        command.add_argument("--output", metavar="FILE", help="write here (default: standard output)")
        command.add_argument("--by", default="admin", metavar="NAME", help="who exports, for the audit trail")
        command.set_defaults(run=_export, kind=kind)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _export(args: argparse.Namespace) -> int:
    from fieldapp.cli.admin import admin_database
    from fieldapp.server.core.agency import agency_zone_of
    from fieldapp.server.errors import ApiError
    from fieldapp.server.exports import files
    from fieldapp.server.settings import Settings

    try:
        wanted = files.Request(
            files.Kind(args.kind), files.Format(args.format), _day(args.start), _day(args.end)
        )
        wanted.check()
    except (ValueError, ApiError) as exc:
        print(f"fieldapp: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return Exit.USAGE
    settings = Settings()
    database = admin_database(args)
    try:
        out: BinaryIO
        with open(args.output, "wb") if args.output else _stdout() as out:
            written = files.export(
                database,
                wanted,
                out,
                username=args.by,
                agency_id=settings.agency_id,
                zone=agency_zone_of(database, settings),
                now=datetime.now(UTC),
            )
    except OSError as exc:
        print(f"fieldapp: cannot write {args.output}: {exc.strerror}", file=sys.stderr)
        return Exit.FILES
    finally:
        database.dispose()
    where = Path(args.output).name if args.output else "standard output"
    print(
        f"{wanted.filename}: {written.rows} rows, {written.size} bytes, sha256 {written.sha256} ({where})",
        file=sys.stderr,
    )
    return Exit.OK


class _stdout:
    """Standard output's bytes, left open afterwards."""

    def __enter__(self) -> BinaryIO:
        return sys.stdout.buffer

    def __exit__(self, *_: object) -> None:
        sys.stdout.buffer.flush()
