"""What the screens can do, as one object handed to them: each action is one unit of work on the store.

Widgets call these methods and never touch SQL themselves. Every successful action emits
``records_did_change`` with what changed, the single signal all views refresh from (and the sync
controller's debounced trigger listens to). Failures raise ``fieldapp.domain.errors.DomainError``
subclasses whose message is shown to the worker as it is.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from fieldapp.domain.audit import AuditAction
from fieldapp.domain.entities import Patient
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason
from fieldapp.domain.values import CorrectionReason, DaySummary, Location, ObservationKind, SignerRole
from fieldapp.domain.verification import DEFAULT_POLICY, EvvPolicy
from fieldapp.qt.care_actions import CareActions
from fieldapp.qt.ports import PatientValue
from fieldapp.readmodels.conflicts import Conflict
from fieldapp.store import audit, conflicts, exceptions, queries, repo, workflows
from fieldapp.store.blobs import BlobStore, checked_file
from fieldapp.store.exceptions import Explanation
from fieldapp.store.local import LocalStore
from fieldapp.store.repo import Change

T = TypeVar("T")


class Actions(CareActions, QObject):
    """The worker's actions on local data, for one signed-in user (care documentation: ``CareActions``)."""

    records_did_change = Signal(object)  # list[Change]

    def __init__(
        self,
        store: LocalStore,
        blobs: BlobStore,
        user_id: uuid.UUID,
        parent: QObject | None = None,
        *,
        username: str = "",
        policy: EvvPolicy = DEFAULT_POLICY,
    ) -> None:
        super().__init__(parent)
        self.store, self.blobs, self.user_id = store, blobs, user_id
        self.username = username or str(user_id)
        self.policy = policy

    def _run(self, work: Callable[[Session], T], also: list[Change] | None = None) -> T:
        with self.store.unit_of_work() as session:
            result = work(session)
            written: list[object] = list(result) if isinstance(result, list) else [result]
            written += also or []
            changes = [c for c in written if isinstance(c, Change) and not c.is_noop]
            # The edit and its audit entry are saved together or not at all.
            audit.record_changes(session, self.username, changes, self.store.clock)
        if changes:
            self.records_did_change.emit(changes)
        return result

    def audit(
        self,
        action: AuditAction,
        *,
        entity: str | None = None,
        record_id: uuid.UUID | None = None,
        detail: str = "",
    ) -> None:
        """Append to the device's audit log: views, exports, prints, locks, unlocks (edits are recorded
        by every action by itself)."""
        with self.store.unit_of_work() as session:
            audit.record(
                session,
                self.username,
                action,
                entity=entity,
                record_id=record_id,
                detail=detail,
                clock=self.store.clock,
            )

    def announce(self, changes: Sequence[Change]) -> None:
        """Tell the views about changes made elsewhere (the sync worker's pulled records)."""
        if changes:
            self.records_did_change.emit(list(changes))

    # -- patients ------------------------------------------------------------------------------------------

    def edit_patient(self, patient_id: uuid.UUID, **changes: PatientValue) -> Change:
        """Save edits of a patient's record at once (locally; they sync later)."""
        return self._run(lambda s: repo.update(s, self.store.clock, Patient, patient_id, changes))

    # -- visits --------------------------------------------------------------------------------------------

    def _verified(
        self,
        visit_id: uuid.UUID,
        step: Callable[[Session], T],
        explained: Mapping[ExceptionCode, Explanation] | None = None,
    ) -> T:
        """Run one step of a visit and bring its verification exceptions in line, in one transaction;
        ``explained`` gives the worker's reason for an exception by code."""
        also: list[Change] = []

        def work(s: Session) -> T:
            result = step(s)
            clock, policy = self.store.clock, self.policy
            also.extend(exceptions.reconcile(s, clock, visit_id, policy=policy, explained=explained))
            return result

        return self._run(work, also)

    def check_in(
        self, visit_id: uuid.UUID, location: Location | None, *, no_fix: ExceptionReason | None = None
    ) -> Change:
        """Check in now; ``no_fix`` is the device's reason for having no position (the worker may edit it)."""
        why = {ExceptionCode.LOCATION_MISSING: (no_fix, "")} if no_fix is not None else None
        return self._verified(
            visit_id, lambda s: workflows.check_in(s, self.store.clock, visit_id, location), why
        )

    def check_out(self, visit_id: uuid.UUID, location: Location | None = None) -> Change:
        return self._verified(
            visit_id, lambda s: workflows.check_out(s, self.store.clock, visit_id, location)
        )

    def correct_time(
        self,
        visit_id: uuid.UUID,
        which: str,
        corrected: datetime,
        reason: CorrectionReason,
        comment: str = "",
    ) -> Change:
        return self._verified(
            visit_id,
            lambda s: workflows.correct_time(
                s, self.store.clock, visit_id, which, corrected, reason, comment
            ),
        )

    def mark_missed(
        self, visit_id: uuid.UUID, reason: ExceptionReason | None = None, note: str = ""
    ) -> list[Change]:
        """Record that the visit did not take place, and why (a reason is required)."""
        return self._run(
            lambda s: exceptions.mark_missed(s, self.store.clock, visit_id, reason, note, policy=self.policy)
        )

    def undo_missed(self, visit_id: uuid.UUID) -> list[Change]:
        """Take back "missed" while it has not been sent to the office."""
        return self._run(lambda s: exceptions.undo_missed(s, self.store.clock, visit_id, policy=self.policy))

    def explain_exception(self, exception_id: uuid.UUID, reason: ExceptionReason, note: str = "") -> Change:
        """Keep the worker's reason and note for a verification exception."""
        return self._run(lambda s: exceptions.explain(s, self.store.clock, exception_id, reason, note))

    def add_note(self, visit_id: uuid.UUID, text: str, amends: uuid.UUID | None = None) -> Change:
        return self._run(
            lambda s: workflows.add_note(s, self.store.clock, visit_id, self.user_id, text, amends)
        )

    def add_observation(self, visit_id: uuid.UUID, kind: ObservationKind, value: float, unit: str) -> Change:
        return self._run(
            lambda s: workflows.add_observation(s, self.store.clock, visit_id, kind, value, unit)
        )

    def add_blood_pressure(self, visit_id: uuid.UUID, systolic: float, diastolic: float) -> list[Change]:
        """Both readings of one blood pressure, saved together."""
        return self._run(
            lambda s: workflows.add_blood_pressure(s, self.store.clock, visit_id, systolic, diastolic)
        )

    def sign(
        self,
        visit_id: uuid.UUID,
        *,
        strokes: list[list[dict[str, float]]],
        png: bytes | None,
        signer_name: str,
        signer_role: SignerRole,
        meaning: str,
        unable_reason: str = "",
    ) -> list[Change]:
        """Save the signature that attests (and locks) the visit, and its image.

        The image is kept only once the signature is valid, inside its transaction: a refusal leaves no file.
        """
        image = checked_file(png, "image/png") if png is not None else None
        image_sha = hashlib.sha256(image).hexdigest() if image is not None else None

        def work(s: Session) -> list[Change]:
            changes = workflows.sign(
                s,
                self.store.clock,
                visit_id,
                strokes=strokes,
                image_sha256=image_sha,
                signer_name=signer_name,
                signer_role=signer_role,
                meaning=meaning,
                unable_reason=unable_reason,
            )
            if image is not None:
                self.blobs.put(image)
            return changes

        return self._verified(visit_id, work)

    # -- conflicts -----------------------------------------------------------------------------------------

    def keep_current(self, conflict_id: int) -> None:
        """The worker agrees with the value that won."""
        with self.store.unit_of_work() as session:
            conflicts.resolve(session, conflict_id, "kept")
        self.records_did_change.emit([])

    def restore_lost_value(self, conflict: Conflict) -> Change:
        """Bring back the value that lost, as a new edit (it syncs and wins from now on)."""
        from fieldapp.domain.entities import entity_type

        def work(session: Session) -> Change:
            change = repo.update(
                session,
                self.store.clock,
                entity_type(conflict.entity),
                conflict.record_id,
                {conflict.field: conflict.lost_value},
            )
            conflicts.resolve(session, conflict.id, "restored")
            return change

        return self._run(work)

    # -- end of day ----------------------------------------------------------------------------------------

    def submit_day_report(self, day: date, summary: DaySummary, pdf: bytes) -> Change:
        """Keep the report's PDF and create the day's report record (immutable) that references it.

        The record's mutation waits in the outbox like any change; the end-of-day screen then sends it
        with ``fieldapp.reports.submit.DaySubmitter`` (on a worker thread) to get the office's receipt.
        """

        from fieldapp.domain.entities import DayReport, parse

        content = checked_file(pdf, "application/pdf")
        submitted_at = datetime.fromtimestamp(self.store.clock.physical() / 1000, UTC)
        report = parse(
            DayReport,
            dict(
                worker_id=self.user_id,
                day=day,
                summary=summary,
                pdf_sha256=hashlib.sha256(content).hexdigest(),
                submitted_at=submitted_at,
            ),
        )

        also: list[Change] = []

        def work(s: Session) -> Change:
            change = repo.add(s, self.store.clock, report)
            # The day's last look at its visits: an unsigned or never checked-out visit is found now.
            zone = datetime.now().astimezone().tzinfo or UTC
            for summary in queries.visits_on(s, self.user_id, day, zone):
                also.extend(exceptions.reconcile(s, self.store.clock, summary.visit.id, policy=self.policy))
            self.blobs.put(content)  # once the record is valid: a refusal leaves no file
            return change

        return self._run(work, also)
