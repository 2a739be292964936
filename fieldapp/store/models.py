"""Typed SQLAlchemy mappings of the local store.

The replica has no foreign keys between records: the server's feed may deliver a visit before its
patient (numbers follow the last change, not creation), and a partial replica may hold a note whose
visit was deleted. The write path checks references itself (``repo._check_references``).

Each syncable table has one column per domain field (so lists and searches run in SQL) and the sync
metadata: the clock stamp of the write that set each field (``stamps``), the stamp that write replaced
(``bases``), a tombstone stamp (``deleted``), and the server's change sequence once known.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    Index,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fieldapp.sql import UtcDateTime as UtcDateTime  # the columns' type, named here for the replica
from fieldapp.store.db import metadata

STAMP = String(48)


class Base(DeclarativeBase):
    """Declarative base bound to the store's metadata (and its constraint naming convention)."""

    metadata = metadata
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        dict[str, str]: JSON,
        list[Any]: JSON,
    }


class SyncedRow(Base):
    """Columns every replicated record carries."""

    __abstract__ = True
    entity_name: str

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    stamps: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    bases: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    deleted: Mapped[str | None] = mapped_column(STAMP)
    server_seq: Mapped[int | None] = mapped_column(Integer)


class PatientRow(SyncedRow):
    __tablename__ = "patients"
    entity_name = "patient"

    mrn: Mapped[str] = mapped_column(String(32), index=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100), index=True)
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    emergency_contact: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    allergies: Mapped[list[Any]] = mapped_column(JSON)
    diagnoses: Mapped[list[Any]] = mapped_column(JSON)
    care_plan: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean)


class VisitRow(SyncedRow):
    __tablename__ = "visits"
    entity_name = "visit"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    worker_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    scheduled_start: Mapped[datetime] = mapped_column(UtcDateTime)
    scheduled_end: Mapped[datetime] = mapped_column(UtcDateTime)
    service_code: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(16))
    check_in: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    check_out: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    check_in_correction: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    check_out_correction: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # No foreign key: the signature row references the visit, and either may arrive first from the server.
    signature_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    cancel_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
    worker_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    external_id: Mapped[str | None] = mapped_column(String(64))
    series_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __table_args__ = (Index("ix_visits_worker_start", "worker_id", "scheduled_start"),)


class VisitNoteRow(SyncedRow):
    __tablename__ = "visit_notes"
    entity_name = "visit_note"

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UtcDateTime)
    amends: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class ObservationRow(SyncedRow):
    __tablename__ = "observations"
    entity_name = "observation"

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(16))
    observed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    entered_in_error: Mapped[bool] = mapped_column(Boolean)


class SignatureRow(SyncedRow):
    __tablename__ = "signatures"
    entity_name = "signature"

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    strokes: Mapped[list[Any]] = mapped_column(JSON)
    image_sha256: Mapped[str | None] = mapped_column(String(64))
    signer_name: Mapped[str] = mapped_column(String(100))
    signer_role: Mapped[str] = mapped_column(String(32))
    meaning: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    content_sha256: Mapped[str] = mapped_column(String(64))
    unable_reason: Mapped[str] = mapped_column(String(200))
    # What binds the parts together (fieldapp.domain.signing); NULL for signatures made before digests.
    digest: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DayReportRow(SyncedRow):
    __tablename__ = "day_reports"
    entity_name = "day_report"

    worker_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    day: Mapped[date] = mapped_column(Date, index=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CareTaskRow(SyncedRow):
    __tablename__ = "care_tasks"
    entity_name = "care_task"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    code: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    frequency: Mapped[str] = mapped_column(String(16))
    weekdays: Mapped[list[Any]] = mapped_column(JSON)
    instructions: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean)


class TaskOutcomeRow(SyncedRow):
    __tablename__ = "task_outcomes"
    entity_name = "task_outcome"

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    task_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    code: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    entered_in_error: Mapped[bool] = mapped_column(Boolean, default=False)
    error_reason: Mapped[str] = mapped_column(String(200), default="")


class MedicationRow(SyncedRow):
    __tablename__ = "medications"
    entity_name = "medication"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    name: Mapped[str] = mapped_column(String(100))
    strength: Mapped[str] = mapped_column(String(60))
    dose: Mapped[str] = mapped_column(String(60))
    route: Mapped[str] = mapped_column(String(16))
    frequency: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)
    stop_date: Mapped[date | None] = mapped_column(Date)
    prescriber: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    entered_in_error: Mapped[bool] = mapped_column(Boolean, default=False)
    error_reason: Mapped[str] = mapped_column(String(200), default="")


class AttachmentRow(SyncedRow):
    __tablename__ = "attachments"
    entity_name = "attachment"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    visit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(32))
    byte_size: Mapped[int] = mapped_column(BigInteger)
    caption: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime)
    entered_in_error: Mapped[bool] = mapped_column(Boolean)
    error_reason: Mapped[str] = mapped_column(String(200), default="")
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))


class ThumbnailRow(Base):
    """A photo's thumbnail, made once on this device (a JPEG blob of its own); never synced."""

    __tablename__ = "thumbnails"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    thumbnail_sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)


class VisitExceptionRow(SyncedRow):
    __tablename__ = "visit_exceptions"
    entity_name = "visit_exception"

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    worker_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    code: Mapped[str] = mapped_column(String(32))
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    detail: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(200))
    withdrawn: Mapped[bool] = mapped_column(Boolean)
    resolution: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    tasks: Mapped[list[Any]] = mapped_column(JSON, default=list)


class UploadedBlobRow(Base):
    """A large file this device has finished uploading in the background (decision 0034): the record
    naming it may now be pushed. Never synced."""

    __tablename__ = "uploaded_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutboxRow(Base):
    """One local change waiting for the server's acknowledgement, in the order it was made."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mutation_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    entity: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # {field: {"v": value, "s": stamp, "b": base stamp or null}}
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[str | None] = mapped_column(STAMP)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The device-time reading the change was made at, and its epoch while that reading is provisional
    # (decision 0013): the first exchange of the epoch corrects both.
    epoch: Mapped[str | None] = mapped_column(String(16))
    physical_ms: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_outbox_status_seq", "status", "seq"),
        Index("ix_outbox_record", "entity", "record_id"),
    )


class SyncStateRow(Base):
    """The device's replication state: its node id, clock, measured offset and pull cursor (one row)."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[str] = mapped_column(String(32))
    last_stamp: Mapped[str | None] = mapped_column(STAMP)
    clock_offset_ms: Mapped[int] = mapped_column(Integer, default=0)
    pull_cursor: Mapped[str | None] = mapped_column(String(200))
    last_success_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    audit_sent_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The timeline's anchor (fieldapp.domain.devicetime.Anchor) and the last moment known alive in server
    # time; ``acked_floor`` is the newest of this device's stamps the server acknowledged.
    anchor_boot: Mapped[str | None] = mapped_column(String(64))
    anchor_uptime_ms: Mapped[int | None] = mapped_column(BigInteger)
    anchor_server_ms: Mapped[int | None] = mapped_column(BigInteger)
    anchor_kind: Mapped[str | None] = mapped_column(String(16))
    anchor_epoch: Mapped[str | None] = mapped_column(String(16))
    anchor_error_ms: Mapped[int | None] = mapped_column(BigInteger)
    alive_ms: Mapped[int | None] = mapped_column(BigInteger)
    acked_floor: Mapped[str | None] = mapped_column(STAMP)


class AuditRow(Base):
    """One entry of the device's audit log. Append-only: triggers refuse UPDATE and DELETE (migration 0004);
    what has been uploaded is tracked by ``SyncStateRow.audit_sent_seq``, not by changing entries."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    at_ms: Mapped[int] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str | None] = mapped_column(String(32))
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    detail: Mapped[str] = mapped_column(String(500))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class PendingEvictionRow(Base):
    """A patient taken off this worker's caseload, removed once its local changes have been pushed."""

    __tablename__ = "pending_evictions"

    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConflictRow(Base):
    """A value that lost a merge, kept so a person can see it and restore it."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    field: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(16))
    lost_value: Mapped[Any] = mapped_column(JSON)
    lost_stamp: Mapped[str] = mapped_column(STAMP)
    winner_value: Mapped[Any] = mapped_column(JSON)
    winner_stamp: Mapped[str | None] = mapped_column(STAMP)
    detected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolution: Mapped[str | None] = mapped_column(String(16))

    __table_args__ = (Index("ix_conflicts_open", "resolved_at", "entity", "record_id"),)


class ScheduleNoticeRow(Base):
    """A change of a visit's schedule that a pull brought, shown to the worker until seen.

    ``before``/``after`` hold the schedule fields as they were and became (wire values), so the text is
    written when shown, in the tablet's time zone and with the patient's current name."""

    __tablename__ = "schedule_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_schedule_notices_unseen", "seen_at", "created_at"),)


ROW_TYPES: dict[str, type[SyncedRow]] = {
    cls.entity_name: cls
    for cls in (
        PatientRow,
        VisitRow,
        VisitNoteRow,
        ObservationRow,
        SignatureRow,
        DayReportRow,
        CareTaskRow,
        TaskOutcomeRow,
        MedicationRow,
        AttachmentRow,
        VisitExceptionRow,
    )
}
