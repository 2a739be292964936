"""What a push records about the device that sent it: last seen and synced, its pending count and app
version, and its clock offset with a short history of it (decision 0013); and the devices' latest pulls,
recorded from the access log (a pull never writes)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.auth.sessions import Principal
from fieldapp.server.models import Device, DeviceClockSample
from fieldapp.sync.protocol import PushRequest

CLOCK_SAMPLE_STEP_MS = 1000
CLOCK_SAMPLE_EVERY = timedelta(hours=1)
CLOCK_SAMPLES_KEPT = timedelta(days=90)


def touch(session: Session, principal: Principal, request: PushRequest, now: datetime) -> None:
    if request.clock_offset_ms is None:
        # The common push: one UPDATE (no read of the row first), on the connection (Core), none of
        # whose columns a principal depends on (``auth.tokens``).
        table = cast(sa.Table, Device.__table__)
        values: dict[str, object] = {"last_seen": now, "last_sync_at": now, "pending": request.pending}
        if request.app_version:
            values["app_version"] = request.app_version
        session.connection().execute(sa.update(table).where(table.c.id == principal.device_id).values(values))
        return
    device = session.get(Device, principal.device_id)
    if device is not None:
        device.last_seen, device.last_sync_at, device.pending = now, now, request.pending
        device.app_version = request.app_version or device.app_version
        if request.clock_offset_ms is not None:
            sample_clock(session, device, request.clock_offset_ms, now)
            device.clock_offset_ms = request.clock_offset_ms


def sample_clock(session: Session, device: Device, offset_ms: int, now: datetime) -> None:
    """Keep the offset history short: a sample when the offset moved by a second, or hourly otherwise."""
    last = session.execute(
        sa.select(DeviceClockSample.at, DeviceClockSample.offset_ms)
        .where(DeviceClockSample.device_id == device.id)
        .order_by(DeviceClockSample.at.desc(), DeviceClockSample.id.desc())
        .limit(1)
    ).first()
    if (
        last is not None
        and abs(last.offset_ms - offset_ms) < CLOCK_SAMPLE_STEP_MS
        and now - last.at < CLOCK_SAMPLE_EVERY
    ):
        return
    session.add(DeviceClockSample(device_id=device.id, at=now, offset_ms=offset_ms))


def note_syncs(session: Session, last_pulls: dict[str, datetime]) -> None:
    """Record the devices' latest pulls (from the access log, written in the background).

    A device whose row a push holds locked is skipped (``SKIP LOCKED`` on PostgreSQL): that push records
    the sync itself, and a push, which holds the change-feed lock, must never wait for this bookkeeping.
    """
    if not last_pulls:
        return
    free = set(
        session.scalars(
            sa.select(Device.id).where(Device.id.in_(sorted(last_pulls))).with_for_update(skip_locked=True)
        )
    )
    rows = [{"b_id": device_id, "b_at": at} for device_id, at in last_pulls.items() if device_id in free]
    if not rows:
        return
    table = cast(sa.Table, Device.__table__)
    statement = (
        sa.update(table)
        .where(table.c.id == sa.bindparam("b_id"))
        .where(sa.or_(table.c.last_sync_at.is_(None), table.c.last_sync_at < sa.bindparam("b_at")))
        .values(last_sync_at=sa.bindparam("b_at"))
    )
    session.connection().execute(statement, rows)  # one statement, executed for every device
