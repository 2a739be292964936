"""Issue 18, on both databases: the server's sweep for missed visits (idempotent, merged with the tablet's
own "missed" record, withdrawn when a late check-in arrives), the agency's verification thresholds (set on
its card, sent to the tablets, applied by the office), each exception's stored day (the queue's index), and
the visits board's "verified" (only approved or clean visits)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain.entities import Visit, VisitException, parse
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.domain.people import AgencyCard
from fieldapp.domain.verification import Verification
from fieldapp.server.database import Database
from fieldapp.server.exceptions import queries as exception_views
from fieldapp.server.exceptions.sweep import sweep_missed
from fieldapp.server.exports.stored import stored_exception, stored_visit
from fieldapp.server.models import Record
from fieldapp.server.settings import Settings
from fieldapp.server.visits.queries import visit_board
from fieldapp.sync.protocol import AccountProfile
from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import Users
from tests.server.helpers import Device
from tests.server.test_evv_office import DAY, HOME, at, exception, worked

MISSED = ExceptionCode.MISSED_VISIT


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    from fieldapp.server.auth import passwords

    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


def _sweep(client: TestClient, now: datetime) -> int:
    database: Database = db.database(client)
    settings: Settings = db.settings(client)
    with database.write() as session:
        return sweep_missed(session, settings, now)


def _missed_record(client: TestClient, visit: Visit) -> dict[str, Any] | None:
    row = db.record(client, exception_id(visit.id, MISSED))
    return None if row is None else {**row.fields, "day": row.day}


@pytest.fixture
def scheduled(client: TestClient, users: Users, office: Device) -> Visit:
    """A visit of the nurse's, two days ago, never started."""
    p = h.patient(address=HOME)
    v = h.visit(p.id, users.nurse, at("09:00"))
    office.push_ok(office.create(p), office.create(v))
    db.assign(office, users.nurse, p.id)
    return v


def test_the_sweep_records_a_visit_never_started_once(client: TestClient, scheduled: Visit) -> None:
    assert _sweep(client, at("10:30")) == 0  # an hour after the end not over yet
    assert _sweep(client, at("11:01")) == 1
    record = _missed_record(client, scheduled)
    assert record is not None and record["code"] == MISSED.value and record["reason"] is None
    assert record["day"] == DAY and not record["withdrawn"]
    assert _sweep(client, at("11:30")) == 0  # again: nothing changes
    with db.database(client).read() as session:
        found = exception_views.exception_queue(session, DAY)
    assert [(i.visit_id, i.code) for i in found.items] == [(scheduled.id, MISSED.value)]


def test_the_tablets_own_missed_record_merges_with_the_sweeps(
    client: TestClient, scheduled: Visit, nurse: Device
) -> None:
    _sweep(client, at("11:01"))
    nurse.pull_all()
    mine = exception(scheduled, MISSED, ExceptionReason.CLIENT_NOT_HOME)  # the same id: uuid5(visit, code)
    nurse.push_ok(nurse.update("visit", scheduled.id, {"status": "missed"}), nurse.create(mine))
    record = _missed_record(client, scheduled)
    assert record is not None and record["reason"] == "client_not_home" and not record["withdrawn"]
    assert _sweep(client, at("12:00")) == 0  # explained by the worker: the sweep leaves it alone
    with db.database(client).read() as session:
        assert exception_views.exception_queue(session, DAY).total == 1


def test_a_late_check_in_withdraws_the_sweeps_record(
    client: TestClient, scheduled: Visit, nurse: Device
) -> None:
    _sweep(client, at("11:01"))
    nurse.pull_all()
    checked_in = {"device_time": at("09:10").isoformat(), "server_time": at("09:10").isoformat()}
    nurse.push_ok(nurse.update("visit", scheduled.id, {"check_in": checked_in, "status": "in_progress"}))
    assert _sweep(client, at("11:30")) == 1
    record = _missed_record(client, scheduled)
    assert record is not None and record["withdrawn"]
    with db.database(client).read() as session:
        assert exception_views.exception_queue(session, DAY).total == 0


def test_an_exceptions_day_follows_its_visit(client: TestClient, users: Users, office: Device) -> None:
    p = h.patient(address=HOME)
    v = h.visit(p.id, users.nurse, at("11:00"))
    late = exception(v, ExceptionCode.MISSED_VISIT)
    office.push_ok(office.create(late))  # before its visit: no day yet
    assert db.record(client, late.id).day is None  # type: ignore[union-attr]
    office.push_ok(office.create(p), office.create(v))
    assert db.record(client, late.id).day == DAY  # type: ignore[union-attr]
    office.pull_all()
    moved = {"scheduled_start": (at("11:00") + timedelta(days=1)).isoformat()}
    moved["scheduled_end"] = (at("12:00") + timedelta(days=1)).isoformat()
    office.push_ok(office.update("visit", v.id, moved))
    assert db.record(client, late.id).day == DAY + timedelta(days=1)  # type: ignore[union-attr]


def _agency(office: Device, **values: Any) -> Any:
    return office.client.put("/admin/agency", headers=office.headers, json=values)


def test_the_agencys_thresholds_are_set_sent_and_applied(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = h.patient(address=HOME)
    late = worked(p, users.nurse, "11:00", "11:40", "12:00")  # 40 min late, 20 of 60 minutes
    office.push_ok(office.create(p), office.create(late))
    db.assign(office, users.nurse, p.id)

    def state() -> Verification:
        with db.database(client).read() as session:
            found = exception_views.visit_verification(session, late.id, datetime.now(UTC))
        assert found is not None
        return found.state

    assert state() is Verification.PENDING
    refused = _agency(office, far_m=5, short_visit_pct=101)
    assert refused.status_code == 422 and "far_m" in refused.text and "short_visit_pct" in refused.text
    answer = _agency(office, late_after_min=45, short_visit_pct=30)
    assert answer.status_code == 200, answer.text
    assert state() is Verification.VERIFIED  # 40 min late within 45, 20 of 60 minutes over 30 %
    card = AccountProfile.parse(nurse.client.get("/account", headers=nurse.headers).content).agency
    assert (card.late_after_min, card.short_visit_pct, card.far_m) == (45, 30, 400)
    assert card.evv_policy.late_check_in == timedelta(minutes=45) and card.evv_policy.too_short == 0.3
    assert AgencyCard().evv_policy.far_m == 400.0


def test_the_board_counts_only_approved_or_clean_visits_as_verified(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = h.patient(address=HOME)
    clean = worked(p, users.nurse, "09:00", "09:02", "09:58")
    late = worked(p, users.nurse, "11:00", "11:40", "12:00")
    office.push_ok(office.create(p), office.create(clean), office.create(late))
    db.assign(office, users.nurse, p.id)
    held = [exception(late, code, reason) for code, reason in (
        (ExceptionCode.LATE_CHECK_IN, ExceptionReason.TRAFFIC_OR_TRAVEL),
        (ExceptionCode.VISIT_TOO_SHORT, ExceptionReason.CLIENT_REQUEST),
    )]  # fmt: skip
    nurse.push_ok(*(nurse.create(e) for e in held))

    def board() -> dict[uuid.UUID, tuple[bool, int, int]]:
        with db.database(client).read() as session:
            (worker,) = visit_board(session, DAY, users.nurse)
        return {v.id: (v.verified, v.open_exceptions, v.approved_exceptions) for v in worker.visits}

    assert board() == {clean.id: (True, 0, 0), late.id: (False, 2, 0)}
    decided = office.client.post(
        "/admin/exceptions/decide",
        headers=office.headers,
        json={"ids": [str(e.id) for e in held], "decision": "approved", "note": ""},
    )
    assert decided.status_code == 200, decided.text
    assert board() == {clean.id: (True, 0, 0), late.id: (True, 0, 2)}


def test_stored_rows_read_back_as_validated_ones(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    p = h.patient(address=HOME)
    late = worked(p, users.nurse, "11:00", "11:40", "12:00")
    corrected = late.revise(
        check_out_correction={
            "corrected_time": at("12:05"),
            "reason": "forgot_check_out",
            "corrected_at": at("13:00"),
        },
        series_id=uuid.uuid4(),
        external_id="EXT-1",
    )
    plain = h.visit(p.id, users.nurse, at("15:00"))
    office.push_ok(office.create(p), office.create(corrected), office.create(plain))
    db.assign(office, users.nurse, p.id)
    plain_exception = exception(late, ExceptionCode.LATE_CHECK_IN).model_dump()
    resolution = {"decision": "approved", "by": "office", "at": at("13:00"), "note": "ok"}
    decided = parse(
        VisitException,
        {**plain_exception, "reason": "other", "note": "car broke down", "resolution": resolution},
    )
    office.push_ok(office.create(decided), office.create(exception(late, ExceptionCode.VISIT_TOO_SHORT)))
    with db.database(client).read() as session:
        rows = session.execute(
            sa.select(Record.id, Record.entity, Record.patient_id, Record.worker_id, Record.fields).where(
                Record.entity.in_(("visit", "visit_exception"))
            )
        ).all()
    assert len(rows) == 4
    for row in rows:
        if row.entity == "visit":
            assert stored_visit(row) == parse(Visit, {"id": str(row.id), **row.fields})
        else:
            expected = parse(VisitException, {"id": str(row.id), **row.fields})
            assert stored_exception(row.id, row.fields) == expected
