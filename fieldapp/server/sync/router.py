"""``/sync``: push a batch of changes, pull a page of changes, and the server-sent events that announce
new ones. Thin: the sync core (``fieldapp.server.core``) applies and reads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.sse import EventSourceResponse, ServerSentEvent
from sqlalchemy.orm import Session

from fieldapp.server.core import pull as pull_service
from fieldapp.server.core import push as sync_service
from fieldapp.server.core.notify import Notice
from fieldapp.server.core.storable import check_storable
from fieldapp.server.errors import ApiError
from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.sync import events
from fieldapp.server.sync.checks import confirmed, last_event_id, watched
from fieldapp.server.web.deps import DB, Config, Now, Uploader, Who, write_and_notify
from fieldapp.server.web.errors import JSON_ERRORS
from fieldapp.sync.collection import collections_deferred
from fieldapp.sync.protocol import PullResponse, PushRequest, PushResponse

router = APIRouter(tags=["sync"])


async def _collections_deferred() -> AsyncIterator[None]:
    with collections_deferred():
        yield


# Entered before FastAPI validates the body (dependencies come first), left when the route returns: the
# batch's objects, from the parsed request to the rows written, never see a full collection.
Deferred = Annotated[None, Depends(_collections_deferred, scope="function")]


@router.post("/sync/push", response_model=PushResponse)
def push(
    deferred: Deferred,
    body: PushRequest,
    who: Uploader,
    request: Request,
    database: DB,
    settings: Config,
    now: Now,
) -> Response:
    """Apply a batch of mutations all together or not at all; replays return the first answer."""
    check_storable(body)

    def work(session: Session) -> tuple[PushResponse, Notice | None]:
        answer, changed = sync_service.push(session, who, body, settings, now)
        return answer, Notice.after(changed)

    try:
        # Serialised here, once: the answer was built from validated parts (``response_model`` is kept for
        # the published schema; FastAPI would validate the whole answer again before writing it).
        answer = write_and_notify(request, work)
        return Response(answer.model_dump_json(by_alias=True), media_type="application/json")
    except ApiError as exc:
        integrity_log.note_refused_signatures(database, exc, body, who, now)
        raise


@router.get("/sync/pull", response_model=PullResponse)
async def pull(
    request: Request,
    who: Who,
    database: DB,
    settings: Config,
    now: Now,
    cursor: Annotated[str | None, Query(max_length=pull_service.MAX_CURSOR)] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> Response:
    """One page of changes after ``cursor`` in the caller's scope (gzip when the client accepts it)."""
    known = watched(request, cursor)
    if known:  # the no-op sync: answered on the event loop from the feed watch, no query, no thread
        return _nothing_new(cursor, now)

    def read() -> Response:
        # The feed watch is confirmed (at most once a second) and the page read in one worker thread; the
        # read transaction ends before the answer is sent.
        if known is None and confirmed(request, cursor):
            return _nothing_new(cursor, now)
        with database.read() as session:
            body = pull_service.pull(session, who, cursor, limit, settings, now)
        # The device's last-sync time is written later, from the access log (a pull never writes).
        return Response(body, media_type="application/json")

    return await run_in_threadpool(read)


def _nothing_new(cursor: str | None, now: datetime) -> Response:
    return Response(pull_service.empty(pull_service.decode(cursor)[0], now), media_type="application/json")


@router.get("/sync/events", response_class=EventSourceResponse, responses=JSON_ERRORS)
async def sync_events(
    request: Request, who: Who, since: Annotated[int, Depends(last_event_id)]
) -> AsyncIterator[ServerSentEvent]:
    """Server-sent events announcing new changes in the caller's scope; resume with Last-Event-ID."""
    async for event in events.stream(request, who, since):
        yield event
