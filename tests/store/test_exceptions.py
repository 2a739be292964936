"""The tablet's exception records follow the visit: found at each step, reopened, withdrawn, explained,
"missed" with a reason and undone only before it is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fieldapp.domain.entities import Visit, VisitException
from fieldapp.domain.errors import DomainError, ImmutableError, ValidationError
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, ExceptionState, exception_id
from fieldapp.domain.values import Address, CorrectionReason, Location, LocationKind, VisitStatus
from fieldapp.store import exceptions, outbox, repo, workflows
from fieldapp.store.local import LocalStore
from fieldapp.store.repo import NotFoundError
from tests import factories as f

C = ExceptionCode
HOME = Address(line1="12 Orchard Lane", city="Millbrook", latitude=41.785, longitude=-73.694)
AT_HOME = Location(kind=LocationKind.GPS, latitude=41.7851, longitude=-73.6941, accuracy_m=8)
FAR = Location(kind=LocationKind.GPS, latitude=41.803, longitude=-73.694, accuracy_m=8)


@pytest.fixture
def visit_now(store: LocalStore) -> Visit:
    """A visit scheduled to start now (checking in now is on time)."""
    p = f.patient(address=HOME)
    start = datetime.now(UTC).replace(second=0, microsecond=0)
    v = f.visit(p.id, scheduled_start=start, scheduled_end=start + timedelta(hours=1))
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        repo.add(s, store.clock, v)
    return v


def held(store: LocalStore, v: Visit) -> dict[ExceptionCode, VisitException]:
    with store.read() as s:
        return {e.code: e for e in exceptions.for_visit(s, v.id)}


def step(store: LocalStore, v: Visit, work, **explained) -> None:  # type: ignore[no-untyped-def]
    with store.unit_of_work() as s:
        work(s)
        exceptions.reconcile(s, store.clock, v.id, explained=explained.get("explained"))


def test_an_on_time_check_in_at_home_finds_nothing(store: LocalStore, visit_now: Visit) -> None:
    step(store, visit_now, lambda s: workflows.check_in(s, store.clock, visit_now.id, AT_HOME))
    assert held(store, visit_now) == {}


def test_a_check_in_without_gps_records_the_device_s_reason(store: LocalStore, visit_now: Visit) -> None:
    why = {C.LOCATION_MISSING: (ExceptionReason.NO_FIX_IN_TIME, "")}
    home = Location(kind=LocationKind.HOME)
    step(store, visit_now, lambda s: workflows.check_in(s, store.clock, visit_now.id, home), explained=why)
    record = held(store, visit_now)[C.LOCATION_MISSING]
    assert record.id == exception_id(visit_now.id, C.LOCATION_MISSING)
    assert record.reason is ExceptionReason.NO_FIX_IN_TIME and record.state is ExceptionState.OPEN
    assert record.worker_id == visit_now.worker_id and record.patient_id == visit_now.patient_id
    with store.read() as s:  # queued for the office like any record
        assert any(e.entity == "visit_exception" for e in outbox.pending(s))

    with store.unit_of_work() as s:
        exceptions.explain(s, store.clock, record.id, ExceptionReason.OTHER, "Basement flat, no signal")
    assert held(store, visit_now)[C.LOCATION_MISSING].note == "Basement flat, no signal"
    with pytest.raises(ValidationError, match="does not apply"), store.unit_of_work() as s:
        exceptions.explain(s, store.clock, record.id, ExceptionReason.CLIENT_REFUSED)


def test_far_from_home_then_a_short_visit(store: LocalStore, visit_now: Visit) -> None:
    step(store, visit_now, lambda s: workflows.check_in(s, store.clock, visit_now.id, FAR))
    assert list(held(store, visit_now)) == [C.LOCATION_FAR]
    step(store, visit_now, lambda s: workflows.check_out(s, store.clock, visit_now.id, AT_HOME))
    found = held(store, visit_now)
    assert list(found) == [C.EARLY_CHECK_OUT, C.VISIT_TOO_SHORT, C.LOCATION_FAR]
    assert found[C.LOCATION_FAR].detail.startswith("check-in 2,0")  # the check-out was at home


def test_a_gps_check_in_without_a_fix_at_check_out_is_missing_there(
    store: LocalStore, visit_now: Visit
) -> None:
    step(store, visit_now, lambda s: workflows.check_in(s, store.clock, visit_now.id, AT_HOME))
    step(store, visit_now, lambda s: workflows.check_out(s, store.clock, visit_now.id, None))
    with store.read() as s:
        v = repo.get(s, Visit, visit_now.id)
    assert v is not None and v.check_out is not None and v.check_out.location is None  # not copied
    assert held(store, visit_now)[C.LOCATION_MISSING].detail == "no GPS position at check-out"


def test_a_correction_is_manual_time(store: LocalStore, visit_now: Visit) -> None:
    step(store, visit_now, lambda s: workflows.check_in(s, store.clock, visit_now.id, AT_HOME))
    when = visit_now.scheduled_start + timedelta(minutes=1)
    step(
        store,
        visit_now,
        lambda s: workflows.correct_time(
            s, store.clock, visit_now.id, "check_in", when, CorrectionReason.FORGOT_TO_CHECK_IN
        ),
    )
    assert C.MANUAL_TIME in held(store, visit_now)


def test_missed_needs_a_reason_and_is_undone_until_sent(store: LocalStore, visit_now: Visit) -> None:
    with pytest.raises(ValidationError, match="why the visit was missed"), store.unit_of_work() as s:
        exceptions.mark_missed(s, store.clock, visit_now.id)
    with pytest.raises(ValidationError), store.unit_of_work() as s:
        exceptions.mark_missed(s, store.clock, visit_now.id, ExceptionReason.OTHER)  # no note
    with store.read() as s:  # refused: nothing changed
        assert repo.get(s, Visit, visit_now.id).status is VisitStatus.SCHEDULED  # type: ignore[union-attr]

    with store.unit_of_work() as s:
        exceptions.mark_missed(s, store.clock, visit_now.id, ExceptionReason.CLIENT_HOSPITALISED, "St Luke's")
    record = held(store, visit_now)[C.MISSED_VISIT]
    assert record.reason is ExceptionReason.CLIENT_HOSPITALISED and record.note == "St Luke's"
    with store.read() as s:
        assert exceptions.missed_undoable(s, visit_now.id)

    with store.unit_of_work() as s:
        exceptions.undo_missed(s, store.clock, visit_now.id)
    assert held(store, visit_now)[C.MISSED_VISIT].state is ExceptionState.WITHDRAWN
    with store.read() as s:
        assert repo.get(s, Visit, visit_now.id).status is VisitStatus.SCHEDULED  # type: ignore[union-attr]

    # Missed again: the same record reopens, with the new reason.
    with store.unit_of_work() as s:
        exceptions.mark_missed(s, store.clock, visit_now.id, ExceptionReason.CLIENT_NOT_HOME)
    again = held(store, visit_now)[C.MISSED_VISIT]
    assert again.id == record.id and again.state is ExceptionState.OPEN
    assert again.reason is ExceptionReason.CLIENT_NOT_HOME

    with store.unit_of_work() as s:  # the sync sends everything
        outbox.acknowledge(s, [entry.mutation_id for entry in outbox.pending(s)])
    with store.read() as s:
        assert not exceptions.missed_undoable(s, visit_now.id)
    with pytest.raises(DomainError, match="already been sent"), store.unit_of_work() as s:
        exceptions.undo_missed(s, store.clock, visit_now.id)


def test_missed_is_refused_once_started_or_for_an_unknown_visit(store: LocalStore, visit_now: Visit) -> None:
    step(store, visit_now, lambda s: workflows.check_in(s, store.clock, visit_now.id, AT_HOME))
    with pytest.raises(DomainError, match="in progress"), store.unit_of_work() as s:
        exceptions.mark_missed(s, store.clock, visit_now.id, ExceptionReason.CLIENT_NOT_HOME)
    with pytest.raises(NotFoundError), store.unit_of_work() as s:
        exceptions.mark_missed(s, store.clock, f.patient().id, ExceptionReason.CLIENT_NOT_HOME)


def test_a_decided_exception_is_left_alone(store: LocalStore, visit_now: Visit) -> None:
    step(store, visit_now, lambda s: workflows.check_in(s, store.clock, visit_now.id, FAR))
    record_id = exception_id(visit_now.id, C.LOCATION_FAR)
    decision = {"decision": "approved", "by": "Maria Office", "at": datetime.now(UTC), "note": ""}
    with store.unit_of_work() as s:  # as the office's decision arrives by a pull
        repo.update(s, store.clock, VisitException, record_id, {"resolution": decision})
    with pytest.raises(ImmutableError, match="already approved"), store.unit_of_work() as s:
        exceptions.explain(s, store.clock, record_id, ExceptionReason.CLIENT_ELSEWHERE)
    with store.unit_of_work() as s:  # later steps leave a decided record as the office decided it
        workflows.correct_time(
            s, store.clock, visit_now.id, "check_in", datetime.now(UTC), CorrectionReason.DEVICE_FAILURE
        )
        changes = exceptions.reconcile(s, store.clock, visit_now.id)
    assert all(c.record_id != record_id for c in changes)
    assert held(store, visit_now)[C.LOCATION_FAR].state is ExceptionState.APPROVED
