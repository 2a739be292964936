"""``fieldapp admin``: administering the back-office database (users, caseloads, demo data, schema,
integrity check). The server libraries are imported when a command runs."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from fieldapp.cli import exports, schedule
from fieldapp.cli.common import Commands, add_settings_options, read_password, server_settings
from fieldapp.config import SettingsError
from fieldapp.failures import Exit


def add_commands(commands: Commands) -> None:
    admin = commands.add_parser("admin", help="administer the back-office database")
    add_settings_options(admin)
    actions = admin.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create-user", help="add a user (password read from standard input)")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=["worker", "office", "admin"])
    create.set_defaults(run=_create_user)
    reset = actions.add_parser(
        "set-password", help="give a user a new password (read from standard input); their sessions end"
    )
    reset.add_argument("username")
    reset.set_defaults(run=_set_password)
    assign = actions.add_parser("assign", help="put a patient on a worker's caseload")
    assign.add_argument("username")
    assign.add_argument("patient_id", type=uuid.UUID)
    assign.set_defaults(run=_assign)
    seed = actions.add_parser(
        "seed-demo", help="create demo accounts, patients, caseloads and today's visits"
    )
    seed.set_defaults(run=_seed_demo)
    migrate = actions.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(run=_migrate)
    verify = actions.add_parser(
        "verify",
        help="check every signature, file, day-report PDF and audit chain against its hashes; "
        "exit 0 if all hold, 11 if any does not (7: the database cannot be read, 2: usage)",
    )
    verify.add_argument("--since", metavar="DATE", help="only what arrived or changed from this day on")
    verify.set_defaults(run=_verify)
    schedule.add_command(actions)
    exports.add_commands(actions)


def admin_database(args: argparse.Namespace) -> Any:
    """The admin's database (``--database`` or the server's default), migrated to the current schema."""
    from fieldapp.server import migrate
    from fieldapp.server.database import Database

    database = Database(server_settings(args).database_url)
    migrate.upgrade(database.engine)
    return database


@contextmanager
def _admin_write(args: argparse.Namespace) -> Iterator[Any]:
    """One write transaction on the admin's database, which is closed afterwards."""
    database = admin_database(args)
    try:
        with database.write() as session:
            yield session
    finally:
        database.dispose()


def _refusals_exit_1(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """An admin command whose refusal (a service's ApiError, a ValueError) is one line on stderr and exit 1;
    nothing was written, since the refusal rolled the transaction back."""

    def run(args: argparse.Namespace) -> int:
        from fieldapp.server.errors import ApiError

        try:
            return command(args)
        except SettingsError:
            raise  # settings that cannot be used: exit 2 (failures.report)
        except ApiError as exc:
            print(f"fieldapp: {exc.message}", file=sys.stderr)
        except ValueError as exc:
            print(f"fieldapp: {exc}", file=sys.stderr)
        return 1

    return run


@_refusals_exit_1
def _create_user(args: argparse.Namespace) -> int:
    from fieldapp.server.auth import sessions as auth
    from fieldapp.sync.protocol import Role

    password = read_password()
    with _admin_write(args) as session:
        user = auth.create_user(session, args.username, password, Role(args.role), datetime.now(UTC))
        print(f"created {args.role} {user.username} ({user.id})")
    return 0


@_refusals_exit_1
def _set_password(args: argparse.Namespace) -> int:
    from fieldapp.server.auth import sessions as auth

    password = read_password()
    with _admin_write(args) as session:
        user = auth.set_password(session, args.username, password, datetime.now(UTC))
        print(f"new password set for {user.username}; their sessions have ended")
    return 0


@_refusals_exit_1
def _assign(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from fieldapp.server.core import caseload
    from fieldapp.server.models import User

    with _admin_write(args) as session:
        user = session.scalar(select(User).where(User.username == args.username.strip().lower()))
        if user is None:
            raise ValueError(f"no user {args.username!r}")
        changed = caseload.assign(session, user.id, args.patient_id, datetime.now(UTC))
        name = user.username
    print(f"{'assigned' if changed else 'already assigned:'} patient {args.patient_id} to {name}")
    return 0


@_refusals_exit_1
def _seed_demo(args: argparse.Namespace) -> int:
    from fieldapp.server.core import admin
    from fieldapp.server.errors import ApiError

    try:
        with _admin_write(args) as session:
            accounts = admin.seed_demo(session, server_settings(args), datetime.now(UTC))
    except ApiError as exc:  # a demo user name is already taken by a real user: nothing was written
        raise ValueError(f"cannot seed the demo data: {exc.message}") from exc
    print(f"Seeded {admin.DEMO_PATIENTS} patients, caseloads and today's visits. Demo sign-ins:")
    for account in accounts:
        print(f"  {account.role.value:<7} {account.username:<8} password {account.password}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from fieldapp.server import migrate

    database = admin_database(args)
    print(f"database at revision {migrate.current_revision(database.engine)}")
    database.dispose()
    return 0


def _verify(args: argparse.Namespace) -> int:
    from fieldapp.server.core.agency import agency_zone_of
    from fieldapp.server.integrity import verify

    try:
        since = verify.since_date(args.since, datetime.now(UTC).date()) if args.since is not None else None
    except ValueError as exc:
        print(f"fieldapp: {exc}", file=sys.stderr)
        return Exit.USAGE
    database = admin_database(args)
    try:
        zone = agency_zone_of(database, server_settings(args)).key
        problems = verify.run(database, since, zone, sys.stdout)
    finally:
        database.dispose()
    return Exit.INTEGRITY if problems else Exit.OK
