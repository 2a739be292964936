"""A patient's record: allergies first and in red, contact details (edited in place, saved on this
tablet the moment a field is left), diagnoses, care plan, task history, visit history and clinical notes.

Reads go through ``Records``, writes through ``Actions.edit_patient``; a refused value stays in its field
with the reason beside it, and nothing is sent anywhere until the next sync.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import QFrame, QGridLayout, QLineEdit, QVBoxLayout, QWidget

from fieldapp.domain.audit import AuditAction
from fieldapp.domain.entities import Patient, Visit, VisitNote
from fieldapp.domain.errors import DomainError, ValidationError
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.qt.i18n import day, message, number, refusal, time_of_day
from fieldapp.qt.ports import PatientActions, PatientReads, PatientValue
from fieldapp.qt.words import service_line, word
from fieldapp.ui.common import (
    button,
    column,
    label,
    scrolled_page,
    section,
    set_flag,
    set_role,
)
from fieldapp.ui.task_history import task_history_rows
from fieldapp.ui.today import status_words

SAVED = QT_TRANSLATE_NOOP("PatientRecordScreen", "✓ Saved on this tablet")


def _tr(text: str) -> str:
    return QCoreApplication.translate("PatientRecordScreen", text)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable value: where it lives in the patient record and how it is labelled."""

    path: str  # "phone", "address.city", ...
    title: str
    row: int
    column: int
    optional: bool = True


FIELDS = (
    FieldSpec("given_name", QT_TRANSLATE_NOOP("PatientRecordScreen", "Given name"), 0, 0, optional=False),
    FieldSpec("family_name", QT_TRANSLATE_NOOP("PatientRecordScreen", "Family name"), 0, 1, optional=False),
    FieldSpec("phone", QT_TRANSLATE_NOOP("PatientRecordScreen", "Phone"), 1, 0),
    FieldSpec("address.line1", QT_TRANSLATE_NOOP("PatientRecordScreen", "Street and number"), 2, 0),
    FieldSpec("address.line2", QT_TRANSLATE_NOOP("PatientRecordScreen", "Apartment, floor"), 2, 1),
    FieldSpec("address.city", QT_TRANSLATE_NOOP("PatientRecordScreen", "Town"), 3, 0),
    FieldSpec("address.postal_code", QT_TRANSLATE_NOOP("PatientRecordScreen", "Postal code"), 3, 1),
    FieldSpec("emergency_contact.name", QT_TRANSLATE_NOOP("PatientRecordScreen", "Emergency contact"), 4, 0),
    FieldSpec(
        "emergency_contact.relationship", QT_TRANSLATE_NOOP("PatientRecordScreen", "Relationship"), 4, 1
    ),
    FieldSpec(
        "emergency_contact.phone", QT_TRANSLATE_NOOP("PatientRecordScreen", "Emergency contact phone"), 5, 0
    ),
)
GROUPS = ("address", "emergency_contact")

FRIENDLY = {
    "String should have at least 1 character": QT_TRANSLATE_NOOP(
        "PatientRecordScreen", "This cannot be empty."
    ),
    "Field required": QT_TRANSLATE_NOOP("PatientRecordScreen", "Needed as well."),
    "String should have at least 3 characters": QT_TRANSLATE_NOOP(
        "PatientRecordScreen", "Too short for a phone number."
    ),
}


def friendly(path: str, text: str) -> str:
    """The validation message in words for the person holding the tablet."""
    if text in FRIENDLY:
        return _tr(FRIENDLY[text])
    if "pattern" in text and path.endswith("phone"):
        return QCoreApplication.translate("PatientRecordScreen", "Use digits, spaces, + ( ) - and . only.")
    if "pattern" in text and path.endswith("postal_code"):
        return QCoreApplication.translate(
            "PatientRecordScreen", "Use letters, digits, spaces and dashes only."
        )
    if text.startswith("String should have at most"):
        most = text.removeprefix("String should have at most ").split(" ")[0]
        if most.isdigit():
            return QCoreApplication.translate(
                "PatientRecordScreen", "Too long. At most {count} characters."
            ).format(count=number(int(most)))
    shown = message(text)
    return shown[:1].upper() + shown[1:]


class EditableField:
    """A labelled line edit with its message line (error in red, or "saved" in green) below."""

    def __init__(self, spec: FieldSpec) -> None:
        self.spec = spec
        self.title = label(_tr(spec.title), "fieldLabel", wrap=False)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(_tr(spec.title))
        self.edit.setObjectName(spec.path)
        self.message = label("", None)
        self.message.setVisible(False)
        self.title.setBuddy(self.edit)
        self.box = column(self.title, self.edit, self.message, spacing=4)
        self.has_error = False

    def show_error(self, text: str) -> None:
        self.has_error = True
        self._message(text, "error")
        set_flag(self.edit, "invalid", True)
        self.edit.setAccessibleDescription(text)

    def show_saved(self) -> None:
        self._clear_error()
        self._message(_tr(SAVED), "saved")

    def clear(self) -> None:
        self._clear_error()
        self.message.setVisible(False)

    def _clear_error(self) -> None:
        if self.has_error:
            self.has_error = False
            set_flag(self.edit, "invalid", False)
            self.edit.setAccessibleDescription("")

    def _message(self, text: str, role: str) -> None:
        self.message.setText(text)
        set_role(self.message, role)
        self.message.setVisible(True)


class PatientRecordScreen(QWidget):
    """One patient; ``show_patient(id)`` loads it, ``records_did_change`` keeps it current."""

    open_visit = Signal(object)  # uuid.UUID

    def __init__(self, records: PatientReads, actions: PatientActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._records, self._actions = records, actions
        self.patient: Patient | None = None
        self._patient_id: uuid.UUID | None = None
        self.fields = {spec.path: EditableField(spec) for spec in FIELDS}
        self._build()
        actions.records_did_change.connect(self.refresh)

    # -- layout ----------------------------------------------------------------------------------------------

    def _build(self) -> None:
        _root, layout = scrolled_page(self, self.tr("Patient record"))
        self.name_label = label("", "title")
        self.facts_label = label("", "muted", selectable=True)
        self.allergies_label = label("", "allergy")
        self.allergies_label.setAccessibleName(self.tr("Allergies"))
        self.form_status = label("", "muted")
        self.form_status.setVisible(False)
        self.missing_label = label(self.tr("This patient is no longer on this tablet."), "notice")
        self.missing_label.setVisible(False)
        layout.addWidget(self.name_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.allergies_label)
        contact = self._contact_section()
        self.diagnoses_box, self.diagnoses = self._section(self.tr("Diagnoses"))
        self.care_plan_box, self.care_plan = self._section(self.tr("Care plan"))
        self.history_box, self.history = self._section(self.tr("Visit history"))
        self.tasks_box, self.tasks = self._section(self.tr("Task history"))
        self.tasks_box.setObjectName("taskHistory")
        self.notes_box, self.notes = self._section(self.tr("Notes"))
        boxes = (self.diagnoses_box, self.care_plan_box, self.tasks_box, self.history_box, self.notes_box)
        self.body = column(contact, *boxes, spacing=12)
        layout.addWidget(self.body)
        layout.addStretch(1)
        edits = [field.edit for field in self.fields.values()]
        for first, second in itertools.pairwise(edits):
            QWidget.setTabOrder(first, second)  # across each row, then down

    def _contact_section(self) -> QFrame:
        frame, layout = self._section(self.tr("Contact details"))
        hint = label(
            self.tr(
                "Changes are saved on this tablet as soon as you leave a field, and sent to the office at "
                "the next sync."
            ),
            "muted",
        )
        layout.addWidget(hint)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        for field in self.fields.values():
            grid.addWidget(field.box, field.spec.row, field.spec.column)
            field.edit.editingFinished.connect(lambda f=field: self._field_left(f))
        layout.addLayout(grid)
        layout.addWidget(self.form_status)
        return frame

    def _section(self, title: str) -> tuple[QFrame, QVBoxLayout]:
        return section(title)

    # -- loading ---------------------------------------------------------------------------------------------

    def show_patient(self, patient_id: uuid.UUID) -> None:
        """Load a patient (discarding messages about the previous one)."""
        for field in self.fields.values():
            field.clear()
        self._status("")
        self._patient_id = patient_id
        self.patient = None
        self._load(overwrite=True)
        if self.patient is not None:  # one entry per opening, not per refresh
            self._actions.audit(AuditAction.VIEW, entity="patient", record_id=patient_id)

    @Slot(object)
    def refresh(self, *_: object) -> None:
        """Reload after a change (keeps what the worker is typing or has yet to correct)."""
        if self._patient_id is not None:
            self._load(overwrite=False)

    def _load(self, *, overwrite: bool) -> None:
        if self._patient_id is None:
            return
        patient = self._records.patient(self._patient_id)
        self.missing_label.setVisible(patient is None)
        self.body.setVisible(patient is not None)
        self.allergies_label.setVisible(patient is not None)
        if patient is None:
            self.name_label.setText(self.tr("Patient not on this tablet"))
            self.facts_label.setText("")
            return
        self.patient = patient
        self._show_header(patient)
        for field in self.fields.values():
            if overwrite or not (field.edit.hasFocus() or field.has_error):
                field.edit.setText(_value(patient, field.spec.path))
        self._show_diagnoses(patient)
        self._fill(
            self.care_plan, [label(patient.care_plan or self.tr("No care plan recorded."), selectable=True)]
        )
        self._fill(self.tasks, task_history_rows(self._records.patient_task_history(patient.id)))
        self._show_history(self._records.patient_visits(patient.id, 20))
        self._show_notes(self._records.patient_notes(patient.id, 20))

    def _show_header(self, patient: Patient) -> None:
        self.name_label.setText(f"{patient.given_name} {patient.family_name}")
        born = patient.date_of_birth
        self.facts_label.setText(
            self.tr("{mrn} · born {born} (age {age}) · {sex}").format(
                mrn=patient.mrn, born=day(born), age=_age(born), sex=word(patient.sex.value)
            )
        )
        if patient.allergies:
            items = [
                a.substance + (f" ({word(a.severity.value)}" + (f": {a.reaction})" if a.reaction else ")"))
                for a in patient.allergies
            ]
            self.allergies_label.setText(self.tr("⚠ ALLERGIES: {list}").format(list="; ".join(items)))
            set_role(self.allergies_label, "allergy")
        else:
            self.allergies_label.setText(self.tr("No known allergies recorded."))
            set_role(self.allergies_label, "noAllergy")

    def _show_diagnoses(self, patient: Patient) -> None:
        rows = [
            label(f"{d.code} — {d.description}" if d.description else d.code, selectable=True)
            for d in patient.diagnoses
        ]
        self._fill(self.diagnoses, rows or [label(self.tr("No diagnoses recorded."), "muted")])

    def _show_history(self, visits: Sequence[Visit]) -> None:
        rows: list[QWidget] = []
        for visit in visits:
            start = visit.scheduled_start
            when = f"{day(start.astimezone().date(), 'ddd dd MMM yyyy')}, {time_of_day(start)}"
            status = status_words(visit.status)
            text = f"{when} · {status}"
            if visit.is_signed:
                text += " · " + self.tr("signed")
            text += f"\n{service_line(visit.service_code)}"  # a line of its own: it fits a portrait screen
            row = button(text, self.tr("Open visit of {when}, {status}").format(when=when, status=status))
            set_role(row, "link")
            row.clicked.connect(lambda _=False, vid=visit.id: self.open_visit.emit(vid))
            rows.append(row)
        self._fill(self.history, rows or [label(self.tr("No visits on this tablet."), "muted")])

    def _show_notes(self, notes: Sequence[VisitNote]) -> None:
        rows: list[QWidget] = []
        for note in notes:
            when = f"{day(note.written_at.astimezone().date())} {time_of_day(note.written_at)}"
            prefix = self.tr("Amendment") + " · " if note.amends else ""
            rows.append(label(f"{prefix}{when}", "fieldLabel"))
            rows.append(label(note.text, selectable=True))
        self._fill(self.notes, rows or [label(self.tr("No notes yet."), "muted")])

    @staticmethod
    def _fill(layout: QVBoxLayout, widgets: Sequence[QWidget]) -> None:
        while layout.count() > 1:  # keep the heading
            item = layout.takeAt(1)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for widget in widgets:
            layout.addWidget(widget)

    # -- saving ----------------------------------------------------------------------------------------------

    def _field_left(self, field: EditableField) -> None:
        if self.patient is None:
            return
        top = field.spec.path.split(".")[0]
        changes: dict[str, PatientValue] = {
            top: self._group_value(top) if top in GROUPS else self._plain_value(field)
        }
        if _same(self.patient, top, changes[top]):
            if field.has_error:
                field.clear()  # back to the saved value
            return
        members = [f for f in self.fields.values() if f.spec.path.split(".")[0] == top]
        try:
            self._actions.edit_patient(self.patient.id, **changes)
        except ValidationError as exc:
            self._show_problems(field, members, exc.problems)
            return
        except DomainError as exc:
            field.show_error(refusal(exc))
            self._status(self.tr("Not saved: {reason}").format(reason=refusal(exc)))
            return
        for member in members:
            member.clear()
        field.show_saved()
        self._status(
            self.tr("Saved on this tablet at {time}; it goes to the office at the next sync.").format(
                time=time_of_day(datetime.now().astimezone())
            )
        )

    def _plain_value(self, field: EditableField) -> str | None:
        text = field.edit.text().strip()
        return None if (field.spec.optional and not text) else text

    def _group_value(self, group: str) -> dict[str, object] | None:
        values: dict[str, object] = {
            f.spec.path.split(".", 1)[1]: f.edit.text().strip()
            for f in self.fields.values()
            if f.spec.path.startswith(group + ".")
        }
        if not any(values.values()):
            return None
        current = getattr(self.patient, group)
        return {**(current.model_dump() if current is not None else {}), **values}

    def _show_problems(
        self, field: EditableField, members: list[EditableField], problems: dict[str, str]
    ) -> None:
        for member in members:
            member.clear()
        shown = False
        for path, problem in problems.items():
            target = self.fields.get(path)
            if target is None and "." not in path:
                target = field  # the whole group or record: show it where the worker typed
            if target is not None:
                target.show_error(friendly(path, problem))
                shown = True
        if not shown:
            field.show_error(
                friendly("", next(iter(problems.values()), self.tr("This value was not accepted.")))
            )
        self._status(self.tr("Not saved: correct the field marked in red."))

    def _status(self, text: str) -> None:
        self.form_status.setText(text)
        self.form_status.setVisible(bool(text))


def _value(patient: Patient, path: str) -> str:
    value: object = patient
    for part in path.split("."):
        value = getattr(value, part, None) if value is not None else None
    return "" if value is None else str(value)


def _same(patient: Patient, top: str, value: PatientValue) -> bool:
    current = getattr(patient, top)
    if isinstance(value, dict) and current is not None:
        return bool(current.model_dump() == {**current.model_dump(), **value})
    return bool(current == value)


def _age(born: date) -> int:
    today = date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
