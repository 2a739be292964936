"""``/reports/day``: submit an end-of-day report and get its receipt."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from fieldapp.server.core import push as sync_service
from fieldapp.server.core.notify import Notice
from fieldapp.server.core.storable import check_storable
from fieldapp.server.errors import ApiError, Invalid
from fieldapp.server.reports import receipts as reports
from fieldapp.server.web.deps import Config, Now, Uploader, Who, Writes, write_and_notify
from fieldapp.sync.protocol import DayReceipt, PushRequest

router = APIRouter(tags=["reports"])


@router.post("/reports/day", response_model=DayReceipt)
def submit_day_report(
    body: PushRequest, who: Uploader, request: Request, settings: Config, now: Now
) -> DayReceipt:
    """Submit an end-of-day report (one ``day_report`` mutation; its PDF uploaded first) and get the
    receipt of what the server holds for that day. Submitting the same report again returns a fresh
    receipt."""
    if len(body.mutations) != 1 or body.mutations[0].entity != "day_report":
        raise Invalid("send exactly one day_report mutation", code="not_a_day_report")

    def work(session: Session) -> tuple[DayReceipt, Notice | None]:
        _, changed = sync_service.push(session, who, body, settings, now)
        return reports.receipt(session, body.mutations[0].record_id, now), Notice.after(changed)

    try:
        check_storable(body)
        return write_and_notify(request, work)
    except ApiError as exc:
        if len(exc.rejected) == 1:  # one mutation: its reason is the answer (blob_missing, not_yours...)
            exc.code, exc.message = exc.rejected[0].code, exc.rejected[0].message
        raise


@router.get("/reports/day/{report_id}/receipt", response_model=DayReceipt)
def day_report_receipt(report_id: uuid.UUID, who: Who, session: Writes, now: Now) -> DayReceipt:
    """The current receipt for a day report (what the server holds for that day now)."""
    report = reports.find(session, report_id)
    reports.check_reader(who, report)
    return reports.receipt(session, report_id, now)
