"""Several devices pushing while others pull, on both databases: nothing lost, doubled or skipped."""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fieldapp.domain.entities import Visit
from fieldapp.server import passwords
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import PASSWORD, Users
from tests.server.helpers import Device


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests sign in often and are not about hashing: scrypt at 1/16 of its cost."""
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


PUSHES = 30


@dataclass
class Tally:
    """What one writer sent and what the server acknowledged."""

    acked: int = 0
    created: set[uuid.UUID] = field(default_factory=set)
    push_seqs: list[set[int]] = field(default_factory=list)


def office_writer(
    device: Device, patients: list[uuid.UUID], workers: dict[uuid.UUID, uuid.UUID], seed: int
) -> Tally:
    rng, tally = random.Random(seed), Tally()
    known = list(patients)
    for _ in range(PUSHES):
        batch: list[dict[str, Any]] = []
        for _ in range(rng.randint(1, 3)):
            kind = rng.random()
            if kind < 0.35:
                p = h.patient()
                batch.append(device.create(p))
                known.append(p.id)
                tally.created.add(p.id)
            elif kind < 0.55:
                pid = rng.choice(patients)
                v = h.visit(pid, workers[pid])
                batch.append(device.create(v))
                tally.created.add(v.id)
            else:
                name, value = rng.choice([("phone", f"555-{rng.randint(1000, 9999)}"), ("care_plan", "Plan")])
                batch.append(device.update("patient", rng.choice(known), {name: value}))
        send(device, batch, tally)
    return tally


def worker_writer(device: Device, patients: list[uuid.UUID], visits: list[Visit], seed: int) -> Tally:
    rng, tally = random.Random(seed), Tally()
    visits = list(visits)
    for i in range(PUSHES):
        batch: list[dict[str, Any]] = []
        kind = rng.random()
        if kind < 0.25:
            v = h.visit(rng.choice(patients), device.user_id)
            batch.append(device.create(v))
            visits.append(v)
            tally.created.add(v.id)
        elif kind < 0.55:
            n = h.note(rng.choice(visits), device.user_id, text=f"Note {i} from {device.device_id}")
            batch.append(device.create(n))
            tally.created.add(n.id)
        else:
            v = rng.choice(visits)
            batch.append(device.update("visit", v.id, {"status": rng.choice(["in_progress", "completed"])}))
            batch.append(device.update("patient", v.patient_id, {"care_plan": f"Plan {i}"}))
        send(device, batch, tally)
    return tally


def send(device: Device, batch: list[dict[str, Any]], tally: Tally) -> None:
    results = device.push_ok(*batch)["results"]
    assert [r["mutation_id"] for r in results] == [m["mutation_id"] for m in batch]
    assert {r["outcome"] for r in results} == {"applied"}
    tally.acked += len(results)
    tally.push_seqs.append({r["seq"] for r in results})


def test_concurrent_pushes_and_pulls_lose_double_and_skip_nothing(
    client: TestClient, users: Users, office: Device, nurse: Device, aide: Device
) -> None:
    patients = [h.patient() for _ in range(5)]
    ids = [p.id for p in patients]
    caseloads = {users.nurse: ids[0:2] + ids[4:5], users.aide: ids[2:5]}
    workers = {pid: users.nurse if pid in caseloads[users.nurse] else users.aide for pid in ids}
    visits = [h.visit(pid, workers[pid]) for pid in ids]
    office.push_ok(*map(office.create, patients), *map(office.create, visits))
    for worker_id, assigned in caseloads.items():
        for pid in assigned:
            db.assign(office, worker_id, pid)
    before = db.snapshot(client)

    second_office = Device.sign_in(client, "office", PASSWORD, "office2")
    office_reader = db.own_client(Device.sign_in(client, "office", PASSWORD, "office3"))
    nurse_reader = db.own_client(Device.sign_in(client, "nurse", PASSWORD, "tablet3"))
    done = threading.Event()
    with ThreadPoolExecutor(6) as pool:
        readers = [
            pool.submit(db.pull_while, reader, lambda: not done.is_set(), limit)
            for reader, limit in ((office_reader, 10), (nurse_reader, 4))
        ]
        writers = [
            pool.submit(office_writer, db.own_client(office), ids, workers, 1),
            pool.submit(office_writer, db.own_client(second_office), ids, workers, 2),
            pool.submit(
                worker_writer, db.own_client(nurse), caseloads[users.nurse], visits[:2] + visits[4:], 3
            ),
            pool.submit(worker_writer, db.own_client(aide), caseloads[users.aide], visits[2:], 4),
        ]
        try:
            tallies = [job.result(timeout=180) for job in writers]
        finally:
            done.set()
        pages = {
            reader: job.result(timeout=60) for reader, job in zip(("office", "nurse"), readers, strict=True)
        }

    after = db.snapshot(client)
    acked = sum(t.acked for t in tallies)
    created = set().union(*(t.created for t in tallies))
    assert acked >= 4 * PUSHES and all(len(t.push_seqs) == PUSHES for t in tallies)
    assert after["applied"] - before["applied"] == acked, "each acknowledged mutation stored exactly once"
    assert len(after["records"]) - len(before["records"]) == len(created)
    assert set(after["records"]) == set(before["records"]) | created

    all_push_seqs = [seq for t in tallies for seqs in t.push_seqs for seq in seqs]
    assert len(all_push_seqs) == len(set(all_push_seqs)), "no change number given out twice"
    record_seqs, assignment_seqs = db.seqs(client)
    numbers = record_seqs + assignment_seqs
    assert len(numbers) == len(set(numbers))
    assert after["counter"] == max(numbers) == max(all_push_seqs)

    everything = db.states(client)
    delivered = db.check_pages(pages["office"])
    assert office_reader.replica == everything
    assert set(record_seqs) <= set(delivered)

    nurse_scope = db.states(client, patients=set(caseloads[users.nurse]))
    db.check_pages(pages["nurse"])
    assert nurse_reader.replica == nurse_scope
    assert Counter(entity for entity, _ in nurse_scope.values())["visit_note"] > 0
    assert len(pages["office"]) > 5 and len(pages["nurse"]) > 5, "the readers pulled while writes went on"
