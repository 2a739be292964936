"""``fieldapp admin import-schedule FILE.csv [--dry-run] [--as USER]``: the agency's schedule, all or nothing.

Every bad row is printed with its line and reason and nothing is applied (exit 1); a dry run checks and
says what would change. The import is written as an office user (``--as``; default the first admin, else
the first office user) through the same path as the office's own edits. On PostgreSQL the running
server's event streams hear of it at once; on SQLite the tablets get it at their next sync.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fieldapp.failures import Exit, Refusal


def add_command(actions: Any) -> None:
    """Add ``import-schedule`` to ``fieldapp admin``."""
    command = actions.add_parser(
        "import-schedule",
        help="import visits from a schedule CSV (docs/scheduling.md): every row or none; exit 1 lists "
        "each bad row",
    )
    command.add_argument("file", type=Path, help="the CSV file (UTF-8, header row)")
    command.add_argument("--dry-run", action="store_true", help="check the file and say what would change")
    command.add_argument("--as", dest="as_user", metavar="USER", help="the office user the import is made as")
    command.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Read, check and (unless a dry run) apply the file; print what happened."""
    from fieldapp.server import migrate
    from fieldapp.server.core.notify import Notifier, PostgresNotifier, write_notifying
    from fieldapp.server.database import Database
    from fieldapp.server.settings import Settings, default_database_url

    data = args.file.read_bytes()  # OSError: exit 10 with the path
    database = Database(args.database or default_database_url())
    try:
        migrate.upgrade(database.engine)
        settings = Settings(database_url=database.url)
        notifier = (
            PostgresNotifier(database.psycopg_conninfo) if database.dialect == "postgresql" else Notifier()
        )
        report = write_notifying(database, notifier, lambda session: _work(session, settings, args, data))
    finally:
        database.dispose()
    for problem in report.problems:
        print(f"{args.file}: {problem}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}")
    print(report.summary(), file=sys.stderr if report.problems else sys.stdout)
    return int(Exit.REFUSED) if report.problems else int(Exit.OK)


def _work(session: Any, settings: Any, args: argparse.Namespace, data: bytes) -> tuple[Any, Any]:
    from fieldapp.server.scheduling import importer
    from fieldapp.server.scheduling.writes import Author

    author = Author(session, settings, _principal(session, args.as_user), datetime.now(UTC))
    report = importer.import_schedule(author, data, dry_run=args.dry_run)
    return report, report.written.notice if report.applied else None


def _principal(session: Any, username: str | None) -> Any:
    import sqlalchemy as sa

    from fieldapp.server.auth.sessions import Principal
    from fieldapp.server.core.admin import SERVER_NODE
    from fieldapp.server.models import User
    from fieldapp.sync.protocol import Role

    office = (Role.ADMIN.value, Role.OFFICE.value)
    query = sa.select(User).where(User.role.in_(office), User.active.is_(True))
    if username:
        user = session.scalar(query.where(User.username == username.strip().lower()))
        if user is None:
            raise Refusal(f"no active office user {username!r}")
    else:
        users = list(session.scalars(query.order_by(User.created_at, User.username)))
        user = next((u for u in users if u.role == Role.ADMIN.value), users[0] if users else None)
        if user is None:
            raise Refusal(
                "no office user to import as: create one with fieldapp admin create-user --role office"
            )
    return Principal(user.id, user.username, Role(user.role), SERVER_NODE, uuid.uuid4())
