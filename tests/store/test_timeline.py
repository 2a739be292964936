"""The device timeline in the store (decision 0013): edits dated in server time whatever the wall clock does.

Each test drives a tablet's three clocks by hand (``Clocks``): the wall clock, which jumps; the uptime
clock, which counts from boot and never jumps; and the boot's identity. "Server time" is ``Clocks.true``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from fieldapp.domain.clock import MAX_COUNTER, Stamp
from fieldapp.domain.devicetime import AnchorKind, Reading, TimeSources
from fieldapp.domain.entities import Patient
from fieldapp.domain.merge import Loser, LossReason, Versioned
from fieldapp.store import conflicts, outbox, repo, timeline
from fieldapp.store.local import LocalStore
from fieldapp.store.models import OutboxRow, PatientRow
from tests import factories as f

HOUR = 3_600_000
T0 = 1_800_000_000_000


@dataclass
class Clocks:
    """A tablet's clocks, moved by the test. ``true`` is real (server) time."""

    true: int = T0
    skew: int = 0  # wall clock minus real time
    booted_at: int = T0 - HOUR
    boot: str = "boot-1"
    boots: list[str] = field(default_factory=list)

    def sources(self) -> TimeSources:
        return TimeSources(
            lambda: self.true + self.skew, lambda: self.true - self.booted_at, lambda: self.boot
        )

    def reboot(self, off_ms: int = 0) -> None:
        self.true += off_ms
        self.booted_at = self.true
        self.boots.append(self.boot)
        self.boot = f"boot-{len(self.boots) + 1}"

    def exchange(self, store: LocalStore, rtt: int = 40) -> int:
        """A request whose answer the server stamped half way through the round trip."""
        sent = store.device_time.reading()
        self.true += rtt // 2
        server = self.true
        self.true += rtt - rtt // 2
        return store.measured(sent, store.device_time.reading(), server)


def open_store(path: Path, clocks: Clocks) -> LocalStore:
    return LocalStore.open(path, sources=clocks.sources())


def edit(store: LocalStore, patient_id: uuid.UUID, phone: str) -> Stamp:
    with store.unit_of_work() as s:
        repo.update(s, store.clock, Patient, patient_id, {"phone": phone})
    with store.read() as s:
        return outbox.pending(s)[-1].changes["phone"].stamp


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def synced(tmp_path: Path, clocks: Clocks) -> tuple[LocalStore, uuid.UUID]:
    """A tablet that holds a patient and has just exchanged with the server (its timeline is exact)."""
    store = open_store(tmp_path / "tablet.db", clocks)
    patient = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, patient)
    clocks.exchange(store)
    with store.unit_of_work() as s:
        outbox.acknowledge(s, [e.mutation_id for e in outbox.pending(s)])
    assert store.device_time.anchor.exact
    return store, patient.id


def test_a_wall_clock_jump_after_a_sync_does_not_move_the_stamps(
    synced: tuple[LocalStore, uuid.UUID], clocks: Clocks
) -> None:
    store, patient_id = synced
    for n, jump in enumerate((3 * HOUR, -5 * HOUR, 26 * HOUR)):
        clocks.skew = jump
        clocks.true += 60_000
        stamp = edit(store, patient_id, f"555-020{n}")
        assert abs(stamp.wall_ms - clocks.true) <= 40, f"wall clock {jump} ms off moved the stamp"
    with store.read() as s:
        assert len(outbox.pending(s)) == 3
        assert not timeline.provisional_epochs(s), "stamps on an exact timeline are final"
    store.close()


def test_the_timeline_survives_an_app_restart_in_the_same_boot(
    tmp_path: Path, synced: tuple[LocalStore, uuid.UUID], clocks: Clocks
) -> None:
    store, patient_id = synced
    store.close()
    clocks.true += 2 * HOUR
    clocks.skew = 4 * HOUR  # set wrong while the app was closed
    again = open_store(tmp_path / "tablet.db", clocks)
    assert again.device_time.anchor.exact
    stamp = edit(again, patient_id, "555-0101")
    assert abs(stamp.wall_ms - clocks.true) <= 40
    again.close()


def test_after_a_reboot_edits_are_dated_on_a_lower_bound_then_corrected_at_the_first_exchange(
    tmp_path: Path, synced: tuple[LocalStore, uuid.UUID], clocks: Clocks
) -> None:
    store, patient_id = synced
    clocks.true += 10 * 60_000
    store.close()  # remembers the moment alive
    alive = clocks.true
    clocks.reboot(off_ms=2 * HOUR)  # off for two hours; the battery died and the wall clock reset
    clocks.skew = -30 * 24 * HOUR
    store = open_store(tmp_path / "tablet.db", clocks)
    assert store.device_time.anchor.kind is AnchorKind.LOWER_BOUND
    clocks.true += 5 * 60_000
    first = edit(store, patient_id, "555-0102")
    clocks.true += 60_000
    second = edit(store, patient_id, "555-0103")
    made = [clocks.true - 60_000, clocks.true]
    # Dated from the last moment alive plus the uptime since boot: never later than made.
    assert alive + 5 * 60_000 <= first.wall_ms <= made[0]
    assert first < second <= Stamp(made[1], MAX_COUNTER, second.node)
    assert clocks.exchange(store) == 2
    with store.read() as s:
        entries = outbox.pending(s)[-2:]
        row = s.get(PatientRow, patient_id)
        assert not timeline.provisional_epochs(s)
    new_first, new_second = (e.changes["phone"].stamp for e in entries)
    assert abs(new_first.wall_ms - made[0]) <= 40 and abs(new_second.wall_ms - made[1]) <= 40
    assert entries[1].changes["phone"].base == new_first, "a base follows the stamp it named"
    assert (
        row is not None
        and row.stamps["phone"] == new_second.encode()
        and row.bases["phone"] == new_first.encode()
    )
    assert store.clock.last >= new_second, "the clock goes on above what it corrected"
    assert edit(store, patient_id, "555-0104") > new_second
    store.close()


def test_edits_of_a_boot_that_ended_before_any_exchange_keep_their_lower_bound(
    tmp_path: Path, synced: tuple[LocalStore, uuid.UUID], clocks: Clocks
) -> None:
    store, patient_id = synced
    store.close()
    clocks.reboot(off_ms=HOUR)
    store = open_store(tmp_path / "tablet.db", clocks)
    clocks.true += 60_000
    lower = edit(store, patient_id, "555-0105")
    made = clocks.true
    store.close()
    clocks.reboot(off_ms=HOUR)  # restarted again before any exchange: the device cannot know any more
    store = open_store(tmp_path / "tablet.db", clocks)
    clocks.exchange(store)
    with store.unit_of_work() as s:
        assert timeline.settle(s, store.clock, store.device_time) is False
    with store.read() as s:
        [entry] = outbox.pending(s)
        assert not timeline.provisional_epochs(s)
    assert entry.changes["phone"].stamp == lower <= Stamp(made, MAX_COUNTER, lower.node)
    store.close()


def test_a_store_that_never_met_a_server_corrects_its_wall_clock_either_way(
    tmp_path: Path, clocks: Clocks
) -> None:
    clocks.skew = 3 * HOUR
    store = open_store(tmp_path / "new.db", clocks)
    assert store.device_time.anchor.kind is AnchorKind.WALL
    patient = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, patient)
    made = clocks.true
    assert clocks.exchange(store) == 1
    with store.read() as s:
        [entry] = outbox.pending(s)
    assert abs(entry.changes["phone"].stamp.wall_ms - made) <= 40, "three hours ahead, corrected back"
    assert store.clock.last.wall_ms < made + 1000, "the clock was set back with it"
    assert store.device_time.offset_ms == -3 * HOUR
    store.close()


def test_an_edit_racing_the_correcting_exchange_is_corrected_before_it_is_sent(
    tmp_path: Path, synced: tuple[LocalStore, uuid.UUID], clocks: Clocks
) -> None:
    store, patient_id = synced
    store.close()
    clocks.reboot(off_ms=HOUR)
    store = open_store(tmp_path / "tablet.db", clocks)
    epoch = store.device_time.provisional_epoch
    sent = store.device_time.reading()
    clocks.true += 20
    made = clocks.true
    late = edit(store, patient_id, "555-0106")  # committed while the answer is on its way
    clocks.true += 20
    # the exchange's correction was computed before the edit's row existed
    correction = store.device_time.measured(sent, store.device_time.reading(), made)
    assert correction is not None and correction.epoch == epoch
    with store.unit_of_work() as s:
        assert timeline.settle(s, store.clock, store.device_time) is False
    with store.read() as s:
        [entry] = outbox.pending(s)
    assert entry.changes["phone"].stamp > late and abs(entry.changes["phone"].stamp.wall_ms - made) <= 40
    store.close()


def test_pull_back_redates_refused_changes_no_later_than_made(
    synced: tuple[LocalStore, uuid.UUID], clocks: Clocks
) -> None:
    """Stamps ahead of the server (an older version's wall-clock stamps, say) are re-dated just after
    what they follow, never after the moment they were made, and the clock comes back with them."""
    store, patient_id = synced
    with store.read() as s:
        floor = timeline._acked_floor(s)
    assert floor is None
    clocks.true += 60_000
    kept = edit(store, patient_id, "555-0107")
    store.clock.observe(Stamp(clocks.true + 3 * HOUR, 0, "zzz"))  # dragged ahead (as an old version could be)
    ahead = [edit(store, patient_id, "555-0108"), edit(store, patient_id, "555-0109")]
    assert ahead[0].wall_ms >= clocks.true + 3 * HOUR
    limit = Stamp(clocks.true + 5 * 60_000, MAX_COUNTER, store.node_id)
    with store.unit_of_work() as s:
        assert timeline.pull_back(s, store.clock, limit, Stamp(clocks.true, 0, store.node_id)) == 2
    with store.read() as s:
        entries = outbox.pending(s)
        row = s.get(PatientRow, patient_id)
    stamps = [e.changes["phone"].stamp for e in entries]
    assert stamps[0] == kept and kept < stamps[1] < stamps[2] <= Stamp(clocks.true, MAX_COUNTER, kept.node)
    assert entries[2].changes["phone"].base == stamps[1] and entries[1].changes["phone"].base == kept
    assert row is not None and row.stamps["phone"] == stamps[2].encode()
    assert store.clock.last == stamps[2], "the clock was set back"
    clocks.true += 1000
    assert edit(store, patient_id, "555-0110").wall_ms <= clocks.true
    store.close()


def test_pull_back_stays_above_what_the_server_acknowledged(
    synced: tuple[LocalStore, uuid.UUID], clocks: Clocks
) -> None:
    store, patient_id = synced
    acked = Stamp(clocks.true + 1000, 7, store.node_id)
    with store.unit_of_work() as s:
        timeline.raise_acked_floor(s, [acked, Stamp(clocks.true, 0, store.node_id)])
        timeline.raise_acked_floor(s, [])
    store.clock.observe(Stamp(clocks.true + HOUR, 0, "zzz"))
    ahead = edit(store, patient_id, "555-0111")
    limit = Stamp(clocks.true + 60_000, MAX_COUNTER, store.node_id)
    with store.unit_of_work() as s:
        assert timeline.pull_back(s, store.clock, limit, Stamp(clocks.true, 0, store.node_id)) == 1
    with store.read() as s:
        [entry] = outbox.pending(s)
    assert acked < entry.changes["phone"].stamp < ahead
    store.close()


def test_pull_back_with_nothing_to_follow_dates_at_the_servers_time(tmp_path: Path, clocks: Clocks) -> None:
    """A device's very first change, stamped ahead by an older version's wall clock: no acknowledged
    stamp, no change before it, no base; the server's time is the earliest moment anyone can vouch for."""
    store = open_store(tmp_path / "first.db", clocks)
    store.clock.observe(Stamp(clocks.true + 5 * HOUR, 0, "zzz"))
    with store.unit_of_work() as s:
        repo.add(s, store.clock, f.patient())
        [row] = s.scalars(sa.select(OutboxRow)).all()
        row.physical_ms = None  # as an entry queued before this version
    limit = Stamp(clocks.true + 60_000, MAX_COUNTER, store.node_id)
    with store.unit_of_work() as s:
        assert timeline.pull_back(s, store.clock, limit, Stamp(clocks.true, 0, store.node_id)) == 1
    with store.read() as s:
        [entry] = outbox.pending(s)
    assert entry.changes["mrn"].stamp == Stamp(clocks.true, 0, store.node_id)
    store.close()


def test_renamed_stamps_follow_into_the_conflict_log(tmp_path: Path, clocks: Clocks) -> None:
    clocks.skew = HOUR
    store = open_store(tmp_path / "new.db", clocks)
    patient = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, patient)
    with store.read() as s:
        [entry] = outbox.pending(s)
    mine = entry.changes["phone"]
    theirs = Versioned("555-0999", Stamp(T0 - HOUR, 0, "office"))
    with store.unit_of_work() as s:
        conflicts.record(s, "patient", patient.id, [Loser("phone", theirs, mine, LossReason.CONFLICT)])
    clocks.exchange(store)
    with store.read() as s:
        [logged] = conflicts.open_conflicts(s)
        [entry] = outbox.pending(s)
    assert logged.winner_stamp == entry.changes["phone"].stamp != mine.stamp
    store.close()


def test_a_measurement_is_ignored_when_the_uptime_clock_went_backwards(
    clocks: Clocks, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "t.db", clocks)
    before = store.device_time.anchor
    assert store.device_time.measured(Reading(10, 0), Reading(5, 0), T0) is None
    assert store.device_time.anchor == before
    store.close()


def test_a_slow_answer_does_not_replace_a_precise_anchor(
    synced: tuple[LocalStore, uuid.UUID], clocks: Clocks
) -> None:
    store, _ = synced
    precise = store.device_time.anchor
    clocks.exchange(store, rtt=8_000)  # half a round trip of error: 4 s
    assert store.device_time.anchor == precise
    clocks.true += 24 * HOUR  # a day later the old anchor may have drifted by up to 8.6 s: take the new one
    clocks.exchange(store, rtt=8_000)
    assert store.device_time.anchor != precise and store.device_time.anchor.error_ms == 4_000
    store.close()
