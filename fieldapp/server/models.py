"""Tables of the back-office database (portable between SQLite and PostgreSQL).

Records of all six entities live in one table as their replicated state (values, stamps, bases,
tombstone) plus the columns the server needs to authorise and to query: the patient a record belongs
to, the worker and day of visits and day reports, and the blob a record references. ``seq`` is the
record's position in the change feed: the number of the last change that touched it.
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
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fieldapp.server.db import metadata
from fieldapp.sql import UtcDateTime

Json = JSON().with_variant(JSONB(), "postgresql")
STAMP = String(48)


class Moment(UtcDateTime):
    """A point in time: stored in UTC (timestamptz on PostgreSQL), always read back zone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True
    zoned = True


class Base(DeclarativeBase):
    """Declarative base on the server metadata."""

    metadata = metadata


class Counter(Base):
    """Named counters: ``change_seq`` numbers the change feed on SQLite; ``xid_base`` offsets PostgreSQL's."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Moment())
    # How records name the person (fieldapp.domain.people.WorkerCard): "Ana López, HHA".
    full_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    credential: Mapped[str] = mapped_column(String(8), default="", server_default="")
    phone: Mapped[str | None] = mapped_column(String(32))
    # The office pages' language this user chose ("en", "es"; "" = the browser's), decision 0032.
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")


class Agency(Base):
    """The agency itself (one row, id 1): what its documents and tablets show (``AgencyCard``), and the
    time zone of its wall clock (none chosen yet: the server's setting ``Settings.agency_timezone``)."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str | None] = mapped_column(String(32))
    late_after_min: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    temperature_unit: Mapped[str] = mapped_column(String(8), default="[degF]", server_default="[degF]")
    weight_unit: Mapped[str] = mapped_column(String(8), default="[lb_av]", server_default="[lb_av]")
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # The other visit-verification thresholds (``AgencyCard.evv_policy``; decision 0033).
    early_check_in_min: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    early_check_out_min: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    late_check_out_min: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    short_visit_pct: Mapped[int] = mapped_column(Integer, default=75, server_default="75")
    long_visit_pct: Mapped[int] = mapped_column(Integer, default=125, server_default="125")
    far_m: Mapped[int] = mapped_column(Integer, default=400, server_default="400")


class SignInThrottle(Base):
    """Failed sign-ins counted per user name, per client address, or per user name at one of its familiar
    addresses, and the wait they earned (decision 0015)."""

    __tablename__ = "sign_in_throttle"

    scope: Mapped[str] = mapped_column(String(8), primary_key=True)  # account, address or familiar
    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure: Mapped[datetime | None] = mapped_column(Moment())
    locked_until: Mapped[datetime | None] = mapped_column(Moment())


class FamiliarAddress(Base):
    """A client address from which a user signed in with the right password, and when last."""

    __tablename__ = "sign_in_familiar"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_success: Mapped[datetime] = mapped_column(Moment())


class Device(Base):
    """A tablet (or browser) that signed in, and what it last reported."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    first_seen: Mapped[datetime] = mapped_column(Moment())
    last_seen: Mapped[datetime] = mapped_column(Moment())
    app_version: Mapped[str] = mapped_column(String(32), default="")
    pending: Mapped[int] = mapped_column(Integer, default=0)
    # Disabled by the office: the device may still push what it holds, then must wipe itself (decision 0011).
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_at: Mapped[datetime | None] = mapped_column(Moment())
    wiped_at: Mapped[datetime | None] = mapped_column(Moment())  # when the device confirmed its wipe
    last_sync_at: Mapped[datetime | None] = mapped_column(Moment())  # last push or pull
    clock_offset_ms: Mapped[int | None] = mapped_column(BigInteger)  # device clock minus server clock


class AuthSession(Base):
    """A signed-in session: hashed access and refresh tokens with their expiry, or its revocation."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[str] = mapped_column(String(32))
    access_hash: Mapped[str] = mapped_column(String(64), unique=True)
    access_expires: Mapped[datetime] = mapped_column(Moment())
    refresh_hash: Mapped[str] = mapped_column(String(64), unique=True)
    refresh_expires: Mapped[datetime] = mapped_column(Moment())
    created_at: Mapped[datetime] = mapped_column(Moment())
    revoked_at: Mapped[datetime | None] = mapped_column(Moment())
    # Two-phase rotation: a refreshed session stays refreshable (for a lost answer) until its successor
    # is first used, which revokes it; ``rotated_at`` bounds that window.
    rotated_at: Mapped[datetime | None] = mapped_column(Moment())
    predecessor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class Assignment(Base):
    """A patient on a worker's caseload (active), or taken off it (inactive, with when)."""

    __tablename__ = "assignments"

    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)
    active: Mapped[bool] = mapped_column(Boolean)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    changed_at: Mapped[datetime] = mapped_column(Moment())
    # Wall-clock ms of the unassignment: edits stamped before it are still accepted from the worker.
    unassigned_at_ms: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_assignments_worker_active_seq", "worker_id", "active", "seq"),)


class Record(Base):
    """The replicated state of one record of any entity."""

    __tablename__ = "records"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))
    patient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, index=True
    )  # the visit of a note, vital, signature
    worker_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    day: Mapped[date | None] = mapped_column(Date)
    blob_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(Json)
    stamps: Mapped[dict[str, str]] = mapped_column(Json)
    bases: Mapped[dict[str, str]] = mapped_column(Json)
    deleted: Mapped[str | None] = mapped_column(STAMP)
    # The fields as the change feed sends them (JSON text), so a pull splices rows instead of re-encoding.
    wire: Mapped[str | None] = mapped_column(Text)
    # What a patient is found by on the office's pages (names and record number, accents and case folded).
    search_text: Mapped[str | None] = mapped_column(Text)
    # The device whose push left this record exactly as it holds it, and its cursor then: its own pulls
    # from that cursor on skip the record instead of downloading its own write (decision 0018).
    origin: Mapped[str | None] = mapped_column(String(32))
    origin_since: Mapped[int | None] = mapped_column(BigInteger)
    seq: Mapped[int] = mapped_column(BigInteger, index=True)
    updated_at: Mapped[datetime] = mapped_column(Moment())

    __table_args__ = (
        Index("ix_records_patient_seq", "patient_id", "seq"),
        Index("ix_records_worker_day", "entity", "worker_id", "day"),
        Index("ix_records_entity_day", "entity", "day"),  # a day of visits for all workers (the board)
    )


class AppliedMutation(Base):
    """Every mutation id the server applied, with its answer, so a replay gets the first answer again."""

    __tablename__ = "applied_mutations"

    mutation_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    device_id: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    result: Mapped[dict[str, Any]] = mapped_column(Json)
    applied_at: Mapped[datetime] = mapped_column(Moment())


class ConflictEntry(Base):
    """A value that lost a merge on the server: both values, stamps and devices, and when."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    entity: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    patient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    field: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(24))
    lost_value: Mapped[Any] = mapped_column(Json)
    lost_stamp: Mapped[str] = mapped_column(STAMP)
    winner_value: Mapped[Any] = mapped_column(Json)
    winner_stamp: Mapped[str | None] = mapped_column(STAMP)
    mutation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    detected_at: Mapped[datetime] = mapped_column(Moment())
    resolved_at: Mapped[datetime | None] = mapped_column(Moment())
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # The change number of the write that logged it, and the device whose value lost: that device's next
    # pull hands the loss to it (decision 0013).
    seq: Mapped[int | None] = mapped_column(BigInteger)
    lost_node: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ix_conflicts_lost_node_seq", "lost_node", "seq"),)


class DeviceClockSample(Base):
    """What a device reported about its wall clock (minus server time), for the fleet page's history."""

    __tablename__ = "device_clock_samples"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(Moment())
    offset_ms: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (Index("ix_device_clock_samples_device_at", "device_id", "at"),)


class Blob(Base):
    """A content-addressed file (signature image, report PDF)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(Moment())


class BlobUpload(Base):
    """A file being uploaded resumably by one user (decision 0027): its size, type and bytes received."""

    __tablename__ = "blob_uploads"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(Moment())
    updated_at: Mapped[datetime] = mapped_column(Moment())


class BlobUploadPart(Base):
    """Bytes of an upload in progress, from ``offset`` on, committed as they arrived."""

    __tablename__ = "blob_upload_parts"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DayReportReceipt(Base):
    """When a day report arrived, and the receipt the worker was given."""

    __tablename__ = "day_report_receipts"

    report_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    worker_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    day: Mapped[date] = mapped_column(Date)
    receipt: Mapped[dict[str, Any]] = mapped_column(Json)
    received_at: Mapped[datetime] = mapped_column(Moment())
    note: Mapped[str | None] = mapped_column(Text)


class DeviceAuditEvent(Base):
    """One entry of a device's append-only audit log (sign-ins, unlocks, views, edits, exports, syncs).

    Each entry carries the SHA-256 of its content chained to the previous entry's; ``chain_ok`` says
    whether it followed the last entry the server holds for that device (a gap or a fork is kept and shown,
    not refused: the log is evidence).
    """

    __tablename__ = "device_audit"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)  # who uploaded it (the device's user)
    username: Mapped[str] = mapped_column(String(64))  # who was signed in on the device
    at: Mapped[datetime] = mapped_column(Moment())
    action: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str | None] = mapped_column(String(16))
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    detail: Mapped[str] = mapped_column(String(500))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    chain_ok: Mapped[bool] = mapped_column(Boolean)
    received_at: Mapped[datetime] = mapped_column(Moment())
    # Why the entry deserves a look, decided at upload (decision 0017): it names someone other than the
    # uploading account, or a record outside that account's caseload. None: nothing to note.
    flag: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_device_audit_device_seq", "device_id", "seq"),
        Index("ix_device_audit_at", "at"),
        Index("ix_device_audit_username_at", "username", "at"),
    )


class ApiAccess(Base):
    """Every API request the server answered: who, from which device, what, the status, how long."""

    __tablename__ = "api_access"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(Moment(), index=True)
    request_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    device_id: Mapped[str | None] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(120))  # the route template: no ids of patients in it
    target: Mapped[str | None] = mapped_column(String(64))  # the record or blob id the route named, if any
    status: Mapped[int] = mapped_column(Integer)
    ms: Mapped[int] = mapped_column(Integer)
    client: Mapped[str] = mapped_column(String(64))


class IntegrityProblem(Base):
    """One integrity failure the server found, chained to the previous one (``hash`` covers ``prev_hash``).

    Written where it is found: a file served or uploaded, a signature pushed, the office pages, and
    ``fieldapp admin verify``. The same problem (kind, subject, part, detail) is written once.
    """

    __tablename__ = "integrity_problems"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    found_at: Mapped[datetime] = mapped_column(Moment())
    found_by: Mapped[str] = mapped_column(String(16))  # push, download, office, api, verify
    kind: Mapped[str] = mapped_column(String(24))  # signature, file, day_report, device_audit, integrity_log
    subject: Mapped[str] = mapped_column(String(64))  # a record id, a file's SHA-256, a device id
    part: Mapped[str] = mapped_column(String(32))  # strokes, image, signer, content, record, digest, bytes...
    detail: Mapped[str] = mapped_column(String(500))
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # who was asking when it was found, if anyone
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_integrity_problems_subject", "kind", "subject"),)


class ScheduleSeries(Base):
    """A recurring visit pattern (fieldapp.domain.schedule.Series); its visits are ordinary visit records.

    An edit from a date on ends a series and starts a successor with the same ``root_id`` (decision 0023);
    the agency's ``external_id`` names the lineage and sits on its root."""

    __tablename__ = "schedule_series"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    root_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    patient_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    worker_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    service_code: Mapped[str] = mapped_column(String(10))
    weekdays: Mapped[str] = mapped_column(String(13))  # "0,2,4": Monday, Wednesday, Friday
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(5))  # "09:00", the agency's wall clock
    end_time: Mapped[str] = mapped_column(String(5))
    time_zone: Mapped[str] = mapped_column(String(64))
    worker_notes: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(Moment())


class DetachedVisit(Base):
    """A series visit the office changed or cancelled on its own: later series edits leave it alone."""

    __tablename__ = "schedule_detached"

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    root_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    detached_at: Mapped[datetime] = mapped_column(Moment())


class WorkerHours(Base):
    """One weekly window a worker is available (the agency's wall clock; 0 = Monday)."""

    __tablename__ = "worker_hours"

    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_time: Mapped[str] = mapped_column(String(5), primary_key=True)
    end_time: Mapped[str] = mapped_column(String(5))


class WorkerLimit(Base):
    """The most minutes a week a worker takes (warned about, not enforced)."""

    __tablename__ = "worker_limits"

    worker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    max_weekly_minutes: Mapped[int] = mapped_column(Integer)


class ExportRecord(Base):
    """One export the office made (the audit trail of exports): who, what, which days, and what it held."""

    __tablename__ = "exports"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    at: Mapped[datetime] = mapped_column(Moment(), index=True)
    username: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # evv, timesheet
    format: Mapped[str] = mapped_column(String(8))  # csv, json
    from_day: Mapped[date] = mapped_column(Date)
    to_day: Mapped[date] = mapped_column(Date)
    rows: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))


class ReadyEvvRow(Base):
    """A completed visit's verification state and export row, with what it was made from (decision 0036)."""

    __tablename__ = "evv_rows"

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    inputs: Mapped[str] = mapped_column(Text)  # seq of visit, patient, exceptions; their count; rules; name
    settles_at: Mapped[datetime | None] = mapped_column(Moment())
    state: Mapped[str] = mapped_column(String(16))
    call_in: Mapped[str | None] = mapped_column(String(20))  # the order within a day: call-in time, then id
    csv: Mapped[str | None] = mapped_column(Text)  # the CSV line without its agency cell
    json: Mapped[str | None] = mapped_column(Text)  # the JSON object without its agency_id
