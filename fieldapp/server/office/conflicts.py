"""The conflicts list; restoring a losing value or resolving a conflict."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from fieldapp.server.conflicts import queries as conflict_views
from fieldapp.server.core import office_edits
from fieldapp.server.core.notify import Notice
from fieldapp.server.errors import ApiError
from fieldapp.server.office import common
from fieldapp.server.office.common import Flag, PageNo, Posted, State, Who
from fieldapp.server.office.i18n import N_, gettext
from fieldapp.server.office.web import PREFIX, OfficeRoute, render, safe_next
from fieldapp.server.web.deps import database_of, now_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/conflicts")
def conflicts(
    request: Request,
    who: Who,
    state: State = "open",
    page: PageNo = 1,
    ok: Flag = "",
) -> Response:
    state = state if state in ("open", "resolved", "all") else "open"
    with database_of(request).read() as session:
        found = conflict_views.conflicts(session, state, page)
    return render(
        request,
        "conflicts.html",
        title=gettext("Conflicts"),
        nav="conflicts",
        state=state,
        found=found,
        notice=common.done(ok),
    )


@router.post("/conflicts/{conflict_id}/restore")
def restore(request: Request, who: Who, conflict_id: int, form: Posted) -> Response:
    try:
        common.write(
            request,
            lambda s: (
                None,
                Notice.after(
                    office_edits.restore_conflict(s, settings_of(request), who, conflict_id, now_of(request))
                ),
            ),
        )
    except ApiError as exc:
        if exc.status == 404:
            raise
        return common.refused_page(request, exc, N_("Nothing was restored: %(reason)s"), N_("Not restored"))
    return common.see(safe_next(form.get("back"), f"{PREFIX}/conflicts"), ok="restored")


@router.post("/conflicts/{conflict_id}/resolve")
def resolve(request: Request, who: Who, conflict_id: int, form: Posted) -> Response:

    def work(session: Any) -> tuple[None, None]:
        office_edits.resolve_conflict(session, who, conflict_id, now_of(request))
        return None, None

    common.write(request, work)
    return common.see(safe_next(form.get("back"), f"{PREFIX}/conflicts"), ok="resolved")
