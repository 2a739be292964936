"""Visit verification end to end in Chromium: a tablet (``fieldapp sync``) checks a visit in and out by GPS,
late and short, and gives a reason; the office sees the exceptions in the queue, approves them, the
tablet receives the decision, and the office exports the day for the state's aggregator."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.domain.values import Address, Location, LocationKind
from tests.integration.conftest import LiveServer
from tests.office.test_browser import Tablet, page, server, tablet  # noqa: F401  (fixtures)
from tests.server import helpers as h

HOME = Address(line1="12 Orchard Lane", city="Millbrook", latitude=41.785, longitude=-73.694)
AT_HOME = Location(kind=LocationKind.GPS, latitude=41.7851, longitude=-73.6941, accuracy_m=8)


def work_the_visit(profile: Tablet, visit_id: Any) -> None:
    """Check in and out on the tablet (the visit's exceptions found as the tablet finds them), explain."""
    from fieldapp.store import exceptions, workflows

    device = profile.device()
    try:
        clock = device.store.clock
        for step in (
            lambda s: workflows.check_in(s, clock, visit_id, AT_HOME),
            lambda s: workflows.check_out(s, clock, visit_id, AT_HOME),
        ):
            with device.store.unit_of_work() as session:
                step(session)
                exceptions.reconcile(session, clock, visit_id)
        with device.store.unit_of_work() as session:
            late = exception_id(visit_id, ExceptionCode.LATE_CHECK_IN)
            exceptions.explain(session, clock, late, ExceptionReason.TRAFFIC_OR_TRAVEL, "Bridge closed")
    finally:
        device.close()


def test_the_office_approves_the_exceptions_and_exports_the_day(
    page: Any,  # noqa: F811
    server: LiveServer,  # noqa: F811
    tablet: Tablet,  # noqa: F811
) -> None:
    p = h.patient(family_name="Castellanos", given_name="Inés", address=HOME)
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=3)
    visit = h.visit(p.id, server.users["nurse"], start)
    server.office_writes(p)
    server.assign("nurse", p.id)
    server.office_writes(visit)
    tablet.sync(first=True)
    work_the_visit(tablet, visit.id)
    tablet.sync()
    day = start.date().isoformat()

    page.goto(f"{server.url}/office/exceptions?day={day}")
    main = page.inner_text("main")
    assert "Late check-in" in main and "Traffic or travel delay" in main and "Bridge closed" in main
    assert "Visit much shorter than scheduled" in main
    for box in page.query_selector_all("input[name^='pick-']"):
        box.check()
    page.click("button:text('Approve ticked')")
    page.wait_for_url("**/office/exceptions?*ok=approved*")
    assert "Approved." in page.inner_text("main")
    assert "No open exceptions on this day." in page.inner_text("main")

    page.goto(f"{server.url}/office/visits/{visit.id}")
    assert "approved" in page.inner_text("#exceptions")

    page.click("nav >> text=Exports")
    page.fill("#from", day)
    page.fill("#to", day)
    page.select_option("#what", "evv")
    page.select_option("#format", "csv")
    with page.expect_download() as download:
        page.click("button:text('Download')")
    content = Path(download.value.path()).read_bytes()
    assert str(visit.id) in content.decode() and download.value.suggested_filename == f"evv-{day}-{day}.csv"
    page.goto(f"{server.url}/office/exports")
    table = page.inner_text("main")
    assert hashlib.sha256(content).hexdigest() in table
    assert re.search(r"evv · csv\s+" + re.escape(f"{day} – {day}") + r"\s+1\s", table)

    tablet.sync()  # the decision reaches the tablet
    from fieldapp.domain.entities import VisitException
    from fieldapp.store import repo

    device = tablet.device()
    try:
        with device.store.read() as session:
            late = repo.get(session, VisitException, exception_id(visit.id, ExceptionCode.LATE_CHECK_IN))
    finally:
        device.close()
    assert late is not None and late.resolution is not None and late.resolution.by == "office"
