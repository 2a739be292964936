"""``/caseloads/{worker}/{patient}``: put a patient on a worker's caseload, or take them off it."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from fieldapp.server.core import caseload, feed
from fieldapp.server.core.notify import Notice
from fieldapp.server.web.deps import Now, Office, write_and_notify

router = APIRouter(tags=["office"])


@router.put("/caseloads/{worker_id}/{patient_id}", status_code=204)
def assign(worker_id: uuid.UUID, patient_id: uuid.UUID, who: Office, request: Request, now: Now) -> Response:
    """Put a patient on a worker's caseload; their devices receive its history at the next pull."""

    def work(session: Session) -> tuple[None, Notice | None]:
        changed = caseload.assign(session, worker_id, patient_id, now)
        notice = Notice(feed.last_allocated(session), frozenset({patient_id}), frozenset({worker_id}))
        return None, notice if changed else None

    write_and_notify(request, work)
    return Response(status_code=204)


@router.delete("/caseloads/{worker_id}/{patient_id}", status_code=204)
def unassign(
    worker_id: uuid.UUID, patient_id: uuid.UUID, who: Office, request: Request, now: Now
) -> Response:
    """Take a patient off a worker's caseload; their devices remove it after pushing their edits."""

    def work(session: Session) -> tuple[None, Notice | None]:
        changed = caseload.unassign(session, worker_id, patient_id, now)
        notice = Notice(feed.last_allocated(session), frozenset(), frozenset({worker_id}))
        return None, notice if changed else None

    write_and_notify(request, work)
    return Response(status_code=204)
