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

from fieldapp.server.auth import sessions as auth
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import caseload, feed
from fieldapp.server.core.notify import Notice
from fieldapp.server.database import Database
from fieldapp.server.models import Assignment, Record


def latest_in_scope(session: Session, principal: Principal) -> tuple[int, int]:
    """The newest change number the principal's pull would deliver now (evictions included), and the
    feed's horizon (everything below it is final)."""
    horizon = feed.horizon(session)
    final = Record.seq < horizon
    if principal.is_office:
        return session.scalar(sa.select(sa.func.max(Record.seq)).where(final)) or 0, horizon
    records = (
        session.scalar(
            sa.select(sa.func.max(Record.seq)).where(
                final,
                sa.or_(
                    Record.patient_id.in_(caseload.active_patients(principal.user_id)),
                    sa.and_(Record.entity == "day_report", Record.worker_id == principal.user_id),
                ),
            )
        )
        or 0
    )
    evictions = (
        session.scalar(
            sa.select(sa.func.max(Assignment.seq)).where(
                Assignment.worker_id == principal.user_id,
                Assignment.active.is_(False),
                Assignment.seq < horizon,
            )
        )
        or 0
    )
    return max(records, evictions), horizon


RECHECK_S = 0.2  # while a concerning change waits behind an open writer


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

    def snapshot() -> tuple[int, int, set[uuid.UUID]]:
        with database.read() as session:
            if database.dialect == "postgresql":
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            latest, horizon = latest_in_scope(session, principal)
            ids = set() if principal.is_office else set(caseload.caseload(session, principal.user_id))
            return latest, horizon, ids

    with request.app.state.notifier.subscribe() as queue:
        latest, _, caseload_ids = await run_in_threadpool(snapshot)
        yield ServerSentEvent(comment="connected", retry=3000)
        if latest > since:
            since = latest
            yield _event(latest)
        # A notice may arrive while a writer that took lower numbers is still in flight: its change is then
        # not deliverable yet. ``waiting`` keeps the newest such number until the horizon passes it.
        loop = asyncio.get_running_loop()
        waiting, beat = 0, loop.time() + heartbeat
        while not await request.is_disconnected():
            timeout = min(beat, loop.time() + RECHECK_S) if waiting else beat
            try:
                notice = await asyncio.wait_for(queue.get(), timeout=max(timeout - loop.time(), 0.0))
            except TimeoutError:
                notice = None
            if loop.time() >= beat:
                beat = loop.time() + heartbeat
                if not await run_in_threadpool(still_signed_in):
                    return  # revoked, expired or disabled: the stream ends with the session
                yield ServerSentEvent(comment="heartbeat")
            if notice is not None and notice.seq > since and concerns(notice, principal, caseload_ids):
                waiting = max(waiting, notice.seq)
            if not waiting:
                continue
            latest, horizon, caseload_ids = await run_in_threadpool(snapshot)
            if horizon > waiting:
                waiting = 0
            if latest > since:
                since = latest
                yield _event(latest)


def _event(seq: int) -> ServerSentEvent:
    return ServerSentEvent(id=str(seq), event="changes", data={"seq": seq})
