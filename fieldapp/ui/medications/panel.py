"""The medication list on the visit screen: active first, discontinued below (greyed), each editable;
with the allergy and diagnosis lists' editor one tap away."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QFrame, QHBoxLayout, QListWidget, QListWidgetItem

from fieldapp.domain.medications import Medication, MedicationStatus
from fieldapp.qt.i18n import day
from fieldapp.ui.common import named
from fieldapp.ui.flow import FlowRow
from fieldapp.ui.visit.parts import card, named_label, set_shown, sized_button


def medication_text(m: Medication) -> str:
    """A medication's line: what, how, since when, by whom; discontinued ones say so."""
    since = (
        QCoreApplication.translate("MedicationsPanel", "since {day}").format(day=day(m.start_date))
        if m.start_date
        else ""
    )
    stop = (
        QCoreApplication.translate("MedicationsPanel", "stopped {day}").format(day=day(m.stop_date))
        if m.stop_date
        else ""
    )
    extra = " · ".join(x for x in (since, stop, m.prescriber) if x)
    head = (
        m.summary
        if m.status is MedicationStatus.ACTIVE
        else QCoreApplication.translate("MedicationsPanel", "DISCONTINUED: {medication}").format(
            medication=m.summary
        )
    )
    if m.entered_in_error:
        head = QCoreApplication.translate(
            "MedicationsPanel", "ENTERED IN ERROR ({reason}): {medication}"
        ).format(reason=m.error_reason, medication=m.summary)
    return head + (f"\n{extra}" if extra else "") + (f"\n{m.notes}" if m.notes else "")


class MedicationsPanel(QFrame):
    """The patient's medications; the buttons ask the screen to open the editors."""

    add_requested = Signal()
    edit_requested = Signal(object)  # Medication
    discontinue_requested = Signal(object, object)  # Medication, date
    lists_requested = Signal()
    error_requested = Signal(object)  # Medication

    def __init__(self) -> None:
        super().__init__()
        layout = card(self, self.tr("Medications"), "medicationsCard")
        self.meds = named(QListWidget(), "medicationList", self.tr("Medications"))
        self.meds.setWordWrap(True)
        self.meds.setMinimumHeight(220)
        self.meds.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.meds.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.meds.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.meds.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        layout.addWidget(self.meds)
        self.empty = named_label(self.tr("No medications on record"), "muted", "noMedications")
        layout.addWidget(self.empty)
        row = FlowRow()
        self.add_button = sized_button(
            self.tr("Add"), self.tr("Add a medication"), "primary", 88, "addMedication"
        )
        self.edit_button = sized_button(
            self.tr("Edit"), self.tr("Edit the selected medication"), None, 88, "editMedication"
        )
        self.stop_button = sized_button(
            self.tr("Stop"), self.tr("Discontinue the selected medication"), None, 88, "stopMedication"
        )
        self.error_button = sized_button(
            self.tr("In error…"),
            self.tr("Mark the selected medication entered in error"),
            None,
            120,
            "medicationInError",
        )
        self.lists_button = sized_button(
            self.tr("Allergies && diagnoses"),
            self.tr("Edit allergies and diagnoses"),
            "link",
            180,
            "editClinicalLists",
        )
        for b in (self.add_button, self.edit_button, self.stop_button, self.error_button):
            row.addWidget(b)
        layout.addLayout(row)
        lists = QHBoxLayout()  # a row of its own: the four buttons take the panel's width
        lists.addWidget(self.lists_button)
        lists.addStretch(1)
        layout.addLayout(lists)
        self.items: list[Medication] = []
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(lambda: self._with_selected(self.edit_requested.emit))
        self.stop_button.clicked.connect(lambda: self._with_selected(self._stop))
        self.lists_button.clicked.connect(self.lists_requested)
        self.error_button.clicked.connect(lambda: self._with_selected(self.error_requested.emit))
        self.meds.itemSelectionChanged.connect(self._refresh_buttons)

    def show_medications(self, meds: Sequence[Medication]) -> None:
        """Show the list (keeps the selection on the same medication)."""
        chosen = self.selected()
        self.items = list(meds)
        self.meds.clear()
        for m in self.items:
            item = QListWidgetItem(medication_text(m))
            item.setData(Qt.ItemDataRole.UserRole, str(m.id))
            if m.status is not MedicationStatus.ACTIVE or m.entered_in_error:
                item.setForeground(Qt.GlobalColor.darkGray)
            if m.entered_in_error:
                font = item.font()
                font.setStrikeOut(True)
                item.setFont(font)
            self.meds.addItem(item)
            if chosen is not None and m.id == chosen.id:
                item.setSelected(True)
        set_shown(self.empty, not self.items)
        set_shown(self.meds, bool(self.items))
        self._refresh_buttons()

    def selected(self) -> Medication | None:
        """The medication selected, or None."""
        rows = self.meds.selectedIndexes()
        if not rows:
            return None
        wanted = uuid.UUID(str(rows[0].data(Qt.ItemDataRole.UserRole)))
        return next((m for m in self.items if m.id == wanted), None)

    def _with_selected(self, then: Callable[[Medication], None]) -> None:
        chosen = self.selected()
        if chosen is not None:
            then(chosen)

    def _stop(self, medication: Medication) -> None:
        self.discontinue_requested.emit(medication, date.today())

    def _refresh_buttons(self) -> None:
        chosen = self.selected()
        live = chosen is not None and not chosen.entered_in_error
        self.edit_button.setEnabled(live)
        self.stop_button.setEnabled(live and chosen is not None and chosen.status is MedicationStatus.ACTIVE)
        self.error_button.setEnabled(live)
