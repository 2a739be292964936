"""The server's sweep for missed visits: a visit still scheduled, never checked in an hour after its end
(``domain.verification.not_started_in_time``, the same rule the tablet runs), gets its ``missed_visit``
exception on the server, so the office sees it in the queue even when the worker's tablet never syncs.

Safe to run again and from several processes: the record's id is ``uuid5(visit, code)``, the one the
tablet gives its own "missed" record, so both name one record and the push merges them by the usual rules
(what it is about is first-writer-fixed; the worker's reason and note, ``withdrawn`` and the office's
decision are last-writer-wins). A sweep record whose visit was since checked in (a tablet that synced
late) is withdrawn, unless the office decided it or the worker explained it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.clock import HybridClock, Stamp
from fieldapp.domain.entities import VisitException, data_fields
from fieldapp.domain.exceptions import ExceptionCode, exception_id
from fieldapp.domain.values import VisitStatus
from fieldapp.domain.verification import EvvPolicy, not_started_in_time
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import office_edits
from fieldapp.server.core.admin import SERVER_NODE
from fieldapp.server.database import Database
from fieldapp.server.exports.ready import refresh_recent
from fieldapp.server.exports.stored import stored_exception, stored_visit
from fieldapp.server.listing import evv_policy
from fieldapp.server.models import Record, User
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import MAX_BATCH, FieldChange, Mutation, Role

_log = logging.getLogger(__name__)
WINDOW = timedelta(days=7)  # how far back the sweep looks (visits by their day)
MISSED = ExceptionCode.MISSED_VISIT


def sweeper(session: Session) -> Principal | None:
    """Who the sweep writes as: the first active admin (else office) user; None in an agency without one."""
    office = (Role.ADMIN.value, Role.OFFICE.value)
    users = session.scalars(
        sa.select(User).where(User.role.in_(office), User.active.is_(True)).order_by(User.created_at, User.id)
    ).all()
    user = next((u for u in users if u.role == Role.ADMIN.value), users[0] if users else None)
    if user is None:
        return None
    return Principal(user.id, user.username, Role(user.role), SERVER_NODE, uuid.uuid4())


def _candidates(session: Session, now: datetime) -> list[Any]:
    """The window's visits still scheduled (by the (entity, day) index)."""
    return list(
        session.execute(
            sa.select(Record.id, Record.patient_id, Record.worker_id, Record.fields).where(
                Record.entity == "visit",
                Record.day >= (now - WINDOW).date(),
                Record.day <= now.date(),
                Record.deleted.is_(None),
                Record.fields["status"].as_string() == "scheduled",
            )
        )
    )


def _held(session: Session, now: datetime) -> dict[uuid.UUID, Record]:
    """The window's ``missed_visit`` records by visit (their day is their visit's)."""
    rows = session.scalars(
        sa.select(Record).where(
            Record.entity == "visit_exception",
            Record.day >= (now - WINDOW).date() - timedelta(days=1),
            Record.fields["code"].as_string() == MISSED.value,
        )
    )
    return {row.parent_id: row for row in rows if row.parent_id is not None}


def _visits(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Any]:
    wanted = sorted(set(ids))
    found: dict[uuid.UUID, Any] = {}
    for start in range(0, len(wanted), 900):
        query = sa.select(Record.id, Record.patient_id, Record.worker_id, Record.fields).where(
            Record.id.in_(wanted[start : start + 900]), Record.entity == "visit", Record.deleted.is_(None)
        )
        found |= {row.id: row for row in session.execute(query)}
    return found


def _creation(row: Any, now: datetime, stamp: str) -> Mutation:
    record = VisitException(
        id=exception_id(row.id, MISSED),
        visit_id=row.id,
        patient_id=row.patient_id,
        worker_id=row.worker_id,
        code=MISSED,
        detected_at=now,
        detail="no check-in by an hour after the scheduled end",
        tasks=(),
    )
    wire = record.model_dump(mode="json")
    changes = {name: FieldChange(v=wire[name], s=stamp) for name in data_fields(VisitException)}
    return Mutation(mutation_id=uuid.uuid4(), entity="visit_exception", record_id=record.id, changes=changes)


def _withdrawal(row: Record, withdrawn: bool, stamp: str) -> Mutation:
    change = FieldChange(v=withdrawn, s=stamp, b=row.stamps.get("withdrawn"))
    return Mutation(
        mutation_id=uuid.uuid4(), entity="visit_exception", record_id=row.id, changes={"withdrawn": change}
    )


def _missed(row: Any, now: datetime, policy: EvvPolicy) -> bool:
    """Whether the rules call the visit missed: marked so, or never started in time."""
    visit = stored_visit(row)
    return visit.status is VisitStatus.MISSED or not_started_in_time(visit, now, policy)


def sweep_missed(session: Session, settings: Settings, now: datetime) -> int:
    """Record (or reopen) the missed exceptions the rule finds and withdraw the sweep's own that no longer
    hold, in one push batch per ``MAX_BATCH``; returns how many records changed."""
    principal = sweeper(session)
    if principal is None:
        return 0
    policy, held = evv_policy(session), _held(session, now)
    visits = {row.id: row for row in _candidates(session, now)}
    visits |= _visits(session, set(held) - set(visits))
    clock = HybridClock(SERVER_NODE, physical_ms=lambda: int(now.timestamp() * 1000))
    for row in held.values():
        clock.observe(max(Stamp.decode(s) for s in row.stamps.values()))
    stamp = clock.now().encode()
    mutations = []
    for visit_id, row in visits.items():
        missed = _missed(row, now, policy)
        record = held.get(visit_id)
        if record is None:
            if missed:
                mutations.append(_creation(row, now, stamp))
            continue
        held_exception = stored_exception(record.id, record.fields)
        if held_exception.resolution is not None or held_exception.reason is not None:
            continue  # decided by the office, or explained by the worker: theirs now
        if missed == held_exception.withdrawn and visit_id in visits:
            mutations.append(_withdrawal(record, not missed, stamp))
    for start in range(0, len(mutations), MAX_BATCH):
        office_edits.push_mutations(session, settings, principal, mutations[start : start + MAX_BATCH], now)
    return len(mutations)


async def sweep_now_and_then(database: Database, settings: Settings, clock: Callable[[], datetime]) -> None:
    """The sweep every ``missed_sweep_s`` seconds (the first after one interval), in a worker thread, for
    as long as the server runs, then the recent visits' ready export rows (``exports.ready``); a failed
    turn is logged and tried again at the next one."""
    if settings.missed_sweep_s <= 0:
        return
    while True:
        await asyncio.sleep(settings.missed_sweep_s)
        try:
            changed = await asyncio.to_thread(
                database.retrying, lambda session: sweep_missed(session, settings, clock())
            )
        except Exception:  # the server keeps serving; the next turn tries again
            _log.exception("the missed-visit sweep failed")
        else:
            if changed:
                _log.info("missed-visit sweep: %d exception records changed", changed)
        try:  # then the recent visits' ready export rows (decision 0036)
            await asyncio.to_thread(refresh_recent, database, clock())
        except Exception:
            _log.exception("keeping the export rows ready failed")
