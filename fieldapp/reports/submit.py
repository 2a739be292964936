"""Submitting a day report to the office, and checking the server's receipt against this tablet.

``DaySubmitter.submit(report_id)`` runs on a worker thread (it does HTTP): it uploads the report's PDF,
sends the one ``day_report`` mutation from the outbox to ``POST /reports/day``, acknowledges that
mutation in the outbox, and compares the receipt with the tablet's own records of that day. Each
receipt item's SHA-256 is the server's ``record_digest`` of the record's wire values; the tablet
computes the same digest from its copy (``model_dump(mode="json")`` without the id), so a record that
arrived different, or did not arrive at all, is named to the worker before they go off shift.

Qt-free: the screen runs it in a background worker and shows the result.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import tzinfo
from typing import Protocol

import sqlalchemy as sa

from fieldapp.domain.attestation import record_digest
from fieldapp.domain.entities import DayReport
from fieldapp.readmodels.submission import ItemCheck, ItemState, Submission
from fieldapp.reports.builder import DayReportData, build_day_report, local_records, record_label
from fieldapp.store import outbox, repo
from fieldapp.store.local import LocalStore
from fieldapp.store.models import OutboxRow
from fieldapp.store.records import record_state, row_type
from fieldapp.sync.errors import SyncError
from fieldapp.sync.protocol import DayReceipt, FieldChange, Mutation, PushRequest

log = logging.getLogger(__name__)

UNEXPECTED = (
    "the report could not be submitted because of an unexpected problem in the app; it is saved on this "
    "tablet and will reach the office with the next sync"
)


class ReportTransport(Protocol):
    """What the submission needs of the server (``HttpTransport``)."""

    def upload_blob(self, sha256: str, content: bytes, media_type: str) -> None: ...

    def submit_day_report(self, request: PushRequest) -> DayReceipt: ...


class BlobReader(Protocol):
    """The device's file store (``BlobStore``)."""

    def get(self, sha256: str) -> bytes: ...


Step = Callable[[str, int, int], None]  # message, step done, steps


def _quiet(_message: str, _done: int, _total: int) -> None:
    return None


class DaySubmitter:
    """Sends day reports of one device to the office; safe to call from a worker thread."""

    STEPS = 4

    def __init__(
        self,
        store: LocalStore,
        blobs: BlobReader,
        transport: ReportTransport,
        *,
        app_version: str = "",
        zone: tzinfo | None = None,
    ) -> None:
        self.store, self.blobs, self.transport = store, blobs, transport
        self.app_version, self.zone = app_version, zone

    def submit(self, report_id: uuid.UUID, progress: Step = _quiet) -> Submission:
        """Upload the PDF, send the report, acknowledge it, compare the receipt. Never raises for
        network or server failures (they are in ``Submission.error``)."""
        try:
            return self._submit(report_id, progress)
        except SyncError as exc:
            return Submission(report_id, error=exc.message)
        except Exception:
            log.exception("day report submission failed")
            return Submission(report_id, error=UNEXPECTED)

    def _submit(self, report_id: uuid.UUID, progress: Step) -> Submission:
        with self.store.read() as session:
            report = repo.get(session, DayReport, report_id)
            if report is None:
                return Submission(report_id, error="the report is not on this tablet; create it again")
            mutation = self.mutation_for(session, report_id)
            pending = outbox.pending_count(session)
        progress("Uploading the report PDF", 1, self.STEPS)
        try:
            pdf = self.blobs.get(report.pdf_sha256)
        except (KeyError, ValueError) as exc:
            return Submission(report_id, error=f"the report PDF is missing on this tablet ({exc})")
        self.transport.upload_blob(report.pdf_sha256, pdf, "application/pdf")

        progress("Sending the report to the office", 2, self.STEPS)
        request = PushRequest(
            device_id=self.store.node_id,
            mutations=[mutation],
            pending=max(pending - 1, 0),
            app_version=self.app_version[:32],
        )
        receipt = self.transport.submit_day_report(request)

        progress("Saving the office's receipt", 3, self.STEPS)
        with self.store.unit_of_work() as session:
            outbox.acknowledge(session, [mutation.mutation_id])

        progress("Checking what arrived", 4, self.STEPS)
        with self.store.read() as session:
            data = build_day_report(session, report.worker_id, report.day, zone=self.zone)
            checks = compare(session, data, receipt, self.zone)
        return Submission(
            report_id, receipt, tuple(checks), pdf_matches=receipt.pdf_sha256 == report.pdf_sha256
        )

    def mutation_for(self, session: sa.orm.Session, report_id: uuid.UUID) -> Mutation:
        """The report's mutation as it waits in the outbox; if the sync already sent it, the record's
        state under a new mutation id (the server then finds nothing to change)."""
        row = session.scalars(
            sa.select(OutboxRow)
            .where(OutboxRow.entity == "day_report", OutboxRow.record_id == report_id)
            .order_by(OutboxRow.seq)
            .limit(1)
        ).first()
        if row is not None:
            return Mutation(
                mutation_id=row.mutation_id,
                entity="day_report",
                record_id=report_id,
                changes={name: FieldChange.model_validate(change) for name, change in row.changes.items()},
            )
        stored = session.get(row_type("day_report"), report_id)
        if stored is None:
            raise SyncError("the report is not on this tablet; create it again")
        state = record_state(stored)
        return Mutation(
            mutation_id=uuid.uuid4(),
            entity="day_report",
            record_id=report_id,
            changes={name: FieldChange.of(v) for name, v in state.fields.items()},
        )


def compare(
    session: sa.orm.Session, data: DayReportData, receipt: DayReceipt, zone: tzinfo | None = None
) -> list[ItemCheck]:
    """Each record of the day on this tablet and in the receipt, with how they compare."""
    local = local_records(session, data)
    unsent = set(
        session.scalars(
            sa.select(OutboxRow.record_id).where(
                OutboxRow.status == outbox.PENDING, OutboxRow.record_id.in_(list(local))
            )
        )
    )
    labels = {record_id: record_label(data, record_id, zone) for record_id in local}
    checks: list[ItemCheck] = []
    seen: set[uuid.UUID] = set()
    for item in receipt.items:
        seen.add(item.record_id)
        if item.record_id not in local:
            label = f"{item.entity.replace('_', ' ')} {str(item.record_id)[:8]} (not on this tablet)"
            checks.append(
                ItemCheck(item.entity, item.record_id, label, ItemState.OFFICE_ONLY, None, item.sha256)
            )
            continue
        entity, values = local[item.record_id]
        mine = record_digest(entity, str(item.record_id), values)
        if mine == item.sha256:
            state = ItemState.ARRIVED
        elif item.record_id in unsent:
            state = ItemState.UNSENT
        else:
            state = ItemState.DIFFERENT
        checks.append(ItemCheck(entity, item.record_id, labels[item.record_id], state, mine, item.sha256))
    for record_id, (entity, values) in local.items():
        if record_id in seen:
            continue
        state = ItemState.UNSENT if record_id in unsent else ItemState.MISSING
        mine = record_digest(entity, str(record_id), values)
        checks.append(ItemCheck(entity, record_id, labels[record_id], state, mine, None))
    order = {"visit": 0, "visit_note": 1, "observation": 2, "task_outcome": 3, "signature": 4}
    checks.sort(key=lambda c: (c.state is ItemState.OFFICE_ONLY, order.get(c.entity, 9), c.label))
    return checks
