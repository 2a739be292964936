"""The back office's web pages (``/office``): server-rendered HTML for office staff, no script.

One router module per area (sign-in, visits, schedule, exceptions, exports, reports, patients, care,
workers, agency, conflicts, fleet, audit, integrity), each reading through its area's ``queries``
(``fieldapp.server.<area>.queries``) and writing through the services the tablets use (push, caseloads),
never with SQL of their own (an import-linter contract); ``common`` and ``web`` hold what they share. See
docs/decisions/0012-office-web-pages.md and 0020-server-by-feature.md.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from fieldapp.server.office import (
    agency,
    audit,
    care,
    conflicts,
    exceptions,
    exports,
    fleet,
    integrity_pages,
    missing,
    patients,
    reports,
    schedule,
    signin,
    visits,
    workers,
)
from fieldapp.server.office.web import PREFIX, STATIC

# integrity_pages first and missing (the catch-all "no such page") last, as the routes match in order.
ROUTERS: tuple[APIRouter, ...] = (
    integrity_pages.router,
    signin.router,
    visits.router,
    schedule.router,
    reports.router,
    patients.router,
    care.router,
    workers.router,
    agency.router,
    conflicts.router,
    exceptions.router,
    exports.router,
    fleet.router,
    audit.router,
    missing.router,
)


def install(app: FastAPI) -> None:
    """Add the office pages and their style sheet to the server's application."""
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="office-static")
    for router in ROUTERS:
        app.include_router(router)


__all__ = ["install"]
