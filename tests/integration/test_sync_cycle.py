"""One device, one real server on loopback: the basic cycle in both directions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from fieldapp.app import Device
from fieldapp.domain.entities import Patient, Visit
from fieldapp.store import outbox, repo
from fieldapp.store.state import store_status
from fieldapp.sync import engine as engine_module
from tests.integration.conftest import LiveServer
from tests.server import helpers as h


def test_office_records_arrive_and_tablet_edits_reach_the_office(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    p = h.patient()
    v = h.visit(p.id, live_server.users["nurse"])
    live_server.office_writes(p, v)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")

    first = tablet.engine.run()
    assert first.ok, first.error
    assert first.pulled == 2
    with tablet.store.read() as s:
        assert repo.get(s, Patient, p.id) == p
        assert repo.get(s, Visit, v.id) == v

    with tablet.store.unit_of_work() as s:
        repo.update(s, tablet.store.clock, Patient, p.id, {"phone": "555-0199"})
    second = tablet.engine.run()
    assert second.ok and second.pushed == 1 and second.pending == 0
    with live_server.database.read() as s:
        from fieldapp.server.models import Record

        row = s.get(Record, p.id)
        assert row is not None and row.fields["phone"] == "555-0199"
    with tablet.store.read() as s:
        status = store_status(s)
        assert outbox.pending_count(s) == 0
    assert status.pull_cursor is not None and status.last_success_at is not None


def test_nothing_to_do_is_a_quick_no_op(live_server: LiveServer, new_device: Callable[..., Device]) -> None:
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    result = tablet.engine.run()
    assert result.ok and (result.pushed, result.pulled, result.conflicts) == (0, 0, 0)


def test_a_no_op_cycle_is_one_request_and_writes_nothing(
    live_server: LiveServer, new_device: Callable[..., Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    p = h.patient()
    live_server.office_writes(p)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    assert tablet.engine.run().pulled == 1
    requests: list[str] = []
    tablet.transport.session.hooks["response"].append(lambda r, *_, **__: requests.append(r.request.path_url))
    writes: list[str] = []

    def written(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if not statement.lstrip().upper().startswith(("SELECT", "BEGIN", "COMMIT", "ROLLBACK")):
            writes.append(statement)

    sa.event.listen(tablet.store.engine, "before_cursor_execute", written)
    try:
        for _ in range(3):
            result = tablet.engine.run()
            assert result.ok and (result.pushed, result.pulled) == (0, 0)
        assert [path.split("?")[0] for path in requests] == ["/sync/pull"] * 3, requests
        assert writes == []
        with tablet.store.read() as s:
            before = store_status(s).last_success_at
        # A minute on, a quiet cycle keeps the state row and reads the account's cards again.
        monkeypatch.setattr(engine_module, "QUIET_KEEP_S", 0.0)
        requests.clear()
        assert tablet.engine.run().ok
        assert [path.split("?")[0] for path in requests] == ["/sync/pull", "/account"], requests
        assert any("sync_state" in statement for statement in writes)
        with tablet.store.read() as s:
            after = store_status(s).last_success_at
        assert before is not None and after is not None and after > before
        # A cycle that moves anything keeps them at once, however recently they were kept.
        monkeypatch.setattr(engine_module, "QUIET_KEEP_S", 3600.0)
        with tablet.store.unit_of_work() as s:
            repo.update(s, tablet.store.clock, Patient, p.id, {"phone": "555-0143"})
        requests.clear()
        assert tablet.engine.run().pushed == 1
        moved = ["/sync/push", "/sync/pull", "/account", "/audit/events"]  # the cycle's audit entry goes too
        assert [path.split("?")[0] for path in requests] == moved
    finally:
        sa.event.remove(tablet.store.engine, "before_cursor_execute", written)
