"""The office pages' "no such page": a router of its own, included after every other page."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from fieldapp.server.office.i18n import gettext
from fieldapp.server.office.web import (
    PREFIX,
    OfficeRoute,
    error_page,
)

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/{rest:path}")
def not_found(request: Request, rest: str) -> Response:
    return error_page(request, 404, gettext("There is no such page."))
