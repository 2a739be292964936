"""Visit-verification exceptions: the codes, reasons and resolutions of ``VisitException`` records.

A ``VisitException`` (``fieldapp.domain.entities``) says that one visit breaks one rule (``ExceptionCode``,
modelled on the exception lists of the state aggregators' "alternate EVV" feeds), with the worker's reason
and note, and the office's resolution (approved or rejected, by whom, when, why). Its id follows from the
visit and the code (``exception_id``), so the tablet and the server finding the same exception name one
record, and a rule found again (missed, undone, missed again) reopens the same record instead of adding
another. Which exceptions a visit has is decided by ``fieldapp.domain.verification``. See docs/evv.md and
docs/decisions/0025-visit-exceptions.md.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Self

from pydantic import model_validator

from fieldapp.domain.values import Frozen, Name, ShortText, UtcDateTime


class ExceptionCode(StrEnum):
    """The rule a visit breaks (docs/evv.md lists each with the aggregators' names for it)."""

    LATE_CHECK_IN = "late_check_in"
    EARLY_CHECK_IN = "early_check_in"
    EARLY_CHECK_OUT = "early_check_out"
    LATE_CHECK_OUT = "late_check_out"
    VISIT_TOO_SHORT = "visit_too_short"
    VISIT_TOO_LONG = "visit_too_long"
    LOCATION_MISSING = "location_missing"
    LOCATION_FAR = "location_far"
    MANUAL_TIME = "manual_time"
    MISSING_CHECK_OUT = "missing_check_out"
    MISSED_VISIT = "missed_visit"
    NO_SIGNATURE = "no_signature"
    TASKS_NOT_COMPLETED = "tasks_not_completed"


class ExceptionReason(StrEnum):
    """Why it happened, as the worker (or the office) says; each code admits some (``REASONS``)."""

    NO_FIX_IN_TIME = "no_fix_in_time"
    PERMISSION_REFUSED = "permission_refused"
    NO_POSITIONING = "no_positioning"
    SERVICE_IN_COMMUNITY = "service_in_community"
    CLIENT_ELSEWHERE = "client_elsewhere"
    HOME_COORDINATES_WRONG = "home_coordinates_wrong"
    CLIENT_REFUSED = "client_refused"
    CLIENT_HOSPITALISED = "client_hospitalised"
    CLIENT_NOT_HOME = "client_not_home"
    CLIENT_CANCELLED = "client_cancelled"
    WORKER_DID_NOT_GO = "worker_did_not_go"
    TRAFFIC_OR_TRAVEL = "traffic_or_travel"
    CLIENT_REQUEST = "client_request"
    EMERGENCY = "emergency"
    SCHEDULE_CHANGE = "schedule_change"
    FORGOT = "forgot"
    DEVICE_FAILURE = "device_failure"
    CLIENT_UNABLE_TO_SIGN = "client_unable_to_sign"
    CLIENT_DECLINED_TO_SIGN = "client_declined_to_sign"
    OUT_OF_TIME = "out_of_time"
    OTHER = "other"


R = ExceptionReason
_TIMING = (R.TRAFFIC_OR_TRAVEL, R.CLIENT_REQUEST, R.EMERGENCY, R.SCHEDULE_CHANGE, R.FORGOT, R.OTHER)
REASONS: dict[ExceptionCode, tuple[ExceptionReason, ...]] = {
    ExceptionCode.LATE_CHECK_IN: _TIMING,
    ExceptionCode.EARLY_CHECK_IN: _TIMING,
    ExceptionCode.EARLY_CHECK_OUT: _TIMING,
    ExceptionCode.LATE_CHECK_OUT: _TIMING,
    ExceptionCode.VISIT_TOO_SHORT: _TIMING,
    ExceptionCode.VISIT_TOO_LONG: _TIMING,
    ExceptionCode.LOCATION_MISSING: (
        R.NO_FIX_IN_TIME,
        R.PERMISSION_REFUSED,
        R.NO_POSITIONING,
        R.SERVICE_IN_COMMUNITY,
        R.DEVICE_FAILURE,
        R.OTHER,
    ),
    ExceptionCode.LOCATION_FAR: (
        R.SERVICE_IN_COMMUNITY,
        R.CLIENT_ELSEWHERE,
        R.HOME_COORDINATES_WRONG,
        R.OTHER,
    ),
    ExceptionCode.MANUAL_TIME: (R.FORGOT, R.DEVICE_FAILURE, R.SCHEDULE_CHANGE, R.OTHER),
    ExceptionCode.MISSING_CHECK_OUT: (R.FORGOT, R.DEVICE_FAILURE, R.EMERGENCY, R.OTHER),
    ExceptionCode.MISSED_VISIT: (
        R.CLIENT_REFUSED,
        R.CLIENT_HOSPITALISED,
        R.CLIENT_NOT_HOME,
        R.CLIENT_CANCELLED,
        R.WORKER_DID_NOT_GO,
        R.OTHER,
    ),
    ExceptionCode.NO_SIGNATURE: (R.CLIENT_UNABLE_TO_SIGN, R.CLIENT_DECLINED_TO_SIGN, R.FORGOT, R.OTHER),
    ExceptionCode.TASKS_NOT_COMPLETED: (
        R.OUT_OF_TIME,
        R.CLIENT_REQUEST,
        R.EMERGENCY,
        R.FORGOT,
        R.OTHER,
    ),
}
del R


class ExceptionState(StrEnum):
    """Where an exception stands: open until the office decides; withdrawn when the rule no longer holds."""

    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    """What the office decided."""

    APPROVED = "approved"
    REJECTED = "rejected"


class Resolution(Frozen):
    """The office's decision on an exception: one value, so a merge never mixes two decisions."""

    decision: Decision
    by: Name
    at: UtcDateTime
    note: ShortText = ""

    @model_validator(mode="after")
    def _rejection_says_why(self) -> Self:
        if self.decision is Decision.REJECTED and not self.note:
            raise ValueError("say why the exception is rejected")
        return self


_NAMESPACE = uuid.UUID("6f1c2a57-8d0e-4b7a-9c55-0e1f3a2b4c6d")


def exception_id(visit_id: uuid.UUID, code: ExceptionCode) -> uuid.UUID:
    """The one id of ``code`` on ``visit_id``, the same wherever it is found."""
    return uuid.uuid5(_NAMESPACE, f"{visit_id}/{code.value}")


CODE_WORDS: dict[ExceptionCode, str] = {
    ExceptionCode.LATE_CHECK_IN: "Late check-in",
    ExceptionCode.EARLY_CHECK_IN: "Early check-in",
    ExceptionCode.EARLY_CHECK_OUT: "Early check-out",
    ExceptionCode.LATE_CHECK_OUT: "Late check-out",
    ExceptionCode.VISIT_TOO_SHORT: "Visit much shorter than scheduled",
    ExceptionCode.VISIT_TOO_LONG: "Visit much longer than scheduled",
    ExceptionCode.LOCATION_MISSING: "No GPS location",
    ExceptionCode.LOCATION_FAR: "Location far from the patient's home",
    ExceptionCode.MANUAL_TIME: "Time entered by hand",
    ExceptionCode.MISSING_CHECK_OUT: "No check-out",
    ExceptionCode.MISSED_VISIT: "Missed visit",
    ExceptionCode.NO_SIGNATURE: "No signature",
    ExceptionCode.TASKS_NOT_COMPLETED: "Care tasks not completed",
}
"""How each code reads to people (the tablet, the office pages and the exports' documentation)."""

REASON_WORDS: dict[ExceptionReason, str] = {
    ExceptionReason.NO_FIX_IN_TIME: "The tablet found no GPS position in time",
    ExceptionReason.PERMISSION_REFUSED: "Location access is turned off on the tablet",
    ExceptionReason.NO_POSITIONING: "This tablet has no GPS",
    ExceptionReason.SERVICE_IN_COMMUNITY: "Service given in the community",
    ExceptionReason.CLIENT_ELSEWHERE: "The patient was at another address",
    ExceptionReason.HOME_COORDINATES_WRONG: "The home's map position looks wrong",
    ExceptionReason.CLIENT_REFUSED: "The patient refused the visit",
    ExceptionReason.CLIENT_HOSPITALISED: "The patient is in hospital",
    ExceptionReason.CLIENT_NOT_HOME: "The patient was not home",
    ExceptionReason.CLIENT_CANCELLED: "The patient cancelled",
    ExceptionReason.WORKER_DID_NOT_GO: "I could not go",
    ExceptionReason.TRAFFIC_OR_TRAVEL: "Traffic or travel delay",
    ExceptionReason.CLIENT_REQUEST: "The patient asked for it",
    ExceptionReason.EMERGENCY: "An emergency",
    ExceptionReason.SCHEDULE_CHANGE: "The schedule changed",
    ExceptionReason.FORGOT: "I forgot",
    ExceptionReason.DEVICE_FAILURE: "The tablet failed or ran out of battery",
    ExceptionReason.CLIENT_UNABLE_TO_SIGN: "The patient is unable to sign",
    ExceptionReason.CLIENT_DECLINED_TO_SIGN: "The patient declined to sign",
    ExceptionReason.OUT_OF_TIME: "There was not enough time at the visit",
    ExceptionReason.OTHER: "Other (say what happened)",
}
"""How each reason reads to people."""
