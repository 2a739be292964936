"""A real server on loopback and a tablet store on disk: the office's change to a visit reaches the tablet
and Today's notice; an office cancel of a visit the worker already started keeps the visit and shows the
conflict on both sides (decision 0021)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fieldapp.app import Device
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Visit
from fieldapp.domain.schedule import visit_id_for
from fieldapp.readmodels.notices import NoticeKind
from fieldapp.server.models import ConflictEntry, Record
from fieldapp.store import conflicts, notices, repo, workflows
from fieldapp.sync.protocol import FieldChange, Mutation, PushRequest
from fieldapp.transport.http import HttpTransport
from tests.integration.conftest import PASSWORD, LiveServer
from tests.server import helpers as h

OFFICE_NODE = "office" + "5" * 16  # the office's own program: an office clock (decision 0021)


class OfficeProgram:
    """The agency's scheduling program talking to the server's API as the office."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.transport = HttpTransport(live.url)
        self.transport.login("office", PASSWORD, OFFICE_NODE)
        self.clock = HybridClock(OFFICE_NODE)

    def put(self, path: str, body: dict[str, Any]) -> None:
        self.send("PUT", path, body)

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        headers = {"Authorization": f"Bearer {self.transport.tokens.access}"}
        self.transport.session.request(
            method, self.live.url + path, json=body, headers=headers, timeout=5
        ).raise_for_status()

    def change(self, visit_id: uuid.UUID, **values: Any) -> None:
        with self.live.database.read() as s:
            row = s.get(Record, visit_id)
            assert row is not None
            held = dict(row.stamps)
        stamp = self.clock.now().encode()
        changes = {name: FieldChange(v=value, s=stamp, b=held.get(name)) for name, value in values.items()}
        mutation = Mutation(mutation_id=uuid.uuid4(), entity="visit", record_id=visit_id, changes=changes)
        answer = self.transport.push(PushRequest(device_id=OFFICE_NODE, mutations=[mutation]))
        assert [r.outcome.value for r in answer.results] == ["applied"], answer


def _visit_soon(live: LiveServer) -> Visit:
    p = h.patient()
    start = (datetime.now(UTC) + timedelta(hours=2)).replace(second=0, microsecond=0)
    v = h.visit(p.id, live.users["nurse"]).revise(
        scheduled_start=start, scheduled_end=start + timedelta(hours=1)
    )
    live.office_writes(p, v)
    live.assign("nurse", p.id)
    return v


def test_an_office_move_reaches_the_tablet_and_leaves_a_notice(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    v = _visit_soon(live_server)
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    with tablet.store.read() as s:
        assert notices.unseen(s, live_server.users["nurse"], UTC) == [], "the first sync brings no news"

    office = OfficeProgram(live_server)
    later = v.scheduled_start + timedelta(minutes=90)
    office.change(
        v.id, scheduled_start=later.isoformat(), scheduled_end=(later + timedelta(hours=1)).isoformat()
    )
    result = tablet.engine.run()
    assert result.ok and result.pulled == 1
    with tablet.store.read() as s:
        visit = repo.get(s, Visit, v.id)
        [notice] = notices.unseen(s, live_server.users["nurse"], UTC)
    assert visit is not None and visit.scheduled_start == later
    # "moved to 00:08–01:08", with the day before the time when the move crosses midnight (late in the day)
    assert notice.kind is NoticeKind.MOVED and " moved to " in notice.text
    assert notice.text.endswith(f"{later:%H:%M}–{later + timedelta(hours=1):%H:%M}")


def test_an_office_cancel_after_check_in_keeps_the_visit_and_both_sides_see_the_conflict(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    v = _visit_soon(live_server)
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    with tablet.store.unit_of_work() as s:
        workflows.check_in(s, tablet.store.clock, v.id, None)
    assert tablet.engine.run().ok  # the check-in reached the office

    OfficeProgram(live_server).change(v.id, status="cancelled", cancel_reason="Client in hospital")
    assert tablet.engine.run().ok
    with live_server.database.read() as s:
        row = s.get(Record, v.id)
        assert row is not None and row.fields["status"] == "in_progress"
        assert row.fields["cancel_reason"] == "Client in hospital" and row.fields["check_in"] is not None
        logged = [(c.field, c.lost_value) for c in s.query(ConflictEntry).filter_by(record_id=v.id)]
    assert ("status", "cancelled") in logged, "the office side sees it in the server's conflict log"
    with tablet.store.read() as s:
        visit = repo.get(s, Visit, v.id)
        tablet_conflicts = [(c.field, c.lost_value) for c in conflicts.open_conflicts(s)]
        kinds = [n.kind for n in notices.unseen(s, live_server.users["nurse"], UTC)]
    assert visit is not None and visit.status.value == "in_progress" and visit.check_in is not None
    assert ("status", "cancelled") in tablet_conflicts, "the tablet's Conflicts screen shows it"
    assert kinds == [NoticeKind.CANCEL_AFTER_START]


def test_the_tablet_reads_the_people_and_agency_cards_at_sign_in_and_after_a_sync(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    office = OfficeProgram(live_server)
    nurse_id = live_server.users["nurse"]
    office.put(f"/admin/users/{nurse_id}/card", {"full_name": "Ana López", "credential": "HHA"})
    tablet = new_device("nurse")
    worker, agency = tablet.profile.load_account()
    assert worker.display_name == "Ana López, HHA" and agency.late_after_min == 15
    office.put("/admin/agency", {"name": "Sunrise Home Care", "late_after_min": 10})
    assert tablet.engine.run().ok
    _, agency = tablet.profile.load_account()
    assert agency.name == "Sunrise Home Care" and agency.late_after_min == 10


def test_a_visit_the_office_restores_tells_the_worker_it_is_on_again(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    p = h.patient(mrn="MRN-RESTORE")
    live_server.office_writes(p)
    office = OfficeProgram(live_server)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    office.put(
        "/schedule/visits/AG-7",
        {
            "worker": "nurse",
            "patient_mrn": "MRN-RESTORE",
            "date": tomorrow,
            "start": "09:00",
            "end": "10:00",
            "service_code": "T1019",
        },
    )
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    office.send("POST", "/schedule/visits/AG-7/cancel", {"reason": "client in hospital"})
    assert tablet.engine.run().ok
    office.send("POST", "/schedule/visits/AG-7/restore")
    assert tablet.engine.run().ok
    with tablet.store.read() as s:
        shown = notices.unseen(s, live_server.users["nurse"], UTC)
        visit = repo.get(s, Visit, visit_id_for("AG-7"))
    assert visit is not None and visit.status.value == "scheduled"
    assert [n.kind for n in shown] == [NoticeKind.RESTORED, NoticeKind.CANCELLED]
    assert "restored by the office" in shown[0].text
