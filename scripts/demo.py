"""`make demo`: a local back-office server with demo data, and the tablet app signed in to it.

1. The demo database lives in .demo/server.db (SQLite, the server's embedded default). It is seeded
   with `fieldapp admin seed-demo` once per day (today's visits are generated for the day of seeding);
   on a later day the demo server database and tablet profile are started afresh.
2. `fieldapp server` runs in the background on port 8765 (or a free port if that one is taken) until
   /health answers.
3. The tablet app opens with the profile .demo/tablet, signed in as the demo nurse; the password goes
   to it through $FIELDAPP_DEMO_PASSWORD (demo only), never on a command line.
4. When the app exits, the server is stopped.

Run with the project's virtualenv: `.venv/bin/python scripts/demo.py [--port N] [--fresh]`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / ".demo"
NURSE, NURSE_PASSWORD = "nurse", "nurse-demo-1"  # fieldapp.server.auth.admin.DEMO_ACCOUNTS
PORT = 8765


def fieldapp_command() -> list[str]:
    """Run the fieldapp CLI with this interpreter (works inside and outside the virtualenv)."""
    return [sys.executable, "-m", "fieldapp"]


def prepare_database(folder: Path, *, fresh: bool = False) -> str:
    """The demo server database URL, seeded today (wiping an older demo and its tablet profile)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "seeded-on"
    database = folder / "server.db"
    today = date.today().isoformat()
    if fresh or not stamp.exists() or stamp.read_text().strip() != today:
        for leftover in folder.glob("server.db*"):
            leftover.unlink()
        shutil.rmtree(folder / "tablet", ignore_errors=True)
        stamp.unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    if not stamp.exists():
        seeded = subprocess.run(
            [*fieldapp_command(), "admin", "--database", url, "seed-demo"],
            capture_output=True,
            text=True,
            check=False,
        )
        if seeded.returncode != 0:
            raise SystemExit(f"demo: seeding the demo database failed:\n{seeded.stderr}")
        print(seeded.stdout.strip())
        stamp.write_text(today)
    return url


def free_port(preferred: int) -> int:
    """``preferred`` if nothing listens there, else (or for 0) any free port."""
    if preferred:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def running_server(url: str, port: int, log: Path) -> Iterator[str]:
    """`fieldapp server` in the background until the block ends; yields its base URL."""
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(
            [*fieldapp_command(), "server", "--database", url, "--port", str(port), "--log-level", "warning"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_health(base, server)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def wait_for_health(base: str, server: subprocess.Popen[bytes], timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"demo: the server stopped at start-up (exit code {server.returncode})")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{base}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"demo: the server did not answer on {base}/health within {timeout_s:.0f} s")


def keyring_choice() -> str:
    """The system keyring when there is one; otherwise tokens in memory for this run (demo only)."""
    import keyring
    from keyring.backends import fail

    return "memory" if isinstance(keyring.get_keyring(), fail.Keyring) else "system"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=PORT, help=f"server port (default {PORT}, or a free one)")
    parser.add_argument("--fresh", action="store_true", help="start from a new demo database and profile")
    args = parser.parse_args()
    url = prepare_database(DEMO, fresh=args.fresh)
    port = free_port(args.port)
    with running_server(url, port, DEMO / "server.log") as base:
        store = keyring_choice()
        print(f"demo: back office on {base} (log in .demo/server.log); opening the tablet app as {NURSE}")
        if store == "memory":
            print(
                "demo: no system keyring here; the session and the tablet database's key are kept in memory "
                "for this run only, so the tablet profile starts afresh each run"
            )
            shutil.rmtree(DEMO / "tablet", ignore_errors=True)  # its key died with the previous run
        env = {**os.environ, "FIELDAPP_DEMO_PASSWORD": NURSE_PASSWORD}
        app = subprocess.run(
            [
                *fieldapp_command(),
                "gui",
                "--profile",
                str(DEMO / "tablet"),
                "--server",
                base,
                "--username",
                NURSE,
                "--keyring",
                store,
            ],
            env=env,
            check=False,
        )
    print("demo: the server has stopped")
    return app.returncode


if __name__ == "__main__":
    raise SystemExit(main())
