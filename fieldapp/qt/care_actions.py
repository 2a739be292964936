"""Care documentation's writes, mixed into ``Actions``: a checklist tap, medications, allergies and
diagnoses, photos and documents (with their thumbnail, made once here where Qt can decode images).

Each is one unit of work through ``Actions._run``: saved with its outbox entry and its audit entry, then
announced on ``records_did_change`` like every other write.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TypeVar

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageWriter
from sqlalchemy.orm import Session

from fieldapp.domain.attachments import SNIFF_BYTES, Attachment, Source, sniff
from fieldapp.domain.care import Outcome, TaskOutcome
from fieldapp.domain.medications import Medication
from fieldapp.domain.values import Allergy, Diagnosis
from fieldapp.domain.verification import EvvPolicy
from fieldapp.qt.ports import InError, MedicationValue
from fieldapp.store import attachments, care, exceptions
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.store.repo import Change

T = TypeVar("T")
THUMBNAIL_EDGE = 240


def thumbnail(content: bytes, edge: int = THUMBNAIL_EDGE) -> tuple[bytes, int, int] | None:
    """A JPEG thumbnail of a photo (its longer side ``edge`` pixels at most), or None when Qt cannot read
    the image (then the gallery shows the file's kind instead)."""
    image = QImage.fromData(QByteArray(content))
    if image.isNull():
        return None
    small = image.scaled(
        edge, edge, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"jpeg"))
    writer.setQuality(80)
    written = writer.write(small)
    buffer.close()
    if not written:
        return None
    return bytes(data.data()), small.width(), small.height()


class CareActions:
    """The care-documentation half of ``Actions`` (which provides ``_run``, ``store`` and ``blobs``)."""

    store: LocalStore
    blobs: BlobStore
    policy: EvvPolicy

    def _run(self, work: Callable[[Session], T], also: list[Change] | None = None) -> T:
        raise NotImplementedError  # Actions._run

    # -- the checklist ----------------------------------------------------------------------------------

    def record_outcome(
        self,
        visit_id: uuid.UUID,
        task_id: uuid.UUID,
        outcome: Outcome | None,
        reason: str = "",
        note: str = "",
    ) -> Change:
        """One tap of the checklist (None undoes it); after check-out it also brings the visit's
        "tasks not completed" exception in line."""
        also: list[Change] = []

        def work(s: Session) -> Change:
            tap, *found = exceptions.checklist_tap(
                s,
                self.store.clock,
                (visit_id, task_id, outcome),
                reason=reason,
                note=note,
                policy=self.policy,
            )
            also.extend(found)
            return tap

        return self._run(work, also)

    def mark_in_error(self, entity: InError, record_id: uuid.UUID, reason: str) -> list[Change]:
        """Mark a task outcome, a medication or an attachment entered in error, with the reason (an
        outcome's visit checked out gets its open tasks counted again)."""

        def work(s: Session) -> list[Change]:
            clock = self.store.clock
            if entity == "medication":
                return [care.mark_in_error(s, clock, Medication, record_id, reason)]
            if entity == "attachment":
                return [care.mark_in_error(s, clock, Attachment, record_id, reason)]
            marked = care.mark_in_error(s, clock, TaskOutcome, record_id, reason)
            return [marked, *exceptions.after_error_mark(s, clock, record_id, policy=self.policy)]

        return self._run(work)

    # -- medications, allergies, diagnoses --------------------------------------------------------------

    def add_medication(self, patient_id: uuid.UUID, values: Mapping[str, MedicationValue]) -> Change:
        """Put a medication on the patient's list."""
        return self._run(lambda s: care.add_medication(s, self.store.clock, patient_id, values))

    def edit_medication(self, medication_id: uuid.UUID, changes: Mapping[str, MedicationValue]) -> Change:
        """Change the fields edited (only those: the office's edits of the others survive)."""
        return self._run(lambda s: care.edit_medication(s, self.store.clock, medication_id, changes))

    def discontinue_medication(self, medication_id: uuid.UUID, stop: date) -> Change:
        """Stop a medication from ``stop`` on; it stays on the list as discontinued."""
        return self._run(lambda s: care.discontinue(s, self.store.clock, medication_id, stop))

    def set_allergies(self, patient_id: uuid.UUID, allergies: Sequence[Allergy]) -> Change:
        """Save the patient's allergy list as edited."""
        return self._run(lambda s: care.set_allergies(s, self.store.clock, patient_id, allergies))

    def set_diagnoses(self, patient_id: uuid.UUID, diagnoses: Sequence[Diagnosis]) -> Change:
        """Save the patient's diagnosis list as edited."""
        return self._run(lambda s: care.set_diagnoses(s, self.store.clock, patient_id, diagnoses))

    # -- photos and documents ---------------------------------------------------------------------------

    def attach(
        self,
        patient_id: uuid.UUID,
        visit_id: uuid.UUID | None,
        content: bytes,
        *,
        caption: str = "",
        source: Source = Source.FILE,
    ) -> Change:
        """Keep a photo or a document (encrypted on the tablet) and make its thumbnail once."""
        taken_at = datetime.fromtimestamp(self.store.clock.physical() / 1000, UTC)
        kind = sniff(content[:SNIFF_BYTES])
        small = thumbnail(content) if kind is not None and kind.is_image else None

        def work(s: Session) -> Change:
            change, _record = attachments.attach(
                s,
                self.store.clock,
                self.blobs,
                content,
                patient_id=patient_id,
                visit_id=visit_id,
                taken_at=taken_at,
                caption=caption,
                source=source,
                thumbnail=small,
            )
            return change

        return self._run(work)
