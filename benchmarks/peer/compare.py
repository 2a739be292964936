"""fieldapp's sync beside its peer, PouchDB 9 with pouchdb-server 4.2, in one run (``make bench-peer``).

The peer is installed from benchmarks/peer/package-lock.json by ``npm ci --ignore-scripts`` (leveldown
loads the N-API build it ships; the install scripts of the optional sqlite3 backend would try to download
a binary). pouchdb-server runs in its own process group on 127.0.0.1, LevelDB on disk, and is stopped by
its PID; fieldapp's server is ``fieldapp server`` on SQLite, also on loopback. The same three workloads
on both, in two rounds that alternate which goes first:

1. first sync of 10,000 patient-like records (PouchDB: documents of the same generated patients, as
   JSON; fieldapp: a worker's caseload of 10,000 patients), into a new local database on disk;
2. a push after an offline day: 1,000 new and 1,000 updated records, then a sync (PouchDB: ``sync``,
   both directions; fieldapp: ``engine.run()``, push then pull; the new ones are notes and vitals on the
   worker's visits, since a worker cannot register patients);
3. a no-op sync when nothing changed (median of 30).

Prints each figure and the ratio PouchDB's time / fieldapp's (above 1: fieldapp is faster) and ends with
``RESULT {"ratio_initial", "ratio_push", "ratio_noop", ...}``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from benchmarks import client_sync  # noqa: E402
from benchmarks._client import seed, use_memory_keyring  # noqa: E402
from benchmarks._server import _answers, fieldapp_server, free_port, running  # noqa: E402
from fieldapp.demodata import patients, visits_for_day  # noqa: E402
from fieldapp.domain.entities import Entity  # noqa: E402

DOCS = 10_000
SMALL = 1_000
ROUNDS = 2
NOOP_SAMPLES = 30


def plan(users: dict[str, uuid.UUID]) -> dict[str, tuple[list[Entity], list[uuid.UUID]]]:
    """The nurse: 10,000 patients (the first sync); the aide: 1,000 patients with a visit each (the push)."""
    everyone = list(patients(DOCS + SMALL))
    big, small = everyone[:DOCS], everyone[DOCS:]
    visits = list(visits_for_day([p.id for p in small], users["aide"], datetime.now(UTC).date(), seed=1))
    return {"nurse": (list(big), [p.id for p in big]), "aide": ([*small, *visits], [p.id for p in small])}


def documents(path: Path) -> None:
    """The same generated patients as PouchDB documents."""
    docs = [{"_id": str(p.id), **p.model_dump(mode="json", exclude={"id"})} for p in patients(DOCS)]
    path.write_text(json.dumps(docs))


def pouchdb_round(server: str, work: Path, docs: Path, round_: int) -> dict[str, float]:
    node = shutil.which("node") or "node"
    argv = [node, str(HERE / "peer.js"), server, str(work), str(docs), str(round_), str(NOOP_SAMPLES)]
    answer = subprocess.run(argv, cwd=HERE, capture_output=True, text=True, timeout=900, check=False)
    if answer.returncode != 0:
        raise RuntimeError(f"peer.js failed:\n{answer.stderr[-2000:]}")
    figures = json.loads(answer.stdout.strip().splitlines()[-1])
    return {
        "initial_s": figures["initial_s"],
        "push_s": figures["push_s"],
        "noop_ms": statistics.median(figures["noop_ms"]),
    }


def fieldapp_round(base: str, work: Path, aide: uuid.UUID, round_: int) -> dict[str, float]:
    with client_sync.fresh(work / f"first-{round_}", base, "nurse") as device:
        device.engine.page_size = client_sync.PAGE_SIZE
        start = time.perf_counter()
        result = client_sync.check(device.engine.run(), "first sync")
        initial = time.perf_counter() - start
        if result.pulled != DOCS:
            raise RuntimeError(f"the first sync pulled {result.pulled} records, not {DOCS}")
    with client_sync.fresh(work / f"push-{round_}", base, "aide") as device:
        client_sync.check(device.engine.run(), "first sync of the small caseload")
        client_sync.offline_day(device, aide, round_)
        push, _, _, _ = client_sync.push_ours(device)
        samples = []
        for i in range(NOOP_SAMPLES + 3):
            start = time.perf_counter()
            result = client_sync.check(device.engine.run(), "no-op sync")
            if result.pulled or result.pushed:
                raise RuntimeError("not a no-op sync")
            if i >= 3:
                samples.append(time.perf_counter() - start)
    return {"initial_s": initial, "push_s": push, "noop_ms": statistics.median(samples) * 1000}


def main() -> int:
    if not (HERE / "node_modules" / "pouchdb-server").is_dir():
        print(
            "benchmarks/peer: run `make bench-peer` (it installs PouchDB with npm ci first)", file=sys.stderr
        )
        return 2
    use_memory_keyring()
    with tempfile.TemporaryDirectory(prefix="fieldapp-peer-") as tmp:
        work = Path(tmp)
        docs = work / "docs.json"
        documents(docs)
        url = f"sqlite:///{work / 'fieldapp.db'}"
        users = seed(url, ["nurse", "aide"], plan)
        (work / "pouchdb-data").mkdir()
        port = free_port()
        peer = f"http://127.0.0.1:{port}"
        argv = [shutil.which("node") or "node", str(HERE / "node_modules/pouchdb-server/bin/pouchdb-server")]
        argv += ["--host", "127.0.0.1", "--port", str(port), "--dir", str(work / "pouchdb-data")]
        argv += ["--config", str(work / "pouchdb-config.json")]
        ours: list[dict[str, float]] = []
        theirs: list[dict[str, float]] = []
        with (
            running(argv, work / "pouchdb-server.log", lambda: _answers(peer), root=work) as pouchdb,
            fieldapp_server(url, work / "fieldapp.log") as base,
        ):
            print(f"# pouchdb-server pid {pouchdb.pid} on {peer}; fieldapp server on {base}", flush=True)
            for round_ in range(ROUNDS):
                order = ("pouchdb", "fieldapp") if round_ % 2 == 0 else ("fieldapp", "pouchdb")
                for who in order:
                    if who == "pouchdb":
                        theirs.append(pouchdb_round(peer, work, docs, round_))
                    else:
                        ours.append(fieldapp_round(base, work, users["aide"], round_))
                print(f"# round {round_ + 1}: PouchDB {theirs[-1]} | fieldapp {ours[-1]}", flush=True)
    result: dict[str, Any] = {}
    for key, label, unit in (
        ("initial_s", f"first sync of {DOCS:,} records", "s"),
        ("push_s", f"push {SMALL:,} new + {SMALL:,} updated, then sync", "s"),
        ("noop_ms", "no-op sync", "ms"),
    ):
        mine = statistics.median(r[key] for r in ours)
        peer_figure = statistics.median(r[key] for r in theirs)
        ratio = peer_figure / mine
        name = "ratio_" + key.split("_")[0]
        result[name] = round(ratio, 2)
        result[f"fieldapp_{key}"], result[f"pouchdb_{key}"] = round(mine, 4), round(peer_figure, 4)
        print(
            f"bench-peer {label}: fieldapp {mine:.3f} {unit} | PouchDB {peer_figure:.3f} {unit} | "
            f"PouchDB / fieldapp {ratio:.2f}x | runs fieldapp "
            + ", ".join(f"{r[key]:.3f}" for r in ours)
            + ", PouchDB "
            + ", ".join(f"{r[key]:.3f}" for r in theirs),
            flush=True,
        )
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    raise SystemExit(main())
