"""Command line: ``fieldapp`` and its subcommands for demos, IT support and scripted checks."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from fieldapp import __version__
from fieldapp.config import Profile

DEMO_WORKER = uuid.UUID("5f0c2b1e-7a43-4d1e-9c55-0d1e2f3a4b5c")
DEMO_PATIENTS = 300
DEMO_VISITS = 7


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 0
    result: int = args.run(args)
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldapp", description="Offline-first home-healthcare field app.")
    parser.add_argument("--version", action="version", version=f"fieldapp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo", help="create a demo profile with generated patients and today's visits"
    )
    demo.add_argument("--profile", type=Path, default=Path(".demo/profile"), help="profile folder")
    demo.set_defaults(run=_demo)

    status = commands.add_parser("status", help="print a profile's sync status as JSON")
    status.add_argument("--profile", type=Path, required=True, help="profile folder")
    status.set_defaults(run=_status)
    return parser


def _demo(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from fieldapp import demodata
    from fieldapp.store import repo
    from fieldapp.store.local import LocalStore
    from fieldapp.store.models import PatientRow
    from fieldapp.store.state import store_status

    profile = Profile.at(args.profile)
    store = LocalStore.open(profile.store_path)
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
        "Not yet part of the demo: the back-office server and the tablet window "
        "(they join `make demo` as they are built)."
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    from fieldapp.store.local import LocalStore
    from fieldapp.store.migrate import current_revision
    from fieldapp.store.state import store_status

    profile = Profile.at(args.profile)
    if not profile.store_path.exists():
        print(
            f"fieldapp: no profile at {profile.folder} (no {profile.store_path.name} there)", file=sys.stderr
        )
        return 2
    store = LocalStore.open(profile.store_path)
    try:
        with store.read() as session:
            status = store_status(session)
        revision = current_revision(store.engine)
    finally:
        store.close()
    print(
        json.dumps(
            {
                "profile": str(profile.folder),
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


if __name__ == "__main__":
    raise SystemExit(main())
