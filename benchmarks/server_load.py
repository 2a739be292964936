"""Load: many devices pushing and pulling against ``fieldapp server --workers W`` on PostgreSQL.

Setup (not timed): a fresh PostgreSQL database on the local server (``FIELDAPP_TEST_PG_URL``), dropped at
the end; an office user and one worker per device, each with ``--caseload`` patients and one visit per
patient today, written through the server's own services. Each simulated device (its own requests
session, device id and user) signs in and pulls its caseload.

Floor (same run): GET /auth/me, a trivial authenticated endpoint, by the closed-loop devices for a few
seconds. Then:

* closed loop: ``--closed-devices`` devices loop without pause for ``--seconds``: push 1-5 mutations on
  their own patients' visits (status updates, new notes, new vitals), then pull until ``has_more`` is
  false. Throughput is what the server sustains.
* open loop: ``--devices`` devices each push 1-5 mutations and pull once every ``--rate`` seconds (phases
  spread evenly), for ``--seconds``: what a fleet feels at a given size. Target on this machine, 500
  devices, one push each 10 s, 2 workers: push and pull p99 under 100 ms, no errors.

Each reports pushes/s, mutations/s, push and pull p50/p99, errors, the longest lock wait seen in
pg_stat_activity (polled every 0.1 s) and a count check: every mutation id a device was answered
"applied" or "duplicate" for is stored exactly once, every record it created is stored once and reached
its device through the change feed, record ids and change numbers are unique, and every visit's status
is the last one its device had acknowledged. ``--baseline PATH`` first runs the closed loop (and the open
loop with ``--baseline-open``) against the server of another checkout (e.g. ``git worktree add
/tmp/base 2db96ca``), back to back with this one, and prints the ratio. Ends with ``RESULT {json}``;
exits non-zero if a count check fails.
"""

from __future__ import annotations

import argparse
import collections
import heapq
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
import requests

from benchmarks._common import percentile
from benchmarks._server import (
    PASSWORD,
    ROOT,
    Device,
    check,
    code_env,
    fieldapp_server,
    pg_conninfo,
    scratch_postgres,
)
from fieldapp.domain.entities import Observation, VisitNote

TIMEOUT_S = 60
STATUSES = ("in_progress", "completed", "scheduled", "missed")
NOTES = (
    "Patient alert and comfortable.",
    "Wound dressing changed; no signs of infection.",
    "Medication reconciled with the patient's daughter.",
    "Reports mild pain after physiotherapy; advised rest.",
)
VITALS = (("heart_rate", "/min", 55, 110), ("spo2", "%", 90, 100), ("temperature", "Cel", 36.0, 38.4))

# Runs in a subprocess with the measured checkout's code first on the path (so an older commit seeds its
# own schema): office, one worker per device, their caseloads and today's visits.
SEED = """
import sys, uuid
from datetime import UTC, datetime
from fieldapp import demodata
from fieldapp.server import migrate
from fieldapp.server.database import Database
try:
    from fieldapp.server.core import admin, caseload
    from fieldapp.server.auth import sessions as auth
except ImportError:  # a checkout from before the server was split by feature (2db96ca, issue 14's baseline)
    from fieldapp.server.services import admin, auth, caseload
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role
url, devices, size, password = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
database = Database(url)
migrate.upgrade(database.engine)
now = datetime.now(UTC)
with database.write() as session:
    office = auth.create_user(session, "office", password, Role.OFFICE, now)
    names = [f"worker{n:03d}" for n in range(devices)]
    workers = [auth.create_user(session, name, password, Role.WORKER, now) for name in names]
    session.flush()
    patients = list(demodata.patients(devices * size))
    visits = []
    for n, worker in enumerate(workers):
        ids = [p.id for p in patients[n * size : (n + 1) * size]]
        visits += list(demodata.visits_for_day(ids, worker.id, now.date(), seed=n))
    admin.write_records(session, Settings(database_url=url), office, [*patients, *visits], now)
    pairs = [(w.id, p.id) for n, w in enumerate(workers) for p in patients[n * size : (n + 1) * size]]
for start in range(0, len(pairs), 500):
    with database.write() as session:
        for worker_id, patient_id in pairs[start : start + 500]:
            caseload.assign(session, worker_id, patient_id, now)
database.dispose()
"""


@dataclass
class Sim:
    """One simulated device and everything it saw; touched by one thread at a time."""

    device: Device
    rng: random.Random
    visits: dict[str, str] = field(default_factory=dict)  # visit id -> patient id
    status_stamp: dict[str, str] = field(default_factory=dict)  # visit id -> newest status stamp known
    last_status: dict[str, str] = field(default_factory=dict)  # visit id -> last acknowledged status
    created: set[str] = field(default_factory=set)  # record ids of acknowledged creations
    seen: set[str] = field(default_factory=set)  # record ids the feed delivered
    acked: set[str] = field(default_factory=set)  # mutation ids answered applied/duplicate
    push_s: list[float] = field(default_factory=list)
    pull_s: list[float] = field(default_factory=list)
    floor_s: list[float] = field(default_factory=list)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)

    def absorb(self, page: dict[str, Any]) -> None:
        for change in page["changes"]:
            record_id = change["record_id"]
            self.seen.add(record_id)
            if change["entity"] == "visit":
                self.visits[record_id] = change["fields"]["patient_id"]["v"]
                stamp = change["fields"]["status"]["s"]
                self.status_stamp[record_id] = max(stamp, self.status_stamp.get(record_id, ""))
        self.device.cursor = page["cursor"]

    def drain(self) -> None:
        """Pull until nothing more is waiting (setup and final check; not timed)."""
        while True:
            page = check(self.device.get_pull(timeout=TIMEOUT_S)).json()
            self.absorb(page)
            if not page["has_more"]:
                return

    def mutations(self) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str]]:
        """1-5 mutations; returns them, the status set per visit, and the record created per mutation."""
        rng, device, now = self.rng, self.device, datetime.now(UTC)
        out: list[dict[str, Any]] = []
        statuses: dict[str, str] = {}
        creations: dict[str, str] = {}
        for _ in range(rng.randint(1, 5)):
            visit_id = rng.choice(list(self.visits))
            patient_id = self.visits[visit_id]
            kind = rng.choice(("status", "note", "observation"))
            if kind == "status" and visit_id not in statuses:
                status = rng.choice([s for s in STATUSES if s != self.last_status.get(visit_id)])
                bases = {"status": self.status_stamp[visit_id]}
                mutation = device.update("visit", visit_id, {"status": status}, bases)
                statuses[visit_id] = status
            else:
                record: Any
                if kind == "observation":
                    vital, unit, low, high = rng.choice(VITALS)
                    value = round(rng.uniform(low, high), 1)
                    record = Observation(
                        visit_id=visit_id,
                        patient_id=patient_id,
                        kind=vital,
                        value=value,
                        unit=unit,
                        observed_at=now,
                    )
                else:
                    text = rng.choice(NOTES)
                    record = VisitNote(
                        visit_id=visit_id,
                        patient_id=patient_id,
                        author_id=device.user_id,
                        text=text,
                        written_at=now,
                    )
                mutation = device.create(record)
                creations[mutation["mutation_id"]] = mutation["record_id"]
            out.append(mutation)
        return out, statuses, creations

    def push_round(self) -> None:
        mutations, statuses, creations = self.mutations()
        body = self.device.push_body(mutations)
        start = time.perf_counter()
        try:
            response = self.device.post_push(body, timeout=TIMEOUT_S)
        except requests.RequestException as exc:
            self.errors[f"push {type(exc).__name__}"] += 1
            return
        elapsed = time.perf_counter() - start
        if response.status_code != 200:
            self.errors[f"push {response.status_code} {_code(response)}"] += 1
            return
        self.push_s.append(elapsed)
        by_id = {m["mutation_id"]: m for m in mutations}
        for result in response.json()["results"]:
            mutation_id = result["mutation_id"]
            self.acked.add(mutation_id)
            mutation = by_id[mutation_id]
            if mutation_id in creations:
                self.created.add(creations[mutation_id])
            elif mutation["entity"] == "visit":
                visit_id = mutation["record_id"]
                self.last_status[visit_id] = statuses[visit_id]
                stamp = mutation["changes"]["status"]["s"]
                self.status_stamp[visit_id] = max(stamp, self.status_stamp[visit_id])

    def pull_round(self) -> None:
        while True:
            start = time.perf_counter()
            try:
                response = self.device.get_pull(timeout=TIMEOUT_S)
                page = response.json() if response.status_code == 200 else None
            except requests.RequestException as exc:
                self.errors[f"pull {type(exc).__name__}"] += 1
                return
            elapsed = time.perf_counter() - start
            if page is None:
                self.errors[f"pull {response.status_code} {_code(response)}"] += 1
                return
            self.pull_s.append(elapsed)
            self.absorb(page)
            if not page["has_more"]:
                return

    def floor_round(self) -> None:
        start = time.perf_counter()
        try:
            response = self.device.http.get(f"{self.device.base}/auth/me", timeout=TIMEOUT_S)
        except requests.RequestException as exc:
            self.errors[f"floor {type(exc).__name__}"] += 1
            return
        if response.status_code == 200:
            self.floor_s.append(time.perf_counter() - start)
        else:
            self.errors[f"floor {response.status_code} {_code(response)}"] += 1

    def reset(self) -> None:
        self.push_s, self.pull_s, self.floor_s = [], [], []
        self.errors.clear()


def _code(response: requests.Response) -> str:
    try:
        return str(response.json().get("error", ""))
    except ValueError:
        return ""


# -- load shapes ---------------------------------------------------------------------------------------------


def closed_loop(sims: list[Sim], seconds: float, floor: bool = False) -> float:
    """Every device loops (floor request, or push then pull) without pause; returns the elapsed time."""
    barrier = threading.Barrier(len(sims) + 1)
    failures: list[BaseException] = []

    def loop(sim: Sim) -> None:
        try:
            barrier.wait()
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if floor:
                    sim.floor_round()
                else:
                    sim.push_round()
                    sim.pull_round()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=loop, args=(sim,), daemon=True) for sim in sims]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} device threads failed") from failures[0]
    return time.perf_counter() - start


def open_loop(sims: list[Sim], seconds: float, rate: float) -> tuple[float, float]:
    """Each device pushes and pulls once every ``rate`` seconds (phases spread over the first period);
    returns the elapsed time and the 99th percentile of how late rounds started (the client's own lag)."""
    due = [(n * rate / len(sims), n) for n in range(len(sims))]
    heapq.heapify(due)
    busy: set[int] = set()
    late: list[float] = []
    lock = threading.Lock()

    def round_(n: int) -> None:
        try:
            sims[n].push_round()
            sims[n].pull_round()
        finally:
            with lock:
                busy.discard(n)

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=min(len(sims), 128), thread_name_prefix="device") as pool:
        while due:
            at, n = heapq.heappop(due)
            if at >= seconds:
                continue
            wait = start + at - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            with lock:
                if n in busy:  # still waiting for its last round: the device skips this one
                    sims[n].errors["round skipped (previous still running)"] += 1
                    heapq.heappush(due, (at + rate, n))
                    continue
                busy.add(n)
            late.append(max(0.0, time.monotonic() - start - at))
            pool.submit(round_, n)
            heapq.heappush(due, (at + rate, n))
    return time.monotonic() - start, percentile(late, 99) if late else 0.0


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


class CpuMeter:
    """CPU seconds spent by the fieldapp server's processes (found by its port) since the meter was made.
    (PostgreSQL's backends come and go with the pools' overflow connections, and the cluster serves other
    databases too: its share is not measured here.)"""

    def __init__(self, base: str) -> None:
        port = base.rsplit(":", 1)[1]
        leaders = [p for p in self._pids() if f"--port\0{port}\0" in self._cmdline(p)]
        groups = {os.getpgid(p) for p in leaders}
        self.server = [p for p in self._pids() if self._pgid(p) in groups]
        self.start = self._now()

    def spent(self) -> float:
        return self._now() - self.start

    def _now(self) -> float:
        return sum(map(_cpu_s, self.server))

    @staticmethod
    def _pids() -> list[int]:
        return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]

    @staticmethod
    def _cmdline(pid: int) -> str:
        try:
            return Path(f"/proc/{pid}/cmdline").read_text()
        except OSError:
            return ""

    @staticmethod
    def _pgid(pid: int) -> int:
        try:
            return os.getpgid(pid)
        except OSError:
            return -1


class LockWatch:
    """Polls pg_stat_activity: the most sessions seen waiting on a lock, and the longest such wait."""

    def __init__(self, url: str, database: str) -> None:
        self.url, self.database = url, database
        self.most, self.longest_s = 0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> LockWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _poll(self) -> None:
        with psycopg.connect(pg_conninfo(self.url), autocommit=True) as db:
            while not self._stop.wait(0.1):
                row = db.execute(
                    "SELECT count(*), coalesce(max(extract(epoch FROM clock_timestamp() - query_start)), 0)"
                    " FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                    (self.database,),
                ).fetchone()
                assert row is not None
                self.most, self.longest_s = max(self.most, row[0]), max(self.longest_s, float(row[1]))


# -- the count check -----------------------------------------------------------------------------------------


def count_check(url: str, sims: list[Sim]) -> list[str]:
    """Problems found (empty when everything acknowledged is stored exactly once and consistent)."""
    problems: list[str] = []
    acked = [m for sim in sims for m in sim.acked]
    created = [r for sim in sims for r in sim.created]
    devices = [sim.device.device_id for sim in sims]
    with psycopg.connect(pg_conninfo(url)) as db:
        stored = collections.Counter(
            {
                str(mutation_id): count
                for mutation_id, count in db.execute(
                    "SELECT mutation_id, count(*) FROM applied_mutations"
                    " WHERE device_id = ANY(%s) GROUP BY 1",
                    (devices,),
                )
            }
        )
        counts = db.execute(
            "SELECT count(*), count(DISTINCT id), count(DISTINCT seq) FROM records"
        ).fetchone()
        assert counts is not None
        total, ids, seqs = counts
        present = collections.Counter(
            str(record_id)
            for (record_id,) in db.execute(
                "SELECT id FROM records WHERE id = ANY(%s::uuid[])", ([uuid.UUID(r) for r in created],)
            )
        )
        status = dict(db.execute("SELECT id::text, fields->>'status' FROM records WHERE entity = 'visit'"))
    if len(set(acked)) != len(acked):
        problems.append(f"{len(acked) - len(set(acked))} mutation ids acknowledged to two devices")
    missing = [m for m in acked if stored[m] == 0]
    if missing:
        problems.append(f"{len(missing)} acknowledged mutations not stored (e.g. {missing[0]})")
    if any(stored[m] > 1 for m in acked):
        problems.append("acknowledged mutations stored more than once")
    if not total == ids == seqs:
        problems.append(f"records: {total} rows, {ids} distinct ids, {seqs} distinct change numbers")
    if any(present[r] != 1 for r in created):
        problems.append("acknowledged new records not stored exactly once")
    # A new record comes back to its own device only when the device lacks something of it; otherwise the
    # server marks it as held by that device (``origin``) and leaves it out of that device's pulls.
    unseen = {r: sim.device.device_id for sim in sims for r in sim.created - sim.seen}
    if unseen:
        with psycopg.connect(pg_conninfo(url)) as db:
            held = dict(
                db.execute(
                    "SELECT id::text, origin FROM records WHERE id = ANY(%s::uuid[])",
                    ([uuid.UUID(r) for r in unseen],),
                ).fetchall()
            )
        lost = [r for r, device in unseen.items() if held.get(r) != device]
        if lost:
            problems.append(
                f"{len(lost)} acknowledged new records neither delivered nor held by their device"
            )
    wrong = sum(1 for sim in sims for v, s in sim.last_status.items() if status.get(v) != s)
    if wrong:
        problems.append(f"{wrong} visits whose stored status is not their device's last acknowledged one")
    return problems


# -- one checkout, measured ----------------------------------------------------------------------------------


def figures(sims: list[Sim], elapsed: float) -> dict[str, Any]:
    push = [s for sim in sims for s in sim.push_s]
    pull = [s for sim in sims for s in sim.pull_s]
    errors: collections.Counter[str] = collections.Counter()
    mutations = 0
    for sim in sims:
        errors.update(sim.errors)
    mutations = sum(len(sim.acked) for sim in sims)
    return {
        "pushes_per_s": len(push) / elapsed,
        "pulls_per_s": len(pull) / elapsed,
        "push_p50_ms": percentile(push, 50) * 1000 if push else 0.0,
        "push_p99_ms": percentile(push, 99) * 1000 if push else 0.0,
        "pull_p50_ms": percentile(pull, 50) * 1000 if pull else 0.0,
        "pull_p99_ms": percentile(pull, 99) * 1000 if pull else 0.0,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "mutations": mutations,
    }


def report(label: str, mode: str, devices: int, f: dict[str, Any], watch: LockWatch, floor_ms: float) -> None:
    print(
        f"server_load {label} {mode}, {devices} devices: {f['pushes_per_s']:.1f} pushes/s, "
        f"{f['mutations_per_s']:.1f} mutations/s, {f['pulls_per_s']:.1f} pulls/s | push p50 "
        f"{f['push_p50_ms']:.1f} ms p99 {f['push_p99_ms']:.1f} ms | pull p50 {f['pull_p50_ms']:.1f} ms "
        f"p99 {f['pull_p99_ms']:.1f} ms | floor (GET /auth/me) p50 {floor_ms:.1f} ms | errors {f['errors']}"
        f"{' ' + repr(f['error_kinds']) if f['errors'] else ''} | lock waits: up to {watch.most} sessions, "
        f"longest {watch.longest_s * 1000:.0f} ms",
        flush=True,
    )


def sign_in(base: str, first: int, count: int, cursor: bool = True) -> list[Sim]:
    def one(n: int) -> Sim:
        sim = Sim(Device(base, f"worker{n:03d}", f"load{n:03d}"), random.Random(n))
        sim.device.send_cursor = cursor
        sim.drain()
        if not sim.visits:
            raise RuntimeError(f"{sim.device.device_id} pulled no visits")
        return sim

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(first, first + count)))


def measure(root: Path, label: str, args: argparse.Namespace, modes: list[str], tmp: Path) -> dict[str, Any]:
    """Seed, start ``root``'s server, run the load shapes; returns their figures."""
    name = f"fieldapp_load_{os.getpid()}_{label}"
    needed = max(args.devices if "open" in modes else 0, args.closed_devices)
    out: dict[str, Any] = {}
    with scratch_postgres(name) as url:
        started = time.perf_counter()
        seed = [sys.executable, "-c", SEED, url, str(needed), str(args.caseload), PASSWORD]
        subprocess.run(seed, cwd=root, env=code_env(root), check=True)
        print(f"# {label}: seeded {needed} workers x {args.caseload} patients in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)  # fmt: skip
        with fieldapp_server(url, tmp / f"{label}.log", workers=args.workers, root=root) as base:
            modern = root == ROOT  # an older checkout's server refuses a push that names the cursor
            sims = sign_in(base, 0, args.closed_devices, modern)
            closed_loop(sims, min(5.0, args.seconds / 6), floor=True)
            floor_ms = percentile([s for sim in sims for s in sim.floor_s], 50) * 1000
            everyone = sims
            if "closed" in modes:
                for sim in sims:
                    sim.reset()
                meter = CpuMeter(base)
                with LockWatch(url, name) as watch:
                    elapsed = closed_loop(sims, args.seconds)
                f = figures(sims, elapsed)
                f["mutations_per_s"] = f["mutations"] / elapsed
                rounds = max(1, round(f["pushes_per_s"] * elapsed))
                f["server_cpu_ms_per_round"] = meter.spent() / rounds * 1000
                print(
                    f"# {label}: server CPU per round (one push of 1-5 mutations and its pull): "
                    f"{f['server_cpu_ms_per_round']:.1f} ms (its worker processes together)",
                    flush=True,
                )
                report(label, "closed loop", len(sims), f, watch, floor_ms)
                out["closed"] = f
            if "open" in modes:
                everyone = sims + sign_in(base, len(sims), args.devices - len(sims), modern)
                for sim in everyone:
                    sim.reset()
                acked_before = sum(len(sim.acked) for sim in everyone)
                with LockWatch(url, name) as watch:
                    elapsed, lag = open_loop(everyone, args.seconds, args.rate)
                f = figures(everyone, elapsed)
                f["mutations_per_s"] = (f["mutations"] - acked_before) / elapsed
                f |= {"lock_waiters_max": watch.most, "lock_wait_max_ms": watch.longest_s * 1000}
                report(label, f"open loop (each every {args.rate:g} s)", len(everyone), f, watch, floor_ms)
                if lag > 0.05:
                    print(
                        f"# {label}: the client started rounds up to {lag * 1000:.0f} ms late (p99)",
                        flush=True,
                    )
                out["open"] = f
            for sim in everyone:
                sim.drain()
            problems = count_check(url, everyone)
    mutations = sum(len(sim.acked) for sim in everyone)
    if problems or mutations == 0:
        print(f"server_load {label} count check: FAILED: " + "; ".join(problems or ["nothing acknowledged"]))
        out["check_failed"] = True
    else:
        print(
            f"server_load {label} count check: OK ({mutations} acknowledged mutation ids stored exactly "
            f"once; {sum(len(sim.created) for sim in everyone)} new records stored once and delivered by "
            "the feed or held by their device; "
            "record ids and change numbers unique; visit statuses match)",
            flush=True,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=500, help="devices of the open loop")
    parser.add_argument("--closed-devices", type=int, default=50, help="devices of the closed loop")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("FIELDAPP_LOAD_SECONDS", 60)))
    parser.add_argument(
        "--rate", type=float, default=10.0, help="open loop: seconds between a device's rounds"
    )
    parser.add_argument("--caseload", type=int, default=10, help="patients (one visit each) per worker")
    parser.add_argument("--modes", default="closed,open", help="closed, open, or both (comma-separated)")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure first, back to back")
    parser.add_argument("--baseline-open", action="store_true", help="run the open loop on the baseline too")
    args = parser.parse_args(argv)
    modes = args.modes.split(",")
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="fieldapp-load-") as tmp:
        if args.baseline:
            base_modes = modes if args.baseline_open else [m for m in modes if m == "closed"]
            result["baseline"] = measure(args.baseline.resolve(), "baseline", args, base_modes, Path(tmp))
        result["this"] = measure(ROOT, "this", args, modes, Path(tmp))
    this = result["this"]
    summary: dict[str, Any] = {}
    if "closed" in this:
        summary |= {"pushes_per_s": round(this["closed"]["pushes_per_s"], 1)}
        summary |= {f"closed_{k}": round(v, 1) for k, v in this["closed"].items() if k.endswith("_ms")}
    if "closed" in result.get("baseline", {}):
        old = result["baseline"]["closed"]["pushes_per_s"]
        summary["pushes_per_s_baseline"] = round(old, 1)
        summary["pushes_ratio"] = round(this["closed"]["pushes_per_s"] / old, 2) if old else None
        print(
            f"server_load closed loop: {this['closed']['pushes_per_s']:.1f} pushes/s against "
            f"{old:.1f} for the baseline: {summary['pushes_ratio']}x | target >= 4x",
            flush=True,
        )
    if "open" in this:
        f = this["open"]
        summary |= {"push_p99_ms": round(f["push_p99_ms"], 1), "pull_p99_ms": round(f["pull_p99_ms"], 1)}
        summary |= {"errors": f["errors"], "open_pushes_per_s": round(f["pushes_per_s"], 1)}
        print(
            f"server_load open loop, {args.devices} devices: push p99 {f['push_p99_ms']:.1f} ms, pull p99 "
            f"{f['pull_p99_ms']:.1f} ms, errors {f['errors']} | target p99 < 100 ms, 0 errors: "
            f"{'OK' if max(f['push_p99_ms'], f['pull_p99_ms']) < 100 and not f['errors'] else 'OVER'}",
            flush=True,
        )
    if "open" in result.get("baseline", {}):
        summary["baseline_push_p99_ms"] = round(result["baseline"]["open"]["push_p99_ms"], 1)
        summary["baseline_errors"] = result["baseline"]["open"]["errors"]
    summary["errors"] = summary.get("errors", this.get("closed", {}).get("errors", 0))
    print("RESULT " + json.dumps(summary), flush=True)
    return 1 if any(r.get("check_failed") for r in result.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
