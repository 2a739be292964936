"""Alembic migrations of the local store: upgrades keep data and queued changes; schema matches models."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from fieldapp.domain.clock import Stamp
from fieldapp.domain.devicetime import AnchorKind
from fieldapp.domain.entities import Patient, Visit, VisitNote
from fieldapp.store import conflicts, migrate, outbox, repo
from fieldapp.store.db import make_engine
from fieldapp.store.local import LocalStore
from fieldapp.store.models import Base

PATIENT_ID = uuid.UUID("7d4c3f7e-0c51-4c39-9a53-3c8e2f5b9a10")
VISIT_ID = uuid.UUID("0b9f6a52-8e1c-4d7e-9b3a-5c2d1e0f4a21")
NOTE_ID = uuid.UUID("4e8d2c1b-6a5f-4e3d-8c7b-9a0f1e2d3c45")
STAMP_1 = Stamp(1_790_000_000_000, 0, "tablet01").encode()
STAMP_2 = Stamp(1_790_000_060_000, 0, "tablet01").encode()


def _database_at_first_revision(path: Path) -> None:
    """What version 0001 of the app left on a tablet: one patient, two changes still queued."""
    engine = make_engine(path)
    migrate.upgrade(engine, path, "0001")
    engine.dispose()
    fields = [
        "mrn",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "phone",
        "address",
        "emergency_contact",
        "allergies",
        "diagnoses",
        "care_plan",
        "active",
    ]
    stamps = dict.fromkeys(fields, STAMP_1) | {"phone": STAMP_2}
    db = sqlite3.connect(path)
    with db:
        db.execute(
            "INSERT INTO sync_state (id, node_id, last_stamp, clock_offset_ms) VALUES (1, ?, ?, ?)",
            ("tablet01", STAMP_2, -1500),
        )
        db.execute(
            "INSERT INTO patients (id, mrn, given_name, family_name, date_of_birth, sex, phone, address,"
            " emergency_contact, allergies, diagnoses, care_plan, active, stamps, bases)"
            " VALUES (?, 'MRN-1', 'Ada', 'Okafor', '1941-06-30', 'female', '555-0142', NULL, NULL,"
            ' \'[{"substance": "Latex", "reaction": "rash", "severity": "moderate"}]\', \'[]\','
            " 'Wound care twice weekly', 1, ?, ?)",
            (PATIENT_ID.hex, json.dumps(stamps), json.dumps({"phone": STAMP_1})),
        )
        db.execute(
            "INSERT INTO visits (id, patient_id, worker_id, scheduled_start, scheduled_end, service_code,"
            " status, stamps, bases) VALUES (?, ?, ?, '2026-09-19 09:00:00.000000',"
            " '2026-09-19 10:00:00.000000', 'G0156', 'completed', '{}', '{}')",
            (VISIT_ID.hex, PATIENT_ID.hex, uuid.uuid4().hex),
        )
        db.execute(
            "INSERT INTO visit_notes (id, visit_id, patient_id, author_id, text, written_at, stamps, bases)"
            " VALUES (?, ?, ?, ?, 'Dressing changed; wound clean.', '2026-09-19 09:30:00.000000',"
            " '{}', '{}')",
            (NOTE_ID.hex, VISIT_ID.hex, PATIENT_ID.hex, uuid.uuid4().hex),
        )
        for seq, (mutation, changes) in enumerate(
            [
                (uuid.uuid4(), {f: {"v": None, "s": STAMP_1, "b": None} for f in fields}),
                (uuid.uuid4(), {"phone": {"v": "555-0142", "s": STAMP_2, "b": STAMP_1}}),
            ],
            start=1,
        ):
            db.execute(
                "INSERT INTO outbox (seq, mutation_id, entity, record_id, changes, deleted, created_at,"
                " status, error, attempts) VALUES (?, ?, 'patient', ?, ?, NULL,"
                " '2026-09-19 10:00:00.000000', 'pending', NULL, 0)",
                (seq, mutation.hex, PATIENT_ID.hex, json.dumps(changes)),
            )
    db.close()


def test_upgrade_from_first_revision_keeps_records_and_pending_outbox(tmp_path: Path) -> None:
    path = tmp_path / "fieldapp.db"
    _database_at_first_revision(path)
    store = LocalStore.open(path)
    try:
        assert migrate.current_revision(store.engine) == migrate.head_revision() != "0001"
        with store.read() as s:
            patient = repo.get(s, Patient, PATIENT_ID)
            note = repo.get(s, VisitNote, NOTE_ID)
            entries = outbox.pending(s)
            assert conflicts.open_count(s) == 0  # the table added by 0002 is there and usable
        assert patient is not None and patient.family_name == "Okafor" and patient.phone == "555-0142"
        assert note is not None and note.text == "Dressing changed; wound clean."
        assert patient.allergies[0].substance == "Latex"
        assert [e.seq for e in entries] == [1, 2]
        assert entries[1].changes["phone"].stamp == Stamp.decode(STAMP_2)
        assert entries[1].changes["phone"].base == Stamp.decode(STAMP_1)
        # the clock and its offset carried over: the next edit is stamped after everything queued
        assert store.node_id == "tablet01" and store.device_time.offset_ms == -1500
        # and its timeline resumes from a lower bound: the newest stamp it held (decision 0013)
        anchor = store.device_time.anchor
        assert anchor.kind is AnchorKind.LOWER_BOUND and anchor.server_ms == Stamp.decode(STAMP_2).wall_ms
        with store.unit_of_work() as s:
            repo.update(s, store.clock, Patient, PATIENT_ID, {"phone": "555-0199"})
        with store.read() as s:
            assert outbox.pending(s)[-1].changes["phone"].stamp > Stamp.decode(STAMP_2)
    finally:
        store.close()


def test_visits_held_before_0008_read_as_not_cancelled_and_without_notes(tmp_path: Path) -> None:
    path = tmp_path / "fieldapp.db"
    _database_at_first_revision(path)
    store = LocalStore.open(path)
    try:
        with store.read() as s:
            visit = repo.get(s, Visit, VISIT_ID)
        assert visit is not None and visit.status.value == "completed" and visit.service_code == "G0156"
        assert (visit.cancel_reason, visit.worker_notes, visit.external_id, visit.series_id) == (
            "",
            "",
            None,
            None,
        )
    finally:
        store.close()


def test_upgrade_backs_up_the_file_first(tmp_path: Path) -> None:
    path = tmp_path / "fieldapp.db"
    _database_at_first_revision(path)
    LocalStore.open(path).close()
    [backup] = list(tmp_path.glob("fieldapp.db.r0001.*.bak"))
    db = sqlite3.connect(backup)
    try:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert db.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone() == (2,)
    finally:
        db.close()
    LocalStore.open(path).close()  # already at head: no second backup
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_old_backups_are_pruned(tmp_path: Path) -> None:
    path = tmp_path / "fieldapp.db"
    _database_at_first_revision(path)
    for _ in range(migrate.KEEP_BACKUPS + 2):
        migrate.backup_file(path, "0001")
    assert len(list(tmp_path.glob("*.bak"))) == migrate.KEEP_BACKUPS


def test_downgrade_then_upgrade_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "fieldapp.db"
    _database_at_first_revision(path)
    engine = make_engine(path)
    migrate.upgrade(engine, path)
    migrate.downgrade(engine, "0001")
    assert migrate.current_revision(engine) == "0001"
    migrate.upgrade(engine, path)
    engine.dispose()
    store = LocalStore.open(path)
    with store.read() as s:
        assert repo.get(s, Patient, PATIENT_ID) is not None
        assert repo.get(s, VisitNote, NOTE_ID) is not None, "rebuilding tables must not cascade-delete"
        assert outbox.pending_count(s) == 2
    store.close()


def test_migrations_build_exactly_the_schema_the_models_declare(tmp_path: Path) -> None:
    """A model change without its migration would fail here (and on every tablet at the next start)."""
    engine = make_engine(tmp_path / "fresh.db")
    migrate.upgrade(engine, tmp_path / "fresh.db")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []
