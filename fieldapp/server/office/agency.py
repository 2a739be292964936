"""The agency's details: name, address, phone, time zone, the minutes after which a visit not started is
late, the visit-verification thresholds the tablets and the office apply (decision 0033), and the units the
tablets type and show temperatures and weights in."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fieldapp.domain.errors import ValidationError
from fieldapp.server.office.common import Flag, Posted, Who, done, see, write
from fieldapp.server.office.i18n import gettext, said
from fieldapp.server.office.web import PREFIX, OfficeRoute, render
from fieldapp.server.people import queries as people_views
from fieldapp.server.web.deps import database_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)
FIELDS = people_views.AGENCY_FIELDS
NUMBERS = {  # whole numbers, with their range (the card checks it again)
    "late_after_min": (0, 240),
    "early_check_in_min": (0, 240),
    "early_check_out_min": (0, 240),
    "late_check_out_min": (0, 240),
    "short_visit_pct": (0, 100),
    "long_visit_pct": (100, 1000),
    "far_m": (10, 100_000),
}


@router.get("/agency")
def agency(request: Request, who: Who, ok: Flag = "") -> Response:
    return _page(request, _current(request), {}, notice=done(ok))


def _current(request: Request) -> dict[str, str]:
    """The card's fields as the form shows them."""
    with database_of(request).read() as session:
        card = people_views.agency_card(session, settings_of(request))
    return {name: "" if getattr(card, name) is None else str(getattr(card, name)) for name in FIELDS}


@router.post("/agency")
def save_agency(request: Request, who: Who, form: Posted) -> Response:
    # A field the form does not post (an older page) keeps its value; an empty time zone keeps the one in
    # force (the server's setting until the agency chooses one).
    posted = {name: form.get(name).strip() for name in FIELDS if name in form.values}
    inputs = _current(request) | posted
    values: dict[str, object] = {
        k: v for k, v in inputs.items() if k not in NUMBERS and (k != "time_zone" or posted.get(k))
    }
    problems = {
        name: gettext("a whole number, %(low)s to %(high)s", low=low, high=high)
        for name, (low, high) in NUMBERS.items()
        if not inputs[name].isdigit()
    }
    if problems:
        return _page(request, inputs, problems, status=422)
    values |= {name: int(inputs[name]) for name in NUMBERS}
    try:
        write(request, lambda s: (people_views.save_agency_card(s, settings_of(request), values), None))
    except ValidationError as exc:
        return _page(request, inputs, said(exc.problems), status=422)
    return see(f"{PREFIX}/agency", ok="agency_saved")


def _page(
    request: Request, inputs: dict[str, str], problems: dict[str, str], *, notice: str = "", status: int = 200
) -> Response:
    return render(
        request,
        "agency.html",
        status,
        title=gettext("Agency"),
        nav="agency",
        inputs=inputs,
        problems=problems,
        notice=notice,
        default_zone=settings_of(request).agency_timezone,
        numbers=NUMBERS,
    )
