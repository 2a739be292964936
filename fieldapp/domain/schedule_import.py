"""The schedule CSV an agency's own system exports: read, checked, every bad row named with its line.

Columns (header row required, any order, names in lower case; docs/scheduling.md):

    external_id    the agency's visit id (up to 64 printable ASCII characters), unique in the file
    worker         the worker's user name in fieldapp
    patient_mrn    the patient's medical record number
    date           YYYY-MM-DD, the visit's day in the agency's time zone
    start, end     HH:MM (24 h) wall-clock times that day; end after start
    service_code   a known HCPCS code (T1019, G0156 ...)
    worker_notes   optional: notes for the worker
    status         optional: scheduled (default) or cancelled
    cancel_reason  optional: required when status is cancelled

Reading is two steps so a server can look up only the names a file uses: ``read_rows`` checks the file's
shape and each value's form; ``resolve`` checks the rows against the agency (workers, patients, codes) and
each other (duplicate ids, one worker's overlapping visits). Nothing here raises on bad input: every
problem comes back as a ``RowProblem`` with its line number (the header is line 1).
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from fieldapp.domain.schedule import local_to_utc, visit_id_for, wall_time_exists
from fieldapp.domain.schedule_checks import Slot, overlapping_pairs

REQUIRED_COLUMNS = ("external_id", "worker", "patient_mrn", "date", "start", "end", "service_code")
OPTIONAL_COLUMNS = ("worker_notes", "status", "cancel_reason")
MAX_ROWS = 100_000
MAX_BYTES = 50 * 1024 * 1024

_EXTERNAL_ID = re.compile(r"^[!-~]{1,64}$")  # as entities.ExternalId: printable ASCII, no spaces
_MRN = re.compile(r"^[A-Za-z0-9\-]{1,32}$")
_CODE = re.compile(r"^[A-Za-z0-9]{1,10}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one line of the file cannot be applied (line 0: the file as a whole)."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass(frozen=True, slots=True)
class RawRow:
    """A row whose values have the right form, not yet checked against the agency."""

    line: int
    external_id: str
    worker: str
    patient_mrn: str
    day: date
    start: time
    end: time
    service_code: str
    worker_notes: str = ""
    cancel_reason: str = ""  # non-empty: the row cancels the visit


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A row ready to apply: ids resolved, times in UTC."""

    line: int
    external_id: str
    visit_id: uuid.UUID
    worker_id: uuid.UUID
    patient_id: uuid.UUID
    start: datetime
    end: datetime
    service_code: str
    worker_notes: str
    cancel_reason: str

    @property
    def cancelled(self) -> bool:
        """Whether the row cancels its visit."""
        return bool(self.cancel_reason)


@dataclass(slots=True)
class Reading:
    """The outcome of a step: its rows and every problem found (in line order)."""

    rows: list[RawRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Directory:
    """What the agency knows, as the import needs it: user name -> worker id, MRN -> patient id, codes."""

    workers: Mapping[str, uuid.UUID]
    patients: Mapping[str, uuid.UUID]
    service_codes: Collection[str]


@dataclass(frozen=True, slots=True)
class Checked:
    """Rows ready to apply, or the problems that stop the whole file (then ``rows`` is empty)."""

    rows: list[ImportRow]
    problems: list[RowProblem]

    @property
    def ok(self) -> bool:
        """True when the file can be applied as a whole."""
        return not self.problems


def check_file(data: bytes, directory: Directory, zone: ZoneInfo) -> Checked:
    """Read and check a whole file: the rows to apply, or every problem with its line."""
    reading = read_rows(data)
    resolved = resolve(reading.rows, directory, zone)
    problems = sorted(reading.problems + resolved.problems, key=lambda problem: problem.line)
    return Checked([] if problems else resolved.rows, problems)


def read_rows(data: bytes) -> Reading:
    """The file's rows whose values have the right form, and a problem for each row that has not."""
    if len(data) > MAX_BYTES:
        return Reading(problems=[RowProblem(0, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Reading(problems=[RowProblem(line, "not UTF-8 text (save the file as CSV UTF-8)")])
    reading = Reading()
    try:
        _read_text(text, reading)
    except csv.Error as exc:
        reading.problems.append(RowProblem(0, f"not a readable CSV file ({exc})"))
        reading.rows.clear()
    return reading


def _read_text(text: str, reading: Reading) -> None:
    records = _records(text)
    header = next(records, None)
    if header is None or not any(cell.strip() for cell in header[1]):
        reading.problems.append(RowProblem(1, "the file is empty: the first line names the columns"))
        return
    columns = [cell.strip().lower() for cell in header[1]]
    problem = _header_problem(columns)
    if problem:
        reading.problems.append(RowProblem(1, problem))
        return
    for count, (line, cells) in enumerate(records, start=1):
        if count > MAX_ROWS:
            reading.problems.append(RowProblem(line, f"a file holds at most {MAX_ROWS} rows; split it"))
            return
        row = _row(line, columns, cells, reading.problems)
        if row is not None:
            reading.rows.append(row)


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) per record, skipping blank lines; quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    for cells in reader:
        first, previous = previous + 1, reader.line_num
        if cells and any(cell.strip() for cell in cells):
            yield first, cells


def _header_problem(columns: list[str]) -> str:
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    if duplicated:
        return f"column {', '.join(duplicated)} appears more than once"
    unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        known = ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
        return f"unknown column {', '.join(repr(name) for name in unknown)} (the columns are: {known})"
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        return f"missing column {', '.join(missing)} (required: {', '.join(REQUIRED_COLUMNS)})"
    return ""


def _row(line: int, columns: list[str], cells: list[str], problems: list[RowProblem]) -> RawRow | None:
    if len(cells) != len(columns):
        problems.append(RowProblem(line, f"{len(cells)} values where the header has {len(columns)} columns"))
        return None
    values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True)}
    reasons = _form_problems(values)
    if reasons:
        problems.extend(RowProblem(line, reason) for reason in reasons)
        return None
    day, start, end = _date(values["date"]), _time(values["start"]), _time(values["end"])
    if day is None or start is None or end is None:  # already reported by _form_problems
        return None
    return RawRow(
        line=line,
        external_id=values["external_id"],
        worker=values["worker"],
        patient_mrn=values["patient_mrn"],
        day=day,
        start=start,
        end=end,
        service_code=values["service_code"].upper(),
        worker_notes=values.get("worker_notes", ""),
        cancel_reason=values.get("cancel_reason", "") if _cancels(values) else "",
    )


def _form_problems(values: Mapping[str, str]) -> list[str]:
    """Each value's form, in words; empty when the row reads."""
    reasons = [f"{name} is empty" for name in REQUIRED_COLUMNS if not values[name]]
    checks = (
        ("external_id", _EXTERNAL_ID, "up to 64 printable ASCII characters, no spaces"),
        ("patient_mrn", _MRN, "up to 32 letters, digits or -"),
        ("service_code", _CODE, "a code such as T1019"),
    )
    reasons += [
        f"{name} {values[name]!r} is not valid ({hint})"
        for name, pattern, hint in checks
        if values[name] and not pattern.match(values[name])
    ]
    reasons += _when_problems(values)
    reasons += _status_problems(values)
    reasons += [
        f"{name} contains control characters"
        for name in ("worker", "worker_notes", "cancel_reason")
        if _CONTROL.search(values.get(name, ""))
    ]
    if len(values.get("worker_notes", "")) > 2_000 or len(values.get("cancel_reason", "")) > 200:
        reasons.append("worker_notes is longer than 2000 or cancel_reason longer than 200 characters")
    return reasons


def _when_problems(values: Mapping[str, str]) -> list[str]:
    reasons = []
    if values["date"] and _date(values["date"]) is None:
        reasons.append(f"date {values['date']!r} is not a date written YYYY-MM-DD")
    times = {name: _time(values[name]) if values[name] else None for name in ("start", "end")}
    for name in ("start", "end"):
        if values[name] and times[name] is None:
            reasons.append(f"{name} {values[name]!r} is not a time written HH:MM (24 h)")
    start, end = times["start"], times["end"]
    if start is not None and end is not None and end <= start:
        reasons.append(f"end {end:%H:%M} is not after start {start:%H:%M}")
    return reasons


def _status_problems(values: Mapping[str, str]) -> list[str]:
    status = values.get("status", "").lower()
    if status not in ("", "scheduled", "cancelled", "canceled"):
        return [f"status {values['status']!r} is neither scheduled nor cancelled"]
    if _cancels(values) and not values.get("cancel_reason"):
        return ["a cancelled visit needs a cancel_reason"]
    if not _cancels(values) and values.get("cancel_reason"):
        return ["cancel_reason is given but status is not cancelled"]
    return []


def _cancels(values: Mapping[str, str]) -> bool:
    return values.get("status", "").lower() in ("cancelled", "canceled")


def _date(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _time(text: str) -> time | None:
    if not _TIME.match(text):
        return None
    try:
        return time.fromisoformat(text.zfill(5) if len(text) == 4 else text)
    except ValueError:
        return None


def references(rows: list[RawRow]) -> tuple[set[str], set[str]]:
    """The worker user names and patient MRNs the rows name, for a server to look up in one query each."""
    return {row.worker for row in rows}, {row.patient_mrn for row in rows}


def resolve(rows: list[RawRow], directory: Directory, zone: ZoneInfo) -> Checked:
    """Check rows against the agency and each other: the rows to apply, or every problem found."""
    problems: list[RowProblem] = []
    resolved: list[ImportRow] = []
    first_line: dict[str, int] = {}
    for row in rows:
        earlier = first_line.setdefault(row.external_id, row.line)
        if earlier != row.line:
            problems.append(
                RowProblem(row.line, f"external_id {row.external_id} is already on line {earlier}")
            )
            continue
        result = _resolve_row(row, directory, zone)
        if isinstance(result, ImportRow):
            resolved.append(result)
        else:
            problems.extend(RowProblem(row.line, reason) for reason in result)
    problems += _overlaps(resolved)
    return Checked(resolved, problems)


def _resolve_row(row: RawRow, directory: Directory, zone: ZoneInfo) -> ImportRow | list[str]:
    reasons = []
    worker_id = directory.workers.get(row.worker)
    if worker_id is None:
        reasons.append(f"unknown worker {row.worker!r} (a fieldapp user name)")
    patient_id = directory.patients.get(row.patient_mrn)
    if patient_id is None:
        reasons.append(f"unknown patient MRN {row.patient_mrn!r}")
    if row.service_code not in directory.service_codes:
        reasons.append(f"unknown service code {row.service_code!r}")
    for label, wall in (("start", row.start), ("end", row.end)):
        if not wall_time_exists(row.day, wall, zone):
            reasons.append(
                f"{label} {wall:%H:%M} does not exist on {row.day} in {zone.key} (clocks go forward)"
            )
    if reasons or worker_id is None or patient_id is None:
        return reasons
    return ImportRow(
        line=row.line,
        external_id=row.external_id,
        visit_id=visit_id_for(row.external_id),
        worker_id=worker_id,
        patient_id=patient_id,
        start=local_to_utc(row.day, row.start, zone),
        end=local_to_utc(row.day, row.end, zone),
        service_code=row.service_code,
        worker_notes=row.worker_notes,
        cancel_reason=row.cancel_reason,
    )


def _overlaps(rows: list[ImportRow]) -> list[RowProblem]:
    by_id = {row.visit_id: row for row in rows}
    slots = [Slot(row.visit_id, row.worker_id, row.start, row.end) for row in rows if not row.cancelled]
    problems = []
    for first, second in overlapping_pairs(slots):
        earlier, later = sorted((by_id[first.visit_id], by_id[second.visit_id]), key=lambda row: row.line)
        problems.append(
            RowProblem(
                later.line, f"overlaps line {earlier.line} ({earlier.external_id}) for the same worker"
            )
        )
    return problems
