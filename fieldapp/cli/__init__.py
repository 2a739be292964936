"""Command line: ``fieldapp`` and its subcommands for demos, IT support and scripted checks, one module per
group: the tablet's (``tablet``), the server (``server``) and its administration (``admin``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from fieldapp import __version__, failures
from fieldapp.cli import admin, server, tablet


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:  # CI runs this on the frozen bundle: can this build start?
        from fieldapp.selftest import run

        return run()
    if not getattr(args, "command", None):  # `fieldapp` alone opens the tablet app
        return tablet.gui(parser.parse_args(["gui"]))
    try:
        result: int = args.run(args)
    except (Exception, KeyboardInterrupt) as exc:  # every failure ends in one sentence and its exit code
        return failures.report(exc, args.command)
    return result


def build_parser() -> argparse.ArgumentParser:
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
    tablet.add_commands(commands)
    server.add_command(commands)
    admin.add_commands(commands)
    return parser
