"""What the office's page routers share: the signed-in user and the posted form as dependencies, the
notices a redirect names, post/redirect/get, one write with its change notice, and days and ids from
the query."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any, TypedDict, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markupsafe import Markup, escape

from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core.notify import Notice, write_notifying
from fieldapp.server.errors import ApiError
from fieldapp.server.office.forms import Form
from fieldapp.server.office.i18n import N_, gettext, say
from fieldapp.server.office.web import error_page, office_user, read_form, zone_of
from fieldapp.server.web.deps import database_of, notifier_of, now_of

Who = Annotated[Principal, Depends(office_user)]
Posted = Annotated[Form, Depends(read_form)]
T = TypeVar("T")

DONE = {
    "assigned": N_(
        "Patient put on the caseload. The worker's tablets receive the patient at their next sync."
    ),
    "unassigned": N_(
        "Patient taken off the caseload. The tablets remove it after sending their own changes."
    ),
    "saved": N_("Saved. The tablets receive the change at their next sync."),
    "card_saved": N_("Saved. Tablets, pages and reports name the worker so from their next sync."),
    "agency_saved": N_("Saved. The tablets receive the agency's details at their next sync."),
    "unchanged": N_("Nothing was changed, so nothing was saved."),
    "created": N_("Patient registered. Put them on a worker's caseload to send them to a tablet."),
    "restored": N_("The losing value was written back; the tablets receive it at their next sync."),
    "resolved": N_("Marked resolved; the current value stays."),
    "disabled": N_("The device is disabled: it sends what it holds, then wipes itself."),
    "enabled": N_("The device stays in service (it had not wiped itself yet)."),
}


def done(code: str | None) -> str:
    return gettext(DONE[code]) if code in DONE else ""


def see(path: str, **query: Any) -> RedirectResponse:
    """Post/redirect/get: the answer to every successful form."""
    items = {k: v for k, v in query.items() if v not in (None, "")}
    return RedirectResponse(path + (f"?{urlencode(items)}" if items else ""), status_code=303)


def write(request: Request, work: Callable[[Any], tuple[T, Notice | None]]) -> T:
    """One write transaction; its change notice goes to the SSE streams (inside it, then on commit)."""
    return write_notifying(database_of(request), notifier_of(request), work)


def today(request: Request) -> date:
    return now_of(request).astimezone(zone_of(request)).date()


# The days a page may show: wide enough for any record an agency keeps, narrow enough that the day before
# and after (the pages' links) and the day's bounds in any time zone stay valid dates.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DAY_RULE = N_("a date between %(first)s and %(last)s, such as 2026-11-26")


def parse_day(text: str) -> date | None:
    """A day a page may show, from its ISO form; None for anything else."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def day_of(request: Request, text: str | None) -> date:
    if not text:
        return today(request)
    day = parse_day(text)
    if day is None:
        raise BadRequest(
            gettext("the day must be %(rule)s", rule=gettext(DAY_RULE, first=FIRST_DAY, last=LAST_DAY))
        )
    return day


class DayLinks(TypedDict):
    """What a page of one day shows around it (templates/day_page.html: its heading, its day filter and the
    links to the days before and after)."""

    day: date
    today: date
    previous: date
    following: date


def day_links(request: Request, chosen: date) -> DayLinks:
    """The day chosen, today, and the days before and after it."""
    return DayLinks(
        day=chosen,
        today=today(request),
        previous=chosen - timedelta(days=1),
        following=chosen + timedelta(days=1),
    )


class BadRequest(ApiError):
    status, code = 400, "bad_request"


# What ``uuid_of`` may say was not chosen.
CHOSEN = (N_("worker"), N_("patient"), N_("exception"), N_("series"))


def uuid_of(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise BadRequest(gettext("no %(what)s was chosen", what=gettext(what))) from None


def worker_options(workers: list[tuple[uuid.UUID, str]], chosen: uuid.UUID | None) -> Markup:
    """A worker filter's options (``macros.worker_field``), written at once: 500 workers through the
    template's loop took most of a page's time (decision 0036)."""
    return Markup(
        "".join(
            f'<option value="{worker_id}"{" selected" if worker_id == chosen else ""}>{escape(name)}</option>'
            for worker_id, name in workers
        )
    )


PageNo = Annotated[int, Query(ge=1, le=100_000)]
Day = Annotated[str, Query(max_length=32)]  # a day's ISO form, read by ``day_of``
Worker = Annotated[str, Query(max_length=64)]  # a worker's id, read by ``uuid_of``
State = Annotated[str, Query(max_length=16)]  # one of a list's states
Search = Annotated[str, Query(max_length=100)]
Flag = Annotated[str, Query(max_length=2000)]  # a notice's name, a redirect target: short in practice


def refusal(exc: ApiError) -> str:
    """Why a write was refused, each mutation's reason joined."""
    reasons = [r.message for r in exc.rejected] or [exc.message]
    return "; ".join(say(reason) for reason in reasons)


def refused_page(request: Request, exc: ApiError, sentence: str, title: str) -> HTMLResponse:
    """The page of a refused write: ``sentence`` and ``title`` are messages marked with ``N_``, the
    sentence with a ``%(reason)s`` for the refusal."""
    return error_page(request, exc.status, gettext(sentence, reason=refusal(exc)), gettext(title))
