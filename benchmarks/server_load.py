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
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from benchmarks._common import percentile
from benchmarks._load_shapes import closed_loop, count_check, open_loop
from benchmarks._meters import CpuMeter, LockWatch, PgCpuMeter, own_cpu_s
from benchmarks._server import (
    PASSWORD,
    ROOT,
    Device,
    check,
    code_env,
    fieldapp_server,
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


def cpu_per_round(
    label: str, f: dict[str, Any], elapsed: float, server_s: float, postgres_s: float, devices_s: float
) -> dict[str, float]:
    """CPU milliseconds per round (one push of 1-5 mutations and its pull) of the server's workers, of the
    PostgreSQL backends of its database and of the simulated devices (this process), printed."""
    rounds = max(1, round(f["pushes_per_s"] * elapsed))
    per_round = {
        "server_cpu_ms_per_round": server_s / rounds * 1000,
        "postgres_cpu_ms_per_round": postgres_s / rounds * 1000,
        "devices_cpu_ms_per_round": devices_s / rounds * 1000,
    }
    print(
        f"# {label}: CPU per round (one push of 1-5 mutations and its pull): server "
        f"{per_round['server_cpu_ms_per_round']:.1f} ms (its worker processes together), PostgreSQL "
        f"{per_round['postgres_cpu_ms_per_round']:.1f} ms (its backends for this database), simulated "
        f"devices {per_round['devices_cpu_ms_per_round']:.1f} ms",
        flush=True,
    )
    return per_round


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


def measure(
    root: Path, label: str, args: argparse.Namespace, modes: list[str], tmp: Path, hide: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Seed, start ``root``'s server (without the modules in ``hide``), run the load shapes; returns their
    figures."""
    name = f"fieldapp_load_{os.getpid()}_{label}"
    needed = max(args.devices if "open" in modes else 0, args.closed_devices)
    out: dict[str, Any] = {}
    with scratch_postgres(name) as url:
        started = time.perf_counter()
        seed = [sys.executable, "-c", SEED, url, str(needed), str(args.caseload), PASSWORD]
        subprocess.run(seed, cwd=root, env=code_env(root), check=True)
        print(f"# {label}: seeded {needed} workers x {args.caseload} patients in "
              f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)  # fmt: skip
        server = fieldapp_server(url, tmp / f"{label}.log", workers=args.workers, root=root, hide=hide)
        with server as base:
            modern = root == ROOT  # an older checkout's server refuses a push that names the cursor
            sims = sign_in(base, 0, args.closed_devices, modern)
            closed_loop(sims, min(5.0, args.seconds / 6), floor=True)
            floor_ms = percentile([s for sim in sims for s in sim.floor_s], 50) * 1000
            everyone = sims
            if "closed" in modes:
                for sim in sims:
                    sim.reset()
                meter, pg_meter, own = CpuMeter(base), PgCpuMeter(name), own_cpu_s()
                with LockWatch(url, name) as watch:
                    elapsed = closed_loop(sims, args.seconds)
                f = figures(sims, elapsed)
                f["mutations_per_s"] = f["mutations"] / elapsed
                f |= cpu_per_round(label, f, elapsed, meter.spent(), pg_meter.spent(), own_cpu_s() - own)
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
    parser.add_argument(
        "--baseline-hides",
        default="httptools,uvloop",
        help="modules the baseline's server runs without, as it ran before they were installed (uvicorn "
        "then falls back to h11 and asyncio); '' for none",
    )
    args = parser.parse_args(argv)
    modes = args.modes.split(",")
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="fieldapp-load-") as tmp:
        if args.baseline:
            base_modes = modes if args.baseline_open else [m for m in modes if m == "closed"]
            hide = tuple(m for m in args.baseline_hides.split(",") if m)
            base = args.baseline.resolve()
            result["baseline"] = measure(base, "baseline", args, base_modes, Path(tmp), hide)
        result["this"] = measure(ROOT, "this", args, modes, Path(tmp))
    this = result["this"]
    summary: dict[str, Any] = {}
    if "closed" in this:
        summary |= {"pushes_per_s": round(this["closed"]["pushes_per_s"], 1)}
        summary |= {f"closed_{k}": round(v, 1) for k, v in this["closed"].items() if k.endswith("_ms")}
    if "closed" in this:
        summary |= {k: round(v, 1) for k, v in this["closed"].items() if k.endswith("_per_round")}
    if "closed" in result.get("baseline", {}):
        base = result["baseline"]["closed"]
        summary |= {f"baseline_{k}": round(v, 1) for k, v in base.items() if k.endswith("_per_round")}
        old = base["pushes_per_s"]
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
