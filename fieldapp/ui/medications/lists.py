"""The allergy and diagnosis lists as structured rows: substance, reaction and severity; ICD-10 code and
description. Saved as lists (one field each), checked row by row before anything is saved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from pydantic import ValidationError as PydanticValidationError
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.entities import Patient, describe
from fieldapp.domain.values import Allergy, AllergySeverity, Diagnosis
from fieldapp.qt.i18n import message
from fieldapp.qt.ports import MedicationEditing
from fieldapp.qt.words import word
from fieldapp.ui.common import add_dialog_buttons, titled
from fieldapp.ui.visit.parts import FormDialog, named_label, sized_button


def _table(name: str, headers: Sequence[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setDefaultSectionSize(44)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setMinimumHeight(180)
    return table


class ClinicalListsDialog(FormDialog):
    """Edit a patient's allergies and diagnoses (rows added, changed, removed; saved together)."""

    def __init__(self, actions: MedicationEditing, patient: Patient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        titled(self, "clinicalListsDialog", self.tr("Allergies and diagnoses"))
        self.app_actions, self.patient = actions, patient
        layout = QVBoxLayout(self)
        self.allergies = _table(
            "allergyTable", (self.tr("Substance"), self.tr("Reaction"), self.tr("Severity"))
        )
        self.allergies.setAccessibleName(self.tr("Allergies"))
        self._section(
            layout,
            self.tr("Allergies"),
            self.allergies,
            self.add_allergy,
            (self.tr("Add allergy"), self.tr("Add an allergy"), self.tr("Remove the selected allergy")),
        )
        self.diagnoses = _table("diagnosisTable", (self.tr("Code"), self.tr("Description")))
        self.diagnoses.setAccessibleName(self.tr("Diagnoses"))
        self._section(
            layout,
            self.tr("Diagnoses (ICD-10)"),
            self.diagnoses,
            self.add_diagnosis,
            (self.tr("Add diagnosis"), self.tr("Add a diagnosis"), self.tr("Remove the selected diagnosis")),
        )
        layout.addWidget(self.error_line())
        self.save = add_dialog_buttons(
            layout, self, (self.tr("Save"), self.tr("Save the lists")), self.tr("Cancel"), self.submit
        )
        for a in patient.allergies:
            self.add_allergy(a)
        for d in patient.diagnoses:
            self.add_diagnosis(d)

    def _section(
        self,
        layout: QVBoxLayout,
        heading: str,
        table: QTableWidget,
        add: Callable[[], None],
        words: tuple[str, str, str],
    ) -> None:
        """A heading, the table under it, and its add and remove buttons (see ``_row_buttons``)."""
        layout.addWidget(named_label(heading, "heading"))
        layout.addWidget(table)
        layout.addLayout(self._row_buttons(table, add, words))

    def _row_buttons(
        self, table: QTableWidget, add: Callable[[], None], words: tuple[str, str, str]
    ) -> QHBoxLayout:
        """Add and remove buttons; ``words``: the add button's text and name, the remove button's name."""
        row = QHBoxLayout()
        plus = sized_button(words[0], words[1])
        minus = sized_button(self.tr("Remove selected"), words[2])
        plus.clicked.connect(lambda: add())
        minus.clicked.connect(lambda: _remove_selected(table))
        row.addWidget(plus)
        row.addWidget(minus)
        row.addStretch(1)
        return row

    def add_allergy(self, allergy: Allergy | None = None) -> None:
        """A new row (empty, or showing ``allergy``)."""
        row = self.allergies.rowCount()
        self.allergies.insertRow(row)
        self.allergies.setItem(row, 0, QTableWidgetItem(allergy.substance if allergy else ""))
        self.allergies.setItem(row, 1, QTableWidgetItem(allergy.reaction if allergy else ""))
        severity = QComboBox()
        severity.setAccessibleName(self.tr("Severity"))
        for s in AllergySeverity:
            shown = word(s.value)
            severity.addItem(shown[:1].upper() + shown[1:], s.value)
        severity.setCurrentIndex(
            severity.findData((allergy.severity if allergy else AllergySeverity.UNKNOWN).value)
        )
        self.allergies.setCellWidget(row, 2, severity)

    def add_diagnosis(self, diagnosis: Diagnosis | None = None) -> None:
        """A new row (empty, or showing ``diagnosis``)."""
        row = self.diagnoses.rowCount()
        self.diagnoses.insertRow(row)
        self.diagnoses.setItem(row, 0, QTableWidgetItem(diagnosis.code if diagnosis else ""))
        self.diagnoses.setItem(row, 1, QTableWidgetItem(diagnosis.description if diagnosis else ""))

    def _text(self, table: QTableWidget, row: int, column: int) -> str:
        item = table.item(row, column)
        return item.text().strip() if item is not None else ""

    def allergy_values(self) -> list[Allergy]:
        """The rows as allergies (empty rows skipped); raises ValueError naming the row that is wrong."""
        found = []
        for row in range(self.allergies.rowCount()):
            substance = self._text(self.allergies, row, 0)
            if not substance and not self._text(self.allergies, row, 1):
                continue
            combo = self.allergies.cellWidget(row, 2)
            severity = combo.currentData() if isinstance(combo, QComboBox) else "unknown"
            found.append(
                _checked(
                    Allergy,
                    self.tr("Allergy row {row}").format(row=row + 1),
                    substance=substance,
                    reaction=self._text(self.allergies, row, 1),
                    severity=severity,
                )
            )
        return found

    def diagnosis_values(self) -> list[Diagnosis]:
        """The rows as diagnoses (empty rows skipped); raises ValueError naming the row that is wrong."""
        found = []
        for row in range(self.diagnoses.rowCount()):
            code, words = self._text(self.diagnoses, row, 0), self._text(self.diagnoses, row, 1)
            if code or words:
                where = self.tr("Diagnosis row {row}").format(row=row + 1)
                found.append(_checked(Diagnosis, where, code=code, description=words))
        return found

    def submit(self) -> bool:
        """Save both lists (only those that changed), or say which row is wrong."""
        try:
            allergies, diagnoses = self.allergy_values(), self.diagnosis_values()
        except ValueError as exc:
            return self._fail(str(exc))
        return self._done(lambda: self._save(allergies, diagnoses))

    def _save(self, allergies: list[Allergy], diagnoses: list[Diagnosis]) -> None:
        if tuple(allergies) != self.patient.allergies:
            self.app_actions.set_allergies(self.patient.id, allergies)
        if tuple(diagnoses) != self.patient.diagnoses:
            self.app_actions.set_diagnoses(self.patient.id, diagnoses)


V = TypeVar("V", Allergy, Diagnosis)


def _remove_selected(table: QTableWidget) -> None:
    for index in sorted((i.row() for i in table.selectionModel().selectedRows()), reverse=True):
        table.removeRow(index)


def _checked(cls: type[V], where: str, **values: str) -> V:
    try:
        return cls(**values)
    except PydanticValidationError as exc:
        problems = "; ".join(f"{path}: {message(why)}" for path, why in describe(exc).items())
        raise ValueError(f"{where}: {problems}.") from None
