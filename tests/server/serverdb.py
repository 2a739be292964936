"""What the server holds, read straight from its database, for the contract suite's assertions."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import RecordState
from fieldapp.server.core.rows import state_of as _state
from fieldapp.server.database import Database
from fieldapp.server.models import AppliedMutation, Assignment, ConflictEntry, Record
from fieldapp.server.settings import Settings
from tests.server.helpers import Device

State = dict[uuid.UUID, tuple[str, RecordState]]


def database(client: TestClient) -> Database:
    return client.app.state.database  # type: ignore[attr-defined,no-any-return]


def newest_position(session: Any) -> int:
    """The newest position any record or caseload change holds (the feed's numbers are not a plain counter
    on PostgreSQL: they derive from transaction ids)."""
    records = session.scalar(sa.select(sa.func.max(Record.seq))) or 0
    return max(records, session.scalar(sa.select(sa.func.max(Assignment.seq))) or 0)  # type: ignore[no-any-return]


def newest(client: TestClient) -> int:
    with database(client).read() as session:
        return newest_position(session)


def settings(client: TestClient) -> Settings:
    return client.app.state.settings  # type: ignore[attr-defined,no-any-return]


def snapshot(client: TestClient) -> dict[str, Any]:
    """Everything a refused or replayed push must leave as it was."""
    with database(client).read() as session:
        records = {
            row.id: (row.entity, row.seq, row.fields, row.stamps, row.bases, row.deleted)
            for row in session.scalars(sa.select(Record))
        }
        return {
            "records": records,
            "applied": session.scalar(sa.select(sa.func.count()).select_from(AppliedMutation)),
            "conflicts": session.scalar(sa.select(sa.func.count()).select_from(ConflictEntry)),
            "counter": newest_position(session),
        }


def states(client: TestClient, patients: set[uuid.UUID] | None = None) -> State:
    """The replicated state of every record (or of the records of ``patients``), as a device holds it."""
    with database(client).read() as session:
        query = sa.select(Record)
        if patients is not None:
            query = query.where(Record.patient_id.in_(patients))
        return {row.id: (row.entity, _state(row)) for row in session.scalars(query)}


def conflicts(client: TestClient) -> list[dict[str, Any]]:
    with database(client).read() as session:
        rows = session.scalars(sa.select(ConflictEntry).order_by(ConflictEntry.id))
        return [
            {
                "entity": row.entity,
                "record_id": row.record_id,
                "patient_id": row.patient_id,
                "field": row.field,
                "reason": row.reason,
                "lost_value": row.lost_value,
                "lost_stamp": row.lost_stamp,
                "winner_value": row.winner_value,
                "winner_stamp": row.winner_stamp,
                "mutation_id": row.mutation_id,
            }
            for row in rows
        ]


def record(client: TestClient, record_id: uuid.UUID) -> Record | None:
    with database(client).read() as session:
        return session.get(Record, record_id)


def positions(client: TestClient) -> dict[uuid.UUID, tuple[str, int]]:
    """Every record's entity and place in the feed."""
    with database(client).read() as session:
        return {
            row.id: (row.entity, row.seq)
            for row in session.execute(sa.select(Record.id, Record.entity, Record.seq))
        }


def seqs(client: TestClient) -> tuple[list[int], list[int]]:
    """Every record's and every assignment's place in the feed."""
    with database(client).read() as session:
        return (
            list(session.scalars(sa.select(Record.seq))),
            list(session.scalars(sa.select(Assignment.seq))),
        )


def assign(office: Device, worker_id: uuid.UUID, patient_id: uuid.UUID) -> None:
    response = office.client.put(f"/caseloads/{worker_id}/{patient_id}", headers=office.headers)
    assert response.status_code == 204, response.text


def unassign(office: Device, worker_id: uuid.UUID, patient_id: uuid.UUID) -> None:
    response = office.client.delete(f"/caseloads/{worker_id}/{patient_id}", headers=office.headers)
    assert response.status_code == 204, response.text


def catch_up(device: Device) -> None:
    """What a real device does after a pull: its clock moves past every stamp it received."""
    for _, state in device.replica.values():
        for stamp in state.stamps():
            device.clock.observe(stamp)


def stamp_of(mutation: dict[str, Any], name: str) -> str:
    return mutation["changes"][name]["s"]  # type: ignore[no-any-return]


def later(device: Device, ms: int) -> None:
    """Move a device's clock ``ms`` ahead (its next stamps are at least that much later)."""
    device.clock.offset_ms = device.clock.offset_ms + ms


def wall(stamp: str) -> int:
    return Stamp.decode(stamp).wall_ms


def cursor_number(cursor: str) -> int:
    assert cursor.startswith("s"), cursor
    return int(cursor[1:].partition("r")[0])  # a continuation cursor also carries the count still to come


def check_pages(pages: list[dict[str, Any]], start: int = 0) -> list[int]:
    """Seqs of every change and eviction in delivery order; checks they and the cursors strictly increase."""
    delivered: list[int] = []
    previous = start
    for page in pages:
        page_seqs = sorted([c["seq"] for c in page["changes"]] + [e["seq"] for e in page["evictions"]])
        assert [c["seq"] for c in page["changes"]] == sorted(c["seq"] for c in page["changes"])
        assert all(seq > previous for seq in page_seqs), (previous, page_seqs)
        cursor = cursor_number(page["cursor"])
        if page_seqs and page["has_more"]:
            assert cursor == page_seqs[-1], "mid-feed, the cursor is the last change the page delivered"
        elif page_seqs:
            # At the end of the feed the cursor moves to the newest change overall (out of scope or not),
            # so the next no-op pull is answered without a scan.
            assert cursor >= page_seqs[-1]
        assert cursor >= previous
        previous = cursor
        delivered += page_seqs
    assert delivered == sorted(set(delivered))
    return delivered


def own_client(device: Device) -> Device:
    """The same signed-in device with its own TestClient on the same app, for use from one thread.

    The client is not entered: each request runs in a portal of its own, concurrently with other threads'.
    """
    return replace(device, client=TestClient(device.client.app), replica=dict(device.replica), evicted=[])


def pull_while(device: Device, running: Callable[[], bool], limit: int) -> list[dict[str, Any]]:
    """Pull page after page while ``running()``, then to the end of the feed; returns every page."""
    pages: list[dict[str, Any]] = []
    while running():
        pages.append(device.pull_page(limit))
        if not pages[-1]["has_more"]:
            time.sleep(0.005)
    pages += device.pull_all(limit)
    return pages
