"""The tablet's sync engine against the real server, beside floors measured in the same run.

The server is ``fieldapp server`` (uvicorn, SQLite) in a subprocess on loopback, its database seeded
directly through ``fieldapp.server.services``; each device is a real profile on disk (``open_device`` +
``sign_in``, tokens in an in-memory keyring). Scenarios, each on fresh devices:

1. first sync: a new device of a worker with N patients (``--patients``, default 10,000) each with one
   visit (2N records), ``engine.run()`` with pages of 1,000, in a child process so its peak memory (RSS)
   is its own. Floor: the same page bytes the server sent (captured, gzip and all) served from memory by
   a minimal HTTP server in a subprocess, fetched with a requests session, decoded with orjson and
   bulk-inserted with sqlite3 executemany into a fresh file, one transaction per page. Target: at most
   1.5x the floor. ``--scale 10000,50000`` runs it for each size in the same invocation (fresh server
   each) and prints how the time grows: 5x the data must take at most 5.5x the time.
2. push after an offline day: 1,000 new notes/observations on the worker's visits and 1,000 patient
   edits made through ``fieldapp.store.repo`` (not timed), then ``engine.run()`` (push, then the pull
   that follows: the device's own records do not come back). Floor: the same push bodies POSTed to a
   minimal server that reads them and answers 200, plus one sqlite3 transaction inserting 2,000 rows.
3. no-op sync of an up-to-date device: ``engine.run()`` many times. Floor: GET /health with the same
   requests session.

PouchDB's figures for the same workloads come from ``make bench-peer`` (benchmarks/peer_sync.py), measured
beside fieldapp in one run. Ends with ``RESULT {json}``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import requests
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._client import (
    capture_pages,
    floor_server,
    new_device,
    seed,
    use_memory_keyring,
    write_pages,
)
from benchmarks._common import Sampler, percentile
from benchmarks._server import fieldapp_server
from fieldapp.app import Device
from fieldapp.demodata import patients, visits_for_day
from fieldapp.domain.entities import Entity, Observation, Patient, VisitNote
from fieldapp.domain.values import ObservationKind
from fieldapp.store import outbox, repo
from fieldapp.store.models import VisitRow
from fieldapp.sync.engine import SyncResult

DEFAULT_PATIENTS = 10_000  # patients of "nurse", one visit each: 20,000 records
SMALL_CASELOAD = 1_000  # patients of "aide", for the push and no-op scenarios
PAGE_SIZE = 1_000
INITIAL_REPEATS = 3
PUSH_REPEATS = 5
NOOP_WARMUP, NOOP_SAMPLES = 5, 50
INITIAL_TARGET_RATIO = 1.5
GROWTH_TARGET = 5.5  # 5x the records in at most 5.5x the time


# -- arranging ---------------------------------------------------------------------------------------------


def plan_for(big: int) -> Callable[[dict[str, uuid.UUID]], dict[str, tuple[list[Entity], list[uuid.UUID]]]]:
    """Both caseloads from one generator (unique MRNs): ``big`` patients of the nurse, then the aide's;
    one visit per patient."""

    def plan(users: dict[str, uuid.UUID]) -> dict[str, tuple[list[Entity], list[uuid.UUID]]]:
        return _plan(users, big)

    return plan


def _plan(users: dict[str, uuid.UUID], big: int) -> dict[str, tuple[list[Entity], list[uuid.UUID]]]:
    everyone = list(patients(big + SMALL_CASELOAD))
    day = datetime.now(UTC).date()
    result: dict[str, tuple[list[Entity], list[uuid.UUID]]] = {}
    for name, group in (("nurse", everyone[:big]), ("aide", everyone[big:])):
        ids = [p.id for p in group]
        visits = list(visits_for_day(ids, users[name], day, seed=len(result)))
        result[name] = ([*group, *visits], ids)
    return result


class Timed:
    """Wraps a transport method and adds up the seconds spent in it."""

    def __init__(self, call: Callable[..., Any]) -> None:
        self.call, self.seconds, self.calls = call, 0.0, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.call(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start
            self.calls += 1


def instrument(device: Device) -> tuple[Timed, Timed]:
    """Time the device's pull and push requests (HTTP, gzip and pydantic parsing of the answer)."""
    pull, push = Timed(device.transport.pull), Timed(device.transport.push)
    device.transport.pull, device.transport.push = pull, push  # type: ignore[method-assign]
    return pull, push


def check(result: SyncResult, what: str) -> SyncResult:
    if result.error:
        raise RuntimeError(f"{what}: sync failed: {result.error}")
    return result


@contextlib.contextmanager
def fresh(folder: Path, base: str, username: str) -> Iterator[Device]:
    """A new device profile (removed afterwards)."""
    device = new_device(folder, base, username)
    try:
        yield device
    finally:
        device.close()
        shutil.rmtree(folder, ignore_errors=True)


def floor_db(path: Path) -> sqlite3.Connection:
    """A fresh SQLite file with the store's pragmas and a record table plus the cursor row."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(
        "CREATE TABLE records (id TEXT PRIMARY KEY, entity TEXT, fields TEXT, stamps TEXT, bases TEXT,"
        " deleted TEXT, seq INTEGER)"
    )
    db.execute("CREATE TABLE state (id INTEGER PRIMARY KEY, cursor TEXT)")
    db.execute("INSERT INTO state VALUES (1, NULL)")
    return db


INSERT = "INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)"


# -- 1. initial sync ---------------------------------------------------------------------------------------


def initial_ours(folder: Path, base: str, records: int) -> tuple[float, float, float]:
    """Seconds of ``engine.run()`` on a new device, the part spent in ``transport.pull``, and the peak
    RSS (MB) of the process doing it: a child process of its own, so the figure is the client's alone."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_initial_in_child, (str(folder), base, records))


def _initial_in_child(folder: str, base: str, records: int) -> tuple[float, float, float]:
    use_memory_keyring()
    with fresh(Path(folder), base, "nurse") as device, PeakRss() as peak:
        device.engine.page_size = PAGE_SIZE
        pull, _ = instrument(device)
        start = time.perf_counter()
        result = check(device.engine.run(), "initial sync")
        elapsed = time.perf_counter() - start
        if result.pulled != records:
            raise RuntimeError(f"initial sync pulled {result.pulled} records, not {records}")
    return elapsed, pull.seconds, peak.mb


class PeakRss(Sampler):
    """The highest resident memory of this process while the block runs, sampled every 20 ms from
    /proc/self/statm (ru_maxrss would include the parent's, inherited across fork and exec)."""

    def __init__(self) -> None:
        super().__init__()
        self.mb = 0.0

    def watch(self, stop: threading.Event) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while True:
            with open("/proc/self/statm") as statm:
                self.mb = max(self.mb, int(statm.read().split()[1]) * page / 2**20)
            if stop.wait(0.02):
                return


def initial_floor(path: Path, base: str, pages: int, records: int) -> float:
    """Fetch the captured pages, decode them, insert their rows: seconds."""
    db = floor_db(path)
    http = requests.Session()
    http.get(f"{base}/health", timeout=30).raise_for_status()  # the connection is open, as the device's is
    dumps = orjson.dumps
    try:
        start = time.perf_counter()
        count = 0
        for n in range(pages):
            answer = http.get(f"{base}/page/{n}", timeout=60)
            answer.raise_for_status()
            page = orjson.loads(answer.content)
            rows = [
                (
                    c["record_id"],
                    c["entity"],
                    dumps({k: f["v"] for k, f in c["fields"].items()}),
                    dumps({k: f["s"] for k, f in c["fields"].items()}),
                    dumps({k: f["b"] for k, f in c["fields"].items() if f["b"]}),
                    c["deleted"],
                    c["seq"],
                )
                for c in page["changes"]
            ]
            db.execute("BEGIN IMMEDIATE")
            db.executemany(INSERT, rows)
            db.execute("UPDATE state SET cursor = ? WHERE id = 1", (page["cursor"],))
            db.execute("COMMIT")
            count += len(rows)
        elapsed = time.perf_counter() - start
    finally:
        http.close()
        db.close()
    if count != records:
        raise RuntimeError(f"the floor inserted {count} records, not {records}")
    return elapsed


# -- 2. push after an offline day --------------------------------------------------------------------------


def offline_day(device: Device, worker_id: uuid.UUID, round_: int) -> None:
    """1,000 new notes/observations on the worker's visits and 1,000 patient edits, through repo."""
    store = device.store
    with store.read() as session:
        visits = session.execute(
            sa.select(VisitRow.id, VisitRow.patient_id)
            .where(VisitRow.worker_id == worker_id, VisitRow.deleted.is_(None))
            .order_by(VisitRow.id)
        ).all()
        patient_ids = sorted({patient_id for _, patient_id in visits})
    if len(visits) < SMALL_CASELOAD or len(patient_ids) < SMALL_CASELOAD:
        raise RuntimeError(f"the device holds {len(visits)} visits of {len(patient_ids)} patients")
    now = datetime.now(UTC)
    for start in range(0, SMALL_CASELOAD, 100):
        with store.unit_of_work() as session:
            for i in range(start, start + 100):
                visit_id, patient_id = visits[i]
                record: Entity
                if i % 2:
                    record = VisitNote(
                        visit_id=visit_id,
                        patient_id=patient_id,
                        author_id=worker_id,
                        text=f"Round {round_}: wound dressing changed, edges clean, no sign of infection.",
                        written_at=now,
                    )
                else:
                    record = Observation(
                        visit_id=visit_id,
                        patient_id=patient_id,
                        kind=ObservationKind.HEART_RATE,
                        value=60 + i % 40,
                        unit="/min",
                        observed_at=now,
                    )
                repo.add(session, store.clock, record)
                repo.update(
                    session,
                    store.clock,
                    Patient,
                    patient_ids[i],
                    {
                        "phone": f"+1 845-555-{(round_ * 1000 + i) % 10000:04d}",
                        "care_plan": f"Skilled nursing 3x/week (reviewed, round {round_}, #{i}).",
                    },
                )


def push_bodies(device: Device) -> tuple[list[bytes], list[tuple[Any, ...]]]:
    """The push requests the engine will send (its own ``_request``), and 2,000 rows for the floor insert."""
    engine = device.engine
    with device.store.read() as session:
        entries = outbox.pending(session, 1_000_000)
    bodies = [
        orjson.dumps(
            engine._request(entries[i : i + engine.batch_size], len(entries) - i).model_dump(mode="json")
        )
        for i in range(0, len(entries), engine.batch_size)
    ]
    rows = [
        (
            str(e.record_id),
            e.entity,
            orjson.dumps({k: v.value for k, v in e.changes.items()}),
            orjson.dumps({k: v.stamp.encode() for k, v in e.changes.items()}),
            b"{}",
            None,
            0,
        )
        for e in entries
    ]
    return bodies, rows


def push_floor(path: Path, base: str, bodies: list[bytes], rows: list[tuple[Any, ...]]) -> float:
    db = floor_db(path)
    http = requests.Session()
    http.get(f"{base}/health", timeout=30).raise_for_status()
    try:
        start = time.perf_counter()
        for body in bodies:
            http.post(
                f"{base}/sync/push", data=body, headers={"Content-Type": "application/json"}, timeout=60
            ).raise_for_status()
        db.execute("BEGIN IMMEDIATE")
        db.executemany(INSERT, rows)
        db.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        http.close()
        db.close()


def push_ours(device: Device) -> tuple[float, float, float, SyncResult]:
    """Seconds of ``engine.run()``, of its push requests and of its pull requests."""
    pull, push = instrument(device)
    start = time.perf_counter()
    result = check(device.engine.run(), "push")
    elapsed = time.perf_counter() - start
    if result.pushed != 2 * SMALL_CASELOAD or result.pending:
        raise RuntimeError(f"pushed {result.pushed}, {result.pending} still pending")
    return elapsed, push.seconds, pull.seconds, result


# -- 3. no-op sync -----------------------------------------------------------------------------------------


def noop_ours(device: Device) -> tuple[list[float], list[float]]:
    """Seconds of each ``engine.run()``, and of the pull request within it."""
    pull, _ = instrument(device)
    samples, pulls = [], []
    for i in range(NOOP_WARMUP + NOOP_SAMPLES):
        pull.seconds = 0.0
        start = time.perf_counter()
        result = check(device.engine.run(), "no-op sync")
        elapsed = time.perf_counter() - start
        if result.pulled or result.pushed:
            raise RuntimeError(f"not a no-op: pulled {result.pulled}, pushed {result.pushed}")
        if i >= NOOP_WARMUP:
            samples.append(elapsed)
            pulls.append(pull.seconds)
    return samples, pulls


def noop_floor(device: Device, base: str) -> list[float]:
    """Seconds of each GET /health round trip on the device's own requests session."""
    http = device.transport.session
    samples = []
    for i in range(NOOP_WARMUP + NOOP_SAMPLES):
        start = time.perf_counter()
        http.get(f"{base}/health", timeout=30).raise_for_status()
        elapsed = time.perf_counter() - start
        if i >= NOOP_WARMUP:
            samples.append(elapsed)
    return samples


# -- reporting ---------------------------------------------------------------------------------------------


def line(scenario: str, ours: float, floor: float, unit: str, target: str, ok: bool, note: str = "") -> None:
    scale = 1000 if unit == "ms" else 1
    print(
        f"client_sync {scenario}: median {ours * scale:.{1 if unit == 'ms' else 2}f} {unit} | "
        f"floor {floor * scale:.{1 if unit == 'ms' else 2}f} {unit} | ratio {ours / floor:.2f}x | "
        f"target {target}: {'OK' if ok else 'OVER'}" + (f" | {note}" if note else ""),
        flush=True,
    )


@dataclass
class FirstSync:
    """One size's first-sync figures."""

    patients: int
    ours: list[float]
    floors: list[float]
    in_pull: list[float]
    rss_mb: list[float]
    pages: int
    wire_bytes: int

    @property
    def median(self) -> float:
        return statistics.median(self.ours)

    @property
    def ratio(self) -> float:
        return self.median / statistics.median(self.floors)


def first_sync(folder: Path, base: str, floor_base: str, pages: int, wire: int, n: int) -> FirstSync:
    """Ours (child process) and the floor, alternately."""
    records = 2 * n
    figures = FirstSync(n, [], [], [], [], pages, wire)
    for k in range(INITIAL_REPEATS):
        figures.floors.append(initial_floor(folder / f"floor-{n}-{k}.db", floor_base, pages, records))
        (folder / f"floor-{n}-{k}.db").unlink()
        elapsed, pulling, rss = initial_ours(folder / f"initial-{n}-{k}", base, records)
        figures.ours.append(elapsed)
        figures.in_pull.append(pulling)
        figures.rss_mb.append(rss)
    line(
        f"first sync {n:,} patients ({records:,} records)",
        figures.median,
        statistics.median(figures.floors),
        "s",
        f"<= {INITIAL_TARGET_RATIO}x floor",
        figures.ratio <= INITIAL_TARGET_RATIO,
        f"{records / figures.median:,.0f} records/s; transport.pull (server + HTTP + parsing) "
        f"{statistics.median(figures.in_pull):.2f} s; client peak RSS {max(figures.rss_mb):.0f} MB; "
        f"{pages} pages, {wire / 1e6:.1f} MB on the wire; runs "
        + ", ".join(f"{v:.2f}" for v in figures.ours)
        + " s",
    )
    return figures


def push_and_noop(folder: Path, base: str, floor_base: str, aide: uuid.UUID) -> dict[str, float]:
    """Scenarios 2 and 3 on the small caseload; returns their medians (s)."""
    push_runs, push_floors, in_push, in_echo = [], [], [], []
    bodies: list[bytes] = []
    for n in range(PUSH_REPEATS):
        with fresh(folder / f"push-{n}", base, "aide") as device:
            check(device.engine.run(), "initial sync before the offline day")
            offline_day(device, aide, n)
            bodies, rows = push_bodies(device)
            push_floors.append(push_floor(folder / f"push-floor-{n}.db", floor_base, bodies, rows))
            (folder / f"push-floor-{n}.db").unlink()
            elapsed, pushing, pulling, _ = push_ours(device)
            push_runs.append(elapsed)
            in_push.append(pushing)
            in_echo.append(pulling)
    push_median, push_floor_median = statistics.median(push_runs), statistics.median(push_floors)
    line(
        f"push {SMALL_CASELOAD:,} new + {SMALL_CASELOAD:,} updated",
        push_median,
        push_floor_median,
        "s",
        "PouchDB's time / 2 (make bench-peer)",
        True,
        f"transport.push {statistics.median(in_push):.2f} s (server applies the batches), "
        f"pull afterwards {statistics.median(in_echo):.3f} s (own records do not come back); "
        f"{sum(len(b) for b in bodies) / 1e6:.1f} MB in {len(bodies)} requests; "
        f"runs {', '.join(f'{v:.2f}' for v in push_runs)} s",
    )
    with fresh(folder / "noop", base, "aide") as device:
        check(device.engine.run(), "initial sync before the no-op syncs")
        samples, pulls = noop_ours(device)
        health = noop_floor(device, base)
    noop_median = statistics.median(samples)
    line(
        "no-op sync",
        noop_median,
        statistics.median(health),
        "ms",
        "PouchDB's time / 2 (make bench-peer)",
        True,
        f"p90 {percentile(samples, 90) * 1000:.1f} ms (floor p90 {percentile(health, 90) * 1000:.1f} ms); "
        f"transport.pull median {statistics.median(pulls) * 1000:.1f} ms; {NOOP_SAMPLES} runs",
    )
    return {
        "push_s": push_median,
        "push_floor_ratio": push_median / push_floor_median,
        "noop_ms": noop_median * 1000,
        "noop_floor_ratio": noop_median / statistics.median(health),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=DEFAULT_PATIENTS, help="the first sync's caseload")
    parser.add_argument("--scale", help="sizes to compare in one run, e.g. 10000,50000 (first sync only)")
    args = parser.parse_args(argv)
    sizes = [int(v) for v in args.scale.split(",")] if args.scale else [args.patients]
    use_memory_keyring()
    figures: list[FirstSync] = []
    other: dict[str, float] = {}
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="fieldapp-client-bench-") as tmp:
            folder = Path(tmp)
            url = f"sqlite:///{folder / 'server.db'}"
            started = time.perf_counter()
            users = seed(url, ["nurse", "aide"], plan_for(n))
            print(f"# seeded {n + SMALL_CASELOAD:,} patients with one visit each in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
            with fieldapp_server(url, folder / "server.log") as base:
                pages = capture_pages(base, "nurse", PAGE_SIZE)
                write_pages(folder / "pages", pages)
                wire = sum(len(body) for _, body in pages)
                with floor_server(folder / "pages", folder / "floor.log") as floor_base:
                    figures.append(first_sync(folder, base, floor_base, len(pages), wire, n))
                    if not args.scale or n == sizes[0]:
                        other = push_and_noop(folder, base, floor_base, users["aide"])
    result: dict[str, Any] = {f"first_sync_{f.patients}_s": round(f.median, 3) for f in figures} | {
        f"client_peak_rss_{f.patients}_mb": round(max(f.rss_mb)) for f in figures
    }
    result["floor_ratio"] = round(max(f.ratio for f in figures), 3)
    if len(figures) > 1:
        growth = figures[-1].median / figures[0].median
        size = figures[-1].patients / figures[0].patients
        name = f"growth_{figures[-1].patients // 1000}k_over_{figures[0].patients // 1000}k"
        result[name] = round(growth, 3)
        # The floor's own growth, in the same run: on a shared machine the two sizes do not get the same
        # CPU, and the floor's bulk insert into a growing file is not linear either.
        floor_growth = statistics.median(figures[-1].floors) / statistics.median(figures[0].floors)
        result["floor_growth"] = round(floor_growth, 3)
        print(
            f"client_sync growth: {figures[-1].patients:,} patients take {growth:.2f}x the time of "
            f"{figures[0].patients:,} ({size:.0f}x the data; the floor took {floor_growth:.2f}x) | target "
            f"<= {GROWTH_TARGET}x: {'OK' if growth <= GROWTH_TARGET else 'OVER'}",
            flush=True,
        )
    result |= {k: round(v, 4) for k, v in other.items()}
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
