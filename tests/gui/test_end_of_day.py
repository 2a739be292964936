"""End of day: counts and what to fix, the PDF (rendered with poppler and read back), submission on a worker
thread with progress, the receipt compared record by record, failures and "Sync now"."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from fieldapp.domain.attestation import record_digest
from fieldapp.domain.entities import DayReport
from fieldapp.domain.people import AgencyCard, WorkerCard
from fieldapp.reports.builder import local_records
from fieldapp.reports.pdf import DayReportDocument
from fieldapp.reports.sections import hours
from fieldapp.reports.submit import DaySubmitter, ItemState
from fieldapp.store import outbox, repo
from fieldapp.sync.errors import Unreachable
from fieldapp.sync.protocol import DayReceipt, PushRequest, ReceiptItem
from fieldapp.ui.end_of_day import EndOfDayScreen
from tests.gui.day_helpers import WORKER, Day, make_day, work_first_visit
from tests.gui.shell_helpers import layout_problems, styled_app  # noqa: F401 - a fixture

TAP = Qt.MouseButton.LeftButton
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils missing: run scripts/ensure-system-deps (make test does)"
)


class FakeOffice:
    """Answers like the server: the receipt lists the day's records with their digests; a test may make
    one differ or go missing, or the network fail."""

    def __init__(self, day: Day) -> None:
        self.day = day
        self.blobs: dict[str, bytes] = {}
        self.requests: list[PushRequest] = []
        self.tamper: uuid.UUID | None = None
        self.drop: uuid.UUID | None = None
        self.fail = False

    def upload_blob(self, sha256: str, content: bytes, media_type: str) -> None:
        assert hashlib.sha256(content).hexdigest() == sha256 and media_type == "application/pdf"
        self.blobs[sha256] = content

    def submit_day_report(self, request: PushRequest) -> DayReceipt:
        if self.fail:
            raise Unreachable("the office server cannot be reached (no connection)")
        self.requests.append(request)
        (mutation,) = request.mutations
        assert mutation.entity == "day_report"
        assert mutation.changes["pdf_sha256"].v in self.blobs
        with self.day.store.read() as session:
            data = self.day.records.day_report(WORKER, self.day.day, "", UTC)
            local = local_records(session, data)
        items = []
        for record_id, (entity, values) in local.items():
            if record_id == self.drop:
                continue
            digest = record_digest(entity, str(record_id), values)
            if record_id == self.tamper:
                digest = "0" * 64
            items.append(ReceiptItem(entity=entity, record_id=record_id, sha256=digest))
        return DayReceipt(
            report_id=mutation.record_id,
            worker_id=WORKER,
            day=self.day.day,
            pdf_sha256=mutation.changes["pdf_sha256"].v,
            received_at_ms=int(datetime.now(UTC).timestamp() * 1000),
            items=items,
        )


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    d = make_day(tmp_path)
    work_first_visit(d)
    yield d
    d.store.close()


def open_screen(
    qtbot: QtBot, day: Day, office: FakeOffice | None = None, **options: object
) -> EndOfDayScreen:
    submitter = DaySubmitter(day.store, day.blobs, office, zone=UTC) if office is not None else None
    screen = EndOfDayScreen(
        day.records,
        day.actions,
        WORKER,
        submitter=submitter,
        worker_name="Maria Delgado, RN",
        day=day.day,
        zone=UTC,
        **options,  # type: ignore[arg-type]
    )
    qtbot.addWidget(screen)
    screen.resize(1280, 900)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def acknowledge_everything_but_reports(day: Day) -> None:
    """As if a sync had sent every change (the fake office needs no push)."""
    with day.store.unit_of_work() as session:
        outbox.acknowledge(session, [e.mutation_id for e in outbox.pending(session, 10_000)])


def test_counts_and_what_to_fix_are_shown_and_highlighted(qtbot: QtBot, day: Day) -> None:
    screen = open_screen(qtbot, day)

    values = {key: int(tile.number.text()) for key, tile in screen.tiles.items()}
    assert values["done"] == 1 and values["missed"] == 1 and values["open"] == 1
    assert values["unsigned"] == 1 and values["evv"] == 1 and values["conflicts"] == 0
    assert values["unsent"] > 0
    states = {key: tile.property("state") for key, tile in screen.tiles.items()}
    assert states["unsigned"] == "bad" and states["evv"] == "bad" and states["done"] == "ok"
    fixes = [screen.fix_list.item(i).text() for i in range(screen.fix_list.count())]
    assert fixes == [
        "14:00  Okafor, Edith: not checked out",
        "14:00  Okafor, Edith: missing begin and end times",
        "14:00  Okafor, Edith: not signed",
    ]
    assert screen.unsent_notice.isVisible() and screen.sync_button.isVisible()
    assert screen.verdict.property("state") == "bad"

    with qtbot.waitSignal(screen.open_visit) as opened:
        qtbot.mouseClick(
            screen.fix_list.viewport(),
            TAP,
            pos=screen.fix_list.visualItemRect(screen.fix_list.item(0)).center(),
        )
    assert opened.args == [day.visits[2].id]


def test_sync_now_asks_for_a_sync(qtbot: QtBot, day: Day) -> None:
    calls: list[int] = []
    screen = open_screen(qtbot, day, sync_now=lambda: calls.append(1))
    with qtbot.waitSignal(screen.sync_requested):
        qtbot.mouseClick(screen.sync_button, TAP)
    assert calls == [1]
    acknowledge_everything_but_reports(day)
    screen.refresh()
    assert not screen.unsent_notice.isVisible() and not screen.sync_button.isVisible()


@needs_poppler
def test_the_pdf_shows_the_day_and_every_page_carries_the_content_digest(
    qtbot: QtBot, day: Day, tmp_path: Path
) -> None:
    screen = open_screen(qtbot, day)
    qtbot.mouseClick(screen.create_button, TAP)
    document = screen.document
    assert document is not None and screen.pdf is not None and screen.data is not None
    assert screen.preview.isVisible() and not screen.preview.pixmap().isNull()
    assert screen.pdf.startswith(b"%PDF")

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(screen.pdf)
    subprocess.run(["pdftoppm", "-r", "110", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == document.page_count >= 2
    first = QImage(str(pages[0]))
    assert first.width() == round(8.5 * 110) and first.height() == 11 * 110  # US Letter
    shots = os.environ.get("FIELDAPP_SCREENSHOTS")
    if shots:
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(Path(shots) / "report_page1"),
            ],
            check=True,
        )

    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    digest = screen.data.digest()
    assert digest == hashlib.sha256(screen.data.canonical()).hexdigest()
    assert re.findall(r"Content SHA-256: ([0-9a-f]{64})", text) == [digest] * document.page_count
    assert [f"Page {i} of {document.page_count}" in text for i in range(1, document.page_count + 1)] == [
        True
    ] * (document.page_count)
    for expected in (
        "End-of-day report",
        "Maria Delgado, RN",
        "Núñez-O'Brien, Zoë",
        "Whitcombe, Harold",
        "Okafor, Edith",
        "Patient alert and oriented",
        "amends the note of",
        "Heart rate",
        "72 /min",
        "36.8 °C",
        "Zoë Núñez-O'Brien (Patient)",
        "Not signed.",
        "To fix: not checked out",
    ):
        assert expected in text, expected
    # The signature image is painted: the first page has dark-blue ink in the signature box.
    assert "Image SHA-256" in text


def test_same_content_same_digest_and_a_change_changes_it(day: Day) -> None:
    first = day.records.day_report(WORKER, day.day, "Maria", UTC)
    again = day.records.day_report(WORKER, day.day, "Maria", UTC)
    assert first.canonical() == again.canonical() and first.digest() == again.digest()
    day.actions.add_note(day.visits[2].id, "Patient back from lunch.")
    changed = day.records.day_report(WORKER, day.day, "Maria", UTC)
    assert changed.digest() != first.digest()


def test_the_builder_runs_without_qt() -> None:
    code = (
        "import sys, builtins\n"
        "real = builtins.__import__\n"
        "def guard(name, *a, **k):\n"
        "    if name.startswith('PySide6'): raise ImportError('no Qt here')\n"
        "    return real(name, *a, **k)\n"
        "builtins.__import__ = guard\n"
        "import fieldapp.reports.builder, fieldapp.reports.submit\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def test_submitting_creates_the_report_sends_it_in_the_background_and_shows_the_receipt(
    qtbot: QtBot, day: Day
) -> None:
    acknowledge_everything_but_reports(day)
    office = FakeOffice(day)
    screen = open_screen(qtbot, day, office)
    assert not screen.submit_button.isEnabled()  # create the report first
    qtbot.mouseClick(screen.create_button, TAP)
    assert screen.submit_button.isEnabled()

    with qtbot.waitSignal(screen.submitted, timeout=10_000) as done:
        qtbot.mouseClick(screen.submit_button, TAP)
        assert screen.progress.isVisible() or screen.result is not None  # the screen did not wait
    result = done.args[0]

    assert result.ok and result.all_arrived and result.pdf_matches
    assert result.count(ItemState.ARRIVED) == len(
        day.records.day_report(WORKER, day.day, "", UTC).record_ids()
    )
    assert "All " in screen.receipt_summary.text() and "arrived exactly" in screen.receipt_summary.text()
    assert screen.receipt_list.count() == len(result.checks)
    assert screen.receipt_list.item(0).text().startswith("✓")
    assert not screen.submit_button.isEnabled() and screen.submit_button.text() == "Submitted"
    # The report record exists, references the PDF, and its mutation left the outbox.
    with day.store.read() as session:
        report = repo.get(session, DayReport, screen.report_id)  # type: ignore[arg-type]
        assert report is not None and outbox.pending_count(session) == 0
    assert report.pdf_sha256 == hashlib.sha256(screen.pdf).hexdigest()  # type: ignore[arg-type]
    assert office.blobs[report.pdf_sha256] == screen.pdf
    assert report.summary.visits_completed == 1
    (request,) = office.requests
    assert request.mutations[0].record_id == report.id


def test_a_record_that_differs_or_is_missing_at_the_office_is_flagged(qtbot: QtBot, day: Day) -> None:
    acknowledge_everything_but_reports(day)
    office = FakeOffice(day)
    data = day.records.day_report(WORKER, day.day, "", UTC)
    signed = data.visits[0]
    office.tamper = signed.notes[0].id
    office.drop = signed.vitals[1].id
    screen = open_screen(qtbot, day, office)
    qtbot.mouseClick(screen.create_button, TAP)
    with qtbot.waitSignal(screen.submitted, timeout=10_000) as done:
        qtbot.mouseClick(screen.submit_button, TAP)
    result = done.args[0]

    assert not result.all_arrived
    states = {c.record_id: c.state for c in result.checks}
    assert states[office.tamper] is ItemState.DIFFERENT
    assert states[office.drop] is ItemState.MISSING
    assert screen.receipt_summary.property("state") == "bad"
    assert "1 missing at the office" in screen.receipt_summary.text()
    assert "1 different at the office" in screen.receipt_summary.text()
    top = [screen.receipt_list.item(i).text() for i in range(2)]
    assert all(t.startswith("✗") for t in top)
    assert any("Blood pressure, systolic 128 mmHg" in t and "MISSING" in t for t in top)


def test_a_failed_submission_says_so_and_can_be_tried_again(qtbot: QtBot, day: Day) -> None:
    acknowledge_everything_but_reports(day)
    office = FakeOffice(day)
    office.fail = True
    screen = open_screen(qtbot, day, office)
    qtbot.mouseClick(screen.create_button, TAP)
    qtbot.mouseClick(screen.submit_button, TAP)
    qtbot.waitUntil(lambda: "Not submitted" in screen.status.text(), timeout=10_000)
    assert "cannot be reached" in screen.status.text()
    assert screen.status.property("role") == "error"
    with day.store.read() as session:
        assert outbox.pending_count(session) == 1  # the report waits in the outbox (the next sync sends it)
    assert screen.submit_button.isEnabled() and screen.submit_button.text() == "Try again"

    office.fail = False
    with qtbot.waitSignal(screen.submitted, timeout=10_000) as done:
        qtbot.mouseClick(screen.submit_button, TAP)
    assert done.args[0].all_arrived
    with day.store.read() as session:
        assert outbox.pending_count(session) == 0
        assert len(repo_reports(session)) == 1  # tried twice, one report


def repo_reports(session):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from fieldapp.store.models import ROW_TYPES

    return session.scalars(select(ROW_TYPES["day_report"])).all()


def test_a_change_after_the_report_was_created_asks_for_a_new_one(qtbot: QtBot, day: Day) -> None:
    office = FakeOffice(day)
    screen = open_screen(qtbot, day, office)
    qtbot.mouseClick(screen.create_button, TAP)
    old_digest = screen.document.digest  # type: ignore[union-attr]
    day.actions.add_note(day.visits[2].id, "Back from lunch; wound care finished.")
    assert not screen.submit_button.isEnabled()
    assert "create it again" in screen.status.text()
    qtbot.mouseClick(screen.create_button, TAP)
    assert screen.submit_button.isEnabled() and screen.document.digest != old_digest  # type: ignore[union-attr]


def test_without_an_office_connection_submitting_is_not_offered(qtbot: QtBot, day: Day) -> None:
    screen = open_screen(qtbot, day)
    qtbot.mouseClick(screen.create_button, TAP)
    assert not screen.submit_button.isEnabled()
    assert "not connected" in screen.submit_button.toolTip()


def test_the_preview_matches_the_pdf_layout(qtbot: QtBot, day: Day) -> None:
    data = day.records.day_report(WORKER, day.day, "Maria", UTC)
    document = DayReportDocument(data, day.records.blob, zone=UTC)
    image = document.render_page(0, 850)
    assert image.width() == 850 and image.height() == 1100
    assert document.page_count >= 2


@pytest.mark.usefixtures("styled_app")
@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_the_end_of_day_screen_fits_is_touchable_and_named(
    qtbot: QtBot, day: Day, size: tuple[int, int]
) -> None:
    acknowledge_everything_but_reports(day)
    day.actions.add_note(day.visits[2].id, "Patient asked to continue wound care tomorrow.")  # one unsent
    office = FakeOffice(day)
    office.drop = day.records.day_report(WORKER, day.day, "", UTC).visits[0].vitals[1].id
    screen = open_screen(qtbot, day, office)
    screen.resize(*size)
    assert layout_problems(qtbot, screen) == []
    qtbot.mouseClick(screen.create_button, TAP)
    with qtbot.waitSignal(screen.submitted, timeout=10_000):
        qtbot.mouseClick(screen.submit_button, TAP)
    assert layout_problems(qtbot, screen) == []
    shots = os.environ.get("FIELDAPP_SCREENSHOTS")
    if shots and size == (1280, 800):
        qtbot.wait(100)  # let posted layout requests run before the picture is taken
        screen.grab().save(str(Path(shots) / "end-of-day.png"))


# -- the header: agency, worker with credential, day; hours per visit and in total -------------------------

AGENCY = AgencyCard(name="Sunrise Home Care", address="12 Main St, Millbrook NY", phone="555-0100")
ANA = WorkerCard(username="ana", full_name="Ana López", credential="hha")


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
