"""The office's fleet of devices: what each last reported, and retiring (remote-wiping) devices.

A disabled device (or every device of a disabled worker) may still push what it holds; every other
request is refused with ``device_retired``, which tells the tablet to upload its changes and audit log,
confirm, and wipe its data and keys (``fieldapp.deprovision``). The confirmation ends its sessions.
See docs/decisions/0011-audit-trail-and-remote-wipe.md.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fieldapp.domain.language import phrase
from fieldapp.server.auth import office as office_auth
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.errors import NotFound
from fieldapp.server.models import AuthSession, Device, DeviceClockSample, User

SILENT_AFTER = timedelta(days=1)
CLOCK_HISTORY = 10  # clock-offset samples shown per device
BROWSER_APP_VERSION = office_auth.APP_VERSION  # what office web sessions report


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    """One device as the fleet page shows it."""

    device_id: str
    user_id: uuid.UUID
    username: str
    first_seen: datetime
    last_seen: datetime
    last_sync_at: datetime | None
    pending: int
    app_version: str
    clock_offset_ms: int | None
    disabled: bool
    disabled_at: datetime | None
    wiped_at: datetime | None
    silent: bool
    browser: bool  # an office web session (fieldapp.server.auth.office), not a tablet: never "silent"


@dataclass(frozen=True, slots=True)
class ClockSample:
    """What a device reported about its wall clock at one moment: device minus server time, in ms."""

    at: datetime
    offset_ms: int


def clock_history(session: Session, device_id: str, limit: int = CLOCK_HISTORY) -> list[ClockSample]:
    """A device's clock-offset samples (thinned when they were taken), newest first."""
    return clock_histories(session, [device_id], limit).get(device_id, [])


def clock_histories(
    session: Session, device_ids: list[str], limit: int = CLOCK_HISTORY
) -> dict[str, list[ClockSample]]:
    """The newest ``limit`` clock-offset samples of each device, newest first, in one query."""
    if not device_ids:
        return {}
    ranked = select(
        DeviceClockSample.device_id,
        DeviceClockSample.at,
        DeviceClockSample.offset_ms,
        func.row_number()
        .over(
            partition_by=DeviceClockSample.device_id,
            order_by=(DeviceClockSample.at.desc(), DeviceClockSample.id.desc()),
        )
        .label("n"),
    ).where(DeviceClockSample.device_id.in_(device_ids))
    sub = ranked.subquery()
    rows = session.execute(
        select(sub.c.device_id, sub.c.at, sub.c.offset_ms)
        .where(sub.c.n <= limit)
        .order_by(sub.c.device_id, sub.c.n)
    )
    found: dict[str, list[ClockSample]] = {}
    for device_id, at, offset_ms in rows:
        found.setdefault(device_id, []).append(ClockSample(_utc(at), offset_ms))
    return found


def _utc(moment: datetime) -> datetime:
    # A window over a subquery returns the raw column (naive on SQLite): give it its zone back.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def devices(session: Session, now: datetime) -> list[DeviceStatus]:
    """Every device, the silent ones (no sync for more than a day) first, then by last contact."""
    rows = session.execute(select(Device, User.username).join(User, User.id == Device.user_id)).all()
    statuses = [_status(device, username, now) for device, username in rows]
    return sorted(statuses, key=lambda d: (not d.silent, -(d.last_sync_at or d.last_seen).timestamp()))


def disable_device(session: Session, device_id: str, now: datetime) -> Device:
    """Retire a device: it pushes what it holds at its next contact, then wipes itself."""
    device = session.get(Device, device_id, with_for_update=True)
    if device is None:
        raise NotFound(phrase("no device %(id)s", id=repr(device_id[:40])), code="no_such_device")
    if not device.disabled:
        device.disabled, device.disabled_at = True, now
    return device


def enable_device(session: Session, device_id: str) -> Device:
    """Undo a retirement the device has not acted on yet (a wiped device stays wiped)."""
    device = session.get(Device, device_id, with_for_update=True)
    if device is None:
        raise NotFound(phrase("no device %(id)s", id=repr(device_id[:40])), code="no_such_device")
    if device.wiped_at is None:
        device.disabled, device.disabled_at = False, None
    return device


def disable_user(session: Session, user_id: uuid.UUID, now: datetime) -> list[str]:
    """Disable an account and retire all its devices; returns the devices retired."""
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound(phrase("no user %(id)s", id=user_id), code="no_such_user")
    user.active = False
    retired = []
    for device in session.scalars(select(Device).where(Device.user_id == user_id, Device.wiped_at.is_(None))):
        if not device.disabled:
            device.disabled, device.disabled_at = True, now
        retired.append(device.id)
    return retired


def is_retired(session: Session, device_id: str) -> bool:
    """Whether the device has been disabled and has not confirmed its wipe yet."""
    device = session.get(Device, device_id)
    return device is not None and device.disabled and device.wiped_at is None


def confirm_wiped(session: Session, who: Principal, now: datetime) -> None:
    """The device says it is wiping itself: record it and end all of its sessions."""
    device = session.get(Device, who.device_id, with_for_update=True)
    if device is None:
        raise NotFound(phrase("this device is not known to the server"), code="no_such_device")
    device.disabled, device.disabled_at = True, device.disabled_at or now
    device.wiped_at = device.wiped_at or now
    for record in session.scalars(
        select(AuthSession).where(AuthSession.device_id == who.device_id, AuthSession.revoked_at.is_(None))
    ):
        record.revoked_at = now


def _status(device: Device, username: str, now: datetime) -> DeviceStatus:
    contact = device.last_sync_at or device.last_seen
    browser = device.app_version == BROWSER_APP_VERSION
    return DeviceStatus(
        device_id=device.id,
        user_id=device.user_id,
        username=username,
        first_seen=device.first_seen,
        last_seen=device.last_seen,
        last_sync_at=device.last_sync_at,
        pending=device.pending,
        app_version=device.app_version,
        clock_offset_ms=device.clock_offset_ms,
        disabled=device.disabled,
        disabled_at=device.disabled_at,
        wiped_at=device.wiped_at,
        silent=not browser and device.wiped_at is None and now - contact > SILENT_AFTER,
        browser=browser,
    )
