"""The HTTP API: thin routes over the services, with validation, errors, logging and security headers."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import AfterValidator, Field
from sqlalchemy.exc import DataError, StatementError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fieldapp import __version__
from fieldapp.domain.audit import AuditAction
from fieldapp.server import integrity_api, migrate
from fieldapp.server import office as office_pages
from fieldapp.server.database import Database
from fieldapp.server.errors import ApiError, Forbidden, Invalid, Unauthorized
from fieldapp.server.schemas import AccessEntry, DeviceAuditEntry, Retired
from fieldapp.server.services import (
    audit,
    auth,
    blobs,
    caseload,
    events,
    feed,
    fleet,
    integrity,
    integrity_log,
    reports,
)
from fieldapp.server.services import pull as pull_service
from fieldapp.server.services import sync as sync_service
from fieldapp.server.services.auth import Principal
from fieldapp.server.services.notify import Notice, Notifier, PostgresNotifier
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import (
    AuditAck,
    AuditUpload,
    DayReceipt,
    ErrorBody,
    Health,
    LoginRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
    Rejection,
    TokenResponse,
    UserInfo,
)

log = logging.getLogger("fieldapp.server")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
EVENT_ID = re.compile(r"^[0-9]{1,18}\Z")
DeviceId = Annotated[str, Path(pattern=r"^[0-9a-z]{1,32}$")]
FIRST_MOMENT, LAST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC), datetime(3000, 1, 1, tzinfo=UTC)


def _moment(value: datetime) -> datetime:
    """A time a filter may name: with its zone (a time without one means different moments to different
    readers), in the years 1900-2999 (so converting it to UTC for the database cannot overflow)."""
    if value.tzinfo is None:
        raise ValueError("give the time with its zone, such as 2026-11-26T09:00:00Z")
    if not FIRST_MOMENT <= value < LAST_MOMENT:
        raise ValueError("a time between the years 1900 and 2999")
    return value


Instant = Annotated[datetime, AfterValidator(_moment)]


class InvalidBody(ErrorBody):
    """A 422 answer: an ``ErrorBody`` that, for a request the schema refuses, also names each bad field."""

    problems: dict[str, str] = Field(default_factory=dict)


ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429)
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": InvalidBody if status == 422 else ErrorBody} for status in ERROR_STATUSES
}
# Errors are JSON on every route; FastAPI would document them in the route's own media type
# (text/event-stream for the events route), so that route spells them out.
JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": HTTPStatus(status).phrase,
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{'InvalidBody' if status == 422 else 'ErrorBody'}"}
            }
        },
    }
    for status in ERROR_STATUSES
}


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

    access_log = audit.AccessLog(database)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await notifier.start()
        access_log.start()
        try:
            yield
        finally:
            await notifier.stop()
            await run_in_threadpool(access_log.stop)
            database.dispose()

    app = _Api(
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
    app.add_middleware(RequestContextMiddleware)
    _install_error_handlers(app)
    _install_routes(app)
    _install_fleet_and_audit_routes(app)
    integrity_api.install(app)  # /admin/integrity, /admin/signatures/{id}/check
    office_pages.install(app)  # the office web pages (/office)
    return app


# -- dependencies ------------------------------------------------------------------------------------------


def _database(request: Request) -> Database:
    return request.app.state.database  # type: ignore[no-any-return]


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _now(request: Request) -> datetime:
    return request.app.state.clock()  # type: ignore[no-any-return]


def write_session(database: Annotated[Database, Depends(_database)]) -> Iterator[Session]:
    """A write transaction for the request, committed after the route returns."""
    with database.write() as session:
        yield session


def read_session(database: Annotated[Database, Depends(_database)]) -> Iterator[Session]:
    """A read-only transaction for the request."""
    with database.read() as session:
        yield session


# Declared as a security scheme, so the published schema says "bearer token" (clients and schemathesis
# send one) instead of listing an optional ``authorization`` header parameter.
bearer = HTTPBearer(auto_error=False, description="The access token from /auth/login or /auth/refresh.")


def any_principal(
    request: Request,
    database: Annotated[Database, Depends(_database)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> Principal:
    """Who is calling, from the bearer token, retiring devices included (the routes they may still use)."""
    if credentials is None:
        raise Unauthorized("sign in first (Authorization: Bearer <token>)", code="no_token")
    token = credentials.credentials.strip()
    if not token or len(token) > 128:
        raise Unauthorized("not signed in", code="invalid_token")
    now = request.app.state.clock()
    with database.read() as session:
        who = auth.authenticate(session, token, now)
    if who.rotation_pending:
        with database.write() as session:
            auth.confirm_rotation(session, who.session_id, now)
    request.state.user_id, request.state.device_id = str(who.user_id), who.device_id
    return who


def principal(who: Annotated[Principal, Depends(any_principal)]) -> Principal:
    """Who is calling; every route but health and sign-in needs one. A retiring device gets
    ``device_retired`` here: it may only push, upload its files and audit log, and confirm its wipe."""
    if who.retired:
        raise Forbidden(
            "this tablet has been removed from service: it sends what it holds, then erases its data",
            code="device_retired",
        )
    return who


def office(who: Annotated[Principal, Depends(principal)]) -> Principal:
    """Routes for office staff only."""
    if not who.is_office:
        raise Forbidden("office staff only")
    return who


Who = Annotated[Principal, Depends(principal)]
Uploader = Annotated[Principal, Depends(any_principal)]  # may be a retiring device (push, files, audit)
Office = Annotated[Principal, Depends(office)]
# scope="function": the transaction ends when the route returns, BEFORE the response is sent, so a client
# never holds an answer (a new token, say) whose commit has not happened, and pulls release their snapshot.
Writes = Annotated[Session, Depends(write_session, scope="function")]
Reads = Annotated[Session, Depends(read_session, scope="function")]
Now = Annotated[datetime, Depends(_now)]
Config = Annotated[Settings, Depends(_settings)]


# -- routes ------------------------------------------------------------------------------------------------


def _install_routes(app: FastAPI) -> None:
    @app.get("/health", response_model=Health, tags=["ops"])
    def health(database: Annotated[Database, Depends(_database)], settings: Config, now: Now) -> Health:
        """Liveness and database reachability; needs no sign-in."""
        with database.read() as session:
            session.connection().exec_driver_sql("SELECT 1")
        return Health(
            status="ok",
            database=database.dialect,
            server_time_ms=_ms(now),
            max_clock_ahead_ms=settings.max_clock_ahead_ms,
        )

    @app.post("/auth/login", response_model=TokenResponse, tags=["auth"])
    def login(
        body: LoginRequest, request: Request, session: Writes, settings: Config, now: Now
    ) -> TokenResponse:
        """Sign a user in on a device; repeated failures make the user name and the client address wait
        (429 with Retry-After), growing with each further failure."""
        if "\0" in body.username or "\0" in body.app_version:
            raise Invalid("text must not contain NUL characters", code="unstorable_value")
        return auth.login(session, settings, body, now, request.client.host if request.client else None)

    @app.post("/auth/refresh", response_model=TokenResponse, tags=["auth"])
    def refresh(body: RefreshRequest, session: Writes, settings: Config, now: Now) -> TokenResponse:
        """Exchange a refresh token for a new pair; the old one stops working."""
        return auth.refresh(session, settings, body.refresh_token, now)

    @app.post("/auth/logout", status_code=204, tags=["auth"])
    def logout(who: Uploader, session: Writes, now: Now) -> Response:
        """End this session; its tokens stop working at once."""
        auth.revoke(session, who.session_id, now)
        return Response(status_code=204)

    @app.get("/auth/me", response_model=UserInfo, tags=["auth"])
    def me(who: Who) -> UserInfo:
        """Who the token belongs to."""
        return UserInfo(id=who.user_id, username=who.username, role=who.role)

    @app.post("/sync/push", response_model=PushResponse, tags=["sync"])
    def push(body: PushRequest, who: Uploader, request: Request, settings: Config, now: Now) -> PushResponse:
        """Apply a batch of mutations all together or not at all; replays return the first answer."""
        _check_storable(body)
        database: Database = request.app.state.database
        notifier: Notifier = request.app.state.notifier

        def work(session: Session) -> tuple[PushResponse, Notice | None]:
            answer, changed = sync_service.push(session, who, body, settings, now)
            notice = _notice(changed)
            if notice is not None:
                notifier.within(session, notice)
            return answer, notice

        try:
            answer, notice = database.retrying(work)
        except ApiError as exc:
            integrity_api.note_refused_signatures(database, exc, body, who, now)
            raise
        if notice is not None:
            notifier.committed(notice)
        return answer

    @app.get("/sync/pull", response_model=PullResponse, tags=["sync"])
    def pull(
        request: Request,
        who: Who,
        session: Reads,
        settings: Config,
        now: Now,
        cursor: Annotated[str | None, Query(max_length=pull_service.MAX_CURSOR)] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    ) -> Response:
        """One page of changes after ``cursor`` in the caller's scope (gzip when the client accepts it)."""
        if _up_to_date(request, cursor):  # the no-op sync: answered from the feed watch, no query
            return Response(
                pull_service.empty(pull_service.decode(cursor)[0], now), media_type="application/json"
            )
        body = pull_service.pull(session, who, cursor, limit, settings, now)
        # The device's last-sync time is written later, from the access log (a pull never writes).
        return Response(body, media_type="application/json")

    @app.get("/sync/events", response_class=EventSourceResponse, tags=["sync"], responses=JSON_ERRORS)
    async def sync_events(
        request: Request, who: Who, since: Annotated[int, Depends(_last_event_id)]
    ) -> AsyncIterator[ServerSentEvent]:
        """Server-sent events announcing new changes in the caller's scope; resume with Last-Event-ID."""
        async for event in events.stream(request, who, since):
            yield event

    # ``:path`` so that a name with (encoded) slashes reaches check_name and gets its clear 422, not a 404.
    @app.put(
        "/blobs/{sha256:path}",
        status_code=201,
        tags=["blobs"],
        response_class=Response,
        responses={
            201: {"description": "stored"},
            200: {"description": "already stored (nothing changed)"},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in sorted(blobs.MEDIA_TYPES)
                },
            }
        },
    )
    async def put_blob(sha256: str, request: Request, who: Uploader, settings: Config, now: Now) -> Response:
        """Upload a file under the SHA-256 of its content (checked); uploading it again changes nothing."""
        blobs.check_name(sha256)
        content = await _read_limited(request, settings.max_blob_bytes)
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()

        def store() -> bool:
            with request.app.state.database.write() as session:
                return blobs.put(session, who, sha256, content, media_type, settings.max_blob_bytes, now)

        created = await run_in_threadpool(store)
        return Response(status_code=201 if created else 200)

    @app.get(
        "/blobs/{sha256:path}",
        tags=["blobs"],
        response_class=Response,
        responses={200: {"content": {"image/png": {}, "application/pdf": {}}}},
    )
    def get_blob(sha256: str, who: Who, request: Request, now: Now) -> Response:
        """Download a file you may read; a file whose bytes no longer match its hash or type is withheld
        (409 ``file_damaged``) and written to the integrity log."""
        database: Database = request.app.state.database
        try:
            with database.read() as session:
                blob = blobs.get(session, who, sha256)
        except integrity.FileDamaged as exc:
            integrity_log.report(database, [exc.finding], "download", who.user_id, now)
            raise
        return Response(
            blob.content,
            media_type=blob.media_type,
            headers={"Cache-Control": "private, max-age=31536000, immutable", "ETag": f'"{sha256}"'},
        )

    @app.post("/reports/day", response_model=DayReceipt, tags=["reports"])
    def submit_day_report(
        body: PushRequest, who: Uploader, request: Request, settings: Config, now: Now
    ) -> DayReceipt:
        """Submit an end-of-day report (one ``day_report`` mutation; its PDF uploaded first) and get the
        receipt of what the server holds for that day. Submitting the same report again returns a fresh
        receipt."""
        if len(body.mutations) != 1 or body.mutations[0].entity != "day_report":
            raise Invalid("send exactly one day_report mutation", code="not_a_day_report")
        database: Database = request.app.state.database
        notifier: Notifier = request.app.state.notifier
        try:
            _check_storable(body)

            def work(session: Session) -> tuple[DayReceipt, Notice | None]:
                _, changed = sync_service.push(session, who, body, settings, now)
                receipt = reports.receipt(session, body.mutations[0].record_id, now)
                notice = _notice(changed)
                if notice is not None:
                    notifier.within(session, notice)
                return receipt, notice

            receipt, notice = database.retrying(work)
        except ApiError as exc:
            if len(exc.rejected) == 1:  # one mutation: its reason is the answer (blob_missing, not_yours...)
                exc.code, exc.message = exc.rejected[0].code, exc.rejected[0].message
            raise
        if notice is not None:
            notifier.committed(notice)
        return receipt

    @app.get("/reports/day/{report_id}/receipt", response_model=DayReceipt, tags=["reports"])
    def day_report_receipt(report_id: uuid.UUID, who: Who, session: Writes, now: Now) -> DayReceipt:
        """The current receipt for a day report (what the server holds for that day now)."""
        report = reports.find(session, report_id)
        reports.check_reader(who, report)
        return reports.receipt(session, report_id, now)

    @app.put("/caseloads/{worker_id}/{patient_id}", status_code=204, tags=["office"])
    def assign(
        worker_id: uuid.UUID, patient_id: uuid.UUID, who: Office, request: Request, now: Now
    ) -> Response:
        """Put a patient on a worker's caseload; their devices receive its history at the next pull."""
        database: Database = request.app.state.database
        notifier: Notifier = request.app.state.notifier

        def work(session: Session) -> tuple[bool, Notice]:
            changed = caseload.assign(session, worker_id, patient_id, now)
            notice = Notice(feed.last_allocated(session), frozenset({patient_id}), frozenset({worker_id}))
            if changed:
                notifier.within(session, notice)
            return changed, notice

        changed, notice = database.retrying(work)
        if changed:
            notifier.committed(notice)
        return Response(status_code=204)

    @app.delete("/caseloads/{worker_id}/{patient_id}", status_code=204, tags=["office"])
    def unassign(
        worker_id: uuid.UUID, patient_id: uuid.UUID, who: Office, request: Request, now: Now
    ) -> Response:
        """Take a patient off a worker's caseload; their devices remove it after pushing their edits."""
        database: Database = request.app.state.database
        notifier: Notifier = request.app.state.notifier

        def work(session: Session) -> tuple[bool, Notice]:
            changed = caseload.unassign(session, worker_id, patient_id, now)
            notice = Notice(feed.last_allocated(session), frozenset(), frozenset({worker_id}))
            if changed:
                notifier.within(session, notice)
            return changed, notice

        changed, notice = database.retrying(work)
        if changed:
            notifier.committed(notice)
        return Response(status_code=204)


def _install_fleet_and_audit_routes(app: FastAPI) -> None:
    @app.post("/audit/events", response_model=AuditAck, tags=["audit"])
    def upload_audit(body: AuditUpload, who: Uploader, session: Writes, now: Now) -> AuditAck:
        """A device's audit log entries (hash-checked, stored once; a retiring device may still send them)."""
        return audit.store_device_events(session, who, body, now)

    @app.post("/devices/me/wiped", status_code=204, tags=["fleet"])
    def confirm_wiped(who: Uploader, session: Writes, now: Now) -> Response:
        """The device is erasing its data and keys: its sessions end now."""
        fleet.confirm_wiped(session, who, now)
        return Response(status_code=204)

    @app.get("/admin/devices", response_model=list[fleet.DeviceStatus], tags=["fleet"])
    def list_devices(who: Office, session: Reads, now: Now) -> list[fleet.DeviceStatus]:
        """Every device: its user, last sync, pending changes, app version, clock offset, silent or not."""
        return fleet.devices(session, now)

    @app.post("/admin/devices/{device_id}/disable", status_code=204, tags=["fleet"])
    def disable_device(device_id: DeviceId, who: Office, request: Request, now: Now) -> Response:
        """Retire a device: at its next contact it pushes what it holds, then wipes its data and keys."""
        with request.app.state.database.write() as session:
            device = fleet.disable_device(session, device_id, now)
            notice = _wake(request, session, {device.user_id})
        request.app.state.notifier.committed(notice)
        return Response(status_code=204)

    @app.post("/admin/devices/{device_id}/enable", status_code=204, tags=["fleet"])
    def enable_device(device_id: DeviceId, who: Office, session: Writes) -> Response:
        """Cancel a retirement the device has not acted on yet."""
        fleet.enable_device(session, device_id)
        return Response(status_code=204)

    @app.post("/admin/users/{user_id}/disable", response_model=Retired, tags=["fleet"])
    def disable_user(user_id: uuid.UUID, who: Office, request: Request, now: Now) -> Retired:
        """Disable an account; its devices push what they hold at their next contact, then wipe."""
        if user_id == who.user_id:
            raise Invalid("you cannot disable your own account", code="own_account")
        with request.app.state.database.write() as session:
            devices = fleet.disable_user(session, user_id, now)
            notice = _wake(request, session, {user_id})
        request.app.state.notifier.committed(notice)
        return Retired(user_id=user_id, devices=devices)

    @app.get("/admin/audit/devices", response_model=list[DeviceAuditEntry], tags=["audit"])
    def device_audit(
        who: Office,
        session: Reads,
        device_id: Annotated[DeviceId | None, Query()] = None,
        username: Annotated[str | None, Query(max_length=64)] = None,
        action: Annotated[AuditAction | None, Query()] = None,
        record_id: Annotated[uuid.UUID | None, Query()] = None,
        since: Annotated[Instant | None, Query()] = None,
        until: Annotated[Instant | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=audit.MAX_QUERY)] = 200,
    ) -> list[DeviceAuditEntry]:
        """Devices' audit logs (sign-ins, unlocks, views, edits, exports, prints, syncs), newest first."""
        query = audit.DeviceEventQuery(
            device_id, username, action.value if action else None, record_id, since, until, limit
        )
        return [DeviceAuditEntry.model_validate(row) for row in audit.device_events(session, query)]

    @app.get("/admin/audit/access", response_model=list[AccessEntry], tags=["audit"])
    def api_access(
        who: Office,
        session: Reads,
        user_id: Annotated[uuid.UUID | None, Query()] = None,
        device_id: Annotated[DeviceId | None, Query()] = None,
        route: Annotated[str | None, Query(max_length=120)] = None,
        status: Annotated[int | None, Query(ge=100, le=599)] = None,
        since: Annotated[Instant | None, Query()] = None,
        until: Annotated[Instant | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=audit.MAX_QUERY)] = 200,
    ) -> list[AccessEntry]:
        """Every API access (who, device, route, record or file named, status, time), newest first."""
        query = audit.AccessQuery(user_id, device_id, route, status, since, until, limit)
        return [AccessEntry.model_validate(row) for row in audit.accesses(session, query)]


def _wake(request: Request, session: Session, user_ids: set[uuid.UUID]) -> Notice:
    """Tell the users' open event streams to sync (call ``committed`` after the commit): a retired device
    learns of it at once instead of at its next timed sync."""
    notice = Notice(feed.current(session), frozenset(), frozenset(user_ids))
    request.app.state.notifier.within(session, notice)
    return notice


def _up_to_date(request: Request, cursor: str | None) -> bool:
    """Whether nothing was committed after ``cursor`` (a final one), by the notifier's feed watch, which is
    confirmed from the database at most once per ``FeedWatch.FRESH_S``."""
    try:
        since, remaining = pull_service.decode(cursor)
    except ValueError:
        return False  # the pull itself answers with the reason
    if remaining is not None or not since:
        return False
    watch = request.app.state.notifier.watch
    known = watch.up_to_date(since)
    if known is None:
        database: Database = request.app.state.database
        with database.read() as session:
            watch.confirm(feed.newest(session), feed.limits(session).horizon)
        known = watch.up_to_date(since)
    return bool(known)


def _notice(changed: sync_service.Changed | None) -> Notice | None:
    return None if changed is None else Notice.of(changed.last_seq, changed.patient_ids, changed.worker_ids)


def _check_storable(body: PushRequest) -> None:
    """Refuse values the schema admits but no database here can hold, naming each mutation (so the device
    sets those aside): a NUL character in text (PostgreSQL refuses it; SQLite would keep it, so both refuse
    it here), a whole number beyond 64 bits (the JSON columns' encoder refuses it)."""
    rejected = []
    for mutation in body.mutations:
        for name, change in mutation.changes.items():
            problem = _unstorable_value(change.v)
            if problem:
                rejected.append(
                    Rejection(
                        mutation_id=mutation.mutation_id,
                        code="unstorable_value",
                        message=f"{mutation.entity.replace('_', ' ')} field {name}: {problem}",
                        problems={name: problem},
                    )
                )
                break
    if rejected:
        raise Invalid(
            f"{len(rejected)} of {len(body.mutations)} changes hold values that cannot be stored;"
            " nothing was applied",
            rejected=rejected,
            code="batch_refused",
        )


def _unstorable_value(value: Any) -> str | None:
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        return "a number is out of range"
    return "text must not contain NUL characters" if _has_nul(value) else None


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\0" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _last_event_id(last_event_id: Annotated[str | None, Header()] = None) -> int:
    """The change number a reconnecting client last saw; checked before the stream starts, so a bad
    value gets a 422 answer instead of a stream that breaks after its 200 status line."""
    return _event_id(last_event_id)


def _event_id(value: str | None) -> int:
    if value is None or value == "":
        return 0
    if not EVENT_ID.match(value):  # not str.isdigit(): it admits "²", which int() refuses
        raise Invalid("Last-Event-ID must be a change number this server sent", code="bad_event_id")
    return int(value)


async def _read_limited(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            from fieldapp.server.errors import TooLarge

            raise TooLarge(f"a file may have at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


# -- errors ------------------------------------------------------------------------------------------------


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        body = ErrorBody(error=exc.code, message=exc.message, rejected=exc.rejected, request_id=_rid(request))
        return JSONResponse(body.model_dump(mode="json"), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StatementError)
    async def unstorable(request: Request, exc: StatementError) -> JSONResponse:
        # Values the schema admits but the database cannot hold: a NUL character in text (PostgreSQL), a
        # whole number beyond 64 bits in a JSON column. The client's data, so a 422, not a server failure.
        if not _unstorable(exc):
            raise exc
        log.warning(
            json.dumps({"event": "unstorable", "request_id": _rid(request), "error": type(exc.orig).__name__})
        )
        body = ErrorBody(
            error="unstorable_value",
            message="a value in the request cannot be stored (a NUL character, or a number out of range);"
            " nothing was applied",
            request_id=_rid(request),
        )
        return JSONResponse(body.model_dump(mode="json"), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = {
            ".".join(str(p) for p in e.get("loc", ())) or "*": str(e.get("msg", "invalid"))
            for e in exc.errors()
        }
        message = "the request is not valid: " + "; ".join(f"{k}: {v}" for k, v in list(problems.items())[:5])
        body = InvalidBody(
            error="invalid_request", message=message[:2000], request_id=_rid(request), problems=problems
        )
        return JSONResponse(body.model_dump(mode="json"), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
        body = ErrorBody(
            error=codes.get(exc.status_code, "http_error"), message=str(exc.detail), request_id=_rid(request)
        )
        return JSONResponse(
            body.model_dump(mode="json"), status_code=exc.status_code, headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"request_id": _rid(request)})
        body = ErrorBody(
            error="internal",
            message="the server failed; the change was not applied",
            request_id=_rid(request),
        )
        return JSONResponse(body.model_dump(mode="json"), status_code=500)


def _unstorable(exc: StatementError) -> bool:
    return isinstance(exc, DataError) or isinstance(exc.orig, orjson.JSONEncodeError | OverflowError)


def _rid(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


# -- request context: ids, structured logs, security headers -------------------------------------------------

UNAUDITED_ROUTES = frozenset({"/health"})
UNAUDITED_PREFIXES = ("/office/static/",)  # the office pages' stylesheet
TOO_LARGE = orjson.dumps(
    {"error": "too_large", "message": "the request is larger than this server accepts", "rejected": []}
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"strict-transport-security", b"max-age=31536000"),
]


class RequestContextMiddleware:
    """Gives every request an id, logs one JSON line per request (no patient data), adds secure headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(b"x-request-id", request_id.encode())]
                extra += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            # The body limit interrupts the request from inside (reading the body) and answers 413 outside
            # this middleware: record what the client gets, not a 500.
            if getattr(exc, "status_code", None) == 413:
                status = 413
            raise
        finally:
            route = scope.get("route")
            _record_access(scope, request_id, getattr(route, "path", "?"), status, started)
            log.info(
                json.dumps(
                    {
                        "event": "request",
                        "request_id": request_id,
                        "method": scope.get("method"),
                        "route": getattr(route, "path", "?"),
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "user": scope.get("state", {}).get("user_id"),
                    }
                )
            )


def _record_access(scope: Scope, request_id: str, route: str, status: int, started: float) -> None:
    """Every API access goes to the access log (health checks and the office's static files excepted)."""
    path = str(scope.get("path", ""))
    if route in UNAUDITED_ROUTES or path.startswith(UNAUDITED_PREFIXES):
        return
    if route == "?":  # no route matched (a 404): the path itself says what was tried
        route = path
    app = scope.get("app")
    app_state = getattr(app, "state", None)
    access_log: audit.AccessLog | None = getattr(app_state, "access_log", None)
    if access_log is None:
        return
    state = scope.get("state", {})
    params = scope.get("path_params") or {}
    target = next((str(value) for value in params.values()), None)
    client = scope.get("client")
    access_log.add(
        audit.access_entry(
            at=app_state.clock(),
            request_id=request_id,
            user_id=state.get("user_id"),
            device_id=state.get("device_id"),
            method=str(scope.get("method", "?")),
            route=route,
            target=target,
            status=status,
            ms=(time.perf_counter() - started) * 1000,
            client=client[0] if client else "",
        )
    )


class _Api(FastAPI):
    """FastAPI with one more layer outside everything: the request-body limit answers before any of our
    middleware runs, in plain text and without our headers; this turns that answer into our JSON error."""

    def build_middleware_stack(self) -> ASGIApp:
        return _JsonBodyLimitAnswer(super().build_middleware_stack())


class _JsonBodyLimitAnswer:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rewriting = False

        async def send_json(message: Message) -> None:
            nonlocal rewriting
            if message["type"] == "http.response.start" and message["status"] == 413:
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/plain"):
                    rewriting = True
                    message["headers"] = [
                        (b"content-type", b"application/json"),
                        (b"content-length", b"%d" % len(TOO_LARGE)),
                        *SECURITY_HEADERS,
                    ]
            elif rewriting and message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": TOO_LARGE, "more_body": False}
            await send(message)

        await self.app(scope, receive, send_json)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (several workers): settings from the environment."""
    return create_app(Settings(), migrate_schema=False)
