"""The device's audit log: append-only in the database itself, hash-chained, uploaded by a cursor."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from fieldapp.domain.audit import GENESIS, MAX_DETAIL, AuditAction
from fieldapp.store import audit
from fieldapp.store.local import LocalStore
from fieldapp.store.repo import Change


def record_some(store: LocalStore, count: int) -> None:
    with store.unit_of_work() as session:
        for _ in range(count):
            audit.record(session, "nurse", AuditAction.VIEW, entity="patient", record_id=uuid.uuid4())


def test_entries_are_chained_in_order(store: LocalStore) -> None:
    record_some(store, 3)
    with store.read() as session:
        newest_first = audit.entries(session)
        assert [e.content.seq for e in newest_first] == [3, 2, 1]
        assert newest_first[-1].content.prev_hash == GENESIS
        assert newest_first[0].content.prev_hash == newest_first[1].hash
        assert all(e.content.digest() == e.hash for e in newest_first)
        assert audit.first_break(session) is None


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET detail = 'changed' WHERE seq = 2", "DELETE FROM audit_log WHERE seq = 2"],
)
def test_the_log_refuses_to_be_changed_or_shortened(store: LocalStore, statement: str) -> None:
    record_some(store, 3)
    with (
        pytest.raises((IntegrityError, OperationalError), match="append-only"),
        store.unit_of_work() as session,
    ):
        session.execute(sa.text(statement))
    with store.read() as session:
        assert len(audit.entries(session)) == 3 and audit.first_break(session) is None


def test_a_change_made_behind_the_triggers_back_is_found(store: LocalStore) -> None:
    record_some(store, 4)
    with store.unit_of_work() as session:  # someone with the key and sqlite3 drops the guard
        session.execute(sa.text("DROP TRIGGER audit_log_no_update"))
        session.execute(sa.text("UPDATE audit_log SET record_id = NULL WHERE seq = 3"))
    with store.read() as session:
        assert audit.first_break(session) == 3


def test_a_removed_entry_is_found(store: LocalStore) -> None:
    record_some(store, 4)
    with store.unit_of_work() as session:
        session.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
        session.execute(sa.text("DELETE FROM audit_log WHERE seq = 2"))
    with store.read() as session:
        assert audit.first_break(session) == 3


def test_upload_cursor_moves_forward_only(store: LocalStore) -> None:
    record_some(store, 5)
    with store.unit_of_work() as session:
        assert [e.content.seq for e in audit.unsent(session, 2)] == [1, 2]
        audit.mark_sent(session, 2)
        audit.mark_sent(session, 1)  # a late, older acknowledgement does not move it back
        assert [e.content.seq for e in audit.unsent(session, 10)] == [3, 4, 5]
        assert audit.unsent_count(session) == 3


def test_edits_are_recorded_by_record_and_field_names_never_values(store: LocalStore) -> None:
    record_id = uuid.uuid4()
    changes = [
        Change("patient", record_id, frozenset({"phone", "address"})),
        Change("patient", uuid.uuid4(), frozenset()),  # a no-op save records nothing
        Change("visit_note", uuid.uuid4(), frozenset(), deleted=True),
    ]
    with store.unit_of_work() as session:
        assert audit.record_changes(session, "nurse", changes) == 2
    with store.read() as session:
        first, second = reversed(audit.entries(session))
    assert (first.content.action, first.content.record_id) == (AuditAction.EDIT, record_id)
    assert first.content.detail == "fields: address, phone"
    assert second.content.detail == "deleted"


def test_an_entry_written_in_a_failed_unit_of_work_is_not_kept(store: LocalStore) -> None:
    with pytest.raises(RuntimeError), store.unit_of_work() as session:
        audit.record(session, "nurse", AuditAction.VIEW)
        raise RuntimeError("the edit failed")
    with store.read() as session:
        assert audit.entries(session) == []


def test_details_are_one_line_and_bounded(store: LocalStore) -> None:
    with store.unit_of_work() as session:
        entry = audit.record(session, "nurse", AuditAction.EXPORT, detail="day report\n" + "x" * 2000)
    assert "\n" not in entry.content.detail and len(entry.content.detail) == MAX_DETAIL


def test_whatever_was_typed_as_a_user_name_is_recorded_in_a_form_the_server_accepts(
    store: LocalStore,
) -> None:
    """A refused sign-in records the typed name; an unprintable one must not block the upload for ever."""
    from fieldapp.sync.protocol import AuditEvent

    typed = ["", "nurse\x00", "\x1b[31mred", "a" * 300, "\ud800", "  spaced\tout  "]
    with store.unit_of_work() as session:
        entries = [
            audit.record(session, name, AuditAction.SIGN_IN_FAILED, detail=f"typed {name}\x07")
            for name in typed
        ]
    for entry in entries:
        AuditEvent.of(entry.content, entry.hash)  # raises if the server would refuse it


def test_only_entries_the_office_holds_may_be_pruned_and_the_rest_still_chains(tmp_path: Path) -> None:
    now = [1_800_000_000_000]
    store = LocalStore.open(tmp_path / "fieldapp.db", physical_ms=lambda: now[0])
    day = 24 * 3600 * 1000
    with store.unit_of_work() as session:
        for _ in range(6):
            audit.record(session, "nurse", AuditAction.VIEW, clock=store.clock)
            now[0] += 30 * day  # entries 1..6, a month apart
        audit.mark_sent(session, 4)  # the office holds 1..4
    with store.unit_of_work() as session:
        # Everything older than the last 100 days may go, but only what the office holds: 1..3 (4 is recent).
        assert audit.prune(session, now[0] - 100 * day) == 3
        assert [e.content.seq for e in reversed(audit.entries(session))] == [4, 5, 6]
        assert audit.first_break(session) is None
        assert audit.prune(session, now[0] + day) == 1, "5 and 6 stay: the office does not have them"
    with (
        pytest.raises((IntegrityError, OperationalError), match="append-only"),
        store.unit_of_work() as session,
    ):
        session.execute(sa.text("DELETE FROM audit_log WHERE seq = 6"))
    with store.unit_of_work() as session:
        session.execute(sa.text("DROP TRIGGER audit_log_no_delete"))
        session.execute(sa.text("DELETE FROM audit_log WHERE seq = 5"))  # behind the database's back
    with store.read() as session:
        assert audit.first_break(session) == 6, "an unsent entry removed is still found"
    store.close()
