"""The load shapes of ``server_load.py`` (closed and open loop) and its count check."""

from __future__ import annotations

import collections
import heapq
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import psycopg

from benchmarks._common import percentile
from benchmarks._server import pg_conninfo

if TYPE_CHECKING:
    from benchmarks.server_load import Sim


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
        status: dict[str, str] = dict(
            db.execute("SELECT id::text, fields->>'status' FROM records WHERE entity = 'visit'")
        )
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
            held: dict[str, str] = dict(
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
    wrong = len([v for sim in sims for v, s in sim.last_status.items() if status.get(v) != s])
    if wrong:
        problems.append(f"{wrong} visits whose stored status is not their device's last acknowledged one")
    return problems
