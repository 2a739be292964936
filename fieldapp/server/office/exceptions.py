"""The exception queue: a day's visit exceptions per worker, filtered by code and state; approving or
rejecting one, or a selection, with a note."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from fieldapp.domain.exceptions import CODE_WORDS, Decision, ExceptionCode
from fieldapp.server.caseloads import queries as caseload_views
from fieldapp.server.core.notify import Notice
from fieldapp.server.errors import ApiError
from fieldapp.server.exceptions import queries as exception_views
from fieldapp.server.office.common import (
    BadRequest,
    Day,
    Flag,
    PageNo,
    Posted,
    State,
    Who,
    Worker,
    day_links,
    day_of,
    refused_page,
    uuid_of,
    worker_options,
    write,
)
from fieldapp.server.office.i18n import N_, gettext
from fieldapp.server.office.web import PREFIX, OfficeRoute, render, safe_next
from fieldapp.server.web.deps import database_of, now_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)
CODES = [(code.value, CODE_WORDS[code]) for code in ExceptionCode]
DONE = {
    "approved": N_("Approved."),
    "rejected": N_("Rejected; the worker's tablet receives the reason at its next sync."),
}


@router.get("/exceptions")
def queue(
    request: Request,
    who: Who,
    day: Day = "",
    worker: Worker = "",
    code: Annotated[str, Query(max_length=32)] = "",
    state: State = "open",
    page: PageNo = 1,
    ok: Flag = "",
) -> Response:
    chosen = day_of(request, day)
    worker_id = uuid_of(worker, "worker") if worker else None
    code = code if code in {c for c, _ in CODES} else ""
    state = state if state in exception_views.STATES else "open"
    with database_of(request).read() as session:
        found = exception_views.exception_queue(
            session, chosen, worker_id=worker_id, code=code, state=state, page=page
        )
        workers = caseload_views.worker_choices(session)
    return render(
        request,
        "exceptions.html",
        title=gettext("Exceptions"),
        nav="exceptions",
        **day_links(request, chosen),
        found=found,
        worker=str(worker_id or ""),
        worker_options=worker_options(workers, worker_id),
        code=code,
        codes=CODES,
        state=state,
        notice=gettext(DONE[ok]) if ok in DONE else "",
    )


def _chosen(form: Any) -> list[uuid.UUID]:
    ids = []
    for name in form.values:
        if name.startswith("pick-"):
            try:
                ids.append(uuid.UUID(name.removeprefix("pick-")))
            except ValueError:
                raise BadRequest(gettext("An exception chosen is not one of the list.")) from None
    return ids


@router.post("/exceptions/decide")
def decide(request: Request, who: Who, form: Posted) -> Response:
    """Approve or reject the exceptions ticked (or the one whose own button was pressed), with the note."""
    one = form.get("one")
    decision, _, single = one.partition(":") if one else (form.get("decision"), "", "")
    if decision not in (Decision.APPROVED.value, Decision.REJECTED.value):
        raise BadRequest(gettext("Choose approve or reject."))
    ids = [uuid_of(single, "exception")] if one else _chosen(form)
    back = safe_next(form.get("back"), f"{PREFIX}/exceptions")
    note = form.get("note").strip()

    def work(session: Any) -> tuple[None, Notice | None]:
        changed = exception_views.decide(
            session, settings_of(request), who, ids, Decision(decision), note, now_of(request)
        )
        return None, Notice.after(changed)

    try:
        write(request, work)
    except ApiError as exc:
        if exc.status == 404:
            raise
        return refused_page(request, exc, N_("Nothing was decided: %(reason)s"), N_("Not decided"))
    return RedirectResponse(f"{back}{'&' if '?' in back else '?'}ok={decision}", status_code=303)
