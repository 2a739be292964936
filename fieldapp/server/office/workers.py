"""The workers, one worker's caseload, and putting patients on or off it."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from fieldapp.domain.errors import ValidationError
from fieldapp.server.caseloads import queries as caseload_views
from fieldapp.server.core import caseload, feed
from fieldapp.server.core.notify import Notice
from fieldapp.server.office import common
from fieldapp.server.office.common import Flag, PageNo, Posted, Search, Who
from fieldapp.server.office.forms import Form
from fieldapp.server.office.i18n import gettext, said
from fieldapp.server.office.web import PREFIX, OfficeRoute, render, safe_next
from fieldapp.server.people import queries as people_views
from fieldapp.server.web.deps import database_of, now_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/workers")
def workers(request: Request, who: Who) -> Response:
    day = common.today(request)
    with database_of(request).read() as session:
        people = caseload_views.workers(session, day)
        cards = people_views.worker_cards(session, [w.id for w in people])
    return render(
        request, "workers.html", title=gettext("Workers"), nav="workers", people=people, cards=cards
    )


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
    return _worker_page(request, worker_id, q, page, find, notice=common.done(ok))


@router.post("/workers/{worker_id}/card")
def save_card(request: Request, who: Who, worker_id: uuid.UUID, form: Posted) -> Response:
    """The worker's full name, credential and phone, as tablets, pages and reports name them."""
    values = {name: form.get(name).strip() for name in ("full_name", "credential", "phone")}
    try:
        common.write(request, lambda s: (people_views.save_worker_card(s, worker_id, values), None))
    except ValidationError as exc:
        return _worker_page(request, worker_id, card_inputs=values, problems=said(exc.problems), status=422)
    return common.see(f"{PREFIX}/workers/{worker_id}", ok="card_saved")


def _worker_page(
    request: Request,
    worker_id: uuid.UUID,
    q: str = "",
    page: int = 1,
    find: str = "",
    *,
    notice: str = "",
    card_inputs: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    with database_of(request).read() as session:
        person = caseload_views.worker(session, worker_id)
        card = people_views.worker_card(session, worker_id)
        cases = caseload_views.caseload(session, worker_id, q, page)
        candidates = caseload_views.assignable(session, worker_id, find) if find.strip() else None
    inputs = card_inputs or {
        "full_name": card.full_name,
        "credential": card.credential,
        "phone": card.phone or "",
    }
    return render(
        request,
        "worker.html",
        status,
        title=card.display_name,
        nav="workers",
        person=person,
        card=card,
        inputs=inputs,
        problems=problems or {},
        credentials=people_views.CREDENTIALS,
        q=q,
        find=find,
        cases=cases,
        candidates=candidates,
        notice=notice,
    )


@router.post("/caseloads/assign")
def assign(request: Request, who: Who, form: Posted) -> Response:
    return _caseload_change(request, form, assign=True)


@router.post("/caseloads/unassign")
def unassign(request: Request, who: Who, form: Posted) -> Response:
    return _caseload_change(request, form, assign=False)


def _caseload_change(request: Request, form: Form, *, assign: bool) -> Response:
    worker_id = common.uuid_of(form.get("worker_id"), "worker")
    patient_id = common.uuid_of(form.get("patient_id"), "patient")
    now = now_of(request)

    def work(session: Any) -> tuple[bool, Notice | None]:
        if assign:
            changed = caseload.assign(session, worker_id, patient_id, now)
            notice = Notice(feed.last_allocated(session), frozenset({patient_id}), frozenset({worker_id}))
        else:
            changed = caseload.unassign(session, worker_id, patient_id, now)
            notice = Notice(feed.last_allocated(session), frozenset(), frozenset({worker_id}))
        return changed, notice if changed else None

    common.write(request, work)
    back = safe_next(form.get("back"), f"{PREFIX}/workers/{worker_id}")
    return common.see(_with_query(back, ok="assigned" if assign else "unassigned"))


def _with_query(path: str, **query: str) -> str:
    base, _, existing = path.partition("?")
    kept = [part for part in existing.split("&") if part and not part.startswith("ok=")]
    kept += [urlencode({k: v}) for k, v in query.items()]
    return base + ("?" + "&".join(kept) if kept else "")
