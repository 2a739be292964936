"""The visit screen's care documentation: the task checklist, the medication list (and the allergy and
diagnosis lists), photos and documents. A mixin of ``VisitScreen``: it builds the three panels, shows the
visit's parts in them and runs their actions through the screen's ``_do`` (a refusal is a sentence)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from fieldapp.domain.attachments import Source
from fieldapp.domain.care import Outcome, outcome_id
from fieldapp.domain.errors import DomainError
from fieldapp.domain.medications import Medication
from fieldapp.qt.ports import InError, VisitActions, VisitReads
from fieldapp.qt.words import task_title
from fieldapp.readmodels.visits import AttachmentView, VisitDetail
from fieldapp.ui.gallery import AttachmentViewer, GalleryPanel, read_attachable
from fieldapp.ui.medications import ClinicalListsDialog, MedicationDialog, MedicationsPanel
from fieldapp.ui.visit.in_error import InErrorDialog
from fieldapp.ui.visit.tasks import ChecklistPanel

if TYPE_CHECKING:  # QtMultimedia (PySide6-Addons) is loaded only when the camera opens
    from PySide6.QtMultimedia import QVideoFrameInput


def _no_camera() -> None:
    raise DomainError("this build of the app has no camera support; add a photo from a file instead")


class CareParts:
    """Checklist, medications and gallery of ``VisitScreen`` (which provides the attributes below)."""

    records: VisitReads
    app_actions: VisitActions
    visit_id: uuid.UUID | None
    detail: VisitDetail | None
    _do: Callable[[Callable[[], object]], bool]

    def _build_care(self, files: VisitReads) -> None:
        self.tasks_panel = ChecklistPanel()
        self.meds_panel = MedicationsPanel()
        self.gallery_panel = GalleryPanel(files)
        self.tasks_panel.outcome_chosen.connect(self.record_outcome)
        self.tasks_panel.error_requested.connect(self.outcome_in_error)
        self.meds_panel.error_requested.connect(lambda m: self.mark_in_error("medication", m.id, m.name))
        self.meds_panel.add_requested.connect(lambda: self.open_medication(None))
        self.meds_panel.edit_requested.connect(self.open_medication)
        self.meds_panel.discontinue_requested.connect(self.discontinue_medication)
        self.meds_panel.lists_requested.connect(self.open_clinical_lists)
        self.gallery_panel.file_chosen.connect(self.attach_file)
        self.gallery_panel.open_requested.connect(self.open_attachment)
        self.gallery_panel.camera_requested.connect(lambda: self.open_camera())

    def _show_care(self, d: VisitDetail) -> None:
        self.tasks_panel.show_checklist(d.visit, d.checklist)
        self.meds_panel.show_medications(d.medications)
        self.gallery_panel.show_attachments(d.attachments, d.visit.id)

    # -- the checklist --------------------------------------------------------------------------------------

    def record_outcome(
        self, task_id: uuid.UUID, outcome: Outcome | None, reason: str = "", note: str = ""
    ) -> bool:
        """Save one tap of the checklist."""
        if self.visit_id is None:
            return False
        visit_id = self.visit_id
        return self._do(lambda: self.app_actions.record_outcome(visit_id, task_id, outcome, reason, note))

    def outcome_in_error(self, task_id: uuid.UUID) -> InErrorDialog | None:
        """Ask why a task's recorded outcome was entered in error, and mark it."""
        if self.detail is None:
            return None
        line = next((x for x in self.detail.checklist if x.task.id == task_id), None)
        label = task_title(line.task.code, line.task.title) if line is not None else ""
        return self.mark_in_error("task_outcome", outcome_id(self.detail.visit.id, task_id), label)

    def mark_in_error(self, entity: InError, record_id: uuid.UUID, what: str) -> InErrorDialog:
        """Ask why a record was entered in error; it is marked (never removed) once the worker says why."""
        dialog = InErrorDialog(
            what,
            lambda reason: self.app_actions.mark_in_error(entity, record_id, reason),
            self._parent_widget(),
        )
        dialog.accepted.connect(self._refresh_after_dialog)
        dialog.open()
        return dialog

    # -- medications ----------------------------------------------------------------------------------------

    def open_medication(self, medication: Medication | None) -> MedicationDialog | None:
        """Open the medication editor (a new one when ``medication`` is None)."""
        if self.detail is None:
            return None
        dialog = MedicationDialog(self.app_actions, self.detail.patient.id, medication, self._parent_widget())
        dialog.accepted.connect(self._refresh_after_dialog)
        dialog.open()
        return dialog

    def discontinue_medication(self, medication: Medication, stop: date) -> bool:
        """Mark a medication discontinued from ``stop`` on."""
        return self._do(lambda: self.app_actions.discontinue_medication(medication.id, stop))

    def open_clinical_lists(self) -> ClinicalListsDialog | None:
        """Open the allergy and diagnosis lists' editor."""
        if self.detail is None:
            return None
        dialog = ClinicalListsDialog(self.app_actions, self.detail.patient, self._parent_widget())
        dialog.accepted.connect(self._refresh_after_dialog)
        dialog.open()
        return dialog

    # -- photos and documents -------------------------------------------------------------------------------

    def attach_file(self, path: Path) -> bool:
        """Attach a photo or PDF from a file to this visit (checked from its bytes, encrypted when kept)."""
        if self.detail is None:
            return False
        patient_id, visit_id = self.detail.patient.id, self.detail.visit.id
        return self._do(
            lambda: self.app_actions.attach(
                patient_id, visit_id, read_attachable(path), caption=path.stem[:200]
            )
        )

    def attach_photo(self, jpeg: bytes, caption: str = "") -> bool:
        """Attach a photo the camera took to this visit."""
        if self.detail is None:
            return False
        patient_id, visit_id = self.detail.patient.id, self.detail.visit.id
        return self._do(
            lambda: self.app_actions.attach(patient_id, visit_id, jpeg, caption=caption, source=Source.CAMERA)
        )

    def open_camera(self, source: QVideoFrameInput | None = None) -> QDialog | None:
        """Open the camera (``source``: frames to show instead of the tablet's camera, e.g. a test's)."""
        try:
            from fieldapp.ui.gallery.camera import CameraDialog
        except ImportError:  # a build without QtMultimedia (PySide6-Addons)
            self._do(_no_camera)
            return None
        dialog = CameraDialog(source, self._parent_widget())
        dialog.photo_taken.connect(self.attach_photo)
        dialog.open()
        return dialog

    def open_attachment(self, view: AttachmentView) -> AttachmentViewer:
        """Show one photo or document full size."""
        viewer = AttachmentViewer(view, self.records, self._parent_widget())
        viewer.error_requested.connect(self._attachment_in_error)
        viewer.open()
        return viewer

    def _attachment_in_error(self, view: AttachmentView) -> None:
        a = view.attachment
        self.mark_in_error("attachment", a.id, a.caption or a.kind.words)

    def _parent_widget(self) -> QWidget | None:
        return self if isinstance(self, QWidget) else None

    def _refresh_after_dialog(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Re-read the visit (``VisitScreen.refresh``)."""
        raise NotImplementedError
