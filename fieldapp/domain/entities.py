"""The records a home-health agency keeps, as immutable, validated models.

Each record has a UUID created where it is born (on the tablet or in the office), so records made
offline never collide. A change produces a new model (``model_copy``/``revise``), never an in-place edit.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Self, TypeVar

from pydantic import Field, Strict, StringConstraints, model_validator
from pydantic import ValidationError as PydanticValidationError

from fieldapp.domain.errors import ValidationError
from fieldapp.domain.exceptions import REASONS, ExceptionCode, ExceptionReason, ExceptionState, Resolution
from fieldapp.domain.language import QT_TRANSLATE_NOOP, Phrase
from fieldapp.domain.services import ServiceInfo, service_info
from fieldapp.domain.signing import SignatureDigest
from fieldapp.domain.values import (
    OBSERVATION_UNITS,
    Address,
    Allergy,
    BirthDate,
    CheckEvent,
    DaySummary,
    Diagnosis,
    EmergencyContact,
    Frozen,
    LongText,
    Memo,
    Name,
    ObservationKind,
    Phone,
    Sex,
    Sha256Hex,
    ShortText,
    SignerRole,
    Statement,
    Stroke,
    TimeCorrection,
    UtcDateTime,
    VisitStatus,
)

Mrn = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9\-]+$")
]
# The pattern is checked before to_upper, so it admits lower case; the stored code is upper case.
ServiceCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9]{1,10}$")
]
ExternalId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[!-~]+$")
]
"""An id another system gave a record (the agency's own visit number): printable ASCII, no spaces."""


class Entity(Frozen):
    """Base of every syncable record."""

    entity_name: ClassVar[str]
    id: uuid.UUID = Field(default_factory=uuid.uuid4)

    def revise(self, **changes: Any) -> Self:
        """A validated copy with ``changes`` applied (``model_copy`` alone would skip validation).

        Raises ValidationError naming each bad field."""
        return parse(type(self), {**self.model_dump(), **changes})


ERROR_MARK_FIELDS: tuple[str, ...] = ("entered_in_error", "error_reason")


class MarkableInError(Entity):
    """A record that, recorded by mistake, is marked entered in error with a reason, never deleted: it
    stays on the record, struck through, and the audit trail says who marked it and when."""

    entered_in_error: bool = False
    error_reason: ShortText = ""

    @model_validator(mode="after")
    def _error_says_why(self) -> Self:
        if self.entered_in_error and not self.error_reason:
            raise ValueError(QT_TRANSLATE_NOOP("Messages", "say why it was entered in error"))
        return self


class Patient(Entity):
    """A person receiving care, with what a visiting worker must know before walking in."""

    entity_name: ClassVar[str] = "patient"
    mrn: Mrn
    given_name: Name
    family_name: Name
    date_of_birth: BirthDate
    sex: Sex = Sex.UNKNOWN
    phone: Phone | None = None
    address: Address | None = None
    emergency_contact: EmergencyContact | None = None
    allergies: Annotated[tuple[Allergy, ...], Field(default_factory=tuple, max_length=100)]
    diagnoses: Annotated[tuple[Diagnosis, ...], Field(default_factory=tuple, max_length=100)]
    care_plan: LongText = ""
    active: bool = True

    @property
    def display_name(self) -> str:
        """Family name first, as office lists sort."""
        return f"{self.family_name}, {self.given_name}"


class Visit(Entity):
    """A scheduled visit and its electronic-visit-verification record.

    The six EVV elements: type of service (``service_code``), person receiving (``patient_id``), person
    providing (``worker_id``), date and begin/end times (``check_in``/``check_out``, with corrections
    that keep the original), and location (``check_in.location``).

    The schedule part (patient, worker, times, service, ``cancel_reason``, ``worker_notes``) is the
    office's; what happened (check-in/out, corrections, signature) is the field's (decision 0021).
    ``external_id`` is the visit's id in the agency's own scheduling system and ``series_id`` the
    recurring series it was made from, if any. Every field added since the first release has a default,
    so records written before it (old tablets, old servers) still validate.
    """

    entity_name: ClassVar[str] = "visit"
    patient_id: uuid.UUID
    worker_id: uuid.UUID
    scheduled_start: UtcDateTime
    scheduled_end: UtcDateTime
    service_code: ServiceCode
    status: VisitStatus = VisitStatus.SCHEDULED
    check_in: CheckEvent | None = None
    check_out: CheckEvent | None = None
    check_in_correction: TimeCorrection | None = None
    check_out_correction: TimeCorrection | None = None
    signature_id: uuid.UUID | None = None
    cancel_reason: ShortText = ""
    worker_notes: Memo = ""
    external_id: ExternalId | None = None
    series_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _times_in_order(self) -> Self:
        if self.scheduled_end <= self.scheduled_start:
            raise ValueError("scheduled end must be after scheduled start")
        if self.check_out is not None and self.effective_check_in is None:
            raise ValueError(
                QT_TRANSLATE_NOOP("Messages", "a visit cannot be checked out before it is checked in")
            )
        begin, end = self.effective_check_in, self.effective_check_out
        if begin is not None and end is not None and end < begin:
            raise ValueError(QT_TRANSLATE_NOOP("Messages", "check-out must not be before check-in"))
        return self

    @property
    def effective_check_in(self) -> datetime | None:
        """The begin time that counts: the correction if there is one, else the server-corrected reading."""
        if self.check_in_correction is not None:
            return self.check_in_correction.corrected_time
        return self.check_in.server_time if self.check_in else None

    @property
    def effective_check_out(self) -> datetime | None:
        """The end time that counts: the correction if there is one, else the server-corrected reading."""
        if self.check_out_correction is not None:
            return self.check_out_correction.corrected_time
        return self.check_out.server_time if self.check_out else None

    @property
    def is_signed(self) -> bool:
        """Whether a signature locks the visit's attested content."""
        return self.signature_id is not None

    @property
    def is_cancelled(self) -> bool:
        """Whether the office called the visit off (a checked-in visit keeps its record either way)."""
        return self.status is VisitStatus.CANCELLED

    @property
    def service(self) -> ServiceInfo | None:
        """The known service code's description and bill unit; None for a code the catalogue lacks."""
        return service_info(self.service_code)


class VisitNote(Entity):
    """A clinical note; never edited. A correction is a new note whose ``amends`` names the original."""

    entity_name: ClassVar[str] = "visit_note"
    visit_id: uuid.UUID
    patient_id: uuid.UUID
    author_id: uuid.UUID
    text: LongText
    written_at: UtcDateTime
    amends: uuid.UUID | None = None

    @model_validator(mode="after")
    def _text_is_clean(self) -> Self:
        if not self.text.strip():
            raise ValueError(QT_TRANSLATE_NOOP("Messages", "a note needs some text"))
        if self.amends == self.id:
            raise ValueError("a note cannot amend itself")
        return self


class Observation(Entity):
    """One vital sign or measurement. A wrong entry is marked ``entered_in_error``, never removed."""

    entity_name: ClassVar[str] = "observation"
    visit_id: uuid.UUID
    patient_id: uuid.UUID
    kind: ObservationKind
    value: Annotated[float, Strict(), Field(allow_inf_nan=False)]  # strict: True is not 1, "72" not 72
    unit: Annotated[str, StringConstraints(max_length=16)]
    observed_at: UtcDateTime
    entered_in_error: bool = False

    @model_validator(mode="after")
    def _unit_and_range(self) -> Self:
        units = OBSERVATION_UNITS[self.kind]
        if self.unit not in units:
            raise ValueError(f"unit for {self.kind.value} must be one of {', '.join(sorted(units))}")
        low, high = units[self.unit]
        if not low <= self.value <= high:
            raise ValueError(f"{self.kind.value} of {self.value:g} {self.unit} is outside {low:g}-{high:g}")
        return self


class Signature(Entity):
    """A signature bound to what it attests; immutable once made.

    ``content_sha256`` is the digest of the canonical visit content at signing
    (``fieldapp.domain.attestation``); ``image_sha256`` names the rendered PNG blob. A person unable to
    sign leaves no strokes and gives ``unable_reason`` instead. ``digest`` binds all of it together, made
    on the tablet at signing (``fieldapp.domain.signing``); signatures made before digests have none.
    """

    entity_name: ClassVar[str] = "signature"
    visit_id: uuid.UUID
    patient_id: uuid.UUID
    strokes: Annotated[tuple[Stroke, ...], Field(default_factory=tuple, max_length=500)]
    image_sha256: Sha256Hex | None = None
    signer_name: Name
    signer_role: SignerRole
    meaning: Statement
    signed_at: UtcDateTime
    content_sha256: Sha256Hex
    unable_reason: ShortText = ""
    digest: SignatureDigest | None = None

    @model_validator(mode="after")
    def _strokes_or_reason(self) -> Self:
        if self.strokes and self.unable_reason:
            raise ValueError("a signature has either strokes or a reason the person could not sign")
        if not self.strokes and not self.unable_reason:
            raise ValueError(
                QT_TRANSLATE_NOOP("Messages", "draw the signature, or say why the person could not sign")
            )
        if self.strokes and self.image_sha256 is None:
            raise ValueError("a drawn signature needs its rendered image")
        if any(not stroke for stroke in self.strokes):
            raise ValueError("a stroke has at least one point")
        if sum(len(stroke) for stroke in self.strokes) > 20_000:
            raise ValueError("a signature has at most 20000 points")
        return self


class DayReport(Entity):
    """A worker's end-of-day report; created when submitted and immutable afterwards."""

    entity_name: ClassVar[str] = "day_report"
    worker_id: uuid.UUID
    day: date
    summary: DaySummary
    pdf_sha256: Sha256Hex
    submitted_at: UtcDateTime


class VisitException(Entity):
    """One rule one visit breaks (``fieldapp.domain.exceptions``), the worker's reason and note, and the
    office's resolution. Never deleted: the worker withdraws it (an undone "missed"), the office decides."""

    entity_name: ClassVar[str] = "visit_exception"
    visit_id: uuid.UUID
    patient_id: uuid.UUID
    worker_id: uuid.UUID
    code: ExceptionCode
    detected_at: UtcDateTime
    detail: ShortText = ""
    reason: ExceptionReason | None = None
    note: ShortText = ""
    withdrawn: bool = False
    resolution: Resolution | None = None
    # The care tasks left open (``tasks_not_completed``), as they were named at the visit.
    tasks: Annotated[tuple[ShortText, ...], Field(default_factory=tuple, max_length=100)]

    @model_validator(mode="after")
    def _reason_fits_code(self) -> Self:
        if self.reason is not None and self.reason not in REASONS[self.code]:
            raise ValueError(f"reason {self.reason.value!r} does not apply to {self.code.value}")
        if self.reason is ExceptionReason.OTHER and not self.note:
            raise ValueError(QT_TRANSLATE_NOOP("Messages", "reason 'other' needs a note"))
        return self

    @property
    def state(self) -> ExceptionState:
        """Open, approved, rejected or withdrawn."""
        if self.resolution is not None:
            return ExceptionState(self.resolution.decision.value)
        return ExceptionState.WITHDRAWN if self.withdrawn else ExceptionState.OPEN


E = TypeVar("E", bound=Entity)

ENTITY_TYPES: dict[str, type[Entity]] = {
    cls.entity_name: cls
    for cls in (Patient, Visit, VisitNote, Observation, Signature, DayReport, VisitException)
}


def entity_type(name: str) -> type[Entity]:
    """The model class for an entity name; raises KeyError with the known names."""
    try:
        return ENTITY_TYPES[name]
    except KeyError:
        raise KeyError(f"unknown entity {name!r}; known: {', '.join(sorted(ENTITY_TYPES))}") from None


def data_fields(cls: type[Entity]) -> tuple[str, ...]:
    """The synced fields of an entity: every field except its id."""
    return tuple(name for name in cls.model_fields if name != "id")


def parse(cls: type[E], data: Any) -> E:
    """Validate ``data`` (wire JSON or Python values) as ``cls``; raises ValidationError naming each field."""
    try:
        return cls.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationError(cls.entity_name, describe(exc)) from None


def describe(exc: PydanticValidationError) -> dict[str, str]:
    """Field path -> message, in words a person (or a log reader) understands."""
    problems: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"]) or "*"
        problems.setdefault(path, _said(error))
    return problems


def _said(error: Any) -> str:
    """A validation error's words: the phrase a validator raised (the page says it in its language), else
    pydantic's own words, a phrase when it is one of the usual kinds."""
    message: str = error["msg"].removeprefix("Value error, ")
    context = error.get("ctx") or {}
    cause = context.get("error")
    if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Phrase):
        return cause.args[0] if cause.args[0] == message else message
    template = PYDANTIC_WORDS.get(error["type"])
    return Phrase.told(message, template, **context) if template else message


# pydantic's words for the usual problems, for the translators of both catalogues (the office's gettext and
# the tablet's Qt catalogue, context Messages); the English stays pydantic's own.
PYDANTIC_WORDS = {
    "missing": QT_TRANSLATE_NOOP("Messages", "Field required"),
    "string_too_short": QT_TRANSLATE_NOOP(
        "Messages", "String should have at least %(min_length)s characters"
    ),
    "string_too_long": QT_TRANSLATE_NOOP("Messages", "String should have at most %(max_length)s characters"),
    "string_pattern_mismatch": QT_TRANSLATE_NOOP("Messages", "String should match pattern '%(pattern)s'"),
    "greater_than": QT_TRANSLATE_NOOP("Messages", "Input should be greater than %(gt)s"),
    "greater_than_equal": QT_TRANSLATE_NOOP("Messages", "Input should be greater than or equal to %(ge)s"),
    "less_than": QT_TRANSLATE_NOOP("Messages", "Input should be less than %(lt)s"),
    "less_than_equal": QT_TRANSLATE_NOOP("Messages", "Input should be less than or equal to %(le)s"),
    "int_parsing": QT_TRANSLATE_NOOP(
        "Messages", "Input should be a valid integer, unable to parse string as an integer"
    ),
    "float_parsing": QT_TRANSLATE_NOOP(
        "Messages", "Input should be a valid number, unable to parse string as a number"
    ),
    "date_from_datetime_parsing": QT_TRANSLATE_NOOP("Messages", "Input should be a valid date or datetime"),
    "time_parsing": QT_TRANSLATE_NOOP("Messages", "Input should be in a valid time format"),
    "enum": QT_TRANSLATE_NOOP("Messages", "Input should be %(expected)s"),
    "literal_error": QT_TRANSLATE_NOOP("Messages", "Input should be %(expected)s"),
}


# Entities kept in modules of their own register here; ``fieldapp.domain`` imports this module first, so
# they find ``Entity`` defined whichever of them is imported first.
from fieldapp.domain import attachments, care, medications  # noqa: E402

ENTITY_TYPES.update(
    (cls.entity_name, cls)
    for cls in (care.CareTask, care.TaskOutcome, medications.Medication, attachments.Attachment)
)
