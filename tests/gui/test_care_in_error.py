"""Entered in error on the tablet, and the patient's task history (decision 0034), driven by taps: a
medication, a signed visit's task outcome and a photo recorded by mistake are marked with a reason (never
removed), shown struck through; tasks left open at check-out become the exception that names them; the
patient record lists each task's last outcomes."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from fieldapp.domain.care import Outcome, TaskOutcome, outcome_id
from fieldapp.domain.exceptions import ExceptionCode, ExceptionState
from fieldapp.store import care, exceptions, repo
from fieldapp.store.attachments import gallery
from fieldapp.ui.patient_record import PatientRecordScreen
from fieldapp.ui.visit.in_error import InErrorDialog
from fieldapp.ui.visit.verification import CheckOutWarning
from tests.gui.day_helpers import Day
from tests.gui.test_care import TAP, _photo, check_in, day, open_screen, sign, tasks  # noqa: F401 - day: a fixture


def _confirm(qtbot: QtBot, dialog: InErrorDialog | None, reason: str) -> InErrorDialog:
    assert dialog is not None
    assert not dialog.confirm() and dialog.error.text() == "Say why it was entered in error."
    qtbot.keyClicks(dialog.reason, reason)
    qtbot.mouseClick(dialog.confirm_button, TAP)
    return dialog


def test_a_medication_entered_in_error_stays_struck_through_with_its_reason(qtbot: QtBot, day: Day) -> None:  # noqa: F811
    screen = open_screen(qtbot, day)
    panel = screen.meds_panel
    assert not panel.error_button.isEnabled(), "nothing selected"
    panel.meds.item(0).setSelected(True)
    qtbot.mouseClick(panel.error_button, TAP)
    dialog = screen.findChild(InErrorDialog, "inErrorDialog")
    _confirm(qtbot, dialog, "Another patient's prescription")
    with day.store.read() as s:
        [med] = care.patient_medications(s, day.patients[0].id)
    assert med.entered_in_error and med.error_reason == "Another patient's prescription"
    item = panel.meds.item(0)
    assert item.text().startswith("ENTERED IN ERROR (Another patient's prescription): Furosemide")
    assert item.font().strikeOut()
    item.setSelected(True)
    assert not panel.error_button.isEnabled() and not panel.edit_button.isEnabled()


def test_a_signed_visits_outcome_is_marked_in_error_and_open_tasks_become_an_exception(
    qtbot: QtBot,
    day: Day,  # noqa: F811
) -> None:
    check_in(day)
    bath = tasks(day)[0]
    day.actions.record_outcome(day.visits[0].id, bath.id, Outcome.DONE)
    screen = open_screen(qtbot, day)
    assert not screen.check_out() and not screen.check_out()  # open tasks, then the short-visit warning
    warning = screen.dialog
    assert isinstance(warning, CheckOutWarning)
    qtbot.mouseClick(warning.confirm, TAP)
    with day.store.read() as s:
        [found] = [
            e
            for e in exceptions.for_visit(s, day.visits[0].id)
            if e.code is ExceptionCode.TASKS_NOT_COMPLETED
        ]
    assert found.tasks == ("Meal preparation",) and found.state is ExceptionState.OPEN
    sign(day)
    screen.refresh()
    line = screen.tasks_panel.lines[bath.id]
    assert line.error_button.isVisible() and not line.buttons[Outcome.DONE].isEnabled()
    qtbot.mouseClick(line.error_button, TAP)
    _confirm(
        qtbot, screen.findChild(InErrorDialog, "inErrorDialog"), "She showered alone; I tapped the wrong row"
    )
    with day.store.read() as s:
        marked = repo.get(s, TaskOutcome, outcome_id(day.visits[0].id, bath.id))
        [found] = [
            e
            for e in exceptions.for_visit(s, day.visits[0].id)
            if e.code is ExceptionCode.TASKS_NOT_COMPLETED
        ]
    assert marked is not None and marked.entered_in_error and marked.outcome is Outcome.DONE
    assert found.tasks == ("Bathing", "Meal preparation"), "an outcome in error leaves its task open"
    assert "entered in error: She showered alone" in line.state.text() and line.state.font().strikeOut()
    assert not line.error_button.isVisible()


def test_a_photo_is_marked_in_error_from_its_viewer(qtbot: QtBot, day: Day, tmp_path: Path) -> None:  # noqa: F811
    screen = open_screen(qtbot, day)
    assert screen.attach_file(_photo(tmp_path / "wound.jpg"))
    with day.store.read() as s:
        [view] = gallery(s, day.patients[0].id)
    viewer = screen.open_attachment(view)
    qtbot.mouseClick(viewer.error_button, TAP)
    _confirm(qtbot, screen.findChild(InErrorDialog, "inErrorDialog"), "Wrong patient")
    with day.store.read() as s:
        [view] = gallery(s, day.patients[0].id)
    assert view.attachment.entered_in_error and day.blobs.has(view.attachment.sha256)
    assert screen.gallery_panel.grid.item(0).text().startswith("entered in error")
    again = screen.open_attachment(view)
    assert not again.error_button.isEnabled()


def test_the_patient_record_lists_each_tasks_last_outcomes(qtbot: QtBot, day: Day) -> None:  # noqa: F811
    check_in(day)
    bath, meal = tasks(day)[:2]
    day.actions.record_outcome(day.visits[0].id, bath.id, Outcome.REFUSED, "Asleep")
    day.actions.record_outcome(day.visits[0].id, meal.id, Outcome.DONE)
    screen = PatientRecordScreen(day.records, day.actions)
    qtbot.addWidget(screen)
    screen.show_patient(day.patients[0].id)
    texts = [w.text() for w in screen.tasks_box.findChildren(type(screen.name_label)) if w.text()]
    assert texts[0] == "Task history"
    assert "Bathing" in texts and "Meal preparation" in texts
    bath_line = texts[texts.index("Bathing") + 1]
    assert bath_line.endswith(": Patient refused (Asleep)")
    day.actions.mark_in_error("task_outcome", outcome_id(day.visits[0].id, bath.id), "Wrong row")
    texts = [w.text() for w in screen.tasks_box.findChildren(type(screen.name_label)) if w.text()]
    assert any(t.endswith("entered in error: Wrong row") for t in texts), "refreshed on the change"
