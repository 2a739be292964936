"""The visit's times: where it takes place, check-in, check-out, corrections with their reasons, "missed".

The place of service is a GPS fix when the device has one (``LocationSource``), otherwise "at the
patient's home" or "in the community", chosen before checking in. The panel shows what was recorded and
enables what may happen next; the screen runs the actions.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QWidget

from fieldapp.domain.entities import Visit, VisitException
from fieldapp.domain.exceptions import CODE_WORDS, REASON_WORDS, ExceptionReason, ExceptionState
from fieldapp.domain.values import Location, LocationKind, VisitStatus
from fieldapp.domain.verification import DEFAULT_POLICY, EvvPolicy, can_mark_missed
from fieldapp.qt.ports import Positioning as LocationSource
from fieldapp.qt.words import detail, word
from fieldapp.reports.words import CORRECTION_WORDS, LOCATION_WORDS
from fieldapp.ui.flow import FlowRow
from fieldapp.ui.visit.parts import card, local, named_label, sized_button

SETTLED = (VisitStatus.MISSED, VisitStatus.CANCELLED)  # the visit did not take place
__all__ = ["SETTLED", "LocationSource", "NoGps", "TimesPanel", "exceptions_text", "times_text"]


class NoGps(QObject):
    """A device without positioning: the worker says where the visit takes place, and the office is told
    why there is no GPS position."""

    position_did_change = Signal()

    def current_fix(self) -> Location | None:
        return None

    def problem(self) -> ExceptionReason | None:
        return ExceptionReason.NO_POSITIONING


class TimesPanel(QFrame):
    """Check-in and check-out: the place of service, the times recorded, corrections and "missed"."""

    def __init__(self) -> None:
        super().__init__()
        layout = card(self, self.tr("Check-in and check-out"), "timesCard")
        self._had_fix = False
        self.place_question = named_label(self.tr("Where is this visit taking place?"), "fieldLabel")
        layout.addWidget(self.place_question)
        self.places = QWidget()
        places = FlowRow(self.places)
        self.place_group = QButtonGroup(self)
        self.place_gps = sized_button(self.tr("GPS"), self.tr("Use the GPS position"), "choice", 90)
        self.place_home = sized_button(self.tr("Patient's home"), self.tr("At the patient's home"), "choice")
        self.place_community = sized_button(self.tr("Community"), self.tr("In the community"), "choice")
        for choice in (self.place_gps, self.place_home, self.place_community):
            choice.setCheckable(True)
            self.place_group.addButton(choice)
            places.addWidget(choice)
        self.place_home.setChecked(True)
        layout.addWidget(self.places)
        for part in (self.place_question, self.places):  # gone after check-in, their room kept: the
            keep = part.sizePolicy()  # buttons below stay where the finger tapped "Check in"
            keep.setRetainSizeWhenHidden(True)
            part.setSizePolicy(keep)

        row = QHBoxLayout()
        self.check_in_button = sized_button(self.tr("Check in"), self.tr("Check in now"), "primary")
        self.check_out_button = sized_button(self.tr("Check out"), self.tr("Check out now"), "primary")
        row.addWidget(self.check_in_button)
        row.addWidget(self.check_out_button)
        layout.addLayout(row)
        self.times = named_label(name="visitTimes")
        self.times.setAccessibleName(self.tr("Check-in and check-out times"))
        layout.addWidget(self.times)
        row2 = FlowRow()
        self.correct_button = sized_button(
            self.tr("Correct a time…"), self.tr("Correct the check-in or check-out time")
        )
        self.missed_button = sized_button(
            self.tr("Mark missed…"), self.tr("Mark this visit missed"), "danger"
        )
        self.undo_missed_button = sized_button(
            self.tr("Undo missed"), self.tr("Undo marking this visit missed")
        )
        row2.addWidget(self.correct_button)
        row2.addWidget(self.missed_button)
        row2.addWidget(self.undo_missed_button)
        layout.addLayout(row2)
        self.exceptions = named_label(role="warning", name="visitExceptions")
        self.exceptions.setAccessibleName(self.tr("What the office will review"))
        self.explain_button = sized_button(
            self.tr("Give a reason…"), self.tr("Give the reason for what the office will review")
        )
        layout.addWidget(self.exceptions)
        layout.addWidget(self.explain_button)

    def show_exceptions(self, found: tuple[VisitException, ...], undoable: bool) -> None:
        """What the office will review, and whether "missed" can still be undone."""
        text = exceptions_text(found)
        self.exceptions.setText(text)
        self.exceptions.setVisible(bool(text))
        self.explain_button.setVisible(any(unexplained(e) for e in found))
        self.undo_missed_button.setVisible(undoable)

    def chosen_location(self, fix: Location | None) -> Location:
        """The place of service the worker chose (the GPS ``fix`` when that is chosen and present)."""
        if self.place_gps.isChecked() and fix is not None:
            return fix
        if self.place_community.isChecked():
            return Location(kind=LocationKind.COMMUNITY)
        return Location(kind=LocationKind.HOME)

    def show_visit(
        self, v: Visit, fix: Location | None, now: datetime | None = None, policy: EvvPolicy = DEFAULT_POLICY
    ) -> None:
        """Show the times of ``v`` and enable what may happen next ("missed" only near the visit's time)."""
        signed = v.is_signed
        settled = v.status in SETTLED
        self._show_places(fix, choosing=v.check_in is None and not signed and not settled)
        self.times.setText(times_text(v))
        can_start = not signed and not settled
        self.check_in_button.setEnabled(can_start and v.check_in is None)
        self.check_out_button.setEnabled(
            can_start and v.effective_check_in is not None and v.check_out is None
        )
        self.missed_button.setEnabled(now is not None and can_mark_missed(v, now, policy))
        self.correct_button.setEnabled(can_start)

    def _show_places(self, fix: Location | None, *, choosing: bool) -> None:
        had_fix, self._had_fix = self._had_fix, fix is not None
        self.place_gps.setEnabled(fix is not None)
        if fix is not None:
            accuracy = f" ±{fix.accuracy_m:.0f} m" if fix.accuracy_m is not None else ""
            self.place_gps.setText(self.tr("GPS") + accuracy)
            if not had_fix:  # a fix that arrives is the place of service unless the worker says otherwise
                self.place_gps.setChecked(True)
        else:
            self.place_gps.setText(self.tr("GPS (no fix)"))
            if self.place_gps.isChecked():
                self.place_home.setChecked(True)
        self.place_question.setVisible(choosing)
        self.places.setVisible(choosing)


def times_text(v: Visit) -> str:
    """What was recorded: check-in (server time, tablet clock, place), check-out, and each correction."""
    lines = []
    if v.check_in is not None:
        place = v.check_in.location
        where = (
            word(LOCATION_WORDS.get(place.kind.value, ""))
            if place
            else QCoreApplication.translate("TimesPanel", "place not given")
        )
        lines.append(
            QCoreApplication.translate(
                "TimesPanel", "Checked in {time} (tablet clock {clock}) · {place}"
            ).format(time=local(v.check_in.server_time), clock=local(v.check_in.device_time), place=where)
        )
    else:
        lines.append(QCoreApplication.translate("TimesPanel", "Not checked in"))
    if v.check_out is not None:
        lines.append(
            QCoreApplication.translate("TimesPanel", "Checked out {time}").format(
                time=local(v.check_out.server_time)
            )
        )
    for which, correction, original in (
        (QCoreApplication.translate("TimesPanel", "Check-in"), v.check_in_correction, v.check_in),
        (QCoreApplication.translate("TimesPanel", "Check-out"), v.check_out_correction, v.check_out),
    ):
        if correction is not None:
            why = word(CORRECTION_WORDS.get(correction.reason.value, correction.reason.value))
            text = QCoreApplication.translate("TimesPanel", "{which} corrected to {time} — {why}").format(
                which=which, time=local(correction.corrected_time), why=why
            )
            if correction.comment:
                text += f" (“{correction.comment}”)"
            recorded = (
                local(original.server_time)
                if original
                else QCoreApplication.translate("TimesPanel", "nothing")
            )
            text += QCoreApplication.translate("TimesPanel", "; recorded {time}").format(time=recorded)
            lines.append(text)
    return "\n".join(lines)


def unexplained(record: VisitException) -> bool:
    """An open exception the worker has not given a reason for."""
    return record.state is ExceptionState.OPEN and record.reason is None


def exceptions_text(found: tuple[VisitException, ...]) -> str:
    """One line per exception: what, the detail, the worker's reason, and where it stands."""
    lines = []
    for record in found:
        if record.state is ExceptionState.WITHDRAWN:
            continue
        line = f"⚠ {word(CODE_WORDS[record.code])}"
        if record.detail:
            line += f" ({detail(record.detail)})"
        line += (
            f": {word(REASON_WORDS[record.reason])}"
            if record.reason
            else QCoreApplication.translate("TimesPanel", ": reason needed")
        )
        if record.note:
            line += f" “{record.note}”"
        if record.state is not ExceptionState.OPEN:
            line += QCoreApplication.translate("TimesPanel", " · {state} by the office").format(
                state=word(record.state.value)
            )
        lines.append(line)
    return "\n".join(lines)
