"""Issue 13 on the real server: a tablet whose wall clock jumps while it is offline never beats a later edit.

Two tablets of one nurse and the office, over loopback. Tablet A syncs with a correct clock; its wall clock
then jumps hours ahead (or the tablet reboots with a wrong clock, twice, before it can sync); it edits the
phone; the office edits the care plan; tablet B edits the phone later in real time; all sync. The later
edit wins, the care plan survives, and tablet A's own conflict log shows the value it lost, as does the
office's.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from fieldapp.app import Device, open_device, sign_in
from fieldapp.config import Profile
from fieldapp.domain.clock import Stamp
from fieldapp.domain.devicetime import TimeSources
from fieldapp.domain.entities import Patient
from fieldapp.domain.systime import system_uptime_ms
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import office_edits
from fieldapp.server.models import ConflictEntry, Record
from fieldapp.store import conflicts, outbox, repo
from fieldapp.sync.protocol import Role
from tests.integration.conftest import PASSWORD, LiveServer
from tests.server import helpers as h

HOUR = 3_600_000


class Clocks:
    """A tablet's wall clock (movable) and boot (switchable), over the machine's real uptime clock."""

    def __init__(self) -> None:
        self.skew_ms = 0
        self.boot = 1
        self.uptime_offset = 0  # a "reboot" restarts the uptime count

    def sources(self) -> TimeSources:
        return TimeSources(
            lambda: time.time_ns() // 1_000_000 + self.skew_ms,
            lambda: system_uptime_ms() - self.uptime_offset,
            lambda: f"tablet-boot-{self.boot}",
        )

    def reboot(self, skew_ms: int) -> None:
        self.boot += 1
        self.uptime_offset = system_uptime_ms()
        self.skew_ms = skew_ms


def _tablet(root: Path, name: str, live: LiveServer, clocks: Clocks) -> Device:
    device = open_device(Profile.at(root / name), live.url, sources=clocks.sources())
    sign_in(device, "nurse", PASSWORD)
    return device


def _reopen(device: Device, clocks: Clocks) -> Device:
    device.close()
    return open_device(device.profile, sources=clocks.sources())


def _edit(device: Device, patient_id: uuid.UUID, **changes: str) -> None:
    with device.store.unit_of_work() as s:
        repo.update(s, device.store.clock, Patient, patient_id, changes)


def _office_edits_care_plan(live: LiveServer, patient_id: uuid.UUID, text: str) -> None:
    office = Principal(live.users["office"], "office", Role.OFFICE, "officeweb", uuid.uuid4())
    with live.database.write() as session:
        office_edits.edit_patient(
            session,
            live.settings,
            office,
            patient_id,
            {"care_plan": text},
            {"care_plan": None},
            datetime.now(UTC),
        )


def _last_stamp(device: Device) -> Stamp:
    with device.store.read() as s:
        return outbox.pending(s)[-1].changes["phone"].stamp


def _scenario(
    live: LiveServer, tmp_path: Path, jump: Callable[[Device, Clocks, uuid.UUID], Device]
) -> tuple[Device, Device, Patient]:
    p = h.patient(phone="555-0100", care_plan="Wound care twice weekly")
    live.office_writes(p)
    live.assign("nurse", p.id)
    clocks_a, clocks_b = Clocks(), Clocks()
    a, b = _tablet(tmp_path, "a", live, clocks_a), _tablet(tmp_path, "b", live, clocks_b)
    assert a.engine.run().ok and b.engine.run().ok
    a = jump(a, clocks_a, p.id)  # goes offline, its wall clock jumps; it edits the phone
    time.sleep(1.5)
    _office_edits_care_plan(live, p.id, "Insulin teaching; review glucose log each visit")
    time.sleep(1.5)
    _edit(b, p.id, phone="555-0202")  # later in real time, by seconds
    for device in (a, b, a, b):
        result = device.engine.run()
        assert result.ok and result.rejected == 0, result.error
    return a, b, p


def _assert_the_later_edit_won(live: LiveServer, a: Device, b: Device, p: Patient) -> None:
    with live.database.read() as s:
        row = s.get(Record, p.id)
        logged = list(s.scalars(sa.select(ConflictEntry).where(ConflictEntry.field == "phone")))
    assert row is not None
    assert row.fields["phone"] == "555-0202", "the edit made later in real time wins"
    assert row.fields["care_plan"] == "Insulin teaching; review glucose log each visit"
    assert [(c.lost_value, c.winner_value, c.reason) for c in logged] == [
        ("555-0101", "555-0202", "conflict")
    ]
    with a.store.read() as s:
        mine = [c for c in conflicts.open_conflicts(s) if c.field == "phone"]
    assert [(c.lost_value, c.winner_value) for c in mine] == [("555-0101", "555-0202")], (
        "A's log shows its loss"
    )
    for device in (a, b):
        with device.store.read() as s:
            held = repo.get(s, Patient, p.id)
        assert held is not None and held.phone == "555-0202"
    a.close()
    b.close()


def test_a_wall_clock_jump_ahead_while_offline_does_not_beat_a_later_edit(
    live_server: LiveServer, tmp_path: Path
) -> None:
    def jump(a: Device, clocks: Clocks, patient_id: uuid.UUID) -> Device:
        clocks.skew_ms = 3 * HOUR
        _edit(a, patient_id, phone="555-0101")
        assert abs(_last_stamp(a).wall_ms - time.time_ns() // 1_000_000) < 2_000, "dated in server time"
        return a

    _assert_the_later_edit_won(live_server, *_scenario(live_server, tmp_path, jump))


def test_a_tablet_rebooted_twice_with_a_wrong_clock_before_it_could_sync_never_beats_a_later_edit(
    live_server: LiveServer, tmp_path: Path
) -> None:
    """The device cannot know how long it was off: its edit keeps the lower bound it was dated on (the last
    moment it was known alive plus its uptime), which is never later than the moment it was made."""

    def jump(a: Device, clocks: Clocks, patient_id: uuid.UUID) -> Device:
        clocks.reboot(skew_ms=5 * HOUR)
        a = _reopen(a, clocks)
        time.sleep(0.3)
        _edit(a, patient_id, phone="555-0101")
        made = time.time_ns() // 1_000_000
        clocks.reboot(skew_ms=-2 * HOUR)
        a = _reopen(a, clocks)
        assert _last_stamp(a).wall_ms <= made, "never dated later than it was made"
        return a

    _assert_the_later_edit_won(live_server, *_scenario(live_server, tmp_path, jump))
