"""``fieldapp admin import-schedule`` with 10,000 visit rows, end to end (a ``fieldapp`` process reading the
file, checking it, writing every visit through the push), on PostgreSQL (and SQLite with --database both).

Target (issue 17): under 10 s on PostgreSQL, printed with its rows/s.

Seeded: an office user, 200 field workers, 2,000 patients. The file: 10,000 rows, 50 per worker over 10
days (5 a day, none overlapping), a service code and a note on each. Measured in the same run: the floor,
``import-schedule --dry-run`` of the same file (the process, reading and every check, no writes); the
import; and the replay of the same file (nothing to change). Printed: seconds, rows/s, ratios to the
floor. Ends with one ``RESULT {json}`` line.

    .venv/bin/python benchmarks/schedule_import.py [--database postgresql|both] [--rows N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._server import PASSWORD, ROOT, scratch_postgres
from fieldapp import demodata
from fieldapp.server import migrate
from fieldapp.server.auth import sessions as auth
from fieldapp.server.core import admin
from fieldapp.server.database import Database
from fieldapp.server.models import User
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role

WORKERS = 200
PATIENTS = 2_000
TARGET_S = 10.0


def seed(url: str) -> tuple[list[str], list[str]]:
    """Users and patients; returns the worker names and the patients' MRNs."""
    database = Database(url)
    migrate.upgrade(database.engine)
    now = datetime.now(UTC)
    try:
        with database.write() as session:
            office = auth.create_user(session, "office", PASSWORD, Role.OFFICE, now)
            names = [f"worker{n:03d}" for n in range(WORKERS)]
            for name in names:
                session.add(User(id=uuid.uuid4(), username=name, password_hash="x", role=Role.WORKER.value,
                                 active=True, created_at=now))  # fmt: skip
            session.flush()
            patients = list(demodata.patients(PATIENTS))
            admin.write_records(session, Settings(database_url=url), office, patients, now)
        with database.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE" if database.dialect == "postgresql" else "PRAGMA optimize")
    finally:
        database.dispose()
    return names, [p.mrn for p in patients]


def schedule_file(path: Path, rows: int, workers: list[str], mrns: list[str]) -> None:
    """``rows`` visits: 5 a day per worker, 90 minutes apart, from tomorrow on."""
    first = date.today() + timedelta(days=1)
    lines = ["external_id,worker,patient_mrn,date,start,end,service_code,worker_notes"]
    for n in range(rows):
        worker, slot = n % len(workers), n // len(workers)
        day, number = first + timedelta(days=slot // 5), slot % 5
        start = 8 * 60 + number * 90
        lines.append(
            f"BENCH-{n:06d},{workers[worker]},{mrns[(worker * 10 + number) % len(mrns)]},{day.isoformat()},"
            f"{start // 60:02d}:{start % 60:02d},{(start + 60) // 60:02d}:{(start + 60) % 60:02d},"
            f"{'T1019' if n % 2 else 'G0156'},Visit {n}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(url: str, path: Path, *extra: str) -> float:
    """Seconds for one ``fieldapp admin import-schedule`` process (raises if it fails)."""
    argv = [
        sys.executable,
        "-m",
        "fieldapp",
        "admin",
        "--database",
        url,
        "import-schedule",
        str(path),
        *extra,
    ]
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=os.environ.copy(), check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"import-schedule exited {done.returncode}: {done.stderr[-2000:]}")
    print("   ", (done.stdout.strip().splitlines() or [""])[-1])
    return elapsed


def measure(url: str, rows: int, folder: Path, label: str) -> dict[str, float]:
    workers, mrns = seed(url)
    path = folder / f"{label}-schedule.csv"
    schedule_file(path, rows, workers, mrns)
    floor = run(url, path, "--dry-run")
    applied = run(url, path)
    replay = run(url, path)
    print(
        f"{label}: {rows} rows | floor (dry run) {floor:.2f} s | import {applied:.2f} s, "
        f"{rows / applied:,.0f} rows/s, {applied / floor:.1f}x floor | replay {replay:.2f} s, "
        f"{replay / floor:.1f}x floor | {'within' if applied < TARGET_S else 'OVER'} the "
        f"{TARGET_S:.0f} s target"
    )
    return {
        "rows": rows,
        "dry_run_s": round(floor, 2),
        "import_s": round(applied, 2),
        "rows_per_s": round(rows / applied),
        "replay_s": round(replay, 2),
        "ratio_to_floor": round(applied / floor, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=["postgresql", "both"], default="postgresql")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    result: dict[str, object] = {"benchmark": "schedule_import", "target_s": TARGET_S}
    with tempfile.TemporaryDirectory() as folder:
        with scratch_postgres(f"fieldapp_import_bench_{uuid.uuid4().hex[:6]}") as url:
            result["postgresql"] = pg = measure(url, args.rows, Path(folder), "postgresql")
        if args.database == "both":
            result["sqlite"] = measure(f"sqlite:///{folder}/import.db", args.rows, Path(folder), "sqlite")
    result["within_target"] = pg["import_s"] < TARGET_S
    print("RESULT " + json.dumps(result), flush=True)
    return 0 if result["within_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
