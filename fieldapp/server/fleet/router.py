"""The fleet routes: a device confirms its wipe; the office lists devices, retires a device or an account,
and cancels a retirement not yet acted on."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from fieldapp.server.core import feed
from fieldapp.server.core.notify import Notice
from fieldapp.server.errors import Invalid
from fieldapp.server.fleet import devices as fleet
from fieldapp.server.fleet.schemas import Retired
from fieldapp.server.web.deps import DB, Now, Office, Reads, Uploader, Writes, notifier_of
from fieldapp.server.web.params import DeviceId

router = APIRouter(tags=["fleet"])


@router.post("/devices/me/wiped", status_code=204)
def confirm_wiped(who: Uploader, session: Writes, now: Now) -> Response:
    """The device is erasing its data and keys: its sessions end now."""
    fleet.confirm_wiped(session, who, now)
    return Response(status_code=204)


@router.get("/admin/devices", response_model=list[fleet.DeviceStatus])
def list_devices(who: Office, session: Reads, now: Now) -> list[fleet.DeviceStatus]:
    """Every device: its user, last sync, pending changes, app version, clock offset, silent or not."""
    return fleet.devices(session, now)


@router.post("/admin/devices/{device_id}/disable", status_code=204)
def disable_device(device_id: DeviceId, who: Office, request: Request, database: DB, now: Now) -> Response:
    """Retire a device: at its next contact it pushes what it holds, then wipes its data and keys."""
    with database.write() as session:
        device = fleet.disable_device(session, device_id, now)
        notice = _wake(request, session, {device.user_id})
    notifier_of(request).committed(notice)
    return Response(status_code=204)


@router.post("/admin/devices/{device_id}/enable", status_code=204)
def enable_device(device_id: DeviceId, who: Office, session: Writes) -> Response:
    """Cancel a retirement the device has not acted on yet."""
    fleet.enable_device(session, device_id)
    return Response(status_code=204)


@router.post("/admin/users/{user_id}/disable", response_model=Retired)
def disable_user(user_id: uuid.UUID, who: Office, request: Request, database: DB, now: Now) -> Retired:
    """Disable an account; its devices push what they hold at their next contact, then wipe."""
    if user_id == who.user_id:
        raise Invalid("you cannot disable your own account", code="own_account")
    with database.write() as session:
        devices = fleet.disable_user(session, user_id, now)
        notice = _wake(request, session, {user_id})
    notifier_of(request).committed(notice)
    return Retired(user_id=user_id, devices=devices)


def _wake(request: Request, session: Session, user_ids: set[uuid.UUID]) -> Notice:
    """Tell the users' open event streams to sync (call ``committed`` after the commit): a retired device
    learns of it at once instead of at its next timed sync."""
    notice = Notice(feed.current(session), frozenset(), frozenset(user_ids))
    notifier_of(request).within(session, notice)
    return notice
