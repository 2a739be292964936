"""The back office's web pages (``/office``): server-rendered HTML for office staff, no script.

Pages read through ``fieldapp.server.services.office_views`` and write through the services the tablets
use (push, caseloads), never with SQL of their own (an import-linter contract). See
docs/decisions/0012-office-web-pages.md.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from fieldapp.server.office import integrity_pages
from fieldapp.server.office.pages import router
from fieldapp.server.office.web import PREFIX, STATIC


def install(app: FastAPI) -> None:
    """Add the office pages and their style sheet to the server's application."""
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="office-static")
    app.include_router(integrity_pages.router)  # before the pages' catch-all "no such page"
    app.include_router(router)


__all__ = ["install"]
