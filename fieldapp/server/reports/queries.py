"""The office's day reports (one day, by worker) and one report's page with its receipt."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.attestation import record_digest
from fieldapp.domain.values import VisitStatus
from fieldapp.server.errors import NotFound
from fieldapp.server.integrity import checks as integrity
from fieldapp.server.models import DayReportReceipt, Record
from fieldapp.server.visits.queries import VisitRow, pdf_problem, visit_board

# -- day reports ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportBrief:
    id: uuid.UUID
    submitted_at: datetime
    received_at: datetime | None
    summary: dict[str, int]
    pdf_sha256: str
    receipt_items: int | None


@dataclass(frozen=True, slots=True)
class WorkerDay:
    """One worker's day as the office sees it: visits, what is missing, and the report if any."""

    worker_id: uuid.UUID
    username: str
    visits: list[VisitRow]
    reports: list[ReportBrief]

    @property
    def report(self) -> ReportBrief | None:
        return self.reports[0] if self.reports else None

    @property
    def missing_report(self) -> bool:
        return bool(self.visits) and not self.reports

    @property
    def no_check_out(self) -> int:
        return sum(1 for v in self.visits if v.worked and v.check_out is None)

    @property
    def unsigned(self) -> int:
        return sum(1 for v in self.visits if v.worked and not v.signed)

    @property
    def not_started(self) -> int:
        return sum(1 for v in self.visits if v.status == VisitStatus.SCHEDULED)

    @property
    def unverified(self) -> int:
        return sum(1 for v in self.visits if v.worked and not v.verified)

    @property
    def problems(self) -> int:
        return sum(1 for v in self.visits if v.problems())


def day_reports(session: Session, day: date, worker_id: uuid.UUID | None = None) -> list[WorkerDay]:
    """Per field worker: the day's visits, what is missing, and the reports submitted for that day."""
    board = visit_board(session, day, worker_id)
    ids = [w.worker_id for w in board]
    if not ids:
        return []
    report_rows = session.scalars(
        sa.select(Record).where(Record.entity == "day_report", Record.worker_id.in_(ids), Record.day == day)
    ).all()
    receipts = (
        {
            r.report_id: r
            for r in session.scalars(
                sa.select(DayReportReceipt).where(DayReportReceipt.report_id.in_([r.id for r in report_rows]))
            )
        }
        if report_rows
        else {}
    )
    reports: dict[uuid.UUID, list[ReportBrief]] = defaultdict(list)
    for row in report_rows:
        receipt = receipts.get(row.id)
        assert row.worker_id is not None
        reports[row.worker_id].append(
            ReportBrief(
                id=row.id,
                submitted_at=datetime.fromisoformat(row.fields["submitted_at"]),
                received_at=receipt.received_at if receipt else None,
                summary=dict(row.fields.get("summary") or {}),
                pdf_sha256=row.fields["pdf_sha256"],
                receipt_items=len(receipt.receipt.get("items", [])) if receipt else None,
            )
        )
    for briefs in reports.values():
        briefs.sort(key=lambda r: r.submitted_at, reverse=True)
    return [WorkerDay(w.worker_id, w.username, w.visits, reports.get(w.worker_id, [])) for w in board]


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    entity: str
    record_id: uuid.UUID
    sha256: str
    current: bool  # the server still holds exactly this version


@dataclass(frozen=True, slots=True)
class ReportDetail:
    report: ReportBrief
    worker_id: uuid.UUID
    username: str
    day: date
    pdf_problem: integrity.Finding | None  # None: stored, a PDF, and its bytes match its hash
    receipt: list[ReceiptLine]
    receipt_pdf_sha256: str | None
    not_in_receipt: list[VisitRow]
    day_view: WorkerDay

    @property
    def pdf_ok(self) -> bool:
        return self.pdf_problem is None


def report_detail(session: Session, report_id: uuid.UUID) -> ReportDetail:
    """A day report with its receipt (each item checked against what the server holds now), its PDF's
    hash check, and the worker's day with what is missing."""
    row = session.get(Record, report_id)
    if row is None or row.entity != "day_report" or row.worker_id is None or row.day is None:
        raise NotFound(f"no day report {report_id}")
    days = day_reports(session, row.day, row.worker_id)
    if not days:
        raise NotFound(f"the worker of day report {report_id} is gone")
    day_view = days[0]
    brief = next(r for r in day_view.reports if r.id == report_id)
    stored = session.get(DayReportReceipt, report_id)
    items = stored.receipt.get("items", []) if stored else []
    held = (
        {
            r.id: r
            for r in session.scalars(
                sa.select(Record).where(Record.id.in_([uuid.UUID(i["record_id"]) for i in items]))
            )
        }
        if items
        else {}
    )
    lines = []
    for item in items:
        record_id = uuid.UUID(item["record_id"])
        now_row = held.get(record_id)
        current = now_row is not None and (
            record_digest(now_row.entity, str(record_id), now_row.fields) == item["sha256"]
        )
        lines.append(ReceiptLine(item["entity"], record_id, item["sha256"], current))
    in_receipt = {line.record_id for line in lines}
    return ReportDetail(
        report=brief,
        worker_id=row.worker_id,
        username=day_view.username,
        day=row.day,
        pdf_problem=pdf_problem(session, report_id, brief.pdf_sha256),
        receipt=lines,
        receipt_pdf_sha256=stored.receipt.get("pdf_sha256") if stored else None,
        not_in_receipt=[v for v in day_view.visits if v.id not in in_receipt],
        day_view=day_view,
    )
