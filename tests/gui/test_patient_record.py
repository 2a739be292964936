"""The patient record: allergies first and loud, edits saved on this tablet the moment a field is left
(and queued for the office), refusals shown beside the field without losing what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from fieldapp.qt.actions import Actions
from fieldapp.qt.records import Records
from fieldapp.ui.patient_record import SAVED, PatientRecordScreen, friendly
from tests import factories
from tests.gui.shell_helpers import LANDSCAPE, PORTRAIT, WORKER, Tablet, layout_problems, make_tablet


@pytest.fixture
def tablet(tmp_path: Path) -> Iterator[Tablet]:
    tablet = make_tablet(tmp_path / "tablet")
    with tablet.device.store.unit_of_work() as s:  # a note from an earlier visit, and its amendment
        from fieldapp.store import repo

        note = factories.note(tablet.visits[0], text="Patient alert, ambulating with walker.")
        repo.add(s, tablet.device.store.clock, note)
        amendment = factories.note(tablet.visits[0], text="Correction: a rollator.", amends=note.id)
        repo.add(s, tablet.device.store.clock, amendment)
    yield tablet
    tablet.device.close()


@pytest.fixture
def actions(tablet: Tablet) -> Actions:
    return Actions(tablet.device.store, tablet.device.blobs, WORKER)


@pytest.fixture
def screen(qtbot: QtBot, tablet: Tablet, actions: Actions, styled_app: QApplication) -> PatientRecordScreen:
    screen = PatientRecordScreen(Records(tablet.device.store, tablet.device.blobs), actions)
    qtbot.addWidget(screen)
    screen.resize(*LANDSCAPE)
    screen.show()
    qtbot.waitExposed(screen)
    screen.show_patient(tablet.patients[0].id)
    return screen


def leave(qtbot: QtBot, screen: PatientRecordScreen, path: str, text: str) -> None:
    """Type into a field and leave it, as a worker does."""
    edit = screen.fields[path].edit
    edit.setFocus()
    edit.setText(text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


def section_texts(layout: object) -> list[str]:
    texts = []
    for i in range(layout.count()):  # type: ignore[attr-defined]
        widget = layout.itemAt(i).widget()  # type: ignore[attr-defined]
        if isinstance(widget, QLabel | QPushButton):
            texts.append(widget.text())
    return texts


def test_the_record_shows_allergies_first_then_everything_a_visit_needs(screen: PatientRecordScreen) -> None:
    assert screen.name_label.text() == "Zoë Núñez-O'Brien"
    assert screen.facts_label.text().startswith("MRN-") and "born 02 Apr 1938" in screen.facts_label.text()
    allergies = screen.allergies_label
    assert allergies.property("role") == "allergy" and allergies.isVisible()
    assert allergies.text() == "⚠ ALLERGIES: Penicillin (severe: anaphylaxis); Latex (mild: rash)"
    assert screen.fields["phone"].edit.text() == "+1 (555) 010-2334"
    assert screen.fields["address.city"].edit.text() == "Millbrook"
    assert screen.fields["emergency_contact.relationship"].edit.text() == "son"
    assert section_texts(screen.diagnoses)[1:] == ["I50.9 — Heart failure, unspecified"]
    assert section_texts(screen.care_plan)[1].startswith("Daily weight")
    history = section_texts(screen.history)[1:]
    assert len(history) == 1 and "G0156" in history[0] and "To do" in history[0]
    notes = section_texts(screen.notes)[1:]
    assert "Correction: a rollator." in notes and "Patient alert, ambulating with walker." in notes
    assert any(text.startswith("Amendment · ") for text in notes)


def test_no_allergies_is_said_calmly(screen: PatientRecordScreen, tablet: Tablet) -> None:
    screen.show_patient(tablet.patients[1].id)
    assert screen.allergies_label.text() == "No known allergies recorded."
    assert screen.allergies_label.property("role") == "noAllergy"


def test_leaving_an_edited_field_saves_it_locally_and_queues_it(
    screen: PatientRecordScreen, tablet: Tablet, qtbot: QtBot
) -> None:
    before = tablet.pending()
    leave(qtbot, screen, "phone", "+1 845 555 0142")
    assert tablet.pending() == before + 1, "one change waits in the outbox for the office"
    assert screen.fields["phone"].message.text() == SAVED and screen.fields["phone"].message.isVisible()
    assert "Saved on this tablet" in screen.form_status.text() and "next sync" in screen.form_status.text()
    patient = Records(tablet.device.store).patient(tablet.patients[0].id)
    assert patient is not None and patient.phone == "+1 845 555 0142"
    leave(qtbot, screen, "phone", "+1 845 555 0142")  # left again unchanged: nothing new to send
    assert tablet.pending() == before + 1


def test_a_refused_value_stays_in_its_field_with_the_reason_beside_it(
    screen: PatientRecordScreen, tablet: Tablet, qtbot: QtBot
) -> None:
    before = tablet.pending()
    leave(qtbot, screen, "phone", "call the daughter")
    field = screen.fields["phone"]
    assert field.message.text() == "Use digits, spaces, + ( ) - and . only."
    assert field.message.property("role") == "error" and field.edit.property("invalid") is True
    assert field.edit.text() == "call the daughter", "what was typed is kept for correcting"
    assert tablet.pending() == before and "Not saved" in screen.form_status.text()
    screen.refresh()  # a sync or another edit refreshes the record ...
    assert field.edit.text() == "call the daughter"  # ... without wiping the text being corrected
    leave(qtbot, screen, "phone", "(845) 555-0142")
    assert field.message.text() == SAVED and field.edit.property("invalid") is False
    assert tablet.pending() == before + 1


def test_address_parts_are_checked_together_and_the_error_names_the_part(
    screen: PatientRecordScreen, tablet: Tablet, qtbot: QtBot
) -> None:
    before = tablet.pending()
    leave(qtbot, screen, "address.city", "")
    assert screen.fields["address.city"].message.text() == "This cannot be empty."
    assert tablet.pending() == before
    leave(qtbot, screen, "address.city", "Rhinebeck")
    leave(qtbot, screen, "address.line2", "Apt 4")
    patient = Records(tablet.device.store).patient(tablet.patients[0].id)
    assert patient is not None and patient.address is not None
    assert (patient.address.city, patient.address.line2, patient.address.region) == (
        "Rhinebeck",
        "Apt 4",
        "NY",
    )
    assert tablet.pending() == before + 2


def test_a_required_name_cannot_be_emptied(screen: PatientRecordScreen, tablet: Tablet, qtbot: QtBot) -> None:
    before = tablet.pending()
    leave(qtbot, screen, "given_name", "   ")
    assert screen.fields["given_name"].message.text() == "This cannot be empty."
    assert tablet.pending() == before


def test_the_visit_history_opens_a_visit(screen: PatientRecordScreen, tablet: Tablet, qtbot: QtBot) -> None:
    link = screen.history.itemAt(1).widget()
    assert isinstance(link, QPushButton) and link.accessibleName().startswith("Open visit of ")
    with qtbot.waitSignal(screen.open_visit) as opened:
        qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert opened.args == [tablet.visits[0].id]


def test_a_patient_no_longer_on_the_tablet_says_so(screen: PatientRecordScreen) -> None:
    import uuid

    screen.show_patient(uuid.uuid4())
    assert screen.missing_label.isVisible() and not screen.body.isVisible()
    assert screen.name_label.text() == "Patient not on this tablet"


def test_validation_messages_are_in_plain_words() -> None:
    assert friendly("phone", "String should match pattern '^x$'") == "Use digits, spaces, + ( ) - and . only."
    assert friendly("address.postal_code", "String should match pattern 'x'").startswith("Use letters")
    assert friendly("given_name", "String should have at most 100 characters") == (
        "Too long. At most 100 characters."
    )
    assert friendly("x", "something odd") == "Something odd"


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT], ids=["landscape", "portrait"])
def test_the_record_fits_is_touchable_and_named(
    screen: PatientRecordScreen, qtbot: QtBot, size: tuple[int, int]
) -> None:
    screen.fields["phone"].show_error("Use digits, spaces, + ( ) - and . only.")
    screen.fields["address.city"].show_saved()
    screen.resize(size[0] - 210, size[1] - 100)
    assert layout_problems(qtbot, screen) == []


def test_tab_walks_the_fields_across_each_row_then_down(screen: PatientRecordScreen, qtbot: QtBot) -> None:
    screen.activateWindow()
    qtbot.waitActive(screen)
    order = list(screen.fields)
    screen.fields[order[0]].edit.setFocus()
    for path in order[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is screen.fields[path].edit, path
