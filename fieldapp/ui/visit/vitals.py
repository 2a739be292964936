"""The visit's vital signs: each kind in the agency's unit with its plausible range, checked as typed; a
blood pressure as one "120/80" entry (decision 0031)."""

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
from fieldapp.domain.vitals import BloodPressureError, VitalUnits, parse_blood_pressure
from fieldapp.qt.i18n import decimal
from fieldapp.qt.words import word
from fieldapp.readmodels.visits import VisitDetail
from fieldapp.reports.words import KIND_WORDS, SHORT_KIND_WORDS, unit_text
from fieldapp.ui.common import TOUCH, named
from fieldapp.ui.flow import FlowRow
from fieldapp.ui.visit.parts import card, local, named_label, signing_mark, sized_button
from fieldapp.ui.visit.times import SETTLED

BLOOD_PRESSURE = "blood_pressure"  # one entry for the systolic and diastolic readings


class VitalsPanel(QFrame):
    """Kind, value and unit of a new reading, its plausible range, and the visit's readings."""

    def __init__(self, units: VitalUnits | None = None) -> None:
        super().__init__()
        self.units = units or VitalUnits()
        layout = card(self, self.tr("Vital signs"), "vitalsCard")
        layout.addLayout(self._entry())
        self.vital_hint = named_label(role="muted", name="vitalHint")
        self.vital_hint.setAccessibleName(self.tr("Plausible range"))
        layout.addWidget(self.vital_hint)
        self.vital_error = named_label(role="error", name="vitalError")
        self.vital_error.setAccessibleName(self.tr("Vital sign problem"))
        self.vital_error.hide()
        layout.addWidget(self.vital_error)
        self.vitals = named(QListWidget(), "vitalsList", self.tr("Vital signs of this visit"))
        self.vitals.setMinimumHeight(120)
        self.vitals.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.vitals)
        self.vital_kind.currentIndexChanged.connect(self._kind_changed)
        self.vital_unit.currentIndexChanged.connect(self._unit_changed)
        self._kind_changed()

    def _entry(self) -> FlowRow:
        grid = FlowRow()  # kind, value, unit and Add in one row, wrapping where the screen is narrow
        self.vital_kind = named(QComboBox(), "vitalKind", self.tr("Measurement"))
        self.vital_kind.setMinimumHeight(TOUCH)
        # May shrink below its longest entry ("Blood pressure, diastolic") so the value field keeps room.
        self.vital_kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.vital_kind.setMinimumContentsLength(12)
        for kind in ObservationKind:
            if kind is ObservationKind.SYSTOLIC_BP:
                self.vital_kind.addItem(self.tr("Blood pressure"), BLOOD_PRESSURE)
            elif kind is not ObservationKind.DIASTOLIC_BP:
                self.vital_kind.addItem(word(SHORT_KIND_WORDS.get(kind.value, kind.value)), kind.value)
        self.vital_value = named(QLineEdit(), "vitalValue", self.tr("Value"))
        self.vital_value.setPlaceholderText(self.tr("Value"))
        self.vital_value.setMinimumHeight(TOUCH)
        self.vital_value.setMinimumWidth(96)
        self.vital_value.setMaximumWidth(140)
        self.vital_unit = named(QComboBox(), "vitalUnit", self.tr("Unit"))
        self.vital_unit.setMinimumHeight(TOUCH)
        self.add_vital_button = sized_button(self.tr("Add"), self.tr("Add the vital sign"), "primary", 96)
        for widget in (self.vital_kind, self.vital_value, self.vital_unit, self.add_vital_button):
            grid.addWidget(widget)
        return grid

    @property
    def blood_pressure(self) -> bool:
        """Whether a blood pressure ("120/80") is being typed."""
        return bool(self.vital_kind.currentData() == BLOOD_PRESSURE)

    @property
    def kind(self) -> ObservationKind:
        """The kind chosen (the systolic reading for a blood pressure)."""
        # Qt keeps item data as plain strings (a StrEnum member comes back as str).
        data = self.vital_kind.currentData()
        return ObservationKind.SYSTOLIC_BP if data == BLOOD_PRESSURE else ObservationKind(data)

    @property
    def unit(self) -> str:
        """The unit chosen."""
        return str(self.vital_unit.currentData())

    def set_units(self, units: VitalUnits) -> None:
        """Type and show temperatures and weights in ``units`` (the agency's, from its card)."""
        self.units = units
        self._kind_changed()

    def _kind_changed(self) -> None:
        unit = self.units.entry_unit(self.kind)  # one unit per kind: the agency's
        self.vital_unit.blockSignals(True)
        self.vital_unit.clear()
        self.vital_unit.addItem(unit_text(unit), unit)
        self.vital_unit.blockSignals(False)
        self.vital_value.setPlaceholderText(
            self.tr("e.g. 120/80") if self.blood_pressure else self.tr("Value")
        )
        self._unit_changed()

    def _unit_changed(self) -> None:
        unit = self.vital_unit.currentData()
        if not isinstance(unit, str):
            return
        if self.blood_pressure:
            self.vital_hint.setText(self.tr("Systolic/diastolic in mmHg, the higher number first: 120/80"))
            return
        low, high = self.units.entry_range(self.kind)
        self.vital_hint.setText(
            self.tr("Plausible range: {low}–{high} {unit}").format(
                low=decimal(low), high=decimal(high), unit=unit_text(unit)
            )
        )

    def problem(self) -> str | None:
        """Why the typed vital sign cannot be saved, or None."""
        kind, unit = self.kind, self.vital_unit.currentData()
        text = self.vital_value.text().strip()
        words = (
            self.tr("blood pressure") if self.blood_pressure else word(KIND_WORDS.get(kind.value, kind.value))
        )
        if not text:
            return self.tr("Type the {what} value.").format(what=words.lower())
        if self.blood_pressure:
            return self._pressure_problem(text)
        value = _number(text)
        if value is None:
            return self.tr("“{text}” is not a number.").format(text=text)
        if not isinstance(unit, str) or unit not in OBSERVATION_UNITS[kind]:
            return self.tr("Choose the unit.")
        low, high = self.units.entry_range(kind)
        if not low <= value <= high:
            return self.tr(
                "{what} of {value} {unit} is outside the plausible range {low}–{high} {unit}. Check the "
                "reading and the unit."
            ).format(
                what=words, value=decimal(value), unit=unit_text(unit), low=decimal(low), high=decimal(high)
            )
        return None

    def _pressure_problem(self, text: str) -> str | None:
        try:
            parse_blood_pressure(text)
        except BloodPressureError as exc:
            facts = {k: f"{v:g}" if isinstance(v, float) else v for k, v in exc.facts.items()}
            if exc.problem == "range":
                which = self.tr("systolic") if facts["which"] == "systolic" else self.tr("diastolic")
                return self.tr(
                    "A {which} pressure of {value} mmHg is outside the plausible range {low}–{high}. Check "
                    "the reading."
                ).format(**{**facts, "which": which})
            if exc.problem == "order":
                return self.tr(
                    "The systolic pressure ({systolic}) must be higher than the diastolic ({diastolic}): "
                    "type the higher number first, e.g. 120/80."
                ).format(**facts)
            return self.tr(
                "Type the blood pressure as two numbers with a slash, systolic first, e.g. 120/80 "
                "(not “{text}”)."
            ).format(text=text)
        return None

    def value(self) -> float:
        """The typed value (in the tablet's locale, or with a decimal point); check ``problem()`` first."""
        value = _number(self.vital_value.text().strip())
        assert value is not None, "check problem() first"
        return value

    def pressure(self) -> tuple[float, float]:
        """The typed systolic and diastolic pressures; check ``problem()`` first."""
        return parse_blood_pressure(self.vital_value.text())

    def show_error(self, message: str) -> None:
        """Say why the reading was not saved."""
        self.vital_error.setText(message)
        self.vital_error.show()

    def show_vitals(self, d: VisitDetail) -> None:
        """List the visit's readings; no new ones for a visit that did not take place."""
        signed_at = d.signature.signed_at if d.signature is not None else None
        self.vitals.clear()
        for o in d.observations:
            self.vitals.addItem(vital_item(o, signed_at, self.units))
        if not d.observations:
            placeholder = QListWidgetItem(self.tr("No vital signs yet."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.vitals.addItem(placeholder)
        enabled = d.visit.status not in SETTLED
        for widget in (self.vital_kind, self.vital_value, self.vital_unit, self.add_vital_button):
            widget.setEnabled(enabled)


def _number(text: str) -> float | None:
    value, ok = QLocale().toDouble(text)
    if ok:
        return value
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def vital_item(o: Observation, signed_at: datetime | None, units: VitalUnits) -> QListWidgetItem:
    """One reading in the list (in the agency's unit), marked when entered in error or added after signing."""
    kind = word(KIND_WORDS.get(o.kind.value, o.kind.value))
    value, unit = units.shown(o.kind, o.value, o.unit)
    text = f"{local(o.observed_at)}   {kind}   {decimal(value)} {unit_text(unit)}"
    if o.entered_in_error:
        text += "   " + QCoreApplication.translate("VitalsPanel", "(entered in error)")
    if signed_at is not None:
        text += "   · " + signing_mark(o.observed_at, signed_at)
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, o.id)
    return item
