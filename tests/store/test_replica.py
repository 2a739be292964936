"""Applying pulled pages to the replica: merge with local edits, conflicts logged, evictions deferred."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from fieldapp.domain.clock import HybridClock, Stamp
from fieldapp.domain.entities import Patient, Visit, VisitNote
from fieldapp.domain.merge import LossReason, RecordState, Versioned
from fieldapp.store import conflicts, outbox, replica, repo
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.store.models import PatientRow, PendingEvictionRow, VisitRow
from fieldapp.store.records import record_state
from tests import factories as f

OFFICE = HybridClock("office1")


def _remote(record: Patient | Visit | VisitNote, stamp: Stamp | None = None) -> replica.RemoteRecord:
    """A record as the server would send it after the office created it."""
    stamp = stamp or OFFICE.now()
    wire = record.model_dump(mode="json")
    fields = {name: Versioned(value, stamp) for name, value in wire.items() if name != "id"}
    return replica.RemoteRecord(record.entity_name, record.id, RecordState(fields), seq=1)


def test_new_records_are_inserted_as_sent(store: LocalStore) -> None:
    p = f.patient()
    v = f.visit(p.id)
    with store.unit_of_work() as s:
        applied = replica.apply_remote(s, store.clock, [_remote(v), _remote(p)])  # child first: no FK
    assert {c.record_id for c in applied.changes} == {p.id, v.id} and applied.conflicts == 0
    with store.read() as s:
        assert repo.get(s, Patient, p.id) == p
        assert repo.get(s, Visit, v.id) == v
        assert outbox.pending_count(s) == 0, "pulled records are not queued back to the server"


def test_the_clock_moves_past_what_it_received(store: LocalStore) -> None:
    p = f.patient()
    future = Stamp(store.clock.physical() + 3_600_000, 5, "office1")
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, [_remote(p, future)])
    with store.unit_of_work() as s:
        repo.update(s, store.clock, Patient, p.id, {"phone": "555-0100"})
    with store.read() as s:
        [entry] = outbox.pending(s)
    assert entry.changes["phone"].stamp > future, "a later local edit must win over what it has seen"


def test_concurrent_remote_edit_of_the_same_field_is_logged_and_the_newer_wins(store: LocalStore) -> None:
    p = f.patient()
    base = OFFICE.now()
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, [_remote(p, base)])
    with store.unit_of_work() as s:
        repo.update(s, store.clock, Patient, p.id, {"phone": "555-0100"})  # local, pending
    with store.read() as s:
        [local] = outbox.pending(s)
    newer = Stamp(local.changes["phone"].stamp.wall_ms + 1000, 0, "office1")
    remote = replica.RemoteRecord(
        "patient",
        p.id,
        RecordState(
            {
                "phone": Versioned("555-0199", newer, base),
                "care_plan": Versioned("Office changed the plan", newer, base),
            }
        ),
        seq=2,
    )
    with store.unit_of_work() as s:
        applied = replica.apply_remote(s, store.clock, [remote])
    assert applied.conflicts == 1
    with store.read() as s:
        current = repo.get(s, Patient, p.id)
        [conflict] = conflicts.open_conflicts(s)
    assert (
        current is not None and current.phone == "555-0199" and current.care_plan == "Office changed the plan"
    )
    assert (conflict.field, conflict.lost_value, conflict.reason) == (
        "phone",
        "555-0100",
        LossReason.CONFLICT,
    )


def test_different_fields_merge_without_conflict(store: LocalStore) -> None:
    p = f.patient()
    base = OFFICE.now()
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, [_remote(p, base)])
    with store.unit_of_work() as s:
        repo.update(s, store.clock, Patient, p.id, {"address": None})
    remote = replica.RemoteRecord(
        "patient", p.id, RecordState({"phone": Versioned("555-0177", OFFICE.now(), base)}), seq=3
    )
    with store.unit_of_work() as s:
        assert replica.apply_remote(s, store.clock, [remote]).conflicts == 0
    with store.read() as s:
        current = repo.get(s, Patient, p.id)
        row = s.get(PatientRow, p.id)
        assert row is not None and row.server_seq == 3
    assert current is not None and current.phone == "555-0177" and current.address is None


def test_replaying_a_page_changes_nothing(store: LocalStore) -> None:
    p = f.patient()
    page = [_remote(p)]
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, page)
    with store.read() as s:
        row = s.get(PatientRow, p.id)
        assert row is not None
        before = record_state(row)
    with store.unit_of_work() as s:
        again = replica.apply_remote(s, store.clock, page)
    assert again.changes == () and again.conflicts == 0
    with store.read() as s:
        row = s.get(PatientRow, p.id)
        assert row is not None and record_state(row) == before


def test_remote_tombstone_hides_the_record(store: LocalStore) -> None:
    p = f.patient()
    remote = _remote(p)
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, [remote])
    dead = replica.RemoteRecord("patient", p.id, RecordState(remote.state.fields, OFFICE.now()), seq=4)
    with store.unit_of_work() as s:
        [change] = replica.apply_remote(s, store.clock, [dead]).changes
    assert change.deleted
    with store.read() as s:
        assert repo.get(s, Patient, p.id) is None


def test_eviction_waits_for_pending_changes_then_removes_everything(store: LocalStore) -> None:
    p, other = f.patient(), f.patient()
    v = f.visit(p.id)
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, [_remote(p), _remote(v), _remote(other)])
        repo.add(s, store.clock, f.note(v, "Written before the office took the patient away."))
    with store.unit_of_work() as s:
        assert replica.evict(s, p.id, seq=9) is False
    with store.read() as s:
        assert repo.get(s, Patient, p.id) is not None, "unsent work must not be dropped"
        assert s.scalar(select(func.count()).select_from(PendingEvictionRow)) == 1
        entries = outbox.pending(s)
    with store.unit_of_work() as s:
        outbox.acknowledge(s, [e.mutation_id for e in entries])
        assert replica.retry_evictions(s) == [p.id]
    with store.read() as s:
        assert repo.get(s, Patient, p.id) is None
        assert s.scalar(select(func.count()).select_from(VisitRow)) == 0
        assert repo.list_for_visit(s, VisitNote, v.id) == []
        assert repo.get(s, Patient, other.id) is not None, "other patients stay"
        assert s.scalar(select(func.count()).select_from(PendingEvictionRow)) == 0


def test_blob_store_is_content_addressed_and_checks_what_it_reads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    blobs = BlobStore(tmp_path / "blobs")
    sha = blobs.put(b"\x89PNG signature")
    assert blobs.put(b"\x89PNG signature") == sha and blobs.has(sha)
    assert blobs.get(sha) == b"\x89PNG signature"
    (tmp_path / "blobs" / sha[:2] / sha).write_bytes(b"tampered")
    with pytest.raises(ValueError, match="damaged"):
        blobs.get(sha)
    with pytest.raises(KeyError):
        blobs.get("0" * 64)
    with pytest.raises(ValueError, match="SHA-256"):
        blobs.get("../../etc/passwd")


def test_a_visit_pulled_without_the_schedule_fields_takes_their_defaults(store: LocalStore) -> None:
    """A server still holding visits written before the schedule fields sends them without those fields."""
    p = f.patient()
    v = f.visit(p.id)
    old = _remote(v)
    new_fields = {"cancel_reason", "worker_notes", "external_id", "series_id"}
    fields = {name: value for name, value in old.state.fields.items() if name not in new_fields}
    sent = replica.RemoteRecord("visit", v.id, RecordState(fields), seq=1)
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, [sent, _remote(p)])
    with store.read() as s:
        assert repo.get(s, Visit, v.id) == v
        assert set(record_state(s.get_one(VisitRow, v.id)).fields) == set(fields), "no stamp is invented"


def test_schedule_fields_arrive_with_the_visit(store: LocalStore) -> None:
    p = f.patient()
    v = f.visit(
        p.id, worker_notes="Ring twice.", external_id="A-17", cancel_reason="", series_id=uuid.uuid4()
    )
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, [_remote(v)])
    with store.read() as s:
        assert repo.get(s, Visit, v.id) == v


def _wire_with(change: dict[str, object], **fields: object) -> list[dict[str, object]]:
    wire = replica._to_wire(_remote(f.patient()))
    wire["fields"] = {**wire["fields"], **fields}  # type: ignore[dict-item]
    return [{**wire, **change}]


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (
            _wire_with({}, phone={"v": "555", "s": "not-a-stamp", "b": None}),
            "malformed clock stamp: 'not-a-stamp'",
        ),
        (_wire_with({}, phone={"v": "555", "s": None, "b": None}), "malformed clock stamp: 'None'"),
        (
            _wire_with({}, phone={"v": "555", "s": "0123456789abcdef1a\n0123456789abcdef1b"}),
            "malformed clock",
        ),
        (_wire_with({}, phone={"v": "555", "s": "0123456789abcdef1a", "b": ""}), "malformed clock stamp: ''"),
        (_wire_with({"deleted": "yesterday"}), "malformed clock stamp: 'yesterday'"),
        (_wire_with({}, phone={"v": "555"}), "without its value and stamp"),
        (_wire_with({}, phone="555"), "without its value and stamp"),
        (
            _wire_with({}, nickname={"v": "Zo", "s": "0123456789abcdef1a", "b": None}),
            "unknown field 'nickname'",
        ),
        (_wire_with({"fields": []}), "without fields"),
    ],
)
def test_a_malformed_pulled_record_is_refused_whole_with_its_reason(
    store: LocalStore, page: list[dict[str, object]], reason: str
) -> None:
    with pytest.raises(ValueError, match=reason), store.unit_of_work() as s:
        replica.apply_wire(s, store.clock, page)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(PatientRow)) == 0, "nothing was stored"
