"""The application factory: one database, its notifier and access log, the middleware, the error
handlers, and every area's router (``fieldapp.server.<area>.router``) and the office pages.

The routers are included in the order the published API has always listed its paths.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import APIRouter, FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware

from fieldapp import __version__
from fieldapp.server import migrate
from fieldapp.server import office as office_pages
from fieldapp.server.audit import router as audit
from fieldapp.server.audit.trail import AccessLog
from fieldapp.server.auth import router as auth
from fieldapp.server.blobs import router as blobs
from fieldapp.server.caseloads import router as caseloads
from fieldapp.server.core import feed
from fieldapp.server.core.notify import Notifier, PostgresNotifier
from fieldapp.server.database import Database
from fieldapp.server.exceptions import router as exceptions
from fieldapp.server.exceptions.sweep import sweep_now_and_then
from fieldapp.server.exports import router as exports
from fieldapp.server.fleet import router as fleet
from fieldapp.server.integrity import router as integrity
from fieldapp.server.ops import router as ops
from fieldapp.server.people import router as people
from fieldapp.server.reports import router as reports
from fieldapp.server.scheduling import router as scheduling
from fieldapp.server.settings import Settings, load
from fieldapp.server.sync import router as sync
from fieldapp.server.web.errors import ERRORS, install_error_handlers
from fieldapp.server.web.middleware import Api

ROUTERS: tuple[APIRouter, ...] = (
    ops.router,  # /health
    auth.router,  # /auth/*
    sync.router,  # /sync/push, /sync/pull, /sync/events
    blobs.router,  # /blobs/{sha256}
    reports.router,  # /reports/day
    caseloads.router,  # /caseloads/{worker}/{patient}
    audit.router,  # /audit/events
    fleet.router,  # /devices/me/wiped, /admin/devices, /admin/users
    audit.office_router,  # /admin/audit/*
    integrity.router,  # /admin/integrity, /admin/signatures/{id}/check
    people.router,  # /account, /admin/users/{id}/card, /admin/agency
    scheduling.router,  # /schedule/visits, /schedule/series, /schedule/import
    exceptions.router,  # /admin/exceptions, /admin/exceptions/decide
    exports.router,  # /admin/exports, /admin/exports/{evv,timesheet}
)


def create_app(
    settings: Settings, *, migrate_schema: bool = True, clock: Callable[[], datetime] | None = None
) -> FastAPI:
    """The application for one database; ``clock`` lets tests move time."""
    database = Database(settings.database_url)
    if migrate_schema:
        migrate.upgrade(database.engine)
    feed.prepare(database.engine)
    notifier: Notifier = (
        PostgresNotifier(database.psycopg_conninfo) if database.dialect == "postgresql" else Notifier()
    )
    access_log = AccessLog(database)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await notifier.start()
        access_log.start()
        sweeping = asyncio.create_task(sweep_now_and_then(database, settings, app.state.clock))
        try:
            yield
        finally:
            sweeping.cancel()
            await notifier.stop()
            await run_in_threadpool(access_log.stop)
            database.dispose()

    app = Api(
        title="fieldapp back office",
        version=__version__,
        lifespan=lifespan,
        max_body_size=settings.max_body_bytes,
        responses=ERRORS,
        openapi_url="/openapi.json" if settings.api_docs else None,
        docs_url="/docs" if settings.api_docs else None,
        redoc_url="/redoc" if settings.api_docs else None,
    )
    app.state.settings, app.state.database, app.state.notifier = settings, database, notifier
    app.state.access_log = access_log
    app.state.clock = clock or (lambda: datetime.now(UTC))
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=1)
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    office_pages.install(app)  # the office web pages (/office)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (several workers): the settings from the environment and the
    settings file, as ``fieldapp server`` handed them on."""
    return create_app(load(), migrate_schema=False)
