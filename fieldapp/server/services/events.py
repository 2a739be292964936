"""The per-user server-sent-events stream: one event whenever the newest change in the user's scope moves.

The session is checked again at every heartbeat, so a revoked or expired sign-in also closes its stream.

An event's id is the change number, so a client that reconnects with Last-Event-ID gets an event at once
if it missed anything. Heartbeat comments keep proxies from closing an idle stream.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import sqlalchemy as sa
from fastapi import Request
from fastapi.sse import ServerSentEvent
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fieldapp.server.database import Database
from fieldapp.server.models import Assignment, Record
from fieldapp.server.services import auth, caseload
from fieldapp.server.services.auth import Principal
from fieldapp.server.services.notify import Notice


def latest_in_scope(session: Session, principal: Principal) -> int:
    """The newest change number the principal's pull would deliver (evictions included)."""
    if principal.is_office:
        return session.scalar(sa.select(sa.func.max(Record.seq))) or 0
    records = (
        session.scalar(
            sa.select(sa.func.max(Record.seq)).where(
                sa.or_(
                    Record.patient_id.in_(caseload.active_patients(principal.user_id)),
                    sa.and_(Record.entity == "day_report", Record.worker_id == principal.user_id),
                )
            )
        )
        or 0
    )
    evictions = (
        session.scalar(
            sa.select(sa.func.max(Assignment.seq)).where(
                Assignment.worker_id == principal.user_id, Assignment.active.is_(False)
            )
        )
        or 0
    )
    return max(records, evictions)


def concerns(notice: Notice, principal: Principal, caseload_ids: set[uuid.UUID]) -> bool:
    """Whether a notice may concern this user (cheap filter before asking the database)."""
    if principal.is_office or notice.patient_ids is None or principal.user_id in notice.worker_ids:
        return True
    return not notice.patient_ids.isdisjoint(caseload_ids)


async def stream(request: Request, principal: Principal, since: int) -> AsyncIterator[ServerSentEvent]:
    """Events for one connection until the client goes away."""
    database: Database = request.app.state.database
    heartbeat: float = request.app.state.settings.heartbeat_s

    def still_signed_in() -> bool:
        with database.read() as session:
            return auth.session_valid(session, principal.session_id, request.app.state.clock())

    def snapshot() -> tuple[int, set[uuid.UUID]]:
        with database.read() as session:
            ids = set() if principal.is_office else set(caseload.caseload(session, principal.user_id))
            return latest_in_scope(session, principal), ids

    with request.app.state.notifier.subscribe() as queue:
        latest, caseload_ids = await run_in_threadpool(snapshot)
        yield ServerSentEvent(comment="connected", retry=3000)
        if latest > since:
            since = latest
            yield _event(latest)
        while not await request.is_disconnected():
            try:
                notice = await asyncio.wait_for(queue.get(), timeout=heartbeat)
            except TimeoutError:
                if not await run_in_threadpool(still_signed_in):
                    return  # revoked, expired or disabled: the stream ends with the session
                yield ServerSentEvent(comment="heartbeat")
                continue
            if notice.seq <= since or not concerns(notice, principal, caseload_ids):
                continue
            latest, caseload_ids = await run_in_threadpool(snapshot)
            if latest > since:
                since = latest
                yield _event(latest)


def _event(seq: int) -> ServerSentEvent:
    return ServerSentEvent(id=str(seq), event="changes", data={"seq": seq})
