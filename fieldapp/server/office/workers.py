"""The workers, one worker's caseload, and putting patients on or off it."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from fieldapp.server.caseloads import queries as caseload_views
from fieldapp.server.core import caseload, feed
from fieldapp.server.core.notify import Notice
from fieldapp.server.office.common import (
    Flag,
    PageNo,
    Posted,
    Search,
    Who,
    done,
    see,
    today,
    uuid_of,
    write,
)
from fieldapp.server.office.forms import Form
from fieldapp.server.office.web import PREFIX, OfficeRoute, render, safe_next
from fieldapp.server.web.deps import database_of, now_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/workers")
def workers(request: Request, who: Who) -> Response:
    day = today(request)
    with database_of(request).read() as session:
        people = caseload_views.workers(session, day)
    return render(request, "workers.html", title="Workers", nav="workers", people=people)


@router.get("/workers/{worker_id}")
def worker(
    request: Request,
    who: Who,
    worker_id: uuid.UUID,
    q: Search = "",
    page: PageNo = 1,
    find: Search = "",
    ok: Flag = "",
) -> Response:
    with database_of(request).read() as session:
        person = caseload_views.worker(session, worker_id)
        cases = caseload_views.caseload(session, worker_id, q, page)
        candidates = caseload_views.assignable(session, worker_id, find) if find.strip() else None
    return render(
        request,
        "worker.html",
        title=person.username,
        nav="workers",
        person=person,
        q=q,
        find=find,
        cases=cases,
        candidates=candidates,
        notice=done(ok),
    )


@router.post("/caseloads/assign")
def assign(request: Request, who: Who, form: Posted) -> Response:
    return _caseload_change(request, form, assign=True)


@router.post("/caseloads/unassign")
def unassign(request: Request, who: Who, form: Posted) -> Response:
    return _caseload_change(request, form, assign=False)


def _caseload_change(request: Request, form: Form, *, assign: bool) -> Response:
    worker_id = uuid_of(form.get("worker_id"), "worker")
    patient_id = uuid_of(form.get("patient_id"), "patient")
    now = now_of(request)

    def work(session: Any) -> tuple[bool, Notice | None]:
        if assign:
            changed = caseload.assign(session, worker_id, patient_id, now)
            notice = Notice(feed.last_allocated(session), frozenset({patient_id}), frozenset({worker_id}))
        else:
            changed = caseload.unassign(session, worker_id, patient_id, now)
            notice = Notice(feed.last_allocated(session), frozenset(), frozenset({worker_id}))
        return changed, notice if changed else None

    write(request, work)
    back = safe_next(form.get("back"), f"{PREFIX}/workers/{worker_id}")
    return see(_with_query(back, ok="assigned" if assign else "unassigned"))


def _with_query(path: str, **query: str) -> str:
    base, _, existing = path.partition("?")
    kept = [part for part in existing.split("&") if part and not part.startswith("ok=")]
    kept += [urlencode({k: v}) for k, v in query.items()]
    return base + ("?" + "&".join(kept) if kept else "")
