"""The tablet's sync engine against the real server, beside floors measured in the same run.

The server is ``fieldapp server`` (uvicorn, SQLite) in a subprocess on loopback, its database seeded
directly through ``fieldapp.server.services``; each device is a real profile on disk (``open_device`` +
``sign_in``, tokens in an in-memory keyring). Scenarios, each on fresh devices:

1. initial sync: a new device of a worker with 10,000 patients each with one visit (20,000 records),
   ``engine.run()`` with pages of 1,000. Floor: the same page bytes the server sent (captured, gzip and
   all) served from memory by a minimal HTTP server in a subprocess, fetched with a requests session,
   decoded with orjson and bulk-inserted with sqlite3 executemany into a fresh file, one transaction per
   page. Target: at most 2x the floor.
2. push after an offline day: 1,000 new notes/observations on the worker's visits and 1,000 patient
   edits made through ``fieldapp.store.repo`` (not timed), then ``engine.run()``. Floor: the same push
   bodies POSTed to a minimal server that reads them and answers 200, plus one sqlite3 transaction
   inserting 2,000 rows. Target: the PouchDB anchor (about 1.5 s); the ratio is printed as well.
3. no-op sync of an up-to-date device (the 10,000-patient one): ``engine.run()`` many times. Floor:
   GET /health with the same requests session. Target: median under 15 ms.

Each line also splits the time between the transport calls (server work included) and the rest.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
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
from benchmarks._common import percentile
from benchmarks._server import fieldapp_server
from fieldapp.app import Device
from fieldapp.demodata import patients, visits_for_day
from fieldapp.domain.entities import Entity, Observation, Patient, VisitNote
from fieldapp.domain.values import ObservationKind
from fieldapp.store import outbox, repo
from fieldapp.store.models import VisitRow
from fieldapp.sync.engine import SyncResult

BIG_CASELOAD = 10_000  # patients of "nurse", one visit each: 20,000 records
SMALL_CASELOAD = 1_000  # patients of "aide", for the push scenario
PAGE_SIZE = 1_000
INITIAL_REPEATS = 3
PUSH_REPEATS = 5
NOOP_WARMUP, NOOP_SAMPLES = 5, 50
INITIAL_TARGET_RATIO = 2.0
PUSH_TARGET_S = 1.5  # PouchDB 9 + pouchdb-server on this kind of machine (docs: shared anchors)
NOOP_TARGET_MS = 15.0
POUCHDB_INITIAL_S = 6.8  # 10,000 documents, ~1,500 docs/s
POUCHDB_NOOP_MS = 30.0


# -- arranging ---------------------------------------------------------------------------------------------


def plan(users: dict[str, uuid.UUID]) -> dict[str, tuple[list[Entity], list[uuid.UUID]]]:
    """Both caseloads from one generator (unique MRNs): patients, then one visit per patient."""
    everyone = list(patients(BIG_CASELOAD + SMALL_CASELOAD))
    day = datetime.now(UTC).date()
    result: dict[str, tuple[list[Entity], list[uuid.UUID]]] = {}
    for name, group in (("nurse", everyone[:BIG_CASELOAD]), ("aide", everyone[BIG_CASELOAD:])):
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


def initial_ours(
    folder: Path, base: str, then: Callable[[Device], None] | None = None
) -> tuple[float, float]:
    """Seconds of ``engine.run()`` on a new device, and the part spent in ``transport.pull``.

    ``then`` gets the device, now up to date, before it is removed.
    """
    with fresh(folder, base, "nurse") as device:
        device.engine.page_size = PAGE_SIZE
        transport_pull = device.transport.pull
        pull, _ = instrument(device)
        start = time.perf_counter()
        result = check(device.engine.run(), "initial sync")
        elapsed = time.perf_counter() - start
        if result.pulled != 2 * BIG_CASELOAD:
            raise RuntimeError(f"initial sync pulled {result.pulled} records, not {2 * BIG_CASELOAD}")
        if then is not None:
            device.transport.pull = transport_pull  # type: ignore[method-assign]
            then(device)
        return elapsed, pull.seconds


def initial_floor(path: Path, base: str, pages: int) -> float:
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
    if count != 2 * BIG_CASELOAD:
        raise RuntimeError(f"the floor inserted {count} records, not {2 * BIG_CASELOAD}")
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


def main() -> int:
    use_memory_keyring()
    with tempfile.TemporaryDirectory(prefix="fieldapp-client-bench-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'server.db'}"
        started = time.perf_counter()
        users = seed(url, ["nurse", "aide"], plan)
        print(
            f"# seeded {BIG_CASELOAD + SMALL_CASELOAD} patients with one visit each in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        with fieldapp_server(url, folder / "server.log") as base:
            pages = capture_pages(base, "nurse", PAGE_SIZE)
            write_pages(folder / "pages", pages)
            wire = sum(len(body) for _, body in pages)
            with floor_server(folder / "pages", folder / "floor.log") as floor_base:
                # 1. initial sync, ours and the floor interleaved.
                # The last device, up to date, then runs the no-op syncs (scenario 3).
                noop: dict[str, list[float]] = {}

                def no_ops(device: Device) -> None:
                    noop["ours"], noop["pull"] = noop_ours(device)
                    noop["floor"] = noop_floor(device, base)

                ours, floors, in_pull = [], [], []
                for n in range(INITIAL_REPEATS):
                    floors.append(initial_floor(folder / f"floor-{n}.db", floor_base, len(pages)))
                    (folder / f"floor-{n}.db").unlink()
                    last = n == INITIAL_REPEATS - 1
                    elapsed, pulling = initial_ours(folder / f"initial-{n}", base, no_ops if last else None)
                    ours.append(elapsed)
                    in_pull.append(pulling)
                median, floor = statistics.median(ours), statistics.median(floors)
                records = 2 * BIG_CASELOAD
                line(
                    f"initial sync {records:,} records",
                    median,
                    floor,
                    "s",
                    f"<= {INITIAL_TARGET_RATIO:.0f}x floor",
                    median <= INITIAL_TARGET_RATIO * floor,
                    f"{records / median:,.0f} records/s (floor {records / floor:,.0f}/s); "
                    f"transport.pull (server + HTTP + pydantic) {statistics.median(in_pull):.2f} s, "
                    "apply+rest "
                    f"{median - statistics.median(in_pull):.2f} s; {len(pages)} pages, "
                    f"{wire / 1e6:.1f} MB on the wire; runs {', '.join(f'{s:.2f}' for s in ours)} s",
                )
                print(
                    f"#   PouchDB anchor: 10,000 documents in ~{POUCHDB_INITIAL_S} s (~1,500 docs/s); "
                    f"fieldapp: {records:,} records in {median:.2f} s ({records / median:,.0f} records/s)",
                    flush=True,
                )

                # 3. no-op sync (measured above on the last initial-sync device).
                samples, health = noop["ours"], noop["floor"]
                noop_median, noop_p90 = statistics.median(samples), percentile(samples, 90)
                noop_line = (
                    "no-op sync",
                    noop_median,
                    statistics.median(health),
                    "ms",
                    f"median < {NOOP_TARGET_MS:.0f} ms",
                    noop_median * 1000 < NOOP_TARGET_MS,
                    f"p90 {noop_p90 * 1000:.1f} ms (floor p90 {percentile(health, 90) * 1000:.1f} ms); "
                    f"transport.pull median {statistics.median(noop['pull']) * 1000:.1f} ms; "
                    f"{NOOP_SAMPLES} runs; PouchDB anchor ~{POUCHDB_NOOP_MS:.0f} ms",
                )

                # 2. push after an offline day, a fresh device of the small caseload each time.
                push_runs, push_floors, in_push, in_echo = [], [], [], []
                for n in range(PUSH_REPEATS):
                    with fresh(folder / f"push-{n}", base, "aide") as device:
                        check(device.engine.run(), "initial sync before the offline day")
                        offline_day(device, users["aide"], n)
                        bodies, rows = push_bodies(device)
                        push_floors.append(
                            push_floor(folder / f"push-floor-{n}.db", floor_base, bodies, rows)
                        )
                        (folder / f"push-floor-{n}.db").unlink()
                        elapsed, pushing, pulling, _ = push_ours(device)
                        push_runs.append(elapsed)
                        in_push.append(pushing)
                        in_echo.append(pulling)
                median, floor = statistics.median(push_runs), statistics.median(push_floors)
                line(
                    f"push {SMALL_CASELOAD:,} new + {SMALL_CASELOAD:,} updated",
                    median,
                    floor,
                    "s",
                    f"<= {PUSH_TARGET_S} s (PouchDB anchor)",
                    median <= PUSH_TARGET_S,
                    f"transport.push {statistics.median(in_push):.2f} s (server applies the batches), "
                    f"pull of the echoed {2 * SMALL_CASELOAD:,} {statistics.median(in_echo):.2f} s; "
                    f"{sum(len(b) for b in bodies) / 1e6:.1f} MB in {len(bodies)} requests; "
                    f"runs {', '.join(f'{s:.2f}' for s in push_runs)} s",
                )
                line(*noop_line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
