"""The one write path: validate, stamp, write the row and queue the mutation in one transaction."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from fieldapp.domain.attestation import content_digest
from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import Observation, Patient, Signature, Visit, VisitNote
from fieldapp.domain.errors import DomainError, ImmutableError, ValidationError
from fieldapp.store import outbox, repo
from fieldapp.store.local import LocalStore
from fieldapp.store.models import OutboxRow, PatientRow
from tests import factories as f


def _outbox_rows(store: LocalStore) -> list[OutboxRow]:
    with store.read() as session:
        return list(session.scalars(select(OutboxRow).order_by(OutboxRow.seq)))


def _count(store: LocalStore, table: type) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_add_writes_row_stamps_and_outbox_entry_together(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        change = repo.add(s, store.clock, p)
    assert change.entity == "patient" and change.record_id == p.id and "phone" in change.fields
    with store.read() as s:
        assert repo.get(s, Patient, p.id) == p
        row = s.get(PatientRow, p.id)
        assert row is not None
        stamps = {Stamp.decode(v) for v in row.stamps.values()}
    assert len(stamps) == 1, "one edit, one stamp"
    [entry] = _outbox_rows(store)
    assert entry.entity == "patient" and entry.record_id == p.id and entry.status == "pending"
    assert entry.changes["family_name"] == {"v": "Ñúñez-O'Brien", "s": next(iter(stamps)).encode(), "b": None}
    assert entry.changes["allergies"]["v"] == [
        {"substance": "Penicillin", "reaction": "hives", "severity": "severe"}
    ]


def test_update_stamps_only_changed_fields_with_their_base(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    with store.unit_of_work() as s:
        change = repo.update(s, store.clock, Patient, p.id, {"phone": "555-0199", "given_name": "Zoë"})
    assert change.fields == {"phone"}, "an unchanged value is not an edit"
    first, second = _outbox_rows(store)
    assert set(second.changes) == {"phone"}
    assert second.changes["phone"]["b"] == first.changes["phone"]["s"]
    assert Stamp.decode(second.changes["phone"]["s"]) > Stamp.decode(first.changes["phone"]["s"])
    with store.read() as s:
        row = s.get(PatientRow, p.id)
        assert row is not None
        assert row.stamps["phone"] == second.changes["phone"]["s"]
        assert row.stamps["given_name"] == first.changes["given_name"]["s"]
        assert row.bases == {"phone": first.changes["phone"]["s"]}


def test_noop_update_queues_nothing(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        change = repo.update(s, store.clock, Patient, p.id, {"phone": p.phone})
    assert change.is_noop
    assert len(_outbox_rows(store)) == 1


def test_failed_unit_of_work_leaves_neither_row_nor_outbox_entry(store: LocalStore) -> None:
    p = f.patient()
    with pytest.raises(RuntimeError), store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        raise RuntimeError("crash between the write and the commit")
    assert _count(store, PatientRow) == 0
    assert _count(store, OutboxRow) == 0


def test_outbox_failure_rolls_back_the_record(store: LocalStore) -> None:
    """If the mutation cannot be queued, the edit is not saved either (no unsynced-but-unqueued change)."""
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    with store.unit_of_work() as s:
        s.execute(
            text("CREATE TRIGGER no_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'full'); END")
        )
    with pytest.raises(Exception, match="full"), store.unit_of_work() as s:
        repo.update(s, store.clock, Patient, p.id, {"phone": "555-0100"})
    with store.read() as s:
        assert repo.get(s, Patient, p.id) == p


def test_invalid_update_is_refused_and_changes_nothing(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    with pytest.raises(ValidationError) as err, store.unit_of_work() as s:
        repo.update(s, store.clock, Patient, p.id, {"given_name": "", "phone": "call me"})
    assert set(err.value.problems) == {"given_name", "phone"}
    with pytest.raises(ValidationError), store.unit_of_work() as s:
        repo.update(s, store.clock, Patient, p.id, {"no_such_field": 1})
    assert len(_outbox_rows(store)) == 1


def test_delete_leaves_a_tombstone_that_syncs(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    with store.unit_of_work() as s:
        change = repo.delete(s, store.clock, Patient, p.id)
    assert change.deleted
    with store.read() as s:
        assert repo.get(s, Patient, p.id) is None
        assert repo.get(s, Patient, p.id, include_deleted=True) == p
    tomb = _outbox_rows(store)[-1]
    assert tomb.deleted is not None and tomb.changes == {}
    with pytest.raises(repo.NotFoundError, match="deleted"), store.unit_of_work() as s:
        repo.update(s, store.clock, Patient, p.id, {"phone": "555-0100"})


def test_immutable_fields_and_undeletable_records_are_refused(store: LocalStore) -> None:
    p = f.patient()
    v = f.visit(p.id)
    n = f.note(v)
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        repo.add(s, store.clock, v)
        repo.add(s, store.clock, n)
    before = len(_outbox_rows(store))
    with pytest.raises(ImmutableError, match="mrn"), store.unit_of_work() as s:
        repo.update(s, store.clock, Patient, p.id, {"mrn": "OTHER-1"})
    with pytest.raises(ImmutableError, match="text"), store.unit_of_work() as s:
        repo.update(s, store.clock, VisitNote, n.id, {"text": "rewritten history"})
    with pytest.raises(ImmutableError, match="cannot be deleted"), store.unit_of_work() as s:
        repo.delete(s, store.clock, VisitNote, n.id)
    assert len(_outbox_rows(store)) == before


def test_amendment_is_a_new_note_referencing_the_original(store: LocalStore) -> None:
    p = f.patient()
    v, other = f.visit(p.id), f.visit(p.id)
    n = f.note(v, "BP 150/90")
    with store.unit_of_work() as s:
        for record in (p, v, other, n):
            repo.add(s, store.clock, record)
        repo.add(s, store.clock, f.note(v, "Correction: BP 130/90", amends=n.id))
    with pytest.raises(ValidationError, match="amends"), store.unit_of_work() as s:
        repo.add(s, store.clock, f.note(other, "wrong visit", amends=n.id))
    with store.read() as s:
        notes = repo.list_for_visit(s, VisitNote, v.id)
    assert {note.text for note in notes} == {"BP 150/90", "Correction: BP 130/90"}


def test_references_must_exist_and_agree(store: LocalStore) -> None:
    p, stranger = f.patient(), f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        repo.add(s, store.clock, stranger)
    with pytest.raises(repo.NotFoundError, match="patient"), store.unit_of_work() as s:
        repo.add(s, store.clock, f.visit(f.patient().id))
    v = f.visit(p.id)
    with store.unit_of_work() as s:
        repo.add(s, store.clock, v)
    with pytest.raises(ValidationError, match="patient_id"), store.unit_of_work() as s:
        repo.add(s, store.clock, f.note(v, patient_id=stranger.id))
    with pytest.raises(DomainError, match="already exists"), store.unit_of_work() as s:
        repo.add(s, store.clock, v)


def _sign(store: LocalStore, v: Visit) -> Signature:
    with store.read() as s:
        current = repo.get(s, Visit, v.id)
        assert current is not None
        digest = content_digest(
            current, repo.list_for_visit(s, VisitNote, v.id), repo.list_for_visit(s, Observation, v.id)
        )
    return Signature(
        visit_id=v.id,
        patient_id=v.patient_id,
        strokes=[[{"x": 1, "y": 2, "t": 0, "pressure": 0.4}]],
        image_sha256=hashlib.sha256(b"png").hexdigest(),
        signer_name="Zoë Núñez",
        signer_role="patient",
        meaning="I confirm I received the care recorded for this visit.",
        signed_at=datetime(2026, 11, 26, 10, 0, tzinfo=UTC),
        content_sha256=digest,
    )


def test_signing_locks_attested_content_but_allows_amendments(store: LocalStore) -> None:
    p = f.patient()
    v = f.visit(p.id)
    obs = f.observation(v)
    with store.unit_of_work() as s:
        for record in (p, v, f.note(v), obs):
            repo.add(s, store.clock, record)
    sig = _sign(store, v)
    with store.unit_of_work() as s:
        changes = repo.sign_visit(s, store.clock, sig)
    assert [c.entity for c in changes] == ["signature", "visit"]
    with pytest.raises(ImmutableError, match="service_code"), store.unit_of_work() as s:
        repo.update(s, store.clock, Visit, v.id, {"service_code": "T1019"})
    with pytest.raises(ImmutableError, match="signed"), store.unit_of_work() as s:
        repo.update(s, store.clock, Observation, obs.id, {"entered_in_error": True})
    with pytest.raises(ImmutableError, match="already signed"), store.unit_of_work() as s:
        repo.sign_visit(s, store.clock, _sign(store, v))
    with pytest.raises(ImmutableError, match="signed visit"), store.unit_of_work() as s:
        repo.delete(s, store.clock, Visit, v.id)
    with store.unit_of_work() as s:
        repo.update(s, store.clock, Visit, v.id, {"status": "completed"})
        repo.add(s, store.clock, f.note(v, "Addendum: family asked for a call back."))
    with store.read() as s:
        locked = repo.get(s, Visit, v.id)
    assert locked is not None and locked.signature_id == sig.id and locked.status == "completed"


def test_signature_over_stale_content_is_refused(store: LocalStore) -> None:
    p = f.patient()
    v = f.visit(p.id)
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        repo.add(s, store.clock, v)
    sig = _sign(store, v)
    with store.unit_of_work() as s:
        repo.add(s, store.clock, f.note(v, "written while the patient was signing"))
    with pytest.raises(ValidationError, match="changed while it was being signed"), store.unit_of_work() as s:
        repo.sign_visit(s, store.clock, sig)
    with store.read() as s:
        assert repo.get(s, Visit, v.id).signature_id is None  # type: ignore[union-attr]


def test_clock_survives_restart_with_the_device_clock_set_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    now = [1_800_000_000_000]
    path = tmp_path / "f.db"
    first = LocalStore.open(path, physical_ms=lambda: now[0])
    p = f.patient()
    with first.unit_of_work() as s:
        repo.add(s, first.clock, p)
    last = first.clock.last
    first.close()
    now[0] -= 3_600_000  # the tablet's clock jumps back an hour
    second = LocalStore.open(path, physical_ms=lambda: now[0])
    assert second.node_id == first.node_id
    with second.unit_of_work() as s:
        repo.update(s, second.clock, Patient, p.id, {"phone": "555-0142"})
    with second.read() as s:
        [_, entry] = outbox.pending(s)
    assert entry.changes["phone"].stamp > last
    second.close()


def test_database_runs_in_wal_mode_with_foreign_keys(store: LocalStore) -> None:
    with store.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert store.path is not None
    raw = sqlite3.connect(store.path)
    try:
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        raw.close()
    assert "ix_patients_mrn" in names and "ix_outbox_status_seq" in names
