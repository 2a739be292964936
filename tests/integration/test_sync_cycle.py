"""One device, one real server on loopback: the basic cycle in both directions."""

from __future__ import annotations

from collections.abc import Callable

from fieldapp.app import Device
from fieldapp.domain.entities import Patient, Visit
from fieldapp.store import outbox, repo
from fieldapp.store.state import store_status
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
