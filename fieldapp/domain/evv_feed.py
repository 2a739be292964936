"""The EVV export of verified visits: one documented schema (``EvvVisit``, docs/evv.md), written as CSV or
JSON, byte for byte the same for the same data, with its row count and SHA-256.

Modelled on the state aggregators' "alternate EVV" visit feeds (Sandata, HHAeXchange): per visit the
agency, client and employee ids, the service code, scheduled and actual times, each call (in and out) with
its time, method and position, and each exception with its reason and resolution. Rows are written one
at a time to a binary file (``ExportWriter``): a month of 100,000 visits never sits in memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, BinaryIO, Protocol, TypeVar

import orjson
from pydantic import Field

from fieldapp.domain.entities import Visit, VisitException
from fieldapp.domain.values import CheckEvent, Frozen, LocationKind, TimeCorrection

SCHEMA = "fieldapp-evv/1"


class CallMethod(StrEnum):
    """How a call's time and place were captured (the aggregators' "call type")."""

    MOBILE_GPS = "mobile_gps"  # the tablet's clock and its GPS fix
    MOBILE_DECLARED = "mobile_declared"  # the tablet's clock; the place as the worker declared it
    MANUAL = "manual"  # the time entered by hand (a correction with a reason)


class EvvCall(Frozen):
    """One call: check-in or check-out."""

    time: datetime = Field(description="The time that counts, UTC (the corrected time for a manual call)")
    method: CallMethod
    recorded_time: datetime | None = Field(None, description="The tablet's server-corrected reading, UTC")
    place: LocationKind | None = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    fix_time: datetime | None = Field(None, description="When the GPS receiver measured the position")
    correction_reason: str | None = None


class EvvException(Frozen):
    """One exception of the visit, as the office resolved it."""

    code: str
    reason: str | None
    note: str
    resolution: str = Field(description="approved (only approved exceptions reach the export)")
    resolved_by: str
    resolved_at: datetime
    resolution_note: str


class EvvVisit(Frozen):
    """One verified visit of the export."""

    agency_id: str
    visit_id: uuid.UUID
    patient_id: uuid.UUID
    patient_mrn: str
    patient_name: str
    worker_id: uuid.UUID
    worker_name: str
    service_code: str
    scheduled_start: datetime
    scheduled_end: datetime
    call_in: EvvCall
    call_out: EvvCall
    duration_minutes: Annotated[int, Field(ge=0)]
    exceptions: tuple[EvvException, ...] = ()


EvvRow = dict[str, Any]
"""One visit of the export as plain values, exactly as ``EvvVisit`` describes it (the tests validate rows
against its JSON Schema): plain dicts, because a month's export builds 100,000 of them."""


def _second(value: datetime) -> str:
    """A moment as the export writes it: UTC, to the second, ``YYYY-MM-DDTHH:MM:SSZ`` (so the rows are
    ready for CSV and JSON alike, and sort as they read)."""
    utc = value if value.tzinfo is UTC else value.astimezone(UTC)
    return utc.isoformat(timespec="seconds")[:19] + "Z"


def _call(event: CheckEvent | None, correction: TimeCorrection | None) -> dict[str, Any]:
    place = event.location if event else None
    gps = place is not None and place.kind is LocationKind.GPS
    if correction is not None:
        method, when = CallMethod.MANUAL, correction.corrected_time
    else:
        assert event is not None, "a verified visit has both calls"
        method, when = (CallMethod.MOBILE_GPS if gps else CallMethod.MOBILE_DECLARED), event.server_time
    return {
        "time": _second(when),
        "method": method.value,
        "recorded_time": _second(event.server_time) if event else None,
        "place": place.kind.value if place else None,
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "accuracy_m": place.accuracy_m if place else None,
        "fix_time": _second(place.fixed_at) if place and place.fixed_at else None,
        "correction_reason": correction.reason.value if correction else None,
    }


class Recipient(Protocol):
    """Who received the service, as the export names them (a ``Patient``, or the server's lighter view)."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def mrn(self) -> str: ...

    @property
    def display_name(self) -> str: ...


def _exception(record: VisitException) -> dict[str, Any]:
    resolution = record.resolution
    assert resolution is not None
    return {
        "code": record.code.value,
        "reason": record.reason.value if record.reason else None,
        "note": record.note,
        "resolution": resolution.decision.value,
        "resolved_by": resolution.by,
        "resolved_at": _second(resolution.at),
        "resolution_note": resolution.note,
    }


def evv_visit(
    agency_id: str, visit: Visit, patient: Recipient, worker_name: str, records: Iterable[VisitException]
) -> EvvRow:
    """The export row of a verified visit (its approved exceptions in code order)."""
    begin, end = visit.effective_check_in, visit.effective_check_out
    assert begin is not None and end is not None, "a verified visit has both times"
    approved = sorted((r for r in records if r.resolution is not None), key=lambda r: r.code.value)
    return {
        "agency_id": agency_id,
        "visit_id": str(visit.id),
        "patient_id": str(patient.id),
        "patient_mrn": patient.mrn,
        "patient_name": patient.display_name,
        "worker_id": str(visit.worker_id),
        "worker_name": worker_name,
        "service_code": visit.service_code,
        "scheduled_start": _second(visit.scheduled_start),
        "scheduled_end": _second(visit.scheduled_end),
        "call_in": _call(visit.check_in, visit.check_in_correction),
        "call_out": _call(visit.check_out, visit.check_out_correction),
        "duration_minutes": int(
            (end.replace(microsecond=0) - begin.replace(microsecond=0)).total_seconds() // 60
        ),
        "exceptions": [_exception(r) for r in approved],
    }


# -- writing ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Written:
    """What an export wrote: its rows, bytes and SHA-256 (hex)."""

    rows: int
    size: int
    sha256: str


class ExportWriter:
    """Writes an export's bytes to ``out`` while counting and hashing them."""

    def __init__(self, out: BinaryIO) -> None:
        self.out, self.rows, self.size = out, 0, 0
        self._hash = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self._hash.update(data)
        self.size += len(data)
        self.out.write(data)

    def done(self) -> Written:
        return Written(self.rows, self.size, self._hash.hexdigest())


CALL_COLUMNS = ("time", "method", "recorded_time", "place", "latitude", "longitude", "accuracy_m", "fix_time")
CSV_COLUMNS = (
    "agency_id",
    "visit_id",
    "patient_id",
    "patient_mrn",
    "patient_name",
    "worker_id",
    "worker_name",
    "service_code",
    "scheduled_start",
    "scheduled_end",
    *(f"call_in_{c}" for c in (*CALL_COLUMNS, "correction_reason")),
    *(f"call_out_{c}" for c in (*CALL_COLUMNS, "correction_reason")),
    "duration_minutes",
    "exceptions",
)
"""The CSV columns, in order (docs/evv.md describes each)."""


def _text(value: object) -> str:
    # The rows hold text already (times, ids, codes), numbers and None.
    if value is None:
        return ""
    return value if isinstance(value, str) else repr(value)


HEAD_COLUMNS = CSV_COLUMNS[:10]
CALL_FIELDS = (*CALL_COLUMNS, "correction_reason")


def _exceptions_cell(row: EvvRow) -> str:
    # code:reason:resolution, ';' between exceptions (reason empty when none was given)
    return ";".join(f"{e['code']}:{e['reason'] or ''}:{e['resolution']}" for e in row["exceptions"])


def csv_row(row: EvvRow) -> list[str]:
    """The CSV cells of one visit, in ``CSV_COLUMNS`` order."""
    calls = [_text(row[call][name]) for call in ("call_in", "call_out") for name in CALL_FIELDS]
    head = [_text(row[name]) for name in HEAD_COLUMNS]
    return [*head, *calls, str(row["duration_minutes"]), _exceptions_cell(row)]


def csv_line(cells: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue().encode("utf-8")


BATCH_ROWS = 1_000


def write_csv(rows: Iterable[EvvRow], out: BinaryIO) -> Written:
    """RFC 4180 CSV (UTF-8, CRLF), a header line, one line per visit (written a thousand lines at a time:
    one csv writer for the whole file, the same bytes as one line at a time)."""
    writer = ExportWriter(out)
    buffer = io.StringIO()
    lines = csv.writer(buffer, lineterminator="\r\n")
    lines.writerow(CSV_COLUMNS)
    for row in counted(writer, buffer, rows):
        lines.writerow(csv_row(row))
    return writer.done()


T = TypeVar("T")


def counted(writer: ExportWriter, buffer: io.StringIO, items: Iterable[T]) -> Iterator[T]:
    """``items`` one at a time, each counted as a row once the caller wrote it to ``buffer``, which goes to
    ``writer`` every ``BATCH_ROWS`` rows and at the end."""
    for item in items:
        yield item
        writer.rows += 1
        if writer.rows % BATCH_ROWS == 0:
            writer.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    writer.write(buffer.getvalue().encode("utf-8"))


def json_row(row: EvvRow) -> bytes:
    """One visit as canonical JSON (sorted keys, no spaces, times as ``...Z``)."""
    return orjson.dumps(row, option=orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z)


def write_json(rows: Iterable[EvvRow], out: BinaryIO, *, period: tuple[str, str], agency_id: str) -> Written:
    """``{"schema", "agency_id", "from", "to", "visits": [...], "row_count"}``, one visit per line."""
    writer = ExportWriter(out)
    head = {"schema": SCHEMA, "agency_id": agency_id, "from": period[0], "to": period[1]}
    writer.write(orjson.dumps(head)[:-1] + b',"visits":[')
    for row in rows:
        writer.write((b",\n" if writer.rows else b"\n") + json_row(row))
        writer.rows += 1
    writer.write(b'\n],"row_count":' + str(writer.rows).encode() + b"}\n")
    return writer.done()


def json_schema() -> dict[str, object]:
    """The JSON Schema of one visit of the export (docs/evv-visit.schema.json)."""
    return EvvVisit.model_json_schema()
