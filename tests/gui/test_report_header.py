"""The end-of-day PDF's header names the agency, the worker with the credential and the day; the visits
table gives the hours of each visit and their total."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.domain.people import AgencyCard, WorkerCard
from fieldapp.reports.sections import hours
from fieldapp.ui.end_of_day import EndOfDayScreen
from tests.gui.day_helpers import WORKER, Day, make_day, work_first_visit
from tests.gui.shell_helpers import styled_app  # noqa: F401 - a fixture

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
AGENCY = AgencyCard(name="Sunrise Home Care", address="12 Main St, Millbrook NY", phone="555-0100")
ANA = WorkerCard(username="ana", full_name="Ana López", credential="hha")


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    d = make_day(tmp_path)
    work_first_visit(d)
    yield d
    d.store.close()


def test_cards_read_as_records_name_people() -> None:
    assert ANA.display_name == "Ana López, HHA"
    assert WorkerCard(username="nurse").display_name == "nurse"
    assert AGENCY.heading == "Sunrise Home Care · 12 Main St, Millbrook NY · 555-0100"
    assert AgencyCard().late_after_min == 15 and AgencyCard().heading == ""
    assert hours(95) == "1.58" and hours(0) == "0.00"


@needs_poppler
def test_the_pdf_header_names_agency_worker_credential_and_day_and_totals_the_hours(
    qtbot: QtBot, day: Day, tmp_path: Path
) -> None:
    screen = EndOfDayScreen(
        day.records, day.actions, WORKER, worker_name=ANA.display_name, day=day.day, zone=UTC
    )
    screen.configure(agency=AGENCY.heading)
    qtbot.addWidget(screen)
    screen.resize(1280, 900)
    screen.show()
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    assert screen.pdf is not None and screen.data is not None
    assert screen.data.agency == AGENCY.heading and "agency" in screen.data.to_json()
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(screen.pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    first_page = text.split("\f")[0]
    assert "Sunrise Home Care · 12 Main St, Millbrook NY · 555-0100" in first_page
    assert "Ana López, HHA" in first_page and day.day.strftime("%B") in first_page
    assert "Hours" in first_page
    worked = screen.data.worked_minutes
    assert f"Total hours worked: {hours(worked)}" in first_page
    first = screen.data.visits[0]
    assert first.minutes is not None and hours(first.minutes) in first_page
    shots = os.environ.get("FIELDAPP_SCREENSHOTS")
    if shots:
        out = str(Path(shots) / "report-header")
        subprocess.run(
            ["pdftoppm", "-r", "90", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), out], check=True
        )


def test_a_report_without_an_agency_hashes_as_before(day: Day) -> None:
    plain = day.records.day_report(WORKER, day.day, "Maria", UTC)
    assert "agency" not in plain.to_json()
    headed = day.records.day_report(WORKER, day.day, "Maria", UTC, agency=AGENCY.heading)
    assert headed.digest() != plain.digest(), "the header is part of what the footer's digest covers"
