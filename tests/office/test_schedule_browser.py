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
