"""Pull and push through a real back-office server (``fieldapp server`` on SQLite), beside floors.

Scenarios, each repeated and reported as the median, with its floor measured in the same run
(measurements alternate between ours and the floor, so load from elsewhere hits both alike):

* pull 10,000 patients: a new worker device pulls its whole caseload (10,000 patients) page by page
  (limit 1000, gzip) until ``has_more`` is false, decoding every page's JSON. Floor: the very same
  response bytes (captured from the server, still gzip-compressed) served from memory by a minimal
  ThreadingHTTPServer in another process, fetched and decoded by the same requests session.
* push 1,000 new visits: one POST /sync/push of one batch of 1,000 visit creations by a worker device,
  request serialisation included. Floor: serialising the same request body plus a bulk insert of 1,000
  rows of the records table's shape (id, entity, fields JSON, stamps JSON, seq) into a fresh SQLite file
  (WAL, synchronous=NORMAL, as the server uses) with executemany in one transaction.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import result
from benchmarks._server import PASSWORD, Device, check, fieldapp_server, floor_server
from fieldapp import demodata
from fieldapp.domain.entities import Patient, Visit
from fieldapp.server import migrate
from fieldapp.server.auth import admin
from fieldapp.server.auth import sessions as auth
from fieldapp.server.core import caseload
from fieldapp.server.database import Database
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role

PATIENTS = 10_000
PAGE = 1_000
BATCH = 1_000
REPEATS = 5


def seed(url: str) -> None:
    """An office user, one worker, and 10,000 patients on the worker's caseload, in one transaction."""
    database = Database(url)
    migrate.upgrade(database.engine)
    now = datetime.now(UTC)
    try:
        with database.write() as session:
            office = auth.create_user(session, "office", PASSWORD, Role.OFFICE, now)
            worker = auth.create_user(session, "worker", PASSWORD, Role.WORKER, now)
            session.flush()
            patients = list(demodata.patients(PATIENTS))
            admin.write_records(session, Settings(database_url=url), office, patients, now)
            for patient in patients:
                caseload.assign(session, worker.id, patient.id, now)
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        database.dispose()


# -- pull ----------------------------------------------------------------------------------------------------


def pull_everything(device: Device) -> int:
    """Pull every page from the start; returns how many records arrived."""
    device.cursor, count = None, 0
    while True:
        response = device.get_pull(PAGE)
        check(response)
        page = response.json()
        count += len(page["changes"])
        device.cursor = page["cursor"]
        if not page["has_more"]:
            return count


def capture_pages(device: Device, folder: Path) -> int:
    """Save each page's raw response bytes (as sent: gzip) and headers for the floor server."""
    device.cursor, index = None, 0
    while True:
        response = device.get_pull(PAGE, stream=True)
        check(response)
        raw = response.raw.read(decode_content=False)
        encoding = response.headers.get("content-encoding", "")
        if encoding != "gzip":
            raise RuntimeError(f"the server did not gzip the pull page (Content-Encoding {encoding!r})")
        headers = {"Content-Type": response.headers["content-type"], "Content-Encoding": encoding}
        (folder / f"{index}.body").write_bytes(raw)
        (folder / f"{index}.json").write_text(json.dumps(headers))
        page = json.loads(gzip.decompress(raw))
        device.cursor = page["cursor"]
        index += 1
        if not page["has_more"]:
            return index


def fetch_floor(device: Device, base: str) -> int:
    """The floor: the captured pages from memory, fetched and decoded by the same session."""
    index, count = 0, 0
    while True:
        response = device.http.get(f"{base}/page/{index}", timeout=120)
        check(response)
        page = response.json()
        count += len(page["changes"])
        index += 1
        if not page["has_more"]:
            return count


# -- push ----------------------------------------------------------------------------------------------------


def visit_batch(device: Device, patients: list[Patient], day: datetime) -> list[dict[str, Any]]:
    """1,000 visit creations, one per patient, by the worker."""
    mutations = []
    for n, patient in enumerate(patients):
        start = day + timedelta(minutes=n % 600)
        visit = Visit(
            patient_id=patient.id,
            worker_id=device.user_id,
            scheduled_start=start,
            scheduled_end=start + timedelta(minutes=45),
            service_code="G0156",
        )
        mutations.append(device.create(visit))
    return mutations


def push_once(device: Device, mutations: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    response = device.post_push(device.push_body(mutations))
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"push failed: {response.status_code} {response.text[:500]}")
    results = response.json()["results"]
    if len(results) != len(mutations) or any(r["outcome"] != "applied" for r in results):
        raise RuntimeError("push: not every mutation was applied")
    return elapsed


def floor_push_once(device: Device, mutations: list[dict[str, Any]], path: Path, first_seq: int) -> float:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(
        "CREATE TABLE records (id TEXT PRIMARY KEY, entity TEXT, fields TEXT, stamps TEXT, seq INTEGER)"
    )
    start = time.perf_counter()
    device.push_body(mutations)
    rows = [
        (
            m["record_id"],
            m["entity"],
            json.dumps({k: c["v"] for k, c in m["changes"].items()}),
            json.dumps({k: c["s"] for k, c in m["changes"].items()}),
            first_seq + n,
        )
        for n, m in enumerate(mutations)
    ]
    db.execute("BEGIN IMMEDIATE")
    db.executemany("INSERT INTO records VALUES (?, ?, ?, ?, ?)", rows)
    db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


# -- report --------------------------------------------------------------------------------------------------


def alternate(
    ours: Callable[[int], float], floor: Callable[[int], float], repeats: int
) -> tuple[list[float], list[float]]:
    """Run ours and the floor alternately ``repeats`` times each."""
    mine, base = [], []
    for n in range(repeats):
        mine.append(ours(n))
        base.append(floor(n))
    return mine, base


def line(scenario: str, mine: list[float], base: list[float], note: str = "") -> dict[str, float]:
    """Print one scenario's medians and ratio; return them for the RESULT line."""
    ours, floor = statistics.median(mine), statistics.median(base)
    spread = f"ours min {min(mine):.3f} max {max(mine):.3f} s"
    print(
        f"server_sync {scenario}: median {ours:.3f} s | floor {floor:.3f} s | ratio {ours / floor:.1f}x"
        f" | {spread}{(' | ' + note) if note else ''}",
        flush=True,
    )
    return {"median_s": round(ours, 4), "floor_median_s": round(floor, 4), "ratio": round(ours / floor, 3)}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="fieldapp-bench-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 's.db'}"
        started = time.perf_counter()
        seed(url)
        print(f"(seeded {PATIENTS} patients in {time.perf_counter() - started:.1f} s)", file=sys.stderr)
        pages = folder / "pages"
        pages.mkdir()
        with fieldapp_server(url, folder / "server.log") as base:
            # Pull: one new device per repetition (signed in before the clock starts), one for capture.
            capture = Device(base, "worker", "capture")
            page_count = capture_pages(capture, pages)
            devices = [Device(base, "worker", f"pull{n}") for n in range(REPEATS)]
            with floor_server(pages, folder / "floor.log") as floor_base:
                fetch_floor(capture, floor_base)  # warm the floor's connection

                def ours(n: int) -> float:
                    start = time.perf_counter()
                    count = pull_everything(devices[n])
                    elapsed = time.perf_counter() - start
                    if count != PATIENTS:
                        raise RuntimeError(f"pulled {count} records, expected {PATIENTS}")
                    return elapsed

                def floor(n: int) -> float:
                    start = time.perf_counter()
                    count = fetch_floor(devices[n], floor_base)
                    elapsed = time.perf_counter() - start
                    if count != PATIENTS:
                        raise RuntimeError(f"floor decoded {count} records, expected {PATIENTS}")
                    return elapsed

                mine, base_times = alternate(ours, floor, REPEATS)
            size = sum(p.stat().st_size for p in pages.glob("*.body"))
            pull_figures = line(
                f"pull {PATIENTS} patients",
                mine,
                base_times,
                f"{page_count} pages of {PAGE}, {size / 1e6:.1f} MB gzip",
            )

            # Push: 1 warm-up batch, then REPEATS batches of 1,000 new visits on distinct patients.
            pusher = Device(base, "worker", "pusher")
            patients = list(demodata.patients(PATIENTS))
            day = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
            batches = [
                visit_batch(pusher, patients[i * BATCH : (i + 1) * BATCH], day) for i in range(REPEATS + 1)
            ]
            push_once(pusher, batches[0])
            floor_push_once(pusher, batches[0], folder / "floor-warm.db", 1)

            def push_ours(n: int) -> float:
                return push_once(pusher, batches[n + 1])

            def push_floor(n: int) -> float:
                return floor_push_once(pusher, batches[n + 1], folder / f"floor-{n}.db", 1)

            mine, base_times = alternate(push_ours, push_floor, REPEATS)
            body_kb = len(pusher.push_body(batches[1])) / 1000
            push_figures = line(
                f"push {BATCH} new visits", mine, base_times, f"one batch, {body_kb:.0f} kB body"
            )
    result(
        "server_sync", patients=PATIENTS, batch=BATCH, repeats=REPEATS, pull=pull_figures, push=push_figures
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
