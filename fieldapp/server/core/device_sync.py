"""What a push records about the device that sent it: last seen and synced, its pending count and app
version, and its clock offset with a short history of it (decision 0013)."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.auth.sessions import Principal
from fieldapp.server.models import Device, DeviceClockSample
from fieldapp.sync.protocol import PushRequest

CLOCK_SAMPLE_STEP_MS = 1000
CLOCK_SAMPLE_EVERY = timedelta(hours=1)
CLOCK_SAMPLES_KEPT = timedelta(days=90)


def touch(session: Session, principal: Principal, request: PushRequest, now: datetime) -> None:
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
