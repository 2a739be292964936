"""The office's exception queue for 500 workers x 8 visits a day, timed over HTTP against a real
``fieldapp server`` on SQLite and PostgreSQL.

Target (issue 18): p95 under 300 ms on both databases.

Seeded (benchmarks/_evv_seed.py): 500 field workers, 4,000 patients, 8 worked visits per worker on each
of the last 3 days (12,000 visits); one visit in four was late and short (two exceptions each: 3,000 a
day, half of them approved). Timed, each REPEATS times by a browser signed in as the office: the day's
queue (first page of the open exceptions, every kind), the queue filtered by a code, by a worker, all
states, the last page, and one visit's page with its verification state. The floor, alternated with
the pages, is ``GET /health`` over the same connection. Printed per page: p50 and p95, the ratio of p50
to the floor's p50, and whether p95 is within the target.

    .venv/bin/python benchmarks/exception_queue.py [--database sqlite|postgresql|both] [--repeats N]
        [--baseline PATH]
``--baseline PATH`` (another checkout, e.g. ``git worktree add --detach ../base main``): the data is seeded
with that checkout's code, its server is timed first ("BEFORE" lines), then this checkout's server
(which upgrades the same database when it starts) on the same data.
Ends with one line ``RESULT {json}`` holding the figures (``benchmarks._common.result``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import result
from benchmarks._evv_seed import seed
from benchmarks._server import ROOT, code_env, fieldapp_server, scratch_postgres
from benchmarks.office_pages import sign_in, time_pages
from fieldapp.server.database import Database
from fieldapp.server.models import Record, User

WORKERS, VISITS_PER_DAY, DAYS = 500, 8, 3
TARGET_MS = 300.0


def pages(url: str) -> dict[str, str]:
    """The pages to time, with a worker and a visit picked from the seeded data."""
    day = (datetime.now(UTC) - timedelta(days=1)).date()
    database = Database(url)
    try:
        with database.read() as session:
            worker = session.scalar(sa.select(User.id).where(User.username == "worker123"))
            visit = session.scalar(
                sa.select(Record.parent_id).where(Record.entity == "visit_exception").limit(1)
            )
    finally:
        database.dispose()
    base = f"/office/exceptions?day={day}"
    return {
        "queue (open, every kind)": base,
        "queue (late check-in)": f"{base}&code=late_check_in",
        "queue (one worker)": f"{base}&worker={worker}",
        "queue (all states)": f"{base}&state=all",
        "queue (last page)": f"{base}&page=1000",
        "visit with exceptions": f"/office/visits/{visit}",
    }


def _seeded(url: str, root: Path) -> str:
    """Seed with ``root``'s code (an older checkout's schema when measuring a baseline); its counts."""
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=d) for d in range(1, DAYS + 1)]
    if root == ROOT:
        return str(seed(url, workers=WORKERS, days=days))
    wanted = [str(d) for d in days]
    code = "import datetime; from benchmarks._evv_seed import seed; "
    code += f"days = [datetime.date.fromisoformat(d) for d in {wanted!r}]; "
    code += f"print(seed({url!r}, workers={WORKERS}, days=days))"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=code_env(root), capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def run(
    url: str, folder: str, label: str, repeats: int, figures: dict[str, object], baseline: Path | None
) -> bool:
    """Seed once; with a baseline, its server first (on its own schema), then this checkout's (which
    upgrades the same database at start), back to back on the same data."""
    started = time.perf_counter()
    counts = _seeded(url, baseline or ROOT)
    print(f"-- {label}: seeded {counts} in {time.perf_counter() - started:.0f} s; {repeats} fetches per page")
    targets = pages(url)
    if baseline is not None:
        with fieldapp_server(url, Path(folder) / f"{label}-before.log", root=baseline) as base:
            time_pages(base, sign_in(base), targets, repeats, f"{label} BEFORE", figures, TARGET_MS)
    with fieldapp_server(url, Path(folder) / f"{label}-server.log") as base:
        return time_pages(base, sign_in(base), targets, repeats, label, figures, TARGET_MS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--baseline", type=Path, help="another checkout (an older commit) timed first, same data"
    )
    args = parser.parse_args(argv)
    ok, figures = True, dict[str, object]()
    with tempfile.TemporaryDirectory() as folder:
        if args.database in ("sqlite", "both"):
            ok = (
                run(
                    f"sqlite:///{folder}/queue-bench.db",
                    folder,
                    "sqlite",
                    args.repeats,
                    figures,
                    args.baseline,
                )
                and ok
            )
        if args.database in ("postgresql", "both"):
            with scratch_postgres(f"fieldapp_queue_bench_{uuid.uuid4().hex[:6]}") as url:
                ok = run(url, folder, "postgresql", args.repeats, figures, args.baseline) and ok
    result("exception_queue", target_p95_ms=TARGET_MS, met=ok, pages=figures)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
