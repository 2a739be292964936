"""The office pages in a real browser (Playwright driving Debian's Chromium) against a real server, with a
headless tablet profile synced by the ``fieldapp sync`` command.

The three proofs of issue 8: the office assigns a patient and the tablet receives it; the office edits a
patient's phone while the tablet edits the address, and both survive; a submitted day report appears
with its receipt.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest

from fieldapp.server import migrate
from fieldapp.server.auth import sessions as auth
from fieldapp.server.database import Database
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role
from tests.integration.conftest import PASSWORD, LiveServer, start_server
from tests.keyrings import FileKeyring

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.timeout(240)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    database = Database(url)
    migrate.upgrade(database.engine)
    users = {}
    with database.write() as session:
        for name, role in (("office", Role.OFFICE), ("nurse", Role.WORKER), ("aide", Role.WORKER)):
            users[name] = auth.create_user(session, name, PASSWORD, role, datetime.now(UTC)).id
    uvicorn_server, thread, base = start_server(url)
    try:
        yield LiveServer(base, database, Settings(database_url=url), users)
    finally:
        uvicorn_server.should_exit = True
        thread.join(10)
        database.dispose()


@pytest.fixture
def page(server: LiveServer) -> Iterator[Any]:
    """A Chromium page signed in as the office."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-deps (Debian package chromium)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox"] if os.geteuid() == 0 else []
        )
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        tab.goto(f"{server.url}/office/patients")
        assert "/office/login" in tab.url
        tab.fill("#username", "office")
        tab.fill("#password", PASSWORD)
        tab.click("button:text('Sign in')")
        tab.wait_for_url("**/office/patients")
        try:
            yield tab
        finally:
            context.close()
            browser.close()


@pytest.fixture
def tablet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: LiveServer) -> Tablet:
    """A headless tablet profile; the key file of its keyring is shared with the ``fieldapp`` commands."""
    monkeypatch.setenv("FIELDAPP_TEST_KEYRING", str(tmp_path / "keyring.json"))
    keyring.set_keyring(FileKeyring())  # tests/conftest.py restores the in-memory one afterwards
    return Tablet(tmp_path / "tablet", server.url, tmp_path / "keyring.json")


class Tablet:
    """A tablet profile on disk, synced with ``fieldapp sync`` and read or edited through its store."""

    def __init__(self, folder: Path, server_url: str, keyring_file: Path) -> None:
        self.folder, self.server_url = folder, server_url
        self.env = {
            **os.environ,
            "PYTHON_KEYRING_BACKEND": "tests.keyrings.FileKeyring",
            "FIELDAPP_TEST_KEYRING": str(keyring_file),
            "PYTHONPATH": str(ROOT),
        }

    def sync(self, first: bool = False) -> str:
        argv = [sys.executable, "-m", "fieldapp", "sync", "--profile", str(self.folder)]
        if first:
            argv += ["--server", self.server_url, "--username", "nurse"]
        done = subprocess.run(
            argv, input=PASSWORD + "\n", capture_output=True, text=True, env=self.env, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def device(self) -> Any:
        from fieldapp.app import open_device
        from fieldapp.config import Profile

        return open_device(Profile.at(self.folder))

    def patient(self, patient_id: uuid.UUID) -> Any:
        from fieldapp.domain.entities import Patient
        from fieldapp.store import repo

        device = self.device()
        try:
            with device.store.read() as session:
                return repo.get(session, Patient, patient_id)
        finally:
            device.close()


def _register_patient(page: Any, server: LiveServer) -> uuid.UUID:
    page.click("text=New patient")
    page.fill("#mrn", "MRN-90210")
    page.fill("#family_name", "Achterberg")
    page.fill("#given_name", "Wilhelmina")
    page.fill("#date_of_birth", "1939-05-17")
    page.select_option("#sex", "female")
    page.fill("#phone", "+1 845-555-0100")
    page.fill("#address_line1", "3 Old Post Road")
    page.fill("#address_city", "Staatsburg")
    page.fill("#address_postal_code", "12580")
    page.click("button:text('Register patient')")
    page.wait_for_url("**/office/patients/*?ok=created")
    assert "Patient registered" in page.inner_text("main")
    return uuid.UUID(page.url.split("/office/patients/")[1].split("?")[0])


def test_office_assigns_a_patient_and_the_tablet_receives_it(
    page: Any, server: LiveServer, tablet: Tablet
) -> None:
    patient_id = _register_patient(page, server)
    page.click("nav >> text=Workers")
    page.click("table >> text=nurse")
    page.fill("#find", "achterberg")
    page.click("button:text('Find')")
    page.click("button[aria-label='Assign: Achterberg, Wilhelmina']")
    page.wait_for_url("**ok=assigned**")
    assert "Achterberg, Wilhelmina" in page.inner_text("main")
    assert "tablets receive the patient" in page.inner_text("main")

    output = tablet.sync(first=True)
    assert "pulled 1," in output, output
    held = tablet.patient(patient_id)
    assert held is not None and held.family_name == "Achterberg" and held.phone == "+1 845-555-0100"


def test_office_phone_and_tablet_address_edits_both_survive(
    page: Any, server: LiveServer, tablet: Tablet
) -> None:
    from fieldapp.domain.entities import Patient
    from fieldapp.domain.values import Address
    from fieldapp.store import repo
    from tests.server import helpers as h

    p = h.patient(family_name="Brennan", given_name="Margaret")
    server.office_writes(p)
    server.assign("nurse", p.id)
    tablet.sync(first=True)

    page.goto(f"{server.url}/office/patients/{p.id}")  # the office opens the record ...
    device = tablet.device()  # ... while the nurse, offline, corrects the address on the tablet
    try:
        with device.store.unit_of_work() as session:
            repo.update(
                session,
                device.store.clock,
                Patient,
                p.id,
                {"address": Address(line1="77 River Street", city="Hyde Park", postal_code="12538")},
            )
    finally:
        device.close()
    page.fill("#phone", "+1 845-555-0177")
    page.click("button:text('Save changes')")
    page.wait_for_url("**ok=saved")

    output = tablet.sync()
    assert "pushed 1," in output and "conflicts 0" in output, output
    held = tablet.patient(p.id)
    assert held.phone == "+1 845-555-0177", "the office's phone reached the tablet"
    assert held.address is not None and held.address.line1 == "77 River Street", "the tablet kept its address"
    page.reload()
    assert page.input_value("#phone") == "+1 845-555-0177"
    assert page.input_value("#address_line1") == "77 River Street"
    assert page.input_value("#address_city") == "Hyde Park"
    page.click("nav >> text=Conflicts")
    assert "No open conflicts" in page.inner_text("main")


def test_a_submitted_day_report_appears_with_its_receipt(
    page: Any, server: LiveServer, tablet: Tablet
) -> None:
    from fieldapp.domain.entities import DayReport
    from fieldapp.domain.values import DaySummary, Location, LocationKind
    from fieldapp.reports.submit import DaySubmitter
    from fieldapp.store import repo, workflows
    from tests.server import helpers as h

    today = datetime.now(UTC).date()
    p = h.patient(family_name="Castellanos", given_name="Inés")
    visit = h.visit(p.id, server.users["nurse"], datetime.now(UTC) - timedelta(hours=2))
    server.office_writes(p)
    server.assign("nurse", p.id)
    server.office_writes(visit)
    tablet.sync(first=True)

    pdf = b"%PDF-1.4\n% end-of-day report of the nurse\n%%EOF\n"
    device = tablet.device()
    try:
        with device.store.unit_of_work() as session:
            workflows.check_in(session, device.store.clock, visit.id, Location(kind=LocationKind.HOME))
        with device.store.unit_of_work() as session:
            workflows.check_out(session, device.store.clock, visit.id)
        report = DayReport(
            worker_id=server.users["nurse"],
            day=visit.scheduled_start.date(),
            summary=DaySummary(
                visits_scheduled=1,
                visits_completed=1,
                visits_missed=0,
                visits_unsigned=1,
                visits_missing_evv=0,
                notes=0,
                observations=0,
                unsent_changes=0,
                open_conflicts=0,
            ),
            pdf_sha256=device.blobs.put(pdf),
            submitted_at=datetime.now(UTC),
        )
        with device.store.unit_of_work() as session:
            repo.add(session, device.store.clock, report)
        device.engine.run()  # the visit's check-in and check-out reach the office first
        submission = DaySubmitter(device.store, device.blobs, device.transport).submit(report.id)
        assert submission.ok, submission.error
    finally:
        device.close()

    page.click("nav >> text=Day reports")
    if report.day != today:
        page.goto(f"{server.url}/office/reports?day={report.day.isoformat()}")
    row = page.locator("tr", has_text="nurse")
    assert "✓ submitted" in row.inner_text()
    assert "1" in row.locator("td").nth(4).inner_text()  # the receipt's items: the visit
    row.locator("text=Open report").click()
    page.wait_for_url(f"**/office/reports/{report.id}")
    main = page.inner_text("main")
    assert "hash ok" in main and "same PDF" in main
    assert "not signed" in main, "what is missing is highlighted"
    page.click("summary")
    receipt = page.locator("section:has(h2:text-is('Receipt'))").inner_text()
    assert "visit" in receipt and "✓ unchanged" in receipt
    answer = page.request.get(f"{server.url}/office/reports/{report.id}/pdf")
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(answer.body()).hexdigest() == report.pdf_sha256
