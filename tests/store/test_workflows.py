"""The visit workflow and the read models the screens use."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from fieldapp.demodata import patients
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Visit
from fieldapp.domain.errors import DomainError, ImmutableError
from fieldapp.domain.evv import EvvElement
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.domain.values import CorrectionReason, Location, LocationKind, ObservationKind, SignerRole
from fieldapp.store import queries, replica, repo, workflows
from fieldapp.store.local import LocalStore
from tests import factories as f

GPS = Location(kind=LocationKind.GPS, latitude=41.78, longitude=-73.69, accuracy_m=12)


@pytest.fixture
def visit_today(store: LocalStore):  # type: ignore[no-untyped-def]
    p = f.patient()
    start = (datetime.now(UTC) - timedelta(hours=2)).replace(second=0, microsecond=0)
    v = f.visit(p.id, scheduled_start=start, scheduled_end=start + timedelta(hours=1))
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        repo.add(s, store.clock, v)
    return p, v


def test_a_whole_visit_fills_every_verification_element(store: LocalStore, visit_today) -> None:  # type: ignore[no-untyped-def]
    _, v = visit_today
    with store.read() as s:
        [summary] = queries.visits_on(s, f.WORKER, v.scheduled_start.date())
    assert set(summary.missing) == {EvvElement.DATE, EvvElement.LOCATION, EvvElement.TIMES}
    assert summary.allergies == ("Penicillin",) and "Orchard Lane" in summary.address
    with store.unit_of_work() as s:
        workflows.check_in(s, store.clock, v.id, GPS)
        workflows.add_note(s, store.clock, v.id, f.WORKER, "Wound clean; dressing changed.")
        workflows.add_observation(s, store.clock, v.id, ObservationKind.HEART_RATE, 76, "/min")
        workflows.check_out(s, store.clock, v.id)
    with store.read() as s:
        detail = queries.visit_detail(s, v.id)
    assert detail is not None and detail.missing == ()
    assert detail.visit.status == "completed" and len(detail.notes) == 1 and len(detail.observations) == 1
    check_in = detail.visit.check_in
    assert check_in is not None and check_in.location == GPS
    assert abs((check_in.server_time - check_in.device_time).total_seconds()) < 1  # offset 0 here
    with store.unit_of_work() as s:
        workflows.sign(
            s,
            store.clock,
            v.id,
            strokes=[[{"x": 1, "y": 2, "t": 0, "pressure": 0.7}]],
            image_sha256=hashlib.sha256(b"png").hexdigest(),
            signer_name="Zoë Núñez",
            signer_role=SignerRole.PATIENT,
            meaning="I confirm the care recorded above.",
        )
    with store.read() as s:
        signed = queries.visit_detail(s, v.id)
    assert signed is not None and signed.signature is not None and signed.visit.is_signed
    with pytest.raises(ImmutableError), store.unit_of_work() as s:
        workflows.correct_time(
            s, store.clock, v.id, "check_in", datetime.now(UTC), CorrectionReason.OTHER, "x"
        )


def test_check_in_uses_the_server_corrected_time_and_keeps_the_device_time(
    store: LocalStore, visit_today
) -> None:  # type: ignore[no-untyped-def]
    _, v = visit_today
    store.clock.offset_ms = -2 * 3_600_000  # the tablet is two hours fast
    with store.unit_of_work() as s:
        workflows.check_in(s, store.clock, v.id, Location(kind=LocationKind.HOME))
    with store.read() as s:
        detail = queries.visit_detail(s, v.id)
    assert detail is not None and detail.visit.check_in is not None
    gap = detail.visit.check_in.device_time - detail.visit.check_in.server_time
    assert timedelta(hours=2) - timedelta(seconds=1) < gap < timedelta(hours=2) + timedelta(seconds=1)


def test_forgotten_check_in_is_corrected_with_a_reason_keeping_the_original(
    store: LocalStore, visit_today
) -> None:  # type: ignore[no-untyped-def]
    _, v = visit_today
    with pytest.raises(DomainError, match="check in first"), store.unit_of_work() as s:
        workflows.check_out(s, store.clock, v.id)
    with store.unit_of_work() as s:
        workflows.correct_time(
            s, store.clock, v.id, "check_in", v.scheduled_start, CorrectionReason.FORGOT_TO_CHECK_IN
        )
        workflows.check_out(s, store.clock, v.id)
    with store.read() as s:
        detail = queries.visit_detail(s, v.id)
    assert detail is not None
    assert detail.visit.check_in is None and detail.visit.effective_check_in == v.scheduled_start
    assert EvvElement.LOCATION in detail.missing and EvvElement.TIMES not in detail.missing


def test_double_check_in_and_missing_visit_are_refused(store: LocalStore, visit_today) -> None:  # type: ignore[no-untyped-def]
    _, v = visit_today
    with store.unit_of_work() as s:
        workflows.check_in(s, store.clock, v.id, None)
    with pytest.raises(DomainError, match="already checked in"), store.unit_of_work() as s:
        workflows.check_in(s, store.clock, v.id, None)
    with pytest.raises(repo.NotFoundError), store.unit_of_work() as s:
        workflows.mark_missed(s, store.clock, uuid.uuid4())


def test_patient_search_over_ten_thousand_patients(store: LocalStore) -> None:
    office = HybridClock("office1")
    page = []
    for p in patients(10_000):  # as the first sync delivers them
        stamp = office.now()
        fields = {k: Versioned(v, stamp) for k, v in p.model_dump(mode="json").items() if k != "id"}
        page.append(replica.RemoteRecord("patient", p.id, RecordState(fields), seq=1))
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, page)
    with store.read() as s:
        assert queries.count_patients(s) == 10_000
        page = queries.search_patients(s, "", offset=200, limit=100)
        okafor = queries.search_patients(s, "okaf", limit=10_000)
        by_mrn = queries.search_patients(s, "MRN-100042")
        both = queries.search_patients(s, "ada okafor", limit=10_000)
    assert len(page) == 100 and [r.name for r in page] == sorted(r.name for r in page)
    assert okafor and all("Okafor" in r.name for r in okafor)
    assert [r.mrn for r in by_mrn] == ["MRN-100042"]
    assert all("Ada" in r.name and "Okafor" in r.name for r in both)


def test_a_visit_the_office_cancelled_is_not_started_or_marked_missed(store: LocalStore, visit_today) -> None:  # type: ignore[no-untyped-def]
    _, v = visit_today
    office = HybridClock("server0", physical_ms=lambda: store.clock.physical() + 1)
    cancel = office.now()
    state = RecordState(
        {"status": Versioned("cancelled", cancel), "cancel_reason": Versioned("Client in hospital", cancel)}
    )
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, [replica.RemoteRecord("visit", v.id, state, seq=9)])
    for act in (
        lambda s: workflows.check_in(s, store.clock, v.id, None),
        lambda s: workflows.mark_missed(s, store.clock, v.id),
    ):
        with (
            pytest.raises(DomainError, match="the office cancelled this visit: Client in hospital"),
            store.unit_of_work() as s,
        ):
            act(s)
    with store.read() as s:
        visit = repo.get(s, Visit, v.id)
    assert visit is not None and visit.is_cancelled and visit.check_in is None
