"""Scheduling in a real browser (Playwright driving Debian's Chromium) against a real server, and a headless
tablet profile synced by ``fieldapp sync``: the office schedules a week for a worker (a Monday-Friday
series, the patient added to the caseload after the prompt), moves one visit, and the tablet holds them.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fieldapp.domain.entities import Visit
from fieldapp.domain.schedule import occurrence_id
from tests.integration.conftest import LiveServer
from tests.office.test_browser import Tablet, page, server, tablet  # noqa: F401  (fixtures)
from tests.server import helpers as h


def _next_monday() -> date:
    today = datetime.now(UTC).date()
    return today + timedelta(days=7 - today.weekday())


def _tablet_visits(tablet: Tablet, ids: list[uuid.UUID]) -> dict[uuid.UUID, Visit | None]:  # noqa: F811
    from fieldapp.store import repo

    device = tablet.device()
    try:
        with device.store.read() as session:
            return {visit_id: repo.get(session, Visit, visit_id) for visit_id in ids}
    finally:
        device.close()


def test_the_office_schedules_a_week_and_the_tablet_receives_it(
    page: Any,  # noqa: F811
    server: LiveServer,  # noqa: F811
    tablet: Tablet,  # noqa: F811
) -> None:
    patient = h.patient(mrn="MRN-4242", family_name="Okonkwo", given_name="Adaeze")
    server.office_writes(patient)
    monday = _next_monday()

    page.click("nav >> text=Schedule")
    page.click("text=+ New recurring series")
    page.select_option("#patient_id", str(patient.id))
    page.select_option("#worker_id", str(server.users["nurse"]))
    for day in ("Mon", "Tue", "Wed", "Thu", "Fri"):
        page.check(f"label.check:has-text('{day}') >> input")
    page.fill("#start_date", monday.isoformat())
    page.fill("#end_date", (monday + timedelta(days=6)).isoformat())
    page.fill("#start", "09:00")
    page.fill("#end", "10:30")
    page.select_option("#service_code", "T1019")
    page.fill("#worker_notes", "Ring the bell twice")
    page.click("button:text('Save and schedule the visits')")
    assert "not on this worker's caseload" in page.inner_text("main")  # the prompt, nothing saved yet
    page.click("button:text('Add to the caseload and save')")
    page.wait_for_url("**/office/schedule/series/*ok=series")
    assert "Mon/Tue/Wed/Thu/Fri 09:00-10:30" in page.inner_text("main")
    series_id = uuid.UUID(re.search(r"/series/([0-9a-f-]+)", page.url).group(1))  # type: ignore[union-attr]

    page.goto(f"{server.url}/office/schedule/week?worker={server.users['nurse']}&day={monday.isoformat()}")
    assert page.locator("article.slot").count() == 5
    page.click("article.slot >> nth=2 >> a")  # Wednesday's visit, moved on its own
    page.fill("#start", "14:00")
    page.fill("#end", "15:00")
    page.click("button:text('Save')")
    page.wait_for_url("**/office/schedule/week?**ok=scheduled")
    assert "14:00–15:00" in page.inner_text("main")

    output = tablet.sync(first=True)
    assert "pulled" in output, output
    ids = [occurrence_id(series_id, monday + timedelta(days=n)) for n in range(5)]
    held = _tablet_visits(tablet, ids)
    assert all(visit is not None for visit in held.values()), held
    wednesday = held[ids[2]]
    assert wednesday is not None and wednesday.scheduled_end - wednesday.scheduled_start == timedelta(hours=1)
    assert {v.worker_notes for v in held.values() if v} == {"Ring the bell twice"}
    assert {v.service_code for v in held.values() if v} == {"T1019"}


def _new_visit(page: Any, server: LiveServer, patient: h.Patient, day: date, start: str, end: str) -> str:  # noqa: F811
    page.goto(f"{server.url}/office/schedule/visits/new")
    visit_id = str(page.input_value("input[name=visit_id]"))
    page.select_option("#patient_id", str(patient.id))
    page.select_option("#worker_id", str(server.users["nurse"]))
    page.fill("#day", day.isoformat())
    page.fill("#start", start)
    page.fill("#end", end)
    page.select_option("#service_code", "G0299")
    page.click("button:text('Save')")
    if page.locator("button:text('Add to the caseload and save')").count():
        page.click("button:text('Add to the caseload and save')")
    page.wait_for_url("**/office/schedule/week?**ok=scheduled")
    return visit_id


def test_a_cancelled_visit_restored_into_a_taken_slot_is_warned_about_first(
    page: Any,  # noqa: F811
    server: LiveServer,  # noqa: F811
    tablet: Tablet,  # noqa: F811
) -> None:
    """Issue 17: the restore form shows the double booking the API answers with, asks before restoring
    (as saving does), and the page after the restore still names it; the tablet gets the visit back."""
    patient = h.patient(mrn="MRN-4343", family_name="Okafor", given_name="Chidi")
    server.office_writes(patient)
    monday = _next_monday()
    gone = _new_visit(page, server, patient, monday, "09:00", "10:00")
    page.goto(f"{server.url}/office/schedule/visits/{gone}")
    page.fill("#reason", "In hospital")
    page.click("button:text('Cancel the visit')")
    page.wait_for_url("**ok=cancelled")
    _new_visit(page, server, patient, monday, "09:30", "10:30")

    page.goto(f"{server.url}/office/schedule/visits/{gone}")
    page.click("button:text('Schedule it again')")
    asked = page.inner_text("#restore-warnings")
    assert "Check before scheduling it again:" in asked
    assert "09:00 Okafor, Chidi overlaps 09:30 Okafor, Chidi for the same worker" in asked
    assert "In hospital" in page.inner_text("main"), "still cancelled"
    page.click("button:text('Schedule it again anyway')")
    page.wait_for_selector("#restored-warnings")
    assert "The visit is scheduled again." in page.inner_text("main")
    assert "overlaps 09:30 Okafor, Chidi" in page.inner_text("#restored-warnings")

    assert "pulled" in tablet.sync(first=True)
    held = _tablet_visits(tablet, [uuid.UUID(gone)])[uuid.UUID(gone)]
    assert held is not None and held.status.value == "scheduled"
