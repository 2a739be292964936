"""What each screen reads and does, as typed interfaces: the screens (``fieldapp.ui``) take these.

``Records`` (reads, ``fieldapp.qt.records``), ``Actions`` (writes, ``fieldapp.qt.actions``), ``Account``
(``fieldapp.qt.account``) and ``DaySubmitter`` (``fieldapp.reports.submit``) fulfil them; the composition
root hands the real objects in and mypy checks that they fit. A screen names only what it uses, so a
screen's needs are read here at a glance, and this module loads neither the store nor SQLAlchemy: the
screens stay on their side of the import contract. The values that cross are the plain read models of
``fieldapp.readmodels``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import Literal, Protocol

from PySide6.QtCore import SignalInstance

from fieldapp.domain.attachments import Source
from fieldapp.domain.audit import AuditAction
from fieldapp.domain.care import Outcome, TaskOutcome
from fieldapp.domain.entities import Patient, Visit, VisitNote
from fieldapp.domain.exceptions import ExceptionReason
from fieldapp.domain.values import (
    Allergy,
    CorrectionReason,
    DaySummary,
    Diagnosis,
    Location,
    ObservationKind,
    SignerRole,
)
from fieldapp.domain.verification import EvvPolicy
from fieldapp.qt.display import DisplayPrefs, LanguageWhen
from fieldapp.readmodels.account import AccountInfo
from fieldapp.readmodels.conflicts import Conflict
from fieldapp.readmodels.day import DayReportData
from fieldapp.readmodels.notices import ScheduleNotice
from fieldapp.readmodels.status import StoreStatus
from fieldapp.readmodels.submission import Submission
from fieldapp.readmodels.visits import VisitDetail

# A field of a patient's record as the record screen saves it: a text, a group (address, emergency contact)
# as its values, or None to clear it.
PatientValue = str | dict[str, object] | None
# A medication's field as the medication editor saves it: a text, a route's value, a date, or None to clear.
MedicationValue = str | date | None
# One signature's pen strokes: per stroke the samples' x, y, t and pressure.
Strokes = list[list[dict[str, float]]]
# A submission's progress: message, steps done, steps.
Progress = Callable[[str, int, int], None]


class RecordChange(Protocol):
    """What one write changed (``fieldapp.store.repo.Change``), as far as a screen needs it."""

    @property
    def record_id(self) -> uuid.UUID: ...


# -- shared -----------------------------------------------------------------------------------------------


class Changes(Protocol):
    """The one signal every view refreshes from (payload: the list of changes)."""

    @property
    def records_did_change(self) -> SignalInstance: ...


class Auditing(Protocol):
    """The device's audit log, for what a screen shows or exports (edits log themselves)."""

    def audit(
        self,
        action: AuditAction,
        *,
        entity: str | None = None,
        record_id: uuid.UUID | None = None,
        detail: str = "",
    ) -> None: ...


class Files(Protocol):
    """Stored files (signature images, report PDFs, photos) by SHA-256; None when not on this device."""

    def blob(self, sha256: str) -> bytes | None: ...

    def request_file(self, sha256: str, arrived: Callable[[bytes | None], None]) -> bool:
        """Fetch a file from the server in the background (a photo another device took, opened full
        size); False when this device cannot (offline app); ``arrived`` gets the bytes or None."""
        ...


class StatusReads(Protocol):
    """The store's counts: changes not sent, refused, conflicts, last success, clock offset."""

    def status(self) -> StoreStatus: ...


# -- the visit screen, its signature pad and its time correction ------------------------------------------


class Positioning(Protocol):
    """Where the tablet is (``fieldapp.qt.positioning.DevicePosition``): the latest GPS fix, or the reason
    there is none (no fix in time, access refused, no positioning), and a signal when either changes."""

    @property
    def position_did_change(self) -> SignalInstance: ...

    def current_fix(self) -> Location | None: ...

    def problem(self) -> ExceptionReason | None: ...


class VisitReads(Files, Protocol):
    """What the visit screen reads."""

    def visit_detail(self, visit_id: uuid.UUID) -> VisitDetail | None: ...


class Signing(Protocol):
    """What the signature pad does: save the signature that attests and locks the visit."""

    def sign(
        self,
        visit_id: uuid.UUID,
        *,
        strokes: Strokes,
        png: bytes | None,
        signer_name: str,
        signer_role: SignerRole,
        meaning: str,
        unable_reason: str = "",
    ) -> Sequence[RecordChange]: ...


class TimeCorrecting(Protocol):
    """What the time-correction dialog does."""

    def correct_time(
        self,
        visit_id: uuid.UUID,
        which: str,
        corrected: datetime,
        reason: CorrectionReason,
        comment: str = "",
    ) -> RecordChange: ...


class Checklisting(Protocol):
    """What the visit's task checklist does: one tap, saved at once (None undoes it)."""

    def record_outcome(
        self,
        visit_id: uuid.UUID,
        task_id: uuid.UUID,
        outcome: Outcome | None,
        reason: str = "",
        note: str = "",
    ) -> RecordChange: ...


InError = Literal["task_outcome", "medication", "attachment"]
"""The records a worker may mark entered in error on the tablet."""


class MarkingInError(Protocol):
    """Mark a task outcome, a medication or an attachment recorded by mistake as entered in error."""

    def mark_in_error(self, entity: InError, record_id: uuid.UUID, reason: str) -> Sequence[RecordChange]: ...


class MedicationEditing(Protocol):
    """What the medication list and the allergy and diagnosis lists do."""

    def add_medication(
        self, patient_id: uuid.UUID, values: Mapping[str, MedicationValue]
    ) -> RecordChange: ...

    def edit_medication(
        self, medication_id: uuid.UUID, changes: Mapping[str, MedicationValue]
    ) -> RecordChange: ...

    def discontinue_medication(self, medication_id: uuid.UUID, stop: date) -> RecordChange: ...

    def set_allergies(self, patient_id: uuid.UUID, allergies: Sequence[Allergy]) -> RecordChange: ...

    def set_diagnoses(self, patient_id: uuid.UUID, diagnoses: Sequence[Diagnosis]) -> RecordChange: ...


class Attaching(Protocol):
    """What the gallery does: keep a photo (from the camera or a file) or a PDF."""

    def attach(
        self,
        patient_id: uuid.UUID,
        visit_id: uuid.UUID | None,
        content: bytes,
        *,
        caption: str = "",
        source: Source = Source.FILE,
    ) -> RecordChange: ...


class VisitActions(
    Changes,
    Auditing,
    Signing,
    TimeCorrecting,
    Checklisting,
    MedicationEditing,
    Attaching,
    MarkingInError,
    Protocol,
):
    """What the visit screen does."""

    @property
    def policy(self) -> EvvPolicy:
        """The agency's verification thresholds (its card's, received at each sync): the check-out warning
        and "mark missed" use the same numbers as the exceptions recorded."""
        ...

    def check_in(
        self, visit_id: uuid.UUID, location: Location | None, *, no_fix: ExceptionReason | None = None
    ) -> RecordChange: ...

    def check_out(self, visit_id: uuid.UUID, location: Location | None = None) -> RecordChange: ...

    def mark_missed(
        self, visit_id: uuid.UUID, reason: ExceptionReason | None = None, note: str = ""
    ) -> Sequence[RecordChange]: ...

    def undo_missed(self, visit_id: uuid.UUID) -> Sequence[RecordChange]: ...

    def explain_exception(
        self, exception_id: uuid.UUID, reason: ExceptionReason, note: str = ""
    ) -> RecordChange: ...

    def add_note(self, visit_id: uuid.UUID, text: str, amends: uuid.UUID | None = None) -> RecordChange: ...

    def add_observation(
        self, visit_id: uuid.UUID, kind: ObservationKind, value: float, unit: str
    ) -> RecordChange: ...

    def add_blood_pressure(
        self, visit_id: uuid.UUID, systolic: float, diastolic: float
    ) -> Sequence[RecordChange]: ...


# -- the patient record -----------------------------------------------------------------------------------


class PatientReads(Protocol):
    """What the patient record reads."""

    def patient(self, patient_id: uuid.UUID) -> Patient | None: ...

    def patient_visits(self, patient_id: uuid.UUID, limit: int = 50) -> Sequence[Visit]: ...

    def patient_notes(self, patient_id: uuid.UUID, limit: int = 50) -> Sequence[VisitNote]: ...

    def patient_task_history(self, patient_id: uuid.UUID, limit: int = 200) -> Sequence[TaskOutcome]: ...


class PatientActions(Changes, Auditing, Protocol):
    """What the patient record does."""

    def edit_patient(self, patient_id: uuid.UUID, **changes: PatientValue) -> RecordChange: ...


# -- conflicts --------------------------------------------------------------------------------------------


class ConflictReads(Protocol):
    """What the conflicts screen reads besides its list: who is "this tablet", and records in words."""

    @property
    def node_id(self) -> str: ...

    def describe_record(self, entity: str, record_id: uuid.UUID) -> str: ...


class ConflictActions(Protocol):
    """What the conflicts screen does."""

    def keep_current(self, conflict_id: int) -> None: ...

    def restore_lost_value(self, conflict: Conflict) -> RecordChange: ...


# -- today's notices ---------------------------------------------------------------------------------------


class NoticeBoard(Protocol):
    """The office's schedule changes the signed-in worker has not seen, and the agency's lateness grace
    (``fieldapp.qt.notices.ScheduleNotices``)."""

    def schedule_notices(self) -> Sequence[ScheduleNotice]: ...

    def mark_notices_seen(self, notice_ids: Sequence[int]) -> None: ...

    @property
    def late_after_min(self) -> int: ...


# -- the end of the day -----------------------------------------------------------------------------------


class DayReads(Files, Protocol):
    """What the end-of-day screen reads."""

    def day_report(
        self, worker_id: uuid.UUID, day: date, worker_name: str, zone: tzinfo | None = None, agency: str = ""
    ) -> DayReportData: ...


class DayActions(Changes, Auditing, Protocol):
    """What the end-of-day screen does on the tablet."""

    def submit_day_report(self, day: date, summary: DaySummary, pdf: bytes) -> RecordChange: ...


class DaySubmitting(Protocol):
    """Sends a saved day report to the office and compares the receipt (on a worker thread; never raises
    for network or server failures: they are in ``Submission.error``)."""

    def submit(self, report_id: uuid.UUID, progress: Progress) -> Submission: ...


# -- settings ---------------------------------------------------------------------------------------------


class AccountService(Protocol):
    """What the settings screen reads and does about the signed-in account."""

    def info(self) -> AccountInfo: ...

    def save_server_url(self, url: str) -> None: ...

    def save_interval(self, seconds: int) -> bool: ...

    def save_lock_after(self, seconds: int) -> bool: ...

    def sign_out(self, detail: str = "") -> None: ...


class DisplayChoices(Protocol):
    """The language, theme and text size the settings screen shows and changes (``fieldapp.qt.display``)."""

    def prefs(self) -> DisplayPrefs: ...

    def set_language(self, choice: str) -> LanguageWhen: ...

    def set_theme(self, theme: str) -> None: ...

    def set_text_size(self, size: str) -> None: ...


# -- the main window --------------------------------------------------------------------------------------


class WindowReads(VisitReads, PatientReads, StatusReads, Protocol):
    """What the main window reads and hands to the detail screens it builds."""


class WindowActions(VisitActions, PatientActions, Protocol):
    """What the main window hands to the detail screens it builds."""
