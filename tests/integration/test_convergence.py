"""Convergence under faults: one real server, three real devices, random edits, syncs, crashes and faults.

A Hypothesis state machine drives an office device and two tablets of the same nurse against the real
server (uvicorn on loopback, SQLite file). Each device is a real profile on disk whose engine talks to
the server through ``FaultyTransport`` (lost requests, lost replies, duplicate deliveries, a user edit
while a cycle runs), with its own clock skew of up to a day, which may also jump while it is offline.
Time itself is simulated: the server and every device read one clock that a rule moves forward by
minutes or hours, so "who wrote later" means something at the scale of real offline work.

At the end every device syncs without faults until nothing moves, and the test checks:
- every replica holds exactly the server's state (values, stamps, bases, tombstones) for every record
  in its scope, so the nurse's two tablets are identical;
- every acknowledged write is the server's current value, or in the server's conflict log, or was
  superseded by a write that knew it; every acknowledged delete left a tombstone;
- no mutation was applied twice (``applied_mutations`` holds exactly the acknowledged ids, and no
  conflict was logged twice), and nothing is stuck in an outbox unless set aside for an expected reason;
- a change stamped with a correct clock keeps its stamp, and a conflict between two correctly stamped
  writes goes to the later one (within the server's clock allowance): a skewed clock never wins.

Size: ``FIELDAPP_CONVERGENCE_EXAMPLES`` and ``FIELDAPP_CONVERGENCE_STEPS`` (or a Hypothesis profile with
more examples) scale it up; the default fits in about a minute on two cores. The test prints how many
examples, steps and writes it ran, which rules ran how often, and how often each fault and outcome
happened.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn
from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy.orm import Session

from fieldapp import __version__
from fieldapp.app import Device, open_device, sign_in
from fieldapp.config import Profile
from fieldapp.domain.clock import HybridClock, Stamp
from fieldapp.domain.devicetime import TimeSources
from fieldapp.domain.entities import Observation, Patient, Visit, VisitNote
from fieldapp.domain.errors import ImmutableError
from fieldapp.domain.values import (
    Address,
    Allergy,
    AllergySeverity,
    CheckEvent,
    EmergencyContact,
    Location,
    LocationKind,
    ObservationKind,
    VisitStatus,
)
from fieldapp.server import migrate
from fieldapp.server.api import create_app
from fieldapp.server.auth import sessions as auth
from fieldapp.server.core import caseload
from fieldapp.server.database import Database
from fieldapp.server.models import AppliedMutation, ConflictEntry, Record
from fieldapp.server.settings import Settings
from fieldapp.store import outbox, repo
from fieldapp.store.local import LocalStore
from fieldapp.store.models import ROW_TYPES, OutboxRow
from fieldapp.store.repo import NotFoundError
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.protocol import Mutation, Role
from tests.integration.conftest import PASSWORD, LiveServer, _ThreadedServer, free_port, watch_of
from tests.integration.faulty import (
    LOST,
    Fault,
    FaultyTransport,
    Planned,
    TransportLog,
    replica_snapshot,
    server_snapshot,
    unaccounted_writes,
)
from tests.server import helpers as h

# 25 examples of up to 40 steps take 35-65 s here. A Hypothesis profile of more than 200 examples
# (HYPOTHESIS_PROFILE, see tests/conftest.py) scales the examples to an eighth of its max_examples; the
# environment variables set both directly.
EXAMPLES = int(os.environ.get("FIELDAPP_CONVERGENCE_EXAMPLES", max(25, settings.default.max_examples // 8)))
STEPS = int(os.environ.get("FIELDAPP_CONVERGENCE_STEPS", 40))

# Shrinking replays examples against real sockets and real time, for many minutes: opt in with
# FIELDAPP_CONVERGENCE_SHRINK=1. Without it a failure is reported with the steps of the example and the
# trace of what each cycle did.
PHASES = (
    [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]
    if os.environ.get("FIELDAPP_CONVERGENCE_SHRINK") == "1"
    else [Phase.explicit, Phase.reuse, Phase.generate]
)

DAY_MS = 24 * 3600 * 1000
MAX_AHEAD_MS = Settings().max_clock_ahead_ms
EPS_MS = 2_000  # offset measurement error and scheduling noise on loopback, with a wide margin
# Changes the server may refuse in this model (the device sets them aside, visible to the user):
EXPECTED_REFUSALS = {
    "not_on_caseload",  # edited after the office took the patient off the caseload
    "unknown_visit",  # a note or vital added to a visit the office deleted meanwhile
}
# Refusals that follow from an earlier change to the same record being set aside: an edit of a record
# whose creation was refused (the server calls it "invalid": the record's fields are missing), or a
# check-out whose check-in was refused (the server validates before it checks the caseload), or an edit
# resting on a refused edit of the same field (its base names a value the server never held; stamps are
# checked first, decision 0014).
DEPENDENT_REFUSALS = {"unknown_record", "invalid", "base_unseen"}

RUN = Counter[str]()  # examples, steps, rules and notable events, printed at the end of the test


_LATER: list[str] = []  # events noted on the engine's prefetch thread, told to Hypothesis on the test's


def _note(label: str) -> None:
    """Count a notable event (for the summary the test prints) and tell Hypothesis about it.

    The engine fetches the next page on a worker thread, and a planned mid-cycle edit runs there; Hypothesis
    only takes events on the thread running the test, so those wait for the next note made on it.
    """
    RUN[f"event {label}"] += 1
    if threading.current_thread() is not threading.main_thread():
        _LATER.append(label)
        return
    while _LATER:
        event(_LATER.pop(0))
    event(label)


# -- simulated time ----------------------------------------------------------------------------------------


class SimClock:
    """Real time plus however far the test moved it: read by the server and (skewed) by every device."""

    def __init__(self) -> None:
        self.advanced_ms = 0

    def ms(self) -> int:
        return time.time_ns() // 1_000_000 + self.advanced_ms

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.ms() / 1000, UTC)


class SimServer(LiveServer):
    """The live server whose office actions (caseload changes) happen at simulated time."""

    clock: SimClock

    def assign(self, worker: str, patient_id: uuid.UUID) -> None:
        with self.writing() as session:
            caseload.assign(session, self.users[worker], patient_id, self.clock.now())

    def unassign(self, worker: str, patient_id: uuid.UUID) -> None:
        with self.writing() as session:
            caseload.unassign(session, self.users[worker], patient_id, self.clock.now())


def start_server(url: str, port: int, clock: SimClock) -> tuple[_ThreadedServer, threading.Thread]:
    """``conftest.start_server`` with the server's clock set to the simulated one."""
    app = create_app(Settings(database_url=url, heartbeat_s=1.0), migrate_schema=False, clock=clock.now)
    server = _ThreadedServer(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.01)
    return server, thread


# -- devices -----------------------------------------------------------------------------------------------


@dataclass
class Tablet:
    """One device profile: the opened device, its clock skew, and what crossed its transport."""

    name: str
    username: str
    profile: Profile
    skew_ms: int  # its wall clock minus true time; the uptime clock counts true time since boot
    device: Device | None = None
    faulty: FaultyTransport | None = None
    log: TransportLog = field(default_factory=TransportLog)
    boots: int = 1
    booted_ms: int = 0

    @property
    def opened(self) -> Device:
        assert self.device is not None
        return self.device

    @property
    def store(self) -> LocalStore:
        return self.opened.store

    def sources(self, clock: SimClock) -> TimeSources:
        """The tablet's clocks: a wall clock that is off (and jumps), an uptime clock that never jumps."""
        return TimeSources(
            lambda: clock.ms() + self.skew_ms,
            lambda: clock.ms() - self.booted_ms,
            lambda: f"boot-{self.boots}",
        )


@dataclass(frozen=True, slots=True)
class Write:
    """A change made on a device, as the test saw it leave the write path."""

    device: str
    mutation_id: uuid.UUID
    entity: str
    record_id: uuid.UUID
    true_ms: int
    stamp: Stamp
    deleted: bool
    provisional: bool  # dated on a lower bound after a reboot, to be corrected at the next exchange

    @property
    def clock_ok(self) -> bool:
        """Stamped near real time on an exact timeline (at most the server's allowance ahead via the HLC)."""
        near = self.true_ms - EPS_MS <= self.stamp.wall_ms <= self.true_ms + MAX_AHEAD_MS - EPS_MS
        return near and not self.provisional


# -- realistic values ----------------------------------------------------------------------------------------

CARE_PLANS = (
    "Wound care twice weekly; check dressing for exudate",
    "Insulin teaching; review glucose log each visit",
    "Fall-risk assessment; physiotherapy exercises daily",
    "Medication reconciliation after hospital discharge",
    "Palliative comfort care; pain score every visit",
)
FAMILY_NAMES = ("Okafor", "Lindqvist", "Nakamura", "Moreau", "Delgado", "O'Brien")
CITIES = ("Springfield", "Riverton", "Lakeside", "Fairview")
SUBSTANCES = ("Penicillin", "Latex", "Sulfa drugs", "Peanuts", "Codeine")
SERVICE_CODES = ("G0156", "G0299", "T1019", "S9123")


def _phone() -> st.SearchStrategy[str]:
    return st.integers(100, 9999).map(lambda n: f"555-{n:04d}")


PATIENT_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "phone": _phone(),
    "care_plan": st.sampled_from(CARE_PLANS),
    "family_name": st.sampled_from(FAMILY_NAMES),
    "active": st.booleans(),
    "allergies": st.lists(
        st.builds(
            Allergy,
            substance=st.sampled_from(SUBSTANCES),
            reaction=st.sampled_from(("rash", "hives", "anaphylaxis", "")),
            severity=st.sampled_from(AllergySeverity),
        ),
        max_size=2,
    ).map(tuple),
    "address": st.builds(
        Address,
        line1=st.integers(1, 999).map(lambda n: f"{n} Elm Street"),
        city=st.sampled_from(CITIES),
        postal_code=st.integers(10000, 99999).map(str),
    ),
    "emergency_contact": st.builds(
        EmergencyContact,
        name=st.sampled_from(("Maria Okafor", "Tom Lindqvist", "Ana Delgado")),
        relationship=st.sampled_from(("daughter", "son", "spouse", "neighbour")),
        phone=_phone(),
    ),
}
VISIT_FIELDS = ("status", "service_code", "scheduled_end", "check_in", "check_out")


def _visit_change(visit: Visit, name: str, data: st.DataObject) -> dict[str, Any]:
    """A realistic change of one visit field that keeps any merge of visit edits valid."""
    start = visit.scheduled_start
    if name == "status":
        return {"status": data.draw(st.sampled_from(VisitStatus))}
    if name == "service_code":
        return {"service_code": data.draw(st.sampled_from(SERVICE_CODES))}
    if name == "scheduled_end":
        return {"scheduled_end": start + timedelta(minutes=data.draw(st.integers(30, 180)))}
    # Check-ins fall in the visit's first 10 minutes and check-outs after 50, so whatever mix of
    # concurrent check-in and check-out edits wins, the merged visit stays valid.
    if name == "check_in" or visit.check_in is None:
        moment = start + timedelta(minutes=data.draw(st.integers(0, 10)))
        return {"check_in": _event(moment, data)}
    moment = start + timedelta(minutes=data.draw(st.integers(50, 70)))
    return {"check_out": _event(moment, data)}


def _event(moment: datetime, data: st.DataObject) -> CheckEvent:
    gps = data.draw(st.booleans())
    location = (
        Location(kind=LocationKind.GPS, latitude=40.71, longitude=-74.0, accuracy_m=12.0)
        if gps
        else Location(kind=LocationKind.HOME)
    )
    return CheckEvent(device_time=moment, server_time=moment, location=location)


def _observation(visit: Visit, data: st.DataObject) -> Observation:
    kind, unit, value = data.draw(
        st.sampled_from(
            (
                (ObservationKind.HEART_RATE, "/min", 72.0),
                (ObservationKind.SYSTOLIC_BP, "mmHg", 128.0),
                (ObservationKind.TEMPERATURE, "Cel", 37.2),
                (ObservationKind.OXYGEN_SATURATION, "%", 96.0),
                (ObservationKind.PAIN_SCORE, "{score}", 3.0),
            )
        )
    )
    return h.observation(visit, kind=kind, unit=unit, value=value)


# -- the state machine ---------------------------------------------------------------------------------------


@dataclass
class World:
    """What lives for the whole test function: a template server database with the users."""

    root: Path
    template: Path
    users: dict[str, uuid.UUID]


class Convergence(RuleBasedStateMachine):
    world: World  # set by the test function before running

    def __init__(self) -> None:
        super().__init__()
        RUN["examples"] += 1
        self.clock = SimClock()
        self.folder = Path(self._mkdtemp())
        db = self.folder / "server.db"
        shutil.copyfile(self.world.template, db)
        self.url = f"sqlite:///{db}"
        self.port = free_port()
        self.server: _ThreadedServer | None = None
        self.thread: threading.Thread | None = None
        self._start()
        self.live = SimServer(
            f"http://127.0.0.1:{self.port}", Database(self.url), Settings(database_url=self.url)
        )
        self.live.users = dict(self.world.users)
        self.live.clock = self.clock
        self.live.watch = watch_of(self.server) if self.server else None
        self.order: dict[uuid.UUID, int] = {}  # record -> creation index, for deterministic choices
        self.writes: dict[uuid.UUID, Write] = {}
        self.assigned: set[uuid.UUID] = set()
        self.tablets: dict[str, Tablet] = {}
        self.trace: list[str] = []  # what this example did, for failure messages
        self.restarts = 0
        for name, username in (("office", "office"), ("tab_a", "nurse"), ("tab_b", "nurse")):
            tablet = Tablet(
                name, username, Profile.at(self.folder / name), skew_ms=0, booted_ms=self.clock.ms()
            )
            self.tablets[name] = tablet
            device = open_device(tablet.profile, self.live.url, sources=tablet.sources(self.clock))
            sign_in(device, username, PASSWORD)
            tablet.device = device
            self._attach(tablet)

    # -- set-up helpers ------------------------------------------------------------------------------------

    def _mkdtemp(self) -> str:
        folder = self.world.root / f"example-{RUN['examples']}"
        folder.mkdir(parents=True, exist_ok=False)
        return str(folder)

    def _start(self) -> None:
        self.server, self.thread = start_server(self.url, self.port, self.clock)
        if hasattr(self, "live"):  # a restart: the new process's watch hears the office's writes
            self.live.watch = watch_of(self.server)

    def _stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(15)
            assert not self.thread.is_alive(), "the server did not stop"
        self.server = self.thread = None

    def _attach(self, tablet: Tablet) -> None:
        """Put the fault layer between the device's engine and its transport."""
        device = tablet.opened
        faulty = FaultyTransport(device.transport)
        faulty.log = tablet.log
        device.engine = SyncEngine(device.store, faulty, device.blobs, app_version=__version__)
        tablet.faulty = faulty

    def _reopen(self, tablet: Tablet) -> None:
        tablet.opened.close()
        # from disk: the profile's settings and the keyring
        tablet.device = open_device(tablet.profile, sources=tablet.sources(self.clock))
        self._attach(tablet)

    # -- reading ---------------------------------------------------------------------------------------------

    def _live_ids(self, tablet: Tablet, entity: str) -> list[uuid.UUID]:
        table = ROW_TYPES[entity]
        with tablet.store.read() as s:
            ids = set(s.scalars(sa.select(table.id).where(table.deleted.is_(None))))
        return sorted(ids, key=lambda i: self.order.get(i, -1))

    def _pick(self, data: st.DataObject, tablet: Tablet, entity: str) -> uuid.UUID | None:
        ids = self._live_ids(tablet, entity)
        return data.draw(st.sampled_from(ids), label=entity) if ids else None

    # -- writing ---------------------------------------------------------------------------------------------

    def _write(self, tablet: Tablet, action: Callable[[Session, HybridClock], object]) -> None:
        """Run one local write and note each mutation it queued, with its stamp and the real time."""
        true_ms = self.clock.ms()
        try:
            self._queue(tablet, action, true_ms)
        except (NotFoundError, ImmutableError) as refusal:
            # The write path refused (a visit of a patient deleted here, say): nothing was saved or queued.
            _note(f"refused on the tablet: {type(refusal).__name__}")
            self.trace.append(f"  {tablet.name} could not write: {refusal}")
            return
        RUN["writes"] += 1
        self.trace.append(f"  {tablet.name} wrote {len(self.writes)} mutations so far")

    def _queue(self, tablet: Tablet, action: Callable[[Session, HybridClock], object], true_ms: int) -> None:
        store = tablet.store
        with store.unit_of_work() as s:
            before = s.scalar(sa.select(sa.func.max(OutboxRow.seq))) or 0
            action(s, store.clock)
            for row in s.scalars(sa.select(OutboxRow).where(OutboxRow.seq > before)):
                stamps = {c["s"] for c in row.changes.values()} | ({row.deleted} if row.deleted else set())
                [stamp] = stamps
                self.writes[row.mutation_id] = Write(
                    tablet.name,
                    row.mutation_id,
                    row.entity,
                    row.record_id,
                    true_ms,
                    Stamp.decode(stamp),
                    row.deleted is not None,
                    row.epoch is not None,
                )

    def _planned_edit(self, tablet: Tablet, data: st.DataObject) -> Callable[[], None] | None:
        """Draw an edit of a record the device holds; returns it as a callable (None: nothing to edit)."""
        entity = data.draw(st.sampled_from(("patient", "patient", "visit", "visit", "observation")))
        record_id = self._pick(data, tablet, entity)
        if record_id is None:
            return None
        if entity == "patient":
            name = data.draw(st.sampled_from(sorted(PATIENT_FIELDS)))
            changes = {name: data.draw(PATIENT_FIELDS[name], label=name)}
            cls: type[Any] = Patient
        elif entity == "visit":
            with tablet.store.read() as s:
                visit = repo.get(s, Visit, record_id)
            assert visit is not None
            changes = _visit_change(visit, data.draw(st.sampled_from(VISIT_FIELDS)), data)
            cls = Visit
        else:
            changes = {"entered_in_error": data.draw(st.booleans())}
            cls = Observation
        _note(f"edit {entity}")

        def edit() -> None:
            self._write(tablet, lambda s, c: repo.update(s, c, cls, record_id, changes))

        return edit

    # -- rules -----------------------------------------------------------------------------------------------

    def _step(self, name: str, detail: str = "") -> None:
        RUN["steps"] += 1
        RUN[f"rule {name}"] += 1
        self.trace.append(f"{name} {detail}".strip())

    @initialize(
        data=st.data(),
        skews=st.lists(st.integers(-DAY_MS, DAY_MS), min_size=3, max_size=3),
        patients=st.integers(1, 3),
    )
    def a_working_day_begins(self, data: st.DataObject, skews: list[int], patients: int) -> None:
        """Each device's clock is off by up to a day. The office registers patients with their visits
        and puts them on the nurse's caseload, and every device syncs once, without faults."""
        for name, skew in zip(sorted(self.tablets), skews, strict=True):
            self.tablets[name].skew_ms = skew
        self._step("a_working_day_begins", f"skews {skews}")
        registered = [self._register(data, visits=2) for _ in range(patients)]
        self._cycle(self.tablets["office"], [])
        for patient_id in registered:
            self.live.assign("nurse", patient_id)
            self.assigned.add(patient_id)
        for name in ("tab_a", "tab_b"):
            self._cycle(self.tablets[name], [])

    @rule(data=st.data(), visits=st.integers(0, 2))
    def office_registers_patient(self, data: st.DataObject, visits: int) -> None:
        self._step("office_registers_patient")
        self._register(data, visits)

    def _register(self, data: st.DataObject, visits: int) -> uuid.UUID:
        office = self.tablets["office"]
        patient = h.patient(
            family_name=data.draw(st.sampled_from(FAMILY_NAMES)),
            care_plan=data.draw(st.sampled_from(CARE_PLANS)),
        )
        day = datetime.now(UTC).replace(hour=8, minute=0, second=0, microsecond=0)
        records: list[Any] = [patient]
        for n in range(visits):
            records.append(h.visit(patient.id, self.live.users["nurse"], start=day + timedelta(hours=2 * n)))
        for record in records:
            self.order[record.id] = len(self.order)
            self._write(office, partial(_add, record=record))
        return patient.id

    @rule(data=st.data())
    def office_schedules_visit(self, data: st.DataObject) -> None:
        self._step("office_schedules_visit")
        office = self.tablets["office"]
        patient_id = self._pick(data, office, "patient")
        if patient_id is None:
            return
        start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(
            hours=data.draw(st.integers(1, 48))
        )
        visit = h.visit(patient_id, self.live.users["nurse"], start=start)
        self.order[visit.id] = len(self.order)
        self._write(office, lambda s, c: repo.add(s, c, visit))

    @rule(data=st.data())
    def office_assigns(self, data: st.DataObject) -> None:
        self._step("office_assigns")
        with self.live.database.read() as s:
            patients = set(s.scalars(sa.select(Record.id).where(Record.entity == "patient")))
        choices = sorted(patients - self.assigned, key=lambda i: self.order.get(i, -1))
        if choices:
            patient_id = data.draw(st.sampled_from(choices))
            self.live.assign("nurse", patient_id)
            self.assigned.add(patient_id)

    @rule(data=st.data())
    def office_unassigns(self, data: st.DataObject) -> None:
        self._step("office_unassigns")
        choices = sorted(self.assigned, key=lambda i: self.order.get(i, -1))
        if choices:
            patient_id = data.draw(st.sampled_from(choices))
            self.live.unassign("nurse", patient_id)
            self.assigned.discard(patient_id)

    # Edits and syncs have a rule per device, so they come up more often than the office's actions.

    @rule(data=st.data())
    def office_edits(self, data: st.DataObject) -> None:
        self._edit("office", data)

    @rule(data=st.data())
    def tab_a_edits(self, data: st.DataObject) -> None:
        self._edit("tab_a", data)

    @rule(data=st.data())
    def tab_b_edits(self, data: st.DataObject) -> None:
        self._edit("tab_b", data)

    def _edit(self, name: str, data: st.DataObject) -> None:
        self._step("edit", name)
        action = self._planned_edit(self.tablets[name], data)
        if action is not None:
            action()

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        tablet = self.tablets[data.draw(st.sampled_from(sorted(self.tablets)))]
        self._step("delete", tablet.name)
        entity = data.draw(st.sampled_from(("visit", "visit", "patient")))
        record_id = self._pick(data, tablet, entity)
        if record_id is None:
            return
        cls: type[Any] = Visit if entity == "visit" else Patient
        _note(f"delete {entity}")
        self._write(tablet, lambda s, c: repo.delete(s, c, cls, record_id))

    @rule(data=st.data())
    def add_note_or_vital(self, data: st.DataObject) -> None:
        tablet = self.tablets[data.draw(st.sampled_from(sorted(self.tablets)))]
        self._step("add_note_or_vital", tablet.name)
        visit_id = self._pick(data, tablet, "visit")
        if visit_id is None:
            return
        with tablet.store.read() as s:
            visit = repo.get(s, Visit, visit_id)
        assert visit is not None
        author = self.live.users[tablet.username]
        record: VisitNote | Observation
        if data.draw(st.booleans()):
            record = h.note(visit, author, text=data.draw(st.sampled_from(CARE_PLANS)))
        else:
            record = _observation(visit, data)
        self.order[record.id] = len(self.order)
        _note(f"add {record.entity_name}")
        self._write(tablet, lambda s, c: repo.add(s, c, record))

    @rule(data=st.data())
    def office_syncs(self, data: st.DataObject) -> None:
        self._sync("office", data)

    @rule(data=st.data())
    def tab_a_syncs(self, data: st.DataObject) -> None:
        self._sync("tab_a", data)

    @rule(data=st.data())
    def tab_b_syncs(self, data: st.DataObject) -> None:
        self._sync("tab_b", data)

    def _sync(self, name: str, data: st.DataObject) -> None:
        """One cycle with drawn faults, and perhaps the user editing between its push and its pull."""
        self._step("sync", name)
        tablet = self.tablets[name]
        faults = data.draw(
            st.lists(
                st.builds(
                    Planned,
                    st.sampled_from((Fault.NONE, Fault.LOSE_REQUEST, Fault.LOSE_REPLY, Fault.DUPLICATE)),
                    st.sampled_from((None, "push", "pull")),
                ),
                max_size=3,
            ),
            label="faults",
        )
        if data.draw(st.booleans(), label="user edits while the cycle runs"):
            edit = self._planned_edit(tablet, data)
            if edit is not None:
                faults.append(Planned(Fault.NONE, "pull", before=edit))
                _note("edit during a cycle")
        self._cycle(tablet, faults)

    def _cycle(self, tablet: Tablet, faults: list[Planned]) -> None:
        assert tablet.faulty is not None
        tablet.faulty.clear()
        tablet.faulty.plan(*faults)
        calls_before = len(tablet.log.calls)
        result = tablet.opened.engine.run()
        tablet.faulty.clear()
        calls = tablet.log.calls[calls_before:]
        self.trace.append(
            f"  {tablet.name} cycle {[f'{c}:{f}' for c, f in calls]} -> pushed {result.pushed} rejected "
            f"{result.rejected} pulled {result.pulled} evicted {result.evicted} error {result.error}"
        )
        for fault in {f for _, f in calls}:
            _note(f"fault {fault}")
        if any(f in (Fault.LOSE_REQUEST, Fault.LOSE_REPLY) for _, f in calls):
            assert result.error in (None, LOST), self._story(result.error)
        else:  # duplicates and edits during the cycle must be invisible to the user
            assert result.ok, self._story(result.error)
        _note("cycle ok" if result.ok else "cycle failed")

    def _story(self, message: object) -> str:
        return f"{message}\nthis example so far:\n  " + "\n  ".join(self.trace)

    @rule(data=st.data())
    def device_crashes(self, data: st.DataObject) -> None:
        """Close the store and open it again from disk, optionally right after the server committed."""
        tablet = self.tablets[data.draw(st.sampled_from(sorted(self.tablets)))]
        self._step("device_crashes", tablet.name)
        mid_cycle = data.draw(
            st.sampled_from((None, "push", "pull")), label="crash after the server answered"
        )
        if mid_cycle is not None:
            self._cycle(tablet, [Planned(Fault.LOSE_REPLY, mid_cycle)])
            _note(f"crash after a {mid_cycle} reached the server")
        self._reopen(tablet)

    @precondition(lambda self: self.restarts < 3)  # Hypothesis favours argument-free rules; keep it rare
    @rule()
    def server_restarts(self) -> None:
        self._step("server_restarts")
        self.restarts += 1
        self._stop()
        self._start()

    @rule(minutes=st.sampled_from((1, 5, 20, 90, 6 * 60)))
    def time_passes(self, minutes: int) -> None:
        self._step("time_passes", f"{minutes} min")
        if self.clock.advanced_ms < 5 * DAY_MS:  # well inside the refresh tokens' 30 days
            self.clock.advanced_ms += minutes * 60_000

    @rule(data=st.data(), off_minutes=st.sampled_from((0, 1, 30, 240)))
    def tablet_reboots(self, data: st.DataObject, off_minutes: int) -> None:
        """A tablet is switched off (for a while) and on again: a new boot, an uptime clock from zero."""
        tablet = self.tablets[data.draw(st.sampled_from(("tab_a", "tab_b")))]
        self._step("tablet_reboots", f"{tablet.name} off {off_minutes} min")
        tablet.opened.close()
        if self.clock.advanced_ms < 5 * DAY_MS:
            self.clock.advanced_ms += off_minutes * 60_000
        tablet.boots += 1
        tablet.booted_ms = self.clock.ms()
        tablet.device = open_device(tablet.profile, sources=tablet.sources(self.clock))
        self._attach(tablet)

    @rule(data=st.data(), skew_h=st.integers(-24, 24))
    def clock_jumps(self, data: st.DataObject, skew_h: int) -> None:
        """A tablet's clock is set wrong (or right again); it only learns so at its next exchange."""
        tablet = self.tablets[data.draw(st.sampled_from(sorted(self.tablets)))]
        tablet.skew_ms = skew_h * 3600_000 + data.draw(st.integers(-59_000, 59_000))
        self._step("clock_jumps", f"{tablet.name} {tablet.skew_ms} ms")

    # -- the end ---------------------------------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            if sys.exc_info()[0] is None:  # a rule failed: report that, not what follows from it
                self._quiesce()
                self._check()
        finally:
            for tablet in self.tablets.values():
                if tablet.device is not None:
                    tablet.device.close()
            self._stop()
            self.live.database.dispose()

    def _quiesce(self) -> None:
        """Sync every device without faults until a whole round moves nothing."""
        if self.server is None:
            self._start()
        for round_ in range(8):
            moved = 0
            for name in sorted(self.tablets):
                tablet = self.tablets[name]
                assert tablet.faulty is not None
                tablet.faulty.clear()
                result = tablet.opened.engine.run()
                assert result.ok, f"{name}: {result.error}"
                moved += result.pushed + result.pulled + result.evicted + result.rejected
            if moved == 0:
                _note(f"quiet after {round_ + 1} rounds")
                return
        pytest.fail("the devices did not converge within 8 fault-free rounds")

    def _check(self) -> None:
        server_rows, active, applied, conflict_rows = self._server_state()
        acknowledged: dict[uuid.UUID, Mutation] = {}
        refused: dict[uuid.UUID, str] = {}
        for tablet in self.tablets.values():
            acknowledged.update(tablet.log.acknowledged)
            refused.update({m: r.code for m, r in tablet.log.refused.items()})

        # Nothing stuck; what was set aside was refused for a reason this model expects.
        set_aside: dict[str, dict[uuid.UUID, set[str]]] = {}
        for name, tablet in self.tablets.items():
            with tablet.store.read() as s:
                assert outbox.pending_count(s) == 0, f"{name} has changes stuck in its outbox"
                aside: dict[uuid.UUID, set[str]] = {}
                rejected = outbox.rejected(s)
                for entry, reason in rejected:
                    code = refused.get(entry.mutation_id)
                    follows = any(e.record_id == entry.record_id and e.seq < entry.seq for e, _ in rejected)
                    allowed = code in EXPECTED_REFUSALS or (code in DEPENDENT_REFUSALS and follows)
                    assert allowed, f"{name} set aside {entry} ({code}: {reason})"
                    _note(f"set aside: {code}")
                    stamps = {v.stamp.encode() for v in entry.changes.values()}
                    if entry.deleted:
                        stamps.add(entry.deleted.encode())
                    aside.setdefault(entry.record_id, set()).update(stamps)
                    assert entry.mutation_id not in acknowledged
            set_aside[name] = aside

        # Every change made was acknowledged or set aside; none was applied twice or went missing.
        made = set(self.writes)
        assert made <= set(acknowledged) | {m for a in self._rejected_ids().values() for m in a}
        assert set(applied) == set(acknowledged), "applied mutations differ from the acknowledged ones"
        assert len(applied) == len(set(applied))
        logged = Counter(
            (c.record_id, c.field, c.lost_stamp, c.reason, c.winner_stamp) for c in conflict_rows
        )
        assert not [k for k, n in logged.items() if n > 1], "a conflict was logged twice (applied twice?)"

        # Replicas equal the server in their scope; the nurse's two tablets are identical.
        replicas: dict[str, dict[uuid.UUID, Any]] = {}
        for name, tablet in self.tablets.items():
            local = replica_snapshot(tablet.store)
            skipped = {
                rid
                for rid, stamps in set_aside[name].items()
                if rid in local and stamps & _stamps_of(local[rid])
            }
            scope = {
                rid: state
                for rid, (patient_id, state) in server_rows.items()
                if tablet.username == "office" or patient_id in active
            }
            mine = {rid: st for rid, st in local.items() if rid not in skipped}
            expected = {rid: st for rid, st in scope.items() if rid not in skipped}
            missing, extra = set(expected) - set(mine), set(mine) - set(expected)
            assert not missing, f"{name} lacks {len(missing)} records the server has in its scope: {missing}"
            assert not extra, f"{name} holds {len(extra)} records the server does not give it: {extra}"
            for rid, state in expected.items():
                assert mine[rid] == state, f"{name} differs from the server on {rid}:\n{mine[rid]}\n{state}"
            replicas[name] = mine
        shared = set(replicas["tab_a"]) & set(replicas["tab_b"])
        assert all(replicas["tab_a"][r] == replicas["tab_b"][r] for r in shared)

        # Every acknowledged write survives, or is logged as lost, or was superseded knowingly.
        lost_writes = unaccounted_writes(acknowledged.values(), server_rows, conflict_rows)
        assert not lost_writes, "\n".join(lost_writes)

        # Clocks: a change stamped correctly keeps its stamp; conflicts between correctly stamped writes
        # go to the later one (within the allowance the server grants clocks ahead of it).
        by_stamp: dict[str, Write] = {}
        for mutation_id, write in self.writes.items():
            sent = acknowledged.get(mutation_id)
            if sent is None:
                continue
            final = {c.s for c in sent.changes.values()} | ({sent.deleted} if sent.deleted else set())
            if write.clock_ok:
                assert final == {write.stamp.encode()}, (
                    f"{write.device} wrote {write.entity} with a correct clock at {write.stamp}, "
                    f"but it reached the server re-stamped {final}"
                )
            _note("write stamped " + ("correctly" if write.clock_ok else "with a wrong clock"))
            for stamp in final:
                by_stamp[stamp] = write
        for tablet in self.tablets.values():
            for rejection in tablet.log.refused.values():
                _note(f"refused by the server: {rejection.code}")
        for conflict in conflict_rows:
            _note(f"server logged a loser: {conflict.reason}")
            if conflict.reason != "conflict" or conflict.winner_stamp is None:
                continue
            winner, loser = by_stamp.get(conflict.winner_stamp), by_stamp.get(conflict.lost_stamp)
            if winner and loser and winner.clock_ok and loser.clock_ok:
                assert winner.true_ms >= loser.true_ms - MAX_AHEAD_MS - 2 * EPS_MS, (
                    f"{winner.device}'s write at {winner.true_ms} beat {loser.device}'s later write at "
                    f"{loser.true_ms} on {conflict.entity}.{conflict.field}"
                )

    def _rejected_ids(self) -> dict[str, set[uuid.UUID]]:
        found: dict[str, set[uuid.UUID]] = {}
        for name, tablet in self.tablets.items():
            with tablet.store.read() as s:
                found[name] = {entry.mutation_id for entry, _ in outbox.rejected(s)}
        return found

    def _server_state(
        self,
    ) -> tuple[dict[uuid.UUID, tuple[uuid.UUID | None, Any]], set[uuid.UUID], list[uuid.UUID], list[Any]]:
        node_ids = {t.store.node_id for t in self.tablets.values()}
        with self.live.database.read() as s:
            rows = server_snapshot(s)
            active = set(caseload.caseload(s, self.live.users["nurse"]))
            applied = list(
                s.scalars(
                    sa.select(AppliedMutation.mutation_id).where(AppliedMutation.device_id.in_(node_ids))
                )
            )
            conflicts = list(s.scalars(sa.select(ConflictEntry)))
        assert active == self.assigned
        return rows, active, applied, conflicts


def _add(session: Session, clock: HybridClock, record: Any) -> object:
    return repo.add(session, clock, record)


def _stamps_of(state: Any) -> set[str]:
    fields, deleted = state
    return {stamp for _, stamp, _ in fields.values()} | ({deleted} if deleted else set())


# -- the test ------------------------------------------------------------------------------------------------


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    template = tmp_path / "template.db"
    database = Database(f"sqlite:///{template}")
    migrate.upgrade(database.engine)
    users = {}
    with database.write() as session:
        for name, role in (("office", Role.OFFICE), ("nurse", Role.WORKER), ("aide", Role.WORKER)):
            users[name] = auth.create_user(session, name, PASSWORD, role, datetime.now(UTC)).id
    database.dispose()
    yield World(tmp_path / "examples", template, users)


@pytest.mark.slow
@pytest.mark.timeout(max(300, EXAMPLES * STEPS))  # about a second a step, worst case, when scaled up
def test_devices_converge_under_faults(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    Convergence.world = world
    RUN.clear()
    started = time.monotonic()
    try:
        run_state_machine_as_test(
            Convergence,
            settings=settings(
                max_examples=EXAMPLES,
                stateful_step_count=STEPS,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                phases=PHASES,
            ),
        )
    finally:
        elapsed = time.monotonic() - started
        rules = ", ".join(f"{k[5:]} {n}" for k, n in sorted(RUN.items()) if k.startswith("rule "))
        events = ", ".join(f"{k[6:]} {n}" for k, n in sorted(RUN.items()) if k.startswith("event "))
        with capsys.disabled():
            print(
                f"\nconvergence: {RUN['examples']} examples, {RUN['steps']} steps, {RUN['writes']} writes "
                f"in {elapsed:.1f} s\n  rules: {rules}\n  events: {events}"
            )
