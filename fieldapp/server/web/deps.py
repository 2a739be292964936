"""The routes' dependencies: the database and its sessions, the caller, the time and the settings.

Declared with ``Annotated`` aliases (``Who``, ``Office``, ``Writes``...) that the areas' routers name in
their parameters. Reads ``request.app.state``, filled by ``fieldapp.server.api.create_app``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated, TypeVar, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fieldapp.server.auth import sessions as auth
from fieldapp.server.auth.passwords import token_hash
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.auth.tokens import TokenCache
from fieldapp.server.core.notify import Notice, Notifier, write_notifying
from fieldapp.server.database import Database
from fieldapp.server.errors import Forbidden, Unauthorized
from fieldapp.server.settings import Settings

T = TypeVar("T")


def database_of(request: Request) -> Database:
    return cast(Database, request.app.state.database)


def notifier_of(request: Request) -> Notifier:
    return cast(Notifier, request.app.state.notifier)


def settings_of(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def now_of(request: Request) -> datetime:
    return cast(datetime, request.app.state.clock())


# The same, as dependencies: coroutines, so FastAPI calls them on the event loop instead of sending each
# to a worker thread (every request names several; the hops cost more than the functions).
async def _database(request: Request) -> Database:
    return database_of(request)


async def _settings(request: Request) -> Settings:
    return settings_of(request)


async def _now(request: Request) -> datetime:
    return now_of(request)


def write_and_notify(request: Request, work: Callable[[Session], tuple[T, Notice | None]]) -> T:
    """``work`` in one write transaction; its change notice goes to the SSE streams (inside it, then on
    commit)."""
    return write_notifying(database_of(request), notifier_of(request), work)


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


async def any_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None
) -> Principal:
    """Who is calling, from the bearer token, retiring devices included (the routes they may still use).

    A token this worker verified before is answered from its token cache (decision 0038) on the event
    loop; otherwise the database is asked in a worker thread."""
    if credentials is None:
        raise Unauthorized("sign in first (Authorization: Bearer <token>)", code="no_token")
    token = credentials.credentials.strip()
    if not token or len(token) > 128:
        raise Unauthorized("not signed in", code="invalid_token")
    now = now_of(request)
    cache = notifier_of(request).tokens
    who = cache.get(token_hash(token), now)
    if who is None:
        who = await run_in_threadpool(_verified, request, cache, token, now)
    request.state.user_id, request.state.device_id = str(who.user_id), who.device_id
    return who


def _verified(request: Request, cache: TokenCache, token: str, now: datetime) -> Principal:
    database = database_of(request)
    who = auth.authenticate_caching(database, cache, token, now)
    if who.rotation_pending:
        with database.write() as session:
            auth.confirm_rotation(session, who.session_id, now)
    return who


async def principal(who: Annotated[Principal, Depends(any_principal)]) -> Principal:
    """Who is calling; every route but health and sign-in needs one. A retiring device gets
    ``device_retired`` here: it may only push, upload its files and audit log, and confirm its wipe."""
    if who.retired:
        raise Forbidden(
            "this tablet has been removed from service: it sends what it holds, then erases its data",
            code="device_retired",
        )
    return who


async def office(who: Annotated[Principal, Depends(principal)]) -> Principal:
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
DB = Annotated[Database, Depends(_database)]
