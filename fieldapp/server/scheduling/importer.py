"""The schedule CSV import (``fieldapp admin import-schedule``): all rows or none.

The file is read and checked by the domain (``schedule_import``) against the agency's workers, patients
and service codes; then against what is stored: a row may not move or cancel a visit the worker already
recorded. Any problem refuses the whole file, each named with its line. A dry run reports the same
problems and what would change, and writes nothing. Each row's visit id derives from its external id, so
importing the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fieldapp.domain.schedule_checks import Slot, overlapping_pairs
from fieldapp.domain.schedule_import import Directory, ImportRow, RowProblem, read_rows, references, resolve
from fieldapp.domain.services import SERVICE_CODES
from fieldapp.domain.values import VisitStatus
from fieldapp.server.errors import Invalid
from fieldapp.server.listing import patient_names
from fieldapp.server.scheduling import queries
from fieldapp.server.scheduling.schemas import ImportOut
from fieldapp.server.scheduling.writes import (
    Author,
    VisitChange,
    Written,
    differences,
    join_caseloads,
    preview,
    stored_visits,
    write_visits,
)


@dataclass(slots=True)
class ImportReport:
    """What an import found and did."""

    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: Written = field(default_factory=Written)
    cancelled: int = 0
    joined_caseloads: int = 0
    applied: bool = False

    def summary(self) -> str:
        """One line: what changed (or would)."""
        verb = "applied" if self.applied else "would apply (dry run)" if not self.problems else "refused"
        w, rows = self.written, f"{self.rows} row{'' if self.rows == 1 else 's'}"
        return (
            f"{rows} {verb}: {len(w.created)} new, {len(w.updated)} changed "
            f"({self.cancelled} cancelled), {len(w.unchanged)} unchanged; "
            f"{self.joined_caseloads} patients joined a caseload; {len(self.warnings)} warnings"
        )


def import_schedule(author: Author, data: bytes, *, dry_run: bool) -> ImportReport:
    """Check ``data`` (CSV bytes) and, unless ``dry_run`` or a problem is found, apply every row."""
    zone = author.zone()
    reading = read_rows(data)
    names, mrns = references(reading.rows)
    directory = Directory(
        workers=queries.workers_named(author.session, names),
        patients=queries.patients_by_mrn(author.session, mrns),
        service_codes=frozenset(SERVICE_CODES),
    )
    checked = resolve(reading.rows, directory, zone)
    report = ImportReport(rows=len(reading.rows))
    report.problems = sorted(reading.problems + checked.problems, key=lambda p: p.line)
    if report.problems:
        return report
    stored = stored_visits(author.session, (row.visit_id for row in checked.rows))
    report.problems = [
        problem for row in checked.rows for problem in _stored_problems(row, stored.get(row.visit_id))
    ]
    if report.problems:
        return report
    planned = [(row, _applied(row, stored.get(row.visit_id))) for row in checked.rows]
    changes = [change for _, change in planned if change is not None]
    report.warnings = _overlap_warnings(author, checked.rows, zone)
    if dry_run:
        report.written = preview(author.session, changes)
    else:
        pairs = [(row.worker_id, row.patient_id) for row in checked.rows if not row.cancelled]
        report.joined_caseloads = join_caseloads(author, pairs, report.written)
        report.written.absorb(write_visits(author, changes, stored))
    report.written.unchanged += [row.visit_id for row, change in planned if change is None]
    cancels = {row.visit_id for row in checked.rows if row.cancelled}
    report.cancelled = len(cancels.intersection(report.written.updated))
    report.applied = not dry_run
    return report


FIELD_OWNED = ("status", "cancel_reason")  # a row never resets what the worker's own work set


def _applied(row: ImportRow, stored: Any) -> VisitChange | None:
    """The change a row writes: None for a cancel of a visit never scheduled, or a row a begun visit
    already matches (a replay)."""
    if stored is None:
        return None if row.cancelled else _change(row)
    if _begun(stored):
        return None  # it matches (any difference was refused above)
    return _change(row)


def _change(row: ImportRow) -> VisitChange:
    if row.cancelled:
        return VisitChange(
            row.visit_id, {"status": VisitStatus.CANCELLED.value, "cancel_reason": row.cancel_reason}
        )
    values: dict[str, Any] = {
        "patient_id": str(row.patient_id),
        "worker_id": str(row.worker_id),
        "scheduled_start": row.start.isoformat(),
        "scheduled_end": row.end.isoformat(),
        "service_code": row.service_code,
        "worker_notes": row.worker_notes,
        "external_id": row.external_id,
        "status": VisitStatus.SCHEDULED.value,
        "cancel_reason": "",
    }
    return VisitChange(row.visit_id, values)


def _stored_problems(row: ImportRow, stored: Any) -> list[RowProblem]:
    if stored is None:
        return []
    if stored.entity != "visit" or stored.deleted is not None:
        return [
            RowProblem(row.line, f"external_id {row.external_id} names a record that is not a live visit")
        ]
    if not _begun(stored) or not _changes(row, stored):
        return []
    status = str(stored.fields.get("status", "")).replace("_", " ")
    return [
        RowProblem(
            row.line,
            f"visit {row.external_id} was already recorded by the worker ({status}); "
            "its schedule can no longer change",
        )
    ]


def _begun(stored: Any) -> bool:
    status = stored.fields.get("status")
    return status in {s.value for s in queries.BEGUN} or stored.fields.get("check_in") is not None


def _changes(row: ImportRow, stored: Any) -> dict[str, Any]:
    """What the row would change on a visit the worker has begun: its schedule, or a cancel (never the
    status the field set by working it)."""
    change = _change(row)
    if not row.cancelled:
        change = VisitChange(row.visit_id, {k: v for k, v in change.values.items() if k not in FIELD_OWNED})
    return differences(change, stored)


def _overlap_warnings(author: Author, rows: list[ImportRow], zone: ZoneInfo) -> list[str]:
    """Rows that overlap visits already stored (not in the file) for the same worker."""
    live = [row for row in rows if not row.cancelled]
    if not live:
        return []
    first = min(row.start for row in live).astimezone(zone).date() - timedelta(days=1)
    last = max(row.end for row in live).astimezone(zone).date() + timedelta(days=1)
    in_file = {row.visit_id for row in rows}
    booked = [
        visit
        for visit in queries.visits_between(author.session, first, last, {row.worker_id for row in live})
        if visit.id not in in_file
    ]
    if not booked:
        return []
    names = patient_names(author.session, {visit.patient_id for visit in booked})
    lines = {row.visit_id: row for row in live}
    slots = [Slot(row.visit_id, row.worker_id, row.start, row.end) for row in live] + queries.slots_of(
        booked, names
    )
    warnings = []
    for one, two in overlapping_pairs(slots):
        ours, theirs = (one, two) if one.visit_id in lines else (two, one)
        if ours.visit_id in lines and theirs.visit_id not in lines:
            when = theirs.start.astimezone(zone)
            warnings.append(
                f"line {lines[ours.visit_id].line}: overlaps {when:%Y-%m-%d %H:%M} {theirs.label}, "
                "already scheduled"
            )
    return sorted(warnings)


def answer(report: ImportReport) -> ImportOut:
    """The report as the API's answer."""
    w = report.written
    return ImportOut(
        applied=report.applied,
        rows=report.rows,
        created=len(w.created),
        updated=len(w.updated) - report.cancelled,
        unchanged=len(w.unchanged),
        cancelled=report.cancelled,
        joined_caseloads=report.joined_caseloads,
        problems=[str(problem) for problem in report.problems],
        warnings=report.warnings,
    )


def refused(report: ImportReport) -> Invalid:
    """The refusal of a file with problems: every line named (the first 100), nothing applied."""
    lines = [str(problem) for problem in report.problems]
    more = f"; and {len(lines) - 100} more" if len(lines) > 100 else ""
    return Invalid(
        f"{len(lines)} problems; nothing was applied: " + "; ".join(lines[:100]) + more,
        code="schedule_refused",
    )
