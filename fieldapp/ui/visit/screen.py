"""``VisitScreen``: the header (who, where, allergies, schedule, status, EVV, the signing lock) over two
columns of panels (times and vitals; notes and signature), and the actions each panel asks for.

Every action runs through ``_do``: a refusal is shown as a sentence, never raised; a success re-reads the
visit (``visit_changed`` tells the window). The panels' widgets are also reachable as the screen's own
attributes (``screen.check_in_button``, ``screen.notes``...): the tests and the screenshots drive the
screen through them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QDialog, QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from fieldapp.domain.audit import AuditAction
from fieldapp.domain.errors import DomainError
from fieldapp.domain.exceptions import ExceptionCode, ExceptionState
from fieldapp.domain.values import Location, LocationKind, ObservationKind
from fieldapp.qt.i18n import full_day
from fieldapp.qt.ports import VisitActions, VisitReads
from fieldapp.qt.words import word, words
from fieldapp.readmodels.visits import VisitDetail
from fieldapp.reports.words import STATUS_WORDS
from fieldapp.ui.common import set_role, set_state
from fieldapp.ui.signature_pad import SignaturePad
from fieldapp.ui.visit.care import CareParts
from fieldapp.ui.visit.correction import TimeCorrectionDialog
from fieldapp.ui.visit.header import allergy_line, schedule_lines
from fieldapp.ui.visit.notes import NotesPanel
from fieldapp.ui.visit.parts import fit_columns, kept_in_place, named_label, sentence, sized_button
from fieldapp.ui.visit.signature import SignaturePanel, attestation_text, attested_summary, lock_text
from fieldapp.ui.visit.times import SETTLED, LocationSource, NoGps, TimesPanel, unexplained
from fieldapp.ui.visit.verification import (
    CheckOutWarning,
    ReasonDialog,
    check_out_warnings,
    exception_dialog,
    missed_dialog,
)
from fieldapp.ui.visit.vitals import VitalsPanel

D = TypeVar("D", bound=QDialog)


class VisitScreen(CareParts, QWidget):
    """One visit. ``show_visit(visit_id)`` loads it; ``back_requested`` asks the window to go back."""

    back_requested = Signal()
    visit_changed = Signal(object)  # uuid.UUID of the visit after each successful action

    def __init__(
        self,
        records: VisitReads,
        actions: VisitActions,
        parent: QWidget | None = None,
        *,
        location_source: LocationSource | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitScreen")
        self.setAccessibleName(self.tr("Visit"))
        self.records, self.app_actions = records, actions
        self.location_source: LocationSource = location_source or NoGps(self)
        self.now = now
        self.dialog: QDialog | None = None  # the reason, missed or check-out dialog open now
        self.visit_id: uuid.UUID | None = None
        self.detail: VisitDetail | None = None
        self._fix: Location | None = None
        self.pad: SignaturePad | None = None
        self.times_panel, self.vitals_panel = TimesPanel(), VitalsPanel()
        self.notes_panel, self.signature_panel = NotesPanel(), SignaturePanel()
        self._build_care(records)
        self._build()
        self._expose_panels()
        self._connect()
        actions.records_did_change.connect(self._on_records_changed)
        self.location_source.position_did_change.connect(self._on_position)

    # -- building --------------------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.page_scroll = scroll = QScrollArea()
        scroll.setObjectName("visitScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        body.setObjectName("visitBody")
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addLayout(self._top())
        self._header(layout)
        layout.addWidget(self.tasks_panel)
        self.columns = columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        columns.setSpacing(16)
        left, right = QVBoxLayout(), QVBoxLayout()
        for column, cards in (
            (left, (self.times_panel, self.vitals_panel, self.gallery_panel)),
            (right, (self.notes_panel, self.signature_panel, self.meds_panel)),
        ):
            for panel in cards:
                column.addWidget(panel)
            column.addStretch(1)
            columns.addLayout(column, stretch=1)
        layout.addLayout(columns)
        layout.addStretch(1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        fit_columns(self.columns, self)

    def _top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        self.back = sized_button(self.tr("‹ Back"), self.tr("Back to the list"), None, 96)
        self.back.clicked.connect(lambda: self.back_requested.emit())
        top.addWidget(self.back, alignment=Qt.AlignmentFlag.AlignTop)
        who = QVBoxLayout()
        self.patient_name = named_label(role="title", name="patientName")
        self.patient_name.setAccessibleName(self.tr("Patient"))
        self.address = named_label(role="muted", name="patientAddress")
        self.address.setAccessibleName(self.tr("Address"))
        who.addWidget(self.patient_name)
        who.addWidget(self.address)
        top.addLayout(who, stretch=1)
        self.status_chip = named_label(role="status", name="statusChip", wrap=False)
        self.status_chip.setAccessibleName(self.tr("Visit status"))
        top.addWidget(self.status_chip, alignment=Qt.AlignmentFlag.AlignTop)
        return top

    def _header(self, layout: QVBoxLayout) -> None:
        self.allergies = named_label(role="allergy", name="allergyBanner")
        self.allergies.setAccessibleName(self.tr("Allergies"))
        self.schedule = named_label(name="visitSchedule")
        self.schedule.setAccessibleName(self.tr("Scheduled time and service"))
        self.evv = named_label(role="evvMissing", name="evvIndicator")
        self.evv.setAccessibleName(self.tr("Visit verification"))
        self.lock_banner = named_label(role="lockBanner", name="lockBanner")
        self.lock_banner.setAccessibleName(self.tr("Signed and locked"))
        self.error = named_label(role="errorBox", name="formError")
        self.error.setAccessibleName(self.tr("Problem"))
        self.error.hide()
        for widget in (self.allergies, self.schedule, self.evv, self.lock_banner, self.error):
            layout.addWidget(widget)

    def _expose_panels(self) -> None:
        """The panels' widgets under the screen's own names."""
        t, v = self.times_panel, self.vitals_panel
        n, s = self.notes_panel, self.signature_panel
        self.place_question = t.place_question
        self.places = t.places
        self.place_group = t.place_group
        self.place_gps = t.place_gps
        self.place_home = t.place_home
        self.place_community = t.place_community
        self.check_in_button = t.check_in_button
        self.check_out_button = t.check_out_button
        self.times = t.times
        self.correct_button = t.correct_button
        self.missed_button = t.missed_button
        self.undo_missed_button = t.undo_missed_button
        self.exceptions = t.exceptions
        self.explain_button = t.explain_button
        self.vital_kind = v.vital_kind
        self.vital_value = v.vital_value
        self.vital_unit = v.vital_unit
        self.add_vital_button = v.add_vital_button
        self.vital_hint = v.vital_hint
        self.vital_error = v.vital_error
        self.vitals = v.vitals
        self.notes = n.notes
        self.amend_label = n.amend_label
        self.note_editor = n.note_editor
        self.add_note_button = n.add_note_button
        self.amend_button = n.amend_button
        self.cancel_amend_button = n.cancel_amend_button
        self.signature_info = s.signature_info
        self.signature_image = s.signature_image
        self.sign_button = s.sign_button

    def _connect(self) -> None:
        self.check_in_button.clicked.connect(self.check_in)
        self.check_out_button.clicked.connect(self.check_out)
        self.correct_button.clicked.connect(self.open_correction)
        self.missed_button.clicked.connect(self.mark_missed)
        self.undo_missed_button.clicked.connect(self.undo_missed)
        self.explain_button.clicked.connect(self.explain)
        self.vital_value.returnPressed.connect(self.save_vital)
        self.add_vital_button.clicked.connect(self.save_vital)
        self.add_note_button.clicked.connect(self.save_note)
        self.amend_button.clicked.connect(self.start_amendment)
        self.sign_button.clicked.connect(self.open_signature_pad)

    # -- loading ---------------------------------------------------------------------------------------------

    def show_visit(self, visit_id: uuid.UUID) -> None:
        """Load and show one visit."""
        if visit_id != self.visit_id:
            self.notes_panel.amending = None
            self.note_editor.clear()
            self.vital_value.clear()
            self._clear_errors()
        self.visit_id = visit_id
        self._fix = self.location_source.current_fix()
        self.refresh()
        self.page_scroll.verticalScrollBar().setValue(0)  # opened at the top: the patient's name and Back
        if self.detail is not None:  # one entry per opening, not per refresh
            self.app_actions.audit(AuditAction.VIEW, entity="visit", record_id=visit_id)

    def _on_position(self) -> None:
        self._fix = self.location_source.current_fix()
        if self.detail is not None:
            self.times_panel.show_visit(self.detail.visit, self._fix, self.now(), self.app_actions.policy)

    def _on_records_changed(self, *_: object) -> None:
        if self.visit_id is not None:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the visit and update every part of the screen."""
        if self.visit_id is None:
            return
        self.detail = d = self.records.visit_detail(self.visit_id)
        if d is None:
            self.patient_name.setText(self.tr("This visit is no longer on this tablet"))
            self.setEnabled(False)
            return
        self.setEnabled(True)
        self._show_header(d)
        self._show_evv(d)
        self.times_panel.show_visit(d.visit, self._fix, self.now(), self.app_actions.policy)
        self.times_panel.show_exceptions(d.exceptions, d.missed_undoable)
        self.notes_panel.show_notes(d)
        self.vitals_panel.show_vitals(d)
        self._show_signature(d)
        self._show_care(d)

    def _show_header(self, d: VisitDetail) -> None:
        v, p = d.visit, d.patient
        self.patient_name.setText(f"{p.given_name} {p.family_name}")
        address = p.address
        self.address.setText(
            ", ".join(x for x in (address.line1, address.line2, address.city, address.postal_code) if x)
            if address
            else self.tr("No address on record")
        )
        if p.allergies:
            text, severe = allergy_line(p.allergies)
            self.allergies.setText(text)
            set_role(self.allergies, "allergy")
            set_state(self.allergies, "severe" if severe else "warning")
        else:
            self.allergies.setText(self.tr("No known allergies"))
            set_role(self.allergies, "noAllergy")
        self.schedule.setText(schedule_lines(v))
        self.status_chip.setText(word(STATUS_WORDS.get(v.status.value, v.status.value)))
        set_state(self.status_chip, v.status.value)

    def _show_evv(self, d: VisitDetail) -> None:
        if d.visit.status in SETTLED:
            self.evv.setText(self.tr("Visit verification: not needed (the visit did not take place)"))
            set_role(self.evv, "muted")
        elif d.missing:
            self.evv.setText(self.tr("Visit verification still needs: {list}").format(list=words(d.missing)))
            set_role(self.evv, "evvMissing")
        else:
            self.evv.setText(
                self.tr("✓ Visit verification complete: service, patient, worker, date, place and times")
            )
            set_role(self.evv, "evvComplete")

    def _show_signature(self, d: VisitDetail) -> None:
        s = d.signature
        if s is None:
            self.lock_banner.hide()
            self.signature_panel.show_unsigned(d.visit)
            return
        self.lock_banner.setText(lock_text(s))
        self.lock_banner.show()
        self.signature_panel.show_signed(s, self.records.blob(s.image_sha256) if s.image_sha256 else None)

    # -- actions ---------------------------------------------------------------------------------------------

    def _do(self, work: Callable[[], object]) -> bool:
        """Run one action; a refusal is shown as a sentence, never raised."""
        self._clear_errors()
        with kept_in_place(self.page_scroll, self.times_panel):  # check-in, check-out, missed stay put
            try:
                work()
            except DomainError as exc:
                self.error.setText(sentence(exc))
                self.error.show()
                return False
            if self.visit_id is not None:
                self.visit_changed.emit(self.visit_id)
            self.refresh()
        return True

    def _clear_errors(self) -> None:
        self.error.hide()
        self.vital_error.hide()

    def chosen_location(self) -> Location:
        """The place of service the worker chose (the GPS fix when that is chosen and present)."""
        return self.times_panel.chosen_location(self._fix)

    def check_in(self) -> bool:
        """Check in now, at the place chosen; without a GPS fix, ask the worker why there is none."""
        if self.visit_id is None:
            return False
        self._fix = self.location_source.current_fix()
        visit_id, where, problem = self.visit_id, self.chosen_location(), self.location_source.problem()
        done = self._do(lambda: self.app_actions.check_in(visit_id, where, no_fix=problem))
        if done and where.kind is not LocationKind.GPS:
            self.explain(ExceptionCode.LOCATION_MISSING)
        elif done:
            self.explain(ExceptionCode.LOCATION_FAR)
        return done

    def check_out(self) -> bool:
        """Check out now; a visit much shorter than scheduled is confirmed first (and the signature is
        still to come). Returns whether the visit was checked out at once."""
        if self.visit_id is None or self.detail is None or not self.tasks_panel.check_out_allowed():
            return False  # open tasks: the panel says which; a second tap goes on to check out
        warnings = check_out_warnings(self.detail, self.now(), self.app_actions.policy)
        if warnings:
            self._open(CheckOutWarning(warnings, self._check_out_now, self))
            return False
        return self._check_out_now()

    def _check_out_now(self) -> bool:
        if self.visit_id is None:
            return False
        visit_id, fix = self.visit_id, self.location_source.current_fix()
        return self._do(lambda: self.app_actions.check_out(visit_id, fix))

    def mark_missed(self) -> ReasonDialog | None:
        """Ask for the confirmation and the reason; the visit is marked missed when the worker confirms."""
        if self.visit_id is None:
            return None
        dialog = missed_dialog(self.visit_id, self.app_actions.mark_missed, self)
        dialog.accepted.connect(self._after_dialog)
        return self._open(dialog)

    def undo_missed(self) -> bool:
        """Take back "missed" (only until the next sync)."""
        if self.visit_id is None:
            return False
        visit_id = self.visit_id
        return self._do(lambda: self.app_actions.undo_missed(visit_id))

    def explain(self, code: ExceptionCode | None = None) -> ReasonDialog | None:
        """Ask the reason for the open exception of ``code`` (the device's own reason preselected), or for
        the first open one without a reason."""
        self.refresh()
        if self.detail is None:
            return None
        waiting = [
            e
            for e in self.detail.exceptions
            if (unexplained(e) if code is None else e.code is code and e.state is ExceptionState.OPEN)
        ]
        if not waiting:
            return None
        dialog = exception_dialog(
            waiting[0], self.app_actions.explain_exception, self, preset=self.location_source.problem()
        )
        dialog.accepted.connect(self._after_dialog)
        return self._open(dialog)

    def _open(self, dialog: D) -> D:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "dialog", None))
        dialog.open()
        return dialog

    def _after_dialog(self) -> None:
        with kept_in_place(self.page_scroll, self.times_panel):
            if self.visit_id is not None:
                self.visit_changed.emit(self.visit_id)
            self.refresh()

    def open_correction(self) -> TimeCorrectionDialog | None:
        """Open the time-correction dialog."""
        if self.detail is None:
            return None
        dialog = TimeCorrectionDialog(self.detail.visit, self.app_actions, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    # notes

    def selected_note_id(self) -> uuid.UUID | None:
        """The note selected in the list, or None."""
        return self.notes_panel.selected_note_id()

    def start_amendment(self) -> None:
        """Write an amendment of the selected note (the original stays as it was)."""
        if self.detail is not None:
            self.notes_panel.start_amendment(self.detail.notes)

    def cancel_amendment(self) -> None:
        """Back to writing a new note."""
        self.notes_panel.cancel_amendment()

    def save_note(self) -> bool:
        """Save the note (or the amendment) written."""
        text = self.notes_panel.text
        if self.visit_id is None or not text:
            return False
        visit_id, amends = self.visit_id, self.notes_panel.amending
        if self._do(lambda: self.app_actions.add_note(visit_id, text, amends)):
            self.note_editor.clear()
            self.cancel_amendment()
            return True
        return False

    # vitals

    @property
    def vital_kind_value(self) -> ObservationKind:
        """The kind of vital sign chosen."""
        return self.vitals_panel.kind

    def vital_problem(self) -> str | None:
        """Why the typed vital sign cannot be saved, or None."""
        return self.vitals_panel.problem()

    def save_vital(self) -> bool:
        """Save the typed vital sign, or say why it cannot be saved."""
        if self.visit_id is None:
            return False
        problem = self.vital_problem()
        if problem:
            self.vitals_panel.show_error(problem)
            return False
        visit_id, panel = self.visit_id, self.vitals_panel
        pair, kind, unit = panel.pressure() if panel.blood_pressure else None, panel.kind, panel.unit
        value = panel.value() if pair is None else 0.0
        if self._do(
            lambda: (
                self.app_actions.add_observation(visit_id, kind, value, unit)
                if pair is None
                else self.app_actions.add_blood_pressure(visit_id, *pair)
            )
        ):
            self.vital_value.clear()
            return True
        self.vitals_panel.show_error(self.error.text())
        self.error.hide()
        return False

    # signing

    def open_signature_pad(self) -> SignaturePad | None:
        """Open the full-screen pad for this visit (it saves through Actions and locks the visit)."""
        if self.detail is None or self.visit_id is None:
            return None
        d = self.detail
        heading = self.tr("Signature for the visit to {name} on {day}").format(
            name=f"{d.patient.given_name} {d.patient.family_name}",
            day=full_day(d.visit.scheduled_start.astimezone().date()),
        )
        pad = SignaturePad(
            self.app_actions,
            self.visit_id,
            meaning=attestation_text(d),
            signer_name=f"{d.patient.given_name} {d.patient.family_name}",
            heading=heading,
            parent=self,
            summary=attested_summary(d, self.vitals_panel.units),
        )
        pad.signed.connect(lambda _changes: self.refresh())
        pad.finished.connect(lambda _result: self._pad_closed())
        self.pad = pad
        pad.open_full_screen()
        return pad

    def _pad_closed(self) -> None:
        self.pad = None
        self.refresh()
