"""Seeding for the visit-verification benchmarks: workers, patients, worked visits and their exceptions,
stored as the server stores them.

Rows are built by the server's own row builder (``fieldapp.server.core.rows.columns``: values, stamps,
the feed's wire form, the derived patient/visit/worker/day columns) and inserted in bulk: the push path
would spend minutes on the 100,000 visits of a month, and the benchmarks time reads, not writes. Users
are inserted with an unusable password hash (only the office signs in).

Per worker and day: ``visits_per_day`` visits from 08:00, each checked in and out by GPS at the home,
signed. One visit in ``exception_every`` was checked in 25 minutes late and left after 30 of 60 minutes
(late check-in and too short, both with the worker's reason); of those, half are approved by the office
(the visit counts as verified), half still open.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from benchmarks._server import PASSWORD
from fieldapp import demodata
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Entity, Patient, Visit, VisitException, data_fields
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.domain.values import Address
from fieldapp.server import migrate
from fieldapp.server.auth import sessions as auth
from fieldapp.server.core import rows
from fieldapp.server.database import Database
from fieldapp.server.models import Record, User
from fieldapp.sync.protocol import Role

UTC_ZONE = ZoneInfo("UTC")
BATCH = 5_000
EXCEPTION_DAYS = (
    "UPDATE records SET day = (SELECT v.day FROM records v WHERE v.id = records.parent_id) "
    "WHERE entity = 'visit_exception'"
)  # the push does it per batch (``core.rows.exception_days``); a checkout before migration 0016 ignores it


def _row(record: Entity, clock: HybridClock, seq: int, now: datetime) -> dict[str, Any]:
    stamp = clock.now()
    wire = record.model_dump(mode="json")
    state = RecordState({name: Versioned(wire[name], stamp) for name in data_fields(type(record))})
    return {
        **rows.columns(record.id, record.entity_name, state, UTC_ZONE),
        "seq": seq,
        "updated_at": now,
        "origin": None,
        "origin_since": None,
    }


def _visit(patient: Patient, worker: uuid.UUID, start: datetime, late: bool) -> Visit:
    home = patient.address
    assert home is not None and home.latitude is not None and home.longitude is not None
    place = {
        "kind": "gps",
        "latitude": home.latitude + 0.0001,
        "longitude": home.longitude,
        "accuracy_m": 8.0,
    }
    begin = start + timedelta(minutes=25 if late else 2)
    end = begin + timedelta(minutes=30 if late else 55)
    return Visit(
        patient_id=patient.id,
        worker_id=worker,
        scheduled_start=start,
        scheduled_end=start + timedelta(hours=1),
        service_code="T1019",
        status="completed",  # type: ignore[arg-type]
        check_in={"device_time": begin, "server_time": begin, "location": {**place, "fixed_at": begin}},  # type: ignore[arg-type]
        check_out={"device_time": end, "server_time": end, "location": {**place, "fixed_at": end}},  # type: ignore[arg-type]
        signature_id=uuid.uuid4(),
    )


def _exceptions(visit: Visit, approved: bool, now: datetime) -> list[VisitException]:
    decision = {"decision": "approved", "by": "office", "at": now, "note": ""} if approved else None
    return [
        VisitException(
            id=exception_id(visit.id, code),
            visit_id=visit.id,
            patient_id=visit.patient_id,
            worker_id=visit.worker_id,
            code=code,
            detected_at=visit.scheduled_start,
            detail="",
            reason=reason,
            resolution=decision,  # type: ignore[arg-type]
        )
        for code, reason in (
            (ExceptionCode.LATE_CHECK_IN, ExceptionReason.TRAFFIC_OR_TRAVEL),
            (ExceptionCode.VISIT_TOO_SHORT, ExceptionReason.CLIENT_REQUEST),
        )
    ]


def records(
    workers: list[uuid.UUID], days: list[date], visits_per_day: int, exception_every: int, now: datetime
) -> Iterator[Entity]:
    """Patients (one per visit slot of a worker), then each day's visits and exceptions."""
    patients = list(demodata.patients(len(workers) * visits_per_day))
    for n, p in enumerate(patients):
        home = Address(
            line1=f"{n + 1} Orchard Lane", city="Millbrook", latitude=41.7 + n * 1e-4, longitude=-73.7
        )
        patients[n] = p.model_copy(update={"address": home})
    yield from patients
    count = 0
    for day in days:
        for w, worker in enumerate(workers):
            for slot in range(visits_per_day):
                start = datetime.combine(day, time(8), tzinfo=UTC) + timedelta(hours=slot)
                late = count % exception_every == 0
                visit = _visit(patients[w * visits_per_day + slot], worker, start, late)
                yield visit
                if late:
                    yield from _exceptions(visit, approved=(count // exception_every) % 2 == 0, now=now)
                count += 1


def seed(
    url: str, *, workers: int, days: list[date], visits_per_day: int = 8, exception_every: int = 4
) -> dict[str, int]:
    """Create the office user, ``workers`` field workers and their records; returns counts by entity."""
    database = Database(url)
    migrate.upgrade(database.engine)
    now = datetime.now(UTC)
    clock = HybridClock("server0")
    counts: dict[str, int] = {}
    try:
        with database.write() as session:
            auth.create_user(session, "office", PASSWORD, Role.OFFICE, now)
            ids = [uuid.uuid4() for _ in range(workers)]
            session.execute(
                sa.insert(User),
                [
                    {
                        "id": i,
                        "username": f"worker{n:03d}",
                        "password_hash": "!",
                        "role": "worker",
                        "active": True,
                        "created_at": now,
                    }
                    for n, i in enumerate(ids)
                ],
            )
        batch: list[dict[str, Any]] = []
        for seq, record in enumerate(records(ids, days, visits_per_day, exception_every, now), start=1):
            counts[record.entity_name] = counts.get(record.entity_name, 0) + 1
            batch.append(_row(record, clock, seq, now))
            if len(batch) >= BATCH:
                with database.write() as session:
                    session.execute(sa.insert(Record), batch)
                batch = []
        if batch:
            with database.write() as session:
                session.execute(sa.insert(Record), batch)
        with database.write() as session:  # each exception's day is its visit's, as the push keeps it
            session.execute(sa.text(EXCEPTION_DAYS))
        with database.engine.connect() as connection:
            if database.dialect == "sqlite":
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                connection.exec_driver_sql("ANALYZE")
    finally:
        database.dispose()
    return counts
