"""Audit entries written by the screens: a view each time a patient record or a visit is opened (not per
refresh), lock / unlock_failed / unlock in order (never the password), sign-out, the end-of-day PDF
leaving the tablet (an export); the log stays one valid hash chain that cannot be changed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from fieldapp.app import Workspace
from fieldapp.store import audit
from fieldapp.store.local import LocalStore
from tests.gui.day_helpers import Day, make_day, work_first_visit
from tests.gui.lock_helpers import PASSWORD, TAP
from tests.gui.shell_helpers import Tablet
from tests.gui.test_end_of_day import FakeOffice, acknowledge_everything_but_reports, open_screen


def log(store: LocalStore) -> list[tuple[str, str | None, uuid.UUID | None, str]]:
    """The device's audit log, oldest first: (action, entity, record id, detail)."""
    with store.read() as session:
        entries = audit.entries(session, 10_000)
    return [
        (e.content.action.value, e.content.entity, e.content.record_id, e.content.detail)
        for e in reversed(entries)
    ]


def actions_since(store: LocalStore, start: int) -> list[tuple[str, str | None, uuid.UUID | None, str]]:
    return log(store)[start:]


def test_opening_a_patient_records_one_view_per_opening(workspace: Workspace, tablet: Tablet) -> None:
    store, window = tablet.device.store, workspace.window
    patient = tablet.patients[1]
    start = len(log(store))
    window.open_patient.emit(patient.id)
    assert actions_since(store, start) == [("view", "patient", patient.id, "")]
    workspace.actions.edit_patient(patient.id, phone="+1 555 0100")  # the screen refreshes: no new view
    window.page("patient").refresh()
    assert [a[0] for a in actions_since(store, start)] == ["view", "edit"]
    window.show_page("today")
    window.open_patient.emit(patient.id)
    assert [a[:3] for a in actions_since(store, start)] == [
        ("view", "patient", patient.id),
        ("edit", "patient", patient.id),
        ("view", "patient", patient.id),
    ]
    window.open_patient.emit(uuid.uuid4())  # not on this tablet: nothing was viewed
    assert len(actions_since(store, start)) == 3


def test_opening_a_visit_records_a_view(workspace: Workspace, tablet: Tablet) -> None:
    store = tablet.device.store
    visit = tablet.visits[0]
    start = len(log(store))
    workspace.window.open_visit.emit(visit.id)
    workspace.actions.records_did_change.emit([])  # a refresh of the open visit
    assert actions_since(store, start) == [("view", "visit", visit.id, "")]


def test_lock_wrong_password_and_unlock_are_logged_in_order_without_the_password(
    qtbot: QtBot, workspace: Workspace, tablet: Tablet
) -> None:
    store, overlay = tablet.device.store, workspace.lock_overlay
    start = len(log(store))
    qtbot.mouseClick(workspace.window.lock_button, TAP)
    for password in ("my wrong secret", PASSWORD):
        overlay.password.clear()
        QTest.keyClicks(overlay.password, password)
        signal = workspace.lock.failed if password != PASSWORD else workspace.lock.unlocked
        with qtbot.waitSignal(signal, timeout=5_000):
            overlay.submit()
    entries = actions_since(store, start)
    assert [(action, detail) for action, _, _, detail in entries] == [
        ("lock", "manual"),
        ("unlock_failed", "Wrong password (1 in a row)"),
        ("unlock", "after 1 wrong password(s)"),
    ]
    everything = " ".join(detail for *_, detail in log(store))
    assert "my wrong secret" not in everything and PASSWORD not in everything


def test_signing_out_is_logged(qtbot: QtBot, workspace: Workspace, tablet: Tablet) -> None:
    store, overlay = tablet.device.store, workspace.lock_overlay
    start = len(log(store))
    workspace.lock.lock("idle")
    qtbot.mouseClick(overlay.sign_out_button, TAP)
    qtbot.mouseClick(overlay.confirm_sign_out, TAP)
    assert [(a, d) for a, _, _, d in actions_since(store, start)] == [
        ("lock", "idle"),
        ("sign_out", "from the lock screen"),
    ]


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    d = make_day(tmp_path)
    work_first_visit(d)
    yield d
    d.store.close()


def test_sending_the_end_of_day_pdf_to_the_office_is_an_export(qtbot: QtBot, day: Day) -> None:
    acknowledge_everything_but_reports(day)
    screen = open_screen(qtbot, day, FakeOffice(day))
    start = len(log(day.store))
    screen.create_report()
    assert actions_since(day.store, start) == [], "laying the PDF out on screen is no export"
    with qtbot.waitSignal(screen.submitted, timeout=10_000):
        screen.submit()
    report_id = screen.report_id
    entries = actions_since(day.store, start)
    assert [(a, e, r) for a, e, r, _ in entries] == [
        ("edit", "day_report", report_id),  # the report record, saved with its own entry
        ("export", "day_report", report_id),
    ]
    assert entries[1][3] == f"end-of-day report PDF of {day.day.isoformat()} sent to the office"


def test_the_log_stays_one_valid_chain_that_cannot_be_changed(
    qtbot: QtBot, workspace: Workspace, tablet: Tablet
) -> None:
    store = tablet.device.store
    window = workspace.window
    window.open_patient.emit(tablet.patients[0].id)
    window.open_visit.emit(tablet.visits[0].id)
    workspace.lock.lock("manual")
    overlay = workspace.lock_overlay
    overlay.password.setText(PASSWORD)
    with qtbot.waitSignal(workspace.lock.unlocked, timeout=5_000):
        overlay.submit()
    workspace.actions.edit_patient(tablet.patients[0].id, phone="+1 555 0199")
    assert len(log(store)) >= 5
    with store.read() as session:
        assert audit.first_break(session) is None
    for statement in ("UPDATE audit_log SET detail = 'nothing happened'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError), store.unit_of_work() as session:
            session.execute(sa.text(statement))
    with store.read() as session:
        assert audit.first_break(session) is None
    assert [a for a, *_ in log(store)][-5:] == ["view", "view", "lock", "unlock", "edit"]
