"""Saving one patient edit through the store's write path, beside a raw sqlite3 floor.

Scenario: a store holding 1,000 patients; each sample is one unit of work that changes a patient's
phone number (validation, HLC stamp, row update, outbox entry, commit). The floor, measured in the same
run on a second file with the same pragmas: one transaction holding a raw sqlite3 row insert plus an
outbox insert. Prints p50/p99 of both and their ratio; the target is p99 <= 5 ms.
Ends with one line ``RESULT {json}`` holding the figures (``benchmarks._common.result``).
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import report, result, summary_ms
from fieldapp.demodata import patients
from fieldapp.domain.entities import Patient
from fieldapp.store import repo
from fieldapp.store.local import LocalStore

PATIENTS = 1_000
SAMPLES = 2_000
WARMUP = 200
TARGET_P99_MS = 5.0


def measure_store(folder: Path) -> list[float]:
    store = LocalStore.open(folder / "store.db")
    ids = []
    with store.unit_of_work() as s:
        for p in patients(PATIENTS):
            repo.add(s, store.clock, p)
            ids.append(p.id)
    rng = random.Random(7)
    samples = []
    for i in range(WARMUP + SAMPLES):
        record_id = rng.choice(ids)
        start = time.perf_counter()
        with store.unit_of_work() as s:
            repo.update(s, store.clock, Patient, record_id, {"phone": f"555-{i:06d}"})
        if i >= WARMUP:
            samples.append(time.perf_counter() - start)
    store.close()
    return samples


def measure_floor(folder: Path) -> list[float]:
    db = sqlite3.connect(folder / "floor.db", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE patients (id TEXT PRIMARY KEY, phone TEXT, stamps TEXT)")
    db.execute(
        "CREATE TABLE outbox (seq INTEGER PRIMARY KEY, mutation_id TEXT UNIQUE, record_id TEXT, changes TEXT)"
    )
    samples = []
    for i in range(WARMUP + SAMPLES):
        record_id = uuid.uuid4().hex
        change = json.dumps({"phone": {"v": f"555-{i:06d}", "s": f"{i:016x}", "b": None}})
        start = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO patients VALUES (?, ?, ?)", (record_id, f"555-{i:06d}", "{}"))
        db.execute(
            "INSERT INTO outbox (mutation_id, record_id, changes) VALUES (?, ?, ?)",
            (uuid.uuid4().hex, record_id, change),
        )
        db.execute("COMMIT")
        if i >= WARMUP:
            samples.append(time.perf_counter() - start)
    db.close()
    return samples


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floor = summary_ms(measure_floor(folder))
        ours = summary_ms(measure_store(folder))
    verdict = "OK" if ours["p99"] <= TARGET_P99_MS else "OVER TARGET"
    figures = report(
        "local_crud patient edit + outbox", ours, floor, f"target p99 <= {TARGET_P99_MS:.0f} ms: {verdict}"
    )
    result("local_crud", target_p99_ms=TARGET_P99_MS, met=verdict == "OK", samples=SAMPLES, **figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
