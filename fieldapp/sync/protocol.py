"""The sync protocol: the JSON bodies the tablet and the back-office server exchange.

One definition, used by the server to validate requests and publish its OpenAPI schema, and by the
client transport to build requests and read answers. Field states travel as ``{"v": value, "s": stamp,
"b": base}``, the wire form of ``fieldapp.domain.merge.Versioned``; see docs/decisions/0005.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

import orjson
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from fieldapp.domain.audit import GENESIS, MAX_DETAIL, AuditAction, AuditContent
from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import ENTITY_TYPES
from fieldapp.domain.language import Said
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.domain.people import AgencyCard, WorkerCard

PROTOCOL_VERSION = 1
MAX_BATCH = 1_000
MAX_PAGE = 5_000

StampText = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}[0-9a-z]{1,32}$")]
NodeId = Annotated[str, StringConstraints(pattern=r"^[0-9a-z]{1,32}$")]
EntityName = Literal[
    "patient",
    "visit",
    "visit_note",
    "observation",
    "signature",
    "day_report",
    "care_task",
    "task_outcome",
    "medication",
    "attachment",
    "visit_exception",
]
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]

assert set(EntityName.__args__) == set(ENTITY_TYPES), "protocol entity names follow the domain"  # type: ignore[attr-defined]


class Message(BaseModel):
    """Base of every protocol body: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldChange(Message):
    """One field's value with the stamp of the write that set it and the stamp that write replaced."""

    v: Any = None
    s: StampText
    b: StampText | None = None

    @classmethod
    def of(cls, versioned: Versioned) -> FieldChange:
        """The wire form of a versioned value."""
        base = versioned.base.encode() if versioned.base else None
        return cls(v=versioned.value, s=versioned.stamp.encode(), b=base)

    def versioned(self) -> Versioned:
        """The domain form."""
        return Versioned(self.v, Stamp.decode(self.s), Stamp.decode(self.b) if self.b else None)


class Mutation(Message):
    """One local change, identified by the id the device gave it (so a replay is recognised)."""

    mutation_id: uuid.UUID
    entity: EntityName
    record_id: uuid.UUID
    changes: Annotated[dict[FieldName, FieldChange], Field(max_length=64)] = {}
    deleted: StampText | None = None

    @model_validator(mode="after")
    def _changes_or_delete(self) -> Self:
        if not self.changes and self.deleted is None:
            raise ValueError("a mutation changes at least one field or deletes the record")
        return self

    def state(self) -> RecordState:
        """The mutation as a partial record state."""
        fields = {name: change.versioned() for name, change in self.changes.items()}
        return RecordState(fields, Stamp.decode(self.deleted) if self.deleted else None)

    def stamps(self) -> list[Stamp]:
        """Every stamp this mutation carries as a new write (not its bases)."""
        found = [Stamp.decode(change.s) for change in self.changes.values()]
        return found + ([Stamp.decode(self.deleted)] if self.deleted else [])


class PushRequest(Message):
    """A batch of mutations from one device, applied all together or not at all."""

    device_id: NodeId
    mutations: Annotated[list[Mutation], Field(min_length=1, max_length=MAX_BATCH)]
    pending: Annotated[int, Field(ge=0, le=10_000_000)] = 0
    app_version: Annotated[str, StringConstraints(max_length=32)] = ""
    # The device's measured clock offset (device minus server, ms), shown on the office's fleet page.
    clock_offset_ms: Annotated[int, Field(ge=-(10**12), le=10**12)] | None = None
    # The device's pull cursor: records it pushes and then holds exactly as the server stores them are left
    # out of its own next pulls (it would download its own writes again otherwise).
    cursor: Annotated[str, StringConstraints(max_length=48)] | None = None


class Outcome(StrEnum):
    """What the server did with one mutation."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # seen before: nothing applied again, the first answer repeated


class MutationResult(Message):
    """The server's answer for one mutation."""

    mutation_id: uuid.UUID
    outcome: Outcome
    conflicts: int = 0
    seq: int | None = None


class PushResponse(Message):
    """Answer to a push: one result per mutation, and the server clock for offset measurement."""

    results: list[MutationResult]
    server_time_ms: int


class Rejection(Message):
    """Why one mutation of a refused batch was refused."""

    mutation_id: uuid.UUID
    code: str
    message: Said
    problems: dict[str, Said] = {}


class ErrorBody(Message):
    """Every 4xx/5xx answer: a stable code, a sentence for people, and details where they help."""

    error: str
    message: str
    rejected: list[Rejection] = []
    request_id: str | None = None


class RecordChange(Message):
    """The current replicated state of one record, as a pull delivers it."""

    entity: EntityName
    record_id: uuid.UUID
    fields: dict[str, FieldChange]
    deleted: StampText | None = None
    seq: int

    def state(self) -> RecordState:
        """The domain form."""
        fields = {name: change.versioned() for name, change in self.fields.items()}
        return RecordState(fields, Stamp.decode(self.deleted) if self.deleted else None)


class Eviction(Message):
    """A patient leaving this worker's caseload: the device removes it once its own changes are pushed."""

    patient_id: uuid.UUID
    seq: int


class LossNotice(Message):
    """A value this device wrote that lost on the server, with what beat it and why (decision 0013).

    The server logs every loss; each device receives, in its pulls, the losses of its own values, so its
    conflict log shows whatever the server decided against it.
    """

    entity: EntityName
    record_id: uuid.UUID
    field: Annotated[str, StringConstraints(pattern=r"^[a-z_][a-z0-9_]{0,63}$")]
    reason: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,24}$")]
    lost_value: Any = None
    lost_stamp: StampText
    winner_value: Any = None
    winner_stamp: StampText | None = None
    seq: int


class PullResponse(Message):
    """One page of the change feed after a cursor."""

    changes: list[RecordChange]
    evictions: list[Eviction] = []
    losses: list[LossNotice] = []
    cursor: str
    has_more: bool
    remaining: int = 0  # estimate of records still to come after this page, for progress bars
    server_time_ms: int


class Role(StrEnum):
    """What a user may do."""

    WORKER = "worker"
    OFFICE = "office"
    ADMIN = "admin"


class LoginRequest(Message):
    """Sign-in of a user on one device."""

    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    device_id: NodeId
    app_version: Annotated[str, StringConstraints(max_length=32)] = ""


class RefreshRequest(Message):
    """Exchange a refresh token for a new pair (the old refresh token stops working)."""

    refresh_token: Annotated[str, StringConstraints(min_length=16, max_length=128)]


class UserInfo(Message):
    """Who is signed in."""

    id: uuid.UUID
    username: str
    role: Role


class AccountProfile(BaseModel):
    """``GET /account``: the signed-in worker's card and the agency's, read at sign-in and after syncs.

    Unknown fields are ignored here, unlike the other bodies: a newer server may describe people and the
    agency more fully, and an older tablet must still read what it knows."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    worker: WorkerCard = WorkerCard()
    agency: AgencyCard = AgencyCard()

    @classmethod
    def parse(cls, content: bytes) -> AccountProfile:
        """Read the body leniently (unknown fields of the cards dropped); raises ValueError."""
        data = orjson.loads(content)
        if not isinstance(data, dict):
            raise ValueError("not an account profile")
        cards = {
            name: {k: v for k, v in data[name].items() if k in card.model_fields}
            for name, card in (("worker", WorkerCard), ("agency", AgencyCard))
            if isinstance(data.get(name), dict)
        }
        return cls.model_validate(cards)


class TokenResponse(Message):
    """A short-lived access token and a longer-lived refresh token."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    user: UserInfo
    server_time_ms: int


class ReceiptItem(Message):
    """One record the server holds, with the digest of its content."""

    entity: EntityName
    record_id: uuid.UUID
    sha256: str


class DayReceipt(Message):
    """What the server holds for a worker's day, so the worker sees before going off shift that it arrived."""

    report_id: uuid.UUID
    worker_id: uuid.UUID
    day: date
    pdf_sha256: str
    received_at_ms: int
    items: list[ReceiptItem]


class Health(Message):
    """Liveness and readiness of the server."""

    status: Literal["ok"]
    database: str
    protocol: int = PROTOCOL_VERSION
    server_time_ms: int
    max_clock_ahead_ms: int = 0  # how far ahead of server time a device's stamps may be


class UploadStatus(Message):
    """Where a resumable file upload stands on the server (decision 0027): ``offset`` bytes of ``size``
    received; ``complete`` once the file is stored (its SHA-256 checked)."""

    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    size: Annotated[int, Field(ge=0)]
    offset: Annotated[int, Field(ge=0)]
    media_type: str
    complete: bool = False


# The resumable upload's headers (decision 0027).
UPLOAD_OFFSET = "Upload-Offset"  # where the body's first byte belongs in the file
UPLOAD_LENGTH = "Upload-Length"  # the whole file's size
UPLOAD_TYPE = "Upload-Type"  # the file's media type (checked against its first bytes)
UPLOAD_CONTENT_TYPE = "application/offset+octet-stream"


@dataclass(frozen=True, slots=True)
class PullPage:
    """A ``PullResponse`` read for speed: the changes stay plain dicts in their wire form.

    A first sync reads tens of thousands of records; building a model per field would cost more than
    fetching and storing them. The store checks each change as it applies it
    (``fieldapp.store.replica.apply_wire``); the page's envelope is checked here.
    """

    changes: list[dict[str, Any]]
    evictions: list[Eviction]
    cursor: str
    has_more: bool
    remaining: int
    server_time_ms: int
    losses: list[LossNotice] = field(default_factory=list)

    @classmethod
    def parse(cls, body: bytes) -> PullPage:
        """Read a pull answer; raises ValueError when it is not one."""
        try:
            data = orjson.loads(body)
            changes = data["changes"]
            if not isinstance(changes, list) or not all(isinstance(c, dict) for c in changes):
                raise ValueError("changes must be a list of records")
            cursor, has_more = data["cursor"], data["has_more"]
            remaining, server_ms = data.get("remaining", 0), data["server_time_ms"]
            if not (
                isinstance(cursor, str)
                and isinstance(has_more, bool)
                and isinstance(remaining, int)
                and isinstance(server_ms, int)
            ):
                raise ValueError("malformed page envelope")
            evictions = [Eviction.model_validate(e) for e in data.get("evictions", [])]
            losses = [LossNotice.model_validate(n) for n in data.get("losses", [])]
        except (orjson.JSONDecodeError, KeyError, TypeError, ValidationError) as exc:
            raise ValueError(f"not a pull answer: {exc}") from exc
        return cls(changes, evictions, cursor, has_more, remaining, server_ms, losses)


# -- audit trail ------------------------------------------------------------------------------------------

Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
MAX_AUDIT_BATCH = 500


class AuditEvent(Message):
    """One entry of a device's append-only audit log, as uploaded (see ``fieldapp.domain.audit``)."""

    id: uuid.UUID
    seq: Annotated[int, Field(ge=1, le=2**62)]
    at_ms: Annotated[int, Field(ge=0, le=2**53)]
    username: Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]
    action: AuditAction
    entity: EntityName | None = None
    record_id: uuid.UUID | None = None
    detail: Annotated[str, StringConstraints(max_length=MAX_DETAIL, pattern=r"^[^\x00-\x1f\x7f]*$")] = ""
    prev_hash: Sha256Hex = GENESIS
    hash: Sha256Hex

    @classmethod
    def of(cls, content: AuditContent, digest: str) -> AuditEvent:
        """The wire form of a stored entry (its content and the hash the device computed)."""
        return cls(**asdict(content), hash=digest)  # the entity is validated against EntityName here

    def content(self) -> AuditContent:
        """The hashed part."""
        return AuditContent.of(self, self.at_ms)

    @model_validator(mode="after")
    def _hash_matches(self) -> Self:
        if self.content().digest() != self.hash:
            raise ValueError(f"audit entry {self.seq}: its hash does not match its content")
        return self


class AuditUpload(Message):
    """A device's audit entries, oldest first, contiguous."""

    device_id: NodeId
    events: Annotated[list[AuditEvent], Field(min_length=1, max_length=MAX_AUDIT_BATCH)]

    @model_validator(mode="after")
    def _contiguous(self) -> Self:
        for before, after in zip(self.events, self.events[1:], strict=False):
            if after.seq != before.seq + 1 or after.prev_hash != before.hash:
                raise ValueError(f"audit entries {before.seq} and {after.seq} do not follow each other")
        return self


class AuditAck(Message):
    """What the server kept: new entries, entries it already had, and the last sequence number it holds."""

    stored: int
    duplicates: int
    last_seq: int
    chain_ok: bool
