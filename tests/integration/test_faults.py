"""Network faults between a real device and the real server: injected in the transport, and on the wire.

The first tests put ``FaultyTransport`` between the engine and its HTTP transport (exact, per call); the
others put ``FaultProxy``, a TCP proxy on loopback, between the device and the server, so the faults
are the ones a mobile network makes: connections refused, answers cut in the middle by a reset, slow
links. After each, the device and the server must agree, with every change applied exactly once.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from requests.adapters import HTTPAdapter

from fieldapp.app import Device
from fieldapp.domain.entities import Patient
from fieldapp.server.core import caseload
from fieldapp.server.models import AppliedMutation, Record
from fieldapp.store import outbox, repo, state
from fieldapp.store.models import OutboxRow, PatientRow
from fieldapp.transport.http import retry_policy
from tests.integration.conftest import LiveServer
from tests.integration.faultproxy import FaultProxy, Mode
from tests.integration.faulty import LOST, Fault, Planned, replica_snapshot, rewire, server_snapshot
from tests.server import helpers as h

HOUR_MS = 3_600_000


def _real_ms() -> int:
    return time.time_ns() // 1_000_000


def _server_row(live: LiveServer, record_id: uuid.UUID) -> Record:
    with live.database.read() as s:
        row = s.get(Record, record_id)
        assert row is not None
        return row


def _applied(live: LiveServer, device: Device) -> list[uuid.UUID]:
    with live.database.read() as s:
        return list(
            s.scalars(
                sa.select(AppliedMutation.mutation_id).where(
                    AppliedMutation.device_id == device.store.node_id
                )
            )
        )


def _edit(device: Device, record_id: uuid.UUID, **changes: Any) -> uuid.UUID:
    """Edit a patient on the device; returns the mutation id it queued."""
    with device.store.unit_of_work() as s:
        repo.update(s, device.store.clock, Patient, record_id, changes)
        return s.scalars(sa.select(OutboxRow.mutation_id).order_by(OutboxRow.seq.desc()).limit(1)).one()


def _local_stamps(device: Device, record_id: uuid.UUID) -> dict[str, str]:
    with device.store.read() as s:
        row = s.get(PatientRow, record_id)
        assert row is not None
        return dict(row.stamps)


@pytest.fixture
def nurse_with_patient(live_server: LiveServer, new_device: Callable[..., Device]) -> tuple[Device, Patient]:
    p = h.patient()
    live_server.office_writes(p)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    return tablet, p


# -- faults in the transport --------------------------------------------------------------------------------


@pytest.mark.parametrize("on", ["push", "pull"])
@pytest.mark.parametrize("fault", [Fault.LOSE_REQUEST, Fault.LOSE_REPLY, Fault.DUPLICATE])
def test_each_injected_fault_leaves_every_change_applied_exactly_once(
    live_server: LiveServer, nurse_with_patient: tuple[Device, Patient], fault: Fault, on: str
) -> None:
    tablet, p = nurse_with_patient
    rewire(tablet, plan=[Planned(fault, on)])
    mutation = _edit(tablet, p.id, phone="555-0606")
    arriving = h.patient()
    live_server.office_writes(arriving)
    live_server.assign("nurse", arriving.id)

    first = tablet.engine.run()

    if fault is Fault.DUPLICATE:  # a replayed request is invisible to the user
        # Pulled: the new patient only; the edited one does not come back (the tablet holds it as stored).
        assert first.ok and first.pushed == 1 and first.pulled == 1, first.error
    else:
        assert first.error == LOST and first.pending == (0 if on == "pull" else 1)
    second = tablet.engine.run()
    assert second.ok and second.pending == 0, second.error
    assert _applied(live_server, tablet) == [mutation]
    _assert_converged(live_server, tablet)
    with tablet.store.read() as s:
        assert repo.get(s, Patient, arriving.id) == arriving


@pytest.mark.parametrize("reply_lost", [False, True], ids=["unsent", "applied-but-unacknowledged"])
def test_a_clock_jump_restamps_only_the_changes_stamped_ahead(
    live_server: LiveServer, nurse_with_patient: tuple[Device, Patient], reply_lost: bool
) -> None:
    """Found by the convergence test: after a clock jump, the engine re-stamped every unsent change.

    A change stamped with a correct clock then moved to "server time + allowance": it beat edits made
    by others meanwhile. Worse, a change the server had already applied (its acknowledgement lost) got a
    new stamp the server never saw, so the tablet kept a state the server did not have, for good.
    """
    tablet, p = nurse_with_patient
    skew = [0]
    # One simulated clock as wall AND uptime clock: a jump of it is what an older version's wall-clock
    # stamps looked like, so the server's clock_ahead refusal and the engine's pull-back are exercised.
    faulty = rewire(tablet, physical_ms=lambda: _real_ms() + skew[0])
    assert tablet.engine.run().ok  # the re-opened timeline is anchored again (decision 0013)
    first = _edit(tablet, p.id, phone="555-0101")
    stamp = _local_stamps(tablet, p.id)["phone"]
    if reply_lost:
        faulty.plan(Planned(Fault.LOSE_REPLY, "push"))
        assert tablet.engine.run().error == LOST
        assert _server_row(live_server, p.id).stamps["phone"] == stamp, "the server applied it"
    skew[0] = 3 * HOUR_MS  # the tablet's clock jumps while it is offline
    _edit(tablet, p.id, care_plan="Insulin teaching; review glucose log each visit")

    result = tablet.engine.run()

    assert result.ok and result.rejected == 0 and result.pending == 0, result.error
    server = _server_row(live_server, p.id)
    local = _local_stamps(tablet, p.id)
    assert server.stamps["phone"] == local["phone"] == stamp, "a correctly stamped change keeps its stamp"
    assert server.stamps["care_plan"] == local["care_plan"], "the jumped change was re-stamped"
    assert int(server.stamps["care_plan"][:12], 16) < _real_ms() + 10 * 60_000
    assert sorted(_applied(live_server, tablet)) == sorted({first, *faulty.log.acknowledged})


def test_a_patient_assigned_again_is_not_evicted_by_an_eviction_that_waited(
    live_server: LiveServer, nurse_with_patient: tuple[Device, Patient]
) -> None:
    """The nurse edits a patient while a cycle runs, just as the office takes the patient off her caseload:
    the eviction waits for the edit to be pushed. If the office puts the patient back before the next
    cycle, that cycle delivers the patient again and must not then apply the old eviction."""
    tablet, p = nurse_with_patient
    faulty = rewire(tablet)
    live_server.unassign("nurse", p.id)
    faulty.plan(Planned(Fault.NONE, "pull", before=lambda: _edit(tablet, p.id, phone="555-0177")))
    first = tablet.engine.run()
    assert first.ok and first.evicted == 0 and first.pending == 1, first
    live_server.assign("nurse", p.id)

    second = tablet.engine.run()

    assert second.ok and second.pending == 0, second.error
    with tablet.store.read() as s:
        held = repo.get(s, Patient, p.id)
    assert held is not None, "the patient is on the caseload again but was removed from the tablet"
    assert held.phone == "555-0177"
    assert tablet.engine.run().pulled == 0


# -- faults on the wire --------------------------------------------------------------------------------------


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultProxy]:
    with FaultProxy(live_server.url) as running:
        yield running


def _through(new_device: Callable[..., Device], proxy: FaultProxy, username: str = "nurse") -> Device:
    """A device whose server is the proxy, retrying network errors quickly (same policy, less waiting)."""
    device: Device = new_device(username, server_url=proxy.url)
    adapter = HTTPAdapter(max_retries=retry_policy(total=2, backoff=0.01), pool_maxsize=4)
    device.transport.session.mount("http://", adapter)
    device.transport.interrupted_backoff_s = 0.01
    return device


def _assert_converged(live: LiveServer, device: Device) -> None:
    """The device holds exactly the server's state of every record on the nurse's caseload."""
    with live.database.read() as s:
        server = server_snapshot(s)
        active = set(caseload.caseload(s, live.users["nurse"]))
    expected = {rid: snap for rid, (patient_id, snap) in server.items() if patient_id in active}
    assert replica_snapshot(device.store) == expected
    with device.store.read() as s:
        assert outbox.pending_count(s) == 0


def _pending_ids(device: Device) -> list[uuid.UUID]:
    with device.store.read() as s:
        return [e.mutation_id for e in outbox.pending(s)]


def _patients_on_caseload(live: LiveServer, count: int) -> list[Patient]:
    patients = [h.patient(mrn=f"MRN-F{i:04d}") for i in range(count)]
    live.office_writes(*patients)
    for p in patients:
        live.assign("nurse", p.id)
    return patients


@pytest.mark.parametrize("cut_after", [-40, 12], ids=["in-the-headers", "in-the-body"])
def test_a_push_whose_answer_is_cut_is_applied_exactly_once(
    live_server: LiveServer, new_device: Callable[..., Device], proxy: FaultProxy, cut_after: int
) -> None:
    patients = _patients_on_caseload(live_server, 3)
    tablet = _through(new_device, proxy)
    assert tablet.engine.run().ok
    for n, p in enumerate(patients):
        _edit(tablet, p.id, phone=f"555-02{n:02d}")
    sent = _pending_ids(tablet)
    proxy.set(Mode.RESET, cut_path="/sync/push", cut_after=cut_after, times=1)

    first = tablet.engine.run()

    assert proxy.stats["reset"] == 1
    assert sorted(_applied(live_server, tablet)) == sorted(sent), "the server committed the push"
    # Cut in the headers (urllib3's retry) or in the body (the transport's own): the push is sent again at
    # once, and the server answers the replay with its first answer.
    assert first.ok and first.pushed == 3 and first.pending == 0, first.error
    assert sorted(_applied(live_server, tablet)) == sorted(sent), "each change applied exactly once"
    assert [_server_row(live_server, p.id).fields["phone"] for p in patients] == [
        "555-0200",
        "555-0201",
        "555-0202",
    ]
    _assert_converged(live_server, tablet)


def test_a_pull_cut_mid_page_keeps_the_cursor_and_the_next_cycle_delivers_the_rest_once(
    live_server: LiveServer, new_device: Callable[..., Device], proxy: FaultProxy
) -> None:
    patients = _patients_on_caseload(live_server, 25)
    tablet = _through(new_device, proxy)
    tablet.engine.page_size = 10
    proxy.set(Mode.RESET, cut_path="/sync/pull", skip=1, cut_after=200)  # the second page, every time

    first = tablet.engine.run()
    proxy.set(Mode.PASS)

    assert first.failure == "Interrupted" and first.error is not None and "interrupted" in first.error
    assert proxy.stats["reset"] == 1 + tablet.transport.interrupted_retries
    # The cycle failed, but the page it applied is reported, so the screens refresh those records.
    assert first.pulled == 10 and len(first.changes) == 10
    with tablet.store.read() as s:
        held = [seq for seq in s.scalars(sa.select(PatientRow.server_seq)) if seq is not None]
        cursor = state.cursor(s)
    assert len(held) == 10
    position = cursor.partition("r")[0]  # a cursor mid-feed also carries the count still to come
    assert position == f"s{max(held)}", "the cursor is where the applied page ended, not past the cut one"

    second = tablet.engine.run()

    assert second.ok and second.pulled == 15, second.error
    assert first.pulled + second.pulled == len(patients), "every record delivered exactly once"
    with tablet.store.read() as s:
        assert {row.id for row in s.scalars(sa.select(PatientRow))} == {p.id for p in patients}
    _assert_converged(live_server, tablet)


def test_while_the_network_drops_everything_the_cycle_fails_clearly_and_keeps_the_outbox(
    live_server: LiveServer, new_device: Callable[..., Device], proxy: FaultProxy
) -> None:
    patients = _patients_on_caseload(live_server, 2)
    tablet = _through(new_device, proxy)
    assert tablet.engine.run().ok
    _edit(tablet, patients[0].id, phone="555-0311")
    _edit(tablet, patients[1].id, care_plan="Fall-risk assessment; physiotherapy exercises daily")
    queued = _pending_ids(tablet)
    proxy.set(Mode.DROP)

    for _ in range(2):  # however often it tries
        offline = tablet.engine.run()
        assert offline.error == (
            "the office server cannot be reached (no connection); your changes are safe on this tablet"
        )
        assert offline.pending == 2 and offline.pushed == 0 and _pending_ids(tablet) == queued
    assert proxy.stats["dropped"] >= 2 and _applied(live_server, tablet) == []

    proxy.set(Mode.PASS)  # the network returns
    back = tablet.engine.run()

    assert back.ok and back.pushed == 2 and back.pending == 0, back.error
    assert sorted(_applied(live_server, tablet)) == sorted(queued)
    assert _server_row(live_server, patients[0].id).fields["phone"] == "555-0311"
    _assert_converged(live_server, tablet)


def test_a_slow_link_works_below_the_read_timeout_and_fails_clearly_above_it(
    live_server: LiveServer, new_device: Callable[..., Device], proxy: FaultProxy
) -> None:
    patients = _patients_on_caseload(live_server, 3)
    tablet = _through(new_device, proxy)
    tablet.transport.timeout = (5.0, 1.0)
    proxy.set(Mode.DELAY, delay_s=0.25)

    slow = tablet.engine.run()

    assert slow.ok and slow.pulled == 3, slow.error
    _edit(tablet, patients[0].id, phone="555-0420")
    queued = _pending_ids(tablet)
    proxy.set(Mode.DELAY, delay_s=1.2)  # request and answer each held longer than the read timeout

    too_slow = tablet.engine.run()

    assert too_slow.error is not None and "did not answer in time" in too_slow.error
    assert too_slow.pending == 1 and _pending_ids(tablet) == queued
    proxy.set(Mode.PASS)
    time.sleep(1.5)  # the late copies of the push still reach the server (they are replays after that)
    back = tablet.engine.run()
    assert back.ok and back.pending == 0, back.error
    assert sorted(_applied(live_server, tablet)) == sorted(queued), "applied once, however often it arrived"
    _assert_converged(live_server, tablet)


def test_two_tablets_converge_after_the_network_returns(
    live_server: LiveServer, new_device: Callable[..., Device], proxy: FaultProxy
) -> None:
    """One tablet edits behind a broken link while the other syncs directly; then the link heals."""
    patients = _patients_on_caseload(live_server, 4)
    behind = _through(new_device, proxy)
    direct = new_device("nurse")
    assert behind.engine.run().ok and direct.engine.run().ok
    proxy.set(Mode.RESET, cut_after=0)  # every answer cut right after its headers
    for n, p in enumerate(patients):
        _edit(behind, p.id, phone=f"555-05{n:02d}")
        _edit(direct, p.id, care_plan=CARE_PLAN)
        assert behind.engine.run().error is not None
        assert direct.engine.run().ok
    proxy.set(Mode.PASS)
    for _ in range(2):
        assert behind.engine.run().ok and direct.engine.run().ok
    _assert_converged(live_server, behind)
    _assert_converged(live_server, direct)
    assert replica_snapshot(behind.store) == replica_snapshot(direct.store)
    assert len(_applied(live_server, behind)) == len(patients)


CARE_PLAN = "Medication reconciliation after hospital discharge"


# -- no connection, an interrupted transfer, a refusal: three different sentences ---------------------------


def test_a_reply_cut_once_mid_body_is_fetched_again_and_the_cycle_succeeds(
    live_server: LiveServer, new_device: Callable[..., Device], proxy: FaultProxy
) -> None:
    patients = _patients_on_caseload(live_server, 12)
    tablet = _through(new_device, proxy)
    proxy.set(Mode.RESET, cut_path="/sync/pull", cut_after=300, times=1)

    result = tablet.engine.run()

    assert result.ok and result.pulled == len(patients), result.error
    assert proxy.stats["reset"] == 1


def test_the_three_failures_are_told_apart(
    live_server: LiveServer, new_device: Callable[..., Device], proxy: FaultProxy
) -> None:
    _patients_on_caseload(live_server, 12)
    tablet = _through(new_device, proxy)

    proxy.set(Mode.DROP)
    offline = tablet.engine.run()
    proxy.set(Mode.RESET, cut_path="/sync/pull", cut_after=300)
    cut = tablet.engine.run()
    proxy.set(Mode.PASS)
    with tablet.store.unit_of_work() as s:  # a cursor this server never gave out: its pull is refused
        state.save_cursor(s, "not-a-cursor")
    refused = tablet.engine.run()

    assert offline.failure == "Unreachable" and "cannot be reached (no connection)" in (offline.error or "")
    assert cut.failure == "Interrupted" and "the transfer was interrupted" in (cut.error or "")
    assert "will be retried" in (cut.error or "") and "no connection" not in (cut.error or "")
    assert refused.failure == "Refused" and (refused.error or "").startswith("the office server refused")
