"""``/admin/exceptions``: the office's exception queue of a day, and deciding exceptions (all or none)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from fieldapp.server.core.notify import Notice
from fieldapp.server.exceptions import queries
from fieldapp.server.exceptions.schemas import DecideBody, Decided, QueueOut
from fieldapp.server.web.deps import Config, Now, Office, Reads, write_and_notify

router = APIRouter(tags=["exceptions"])


@router.get("/admin/exceptions", response_model=QueueOut)
def exception_queue(
    who: Office,
    session: Reads,
    day: date,
    worker_id: uuid.UUID | None = None,
    code: Annotated[str, Query(max_length=32)] = "",
    state: Annotated[str, Query(pattern="^(open|approved|rejected|all)$")] = "open",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> QueueOut:
    """A day's exceptions (of one worker, code and state when given), a page of 100 at a time."""
    found = queries.exception_queue(session, day, worker_id=worker_id, code=code, state=state, page=page)
    return QueueOut.model_validate(found)  # the page's fields, its items read as ExceptionOut


@router.post("/admin/exceptions/decide", response_model=Decided)
def decide(body: DecideBody, who: Office, request: Request, settings: Config, now: Now) -> Decided:
    """Approve or reject the exceptions named, with one note; the tablets receive it at their next sync."""

    def work(session: Session) -> tuple[int, Notice | None]:
        changed = queries.decide(session, settings, who, body.ids, body.decision, body.note, now)
        return len(body.ids), Notice.after(changed)

    return Decided(decided=write_and_notify(request, work))
