"""``Records``: the read service handed to screens, so widgets never open sessions or run SQL themselves.

Every method is one short read through ``store.read()`` (a local snapshot: milliseconds, never the
network, never waiting for a writer) and returns plain values from ``fieldapp.store.queries`` and
``fieldapp.reports.builder``. Files (signature images, report PDFs) come from the device's BlobStore.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, tzinfo

from PySide6.QtCore import QCoreApplication

from fieldapp.domain.care import TaskOutcome
from fieldapp.domain.entities import Patient, Visit, VisitNote
from fieldapp.qt.i18n import day_and_time
from fieldapp.reports.builder import DayReportData, build_day_report
from fieldapp.store import care, conflicts, outbox, queries, repo
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.store.state import StoreStatus, store_status


class Records:
    """Reads for the screens of one device."""

    def __init__(self, store: LocalStore, blobs: BlobStore | None = None) -> None:
        self.store, self.blobs = store, blobs
        # Set by the workspace when it syncs (``BackgroundFiles.request``): fetches a file from the server.
        self.fetcher: Callable[[str, Callable[[bytes | None], None]], None] | None = None

    # -- patients ---------------------------------------------------------------------------------------

    def patient(self, patient_id: uuid.UUID) -> Patient | None:
        """One patient's full record, or None when not on this tablet."""
        with self.store.read() as session:
            return repo.get(session, Patient, patient_id)

    def patient_visits(self, patient_id: uuid.UUID, limit: int = 50) -> list[Visit]:
        """A patient's visits, newest first."""
        with self.store.read() as session:
            return queries.patient_visits(session, patient_id, limit)

    def patient_notes(self, patient_id: uuid.UUID, limit: int = 50) -> list[VisitNote]:
        """A patient's clinical notes (amendments included), newest first."""
        with self.store.read() as session:
            return queries.patient_notes(session, patient_id, limit)

    def patient_task_history(self, patient_id: uuid.UUID, limit: int = 200) -> list[TaskOutcome]:
        """A patient's recorded task outcomes, newest first (the office's per-patient history)."""
        with self.store.read() as session:
            return care.task_history(session, patient_id, limit)

    # -- visits ------------------------------------------------------------------------------------------

    def visit_detail(self, visit_id: uuid.UUID) -> queries.VisitDetail | None:
        """The visit with its patient, notes, vitals, signature and missing EVV elements."""
        with self.store.read() as session:
            return queries.visit_detail(session, visit_id)

    def visits_on(
        self, worker_id: uuid.UUID, day: date, zone: tzinfo | None = None
    ) -> list[queries.VisitSummary]:
        """A worker's visits on one day, in time order."""
        with self.store.read() as session:
            return queries.visits_on(session, worker_id, day, *(() if zone is None else (zone,)))

    # -- the day -----------------------------------------------------------------------------------------

    def day_report(
        self, worker_id: uuid.UUID, day: date, worker_name: str, zone: tzinfo | None = None, agency: str = ""
    ) -> DayReportData:
        """Everything the end-of-day screen and report show for a worker's day."""
        with self.store.read() as session:
            return build_day_report(
                session, worker_id, day, worker_name=worker_name, zone=zone, agency=agency
            )

    def day_summary(
        self, worker_id: uuid.UUID, day: date, worker_name: str = "", zone: tzinfo | None = None
    ) -> DayReportData:
        """Alias of ``day_report`` (its ``summary`` holds the counts)."""
        return self.day_report(worker_id, day, worker_name, zone)

    # -- sync state --------------------------------------------------------------------------------------

    def pending_count(self) -> int:
        """Local changes not yet acknowledged by the server."""
        with self.store.read() as session:
            return outbox.pending_count(session)

    def open_conflicts(self) -> list[conflicts.Conflict]:
        """Conflicts waiting for a person, newest first."""
        with self.store.read() as session:
            return conflicts.open_conflicts(session)

    def status(self) -> StoreStatus:
        """Pending, refused and conflict counts, cursor and last success."""
        with self.store.read() as session:
            return store_status(session)

    # -- conflicts and devices ----------------------------------------------------------------------------

    @property
    def node_id(self) -> str:
        """This device's id in clock stamps (to tell "this tablet" from other writers)."""
        return self.store.node_id

    def describe_record(self, entity: str, record_id: uuid.UUID) -> str:
        """A record as a person recognises it: the patient's name, or the visit's time and patient."""
        with self.store.read() as session:
            if entity == "patient":
                patient = repo.get(session, Patient, record_id, include_deleted=True)
                if patient is None:
                    return QCoreApplication.translate("Records", "A patient no longer on this tablet")
                return QCoreApplication.translate("Records", "Patient {name}").format(
                    name=patient.display_name
                )
            visit_id = record_id
            if entity != "visit":
                from fieldapp.domain.entities import entity_type

                record = repo.get(session, entity_type(entity), record_id, include_deleted=True)
                visit_id = getattr(record, "visit_id", record_id)
            visit = repo.get(session, Visit, visit_id, include_deleted=True)
            if visit is None:
                return f"{entity.replace('_', ' ').capitalize()} {str(record_id)[:8]}"
            patient = repo.get(session, Patient, visit.patient_id, include_deleted=True)
            who = (
                patient.display_name if patient else QCoreApplication.translate("Records", "unknown patient")
            )
            when = day_and_time(visit.scheduled_start)
            kind = {
                "visit": QCoreApplication.translate("Records", "Visit"),
                "visit_note": QCoreApplication.translate("Records", "Note of the visit"),
                "observation": QCoreApplication.translate("Records", "Vital sign of the visit"),
            }
            return f"{kind.get(entity, entity.replace('_', ' ').capitalize())} {when}, {who}"

    # -- files -------------------------------------------------------------------------------------------

    def request_file(self, sha256: str, arrived: Callable[[bytes | None], None]) -> bool:
        """Fetch a file not on this device from the server, in the background."""
        if self.fetcher is None:
            return False
        self.fetcher(sha256, arrived)
        return True

    def blob(self, sha256: str) -> bytes | None:
        """A stored file (signature image, report PDF), or None when it is not on this device."""
        if self.blobs is None:
            return None
        try:
            return self.blobs.get(sha256)
        except (KeyError, ValueError):
            return None
