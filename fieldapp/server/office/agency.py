"""The agency's details: name, address, phone and the minutes after which a visit not started is late."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fieldapp.domain.errors import ValidationError
from fieldapp.server.office.common import Flag, Posted, Who, done, see, write
from fieldapp.server.office.i18n import gettext
from fieldapp.server.office.web import PREFIX, OfficeRoute, render
from fieldapp.server.people import queries as people_views
from fieldapp.server.web.deps import database_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)
FIELDS = ("name", "address", "phone", "late_after_min")


@router.get("/agency")
def agency(request: Request, who: Who, ok: Flag = "") -> Response:
    with database_of(request).read() as session:
        card = people_views.agency_card(session, settings_of(request))
    inputs = {name: "" if getattr(card, name) is None else str(getattr(card, name)) for name in FIELDS}
    return _page(request, inputs, {}, notice=done(ok))


@router.post("/agency")
def save_agency(request: Request, who: Who, form: Posted) -> Response:
    inputs = {name: form.get(name).strip() for name in FIELDS}
    values: dict[str, object] = {k: v for k, v in inputs.items() if k != "late_after_min"}
    if not inputs["late_after_min"].isdigit():
        return _page(request, inputs, {"late_after_min": "a whole number of minutes, 0 to 240"}, status=422)
    values["late_after_min"] = int(inputs["late_after_min"])
    try:
        write(request, lambda s: (people_views.save_agency_card(s, settings_of(request), values), None))
    except ValidationError as exc:
        return _page(request, inputs, exc.problems, status=422)
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
        time_zone=settings_of(request).agency_timezone,
    )
