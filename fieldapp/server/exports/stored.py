"""Visits and their exceptions rebuilt from the server's stored JSON without validating them again.

Every stored record was validated when it was written (the push path, ``fieldapp.domain.entities.parse``);
validating it again costs most of an export's time (about 200 us a visit: a month is 100,000 of them). So
the exports build the same domain objects with ``model_construct`` from the stored values, converting
only what the rules and the feed read (times, enums, ids, numbers). A row that does not have the shape a
validated record has is validated in full instead (``parse``), so a surprise is an error, never a
silently different row. ``tests/server/test_export_stored.py`` checks both paths give equal objects.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from fieldapp.domain.entities import Visit, VisitException, parse
from fieldapp.domain.exceptions import Decision, ExceptionCode, ExceptionReason, Resolution
from fieldapp.domain.values import (
    CheckEvent,
    CorrectionReason,
    Location,
    LocationKind,
    TimeCorrection,
    VisitStatus,
)

M = TypeVar("M", bound=BaseModel)


def _made(cls: type[M], **values: Any) -> M:
    """``cls`` holding ``values`` as they are: what ``model_construct`` does for a model whose every field
    is given, at a fifth of its cost (the test compares the result with a validated model). Raises
    TypeError when ``values`` are not exactly the model's fields (a field added to the model and not here):
    the caller then validates the row in full, slower but never missing a field."""
    if values.keys() != cls.model_fields.keys():
        raise TypeError(f"{cls.__name__}: the fast path does not know {set(cls.model_fields) ^ set(values)}")
    made = cls.__new__(cls)
    object.__setattr__(made, "__dict__", values)
    object.__setattr__(made, "__pydantic_fields_set__", set(values))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _location(data: dict[str, Any] | None) -> Location | None:
    if data is None:
        return None
    fixed = data.get("fixed_at")
    return _made(
        Location,
        kind=LocationKind(data["kind"]),
        latitude=_number(data.get("latitude")),
        longitude=_number(data.get("longitude")),
        accuracy_m=_number(data.get("accuracy_m")),
        fixed_at=_moment(fixed) if fixed else None,
    )


def _event(data: dict[str, Any] | None) -> CheckEvent | None:
    if data is None:
        return None
    return _made(
        CheckEvent,
        device_time=_moment(data["device_time"]),
        server_time=_moment(data["server_time"]),
        location=_location(data.get("location")),
    )


def _correction(data: dict[str, Any] | None) -> TimeCorrection | None:
    if data is None:
        return None
    return _made(
        TimeCorrection,
        corrected_time=_moment(data["corrected_time"]),
        reason=CorrectionReason(data["reason"]),
        comment=data.get("comment", ""),
        corrected_at=_moment(data["corrected_at"]),
    )


def _uuid(value: str | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


def _visit(record_id: uuid.UUID, f: dict[str, Any], patient_id: uuid.UUID, worker_id: uuid.UUID) -> Visit:
    return _made(
        Visit,
        id=record_id,
        patient_id=patient_id,
        worker_id=worker_id,
        scheduled_start=_moment(f["scheduled_start"]),
        scheduled_end=_moment(f["scheduled_end"]),
        service_code=f["service_code"],
        status=VisitStatus(f.get("status", VisitStatus.SCHEDULED.value)),
        check_in=_event(f.get("check_in")),
        check_out=_event(f.get("check_out")),
        check_in_correction=_correction(f.get("check_in_correction")),
        check_out_correction=_correction(f.get("check_out_correction")),
        signature_id=_uuid(f.get("signature_id")),
        cancel_reason=f.get("cancel_reason", ""),
        worker_notes=f.get("worker_notes", ""),
        external_id=f.get("external_id"),
        series_id=_uuid(f.get("series_id")),
    )


def _resolution(data: dict[str, Any] | None) -> Resolution | None:
    if not data:
        return None
    return _made(
        Resolution,
        decision=Decision(data["decision"]),
        by=data["by"],
        at=_moment(data["at"]),
        note=data.get("note", ""),
    )


def _exception(record_id: uuid.UUID, f: dict[str, Any]) -> VisitException:
    reason = f.get("reason")
    return _made(
        VisitException,
        id=record_id,
        visit_id=uuid.UUID(f["visit_id"]),
        patient_id=uuid.UUID(f["patient_id"]),
        worker_id=uuid.UUID(f["worker_id"]),
        code=ExceptionCode(f["code"]),
        detected_at=_moment(f["detected_at"]),
        detail=f.get("detail", ""),
        reason=ExceptionReason(reason) if reason else None,
        note=f.get("note", ""),
        withdrawn=bool(f.get("withdrawn", False)),
        resolution=_resolution(f.get("resolution")),
        tasks=tuple(f.get("tasks", ())),
    )


SHAPE_ERRORS = (KeyError, ValueError, TypeError, AttributeError)


def stored_visit(row: Any) -> Visit:
    """The visit a stored row holds (``id``, ``patient_id``, ``worker_id``: the row's own columns, derived
    from its fields when it was written; ``fields``), validated in full when the row has an unexpected
    shape."""
    record_id, fields = row.id, row.fields
    try:
        return _visit(record_id, fields, row.patient_id, row.worker_id)
    except SHAPE_ERRORS:
        return parse(Visit, {"id": str(record_id), **fields})


def stored_exception(record_id: uuid.UUID, fields: dict[str, Any]) -> VisitException:
    """The exception a stored row holds (validated in full when the row has an unexpected shape)."""
    try:
        return _exception(record_id, fields)
    except SHAPE_ERRORS:
        return parse(VisitException, {"id": str(record_id), **fields})
