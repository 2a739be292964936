"""The office web pages over HTTP (TestClient), on SQLite and PostgreSQL: sign-in and its refusals,
sessions and CSRF, every page, and each form's effect through the services the tablets use."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain.clock import Stamp
from fieldapp.server.auth import office as office_auth
from fieldapp.server.models import (
    Assignment,
    AuthSession,
    Blob,
    ConflictEntry,
    DeviceClockSample,
    Record,
    User,
)
from fieldapp.server.models import (
    Device as DeviceRow,
)
from tests.office.conftest import Browser, Clock, Users
from tests.server import helpers as h
from tests.server.conftest import PASSWORD
from tests.server.helpers import Device
from tests.server.scenario import patient_on_caseload, rows, work_visit

PAGES = [
    "/office/visits",
    "/office/reports",
    "/office/patients",
    "/office/patients/new",
    "/office/workers",
    "/office/conflicts",
    "/office/fleet",
]


def record(client: TestClient, record_id: uuid.UUID) -> Record:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        row = session.get(Record, record_id)
        assert row is not None
        return row


def patients_count(client: TestClient) -> int:
    return rows(client, Record, Record.entity == "patient")


NEW_PATIENT = {
    "mrn": "MRN-77001",
    "family_name": "Lindqvist",
    "given_name": "Astrid",
    "date_of_birth": "1944-03-09",
    "sex": "female",
    "phone": "+1 845-555-0170",
    "active": "yes",
    "address_line1": "12 Orchard Lane",
    "address_line2": "",
    "address_city": "Millbrook",
    "address_region": "NY",
    "address_postal_code": "12545",
    "address_country": "US",
    "address_latitude": "41.78",
    "address_longitude": "-73.69",
    "ec_name": "Erik Lindqvist",
    "ec_relationship": "son",
    "ec_phone": "555-0101",
    "allergies": "Penicillin | hives | severe\r\nLatex",
    "diagnoses": "I50.9 | Heart failure, unspecified",
    "care_plan": "Daily weight.\r\nLow-sodium diet.",
}


# -- signing in ------------------------------------------------------------------------------------------


def test_pages_need_an_office_sign_in(browser: Browser) -> None:
    for path in PAGES:
        response = browser.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/office/login?next=")
    login = browser.get("/office/login")
    assert login.status_code == 200 and "Office sign-in" in login.text


def test_office_signs_in_and_every_page_renders_without_script(signed_in: Browser) -> None:
    for path in PAGES:
        response = signed_in.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert response.headers["content-type"].startswith("text/html")
        csp = response.headers["content-security-policy"]
        assert "style-src 'self'" in csp and "script" not in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["cache-control"] == "no-store"
        assert "<script" not in response.text and " on" + "click=" not in response.text
        assert 'name="csrf"' in response.text  # at least the sign-out form
    css = signed_in.get("/office/static/office.css")
    assert css.status_code == 200 and "min-height: 44px" in css.text


def test_session_cookies_are_httponly_strict_and_scoped_to_the_office(
    client: TestClient, users: Users
) -> None:
    browser = Browser(client)
    response = browser.sign_in()
    assert response.status_code == 303 and response.headers["location"] == "/office/visits"
    cookies = response.headers.get_list("set-cookie")
    names = {c.split("=", 1)[0] for c in cookies}
    assert {"fieldapp_office", "fieldapp_office_refresh", "fieldapp_office_csrf"} <= names
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/office" in cookie
        assert "Secure" not in cookie  # plain http here
    secure = Browser(TestClient(client.app, base_url="https://office.example"))
    assert all("Secure" in c for c in secure.sign_in().headers.get_list("set-cookie"))


def test_a_field_worker_is_refused_clearly_and_nothing_is_kept(browser: Browser, client: TestClient) -> None:
    sessions = rows(client, AuthSession)
    response = browser.sign_in("nurse")
    assert response.status_code == 403
    assert "field worker" in response.text and "tablet" in response.text
    assert rows(client, AuthSession) == sessions, "no session opened for the worker"
    assert rows(client, DeviceRow, DeviceRow.id.startswith("web")) == 0
    assert "fieldapp_office=" not in response.headers.get("set-cookie", "")
    assert browser.get("/office/visits").status_code == 303


def test_wrong_password_and_repeated_failures_are_refused_with_a_message(browser: Browser) -> None:
    response = browser.sign_in(password="wrong password")
    assert response.status_code == 401 and "Wrong user name or password" in response.text
    assert 'value="office"' in response.text, "the user name is shown again"
    for _ in range(5):
        response = browser.sign_in(password="wrong password")
    assert response.status_code == 429 and "try again in" in response.text


def test_sign_out_revokes_the_session(signed_in: Browser, client: TestClient) -> None:
    access = client.cookies.get("fieldapp_office")
    response = signed_in.post("/office/logout")
    assert response.status_code == 303 and response.headers["location"] == "/office/login?ok=signed_out"
    assert signed_in.get("/office/visits").status_code == 303
    stolen = TestClient(client.app)
    stolen.cookies.set("fieldapp_office", access or "", path="/office")
    assert stolen.get("/office/visits", follow_redirects=False).status_code == 303, "the token is revoked"


def test_disabling_the_account_takes_effect_at_the_next_request(
    signed_in: Browser, client: TestClient, users: Users
) -> None:
    assert signed_in.get("/office/visits").status_code == 200
    with client.app.state.database.write() as session:  # type: ignore[attr-defined]
        user = session.get(User, users.office)
        assert user is not None
        user.active = False
    assert signed_in.get("/office/visits").status_code == 303


def test_an_expired_access_token_is_renewed_but_an_idle_browser_is_signed_out(
    signed_in: Browser, client: TestClient, clock: Clock
) -> None:
    first = client.cookies.get("fieldapp_office")
    clock.advance(minutes=16)
    response = signed_in.get("/office/visits")
    assert response.status_code == 200
    assert client.cookies.get("fieldapp_office") != first, "a new access token was set"
    assert signed_in.get("/office/fleet").status_code == 200
    clock.advance(minutes=15 + 31)
    response = signed_in.get("/office/visits")
    assert response.status_code == 303 and "expired=1" in response.headers["location"]
    assert "without use" in signed_in.get(response.headers["location"]).text


# -- CSRF and bad input ----------------------------------------------------------------------------------


def test_a_form_without_the_right_token_is_refused_and_stores_nothing(
    signed_in: Browser, client: TestClient
) -> None:
    before = patients_count(client)
    for csrf in (None, "forged-token"):
        response = signed_in.post("/office/patients/new", NEW_PATIENT, csrf=csrf)
        assert response.status_code == 403 and "Nothing was saved" in response.text
    other_site = signed_in.post(
        "/office/patients/new", NEW_PATIENT, headers={"Origin": "https://evil.example"}
    )
    assert other_site.status_code == 403
    assert patients_count(client) == before
    assert signed_in.post("/office/patients/new", NEW_PATIENT).status_code == 303
    assert patients_count(client) == before + 1


def test_the_sign_in_form_needs_its_token_too(browser: Browser) -> None:
    browser.http.get("/office/login")
    response = browser.post("/office/login", {"username": "office", "password": PASSWORD}, csrf="nope")
    assert response.status_code == 403
    assert browser.get("/office/visits").status_code == 303


def test_bad_patient_input_is_reported_with_the_entered_values_and_nothing_is_stored(
    signed_in: Browser, client: TestClient
) -> None:
    before = rows(client, Record)
    bad = {
        **NEW_PATIENT,
        "family_name": "",
        "phone": "call the daughter",
        "date_of_birth": "1799-01-01",
        "address_latitude": "north",
        "allergies": "Penicillin | hives | deadly",
    }
    response = signed_in.post("/office/patients/new", bad)
    assert response.status_code == 422
    assert "Nothing was saved" in response.text
    problems = re.findall(r'<p class="problem" id="([a-z_0-9]+)-problem">', response.text)
    assert {"family_name", "phone", "date_of_birth", "address_latitude", "allergies"} <= set(problems)
    assert 'value="call the daughter"' in response.text and 'value="north"' in response.text
    assert rows(client, Record) == before


def test_office_registers_a_patient_stamped_by_its_browser_node(
    signed_in: Browser, client: TestClient
) -> None:
    response = signed_in.post("/office/patients/new", NEW_PATIENT)
    assert response.status_code == 303
    patient_id = uuid.UUID(response.headers["location"].split("/")[3].split("?")[0])
    row = record(client, patient_id)
    assert (
        row.fields["family_name"] == "Lindqvist"
        and row.fields["care_plan"] == "Daily weight.\nLow-sodium diet."
    )
    assert row.fields["allergies"][1] == {"substance": "Latex", "reaction": "", "severity": "unknown"}
    assert row.fields["address"]["latitude"] == 41.78
    nodes = {Stamp.decode(s).node for s in row.stamps.values()}
    assert nodes == {office_auth.browser_device_id("office")}
    page = signed_in.get(response.headers["location"])
    assert "Patient registered" in page.text and "Lindqvist" in page.text


# -- edits and the tablets --------------------------------------------------------------------------------


def test_an_unchanged_form_sends_nothing_and_an_edit_sends_only_its_field(
    signed_in: Browser, client: TestClient, office: Device
) -> None:
    p = patient_on_caseload(client, office, None)
    path = f"/office/patients/{p.id}"
    before = record(client, p.id)
    form = signed_in.form_values(path)
    response = signed_in.post(path, form)
    assert response.status_code == 303 and response.headers["location"].endswith("ok=unchanged")
    assert record(client, p.id).seq == before.seq
    response = signed_in.post(path, {**form, "phone": "555-0199"})
    assert response.status_code == 303 and response.headers["location"].endswith("ok=saved")
    after = record(client, p.id)
    assert after.fields["phone"] == "555-0199"
    changed = {name for name in after.stamps if after.stamps[name] != before.stamps[name]}
    assert changed == {"phone"}
    assert after.bases["phone"] == before.stamps["phone"]


@pytest.mark.parametrize("device_first", [True, False], ids=["device-edits-first", "office-edits-first"])
def test_office_phone_and_device_address_edits_both_survive(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users, device_first: bool
) -> None:
    p = patient_on_caseload(client, office, users.nurse)
    nurse.pull_all()
    path = f"/office/patients/{p.id}"
    form = signed_in.form_values(path)  # the office opens the form before either edit
    address = {"line1": "9 Birch Road", "line2": "", "city": "Rhinebeck", "region": "NY",
               "postal_code": "12572", "country": "US", "latitude": None, "longitude": None}  # fmt: skip
    if device_first:
        nurse.push_ok(nurse.update("patient", p.id, {"address": address}))
    response = signed_in.post(path, {**form, "phone": "+1 845-555-0111"})
    assert response.status_code == 303, response.text
    if not device_first:
        nurse.push_ok(nurse.update("patient", p.id, {"address": address}))
    values = record(client, p.id).fields
    assert values["phone"] == "+1 845-555-0111" and values["address"]["line1"] == "9 Birch Road"
    assert rows(client, ConflictEntry) == 0
    nurse.pull_all()
    assert nurse.values(p.id)["phone"] == "+1 845-555-0111"
    assert nurse.values(p.id)["address"]["city"] == "Rhinebeck"


def test_the_same_field_edited_on_both_sides_is_a_conflict_the_office_can_restore(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    p = patient_on_caseload(client, office, users.nurse)
    nurse.pull_all()
    path = f"/office/patients/{p.id}"
    form = signed_in.form_values(path)
    nurse.push_ok(nurse.update("patient", p.id, {"phone": "555-0001"}))  # made without seeing the office's
    assert signed_in.post(path, {**form, "phone": "555-0002"}).status_code == 303
    assert record(client, p.id).fields["phone"] == "555-0002"
    page = signed_in.get("/office/conflicts")
    assert "555-0001" in page.text and "555-0002" in page.text and "Restore lost value" in page.text
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        conflict = session.scalars(sa.select(ConflictEntry)).one()
    assert conflict.lost_value == "555-0001" and conflict.winner_value == "555-0002"
    assert Stamp.decode(conflict.lost_stamp).node == nurse.device_id
    response = signed_in.post(f"/office/conflicts/{conflict.id}/restore", {"back": "/office/conflicts"})
    assert response.status_code == 303 and "ok=restored" in response.headers["location"]
    assert record(client, p.id).fields["phone"] == "555-0001"
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        entry = session.get(ConflictEntry, conflict.id)
        assert entry is not None and entry.resolved_at is not None and entry.resolved_by == users.office
    assert rows(client, ConflictEntry, ConflictEntry.resolved_at.is_(None)) == 0, "no new conflict"
    nurse.pull_all()
    assert nurse.values(p.id)["phone"] == "555-0001"
    again = signed_in.post(f"/office/conflicts/{conflict.id}/restore", {})
    assert again.status_code == 409 and "already resolved" in again.text


def test_keep_current_resolves_a_conflict_without_writing(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    p = patient_on_caseload(client, office, users.nurse)
    nurse.pull_all()
    form = signed_in.form_values(f"/office/patients/{p.id}")
    nurse.push_ok(nurse.update("patient", p.id, {"care_plan": "Nurse's plan"}))
    assert signed_in.post(f"/office/patients/{p.id}", {**form, "care_plan": "Office plan"}).status_code == 303
    seq = record(client, p.id).seq
    [conflict_id] = [c.id for c in _conflicts(client)]
    assert signed_in.post(f"/office/conflicts/{conflict_id}/resolve", {}).status_code == 303
    assert record(client, p.id).seq == seq and record(client, p.id).fields["care_plan"] == "Office plan"
    assert "Nurse&#39;s plan" in signed_in.get("/office/conflicts?state=resolved").text


def _conflicts(client: TestClient) -> list[ConflictEntry]:
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        return list(session.scalars(sa.select(ConflictEntry)))


def test_assign_and_unassign_through_the_caseload_forms(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    p = patient_on_caseload(client, office, None)
    search = signed_in.get(f"/office/workers/{users.nurse}?find={p.mrn}")
    assert search.status_code == 200 and "Okafor, Ada" in search.text
    response = signed_in.post(
        "/office/caseloads/assign",
        {"worker_id": str(users.nurse), "patient_id": str(p.id), "back": f"/office/workers/{users.nurse}"},
    )
    assert response.status_code == 303 and "ok=assigned" in response.headers["location"]
    nurse.pull_all()
    assert nurse.values(p.id)["mrn"] == p.mrn
    caseload = signed_in.get(response.headers["location"])
    assert "Okafor, Ada" in caseload.text and "tablets receive the patient" in caseload.text
    response = signed_in.post(
        "/office/caseloads/unassign", {"worker_id": str(users.nurse), "patient_id": str(p.id)}
    )
    assert response.status_code == 303
    nurse.pull_all()
    assert p.id in nurse.evicted
    refused = signed_in.post(
        "/office/caseloads/assign", {"worker_id": str(users.office), "patient_id": str(p.id)}
    )
    assert refused.status_code == 422 and "not a field worker" in refused.text
    assert rows(client, Assignment, Assignment.worker_id == users.office) == 0


def test_patients_are_searched_and_paginated_by_the_database(
    signed_in: Browser, client: TestClient, office: Device
) -> None:
    batch = [h.patient(family_name=f"Family{i:03d}", mrn=f"MRN-S{i:04d}") for i in range(120)]
    batch.append(h.patient(family_name="Zebulon", given_name="Perpetua", mrn="MRN-ZZ1"))
    office.push_ok(*[office.create(p) for p in batch])
    first = signed_in.get("/office/patients")
    assert "1–50 of 121 patients" in first.text and "Family000" in first.text and "Zebulon" not in first.text
    last = signed_in.get("/office/patients?page=3")
    assert "101–121 of 121" in last.text and "Zebulon, Perpetua" in last.text
    found = signed_in.get("/office/patients?q=zebulon+perp")
    assert "1–1 of 1 patient" in found.text and "Zebulon, Perpetua" in found.text
    by_mrn = signed_in.get("/office/patients?q=MRN-S011")
    assert "10 patients" in by_mrn.text
    literal = signed_in.get("/office/patients?q=%25")
    assert "No patients match" in literal.text, "% is searched for, not a wildcard"


def test_patient_search_ignores_accents_case_and_apostrophe_styles_on_both_databases(
    signed_in: Browser, office: Device
) -> None:
    office.push_ok(
        office.create(h.patient(family_name="Núñez", given_name="Inés", mrn="MRN-N1")),
        office.create(h.patient(family_name="O\u2019Connor", given_name="Dorothy", mrn="MRN-O1")),
        office.create(h.patient(family_name="Nunn", given_name="Ada", mrn="MRN-N2")),
    )
    for query in ("nunez", "NÚÑEZ", "nunez ines", "Inés"):
        page = signed_in.get("/office/patients", params={"q": query})
        assert "1–1 of 1 patient" in page.text and "Núñez, Inés" in page.text, query
    for query in ("o'connor", "o\u2019connor", "O’CONNOR"):
        page = signed_in.get("/office/patients", params={"q": query})
        assert "1–1 of 1 patient" in page.text, query
    both = signed_in.get("/office/patients", params={"q": "nun"})
    assert "of 2 patients" in both.text


# -- visits, reports, fleet ------------------------------------------------------------------------------


def test_visit_board_and_visit_page_show_verification_notes_vitals_and_the_checked_signature(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    p = patient_on_caseload(client, office, users.nurse)
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    done_visit, open_visit = (
        h.visit(p.id, users.nurse, start),
        h.visit(p.id, users.nurse, start + timedelta(hours=3)),
    )
    office.push_ok(office.create(done_visit), office.create(open_visit))
    nurse.pull_all()
    done = work_visit(nurse, done_visit)
    board = signed_in.get(f"/office/visits?day={start.date().isoformat()}")
    assert board.status_code == 200
    assert board.text.count("✓ Times") == 1 and board.text.count("✓ Loc") == 1
    assert "not started" in board.text
    page = signed_in.get(f"/office/visits/{done_visit.id}")
    assert "Wound clean, dressing changed." in page.text and "Oxygen saturation" in page.text
    assert "✓ intact" in page.text and page.text.count("✓ matches") == 6
    image = signed_in.get(f"/office/signatures/{done.signature.id}/image")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert hashlib.sha256(image.content).hexdigest() == done.image_sha
    with client.app.state.database.write() as session:  # type: ignore[attr-defined]
        blob = session.get(Blob, done.image_sha)
        assert blob is not None
        blob.content = blob.content + b"tampered"
    page = signed_in.get(f"/office/visits/{done_visit.id}")
    assert "✗ altered" in page.text and "The image bytes do not match the image hash" in page.text
    assert f"/office/signatures/{done.signature.id}/image" not in page.text, "no link to the altered image"


def test_day_reports_show_the_receipt_the_pdf_and_what_is_missing(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, aide: Device, users: Users
) -> None:
    from tests.server.test_reports import PDF, day_report, submit

    p = patient_on_caseload(client, office, users.nurse)
    q = patient_on_caseload(client, office, users.aide)
    today = datetime.now(UTC).date()
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    worked, unsigned = (
        h.visit(p.id, users.nurse, start),
        h.visit(p.id, users.nurse, start + timedelta(hours=2)),
    )
    office.push_ok(
        office.create(worked), office.create(unsigned), office.create(h.visit(q.id, users.aide, start))
    )
    nurse.pull_all()
    work_visit(nurse, worked)
    arrived = {
        "device_time": start.isoformat(),
        "server_time": start.isoformat(),
        "location": {"kind": "home"},
    }
    nurse.push_ok(nurse.update("visit", unsigned.id, {"status": "in_progress", "check_in": arrived}))
    nurse.upload(PDF, "application/pdf")
    report = day_report(users.nurse, today)
    assert submit(nurse, nurse.create(report)).status_code == 200
    listing = signed_in.get("/office/reports")
    assert "✓ submitted" in listing.text and "✗ no report" in listing.text
    assert re.search(r'<tr class="attention">\s*<td><a [^>]*>aide</a>', listing.text), (
        "missing report stands out"
    )
    page = signed_in.get(f"/office/reports/{report.id}")
    assert page.status_code == 200
    assert "hash ok" in page.text and "same PDF" in page.text
    assert "no check-out" in page.text and "not signed" in page.text
    assert page.text.count("✓ unchanged") >= 7  # 2 visits, 2 notes, 2 vitals, 1 signature
    pdf = signed_in.get(f"/office/reports/{report.id}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content == PDF


def test_fleet_lists_tablets_with_what_they_reported_and_can_retire_one(
    signed_in: Browser, client: TestClient, nurse: Device, aide: Device, clock: Clock
) -> None:
    with client.app.state.database.write() as session:  # type: ignore[attr-defined]
        quiet = session.get(DeviceRow, aide.device_id)
        assert quiet is not None
        quiet.last_seen = quiet.last_sync_at = clock.now - timedelta(days=2)
        quiet.pending, quiet.clock_offset_ms = 7, -4200
    page = signed_in.get("/office/fleet")
    assert nurse.device_id in page.text and aide.device_id in page.text
    assert "2 days ago" in page.text and "−4.2 s" in page.text and ">silent<" in page.text
    assert re.search(rf'<tr class="attention">\s*<td class="mono">{aide.device_id}', page.text)
    response = signed_in.post(f"/office/fleet/{nurse.device_id}/disable", {})
    assert response.status_code == 303
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        device = session.get(DeviceRow, nurse.device_id)
        assert device is not None and device.disabled
    disabled_page = signed_in.get("/office/fleet?ok=disabled")
    assert disabled_page.text.count("Yes, disable and wipe</button>") == 1
    assert disabled_page.text.count("Keep in service</button>") == 1
    kept = signed_in.post(f"/office/fleet/{nurse.device_id}/enable", {})
    assert kept.status_code == 303
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        device = session.get(DeviceRow, nurse.device_id)
        assert device is not None and not device.disabled
    assert client.get("/sync/pull", headers=nurse.headers).status_code == 200, "back in service"
    refused = signed_in.post(f"/office/fleet/{nurse.device_id}/enable", {"back": "/office/fleet"}, csrf=None)
    assert refused.status_code == 403


def test_fleet_shows_each_tablets_clock_offset_history(
    signed_in: Browser, client: TestClient, nurse: Device, clock: Clock
) -> None:
    with client.app.state.database.write() as session:  # type: ignore[attr-defined]
        for minutes, offset in ((0, 250), (30, 3 * 3_600_000), (60, -1500)):
            session.add(
                DeviceClockSample(
                    device_id=nurse.device_id, at=clock.now + timedelta(minutes=minutes), offset_ms=offset
                )
            )
        device = session.get(DeviceRow, nurse.device_id)
        assert device is not None
        device.clock_offset_ms = -1500
    page = signed_in.get("/office/fleet")
    assert page.status_code == 200
    history = page.text[page.text.index("<summary") : page.text.index("</details>")]
    assert [m for m in re.findall(r'class="num">([^<]+)<', history)] == ["−1.5 s", "+180 min", "+0.2 s"]
    assert "the tablet's own clock minus the office server's" in page.text


def test_unknown_pages_and_records_answer_with_html_pages(signed_in: Browser) -> None:
    for path in (f"/office/patients/{uuid.uuid4()}", f"/office/visits/{uuid.uuid4()}", "/office/patients/xyz",
                 f"/office/reports/{uuid.uuid4()}", "/office/nowhere"):  # fmt: skip
        response = signed_in.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
    assert signed_in.get("/office/visits?day=yesterday").status_code == 400


def test_the_audit_page_shows_the_tablets_logs_and_the_servers_accesses(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device
) -> None:
    p = patient_on_caseload(client, office, nurse.user_id)
    events = h.audit_events(2, username="nurse")
    events_body = {"device_id": nurse.device_id, "events": events}
    assert client.post("/audit/events", headers=nurse.headers, json=events_body).status_code == 200
    later = h.audit_events(1, start=5, prev_hash="cd" * 32, username="nurse", action="edit")
    assert (
        client.post("/audit/events", headers=nurse.headers, json={**events_body, "events": later}).status_code
        == 200
    )
    nurse.pull_page()
    client.app.state.access_log.flush()  # type: ignore[attr-defined]

    page = signed_in.get("/office/audit?user=nurse")
    assert page.status_code == 200
    assert (
        page.text.count('<span class="tag ok">✓</span></td>') == 2
        and page.text.count(">gap</span></td>") == 1
    )
    assert "GET /sync/pull" in page.text and "POST /audit/events" in page.text
    only_edits = signed_in.get("/office/audit?action=edit")
    assert only_edits.text.count("<td>edit</td>") == 1 and "Calls to the server" not in only_edits.text
    one = signed_in.get(f"/office/audit?record={events[0]['record_id']}")
    assert one.text.count("<td>view</td>") == 1
    patient_page = signed_in.get(f"/office/patients/{p.id}")
    assert f"/office/audit?record={p.id}" in patient_page.text
    for wrong in ("?record=not-a-uuid", "?action=dance", "?user=nobody"):
        refused = signed_in.get("/office/audit" + wrong)
        assert refused.status_code == 200 and 'role="alert"' in refused.text, wrong
        assert "No entries match" in refused.text
    bad_day = signed_in.get("/office/audit?day=not-a-day")
    assert bad_day.status_code == 200 and 'role="alert"' in bad_day.text
    assert "Choose a day between" in bad_day.text
