"""The tablet's commands: ``gui`` (what ``fieldapp`` alone does), ``demo``, ``status`` and ``sync``."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path

from fieldapp import failures
from fieldapp.cli.common import Commands, read_password
from fieldapp.config import Profile
from fieldapp.failures import Exit

DEMO_WORKER = uuid.UUID("5f0c2b1e-7a43-4d1e-9c55-0d1e2f3a4b5c")
DEMO_PATIENTS = 300
DEMO_VISITS = 7
DEMO_PASSWORD_ENV = "FIELDAPP_DEMO_PASSWORD"  # `fieldapp gui --username` signs in with it (demos only)


def add_commands(commands: Commands) -> None:
    gui_command = commands.add_parser("gui", help="open the tablet app (what `fieldapp` alone does)")
    gui_command.add_argument("--profile", type=Path, help="profile folder (default: the user's data folder)")
    gui_command.add_argument("--server", help="back-office address to offer at sign-in")
    gui_command.add_argument(
        "--username",
        help=f"demos only: sign in at once as this user, with the password in ${DEMO_PASSWORD_ENV}",
    )
    gui_command.add_argument(
        "--keyring",
        choices=["system", "memory"],
        default="system",
        help="where session tokens live: the system keyring, or (demos, no keyring) memory for this run",
    )
    gui_command.set_defaults(run=gui)

    demo_command = commands.add_parser(
        "demo",
        help="create an offline-only demo profile with generated patients (`make demo` runs the whole demo)",
    )
    demo_command.add_argument("--profile", type=Path, default=Path(".demo/profile"), help="profile folder")
    demo_command.set_defaults(run=demo)

    status_command = commands.add_parser("status", help="print a profile's sync status as JSON")
    status_command.add_argument("--profile", type=Path, required=True, help="profile folder")
    status_command.set_defaults(run=status)

    sync_command = commands.add_parser(
        "sync", help="sign a profile in (with --server/--username) and run one sync"
    )
    sync_command.add_argument("--profile", type=Path, required=True, help="profile folder")
    sync_command.add_argument("--server", help="back-office address, e.g. https://office.example.org")
    sync_command.add_argument("--username", help="sign in as this user (password read from standard input)")
    sync_command.set_defaults(run=sync)


def gui(args: argparse.Namespace) -> int:
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


def demo(args: argparse.Namespace) -> int:
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


def status(args: argparse.Namespace) -> int:
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


def sync(args: argparse.Namespace) -> int:
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
            settings = sign_in(device, args.username, read_password())
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
