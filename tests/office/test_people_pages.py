"""The office names its workers (full name, credential, phone) and its agency; the day report's summary
says exactly what happened (missed, unsigned and unverified counts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from fieldapp.domain.verification import Verification
from fieldapp.server.reports.queries import day_sentence
from fieldapp.server.visits.queries import VisitRow
from fieldapp.sync.protocol import AccountProfile
from tests.office.conftest import Browser, Users
from tests.server import helpers as h
from tests.server.helpers import Device
from tests.server.scenario import patient_on_caseload, work_visit


def test_the_office_names_a_worker_with_credential_and_the_pages_use_it(
    signed_in: Browser, users: Users
) -> None:
    page = f"/office/workers/{users.nurse}"
    saved = signed_in.post(
        f"{page}/card", {"full_name": "Ana López", "credential": "HHA", "phone": "555-0142"}
    )
    assert saved.status_code == 303 and saved.headers["location"].endswith("ok=card_saved")
    shown = signed_in.get(page)
    assert "<h1>Ana López, HHA" in shown.text and 'value="555-0142"' in shown.text
    assert f'href="/office/schedule/hours/{users.nurse}"' in shown.text, "the worker's hours are a click away"
    assert "Ana López, HHA" in signed_in.get("/office/workers").text
    assert "Ana López, HHA</a>" in signed_in.get("/office/visits").text, "the board names workers too"


def test_a_bad_credential_is_shown_with_what_was_entered_and_nothing_is_saved(
    signed_in: Browser, users: Users
) -> None:
    page = f"/office/workers/{users.nurse}"
    refused = signed_in.post(f"{page}/card", {"full_name": "Ana López", "credential": "WIZARD", "phone": ""})
    assert (
        refused.status_code == 422 and 'aria-invalid="true"' in refused.text and "Ana López" in refused.text
    )
    assert "<h1>nurse" in signed_in.get(page).text
    without = signed_in.post(f"{page}/card", {"full_name": "Ana", "credential": "RN"}, csrf=None)
    assert without.status_code in (400, 403) and "<h1>nurse" in signed_in.get(page).text


def test_the_agency_page_sets_name_address_phone_and_the_late_grace(
    signed_in: Browser, client: TestClient
) -> None:
    values = {
        "name": "Sunrise Home Care",
        "address": "12 Main St",
        "phone": "555-0100",
        "late_after_min": "10",
    }
    assert signed_in.post("/office/agency", values).status_code == 303
    page = signed_in.get("/office/agency")
    assert 'value="Sunrise Home Care"' in page.text and 'value="10"' in page.text
    for bad in ({"late_after_min": "ten"}, {"late_after_min": "999"}, {"phone": "call us"}):
        refused = signed_in.post("/office/agency", {**values, **bad})
        assert refused.status_code == 422, bad
    assert 'value="10"' in signed_in.get("/office/agency").text, "nothing of a refused form is saved"


def test_the_agency_page_sets_the_units_the_tablets_use_for_vitals(signed_in: Browser) -> None:
    page = signed_in.get("/office/agency").text
    assert '<option value="[degF]" selected>' in page and '<option value="[lb_av]" selected>' in page
    values = {"name": "Clínica Sol", "late_after_min": "15", "temperature_unit": "Cel", "weight_unit": "kg"}
    assert signed_in.post("/office/agency", values).status_code == 303
    page = signed_in.get("/office/agency").text
    assert '<option value="Cel" selected>' in page and '<option value="kg" selected>' in page
    refused = signed_in.post("/office/agency", {**values, "temperature_unit": "K"})
    assert refused.status_code == 422 and "temperature_unit-problem" in refused.text
    older_form = {"name": "Clínica Sol", "late_after_min": "15"}  # a page from before the units
    assert signed_in.post("/office/agency", older_form).status_code == 303
    assert '<option value="Cel" selected>' in signed_in.get("/office/agency").text


def test_the_agency_page_sets_the_verification_thresholds(signed_in: Browser, nurse: Device) -> None:
    page = signed_in.get("/office/agency").text
    assert 'id="far_m"' in page and 'value="400"' in page and 'id="short_visit_pct"' in page
    values = {"far_m": "250", "short_visit_pct": "60", "late_check_out_min": "45"}
    assert signed_in.post("/office/agency", values).status_code == 303
    card = AccountProfile.parse(nurse.client.get("/account", headers=nurse.headers).content).agency
    assert (card.far_m, card.short_visit_pct, card.late_check_out_min) == (250, 60, 45)
    for bad in ({"far_m": "5"}, {"short_visit_pct": "150"}, {"long_visit_pct": "a lot"}):
        refused = signed_in.post("/office/agency", {**values, **bad})
        assert refused.status_code == 422 and 'aria-invalid="true"' in refused.text, bad
    again = AccountProfile.parse(nurse.client.get("/account", headers=nurse.headers).content).agency
    assert again == card, "nothing of a refused form is saved"


def test_a_day_with_six_of_seven_visits_missed_is_not_called_all_well(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    from tests.server.test_reports import PDF, day_report, submit

    p = patient_on_caseload(client, office, users.nurse)
    start = datetime.now(UTC).replace(hour=7, minute=0, second=0, microsecond=0)
    visits = [h.visit(p.id, users.nurse, start + timedelta(hours=i)) for i in range(7)]
    office.push_ok(*(office.create(v) for v in visits))
    nurse.pull_all()
    work_visit(nurse, visits[0])
    nurse.push_ok(*(nurse.update("visit", v.id, {"status": "missed"}) for v in visits[1:]))
    nurse.upload(PDF, "application/pdf")
    report = day_report(users.nurse, start.date())
    assert submit(nurse, nurse.create(report)).status_code == 200
    page = signed_in.get(f"/office/reports/{report.id}")
    # Worked with the place declared, not a GPS fix: a rule broken that nobody explained yet (not verified).
    assert "7 visits: 1 completed, 6 missed. Of the 1 visit worked: 1 not verified." in page.text
    assert "Every visit of the day is checked out" not in page.text
    listing = signed_in.get(f"/office/reports?day={start.date().isoformat()}")
    assert '<th class="num">Missed</th>' in listing.text and '<span class="no">6</span>' in listing.text


def _row(status: str, *, signed: bool = True, verified: bool = True) -> VisitRow:
    start = datetime(2026, 12, 3, 9, tzinfo=UTC)
    p = h.patient()
    times = {"scheduled_start": start, "scheduled_end": start, "check_in": None, "check_out": None}
    return VisitRow(
        id=p.id, patient_id=p.id, patient_name="X", worker_id=p.id, worker="w", service_code="T1019",
        status=status, elements={"times": True}, signed=signed, notes=0, vitals=0, **times,
        verification=Verification.VERIFIED if verified else Verification.PENDING,
    )  # fmt: skip


def test_the_day_sentence_counts_what_happened() -> None:
    assert day_sentence([]) == "No visits were scheduled."
    assert (
        day_sentence([_row("missed"), _row("cancelled")])
        == "2 visits: 1 missed, 1 cancelled. No visit was worked."
    )
    mixed = [
        _row("completed", signed=False),
        _row("completed", verified=False),
        _row("in_progress"),
        _row("scheduled"),
    ]
    assert day_sentence(mixed) == (
        "4 visits: 2 completed, 1 still in progress (no check-out), 1 not started. "
        "Of the 3 visits worked: 1 not signed, 1 not verified."
    )


def test_the_agency_page_sets_the_time_zone_and_the_board_reads_its_clock(
    signed_in: Browser, client: TestClient, office: Device, users: Users
) -> None:
    from zoneinfo import ZoneInfo

    values = {
        "name": "Sunrise",
        "address": "",
        "phone": "",
        "time_zone": "Asia/Tokyo",
        "late_after_min": "15",
    }
    assert signed_in.post("/office/agency", values).status_code == 303
    assert 'value="Asia/Tokyo"' in signed_in.get("/office/agency").text
    refused = signed_in.post("/office/agency", {**values, "time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 422 and "unknown time zone" in refused.text
    assert 'value="Asia/Tokyo"' in signed_in.get("/office/agency").text, "nothing of a refused form is saved"
    p = patient_on_caseload(client, office, users.nurse)
    start = (datetime.now(UTC) + timedelta(days=2)).replace(hour=0, minute=30, second=0, microsecond=0)
    office.push_ok(office.create(h.visit(p.id, users.nurse, start)))
    day = start.astimezone(ZoneInfo("Asia/Tokyo")).date()
    board = signed_in.get(f"/office/visits?day={day}")
    assert board.status_code == 200 and "09:30" in board.text, "00:30 UTC is 09:30 in Tokyo"
