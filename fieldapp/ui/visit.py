"""The visit screen: everything a worker does at the patient's door, in the order they do it.

Who and where (name, address, allergies first and loud), the schedule and status; check-in with the
place of service (a GPS fix when the device has one, otherwise "at the patient's home" or "in the
community"), check-out, "missed", and manual time corrections with a reason code; notes (never edited:
a correction is an amendment that names the original); vital signs with the allowed units and
plausible ranges of each kind; which electronic-visit-verification elements are still missing; and
signing. Once signed, the attested content is shown locked and later entries are marked as added
after signing.

Reads come from ``Records`` and writes go through ``Actions``; the screen refreshes from
``Actions.records_did_change``. No SQL, no network.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Protocol

from PySide6.QtCore import QDateTime, QLocale, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.audit import AuditAction
from fieldapp.domain.entities import Observation, Visit, VisitNote
from fieldapp.domain.errors import DomainError
from fieldapp.domain.values import (
    OBSERVATION_UNITS,
    CorrectionReason,
    Location,
    LocationKind,
    ObservationKind,
    VisitStatus,
)
from fieldapp.reports.words import (
    CORRECTION_WORDS,
    KIND_WORDS,
    LOCATION_WORDS,
    ROLE_WORDS,
    SHORT_KIND_WORDS,
    STATUS_WORDS,
    unit_text,
)
from fieldapp.store.queries import VisitDetail
from fieldapp.ui.common import TOUCH, button, dialog_buttons, label, set_role, set_state
from fieldapp.ui.signature_pad import SignaturePad


class LocationSource(Protocol):
    """Where the tablet is: a recent GPS fix, or None when there is none (Qt Positioning is not in
    PySide6-Essentials; a platform adapter can provide fixes through this interface)."""

    def current_fix(self) -> Location | None: ...


class NoGps:
    """A device without positioning: the worker says where the visit takes place."""

    def current_fix(self) -> Location | None:
        return None


def local(value: datetime | None, fmt: str = "%H:%M") -> str:
    """A time in the tablet's zone, or a dash."""
    return value.astimezone().strftime(fmt) if value is not None else "—"


def _button(
    text: str, accessible: str, role: str | None = None, width: int = 120, name: str = ""
) -> QPushButton:
    widget = button(text, accessible, role)
    widget.setMinimumSize(width, TOUCH)
    if name:
        widget.setObjectName(name)
    return widget


def _label(text: str = "", role: str | None = None, name: str = "", *, wrap: bool = True) -> QLabel:
    widget = label(text, role, wrap=wrap)
    if name:
        widget.setObjectName(name)
    return widget


def section(title: str, name: str) -> tuple[QFrame, QVBoxLayout]:
    """A white card with a heading (the stylesheet's ``section`` role)."""
    frame = QFrame()
    frame.setObjectName(name)
    set_role(frame, "section")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 10, 16, 14)
    layout.setSpacing(8)
    heading = _label(title, "heading")
    heading.setAccessibleName(title)
    layout.addWidget(heading)
    return frame, layout


def attestation_text(detail: VisitDetail) -> str:
    """What the signer agrees to; saved as the signature's ``meaning``."""
    visit, patient = detail.visit, detail.patient
    day = visit.scheduled_start.astimezone().strftime("%d %B %Y")
    begin, end = local(visit.effective_check_in), local(visit.effective_check_out)
    parts = [
        f"I confirm that a care worker visited {patient.given_name} {patient.family_name} on {day}, "
        f"from {begin} to {end}, and provided the service recorded ({visit.service_code}).",
    ]
    if detail.notes or detail.observations:
        parts.append(
            f"The {len(detail.notes)} note(s) and {len(detail.observations)} vital sign(s) shown for this "
            "visit were recorded during it."
        )
    parts.append("I sign as the patient, or on the patient's behalf as the person named below.")
    return " ".join(parts)


class TimeCorrectionDialog(QDialog):
    """Correct the check-in or check-out time by hand: a reason code is required, the reading is kept."""

    def __init__(self, visit: Visit, actions: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeCorrectionDialog")
        self.setWindowTitle("Correct the visit time")
        self.setAccessibleName("Correct the visit time")
        self.visit, self.app_actions = visit, actions
        layout = QVBoxLayout(self)
        layout.addWidget(
            _label(
                "The time recorded by the tablet is kept on the visit; "
                "the office sees both, with your reason."
            )
        )
        which = QHBoxLayout()
        self.check_in = QRadioButton("Check-in time")
        self.check_in.setAccessibleName("Correct the check-in time")
        self.check_out = QRadioButton("Check-out time")
        self.check_out.setAccessibleName("Correct the check-out time")
        for radio in (self.check_in, self.check_out):
            radio.setMinimumHeight(TOUCH)
            which.addWidget(radio)
        group = QButtonGroup(self)
        group.addButton(self.check_in)
        group.addButton(self.check_out)
        (self.check_out if visit.effective_check_in is not None else self.check_in).setChecked(True)
        layout.addLayout(which)

        form = QFormLayout()
        self.when = QDateTimeEdit()
        self.when.setObjectName("correctedTime")
        self.when.setAccessibleName("Corrected time")
        self.when.setDisplayFormat("dd MMM yyyy  HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setMinimumHeight(TOUCH)
        self.reason = QComboBox()
        self.reason.setObjectName("correctionReason")
        self.reason.setAccessibleName("Reason for the correction")
        self.reason.setMinimumHeight(TOUCH)
        self.reason.addItem("Choose a reason…", None)
        for reason in CorrectionReason:
            self.reason.addItem(CORRECTION_WORDS.get(reason.value, reason.value), reason.value)
        self.comment = QLineEdit()
        self.comment.setObjectName("correctionComment")
        self.comment.setAccessibleName("Comment")
        self.comment.setMaxLength(200)
        self.comment.setMinimumHeight(TOUCH)
        self.comment.setPlaceholderText("What happened (required for 'Other')")
        form.addRow("Corrected time", self.when)
        form.addRow("Reason", self.reason)
        form.addRow("Comment", self.comment)
        layout.addLayout(form)
        self.error = _label(role="error", name="formError")
        self.error.hide()
        layout.addWidget(self.error)
        buttons, self.save = dialog_buttons(
            self, ("Save correction", "Save correction"), ("Cancel", "Cancel correction"), self.submit
        )
        layout.addWidget(buttons)
        self.check_in.toggled.connect(self._preset)
        self._preset()

    @property
    def which(self) -> str:
        return "check_in" if self.check_in.isChecked() else "check_out"

    def _preset(self) -> None:
        v = self.visit
        current = v.effective_check_in if self.which == "check_in" else v.effective_check_out
        start = current or (v.scheduled_start if self.which == "check_in" else v.scheduled_end)
        self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(start.timestamp())))

    def corrected_time(self) -> datetime:
        return datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), UTC)

    def submit(self) -> bool:
        code = self.reason.currentData()
        if not code:
            return self._fail("Choose the reason for the correction.")
        reason = CorrectionReason(code)
        if reason is CorrectionReason.OTHER and not self.comment.text().strip():
            return self._fail("Say what happened: the reason 'Other' needs a comment.")
        try:
            self.app_actions.correct_time(  # type: ignore[attr-defined]
                self.visit.id, self.which, self.corrected_time(), reason, self.comment.text().strip()
            )
        except DomainError as exc:
            return self._fail(_sentence(exc))
        self.accept()
        return True

    def _fail(self, message: str) -> bool:
        self.error.setText(message)
        self.error.show()
        return False


def _sentence(exc: DomainError) -> str:
    """A domain error as a sentence (validation errors name the field; the message says the rest)."""
    problems = getattr(exc, "problems", None)
    text = "; ".join(problems.values()) if isinstance(problems, dict) and problems else str(exc)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class VisitScreen(QWidget):
    """One visit. ``show_visit(visit_id)`` loads it; ``back_requested`` asks the window to go back."""

    back_requested = Signal()
    visit_changed = Signal(object)  # uuid.UUID of the visit after each successful action

    def __init__(
        self,
        records: object,
        actions: object,
        parent: QWidget | None = None,
        *,
        location_source: LocationSource | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitScreen")
        self.setAccessibleName("Visit")
        self.records, self.app_actions = records, actions
        self.location_source: LocationSource = location_source or NoGps()
        self.visit_id: uuid.UUID | None = None
        self.detail: VisitDetail | None = None
        self._amending: uuid.UUID | None = None
        self._fix: Location | None = None
        self.pad: SignaturePad | None = None
        self._build()
        changed = getattr(actions, "records_did_change", None)
        if changed is not None:
            changed.connect(self._on_records_changed)

    # -- building --------------------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
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

        top = QHBoxLayout()
        self.back = _button("‹ Back", "Back to the list", None, 96)
        self.back.clicked.connect(lambda: self.back_requested.emit())
        top.addWidget(self.back, alignment=Qt.AlignmentFlag.AlignTop)
        who = QVBoxLayout()
        self.patient_name = _label(role="title", name="patientName")
        self.patient_name.setAccessibleName("Patient")
        self.address = _label(role="muted", name="patientAddress")
        self.address.setAccessibleName("Address")
        who.addWidget(self.patient_name)
        who.addWidget(self.address)
        top.addLayout(who, stretch=1)
        self.status_chip = _label(role="status", name="statusChip", wrap=False)
        self.status_chip.setAccessibleName("Visit status")
        top.addWidget(self.status_chip, alignment=Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.allergies = _label(role="allergy", name="allergyBanner")
        self.allergies.setAccessibleName("Allergies")
        layout.addWidget(self.allergies)
        self.schedule = _label(name="visitSchedule")
        self.schedule.setAccessibleName("Scheduled time and service")
        layout.addWidget(self.schedule)
        self.evv = _label(role="evvMissing", name="evvIndicator")
        self.evv.setAccessibleName("Visit verification")
        layout.addWidget(self.evv)
        self.lock_banner = _label(role="lockBanner", name="lockBanner")
        self.lock_banner.setAccessibleName("Signed and locked")
        layout.addWidget(self.lock_banner)
        self.error = _label(role="errorBox", name="formError")
        self.error.setAccessibleName("Problem")
        self.error.hide()
        layout.addWidget(self.error)

        columns = QHBoxLayout()
        columns.setSpacing(16)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self._times_box())
        left.addWidget(self._vitals_box())
        left.addStretch(1)
        right.addWidget(self._notes_box())
        right.addWidget(self._signature_box())
        right.addStretch(1)
        columns.addLayout(left, stretch=1)
        columns.addLayout(right, stretch=1)
        layout.addLayout(columns)
        layout.addStretch(1)

    def _times_box(self) -> QFrame:
        box, layout = section("Check-in and check-out", "timesCard")
        self.place_question = _label("Where is this visit taking place?", "fieldLabel")
        layout.addWidget(self.place_question)
        self.places = QWidget()
        places = QHBoxLayout(self.places)
        places.setContentsMargins(0, 0, 0, 0)
        self.place_group = QButtonGroup(self)
        self.place_gps = _button("GPS", "Use the GPS position", "choice", 90)
        self.place_home = _button("Patient's home", "At the patient's home", "choice")
        self.place_community = _button("Community", "In the community", "choice")
        for choice in (self.place_gps, self.place_home, self.place_community):
            choice.setCheckable(True)
            self.place_group.addButton(choice)
            places.addWidget(choice)
        self.place_home.setChecked(True)
        layout.addWidget(self.places)

        row = QHBoxLayout()
        self.check_in_button = _button("Check in", "Check in now", "primary")
        self.check_out_button = _button("Check out", "Check out now", "primary")
        row.addWidget(self.check_in_button)
        row.addWidget(self.check_out_button)
        layout.addLayout(row)
        self.times = _label(name="visitTimes")
        self.times.setAccessibleName("Check-in and check-out times")
        layout.addWidget(self.times)
        row2 = QHBoxLayout()
        self.correct_button = _button("Correct a time…", "Correct the check-in or check-out time")
        self.missed_button = _button("Mark missed", "Mark this visit missed", "danger")
        row2.addWidget(self.correct_button)
        row2.addWidget(self.missed_button)
        layout.addLayout(row2)

        self.check_in_button.clicked.connect(self.check_in)
        self.check_out_button.clicked.connect(self.check_out)
        self.correct_button.clicked.connect(self.open_correction)
        self.missed_button.clicked.connect(self.mark_missed)
        return box

    def _signature_box(self) -> QFrame:
        box, layout = section("Signature", "signatureCard")
        self.signature_info = _label(name="signatureInfo")
        self.signature_info.setAccessibleName("Signature")
        layout.addWidget(self.signature_info)
        self.signature_image = QLabel()
        self.signature_image.setObjectName("signatureImage")
        set_role(self.signature_image, "signatureImage")
        self.signature_image.setAccessibleName("Signature image")
        self.signature_image.setMinimumHeight(80)
        self.signature_image.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.signature_image)
        self.sign_button = _button("Sign", "Open the signature pad", "primary", 160)
        self.sign_button.clicked.connect(self.open_signature_pad)
        layout.addWidget(self.sign_button, alignment=Qt.AlignmentFlag.AlignLeft)
        return box

    def _notes_box(self) -> QFrame:
        box, layout = section("Notes", "notesCard")
        self.notes = QListWidget()
        self.notes.setObjectName("notesList")
        self.notes.setAccessibleName("Notes of this visit")
        self.notes.setWordWrap(True)
        self.notes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.notes.setMinimumHeight(140)
        self.notes.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        layout.addWidget(self.notes)
        self.amend_label = _label(role="notice", name="amendingLabel")
        self.amend_label.hide()
        layout.addWidget(self.amend_label)
        self.note_editor = QPlainTextEdit()
        self.note_editor.setObjectName("noteEditor")
        self.note_editor.setAccessibleName("New note")
        self.note_editor.setPlaceholderText("Write a note…")
        self.note_editor.setFixedHeight(84)
        layout.addWidget(self.note_editor)
        row = QHBoxLayout()
        self.add_note_button = _button("Add note", "Add the note", "primary")
        self.amend_button = _button("Amend selected", "Amend the selected note")
        self.cancel_amend_button = _button("Cancel amendment", "Cancel the amendment")
        self.cancel_amend_button.hide()
        row.addWidget(self.add_note_button)
        row.addWidget(self.amend_button)
        row.addWidget(self.cancel_amend_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.add_note_button.clicked.connect(self.save_note)
        self.amend_button.clicked.connect(self.start_amendment)
        self.cancel_amend_button.clicked.connect(self.cancel_amendment)
        self.notes.itemSelectionChanged.connect(self._refresh_note_buttons)
        self.note_editor.textChanged.connect(self._refresh_note_buttons)
        return box

    def _vitals_box(self) -> QFrame:
        box, layout = section("Vital signs", "vitalsCard")
        grid = QGridLayout()
        self.vital_kind = QComboBox()
        self.vital_kind.setObjectName("vitalKind")
        self.vital_kind.setAccessibleName("Measurement")
        self.vital_kind.setMinimumHeight(TOUCH)
        # May shrink below its longest entry ("Blood pressure, diastolic") so the value field keeps room.
        self.vital_kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.vital_kind.setMinimumContentsLength(12)
        for kind in ObservationKind:
            self.vital_kind.addItem(SHORT_KIND_WORDS.get(kind.value, kind.value), kind.value)
        self.vital_value = QLineEdit()
        self.vital_value.setObjectName("vitalValue")
        self.vital_value.setAccessibleName("Value")
        self.vital_value.setPlaceholderText("Value")
        self.vital_value.setMinimumHeight(TOUCH)
        self.vital_value.setMinimumWidth(96)
        self.vital_value.setMaximumWidth(140)
        self.vital_unit = QComboBox()
        self.vital_unit.setObjectName("vitalUnit")
        self.vital_unit.setAccessibleName("Unit")
        self.vital_unit.setMinimumHeight(TOUCH)
        self.add_vital_button = _button("Add", "Add the vital sign", "primary", 96)
        grid.addWidget(self.vital_kind, 0, 0)
        grid.addWidget(self.vital_value, 0, 1)
        grid.addWidget(self.vital_unit, 0, 2)
        grid.addWidget(self.add_vital_button, 0, 3)
        grid.setColumnStretch(0, 3)
        layout.addLayout(grid)
        self.vital_hint = _label(role="muted", name="vitalHint")
        self.vital_hint.setAccessibleName("Plausible range")
        layout.addWidget(self.vital_hint)
        self.vital_error = _label(role="error", name="vitalError")
        self.vital_error.setAccessibleName("Vital sign problem")
        self.vital_error.hide()
        layout.addWidget(self.vital_error)
        self.vitals = QListWidget()
        self.vitals.setObjectName("vitalsList")
        self.vitals.setAccessibleName("Vital signs of this visit")
        self.vitals.setMinimumHeight(120)
        self.vitals.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout.addWidget(self.vitals)
        self.vital_kind.currentIndexChanged.connect(self._kind_changed)
        self.vital_unit.currentIndexChanged.connect(self._unit_changed)
        self.vital_value.returnPressed.connect(self.save_vital)
        self.add_vital_button.clicked.connect(self.save_vital)
        self._kind_changed()
        return box

    # -- loading ---------------------------------------------------------------------------------------------

    def show_visit(self, visit_id: uuid.UUID) -> None:
        """Load and show one visit."""
        if visit_id != self.visit_id:
            self._amending = None
            self.note_editor.clear()
            self.vital_value.clear()
            self._clear_errors()
        self.visit_id = visit_id
        self._fix = self.location_source.current_fix()
        self.refresh()
        record = getattr(self.app_actions, "audit", None)
        if self.detail is not None and record is not None:  # one entry per opening, not per refresh
            record(AuditAction.VIEW, entity="visit", record_id=visit_id)

    def _on_records_changed(self, *_: object) -> None:
        if self.visit_id is not None:
            self.refresh()

    def refresh(self) -> None:
        """Re-read the visit and update every part of the screen."""
        if self.visit_id is None:
            return
        self.detail = self.records.visit_detail(self.visit_id)  # type: ignore[attr-defined]
        d = self.detail
        if d is None:
            self.patient_name.setText("This visit is no longer on this tablet")
            self.setEnabled(False)
            return
        self.setEnabled(True)
        v, p = d.visit, d.patient
        self.patient_name.setText(f"{p.given_name} {p.family_name}")
        address = p.address
        self.address.setText(
            ", ".join(x for x in (address.line1, address.line2, address.city, address.postal_code) if x)
            if address
            else "No address on record"
        )
        if p.allergies:
            items = [
                f"{a.substance} ({a.severity.value}{': ' + a.reaction if a.reaction else ''})"
                for a in p.allergies
            ]
            self.allergies.setText("⚠ ALLERGIES: " + " · ".join(items))
            severe = any(a.severity.value == "severe" for a in p.allergies)
            set_role(self.allergies, "allergy")
            set_state(self.allergies, "severe" if severe else "warning")
        else:
            self.allergies.setText("No known allergies")
            set_role(self.allergies, "noAllergy")
        day = v.scheduled_start.astimezone().strftime("%A %d %B")
        self.schedule.setText(
            f"Scheduled {day}, {local(v.scheduled_start)}–{local(v.scheduled_end)} · Service {v.service_code}"
        )
        self.status_chip.setText(STATUS_WORDS.get(v.status.value, v.status.value))
        set_state(self.status_chip, v.status.value)
        self._refresh_evv(d)
        self._refresh_times(d)
        self._refresh_notes(d)
        self._refresh_vitals(d)
        self._refresh_signature(d)

    def _refresh_evv(self, d: VisitDetail) -> None:
        if d.visit.status in (VisitStatus.MISSED, VisitStatus.CANCELLED):
            self.evv.setText("Visit verification: not needed (the visit did not take place)")
            set_role(self.evv, "muted")
        elif d.missing:
            self.evv.setText("Visit verification still needs: " + ", ".join(e.value for e in d.missing))
            set_role(self.evv, "evvMissing")
        else:
            self.evv.setText("✓ Visit verification complete: service, patient, worker, date, place and times")
            set_role(self.evv, "evvComplete")

    def _refresh_times(self, d: VisitDetail) -> None:
        v = d.visit
        signed = v.is_signed
        settled = v.status in (VisitStatus.MISSED, VisitStatus.CANCELLED)
        self.place_gps.setEnabled(self._fix is not None)
        if self._fix is not None:
            accuracy = f" ±{self._fix.accuracy_m:.0f} m" if self._fix.accuracy_m is not None else ""
            self.place_gps.setText(f"GPS{accuracy}")
        else:
            self.place_gps.setText("GPS (no fix)")
            if self.place_gps.isChecked():
                self.place_home.setChecked(True)
        choosing = v.check_in is None and not signed and not settled
        self.place_question.setVisible(choosing)
        self.places.setVisible(choosing)
        lines = []
        if v.check_in is not None:
            where = (
                LOCATION_WORDS.get(v.check_in.location.kind.value, "")
                if v.check_in.location
                else "place not given"
            )
            lines.append(
                f"Checked in {local(v.check_in.server_time)} "
                f"(tablet clock {local(v.check_in.device_time)}) · {where}"
            )
        else:
            lines.append("Not checked in")
        if v.check_out is not None:
            lines.append(f"Checked out {local(v.check_out.server_time)}")
        for which, correction, original in (
            ("Check-in", v.check_in_correction, v.check_in),
            ("Check-out", v.check_out_correction, v.check_out),
        ):
            if correction is not None:
                why = CORRECTION_WORDS.get(correction.reason.value, correction.reason.value)
                text = f"{which} corrected to {local(correction.corrected_time)} — {why}"
                if correction.comment:
                    text += f" (“{correction.comment}”)"
                text += f"; recorded {local(original.server_time) if original else 'nothing'}"
                lines.append(text)
        self.times.setText("\n".join(lines))
        can_start = not signed and not settled
        self.check_in_button.setEnabled(can_start and v.check_in is None)
        self.check_out_button.setEnabled(
            can_start and v.effective_check_in is not None and v.check_out is None
        )
        self.missed_button.setEnabled(not signed and v.status is VisitStatus.SCHEDULED and v.check_in is None)
        self.correct_button.setEnabled(can_start)

    def _refresh_notes(self, d: VisitDetail) -> None:
        signed_at = d.signature.signed_at if d.signature is not None else None
        written = {n.id: n for n in d.notes}
        amended = {n.amends for n in d.notes if n.amends is not None}
        selected = self.selected_note_id()
        self.notes.clear()
        for note in d.notes:
            self.notes.addItem(self._note_item(note, written, amended, signed_at))
            if note.id == selected:
                self.notes.setCurrentRow(self.notes.count() - 1)
        if not d.notes:
            placeholder = QListWidgetItem("No notes yet.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.notes.addItem(placeholder)
        self._refresh_note_buttons()

    def _note_item(
        self,
        note: VisitNote,
        written: dict[uuid.UUID, VisitNote],
        amended: set[uuid.UUID],
        signed_at: datetime | None,
    ) -> QListWidgetItem:
        head = local(note.written_at)
        if note.amends is not None:
            original = written.get(note.amends)
            head += f" · amends the note of {local(original.written_at)}" if original else " · amendment"
        if note.id in amended:
            head += " · amended below"
        if signed_at is not None:
            head += " · added after signing" if note.written_at > signed_at else " · signed, locked"
        item = QListWidgetItem(f"{head}\n{note.text}")
        item.setData(Qt.ItemDataRole.UserRole, note.id)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"Note {head}: {note.text}")
        item.setToolTip(note.text)
        return item

    def _refresh_vitals(self, d: VisitDetail) -> None:
        signed_at = d.signature.signed_at if d.signature is not None else None
        self.vitals.clear()
        for o in d.observations:
            self.vitals.addItem(self._vital_item(o, signed_at))
        if not d.observations:
            placeholder = QListWidgetItem("No vital signs yet.")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.vitals.addItem(placeholder)
        enabled = d.visit.status not in (VisitStatus.MISSED, VisitStatus.CANCELLED)
        for widget in (self.vital_kind, self.vital_value, self.vital_unit, self.add_vital_button):
            widget.setEnabled(enabled)

    def _vital_item(self, o: Observation, signed_at: datetime | None) -> QListWidgetItem:
        kind = KIND_WORDS.get(o.kind.value, o.kind.value)
        text = f"{local(o.observed_at)}   {kind}   {o.value:g} {unit_text(o.unit)}"
        if o.entered_in_error:
            text += "   (entered in error)"
        if signed_at is not None:
            text += "   · added after signing" if o.observed_at > signed_at else "   · signed, locked"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, o.id)
        return item

    def _refresh_signature(self, d: VisitDetail) -> None:
        s, v = d.signature, d.visit
        if s is not None:
            role = ROLE_WORDS.get(s.signer_role.value, s.signer_role.value)
            when = local(s.signed_at, "%H:%M")
            if s.unable_reason:
                self.signature_info.setText(
                    f"Could not be signed ({s.unable_reason}); "
                    f"recorded for {s.signer_name} ({role}) at {when}."
                )
            else:
                self.signature_info.setText(f"Signed by {s.signer_name} ({role}) at {when}.")
            self.lock_banner.setText(
                f"Signed at {when} and locked: the visit times and the notes and vital signs recorded before "
                "signing can no longer change. Anything added now is shown as added after signing; "
                "to correct a note, amend it."
            )
            self.lock_banner.show()
            self._show_signature_image(s.image_sha256)
            self.sign_button.hide()
            return
        self.lock_banner.hide()
        self.signature_image.clear()
        self.signature_image.hide()
        self.sign_button.show()
        if v.status in (VisitStatus.MISSED, VisitStatus.CANCELLED):
            self.signature_info.setText("No signature: the visit did not take place.")
            self.sign_button.setEnabled(False)
        elif v.effective_check_out is None:
            self.signature_info.setText("Check out first: signing locks the visit's times.")
            self.sign_button.setEnabled(False)
        else:
            self.signature_info.setText("Ask the patient (or their representative) to sign for this visit.")
            self.sign_button.setEnabled(True)

    def _show_signature_image(self, sha256: str | None) -> None:
        content = self.records.blob(sha256) if sha256 else None  # type: ignore[attr-defined]
        pixmap = QPixmap()
        if content and pixmap.loadFromData(content):
            self.signature_image.setPixmap(
                pixmap.scaled(
                    320, 110, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
            self.signature_image.show()
        else:
            self.signature_image.clear()
            self.signature_image.hide()

    # -- actions ---------------------------------------------------------------------------------------------

    def _do(self, work: object) -> bool:
        """Run one action; a refusal is shown as a sentence, never raised."""
        self._clear_errors()
        try:
            work()  # type: ignore[operator]
        except DomainError as exc:
            self.error.setText(_sentence(exc))
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
        if self.place_gps.isChecked() and self._fix is not None:
            return self._fix
        if self.place_community.isChecked():
            return Location(kind=LocationKind.COMMUNITY)
        return Location(kind=LocationKind.HOME)

    def check_in(self) -> bool:
        if self.visit_id is None:
            return False
        visit_id, where = self.visit_id, self.chosen_location()
        return self._do(lambda: self.app_actions.check_in(visit_id, where))  # type: ignore[attr-defined]

    def check_out(self) -> bool:
        if self.visit_id is None:
            return False
        visit_id = self.visit_id
        return self._do(lambda: self.app_actions.check_out(visit_id))  # type: ignore[attr-defined]

    def mark_missed(self) -> bool:
        if self.visit_id is None:
            return False
        visit_id = self.visit_id
        return self._do(lambda: self.app_actions.mark_missed(visit_id))  # type: ignore[attr-defined]

    def open_correction(self) -> TimeCorrectionDialog | None:
        if self.detail is None:
            return None
        dialog = TimeCorrectionDialog(self.detail.visit, self.app_actions, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    # notes

    def selected_note_id(self) -> uuid.UUID | None:
        item = self.notes.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else None
        return value if isinstance(value, uuid.UUID) else None

    def _refresh_note_buttons(self) -> None:
        has_text = bool(self.note_editor.toPlainText().strip())
        self.add_note_button.setEnabled(has_text)
        self.add_note_button.setText("Save amendment" if self._amending else "Add note")
        self.amend_button.setEnabled(self._amending is None and self.selected_note_id() is not None)

    def start_amendment(self) -> None:
        """Write an amendment of the selected note (the original stays as it was)."""
        note_id = self.selected_note_id()
        if note_id is None or self.detail is None:
            return
        original = next((n for n in self.detail.notes if n.id == note_id), None)
        if original is None:
            return
        self._amending = note_id
        self.amend_label.setText(f"Amending the note of {local(original.written_at)}: “{original.text[:80]}”")
        self.amend_label.show()
        self.cancel_amend_button.show()
        self.note_editor.setPlaceholderText("Write the correction or addition…")
        self.note_editor.setFocus()
        self._refresh_note_buttons()

    def cancel_amendment(self) -> None:
        self._amending = None
        self.amend_label.hide()
        self.cancel_amend_button.hide()
        self.note_editor.setPlaceholderText("Write a note…")
        self._refresh_note_buttons()

    def save_note(self) -> bool:
        text = self.note_editor.toPlainText().strip()
        if self.visit_id is None or not text:
            return False
        visit_id, amends = self.visit_id, self._amending
        if self._do(lambda: self.app_actions.add_note(visit_id, text, amends)):  # type: ignore[attr-defined]
            self.note_editor.clear()
            self.cancel_amendment()
            return True
        return False

    # vitals

    @property
    def vital_kind_value(self) -> ObservationKind:
        # Qt keeps item data as plain strings (a StrEnum member comes back as str).
        return ObservationKind(self.vital_kind.currentData())

    def _kind_changed(self) -> None:
        units = OBSERVATION_UNITS[self.vital_kind_value]
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
        low, high = OBSERVATION_UNITS[self.vital_kind_value][unit]
        self.vital_hint.setText(f"Plausible range: {low:g}–{high:g} {unit_text(unit)}")

    def vital_problem(self) -> str | None:
        """Why the typed vital sign cannot be saved, or None."""
        kind, unit = self.vital_kind_value, self.vital_unit.currentData()
        text = self.vital_value.text().strip()
        words = KIND_WORDS.get(kind.value, kind.value)
        if not text:
            return f"Type the {words.lower()} value."
        value, ok = QLocale().toDouble(text)
        if not ok:
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                return f"“{text}” is not a number."
        if not isinstance(unit, str) or unit not in OBSERVATION_UNITS[kind]:
            return "Choose the unit."
        low, high = OBSERVATION_UNITS[kind][unit]
        if not low <= value <= high:
            return (
                f"{words} of {value:g} {unit_text(unit)} is outside the plausible range "
                f"{low:g}–{high:g} {unit_text(unit)}. Check the reading and the unit."
            )
        return None

    def save_vital(self) -> bool:
        if self.visit_id is None:
            return False
        problem = self.vital_problem()
        if problem:
            self.vital_error.setText(problem)
            self.vital_error.show()
            return False
        text = self.vital_value.text().strip()
        value, ok = QLocale().toDouble(text)
        value = value if ok else float(text.replace(",", "."))
        visit_id, kind, unit = self.visit_id, self.vital_kind_value, str(self.vital_unit.currentData())
        if self._do(lambda: self.app_actions.add_observation(visit_id, kind, value, unit)):  # type: ignore[attr-defined]
            self.vital_value.clear()
            return True
        self.vital_error.setText(self.error.text())
        self.vital_error.show()
        self.error.hide()
        return False

    # signing

    def open_signature_pad(self) -> SignaturePad | None:
        """Open the full-screen pad for this visit (it saves through Actions and locks the visit)."""
        if self.detail is None or self.visit_id is None:
            return None
        d = self.detail
        heading = (
            f"Signature for the visit to {d.patient.given_name} {d.patient.family_name} on "
            f"{d.visit.scheduled_start.astimezone().strftime('%d %B %Y')}"
        )
        pad = SignaturePad(
            self.app_actions,
            self.visit_id,
            meaning=attestation_text(d),
            signer_name=f"{d.patient.given_name} {d.patient.family_name}",
            heading=heading,
            parent=self,
        )
        pad.signed.connect(lambda _changes: self.refresh())
        pad.finished.connect(lambda _result: self._pad_closed())
        self.pad = pad
        pad.setWindowState(Qt.WindowState.WindowFullScreen)
        pad.open()
        return pad

    def _pad_closed(self) -> None:
        self.pad = None
        self.refresh()


__all__ = ["LocationSource", "NoGps", "TimeCorrectionDialog", "VisitScreen", "attestation_text"]
