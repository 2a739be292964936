"""The office's day view for all workers and a worker's week view, 500 workers x 8 visits a day, over HTTP
against a real ``fieldapp server`` on SQLite and PostgreSQL.

Target (issue 17): p95 < 300 ms for both pages on both databases.

Seeded through the services: an office user, 500 field workers, 4,000 patients (8 per worker), 8 visits
per worker on each of the 7 days of this week (28,000 visits; this morning's first half checked in), a
tablet for every other worker (synced yesterday or today), weekly hours for every worker.

Each page is fetched REPEATS times by a browser-like session (signed in through the form, keep-alive),
from request to last byte. The floor, alternated with the pages in the same run, is ``GET /health`` over
the same connection. Printed per page and database: p50, p95, the p50 ratio to the floor, and whether p95
is within the target. ``--baseline PATH`` (another checkout, e.g. ``git worktree add --detach ../base
main``) also starts that checkout's server on the same data and alternates every fetch between the two
servers, so before and after are measured in the same minutes; printed side by side with the ratio.
Ends with one ``RESULT {json}`` line.

    .venv/bin/python benchmarks/schedule_board.py [--database sqlite|postgresql|both] [--repeats N]
        [--baseline PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import percentile
from benchmarks._server import PASSWORD, fieldapp_server, scratch_postgres
from benchmarks.office_pages import sign_in, timed
from fieldapp import demodata
from fieldapp.domain.entities import Patient, Visit
from fieldapp.domain.schedule_checks import week_start
from fieldapp.server import migrate
from fieldapp.server.auth import sessions as auth
from fieldapp.server.core import admin
from fieldapp.server.database import Database
from fieldapp.server.models import Device, User, WorkerHours
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role

WORKERS = 500
VISITS_PER_DAY = 8
TARGET_MS = 300.0


def seed(url: str) -> None:
    """The data described in the module's docstring."""
    database = Database(url)
    migrate.upgrade(database.engine)
    now = datetime.now(UTC)
    settings = Settings(database_url=url)
    monday = week_start(now.date())
    try:
        with database.write() as session:
            office = auth.create_user(session, "office", PASSWORD, Role.OFFICE, now)
            session.flush()
            patients = list(demodata.patients(WORKERS * VISITS_PER_DAY))
            admin.write_records(session, settings, office, patients, now)
        for index in range(WORKERS):
            with database.write() as session:
                _seed_worker(session, settings, office.id, index, patients, monday, now)
        # Committed: an ANALYZE rolled back with its connection leaves PostgreSQL without statistics (as
        # a fresh database has before autovacuum's first analyze), and the week's query then took the
        # (entity, day) index over every worker's visits instead of the (entity, worker, day) one.
        with database.engine.begin() as connection:
            connection.exec_driver_sql(
                "PRAGMA wal_checkpoint(TRUNCATE)" if database.dialect == "sqlite" else "ANALYZE"
            )
    finally:
        database.dispose()


def _seed_worker(
    session: Session,
    settings: Settings,
    office_id: uuid.UUID,
    index: int,
    patients: list[Patient],
    monday: date,
    now: datetime,
) -> None:
    worker = User(id=uuid.uuid4(), username=f"worker{index:03d}", password_hash="x", role=Role.WORKER.value,
                  active=True, created_at=now)  # fmt: skip
    session.add(worker)
    session.flush()  # the worker row first: hours and devices refer to it
    for weekday in range(5):
        session.add(WorkerHours(worker_id=worker.id, weekday=weekday, start_time="07:00", end_time="19:00"))
    if index % 2:
        heard = now - timedelta(hours=index % 30)
        session.add(Device(id=f"{index:016x}", user_id=worker.id, first_seen=now - timedelta(days=9),
                           last_seen=heard, last_sync_at=heard))  # fmt: skip
    session.flush()
    ids = [p.id for p in patients[index * VISITS_PER_DAY : (index + 1) * VISITS_PER_DAY]]
    visits: list[Visit] = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        for number, visit in enumerate(
            demodata.visits_for_day(ids, worker.id, day, seed=index * 10 + offset)
        ):
            if day == now.date() and number < VISITS_PER_DAY // 2:
                begin = visit.scheduled_start + timedelta(minutes=4)
                visit = visit.revise(
                    check_in={"device_time": begin, "server_time": begin}, status="in_progress"
                )
            visits.append(visit)
    office = session.get(User, office_id)
    assert office is not None
    admin.write_records(session, settings, office, visits, now)


def _worker_id(url: str) -> uuid.UUID:
    database = Database(url)
    try:
        with database.read() as session:
            worker = session.scalar(sa.select(User.id).where(User.username == "worker123"))
    finally:
        database.dispose()
    assert worker is not None
    return worker


def measure(
    servers: dict[str, str], url: str, repeats: int, label: str
) -> dict[str, dict[str, dict[str, float]]]:
    """Each page ``repeats`` times on every server (name -> base URL), the servers taking turns fetch by
    fetch, each fetch followed by the floor on the same server; p50/p95 per server and page."""
    worker = _worker_id(url)
    targets = {
        "day view, all workers (today)": "/office/visits",
        "week view, one worker": f"/office/schedule/week?worker={worker}",
    }
    sessions = {name: sign_in(base) for name, base in servers.items()}
    floor: dict[str, list[float]] = {name: [] for name in servers}
    results: dict[str, dict[str, list[float]]] = {name: {} for name in servers}
    for page, path in targets.items():
        for name, base in servers.items():  # warm-up
            timed(partial(sessions[name].get, f"{base}{path}", timeout=120))
        for _ in range(repeats):
            for name, base in servers.items():
                http = sessions[name]
                took = timed(partial(http.get, f"{base}{path}", timeout=120))
                results[name].setdefault(page, []).append(took)
                floor[name].append(timed(partial(http.get, f"{base}/health", timeout=60)))
    return {name: _summary(f"{label} {name}", floor[name], results[name]) for name in servers}


def _summary(label: str, floor: list[float], results: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    floor50 = percentile(floor, 50) * 1000
    print(f"{label} floor GET /health: p50 {floor50:.1f} ms, p95 {percentile(floor, 95) * 1000:.1f} ms")
    summary: dict[str, dict[str, float]] = {}
    for name, samples in results.items():
        p50, p95 = percentile(samples, 50) * 1000, percentile(samples, 95) * 1000
        print(
            f"{label} {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms | ratio p50 {p50 / floor50:.1f}x floor | "
            f"{'within' if p95 < TARGET_MS else 'OVER'} the {TARGET_MS:.0f} ms target"
        )
        summary[name] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1), "floor_p50_ms": round(floor50, 2)}
    return summary


def _compared(label: str, found: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """This checkout's figures beside the baseline's: the p50 and p95 ratios (baseline / now)."""
    ratios: dict[str, dict[str, float]] = {}
    for page, now in found["now"].items():
        before = found["baseline"][page]
        ratios[page] = {
            f"{q}_speedup": round(before[f"{q}_ms"] / max(now[f"{q}_ms"], 1e-6), 2) for q in ("p50", "p95")
        }
        print(
            f"{label} {page}: p50 {before['p50_ms']} -> {now['p50_ms']} ms "
            f"({ratios[page]['p50_speedup']}x), p95 {before['p95_ms']} -> {now['p95_ms']} ms "
            f"({ratios[page]['p95_speedup']}x)"
        )
    return ratios


def run(url: str, label: str, folder: Path, args: argparse.Namespace) -> dict[str, object]:
    """Seed ``url``, start this checkout's server (and the baseline's), measure; the figures."""
    started = time.perf_counter()
    seed(url)
    print(f"seeded {label} in {time.perf_counter() - started:.0f} s")
    with contextlib.ExitStack() as stack:
        servers = {"now": stack.enter_context(fieldapp_server(url, folder / f"{label}-server.log"))}
        if args.baseline is not None:
            log = folder / f"{label}-baseline-server.log"
            servers["baseline"] = stack.enter_context(fieldapp_server(url, log, root=args.baseline))
        found = measure(servers, url, args.repeats, label)
    figures: dict[str, object] = dict(found["now"])
    if "baseline" in found:
        figures["baseline"] = found["baseline"]
        figures["speedup"] = _compared(label, found)
    return figures


def _pages(found: object) -> list[dict[str, float]]:
    """This checkout's page figures of a database's result (not the baseline's, nor the ratios)."""
    if not isinstance(found, dict):
        return []
    return [page for page in found.values() if isinstance(page, dict) and "p95_ms" in page]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--baseline", type=Path, help="another checkout whose server is measured too, fetch by fetch in turn"
    )
    args = parser.parse_args(argv)
    result: dict[str, object] = {
        "benchmark": "schedule_board",
        "workers": WORKERS,
        "visits_per_day": VISITS_PER_DAY,
        "target_p95_ms": TARGET_MS,
    }
    with tempfile.TemporaryDirectory() as folder:
        if args.database in ("sqlite", "both"):
            result["sqlite"] = run(f"sqlite:///{folder}/schedule-bench.db", "sqlite", Path(folder), args)
        if args.database in ("postgresql", "both"):
            with scratch_postgres(f"fieldapp_sched_bench_{uuid.uuid4().hex[:6]}") as url:
                result["postgresql"] = run(url, "postgresql", Path(folder), args)
    ok = all(
        page["p95_ms"] < TARGET_MS for key in ("sqlite", "postgresql") for page in _pages(result.get(key))
    )
    result["within_target"] = ok
    print("RESULT " + json.dumps(result), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
