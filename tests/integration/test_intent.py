"""The intent oracle: after everything syncs, every field holds the edit made LAST IN TRUE TIME.

Convergence alone is not enough: replicas can all agree on the wrong value (issue 13: a tablet whose wall
clock jumped hours ahead while offline kept beating later edits, and the convergence test stayed green).
This Hypothesis state machine simulates true time and checks intent, not only agreement.

The world: the real server code (``services.sync`` on a real SQLite database, reached in process through
``ServiceTransport``, see inprocess.py) and three real device stores on disk running the real sync engine:
two tablets of one nurse and an office device; the office also edits through its web pages
(``services.office_edits``, stamped by the server's clock). Requests take up to 300 ms each way.

Each tablet has three clocks, as real ones do: a wall clock that is off and jumps (forwards, backwards,
by up to a day and a half); an uptime clock that counts from boot and drifts (up to 20 ppm); and a boot
identity. Rules: edits (each writes a value never written before, so a value names its edit), syncs with
lost requests, lost replies and duplicate deliveries, time passing (up to 8 hours), wall-clock jumps,
reboots (with the tablet off for a while), app restarts.

After a fault-free quiesce the test checks, for every field:
- **intent**: the value held everywhere is that of the edit made last in true time, within the tolerance
  of both edits (the offset measurement's error, half a round trip, plus the uptime clock's drift since
  the anchor): an edit made later never loses, except an *uncertain* one (made after a reboot on a tablet
  that rebooted again before any exchange), which may lose to edits made after its lower bound and
  never beats an edit made after it (decision 0013);
- **stamps mean real time**: an edit's stamp is the moment it was made, in server time, within its
  tolerance; an uncertain one is never later than it was made;
- **losses are seen**: every value that lost without any later edit having been made on top of it is in
  the server's conflict log, and (for a tablet's value) in that tablet's own conflict log;
- **agreement**: every replica holds exactly the server's state.

Size: ``FIELDAPP_INTENT_EXAMPLES`` x up to ``FIELDAPP_INTENT_STEPS`` (default 24 x 50: about 1,050 steps in
17 s, CI). The issue's full run is 10,000 steps or more: ``FIELDAPP_INTENT_EXAMPLES=230`` (10,032 steps in
13.6 minutes on a machine loaded by other work; about a third of that on an idle one). The test
prints what it ran and how often each notable thing happened.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from fieldapp.domain.clock import Stamp
from fieldapp.domain.devicetime import TimeSources
from fieldapp.domain.entities import Patient
from fieldapp.server import migrate
from fieldapp.server.auth import sessions as auth
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import caseload, office_edits
from fieldapp.server.database import Database
from fieldapp.server.models import ConflictEntry, Record
from fieldapp.server.settings import Settings
from fieldapp.store import conflicts, repo
from fieldapp.store.local import LocalStore
from fieldapp.store.models import OutboxRow
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.protocol import LoginRequest, Role
from tests.integration.faulty import (
    Fault,
    FaultyTransport,
    Planned,
    TransportLog,
    replica_snapshot,
    server_snapshot,
)
from tests.integration.inprocess import ServiceTransport, SimTime
from tests.server import helpers as h

EXAMPLES = int(os.environ.get("FIELDAPP_INTENT_EXAMPLES", 24))
STEPS = int(os.environ.get("FIELDAPP_INTENT_STEPS", 50))
PHASES = (
    [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink]
    if os.environ.get("FIELDAPP_INTENT_SHRINK") == "1"
    else [Phase.explicit, Phase.reuse, Phase.generate]
)

START_MS = int(datetime(2026, 12, 1, 7, 0, tzinfo=UTC).timestamp() * 1000)
HOUR = 3_600_000
PASSWORD = "correct horse battery"
FIELDS = ("phone", "care_plan")
TABLETS = ("tab_a", "tab_b")
BASE_TOLERANCE_MS = 320  # half the longest round trip (300 ms each way) plus rounding
RUN = Counter[str]()


# -- the world -----------------------------------------------------------------------------------------------


@dataclass
class Templates:
    """Made once per test: a migrated server database with users and devices, and a fresh device store."""

    root: Path
    server: Path
    store: Path
    users: dict[str, uuid.UUID]
    nodes: dict[str, str]


@dataclass
class Tablet:
    """One device: its store and engine, its clocks, and what crossed its transport."""

    name: str
    path: Path
    principal: Principal
    skew_ms: int = 0
    ppm: int = 0
    booted_ms: int = 0
    boot: int = 1
    store: LocalStore | None = None
    engine: SyncEngine | None = None
    faulty: FaultyTransport | None = None
    log: TransportLog = field(default_factory=TransportLog)
    this_boot: list[int] = field(default_factory=list)  # edits made in this boot (indexes)
    anchors: list[int] = field(default_factory=list)  # true times of its exact anchors, as measured

    def sources(self, time_: SimTime) -> TimeSources:
        return TimeSources(
            lambda: time_.ms + self.skew_ms,
            lambda: (time_.ms - self.booted_ms) * (1_000_000 + self.ppm) // 1_000_000,
            lambda: f"boot-{self.boot}",
        )

    @property
    def opened(self) -> LocalStore:
        assert self.store is not None
        return self.store


@dataclass
class Edit:
    """One edit of one field, as the oracle knows it."""

    index: int
    device: str  # a tablet's name, "office", or "web"
    record_id: uuid.UUID
    name: str
    value: str
    true_ms: int
    tolerance_ms: int
    mutation_id: uuid.UUID | None = None
    provisional: bool = False
    uncertain: bool = False
    stamp: str | None = None  # final stamp (known after the quiesce)
    base: str | None = None


class Intent(RuleBasedStateMachine):
    templates: Templates  # set by the test function

    def __init__(self) -> None:
        super().__init__()
        RUN["examples"] += 1
        self.folder = self.templates.root / f"example-{RUN['examples']}"
        self.folder.mkdir(parents=True)
        server_file = self.folder / "server.db"
        shutil.copyfile(self.templates.server, server_file)
        self.database = Database(f"sqlite:///{server_file}")
        self.settings = Settings(database_url=f"sqlite:///{server_file}")
        self.time = SimTime(START_MS)
        self.rng = random.Random(RUN["examples"])
        self.edits: list[Edit] = []
        self.patients: list[uuid.UUID] = []
        self.counter = 0
        users = self.templates.users
        self.web = Principal(users["office"], "office", Role.OFFICE, "officeweb", uuid.uuid4())
        self.tablets: dict[str, Tablet] = {}
        for name, user, role in (
            ("office", "office", Role.OFFICE),
            *((t, "nurse", Role.WORKER) for t in TABLETS),
        ):
            principal = Principal(users[user], user, role, self.templates.nodes[name], uuid.uuid4())
            tablet = Tablet(name, self.folder / f"{name}.db", principal, booted_ms=self.time.ms - HOUR)
            _store_from_template(self.templates.store, tablet.path, principal.device_id)
            self.tablets[name] = tablet
            self._open(tablet)

    # -- plumbing --------------------------------------------------------------------------------------------

    def _open(self, tablet: Tablet) -> None:
        tablet.store = LocalStore.open(tablet.path, sources=tablet.sources(self.time))
        inner = ServiceTransport(self.database, self.settings, tablet.principal, self.time, self.rng)
        tablet.faulty = FaultyTransport(inner)
        tablet.faulty.log = tablet.log
        tablet.engine = SyncEngine(tablet.store, tablet.faulty, None, app_version="intent")

    def _close(self, tablet: Tablet) -> None:
        tablet.opened.close()
        tablet.store = tablet.engine = tablet.faulty = None

    def _cycle(self, tablet: Tablet, faults: list[Planned]) -> None:
        assert tablet.faulty is not None and tablet.engine is not None
        tablet.faulty.clear()
        tablet.faulty.plan(*faults)
        result = tablet.engine.run()
        tablet.faulty.clear()
        RUN["cycle ok" if result.ok else "cycle failed"] += 1
        assert result.ok or "cannot be reached" in (result.error or ""), result.error
        assert result.rejected == 0, f"{tablet.name} had changes set aside"
        anchor = tablet.opened.device_time.anchor
        if anchor.exact and (not tablet.anchors or tablet.anchors[-1] != anchor.server_ms):
            tablet.anchors.append(anchor.server_ms)

    def _value(self, name: str) -> str:
        self.counter += 1
        return f"555-{self.counter:04d}" if name == "phone" else f"Care plan revision {self.counter}"

    def _tolerance(self, tablet: Tablet) -> int:
        """How far from true time this tablet's stamps may be now: the measurement's error plus the drift
        of its uptime clock since its anchor (for a provisional stamp: until the anchor that corrects it,
        bounded by the longest the test lets time run)."""
        anchor = tablet.opened.device_time.anchor
        since = abs(self.time.ms - anchor.server_ms) if anchor.exact else 40 * HOUR
        return BASE_TOLERANCE_MS + anchor.error_ms + abs(tablet.ppm) * since // 1_000_000 + 5

    # -- rules -----------------------------------------------------------------------------------------------

    @initialize(
        patients=st.integers(1, 2),
        ppms=st.lists(st.integers(-20, 20), min_size=3, max_size=3),
        skews=st.lists(st.integers(-30 * HOUR, 30 * HOUR), min_size=3, max_size=3),
    )
    def a_day_begins(self, patients: int, ppms: list[int], skews: list[int]) -> None:
        """The office registers patients on the web and puts them on the nurse's caseload; every device
        syncs once (clocks already wrong: it is their first exchange that makes the timeline exact)."""
        for tablet, ppm, skew in zip(self.tablets.values(), ppms, skews, strict=True):
            tablet.ppm, tablet.skew_ms = ppm, skew
        for _ in range(patients):
            patient = h.patient(phone=self._value("phone"), care_plan=self._value("care_plan"))
            with self.database.write() as session:
                office_edits.create_patient(
                    session, self.settings, self.web, patient.model_dump(mode="json"), self.time.now()
                )
                caseload.assign(session, self.templates.users["nurse"], patient.id, self.time.now())
            for name in FIELDS:
                self._note_web_edit(patient.id, name, getattr(patient, name))
            self.patients.append(patient.id)
            self.time.ms += 1000
        for tablet in self.tablets.values():
            self._cycle(tablet, [])

    @rule(data=st.data(), edits=st.integers(1, 3))
    def devices_edit(self, data: st.DataObject, edits: int) -> None:
        for _ in range(edits):
            self._device_edit(data, data.draw(st.sampled_from((0, 5, 800, 3_000, 60_000))))

    def _device_edit(self, data: st.DataObject, gap: int) -> None:
        self.time.ms += gap
        tablet = self.tablets[data.draw(st.sampled_from(sorted(self.tablets)))]
        record_id = data.draw(st.sampled_from(self.patients))
        name = data.draw(st.sampled_from(FIELDS))
        value = self._value(name)
        store = tablet.opened
        tolerance = self._tolerance(tablet)
        with store.unit_of_work() as session:
            before = session.scalar(sa.select(sa.func.max(OutboxRow.seq))) or 0
            repo.update(session, store.clock, Patient, record_id, {name: value})
            [row] = session.scalars(sa.select(OutboxRow).where(OutboxRow.seq > before)).all()
        edit = self._note_edit(tablet.name, record_id, name, value, tolerance)
        edit.mutation_id, edit.provisional = row.mutation_id, row.epoch is not None
        tablet.this_boot.append(edit.index)
        RUN["edit (provisional)" if edit.provisional else "edit"] += 1

    @rule(data=st.data(), gap=st.sampled_from((0, 800, 3_000, 60_000)))
    def the_office_edits_on_the_web(self, data: st.DataObject, gap: int) -> None:
        self.time.ms += gap
        record_id = data.draw(st.sampled_from(self.patients))
        name = data.draw(st.sampled_from(FIELDS))
        value = self._value(name)
        self.time.ms += self.rng.randint(0, 300)
        with self.database.write() as session:
            office_edits.edit_patient(
                session, self.settings, self.web, record_id, {name: value}, {name: None}, self.time.now()
            )
        self._note_web_edit(record_id, name, value)
        RUN["web edit"] += 1

    @rule(data=st.data())
    def a_device_syncs(self, data: st.DataObject) -> None:
        tablet = self.tablets[data.draw(st.sampled_from(sorted(self.tablets)))]
        faults = data.draw(
            st.lists(
                st.builds(
                    Planned,
                    st.sampled_from((Fault.NONE, Fault.LOSE_REQUEST, Fault.LOSE_REPLY, Fault.DUPLICATE)),
                    st.sampled_from((None, "health", "push", "pull")),
                ),
                max_size=2,
            )
        )
        for fault in faults:
            RUN[f"fault {fault.fault}"] += 1
        self._cycle(tablet, faults)

    @rule(minutes=st.sampled_from((1, 10, 45, 180, 480)))
    def time_passes(self, minutes: int) -> None:
        if self.time.ms - START_MS < 3 * 24 * HOUR:
            self.time.ms += minutes * 60_000

    @rule(data=st.data(), hours=st.integers(-36, 36), minutes=st.integers(-59, 59))
    def a_wall_clock_jumps(self, data: st.DataObject, hours: int, minutes: int) -> None:
        tablet = self.tablets[data.draw(st.sampled_from(sorted(self.tablets)))]
        tablet.skew_ms = hours * HOUR + minutes * 60_000
        RUN["wall clock jump"] += 1

    @rule(data=st.data(), off_minutes=st.sampled_from((0, 2, 30, 300)), skew_h=st.integers(-48, 48))
    def a_tablet_reboots(self, data: st.DataObject, off_minutes: int, skew_h: int) -> None:
        """Switched off for a while and on again; the wall clock may come back wrong (a dead battery)."""
        tablet = self.tablets[data.draw(st.sampled_from(TABLETS))]
        if not tablet.opened.device_time.anchor.exact:
            # Restarted again before any exchange: its edits of that boot can no longer be corrected.
            for index in tablet.this_boot:
                if self.edits[index].provisional:
                    self.edits[index].uncertain = True
                    RUN["uncertain edit"] += 1
        self._close(tablet)
        self.time.ms += off_minutes * 60_000
        tablet.booted_ms, tablet.boot, tablet.this_boot = self.time.ms, tablet.boot + 1, []
        tablet.skew_ms = skew_h * HOUR
        self._open(tablet)
        RUN["reboot"] += 1

    @rule(data=st.data())
    def the_app_restarts(self, data: st.DataObject) -> None:
        if data.draw(st.integers(0, 3)) != 0:  # rarer than the other rules
            return
        tablet = self.tablets[data.draw(st.sampled_from(sorted(self.tablets)))]
        self._close(tablet)
        self.time.ms += 3_000
        self._open(tablet)
        RUN["app restart"] += 1

    @invariant()
    def count_steps(self) -> None:
        RUN["steps"] += 1

    # -- the end ---------------------------------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            if all(t.store is not None for t in self.tablets.values()):
                self._quiesce()
                self._check()
        finally:
            for tablet in self.tablets.values():
                if tablet.store is not None:
                    tablet.store.close()
            self.database.dispose()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _quiesce(self) -> None:
        for _ in range(6):
            moved = 0
            for tablet in self.tablets.values():
                assert tablet.engine is not None
                result = tablet.engine.run()
                assert result.ok, result.error
                moved += result.pushed + result.pulled
            if not moved:
                return
        pytest.fail("the devices did not settle")

    def _check(self) -> None:
        with self.database.read() as session:
            server = {r.id: r for r in session.scalars(sa.select(Record).where(Record.entity == "patient"))}
            lost_on_server = {
                (c.record_id, c.field, c.lost_stamp) for c in session.scalars(sa.select(ConflictEntry))
            }
            snapshot = server_snapshot(session)
        self._final_stamps(server)
        # Agreement: every device holds exactly the server's records.
        for tablet in self.tablets.values():
            local = replica_snapshot(tablet.opened)
            expected = {rid: state for rid, (_, state) in snapshot.items()}
            assert local == expected, f"{tablet.name} differs from the server"
        lost_locally = {
            name: {(c.record_id, c.field, c.lost_stamp.encode()) for c in _all_conflicts(tablet.opened)}
            for name, tablet in self.tablets.items()
        }
        # Stamps are unique per field (a web edit's clock is the server's, per request).
        by_stamp = {(e.record_id, e.name, e.stamp): e for e in self.edits if e.stamp}
        built_on = {
            by_stamp[(e.record_id, e.name, e.base)].index
            for e in self.edits
            if (e.record_id, e.name, e.base) in by_stamp
        }
        for record_id, row in server.items():
            for name in FIELDS:
                edits = [e for e in self.edits if e.record_id == record_id and e.name == name]
                [winner] = [e for e in edits if e.value == row.fields[name]]
                for edit in edits:
                    self._check_stamp(edit)
                    if edit is winner:
                        continue
                    self._check_order(edit, winner)
                    if edit.index in built_on:
                        RUN["loser superseded knowingly"] += 1
                        continue
                    key = (record_id, name, edit.stamp)
                    assert key in lost_on_server, (
                        f"the server did not log the loss of {edit} to {winner}; the field's edits:\n"
                        + "\n".join(map(str, edits))
                    )
                    if edit.device in self.tablets:
                        assert key in lost_locally[edit.device], (
                            f"{edit.device} does not show the loss of {edit}"
                        )
                    RUN["loss logged on server and device"] += 1

    def _final_stamps(self, server: dict[uuid.UUID, Record]) -> None:
        sent: dict[uuid.UUID, Any] = {}
        for tablet in self.tablets.values():
            sent.update(tablet.log.acknowledged)
        for edit in self.edits:
            if edit.mutation_id is not None:
                change = sent[edit.mutation_id].changes[edit.name]
                edit.stamp, edit.base = change.s, change.b

    def _check_stamp(self, edit: Edit) -> None:
        assert edit.stamp is not None
        wall = Stamp.decode(edit.stamp).wall_ms
        if edit.uncertain:
            assert wall <= edit.true_ms + edit.tolerance_ms, (
                f"an uncertain edit was dated after it was made: {edit}"
            )
            return
        assert abs(wall - edit.true_ms) <= edit.tolerance_ms, (
            f"{edit.device}'s edit made at {edit.true_ms} is stamped {wall} "
            f"({wall - edit.true_ms:+} ms): {edit}"
        )

    def _check_order(self, loser: Edit, winner: Edit) -> None:
        later = loser.true_ms - winner.true_ms
        if later <= loser.tolerance_ms + winner.tolerance_ms:
            return
        if loser.uncertain and (loser.stamp or "") < (winner.stamp or ""):
            RUN["uncertain edit lost to an earlier one (the documented cost)"] += 1
            return
        raise AssertionError(f"an edit made {later} ms after the winner lost: {loser} lost to {winner}")

    def _note_web_edit(self, record_id: uuid.UUID, name: str, value: Any) -> None:
        """A web edit is stamped by the server as it is written: read its stamp back at once."""
        edit = self._note_edit("web", record_id, name, value, BASE_TOLERANCE_MS)
        with self.database.read() as session:
            row = session.get(Record, record_id)
            assert row is not None and row.fields[name] == value, "a web edit wins when it is made"
            edit.stamp, edit.base = row.stamps[name], row.bases.get(name)

    def _note_edit(self, device: str, record_id: uuid.UUID, name: str, value: Any, tolerance: int) -> Edit:
        edit = Edit(len(self.edits), device, record_id, name, value, self.time.ms, tolerance)
        self.edits.append(edit)
        return edit


def _all_conflicts(store: LocalStore) -> list[conflicts.Conflict]:
    with store.read() as session:
        return conflicts.open_conflicts(session)


def _store_from_template(template: Path, path: Path, node: str) -> None:
    shutil.copyfile(template, path)
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE sync_state SET node_id = ?, last_stamp = NULL, alive_ms = NULL, anchor_boot = NULL, "
            "anchor_uptime_ms = NULL, anchor_server_ms = NULL, anchor_kind = NULL, anchor_epoch = NULL",
            (node,),
        )


# -- the test ------------------------------------------------------------------------------------------------


@pytest.fixture
def templates(tmp_path: Path) -> Iterator[Templates]:
    server = tmp_path / "server-template.db"
    database = Database(f"sqlite:///{server}")
    migrate.upgrade(database.engine)
    settings_ = Settings(database_url=f"sqlite:///{server}")
    now = datetime.fromtimestamp(START_MS / 1000, UTC)
    users, nodes = {}, {"office": "officetablet", "tab_a": "tableta", "tab_b": "tabletb"}
    with database.write() as session:
        for name, role in (("office", Role.OFFICE), ("nurse", Role.WORKER)):
            users[name] = auth.create_user(session, name, PASSWORD, role, now).id
        for device, user in (("office", "office"), ("tab_a", "nurse"), ("tab_b", "nurse")):
            auth.login(
                session,
                settings_,
                LoginRequest(username=user, password=PASSWORD, device_id=nodes[device]),
                now,
            )
    database.dispose()
    store = tmp_path / "store-template.db"
    LocalStore.open(store, sources=TimeSources.simulated(lambda: START_MS)).close()
    yield Templates(tmp_path / "examples", server, store, users, nodes)


@pytest.mark.slow
@pytest.mark.timeout(max(300, EXAMPLES * STEPS // 4))
def test_the_edit_made_last_in_true_time_wins(
    templates: Templates, capsys: pytest.CaptureFixture[str]
) -> None:
    Intent.templates = templates
    RUN.clear()
    started = time.monotonic()
    try:
        run_state_machine_as_test(
            Intent,
            settings=settings(
                max_examples=EXAMPLES,
                stateful_step_count=STEPS,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                phases=PHASES,
            ),
        )
    finally:
        with capsys.disabled():
            counts = ", ".join(f"{k} {n}" for k, n in sorted(RUN.items()) if k not in ("examples", "steps"))
            print(
                f"\nintent oracle: {RUN['examples']} examples, {RUN['steps']} steps, "
                f"{time.monotonic() - started:.1f} s\n  {counts}"
            )
