"""The GUI stays responsive while a fresh tablet pulls a 10,000-patient caseload from the real server.

A QTimer ticks every 10 ms on the GUI thread and records the gap between ticks: a gap is how long a tap
would wait. The sync runs on the worker thread; the bound (50 ms) is what a person does not notice.

Gaps have two causes: another thread of this process holding the GIL (the app's fault), and the machine
not running this process at all (someone else's load: on an oversubscribed machine, a thread holding
the GIL is often descheduled and everyone waits). The process's CPU time during each gap tells them
apart: the part of a gap this process spent computing is always held to the bound; the raw gap too,
unless Linux reports that tasks were waiting for a CPU during more than 10 % of the sync.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from fieldapp import demodata
from fieldapp.app import Device
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Entity, Patient, Visit, data_fields
from fieldapp.qt.controller import SyncController
from fieldapp.qt.reachability import FakeReachability
from fieldapp.server.core import feed
from fieldapp.server.core.pull import wire_fields
from fieldapp.server.models import Assignment, Record
from fieldapp.store import repo
from fieldapp.store.models import ROW_TYPES
from fieldapp.sync.engine import SyncResult
from tests.integration.conftest import LiveServer

PATIENTS = 10_000
VISITS_PER_DAY = 8
MAX_GAP_S = 0.050
TICK_MS = 10
# Share of the sync's time during which some task of the machine waited for a CPU (Linux PSI) above which
# raw gaps measure the machine, not the app: there a thread holding the GIL is often descheduled.
OVERSUBSCRIBED = 0.10


def seed_caseload(live: LiveServer, worker: str, count: int) -> tuple[list[Patient], list[Visit]]:
    """``count`` patients, one visit each, on ``worker``'s caseload, written straight into the server's
    tables as the office's push would leave them (the push path costs ~1 ms a record: 30 s here)."""
    worker_id = live.users[worker]
    patients = list(demodata.patients(count))
    first_day = date.today()
    visits: list[Visit] = []
    for day in range(0, count, VISITS_PER_DAY):
        ids = [p.id for p in patients[day : day + VISITS_PER_DAY]]
        day_of = first_day + timedelta(days=day // VISITS_PER_DAY)
        visits += demodata.visits_for_day(ids, worker_id, day_of, seed=day)
    now, clock = datetime.now(UTC), HybridClock("server0")
    zone = ZoneInfo(live.settings.agency_timezone)
    with live.database.write() as session:
        feed.begin(session)
        numbers = iter(feed.allocate(session, 3 * count))
        rows = [_row(p, next(numbers), now, clock, zone) for p in [*patients, *visits]]
        session.execute(sa.insert(Record), rows)
        session.execute(
            sa.insert(Assignment),
            [
                {"worker_id": worker_id, "patient_id": p.id, "active": True, "seq": next(numbers)}
                | {"changed_at": now, "unassigned_at_ms": None}
                for p in patients
            ],
        )
    return patients, visits


def _row(record: Entity, seq: int, now: datetime, clock: HybridClock, zone: ZoneInfo) -> dict[str, Any]:
    wire = record.model_dump(mode="json")
    names = data_fields(type(record))
    stamp = clock.now().encode()
    row: dict[str, Any] = {
        "id": record.id,
        "entity": record.entity_name,
        "fields": {name: wire[name] for name in names},
        "stamps": dict.fromkeys(names, stamp),
        "bases": {},
        "deleted": None,
        # The feed form every row written by the server carries (see Record.wire).
        "wire": wire_fields({name: wire[name] for name in names}, dict.fromkeys(names, stamp), {}),
        "seq": seq,
        "updated_at": now,
        "parent_id": None,
        "blob_sha256": None,
    }
    if isinstance(record, Visit):
        row |= {"patient_id": record.patient_id, "worker_id": record.worker_id}
        row["day"] = record.scheduled_start.astimezone(zone).date()
    else:
        row |= {"patient_id": record.id, "worker_id": None, "day": None}
    return row


class StallMeter:
    """Records the gaps between ticks of a precise 10 ms timer on the GUI thread, and how much CPU this
    process used during each gap (all threads: the worker, and here the in-process server too)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.busy: list[float] = []
        self._last = self._last_cpu = 0.0

    def start(self) -> None:
        self._last, self._last_cpu = time.perf_counter(), time.process_time()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.gaps.append(now - self._last)
        self.busy.append(min(now - self._last, cpu - self._last_cpu))
        self._last, self._last_cpu = now, cpu

    def percentile(self, p: float) -> float:
        ordered = sorted(self.gaps)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def cpu_pressure_us() -> int | None:
    """Linux PSI: microseconds during which some task of the machine waited for a CPU (None elsewhere)."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return None
    return int(first.rsplit("total=", 1)[1])


def test_the_gui_never_stalls_during_an_initial_sync_of_20000_records(
    live_server: LiveServer, new_device: Callable[..., Device], qtbot: QtBot
) -> None:
    started = time.perf_counter()
    patients, visits = seed_caseload(live_server, "nurse", PATIENTS)
    seeded = time.perf_counter() - started
    tablet = new_device("nurse")
    controller = SyncController(
        lambda: tablet.engine, reachability=FakeReachability("online"), sync_on_start=False
    )
    meter = StallMeter()
    controller.start()
    try:
        pressure_before = cpu_pressure_us()
        meter.start()
        began = time.perf_counter()
        with qtbot.waitSignal(controller.sync_did_finish, timeout=120_000) as finished:
            controller.sync_now()
        duration = time.perf_counter() - began
        qtbot.wait(50)
        meter.stop()
        pressure_after = cpu_pressure_us()
    finally:
        assert controller.stop(timeout_ms=30_000)
    result: SyncResult = finished.args[0]
    worst, worst_busy = max(meter.gaps), max(meter.busy)
    contended = None
    if pressure_before is not None and pressure_after is not None:
        contended = (pressure_after - pressure_before) / 1e6 / duration
    print(
        f"\nseeded {len(patients) + len(visits)} records in {seeded:.1f} s; initial sync {duration:.1f} s; "
        f"GUI ticks {len(meter.gaps)}, gap p50 {meter.percentile(0.5) * 1000:.1f} ms, "
        f"p99 {meter.percentile(0.99) * 1000:.1f} ms, max {worst * 1000:.1f} ms; "
        f"longest gap while this process was busy {worst_busy * 1000:.1f} ms; "
        f"machine CPU pressure {'n/a' if contended is None else f'{contended:.0%}'}"
    )
    assert result.ok, result.error
    assert result.pulled == 2 * PATIENTS and controller.status.pending == 0
    with tablet.store.read() as session:
        count = {e: session.scalar(sa.select(sa.func.count()).select_from(ROW_TYPES[e])) for e in ROW_TYPES}
        assert count["patient"] == count["visit"] == PATIENTS
        assert repo.get(session, Patient, patients[1234].id) == patients[1234]
        assert repo.get(session, Visit, visits[4321].id) == visits[4321]
    # Work in this process (the GIL held by another thread) never kept the GUI waiting 50 ms ...
    assert worst_busy < MAX_GAP_S, f"the GUI thread waited {worst_busy * 1000:.0f} ms for this process's work"
    # ... and on a machine that is not oversubscribed, neither did anything else.
    if worst >= MAX_GAP_S:
        assert contended is not None and contended >= OVERSUBSCRIBED, (
            f"the GUI thread stalled for {worst * 1000:.0f} ms"
        )
        warnings.warn(
            f"raw GUI gaps (max {worst * 1000:.0f} ms) not held to {MAX_GAP_S * 1000:.0f} ms: tasks waited "
            f"for a CPU during {contended:.0%} of the sync (machine oversubscribed)",
            stacklevel=1,
        )
