"""The visit's vital signs: each kind with its allowed units and plausible range, checked as typed."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
)

from fieldapp.domain.entities import Observation
from fieldapp.domain.values import OBSERVATION_UNITS, ObservationKind
from fieldapp.qt.i18n import decimal
from fieldapp.qt.words import word
from fieldapp.readmodels.visits import VisitDetail
from fieldapp.reports.words import KIND_WORDS, SHORT_KIND_WORDS, unit_text
from fieldapp.ui.common import TOUCH
from fieldapp.ui.flow import FlowRow
from fieldapp.ui.visit.parts import card, local, named_label, sized_button
from fieldapp.ui.visit.times import SETTLED


class VitalsPanel(QFrame):
    """Kind, value and unit of a new reading, its plausible range, and the visit's readings."""

    def __init__(self) -> None:
        super().__init__()
        layout = card(self, self.tr("Vital signs"), "vitalsCard")
        layout.addLayout(self._entry())
        self.vital_hint = named_label(role="muted", name="vitalHint")
        self.vital_hint.setAccessibleName(self.tr("Plausible range"))
        layout.addWidget(self.vital_hint)
        self.vital_error = named_label(role="error", name="vitalError")
        self.vital_error.setAccessibleName(self.tr("Vital sign problem"))
        self.vital_error.hide()
        layout.addWidget(self.vital_error)
        self.vitals = QListWidget()
        self.vitals.setObjectName("vitalsList")
        self.vitals.setAccessibleName(self.tr("Vital signs of this visit"))
        self.vitals.setMinimumHeight(120)
        self.vitals.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.vitals)
        self.vital_kind.currentIndexChanged.connect(self._kind_changed)
        self.vital_unit.currentIndexChanged.connect(self._unit_changed)
        self._kind_changed()

    def _entry(self) -> FlowRow:
        grid = FlowRow()  # kind, value, unit and Add in one row, wrapping where the screen is narrow
        self.vital_kind = QComboBox()
        self.vital_kind.setObjectName("vitalKind")
        self.vital_kind.setAccessibleName(self.tr("Measurement"))
        self.vital_kind.setMinimumHeight(TOUCH)
        # May shrink below its longest entry ("Blood pressure, diastolic") so the value field keeps room.
        self.vital_kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.vital_kind.setMinimumContentsLength(12)
        for kind in ObservationKind:
            self.vital_kind.addItem(word(SHORT_KIND_WORDS.get(kind.value, kind.value)), kind.value)
        self.vital_value = QLineEdit()
        self.vital_value.setObjectName("vitalValue")
        self.vital_value.setAccessibleName(self.tr("Value"))
        self.vital_value.setPlaceholderText(self.tr("Value"))
        self.vital_value.setMinimumHeight(TOUCH)
        self.vital_value.setMinimumWidth(96)
        self.vital_value.setMaximumWidth(140)
        self.vital_unit = QComboBox()
        self.vital_unit.setObjectName("vitalUnit")
        self.vital_unit.setAccessibleName(self.tr("Unit"))
        self.vital_unit.setMinimumHeight(TOUCH)
        self.add_vital_button = sized_button(self.tr("Add"), self.tr("Add the vital sign"), "primary", 96)
        for widget in (self.vital_kind, self.vital_value, self.vital_unit, self.add_vital_button):
            grid.addWidget(widget)
        return grid

    @property
    def kind(self) -> ObservationKind:
        """The kind chosen."""
        # Qt keeps item data as plain strings (a StrEnum member comes back as str).
        return ObservationKind(self.vital_kind.currentData())

    @property
    def unit(self) -> str:
        """The unit chosen."""
        return str(self.vital_unit.currentData())

    def _kind_changed(self) -> None:
        units = OBSERVATION_UNITS[self.kind]
        self.vital_unit.blockSignals(True)
        self.vital_unit.clear()
        for unit in units:
            self.vital_unit.addItem(unit_text(unit), unit)
        self.vital_unit.blockSignals(False)
        self._unit_changed()

    def _unit_changed(self) -> None:
        unit = self.vital_unit.currentData()
        if not isinstance(unit, str):
            return
        low, high = OBSERVATION_UNITS[self.kind][unit]
        self.vital_hint.setText(
            self.tr("Plausible range: {low}–{high} {unit}").format(
                low=decimal(low), high=decimal(high), unit=unit_text(unit)
            )
        )

    def problem(self) -> str | None:
        """Why the typed vital sign cannot be saved, or None."""
        kind, unit = self.kind, self.vital_unit.currentData()
        text = self.vital_value.text().strip()
        words = word(KIND_WORDS.get(kind.value, kind.value))
        if not text:
            return self.tr("Type the {measurement} value.").format(measurement=words.lower())
        value, ok = QLocale().toDouble(text)
        if not ok:
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                return self.tr("“{text}” is not a number.").format(text=text)
        if not isinstance(unit, str) or unit not in OBSERVATION_UNITS[kind]:
            return self.tr("Choose the unit.")
        low, high = OBSERVATION_UNITS[kind][unit]
        if not low <= value <= high:
            return self.tr(
                "{measurement} of {value} {unit} is outside the plausible range {low}–{high} {unit}. "
                "Check the reading and the unit."
            ).format(
                measurement=words,
                value=decimal(value),
                unit=unit_text(unit),
                low=decimal(low),
                high=decimal(high),
            )
        return None

    def value(self) -> float:
        """The typed value (in the tablet's locale, or with a decimal point); check ``problem()`` first."""
        text = self.vital_value.text().strip()
        value, ok = QLocale().toDouble(text)
        return value if ok else float(text.replace(",", "."))

    def show_error(self, message: str) -> None:
        """Say why the reading was not saved."""
        self.vital_error.setText(message)
        self.vital_error.show()

    def show_vitals(self, d: VisitDetail) -> None:
        """List the visit's readings; no new ones for a visit that did not take place."""
        signed_at = d.signature.signed_at if d.signature is not None else None
        self.vitals.clear()
        for o in d.observations:
            self.vitals.addItem(vital_item(o, signed_at))
        if not d.observations:
            placeholder = QListWidgetItem(self.tr("No vital signs yet."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.vitals.addItem(placeholder)
        enabled = d.visit.status not in SETTLED
        for widget in (self.vital_kind, self.vital_value, self.vital_unit, self.add_vital_button):
            widget.setEnabled(enabled)


def vital_item(o: Observation, signed_at: datetime | None) -> QListWidgetItem:
    """One reading in the list, marked when entered in error or added after signing."""
    kind = word(KIND_WORDS.get(o.kind.value, o.kind.value))
    text = f"{local(o.observed_at)}   {kind}   {decimal(o.value)} {unit_text(o.unit)}"
    if o.entered_in_error:
        text += "   " + QCoreApplication.translate("VitalsPanel", "(entered in error)")
    if signed_at is not None:
        text += "   · " + (
            QCoreApplication.translate("VitalsPanel", "added after signing")
            if o.observed_at > signed_at
            else QCoreApplication.translate("VitalsPanel", "signed, locked")
        )
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, o.id)
    return item
