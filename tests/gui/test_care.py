"""The visit screen's care documentation, driven by taps: the task checklist (outcomes, reasons, notes, the
open tasks at check-out, the lock once signed), medications, allergies and diagnoses, photos and PDFs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from fieldapp.domain.attachments import Attachment
from fieldapp.domain.care import CareTask, Frequency, Outcome
from fieldapp.domain.entities import Patient, Visit
from fieldapp.domain.medications import MedicationStatus
from fieldapp.domain.values import Location, LocationKind
from fieldapp.reports.pdf import DayReportDocument, render_pdf
from fieldapp.store import care, outbox, repo
from fieldapp.store.attachments import gallery
from fieldapp.ui.visit import VisitScreen
from fieldapp.ui.visit.verification import CheckOutWarning
from tests import factories
from tests.gui.day_helpers import Day, make_day
from tests.gui.i18n_helpers import Spanish, compile_catalogue
from tests.gui.shell_helpers import layout_problems, styled_app  # noqa: F401 - a fixture

TAP = Qt.MouseButton.LeftButton


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    d = make_day(tmp_path)
    p = d.patients[0].id
    tasks = [
        factories.care_task(p, code="ADL-BATH", position=1, instructions="Shower chair, warm water."),
        factories.care_task(p, code="IADL-MEAL", position=2, instructions="Low-sodium lunch."),
        factories.care_task(
            p, code=None, title="Walk to the mailbox", frequency=Frequency.AS_NEEDED, position=3
        ),
    ]
    with d.store.unit_of_work() as s:
        for task in tasks:
            repo.add(s, d.store.clock, task)
        repo.add(s, d.store.clock, factories.medication(p))
    yield d
    d.store.close()


def open_screen(qtbot: QtBot, day: Day, size: tuple[int, int] = (1280, 800)) -> VisitScreen:
    screen = VisitScreen(day.records, day.actions)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show_visit(day.visits[0].id)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def tasks(day: Day) -> list[CareTask]:
    with day.store.read() as s:
        return care.patient_tasks(s, day.patients[0].id)


def outcomes(day: Day) -> dict[str, tuple[Outcome | None, str, str]]:
    with day.store.read() as s:
        found = care.visit_outcomes(s, day.visits[0].id)
    return {o.title: (o.outcome, o.reason, o.note) for o in found}


def check_in(day: Day) -> None:
    day.actions.check_in(day.visits[0].id, Location(kind=LocationKind.HOME))


def sign(day: Day) -> None:
    """The patient, unable to sign with her hand, attests the first visit."""
    day.actions.sign(
        day.visits[0].id,
        strokes=[],
        png=None,
        signer_name="Zoë Núñez",
        signer_role="patient",  # type: ignore[arg-type]
        meaning="I confirm the visit.",
        unable_reason="Hand injury",
    )


def test_each_tap_is_saved_with_its_outbox_entry(qtbot: QtBot, day: Day) -> None:
    check_in(day)
    screen = open_screen(qtbot, day)
    bath, meal, _ = tasks(day)
    panel = screen.tasks_panel
    assert [line.title.text() for line in panel.lines.values()] == [
        "Bathing",
        "Meal preparation",
        "Walk to the mailbox",
    ]
    assert panel.summary.text() == "0 of 3 tasks recorded"
    with day.store.read() as s:
        before = outbox.pending_count(s)
    qtbot.mouseClick(panel.lines[bath.id].buttons[Outcome.DONE], TAP)
    assert outcomes(day) == {"Bathing": (Outcome.DONE, "", "")}
    with day.store.read() as s:
        assert outbox.pending_count(s) == before + 1
    assert panel.lines[bath.id].buttons[Outcome.DONE].isChecked()
    assert panel.summary.text() == "1 of 3 tasks recorded"
    qtbot.mouseClick(panel.lines[bath.id].buttons[Outcome.DONE], TAP)  # the same outcome again: undone
    assert outcomes(day) == {"Bathing": (None, "", "")}
    assert not panel.lines[bath.id].buttons[Outcome.DONE].isChecked()
    assert meal.id in panel.lines


def test_an_outcome_that_needs_a_reason_asks_for_one_and_a_preset_is_one_tap(qtbot: QtBot, day: Day) -> None:
    check_in(day)
    screen = open_screen(qtbot, day)
    bath = tasks(day)[0]
    line = screen.tasks_panel.lines[bath.id]
    qtbot.mouseClick(line.buttons[Outcome.REFUSED], TAP)
    assert outcomes(day) == {}, "nothing is saved before the reason"
    assert line.detail is not None and line.detail.isVisible()
    assert [b.text() for b in line.presets] == [
        "Not feeling well",
        "Asleep",
        "Did not want it today",
        "Family did it",
    ]
    line.note_edit.setText("Offered again at 11")
    qtbot.mouseClick(line.presets[1], TAP)
    assert outcomes(day) == {"Bathing": (Outcome.REFUSED, "Asleep", "Offered again at 11")}
    assert "Patient refused: Asleep · Offered again at 11" in line.state.text()
    qtbot.mouseClick(line.buttons[Outcome.COULD_NOT_DO], TAP)
    line.reason_edit.setText("Water heater broken")
    qtbot.mouseClick(line.save_button, TAP)
    assert outcomes(day)["Bathing"][:2] == (Outcome.COULD_NOT_DO, "Water heater broken")


def test_a_reason_left_empty_is_refused_with_a_sentence(qtbot: QtBot, day: Day) -> None:
    check_in(day)
    screen = open_screen(qtbot, day)
    line = screen.tasks_panel.lines[tasks(day)[0].id]
    qtbot.mouseClick(line.buttons[Outcome.COULD_NOT_DO], TAP)
    qtbot.mouseClick(line.save_button, TAP)
    assert screen.error.isVisible() and "needs a reason" in screen.error.text()
    assert outcomes(day) == {}


def test_open_tasks_are_flagged_at_check_out_and_a_second_tap_checks_out(qtbot: QtBot, day: Day) -> None:
    check_in(day)
    screen = open_screen(qtbot, day)
    bath = tasks(day)[0]
    qtbot.mouseClick(screen.tasks_panel.lines[bath.id].buttons[Outcome.DONE], TAP)
    assert not screen.check_out()
    flag = screen.tasks_panel.flag
    assert flag.isVisible() and "1 task is still open: Meal preparation" in flag.text()
    with day.store.read() as s:
        v = repo.get(s, Visit, day.visits[0].id)
        assert v is not None and v.check_out is None
    assert not screen.check_out(), "seconds of a one-hour visit: the short-visit warning comes next"
    warning = screen.dialog
    assert isinstance(warning, CheckOutWarning)
    qtbot.mouseClick(warning.confirm, TAP)
    with day.store.read() as s:
        v = repo.get(s, Visit, day.visits[0].id)
        assert v is not None and v.check_out is not None
    assert "Left open at check-out: Meal preparation" in flag.text()


def test_a_signed_visits_checklist_is_locked(qtbot: QtBot, day: Day) -> None:
    check_in(day)
    bath = tasks(day)[0]
    day.actions.record_outcome(day.visits[0].id, bath.id, Outcome.DONE)
    day.actions.check_out(day.visits[0].id)
    sign(day)
    screen = open_screen(qtbot, day)
    assert not any(b.isEnabled() for b in screen.tasks_panel.lines[bath.id].buttons.values())


def test_medications_are_added_edited_field_by_field_and_discontinued(qtbot: QtBot, day: Day) -> None:
    screen = open_screen(qtbot, day)
    panel = screen.meds_panel
    assert panel.meds.count() == 1 and "Furosemide 40 mg" in panel.meds.item(0).text()
    dialog = screen.open_medication(None)
    assert dialog is not None
    dialog.fields["name"].setText("Metoprolol")
    dialog.fields["strength"].setText("25 mg")
    dialog.fields["frequency"].setText("twice a day")
    assert dialog.submit()
    assert [panel.meds.item(i).text().split("\n")[0] for i in range(2)] == [
        "Furosemide 40 mg, 1 tablet oral, once a day, morning",
        "Metoprolol 25 mg, oral, twice a day",
    ]
    with day.store.read() as s:
        furosemide = care.patient_medications(s, day.patients[0].id)[0]
    edit = screen.open_medication(furosemide)
    assert edit is not None
    edit.fields["dose"].setText("2 tablets")
    assert edit.changed_values() == {"dose": "2 tablets"}, "only the field edited is saved"
    assert edit.submit()
    panel.meds.item(0).setSelected(True)
    qtbot.mouseClick(panel.stop_button, TAP)
    with day.store.read() as s:
        meds = {m.name: m for m in care.patient_medications(s, day.patients[0].id)}
    assert (
        meds["Furosemide"].dose == "2 tablets" and meds["Furosemide"].status is MedicationStatus.DISCONTINUED
    )
    assert meds["Furosemide"].stop_date is not None
    assert panel.meds.item(1).text().startswith("DISCONTINUED: Furosemide")


def test_a_medication_without_a_name_is_refused_in_the_dialog(qtbot: QtBot, day: Day) -> None:
    screen = open_screen(qtbot, day)
    dialog = screen.open_medication(None)
    assert dialog is not None and not dialog.submit()
    assert dialog.error.text() == "Give the medication's name."


def test_allergies_and_diagnoses_are_edited_as_rows(qtbot: QtBot, day: Day) -> None:
    screen = open_screen(qtbot, day)
    dialog = screen.open_clinical_lists()
    assert dialog is not None and dialog.allergies.rowCount() == 2
    dialog.allergies.removeRow(1)
    dialog.add_diagnosis()
    dialog.diagnoses.item(dialog.diagnoses.rowCount() - 1, 0).setText("not a code")
    assert not dialog.submit() and dialog.error.text().startswith("Diagnosis row 2: code:")
    dialog.diagnoses.item(dialog.diagnoses.rowCount() - 1, 0).setText("e11.9")
    dialog.diagnoses.item(dialog.diagnoses.rowCount() - 1, 1).setText("Type 2 diabetes")
    assert dialog.submit()
    with day.store.read() as s:
        patient = repo.get(s, Patient, day.patients[0].id)
    assert patient is not None and [a.substance for a in patient.allergies] == ["Penicillin"]
    assert [d.code for d in patient.diagnoses] == ["I50.9", "E11.9"]
    assert "Latex" not in screen.allergies.text()


def _photo(path: Path, colour: str = "#3a7bd5") -> Path:
    image = QImage(1600, 1200, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "JPEG", 90)
    return path


def test_a_photo_from_a_file_is_kept_encrypted_with_a_thumbnail_and_shown(
    qtbot: QtBot, day: Day, tmp_path: Path
) -> None:
    blobs = day.blobs.__class__(tmp_path / "enc-blobs", key=b"k" * 32)
    day.actions.blobs = blobs
    day.records.blobs = blobs
    screen = open_screen(qtbot, day)
    photo = _photo(tmp_path / "wound.jpg")
    assert screen.attach_file(photo)
    with day.store.read() as s:
        [view] = gallery(s, day.patients[0].id)
    a: Attachment = view.attachment
    assert (a.media_type, a.caption, a.visit_id) == ("image/jpeg", "wound", day.visits[0].id)
    assert view.thumbnail_sha256 is not None
    stored = next(p for p in (tmp_path / "enc-blobs").rglob("*") if p.is_file() and p.name == a.sha256)
    assert stored.read_bytes().startswith(b"FABLOB"), "kept encrypted, like signatures"
    thumb = QImage.fromData(blobs.get(view.thumbnail_sha256))
    assert max(thumb.width(), thumb.height()) == 240
    assert screen.gallery_panel.grid.count() == 1
    assert "this visit" in screen.gallery_panel.grid.item(0).text()
    assert not screen.gallery_panel.grid.item(0).icon().isNull()
    viewer = screen.open_attachment(view)
    assert viewer.picture.pixmap() is not None and not viewer.picture.pixmap().isNull()


def test_a_file_that_is_no_photo_or_pdf_is_refused_by_its_bytes(
    qtbot: QtBot, day: Day, tmp_path: Path
) -> None:
    screen = open_screen(qtbot, day)
    fake = tmp_path / "notes.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")
    assert not screen.attach_file(fake)
    assert screen.error.text().startswith("Only photos and documents can be attached")
    pdf = tmp_path / "discharge.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    assert screen.attach_file(pdf)
    assert screen.gallery_panel.grid.count() == 1


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)])
def test_the_care_parts_fit_with_touch_sized_named_controls(qtbot: QtBot, day: Day, styled_app, size) -> None:  # noqa: F811
    check_in(day)
    screen = open_screen(qtbot, day, size)
    line = next(iter(screen.tasks_panel.lines.values()))
    qtbot.mouseClick(line.buttons[Outcome.REFUSED], TAP)
    assert layout_problems(qtbot, screen) == []


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_the_end_of_day_pdf_states_each_tasks_outcome_and_those_left_open(day: Day, tmp_path: Path) -> None:
    check_in(day)
    bath = tasks(day)[0]
    day.actions.record_outcome(day.visits[0].id, bath.id, Outcome.REFUSED, "Asleep", "Offered at 11")
    day.actions.check_out(day.visits[0].id)
    data = day.records.day_report(factories.WORKER, day.day, "Ana Reyes")
    first = next(v for v in data.visits if v.id == day.visits[0].id)
    assert [(t.title, t.outcome) for t in first.tasks] == [
        ("Bathing", "refused"),
        ("Meal preparation", None),
        ("Walk to the mailbox", None),
    ]
    assert first.open_tasks == ("Meal preparation",)
    assert "tasks left open: Meal preparation" in first.problems()
    assert data.to_json()["visits"][0]["tasks"][0]["reason"] == "Asleep"
    pdf = tmp_path / "day.pdf"
    pdf.write_bytes(render_pdf(data))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = " ".join(text.split())
    assert "Tasks (plan of care)" in flat
    assert "Bathing: Patient refused (Asleep · Offered at 11)" in flat
    assert "Meal preparation: LEFT OPEN" in flat
    assert "Walk to the mailbox: as needed, not done" in flat


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_the_end_of_day_pdf_names_catalogue_duties_in_its_language(
    day: Day, tmp_path: Path, qapp: object
) -> None:
    check_in(day)
    bath = tasks(day)[0]
    day.actions.record_outcome(day.visits[0].id, bath.id, Outcome.DONE)
    data = day.records.day_report(factories.WORKER, day.day, "Ana Reyes", UTC)
    with Spanish(compile_catalogue(tmp_path)):
        spanish = DayReportDocument(
            data, day.records.blob, zone=UTC, translate=QCoreApplication.translate, locale="es_US"
        )
        (tmp_path / "es.pdf").write_bytes(spanish.pdf())
    english = DayReportDocument(data, day.records.blob, zone=UTC)
    assert spanish.digest == english.digest, "the words change, not what the signature attests"
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "es.pdf"), "-"], check=True, capture_output=True, text=True
    )
    flat = " ".join(text.stdout.split())
    assert "Baño: " in flat and "Preparación de comidas: " in flat
    assert "tareas pendientes: Preparación de comidas" in flat, "the list of what to fix too"
    assert "Bathing" not in flat and "Meal preparation" not in flat
    assert "Walk to the mailbox: " in flat, "a title the office wrote is printed as written"


def test_a_photo_taken_with_the_camera_from_generated_frames_is_attached(qtbot: QtBot, day: Day) -> None:
    multimedia = pytest.importorskip("PySide6.QtMultimedia")  # PySide6-Addons (the dev extra installs it)
    from fieldapp.ui.gallery.camera import CameraDialog

    screen = open_screen(qtbot, day)
    frames = multimedia.QVideoFrameInput()
    dialog = screen.open_camera(frames)
    assert isinstance(dialog, CameraDialog)
    assert not dialog.take_button.isEnabled(), "nothing to take before a picture arrives"
    image = QImage(1280, 960, QImage.Format.Format_RGB32)
    image.fill(QColor("#c0392b"))
    assert frames.sendVideoFrame(multimedia.QVideoFrame(image))
    qtbot.waitUntil(lambda: dialog.take_button.isEnabled(), timeout=5_000)
    dialog.caption.setText("Left heel, 2 x 3 cm")
    qtbot.mouseClick(dialog.take_button, TAP)
    with day.store.read() as s:
        [view] = gallery(s, day.patients[0].id)
    assert (view.attachment.source.value, view.attachment.caption) == ("camera", "Left heel, 2 x 3 cm")
    photo = QImage.fromData(day.blobs.get(view.attachment.sha256))
    assert (photo.width(), photo.height()) == (1280, 960)
    assert photo.pixelColor(640, 480).red() > 150, "the frame on screen is the photo kept"
