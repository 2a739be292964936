"""Command line: ``fieldapp`` and its subcommands for demos, IT support and scripted checks."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fieldapp import __version__, failures
from fieldapp.config import Profile
from fieldapp.failures import Exit

DEMO_WORKER = uuid.UUID("5f0c2b1e-7a43-4d1e-9c55-0d1e2f3a4b5c")
DEMO_PATIENTS = 300
DEMO_VISITS = 7
DEMO_PASSWORD_ENV = "FIELDAPP_DEMO_PASSWORD"  # `fieldapp gui --username` signs in with it (demos only)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.self_test:  # CI runs this on the frozen bundle: can this build start?
        from fieldapp.selftest import run

        return run()
    if not getattr(args, "command", None):  # `fieldapp` alone opens the tablet app
        return _gui(parser.parse_args(["gui"]))
    try:
        result: int = args.run(args)
    except (Exception, KeyboardInterrupt) as exc:  # every failure ends in one sentence and its exit code
        return failures.report(exc, args.command)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldapp",
        description="Offline-first home-healthcare field app.",
        epilog=failures.epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fieldapp {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this build starts (temporary store, Qt offscreen, main window) and exit 0 if so",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _tablet_commands(commands)
    _server_command(commands)
    _admin_commands(commands)
    return parser


def _tablet_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gui = commands.add_parser("gui", help="open the tablet app (what `fieldapp` alone does)")
    gui.add_argument("--profile", type=Path, help="profile folder (default: the user's data folder)")
    gui.add_argument("--server", help="back-office address to offer at sign-in")
    gui.add_argument(
        "--username",
        help=f"demos only: sign in at once as this user, with the password in ${DEMO_PASSWORD_ENV}",
    )
    gui.add_argument(
        "--keyring",
        choices=["system", "memory"],
        default="system",
        help="where session tokens live: the system keyring, or (demos, no keyring) memory for this run",
    )
    gui.set_defaults(run=_gui)

    demo = commands.add_parser(
        "demo",
        help="create an offline-only demo profile with generated patients (`make demo` runs the whole demo)",
    )
    demo.add_argument("--profile", type=Path, default=Path(".demo/profile"), help="profile folder")
    demo.set_defaults(run=_demo)

    status = commands.add_parser("status", help="print a profile's sync status as JSON")
    status.add_argument("--profile", type=Path, required=True, help="profile folder")
    status.set_defaults(run=_status)

    sync = commands.add_parser("sync", help="sign a profile in (with --server/--username) and run one sync")
    sync.add_argument("--profile", type=Path, required=True, help="profile folder")
    sync.add_argument("--server", help="back-office address, e.g. https://office.example.org")
    sync.add_argument("--username", help="sign in as this user (password read from standard input)")
    sync.set_defaults(run=_sync)


def _server_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    server = commands.add_parser("server", help="run the back-office server (FastAPI on uvicorn)")
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    server.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    server.add_argument("--database", help="SQLAlchemy URL (default: a SQLite file in the user data folder)")
    server.add_argument(
        "--workers", type=int, default=1, help="worker processes (more than 1 needs PostgreSQL)"
    )
    server.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    server.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM, chain included)")
    server.add_argument("--tls-key", help="the certificate's private key (PEM)")
    server.add_argument(
        "--insecure-http",
        action="store_true",
        help="allow plain HTTP on an address other than loopback (only on a network you fully trust; "
        "in production put a TLS reverse proxy in front, docs/operations.md)",
    )
    server.add_argument(
        "--api-docs",
        action="store_true",
        help="serve the API documentation at /docs, /redoc and /openapi.json (off by default; "
        "also FIELDAPP_API_DOCS=1)",
    )
    server.set_defaults(run=_server)


def _admin_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admin = commands.add_parser("admin", help="administer the back-office database")
    admin.add_argument("--database", help="SQLAlchemy URL (default: the server's default SQLite file)")
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


def _gui(args: argparse.Namespace) -> int:
    import os

    from fieldapp.app import run_gui

    password = os.environ.get(DEMO_PASSWORD_ENV) if args.username else None
    if args.username and not password:
        print(f"fieldapp: --username needs the password in ${DEMO_PASSWORD_ENV}", file=sys.stderr)
        return 2
    return run_gui(
        Profile.at(args.profile),
        args.server,
        username=args.username,
        password=password,
        session_keyring=args.keyring == "memory",
    )


def _demo(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from fieldapp import demodata
    from fieldapp.profiles import open_store
    from fieldapp.store import repo
    from fieldapp.store.models import PatientRow
    from fieldapp.store.state import store_status

    profile = Profile.at(args.profile)
    store = open_store(profile)
    try:
        with store.read() as session:
            existing = session.scalar(select(func.count()).select_from(PatientRow)) or 0
        if existing == 0:
            patients = list(demodata.patients(DEMO_PATIENTS))
            today = datetime.now(UTC).date()
            visits = list(demodata.visits_for_day([p.id for p in patients[:DEMO_VISITS]], DEMO_WORKER, today))
            with store.unit_of_work() as session:
                for record in [*patients, *visits]:
                    repo.add(session, store.clock, record)
            print(
                f"Created demo profile {profile.folder} with {len(patients)} patients "
                f"and {len(visits)} visits scheduled today, all saved through the local write path."
            )
        else:
            print(f"Demo profile {profile.folder} already holds {existing} patients; left as it is.")
        with store.read() as session:
            status = store_status(session)
        print(
            f"Local store: {profile.store_path} (device {status.node_id}); "
            f"{status.pending} changes queued for the back office."
        )
    finally:
        store.close()
    print(
        "This profile works offline only (no server). For the whole demo, with the back-office server "
        "and the tablet window signed in to it, run `make demo`."
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    from fieldapp import deprovision
    from fieldapp.profiles import open_store
    from fieldapp.store.migrate import current_revision
    from fieldapp.store.state import store_status

    profile = Profile.at(args.profile)
    retired = deprovision.retirement(profile)
    if retired is not None:
        print(f"fieldapp: {retired.message}", file=sys.stderr)
        return Exit.RETIRED
    if not profile.store_path.exists():
        print(
            f"fieldapp: no profile at {profile.folder} (no {profile.store_path.name} there)", file=sys.stderr
        )
        return Exit.USAGE
    store = open_store(profile)
    try:
        with store.read() as session:
            status = store_status(session)
        revision = current_revision(store.engine)
    finally:
        store.close()
    settings = profile.load_settings()
    print(
        json.dumps(
            {
                "profile": str(profile.folder),
                "server": settings.server_url if settings else None,
                "user": settings.username if settings else None,
                "device": status.node_id,
                "pending": status.pending,
                "rejected": status.rejected,
                "conflicts": status.open_conflicts,
                "cursor": status.pull_cursor,
                "last_success": status.last_success_at.isoformat() if status.last_success_at else None,
                "clock_offset_ms": status.clock_offset_ms,
                "schema_revision": revision,
            },
            indent=2,
        )
    )
    return 0


def _sync(args: argparse.Namespace) -> int:
    from fieldapp import deprovision
    from fieldapp.device import open_device, sign_in

    retired = deprovision.retirement(Profile.at(args.profile))
    if retired is not None:
        print(f"fieldapp: {retired.message}", file=sys.stderr)
        return Exit.RETIRED
    if args.username and not args.server and Profile.at(args.profile).load_settings() is None:
        print("fieldapp: give --server with --username to sign a new profile in", file=sys.stderr)
        return Exit.USAGE
    device = open_device(Profile.at(args.profile), args.server)
    try:
        if args.username:
            settings = sign_in(device, args.username, _read_password())
            print(
                f"signed in as {settings.username} on {settings.server_url} (device {device.store.node_id})"
            )
        result = device.engine.run()
        if result.retired:
            retirement = device.retire(undelivered=result.pending + result.rejected)
            print(f"pushed {result.pushed} before the wipe", file=sys.stderr)
            print(f"fieldapp: {retirement.message}", file=sys.stderr)
            return Exit.RETIRED
    finally:
        device.close()
    print(
        f"pushed {result.pushed}, pulled {result.pulled}, conflicts {result.conflicts}, "
        f"pending {result.pending}" + (f", set aside {result.rejected}" if result.rejected else "")
    )
    if result.error:
        print(f"fieldapp: sync failed: {result.error}", file=sys.stderr)
        return failures.SYNC_FAILURES.get(result.failure or "", Exit.NO_CONNECTION)
    return Exit.OK


def _server(args: argparse.Namespace) -> int:
    import logging
    import os

    import uvicorn

    from fieldapp.server import migrate
    from fieldapp.server.database import Database
    from fieldapp.server.settings import API_DOCS_ENV, default_database_url

    url = args.database or default_database_url()
    if bool(args.tls_cert) != bool(args.tls_key):
        print("fieldapp: give --tls-cert and --tls-key together", file=sys.stderr)
        return 2
    tls = bool(args.tls_cert)
    if not tls and not args.insecure_http and not _loopback(args.host):
        print(
            f"fieldapp: refusing to serve patient data over plain HTTP on {args.host}: give --tls-cert and "
            "--tls-key, or listen on 127.0.0.1 behind a TLS reverse proxy (docs/operations.md); "
            "--insecure-http overrides",
            file=sys.stderr,
        )
        return 2
    if args.workers > 1 and not url.startswith("postgresql"):
        print(
            "fieldapp: several workers need PostgreSQL (--database postgresql+psycopg://...);"
            " SQLite serves one worker",
            file=sys.stderr,
        )
        return 2
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    database = Database(url)
    migrate.upgrade(database.engine)  # once, before the workers start
    database.dispose()
    os.environ["FIELDAPP_DATABASE_URL"] = url  # the workers build their settings from the environment
    if args.api_docs:
        os.environ[API_DOCS_ENV] = "1"
    print(
        f"fieldapp server on {'https' if tls else 'http'}://{args.host}:{args.port} "
        f"({url.split(':', 1)[0]}, {args.workers} worker(s))",
        flush=True,
    )
    uvicorn.run(
        "fieldapp.server.api:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=False,
        proxy_headers=True,
        timeout_graceful_shutdown=5,
        ssl_certfile=args.tls_cert,
        ssl_keyfile=args.tls_key,
    )
    return 0


def _loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _admin_database(args: argparse.Namespace) -> Any:
    from fieldapp.server import migrate
    from fieldapp.server.database import Database
    from fieldapp.server.settings import default_database_url

    database = Database(args.database or default_database_url())
    migrate.upgrade(database.engine)
    return database


def _read_password() -> str:
    import getpass

    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            raise failures.Refusal("the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


@contextmanager
def _admin_write(args: argparse.Namespace) -> Iterator[Any]:
    """One write transaction on the admin's database, which is closed afterwards."""
    database = _admin_database(args)
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
        except ApiError as exc:
            print(f"fieldapp: {exc.message}", file=sys.stderr)
        except ValueError as exc:
            print(f"fieldapp: {exc}", file=sys.stderr)
        return 1

    return run


@_refusals_exit_1
def _create_user(args: argparse.Namespace) -> int:
    from fieldapp.server.services import auth
    from fieldapp.sync.protocol import Role

    password = _read_password()
    with _admin_write(args) as session:
        user = auth.create_user(session, args.username, password, Role(args.role), datetime.now(UTC))
        print(f"created {args.role} {user.username} ({user.id})")
    return 0


@_refusals_exit_1
def _set_password(args: argparse.Namespace) -> int:
    from fieldapp.server.services import auth

    password = _read_password()
    with _admin_write(args) as session:
        user = auth.set_password(session, args.username, password, datetime.now(UTC))
        print(f"new password set for {user.username}; their sessions have ended")
    return 0


@_refusals_exit_1
def _assign(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from fieldapp.server.models import User
    from fieldapp.server.services import caseload

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
    from fieldapp.server.errors import ApiError
    from fieldapp.server.services import admin
    from fieldapp.server.settings import Settings

    try:
        with _admin_write(args) as session:
            url = session.get_bind().url.render_as_string(hide_password=False)
            accounts = admin.seed_demo(session, Settings(database_url=url), datetime.now(UTC))
    except ApiError as exc:  # a demo user name is already taken by a real user: nothing was written
        raise ValueError(f"cannot seed the demo data: {exc.message}") from exc
    print(f"Seeded {admin.DEMO_PATIENTS} patients, caseloads and today's visits. Demo sign-ins:")
    for account in accounts:
        print(f"  {account.role.value:<7} {account.username:<8} password {account.password}")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    from fieldapp.server import migrate

    database = _admin_database(args)
    print(f"database at revision {migrate.current_revision(database.engine)}")
    database.dispose()
    return 0


def _verify(args: argparse.Namespace) -> int:
    from fieldapp.server.services import verify
    from fieldapp.server.settings import Settings

    try:
        since = verify.since_date(args.since, datetime.now(UTC).date()) if args.since is not None else None
    except ValueError as exc:
        print(f"fieldapp: {exc}", file=sys.stderr)
        return Exit.USAGE
    database = _admin_database(args)
    try:
        problems = verify.run(database, since, Settings().agency_timezone, sys.stdout)
    finally:
        database.dispose()
    return Exit.INTEGRITY if problems else Exit.OK


if __name__ == "__main__":
    raise SystemExit(main())
