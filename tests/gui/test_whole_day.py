"""A whole working day against the real server, driven through the widgets as the worker taps them:
sign in, sync, open today's first visit, check in, write a note, take vitals, the patient signs with a pen,
check out, sync, create the end-of-day PDF, submit it, and read in the office's receipt that every record
arrived exactly as it is on the tablet."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from fieldapp.app import Shell
from fieldapp.config import Profile
from fieldapp.domain.attestation import record_digest
from fieldapp.reports.builder import local_records
from fieldapp.reports.submit import DaySubmitter, ItemState
from fieldapp.server.models import Record
from fieldapp.ui.end_of_day import EndOfDayScreen
from fieldapp.ui.visit import VisitScreen
from fieldapp.ui.visit.verification import CheckOutWarning
from tests import factories
from tests.gui.day_helpers import pen_stroke
from tests.integration.conftest import PASSWORD, LiveServer

TAP = Qt.MouseButton.LeftButton
SLOW = 30_000  # ms: generous bounds for a loaded CI machine; each wait ends as soon as its condition holds


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path, live_server: LiveServer) -> Iterator[Shell]:
    shell = Shell(Profile.at(tmp_path / "tablet"), live_server.url, maximized=False)
    yield shell
    shell.close()
    for widget in (shell.login, shell.workspace.window if shell.workspace else None):
        if widget is not None:
            widget.close()


def a_day_at_the_office(live_server: LiveServer) -> uuid.UUID:
    """The office schedules today's visit to a patient on the nurse's caseload."""
    nurse = live_server.users["nurse"]
    patient = factories.patient(given_name="Ada", family_name="Quispe")
    today = datetime.now(UTC).date()
    start = datetime.combine(today, time(12, 0), tzinfo=UTC)
    visit = factories.visit(
        patient.id, worker_id=nurse, scheduled_start=start, scheduled_end=start + timedelta(hours=1)
    )
    live_server.office_writes(patient, visit)
    live_server.assign("nurse", patient.id)
    return visit.id


def tap_button(qtbot: QtBot, root: object, text: str) -> None:
    button = next(b for b in root.findChildren(QPushButton) if b.text().startswith(text) and b.isVisible())  # type: ignore[attr-defined]
    qtbot.mouseClick(button, TAP)


def test_a_whole_day_from_sign_in_to_the_offices_receipt(
    qtbot: QtBot, shell: Shell, live_server: LiveServer
) -> None:
    visit_id = a_day_at_the_office(live_server)

    # Sign in through the sign-in screen.
    shell.start()
    login = shell.login
    assert login is not None
    login.username.setText("")
    qtbot.keyClicks(login.username, "nurse")
    qtbot.keyClicks(login.password, PASSWORD)
    qtbot.mouseClick(login.submit_button, TAP)
    qtbot.waitUntil(lambda: shell.workspace is not None, timeout=SLOW)
    workspace = shell.workspace
    assert workspace is not None
    window = workspace.window
    qtbot.waitExposed(window)

    # Sync (the first one starts by itself; the worker taps "Sync now" too) until today's visit is there.
    bar = window.status_bar
    qtbot.waitUntil(lambda: bar.sync_button.isEnabled(), timeout=SLOW)
    qtbot.mouseClick(bar.sync_button, TAP)
    today = window.page("today")
    qtbot.waitUntil(lambda: len(today.cards) == 1, timeout=SLOW)

    # Open today's first visit.
    qtbot.mouseClick(today.cards[0], TAP)
    assert window.current_key == "visit"
    visit: VisitScreen = window.page("visit")
    assert visit.visit_id == visit_id and visit.patient_name.text() == "Ada Quispe"

    # Check in at the patient's home, write a note, take vitals.
    qtbot.mouseClick(visit.place_home, TAP)
    qtbot.mouseClick(visit.check_in_button, TAP)
    assert "Checked in" in visit.times.text()
    qtbot.keyClicks(
        visit.note_editor, "Ada alert and cheerful. Wound on left shin healing; dressing changed."
    )
    qtbot.mouseClick(visit.add_note_button, TAP)
    for kind, value in (("heart_rate", "74"), ("blood_pressure", "132/84"), ("spo2", "97")):
        visit.vital_kind.setCurrentIndex(visit.vital_kind.findData(kind))
        qtbot.keyClicks(visit.vital_value, value)
        qtbot.mouseClick(visit.add_vital_button, TAP)
    assert visit.vitals.count() == 4 and not visit.vital_error.isVisible()
    qtbot.mouseClick(visit.check_out_button, TAP)
    warning = visit.dialog  # minutes into an hour's visit: the worker confirms
    assert isinstance(warning, CheckOutWarning)
    qtbot.mouseClick(warning.confirm, TAP)
    assert visit.status_chip.text() == "Completed" and visit.evv.property("role") == "evvComplete"

    # The patient signs with the pen.
    qtbot.mouseClick(visit.sign_button, TAP)
    pad = visit.pad
    assert pad is not None
    qtbot.waitExposed(pad)
    w, h = pad.canvas.width(), pad.canvas.height()
    pen_stroke(
        pad.canvas,
        [
            (w * 0.1 + i * w * 0.015, h * 0.5 - math.sin(i / 3) * h * 0.2, 0.3 + 0.5 * abs(math.sin(i / 4)))
            for i in range(45)
        ],
    )
    pen_stroke(pad.canvas, [(w * 0.2 + i * w * 0.02, h * 0.7, 0.6) for i in range(20)])
    assert pad.canvas.samples_by_source == {"pen": 65, "touch": 0, "mouse": 0}
    qtbot.mouseClick(pad.sign_button, TAP)
    qtbot.waitUntil(lambda: visit.pad is None, timeout=SLOW)
    assert visit.lock_banner.isVisible()

    # Sync everything to the office.
    qtbot.waitUntil(lambda: bar.sync_button.isEnabled(), timeout=SLOW)
    qtbot.mouseClick(bar.sync_button, TAP)
    qtbot.waitUntil(lambda: workspace.records.pending_count() == 0, timeout=SLOW)

    # End of day: the counts say the day is done; create the report and submit it.
    tap_button(qtbot, window, "End of day")
    assert window.current_key == "end_of_day"
    eod: EndOfDayScreen = window.page("end_of_day")
    if eod.submitter is None:  # the composition root may not hand it in yet: give what it would
        device = workspace.session.device
        eod.configure(
            submitter=DaySubmitter(device.store, device.blobs, device.transport), worker_name="nurse"
        )
    eod.refresh()
    assert eod.tiles["done"].number.text() == "1"
    assert all(eod.tiles[k].number.text() == "0" for k in ("open", "unsigned", "evv", "unsent", "conflicts"))
    qtbot.mouseClick(eod.create_button, TAP)
    assert eod.preview.isVisible() and eod.pdf is not None
    with qtbot.waitSignal(eod.submitted, timeout=SLOW) as submitted:
        qtbot.mouseClick(eod.submit_button, TAP)
    result = submitted.args[0]

    # The receipt: every record of the day arrived, with the same digest as the tablet's copy.
    assert result.ok, result.error
    assert result.all_arrived, [(c.label, c.state) for c in result.problems]
    receipt = result.receipt
    device = workspace.session.device
    with device.store.read() as session:
        data = workspace.records.day_report(workspace.user_id, eod.day, "nurse", eod.zone)
        local = local_records(session, data)
    entities = sorted(entity for entity, _ in local.values())
    assert entities == ["observation"] * 4 + ["signature", "visit", "visit_note"]
    assert {(i.entity, i.record_id) for i in receipt.items} == {(e, r) for r, (e, _) in local.items()}
    for item in receipt.items:
        entity, values = local[item.record_id]
        assert item.sha256 == record_digest(entity, str(item.record_id), values)
    assert result.count(ItemState.ARRIVED) == len(local) == 7
    assert "arrived exactly" in eod.receipt_summary.text()
    assert workspace.records.pending_count() == 0

    # The office holds the report and its PDF.
    with live_server.database.read() as session:
        report = session.get(Record, receipt.report_id)
        assert report is not None and report.entity == "day_report"
        assert report.fields["pdf_sha256"] == receipt.pdf_sha256
        assert report.fields["summary"]["visits_completed"] == 1
        assert (
            session.scalar(sa.select(sa.func.count()).select_from(Record).where(Record.entity == "signature"))
            == 1
        )
