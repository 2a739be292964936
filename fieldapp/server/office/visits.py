"""The visits board and one visit's page."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request, Response

from fieldapp.domain.care import OUTCOME_WORDS
from fieldapp.domain.entities import Visit, parse
from fieldapp.server.care import queries as care_views
from fieldapp.server.caseloads import queries as caseload_views
from fieldapp.server.exceptions import queries as exception_views
from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.office import common
from fieldapp.server.office.common import Day, PageNo, Who, Worker
from fieldapp.server.office.i18n import gettext
from fieldapp.server.office.web import PREFIX, OfficeRoute, render, zone_of
from fieldapp.server.people import queries as people_views
from fieldapp.server.scheduling import views as schedule_views
from fieldapp.server.visits import queries as visit_views
from fieldapp.server.web.deps import database_of, now_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/visits")
def visits(
    request: Request,
    who: Who,
    day: Day = "",
    worker: Worker = "",
    page: PageNo = 1,
) -> Response:
    chosen = common.day_of(request, day)
    worker_id = common.uuid_of(worker, "worker") if worker else None
    now = now_of(request)
    with database_of(request).read() as session:
        if worker_id is None:
            found = visit_views.visit_board_page(session, chosen, page, now=now)
            board = found.items
        else:
            found, board = None, visit_views.visit_board(session, chosen, worker_id, now)
        choices = caseload_views.worker_choices(session)
        grace = timedelta(minutes=people_views.agency_card(session, settings_of(request)).late_after_min)
        flags = schedule_views.board_flags(session, chosen, zone_of(request), now, grace)
    return render(
        request,
        "visits.html",
        title=gettext("Visits"),
        nav="visits",
        **common.day_links(request, chosen),
        board=board,
        found=found,
        flags=flags,
        flag_words=lambda v: schedule_views.row_flags(
            v.status, v.scheduled_start, v.scheduled_end, v.check_in, v.check_out, now, grace
        ),
        grace_min=int(grace.total_seconds() // 60),
        late=[(uid, name, flags.late[uid]) for uid, name in choices if uid in flags.late],
        still_open=[
            (uid, name, flags.open_past_end[uid]) for uid, name in choices if uid in flags.open_past_end
        ],
        unseen=[(uid, name) for uid, name in choices if uid in flags.unseen_workers],
        worker=str(worker_id or ""),
        worker_options=common.worker_options(choices, worker_id),
        remember=remembered,
    )


def remembered(macro: Callable[..., Any]) -> Callable[..., Any]:
    """``macro`` answering once per distinct arguments (dicts compared by their items), for one page: the
    board's hundreds of rows repeat a handful of EVV and status cells, each a macro call of its own."""
    made: dict[Hashable, Any] = {}

    def cell(*args: Any) -> Any:
        key = tuple(tuple(arg.items()) if isinstance(arg, dict) else arg for arg in args)
        if key not in made:
            made[key] = macro(*args)
        return made[key]

    return cell


@router.get("/visits/{visit_id}")
def visit(request: Request, who: Who, visit_id: uuid.UUID) -> Response:
    with database_of(request).read() as session:
        detail = visit_views.visit_detail(session, visit_id)
        held = parse(Visit, {"id": str(visit_id), **detail.row_values})
        tasks = care_views.visit_checklist(session, held, zone_of(request))
        files = care_views.visit_attachments(session, visit_id)
        check = exception_views.visit_verification(session, visit_id, now_of(request))
    if detail.signature is not None and detail.signature.check.findings:
        integrity_log.report(
            database_of(request), detail.signature.check.findings, "office", who.user_id, now_of(request)
        )
    return render(
        request,
        "visit.html",
        title=gettext("Visit"),
        nav="visits",
        v=detail,
        tasks=tasks,
        files=files,
        outcome_words=OUTCOME_WORDS,
        checked_out=held.check_out is not None,
        check=check,
    )
