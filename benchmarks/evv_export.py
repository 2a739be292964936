"""The EVV export of a month for 500 workers (about 100,000 visits), on PostgreSQL (and SQLite).

Target (issue 18): under 20 s on PostgreSQL, streamed, memory flat.

Seeded (benchmarks/_evv_seed.py): 500 field workers, 4,000 patients, 8 worked visits per worker on each
of DAYS days; one visit in four late and short with two exceptions, half of those approved (verified),
half open (left out of the export). Each export runs in a fresh child process (``--child``) that prints
its time and its peak resident memory; the memory is also taken for an export of 3 days, so a flat
profile shows as the same peak for 3 days and for the month. The floor, in a child too: reading the same
visit rows with the same streaming query and writing each row's stored JSON to a file (the cost of the
database and the disk without building the feed). Printed: seconds, rows, SHA-256, peak RSS, and the
ratio to the floor; the CSV export runs twice and both files must have the same SHA-256. The export
streams the rows kept ready (decision 0036): it runs once before any is (cold: every row made in memory,
the same bytes), then the upkeep the server runs after each sweep (``refresh``) is timed, then the rest.
The timesheet of the same period is timed too (same target). ``--baseline PATH`` (another checkout,
e.g. ``git worktree add --detach ../base main``) first runs that checkout's EVV CSV export and timesheet
on the same data, then prints before and after side by side, with whether the bytes are the same.

    .venv/bin/python benchmarks/evv_export.py [--database sqlite|postgresql|both] [--days N] [--baseline PATH]
Ends with one line ``RESULT {json}`` holding the figures (``benchmarks._common.result``).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import result
from benchmarks._evv_seed import seed
from benchmarks._server import ROOT, code_env, scratch_postgres

WORKERS, DAYS = 500, 25
TARGET_S = 20.0


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def child(url: str, what: str, start: date, end: date, out: str) -> dict[str, object]:
    """Run one export (or the floor) in this process and measure it."""
    import orjson
    import sqlalchemy as sa

    from fieldapp.server.database import Database
    from fieldapp.server.exports import files
    from fieldapp.server.models import Record

    database = Database(url)
    before = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    if what == "floor":
        rows = 0
        with database.read() as session, open(out, "wb") as sink:
            query = (
                sa.select(Record.id, Record.fields)
                .where(Record.entity == "visit", Record.day >= start, Record.day <= end)
                .order_by(Record.day, Record.worker_id, Record.id)
                .execution_options(yield_per=2_000)
            )
            for _, fields in session.execute(query):
                sink.write(orjson.dumps(fields) + b"\n")
                rows += 1
        figures: dict[str, object] = {"rows": rows}
    elif what == "refresh":  # the server's upkeep of the ready rows (after each sweep), timed on its own
        from fieldapp.server.exports.ready import refresh

        figures = {"rows": refresh(database, start, end, datetime.now(UTC))}
    else:
        kind, fmt = what.split("-")
        with open(out, "wb") as sink:
            written = files.export(
                database,
                files.Request(files.Kind(kind), files.Format(fmt), start, end),
                sink,
                username="bench",
                agency_id="AGENCY-7",
                zone=ZoneInfo("UTC"),
                now=datetime.now(UTC),
            )
        figures = {"rows": written.rows, "sha256": written.sha256, "bytes": written.size}
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    database.dispose()
    rss = {"rss_start_mb": round(before, 1), "rss_peak_mb": round(_rss_mb(), 1)}
    return {**figures, "seconds": round(elapsed, 2), "cpu_seconds": round(cpu, 2), **rss}


def measured(
    url: str, what: str, start: date, end: date, folder: str, root: Path = ROOT
) -> dict[str, object]:
    """``child`` in a fresh process, so its peak memory is the export's own; ``root``: the checkout whose
    code exports (another one: an older commit measured on the same data)."""
    out = str(Path(folder) / f"{what}-{uuid.uuid4().hex[:6]}.out")
    script = root / "benchmarks" / "evv_export.py"
    done = subprocess.run(
        [sys.executable, str(script), "--child", url, what, start.isoformat(), end.isoformat(), out],
        capture_output=True,
        text=True,
        timeout=3600,
        cwd=root,
        env=code_env(root),
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed: {done.stderr[-2000:]}")
    Path(out).unlink(missing_ok=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _baseline(
    url: str, label: str, span: tuple[date, date], folder: str, args: argparse.Namespace
) -> dict[str, object]:
    """The older checkout's CSV export and timesheet of the same data, measured just before this one's."""
    if args.baseline is None:
        return {}
    before: dict[str, object] = {
        what: measured(url, what, *span, folder, root=args.baseline) for what in ("evv-csv", "timesheet-csv")
    }
    print(
        f"{label} BEFORE ({args.baseline}): EVV CSV {before['evv-csv']}; timesheet {before['timesheet-csv']}"
    )
    return before


def _compared(
    label: str, before: dict[str, object], after: dict[str, dict[str, object]]
) -> dict[str, object]:
    """Before and after side by side: seconds, the speed-up, and whether the bytes are the same."""
    compared: dict[str, object] = {}
    for what, now in after.items():
        old = before.get(what)
        if not isinstance(old, dict):
            continue
        speedup = float(old["seconds"]) / max(float(now["seconds"]), 1e-6)  # type: ignore[arg-type]
        same = old["sha256"] == now["sha256"]
        times = f"before {old['seconds']} s, after {now['seconds']} s ({speedup:.1f}x)"
        print(f"{label} {what}: {times}, same bytes: {same}")
        compared[what] = {"before_s": old["seconds"], "after_s": now["seconds"], "speedup": round(speedup, 2)}
        compared[what] |= {"same_sha256": same, "before_rss_peak_mb": old["rss_peak_mb"]}  # type: ignore[operator]
    return compared


def run(
    url: str, label: str, days: int, folder: str, figures: dict[str, object], args: argparse.Namespace
) -> bool:
    today = datetime.now(UTC).date()
    span = [today - timedelta(days=d) for d in range(1, days + 1)]
    started = time.perf_counter()
    counts = seed(url, workers=WORKERS, days=span)
    print(f"-- {label}: seeded {counts} in {time.perf_counter() - started:.0f} s")
    first, last = span[-1], span[0]
    before = _baseline(url, label, (first, last), folder, args)
    floor = measured(url, "floor", first, last, folder)
    cold = measured(url, "evv-csv", first, last, folder)  # no row ready yet: every one made in memory
    upkeep = measured(url, "refresh", first, last, folder)
    csv1 = measured(url, "evv-csv", first, last, folder)
    csv2 = measured(url, "evv-csv", first, last, folder)
    json1 = measured(url, "evv-json", first, last, folder)
    small = measured(url, "evv-csv", first, first + timedelta(days=2), folder)
    timesheet = measured(url, "timesheet-csv", first, last, folder)
    same = csv1["sha256"] == csv2["sha256"] == cold["sha256"]
    ok = same and float(csv1["seconds"]) < TARGET_S and float(timesheet["seconds"]) < TARGET_S  # type: ignore[arg-type]
    ratio = float(csv1["seconds"]) / max(float(floor["seconds"]), 1e-6)  # type: ignore[arg-type]
    print(f"{label} floor (stream the visits' stored JSON to a file): {floor}")
    print(f"{label} EVV CSV, {days} days, no row ready (cold): {cold}")
    print(f"{label} keeping the rows ready (the sweep's upkeep, once for the period): {upkeep}")
    print(f"{label} EVV CSV, {days} days: {csv1} | ratio {ratio:.1f}x floor")
    print(f"{label} EVV CSV again: same SHA-256 (and as cold): {same}, {csv2['seconds']} s")
    print(f"{label} EVV JSON, {days} days: {json1}")
    peaks = f"peak RSS {small['rss_peak_mb']} MB vs {csv1['rss_peak_mb']} MB for all {days} days"
    print(f"{label} EVV CSV, 3 days: {small} ({peaks})")
    print(f"{label} timesheet, {days} days: {timesheet}")
    print(f"{label}: {'within' if ok else 'OVER'} the {TARGET_S:.0f} s target")
    figures[label] = {
        "floor": floor,
        "csv_cold": cold,
        "refresh": upkeep,
        "csv": csv1,
        "csv_again_same_sha": same,
        "json": json1,
        "timesheet": timesheet,
    }
    figures[label] |= {
        "before_after": _compared(label, before, {"evv-csv": csv1, "timesheet-csv": timesheet})
    }  # type: ignore[operator]
    figures[label] |= {"csv_3_days": small, "ratio_to_floor": round(ratio, 2)}  # type: ignore[operator]
    return ok


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    if args_list[:1] == ["--child"]:
        url, what, start, end, out = args_list[1:6]
        print(json.dumps(child(url, what, date.fromisoformat(start), date.fromisoformat(end), out)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument("--days", type=int, default=DAYS)
    parser.add_argument(
        "--baseline", type=Path, help="another checkout (an older commit) measured first, back to back"
    )
    args = parser.parse_args(args_list)
    ok, figures = True, dict[str, object]()
    with tempfile.TemporaryDirectory() as folder:
        if args.database in ("sqlite", "both"):
            ok = run(f"sqlite:///{folder}/export-bench.db", "sqlite", args.days, folder, figures, args) and ok
        if args.database in ("postgresql", "both"):
            with scratch_postgres(f"fieldapp_export_bench_{uuid.uuid4().hex[:6]}") as url:
                ok = run(url, "postgresql", args.days, folder, figures, args) and ok
    result("evv_export", target_s=TARGET_S, met=ok, runs=figures)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
