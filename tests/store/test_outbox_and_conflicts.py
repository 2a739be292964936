"""Outbox order, acknowledgement and rejection; the local conflict log."""

from __future__ import annotations

import threading
import uuid

from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import Patient
from fieldapp.domain.merge import LossReason, RecordState, Versioned, merge
from fieldapp.store import conflicts, outbox, repo
from fieldapp.store.local import LocalStore
from fieldapp.store.models import PatientRow
from fieldapp.store.records import record_state
from tests import factories as f


def _edit_many(store: LocalStore, p: Patient, n: int) -> None:
    for i in range(n):
        with store.unit_of_work() as s:
            repo.update(s, store.clock, Patient, p.id, {"care_plan": f"plan v{i}"})


def test_pending_entries_come_in_the_order_they_were_made(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    _edit_many(store, p, 5)
    with store.read() as s:
        entries = outbox.pending(s)
        assert outbox.pending_count(s) == 6
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert [e.changes["care_plan"].value for e in entries[1:]] == [f"plan v{i}" for i in range(5)]
    stamps = [e.changes["care_plan"].stamp for e in entries]
    assert stamps == sorted(stamps) and len(set(stamps)) == 6
    with store.read() as s:
        assert [e.seq for e in outbox.pending(s, limit=2)] == [e.seq for e in entries[:2]]


def test_only_acknowledged_entries_leave_the_outbox(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    _edit_many(store, p, 3)
    with store.read() as s:
        first, second, *rest = outbox.pending(s)
    with store.unit_of_work() as s:
        assert outbox.acknowledge(s, [first.mutation_id, uuid.uuid4()]) == 1
        assert outbox.acknowledge(s, []) == 0
    with store.read() as s:
        remaining = [e.mutation_id for e in outbox.pending(s)]
    assert remaining == [second.mutation_id] + [e.mutation_id for e in rest]


def test_a_rejected_entry_is_set_aside_with_its_reason_and_blocks_nothing(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    _edit_many(store, p, 2)
    with store.read() as s:
        first, second, third = outbox.pending(s)
    with store.unit_of_work() as s:
        outbox.reject(s, second.mutation_id, "patient is not on your caseload")
    with store.read() as s:
        assert [e.mutation_id for e in outbox.pending(s)] == [first.mutation_id, third.mutation_id]
        assert outbox.pending_count(s) == 2
        [(entry, reason)] = outbox.rejected(s)
    assert entry.mutation_id == second.mutation_id and reason == "patient is not on your caseload"
    assert entry.attempts == 1


def test_outbox_entry_merges_into_the_record_state(store: LocalStore) -> None:
    """A queued mutation applied to an empty replica reproduces the local record exactly."""
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    _edit_many(store, p, 2)
    with store.read() as s:
        entries = outbox.pending(s)
        row = s.get(PatientRow, p.id)
        assert row is not None
        local = record_state(row)
    replica = RecordState()
    for entry in entries:
        replica = merge("patient", replica, entry.state()).state
    assert replica == local


def test_conflict_log_keeps_what_a_person_must_see(store: LocalStore) -> None:
    record_id = uuid.uuid4()
    mine = RecordState({"phone": Versioned("555-0100", Stamp(10, 0, "tablet"), Stamp(5, 0, "office"))})
    theirs = RecordState(
        {
            "phone": Versioned("555-0199", Stamp(11, 0, "office"), Stamp(5, 0, "office")),
            "care_plan": Versioned("x", Stamp(12, 0, "office"), Stamp(1, 0, "office")),
        }
    )
    old = RecordState({"care_plan": Versioned("old", Stamp(1, 0, "office"))})
    losers = merge("patient", merge("patient", mine, old).state, theirs).losers
    reasons = {loser.reason for loser in losers}
    assert reasons == {LossReason.CONFLICT, LossReason.SUPERSEDED}
    with store.unit_of_work() as s:
        assert conflicts.record(s, "patient", record_id, losers) == 1
    with store.read() as s:
        [c] = conflicts.open_conflicts(s)
        assert conflicts.open_count(s) == 1
    assert (c.field, c.lost_value, c.winner_value) == ("phone", "555-0100", "555-0199")
    assert c.lost_stamp == Stamp(10, 0, "tablet") and c.winner_stamp == Stamp(11, 0, "office")
    with store.unit_of_work() as s:
        conflicts.resolve(s, c.id, "kept")
    with store.read() as s:
        assert conflicts.open_count(s) == 0


def test_concurrent_writers_on_two_threads_never_lose_an_edit(store: LocalStore) -> None:
    """The GUI thread and the sync thread write at once: every edit and its outbox entry are kept."""
    patients = [f.patient(), f.patient()]
    with store.unit_of_work() as s:
        for p in patients:
            repo.add(s, store.clock, p)
    errors: list[BaseException] = []

    def writer(p: Patient) -> None:
        try:
            _edit_many(store, p, 40)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(p,)) for p in patients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.read() as s:
        entries = outbox.pending(s)
        assert all(repo.get(s, Patient, p.id).care_plan == "plan v39" for p in patients)  # type: ignore[union-attr]
    assert len(entries) == 82
    stamps = [e.changes["care_plan"].stamp for e in entries if "care_plan" in e.changes]
    assert len(set(stamps)) == len(stamps) == 82


def test_reads_do_not_wait_for_an_open_write_transaction(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    inside, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with store.unit_of_work() as s:
            repo.update(s, store.clock, Patient, p.id, {"care_plan": "being edited"})
            s.flush()
            inside.set()
            release.wait(10)

    t = threading.Thread(target=slow_writer)
    t.start()
    try:
        assert inside.wait(10)
        with store.read() as s:  # would raise "database is locked" after busy_timeout if reads waited
            assert repo.get(s, Patient, p.id).care_plan == p.care_plan  # type: ignore[union-attr]
    finally:
        release.set()
        t.join()
