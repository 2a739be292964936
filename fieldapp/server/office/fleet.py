"""The fleet page; disabling a device or cancelling that."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from fieldapp.server.core import feed
from fieldapp.server.core.notify import Notice
from fieldapp.server.fleet import devices as fleet_service
from fieldapp.server.fleet import queries as fleet_views
from fieldapp.server.office import common
from fieldapp.server.office.common import Flag, Posted, Who
from fieldapp.server.office.i18n import gettext
from fieldapp.server.office.web import PREFIX, OfficeRoute, render
from fieldapp.server.web.deps import database_of, now_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/fleet")
def fleet(request: Request, who: Who, ok: Flag = "") -> Response:
    with database_of(request).read() as session:
        devices = fleet_views.fleet(session, now_of(request))
    title, notice = gettext("Fleet health"), common.done(ok)
    return render(request, "fleet.html", title=title, nav="fleet", fleet=devices, notice=notice)


@router.post("/fleet/{device_id}/disable")
def disable_device(request: Request, who: Who, device_id: str, form: Posted) -> Response:
    """Retire a tablet (``fleet.devices``): it sends what it holds, then wipes itself; its user's open event
    streams are told at once."""

    def work(session: Any) -> tuple[None, Notice]:
        device = fleet_service.disable_device(session, device_id[:32], now_of(request))
        return None, Notice(feed.current(session), frozenset(), frozenset({device.user_id}))

    common.write(request, work)
    return common.see(f"{PREFIX}/fleet", ok="disabled")


@router.post("/fleet/{device_id}/enable")
def enable_device(request: Request, who: Who, device_id: str, form: Posted) -> Response:
    """Cancel a retirement the tablet has not acted on yet (a wiped tablet stays wiped)."""
    common.write(request, lambda session: (fleet_service.enable_device(session, device_id[:32]), None))
    return common.see(f"{PREFIX}/fleet", ok="enabled")
