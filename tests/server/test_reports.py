"""The end of a worker's day through the API: the visits worked, the report submitted with its PDF, and
the receipt that tells the worker, record by record, what the server holds."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fieldapp.domain.attestation import record_digest
from fieldapp.domain.entities import DayReport
from fieldapp.server.models import AppliedMutation, ConflictEntry, DayReportReceipt, Record
from tests.server import helpers as h
from tests.server.conftest import PASSWORD, Users
from tests.server.helpers import Device
from tests.server.scenario import DoneVisit, patient_on_caseload, rows, work_visit

TODAY = datetime.now(UTC).date()
PDF = b"%PDF-1.7\n% end-of-day report\n%%EOF\n"
SUMMARY = {
    "visits_scheduled": 2,
    "visits_completed": 1,
    "visits_missed": 0,
    "visits_unsigned": 1,
    "visits_missing_evv": 1,
    "notes": 3,
    "observations": 2,
    "unsent_changes": 0,
    "open_conflicts": 0,
}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def day_report(worker: uuid.UUID, day: date = TODAY, pdf: bytes = PDF, **overrides: Any) -> DayReport:
    values: dict[str, Any] = dict(
        worker_id=worker,
        day=day,
        summary=SUMMARY,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        submitted_at=datetime.now(UTC),
    )
    values.update(overrides)
    return DayReport(**values)


def submit(device: Device, *mutations: dict[str, Any]):  # type: ignore[no-untyped-def]
    return device.client.post(
        "/reports/day",
        headers=device.headers,
        json={"device_id": device.device_id, "mutations": list(mutations)},
    )


def items_of(receipt: dict[str, Any]) -> dict[tuple[str, uuid.UUID], str]:
    return {(i["entity"], uuid.UUID(i["record_id"])): i["sha256"] for i in receipt["items"]}


@dataclass
class Day:
    """The nurse's day: one visit worked and signed, one checked in with a note, and visits around it."""

    worked: DoneVisit
    unsigned: h.Visit
    unsigned_note: h.VisitNote
    others: dict[str, h.Visit]


@pytest.fixture
def day(client: TestClient, users: Users, office: Device, nurse: Device, aide: Device) -> Day:
    p1 = patient_on_caseload(client, office, users.nurse)
    p2 = patient_on_caseload(client, office, users.nurse)
    p3 = patient_on_caseload(client, office, users.aide)
    scheduled = h.visit(p1.id, users.nurse, at(TODAY, 9))
    unsigned = h.visit(p2.id, users.nurse, at(TODAY, 13))
    others = {
        # Just either side of the day in the agency's zone (UTC): not part of today's report.
        "late yesterday": h.visit(p1.id, users.nurse, at(TODAY - timedelta(days=1), 23, 30)),
        "early tomorrow": h.visit(p2.id, users.nurse, at(TODAY + timedelta(days=1), 0, 15)),
        "the aide's": h.visit(p3.id, users.aide, at(TODAY, 10)),
        "cancelled and deleted": h.visit(p2.id, users.nurse, at(TODAY, 16)),
    }
    office.push_ok(*[office.create(v) for v in [scheduled, unsigned, *others.values()]])
    office.push_ok(office.delete("visit", others["cancelled and deleted"].id))

    nurse.pull_all()
    worked = work_visit(nurse, scheduled)
    nurse.push_ok(nurse.update("visit", unsigned.id, {"status": "in_progress"}))
    unsigned_note = h.note(unsigned, users.nurse, text="Patient not home at first; came back at 13:20.")
    nurse.push_ok(nurse.create(unsigned_note))
    aide.pull_all()
    aide.push_ok(aide.create(h.note(others["the aide's"], users.aide)))
    return Day(worked, unsigned, unsigned_note, others)


def test_receipt_lists_exactly_the_workers_visits_of_the_day_with_digests_the_device_can_check(
    client: TestClient, users: Users, nurse: Device, day: Day
) -> None:
    pdf_sha = nurse.upload(PDF, "application/pdf")
    report = day_report(users.nurse)

    response = submit(nurse, nurse.create(report))

    assert response.status_code == 200, response.text
    receipt = response.json()
    assert receipt["report_id"] == str(report.id)
    assert receipt["worker_id"] == str(users.nurse)
    assert receipt["day"] == TODAY.isoformat()
    assert receipt["pdf_sha256"] == pdf_sha
    worked = day.worked
    expected = {
        ("visit", worked.visit.id),
        ("visit", day.unsigned.id),
        *(("visit_note", n.id) for n in [*worked.notes, day.unsigned_note]),
        *(("observation", o.id) for o in worked.observations),
        ("signature", worked.signature.id),
    }
    assert set(items_of(receipt)) == expected
    assert len(receipt["items"]) == len(expected)

    # The device checks each digest against its own copy of the records.
    nurse.pull_all()
    for (entity, record_id), digest in items_of(receipt).items():
        assert nurse.replica[record_id][0] == entity
        assert digest == record_digest(entity, str(record_id), nurse.values(record_id)), (entity, record_id)
    # ...which holds exactly what the nurse wrote for the records she created.
    for record_id, wire in worked.wire.items():
        assert nurse.values(record_id) == wire
    assert nurse.values(worked.visit.id)["signature_id"] == str(worked.signature.id)
    # The signature was made over the content the server holds (no attestation mismatch was flagged).
    assert rows(client, ConflictEntry) == 0


def test_receipt_digest_changes_when_the_record_changes(
    client: TestClient, users: Users, office: Device, nurse: Device, day: Day
) -> None:
    nurse.upload(PDF, "application/pdf")
    report = day_report(users.nurse)
    first = items_of(submit(nurse, nurse.create(report)).json())
    office.pull_all()
    # The office changes what it owns (decision 0021: the worker's status is the field's).
    office.push_ok(office.update("visit", day.unsigned.id, {"service_code": "T1019"}))

    later = client.get(f"/reports/day/{report.id}/receipt", headers=nurse.headers)

    assert later.status_code == 200
    now = items_of(later.json())
    assert now[("visit", day.unsigned.id)] != first[("visit", day.unsigned.id)]
    assert {k: v for k, v in now.items() if k[1] != day.unsigned.id} == {
        k: v for k, v in first.items() if k[1] != day.unsigned.id
    }


def test_submitting_the_same_report_again_returns_a_receipt_and_stores_nothing_twice(
    client: TestClient, users: Users, nurse: Device, day: Day
) -> None:
    nurse.upload(PDF, "application/pdf")
    report = day_report(users.nurse)
    mutation = nurse.create(report)
    first = submit(nurse, mutation)
    assert first.status_code == 200

    again = submit(nurse, mutation)  # the answer was lost on the way: the device sends the same mutation

    assert again.status_code == 200, again.text
    assert items_of(again.json()) == items_of(first.json())
    assert again.json()["report_id"] == str(report.id)
    assert rows(client, Record, Record.entity == "day_report") == 1
    assert rows(client, DayReportReceipt) == 1
    assert rows(client, AppliedMutation, AppliedMutation.record_id == report.id) == 1


def test_a_report_whose_pdf_was_not_uploaded_is_refused(
    client: TestClient, users: Users, nurse: Device
) -> None:
    report = day_report(users.nurse, pdf=b"%PDF never uploaded")

    response = submit(nurse, nurse.create(report))

    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "blob_missing"
    assert [r["code"] for r in body["rejected"]] == ["blob_missing"]
    assert report.pdf_sha256 in body["message"]
    assert rows(client, Record, Record.entity == "day_report") == 0
    assert rows(client, DayReportReceipt) == 0


def test_a_worker_cannot_submit_another_workers_report(
    client: TestClient, users: Users, nurse: Device, aide: Device
) -> None:
    nurse.upload(PDF, "application/pdf")

    response = submit(nurse, nurse.create(day_report(users.aide)))

    assert response.status_code == 403
    assert response.json()["error"] == "not_yours"
    assert rows(client, Record, Record.entity == "day_report") == 0
    assert rows(client, DayReportReceipt) == 0


def test_who_may_read_a_receipt(
    client: TestClient, users: Users, office: Device, nurse: Device, aide: Device
) -> None:
    nurse.upload(PDF, "application/pdf")
    report = day_report(users.nurse)
    assert submit(nurse, nurse.create(report)).status_code == 200
    url = f"/reports/day/{report.id}/receipt"

    own = client.get(url, headers=nurse.headers)
    assert own.status_code == 200
    assert own.json()["worker_id"] == str(users.nurse)
    foreign = client.get(url, headers=aide.headers)
    assert foreign.status_code == 403
    assert foreign.json()["error"] == "forbidden"
    assert "items" not in foreign.json()
    assert client.get(url, headers=office.headers).status_code == 200
    assert client.get(url).status_code == 401
    unknown = client.get(f"/reports/day/{uuid.uuid4()}/receipt", headers=nurse.headers)
    assert unknown.status_code == 404


def test_the_office_may_submit_a_report_for_a_worker(
    client: TestClient, users: Users, office: Device, day: Day
) -> None:
    office.upload(PDF, "application/pdf")
    response = submit(office, office.create(day_report(users.nurse)))
    assert response.status_code == 200, response.text
    assert ("visit", day.unsigned.id) in items_of(response.json())


def test_only_a_single_day_report_mutation_is_accepted(
    client: TestClient, users: Users, office: Device, nurse: Device
) -> None:
    nurse.upload(PDF, "application/pdf")
    p = patient_on_caseload(client, office, users.nurse)
    v = h.visit(p.id, users.nurse, at(TODAY, 9))
    office.push_ok(office.create(v))
    before = rows(client, Record)
    note = nurse.create(h.note(v, users.nurse))
    report = nurse.create(day_report(users.nurse))
    second_report = nurse.create(day_report(users.nurse))

    for mutations in ([note], [report, note], [report, second_report]):
        response = submit(nurse, *mutations)
        assert response.status_code == 422, response.text
        assert response.json()["error"] == "not_a_day_report"
    assert rows(client, Record) == before
    assert rows(client, DayReportReceipt) == 0


def test_a_submitted_report_cannot_be_changed(client: TestClient, users: Users, nurse: Device) -> None:
    nurse.upload(PDF, "application/pdf")
    report = day_report(users.nurse)
    assert submit(nurse, nurse.create(report)).status_code == 200
    nurse.pull_all()
    before = nurse.values(report.id)

    changed = nurse.update("day_report", report.id, {"summary": {**SUMMARY, "visits_completed": 2}})
    for response in (submit(nurse, changed), nurse.push(changed)):
        assert response.status_code == 422, response.text
        assert [r["code"] for r in response.json()["rejected"]] == ["immutable"]
    deleted = nurse.push(nurse.delete("day_report", report.id))
    assert deleted.status_code == 422
    assert [r["code"] for r in deleted.json()["rejected"]] == ["undeletable"]

    nurse.pull_all()
    assert nurse.values(report.id) == before
    assert rows(client, Record, Record.entity == "day_report", Record.deleted.is_not(None)) == 0


def test_the_day_follows_the_agency_time_zone(
    app_factory: Callable[..., TestClient], users: Users, office: Device, nurse: Device
) -> None:
    ny = app_factory(agency_timezone="America/New_York")
    office_ny = Device.sign_in(ny, "office", PASSWORD, "office2")
    nurse_ny = Device.sign_in(ny, "nurse", PASSWORD, "tablet3")
    p = patient_on_caseload(ny, office_ny, users.nurse)
    # 02:30 UTC is still the evening before in New York; 14:00 UTC is that day's afternoon.
    evening = h.visit(p.id, users.nurse, at(TODAY, 2, 30))
    afternoon = h.visit(p.id, users.nurse, at(TODAY, 14))
    office_ny.push_ok(office_ny.create(evening), office_ny.create(afternoon))
    nurse_ny.upload(PDF, "application/pdf")

    yesterday = submit(nurse_ny, nurse_ny.create(day_report(users.nurse, TODAY - timedelta(days=1))))
    today = submit(nurse_ny, nurse_ny.create(day_report(users.nurse, TODAY)))

    assert set(items_of(yesterday.json())) == {("visit", evening.id)}
    assert set(items_of(today.json())) == {("visit", afternoon.id)}
