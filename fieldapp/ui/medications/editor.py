"""Adding or editing one medication: name, strength, dose, route, frequency, dates, prescriber, notes.

Only the fields the nurse changed are saved (``changed_values``), so an office edit of another field made
meanwhile survives the merge.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.medications import Medication, Route
from fieldapp.qt.ports import MedicationEditing, MedicationValue
from fieldapp.qt.words import word
from fieldapp.ui.common import TOUCH, add_dialog_buttons, named, titled
from fieldapp.ui.visit.parts import FormDialog

TEXTS = (
    (
        "name",
        QT_TRANSLATE_NOOP("MedicationDialog", "Name"),
        QT_TRANSLATE_NOOP("MedicationDialog", "e.g. Furosemide"),
        100,
    ),
    (
        "strength",
        QT_TRANSLATE_NOOP("MedicationDialog", "Strength"),
        QT_TRANSLATE_NOOP("MedicationDialog", "e.g. 40 mg"),
        60,
    ),
    (
        "dose",
        QT_TRANSLATE_NOOP("MedicationDialog", "Dose"),
        QT_TRANSLATE_NOOP("MedicationDialog", "e.g. 1 tablet"),
        60,
    ),
    (
        "frequency",
        QT_TRANSLATE_NOOP("MedicationDialog", "Frequency"),
        QT_TRANSLATE_NOOP("MedicationDialog", "e.g. once a day, morning"),
        200,
    ),
    (
        "prescriber",
        QT_TRANSLATE_NOOP("MedicationDialog", "Prescriber"),
        QT_TRANSLATE_NOOP("MedicationDialog", "e.g. Dr. Okafor"),
        200,
    ),
)


class _OptionalDate(QWidget):
    """A date that may be left empty (a checkbox turns it on)."""

    def __init__(self, words: str) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.given = QCheckBox(words)
        self.given.setMinimumHeight(TOUCH)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(QCoreApplication.translate("MedicationDialog", "dd MMM yyyy"))
        self.edit.setMinimumHeight(TOUCH)
        self.edit.setAccessibleName(words)
        self.given.toggled.connect(self.edit.setEnabled)
        row.addWidget(self.given)
        row.addWidget(self.edit, stretch=1)
        self.set(None)

    def set(self, value: date | None) -> None:
        self.given.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        day = value or date.today()
        self.edit.setDate(QDate(day.year, day.month, day.day))

    def value(self) -> date | None:
        if not self.given.isChecked():
            return None
        q = self.edit.date()
        return date(q.year(), q.month(), q.day())


class MedicationDialog(FormDialog):
    """Add a medication to a patient's list, or edit one (``medication`` given)."""

    def __init__(
        self,
        actions: MedicationEditing,
        patient_id: uuid.UUID,
        medication: Medication | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title = self.tr("Edit medication") if medication else self.tr("Add a medication")
        titled(self, "medicationDialog", title)
        self.app_actions, self.patient_id, self.medication = actions, patient_id, medication
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for name, source, hint, limit in TEXTS:
            words = self.tr(source)
            edit = named(QLineEdit(), f"medication_{name}", words)
            edit.setPlaceholderText(self.tr(hint))
            edit.setMaxLength(limit)
            edit.setMinimumHeight(TOUCH)
            self.fields[name] = edit
            form.addRow(words, edit)
        self.route = named(QComboBox(), "medication_route", self.tr("Route"))
        self.route.setMinimumHeight(TOUCH)
        for route in Route:
            self.route.addItem(word(route.value.replace("_", " ").capitalize()), route.value)
        form.insertRow(3, self.tr("Route"), self.route)
        self.start, self.stop = _OptionalDate(self.tr("Started")), _OptionalDate(self.tr("Stops"))
        form.addRow(self.tr("Start"), self.start)
        form.addRow(self.tr("Stop"), self.stop)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setFixedHeight(72)
        form.addRow(self.tr("Notes"), self.notes)
        layout.addLayout(form)
        layout.addWidget(self.error_line())
        self.save = add_dialog_buttons(
            layout, self, (self.tr("Save"), self.tr("Save the medication")), self.tr("Cancel"), self.submit
        )
        if medication is not None:
            self._fill(medication)

    def _fill(self, m: Medication) -> None:
        for name, edit in self.fields.items():
            edit.setText(str(getattr(m, name)))
        self.route.setCurrentIndex(max(0, self.route.findData(m.route.value)))
        self.start.set(m.start_date)
        self.stop.set(m.stop_date)
        self.notes.setPlainText(m.notes)

    def values(self) -> dict[str, MedicationValue]:
        """Every field as typed."""
        values: dict[str, MedicationValue] = {name: edit.text().strip() for name, edit in self.fields.items()}
        values.update(
            route=str(self.route.currentData()),
            start_date=self.start.value(),
            stop_date=self.stop.value(),
            notes=self.notes.toPlainText(),
        )
        return values

    def changed_values(self) -> dict[str, MedicationValue]:
        """Only the fields that differ from the medication as opened (all of them for a new one)."""
        values = self.values()
        if self.medication is None:
            return values
        before = self.medication.model_dump(mode="json")
        return {k: v for k, v in values.items() if _wire(v) != before.get(k)}

    def submit(self) -> bool:
        """Save, or say what is wrong (the dialog stays open)."""
        if not self.fields["name"].text().strip():
            return self._fail(self.tr("Give the medication's name."))
        return self._done(self._save)

    def _save(self) -> None:
        if self.medication is None:
            self.app_actions.add_medication(self.patient_id, self.values())
        elif changes := self.changed_values():
            self.app_actions.edit_medication(self.medication.id, changes)


def _wire(value: MedicationValue) -> str | None:
    return value.isoformat() if isinstance(value, date) else value
