"""End-of-day reports and the receipt that tells the worker what arrived."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.attestation import record_digest
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.errors import Forbidden, NotFound
from fieldapp.server.models import DayReportReceipt, Record
from fieldapp.sync.protocol import DayReceipt, ReceiptItem

CHILDREN = ("visit_note", "observation", "signature", "task_outcome")


def find(session: Session, report_id: uuid.UUID) -> Record:
    """The stored day report, or NotFound."""
    report = session.get(Record, report_id)
    if report is None or report.entity != "day_report":
        raise NotFound(f"no day report {report_id}")
    return report


def receipt(session: Session, report_id: uuid.UUID, now: datetime) -> DayReceipt:
    """Build (and keep) the receipt for a day report the server holds."""
    report = find(session, report_id)
    worker_id, day = uuid.UUID(report.fields["worker_id"]), date.fromisoformat(report.fields["day"])
    visits = session.scalars(
        sa.select(Record)
        .where(
            Record.entity == "visit",
            Record.worker_id == worker_id,
            Record.day == day,
            Record.deleted.is_(None),
        )
        .order_by(Record.id)
    ).all()
    children = (
        session.scalars(
            sa.select(Record)
            .where(
                Record.parent_id.in_([v.id for v in visits]),
                Record.entity.in_(CHILDREN),
                Record.deleted.is_(None),
            )
            .order_by(Record.entity, Record.id)
        ).all()
        if visits
        else []
    )
    items = [_item(row) for row in [*visits, *children]]
    result = DayReceipt(
        report_id=report_id,
        worker_id=worker_id,
        day=day,
        pdf_sha256=report.fields["pdf_sha256"],
        received_at_ms=int(now.timestamp() * 1000),
        items=items,
    )
    existing = session.get(DayReportReceipt, report_id)
    if existing is None:
        session.add(
            DayReportReceipt(
                report_id=report_id,
                worker_id=worker_id,
                day=day,
                receipt=result.model_dump(mode="json"),
                received_at=now,
            )
        )
    else:
        existing.receipt = result.model_dump(mode="json")
    return result


def check_reader(principal: Principal, report: Record) -> None:
    """A worker reads only their own reports; the office reads all."""
    if not principal.is_office and report.worker_id != principal.user_id:
        raise Forbidden("this report belongs to another worker")


def _item(row: Record) -> ReceiptItem:
    values: dict[str, Any] = row.fields
    return ReceiptItem(
        entity=row.entity,
        record_id=row.id,
        sha256=record_digest(row.entity, str(row.id), values),
    )
