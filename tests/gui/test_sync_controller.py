"""The sync controller and worker with a fake engine (triggers, coalescing, status, threads, shutdown),
then once end to end: an office change reaches a tablet through the server's notice, with no user action."""

from __future__ import annotations

import gc
import io
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtNetwork import QNetworkInformation
from pytestqt.qtbot import QtBot

from fieldapp.app import Device
from fieldapp.domain.entities import Patient
from fieldapp.qt import gc_policy
from fieldapp.qt.controller import SyncController, SyncStatus
from fieldapp.qt.reachability import FakeReachability, Reachability
from fieldapp.qt.worker import UNEXPECTED
from fieldapp.store import repo
from fieldapp.sync.engine import Progress, Stage, SyncResult
from fieldapp.sync.errors import Unreachable
from fieldapp.transport.http import HttpTransport
from tests.integration.conftest import PASSWORD, LiveServer
from tests.server import helpers as h

LONG = 3600.0  # an interval that never fires during a test


class FakeEngine:
    """Records calls and the threads they ran on; each cycle sleeps through ``pages`` steps."""

    def __init__(self, seconds: float = 0.05, pages: int = 3, result: SyncResult | None = None) -> None:
        self.seconds, self.pages = seconds, pages
        self.result = result or SyncResult(pulled=pages, pending=2, conflicts=1)
        self.fail_next = False
        self.calls = 0
        self.active = 0
        self.max_active = 0
        self.threads: set[int] = set()
        self.started_at: list[float] = []
        self._lock = threading.Lock()

    def run(self, progress: Callable[[Progress], None], cancelled: Callable[[], bool]) -> SyncResult:
        with self._lock:
            self.calls += 1
            self.active += 1
            self.max_active = max(self.max_active, self.active)
            self.threads.add(threading.get_ident())
            self.started_at.append(time.monotonic())
        try:
            if self.fail_next:
                self.fail_next = False
                raise RuntimeError("a bug")
            for page in range(1, self.pages + 1):
                deadline = time.monotonic() + self.seconds / self.pages
                while time.monotonic() < deadline:
                    if cancelled():
                        return SyncResult(error="sync was stopped")
                    time.sleep(0.005)
                progress(Progress(Stage.PULLING, page, self.pages))
            return self.result
        finally:
            with self._lock:
                self.active -= 1


class Factory:
    """An engine factory that remembers which thread called it."""

    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine
        self.threads: list[int] = []

    def __call__(self) -> FakeEngine:
        self.threads.append(threading.get_ident())
        return self.engine


@pytest.fixture
def make_controller(qtbot: QtBot) -> Iterator[Callable[..., tuple[SyncController, FakeEngine]]]:
    made: list[SyncController] = []

    def make(
        engine: FakeEngine | None = None, state: str = "online", **options: Any
    ) -> tuple[SyncController, FakeEngine]:
        engine = engine or FakeEngine()
        options.setdefault("interval_s", LONG)
        options.setdefault("sync_on_start", False)
        options.setdefault("reachability", FakeReachability(state))
        controller = SyncController(Factory(engine), **options)
        made.append(controller)
        return controller, engine

    yield make
    for controller in made:
        assert controller.stop(timeout_ms=5000)
    made.clear()
    gc.collect()  # here, on the GUI thread, not in whichever thread collects next


def test_the_network_coming_back_starts_a_sync_within_two_seconds(make_controller: Any, qtbot: QtBot) -> None:
    reachability = FakeReachability("offline")
    controller, engine = make_controller(reachability=reachability, sync_on_start=True)
    controller.start()
    qtbot.wait(200)
    assert engine.calls == 0 and controller.online_state == "offline"  # offline: no automatic sync

    started = time.monotonic()
    with (
        qtbot.waitSignal(controller.sync_will_start, timeout=2000),
        qtbot.waitSignal(controller.reachability_changed, check_params_cb=lambda s: s == "online"),
    ):
        reachability.set_state("online")
    assert time.monotonic() - started < 2.0
    assert controller.online_state == "online"
    qtbot.waitUntil(lambda: controller.status.online == "online" and engine.calls == 1)


def test_unknown_reachability_is_not_offline(make_controller: Any, qtbot: QtBot) -> None:
    controller, _ = make_controller(state="unknown", interval_s=0.2)
    controller.start()
    with qtbot.waitSignal(controller.sync_will_start, timeout=2000):
        pass  # the timer's sync runs
    assert controller.status.online == "unknown"

    offline, offline_engine = make_controller(state="offline", interval_s=0.2)
    offline.start()
    qtbot.wait(700)
    assert offline_engine.calls == 0


def test_unknown_then_online_also_triggers(make_controller: Any, qtbot: QtBot) -> None:
    reachability = FakeReachability("unknown")
    controller, _ = make_controller(reachability=reachability)
    controller.start()
    with qtbot.waitSignal(controller.sync_will_start, timeout=2000):
        reachability.set_state("online")


def test_triggers_during_a_cycle_make_exactly_one_more_and_never_two_at_once(
    make_controller: Any, qtbot: QtBot
) -> None:
    controller, engine = make_controller(FakeEngine(seconds=0.6))
    controller.start()
    with qtbot.waitSignal(controller.sync_will_start, timeout=2000):
        controller.sync_now()
    controller.sync_now()
    controller.sync_now()
    finished: list[SyncResult] = []
    controller.sync_did_finish.connect(finished.append)
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=3000)
    qtbot.wait(400)
    assert engine.calls == 2 and engine.max_active == 1 and len(finished) == 2


def test_a_burst_of_local_changes_makes_one_cycle(make_controller: Any, qtbot: QtBot) -> None:
    controller, engine = make_controller(debounce_ms=300)
    controller.start()
    for _ in range(5):
        controller.local_changes_made()
        qtbot.wait(30)
    last_change = time.monotonic()
    with qtbot.waitSignal(controller.sync_did_finish, timeout=2000):
        pass
    qtbot.wait(500)
    assert engine.calls == 1
    assert engine.started_at[0] - last_change >= 0.25  # it waited for the burst to end


def test_status_carries_progress_and_the_result(make_controller: Any, qtbot: QtBot) -> None:
    controller, _ = make_controller(FakeEngine(pages=3))
    seen: list[SyncStatus] = []
    controller.status_changed.connect(seen.append)
    controller.start()
    with qtbot.waitSignal(controller.sync_did_finish, timeout=2000) as finished:
        controller.sync_now()
    assert isinstance(finished.args[0], SyncResult)
    stages = [(s.stage, s.done, s.total) for s in seen]
    assert ("starting", 0, -1) in stages
    assert [s for s in stages if s[0] == "pulling"] == [
        ("pulling", 1, 3),
        ("pulling", 2, 3),
        ("pulling", 3, 3),
    ]
    final = controller.status
    assert final == seen[-1] and final.stage == "idle" and final.pending == 2
    assert final.last_error is None and final.last_success is not None and final.online == "online"


def test_errors_become_sentences_and_the_worker_carries_on(make_controller: Any, qtbot: QtBot) -> None:
    engine = FakeEngine(result=SyncResult(error=Unreachable("the office server cannot be reached").message))
    controller, _ = make_controller(engine)
    controller.start()
    with qtbot.waitSignal(controller.sync_did_finish, timeout=2000):
        controller.sync_now()
    assert controller.status.last_error == "the office server cannot be reached"
    assert controller.status.last_success is None

    engine.fail_next = True
    with qtbot.waitSignal(controller.sync_did_finish, timeout=2000):
        controller.sync_now()
    assert controller.status.last_error == UNEXPECTED

    engine.result = SyncResult()
    with qtbot.waitSignal(controller.sync_did_finish, timeout=2000):
        controller.sync_now()
    assert controller.status.last_error is None and controller.status.last_success is not None


def test_an_engine_that_cannot_be_built_is_reported(qtbot: QtBot) -> None:
    def broken() -> FakeEngine:
        raise OSError("disk full")

    controller = SyncController(broken, reachability=FakeReachability("online"), sync_on_start=False)
    controller.start()
    try:
        with qtbot.waitSignal(controller.sync_did_finish, timeout=2000):
            controller.sync_now()
        assert controller.status.last_error == UNEXPECTED
    finally:
        assert controller.stop(timeout_ms=5000)


def test_stop_cancels_a_long_cycle_and_joins_the_thread(make_controller: Any, qtbot: QtBot) -> None:
    controller, engine = make_controller(FakeEngine(seconds=30.0))
    controller.start()
    with qtbot.waitSignal(controller.sync_will_start, timeout=2000):
        controller.sync_now()
    started = time.monotonic()
    assert controller.stop()
    assert time.monotonic() - started < 1.0
    assert controller.worker_thread.isFinished() and engine.active == 0
    controller.sync_now()  # after stop, triggers do nothing (and do not fail)
    controller.local_changes_made()
    qtbot.wait(100)
    assert engine.calls == 1


def test_work_runs_on_the_worker_thread_and_signals_arrive_on_the_gui_thread(
    make_controller: Any, qtbot: QtBot
) -> None:
    controller, engine = make_controller()
    gui = threading.get_ident()
    handlers: list[tuple[int, bool]] = []
    controller.status_changed.connect(
        lambda _: handlers.append((threading.get_ident(), QThread.currentThread() == app_thread()))
    )
    controller.start()
    with qtbot.waitSignal(controller.sync_did_finish, timeout=2000):
        controller.sync_now()
    factory_threads = controller.worker._engine_factory.threads  # type: ignore[attr-defined]
    assert engine.threads and gui not in engine.threads
    assert factory_threads == list(engine.threads)  # built once, in the worker thread, on first use
    assert len(handlers) >= 3 and all(ident == gui and on_gui for ident, on_gui in handlers)
    assert controller.worker.thread() == controller.worker_thread


def test_a_change_notice_from_the_server_triggers_a_sync(make_controller: Any, qtbot: QtBot) -> None:
    class Source:
        """Sends one "changes" event, then the server seems gone."""

        def __init__(self) -> None:
            self.calls = 0

        def events(self, last_event_id: str | None = None, read_timeout: float = 60.0) -> Any:
            self.calls += 1
            if self.calls > 1:
                raise Unreachable("gone")
            response = requests.Response()
            response.status_code = 200
            response.raw = io.BytesIO(b': connected\n\nid: 41\nevent: changes\ndata: {"seq": 41}\n\n')
            return response

    controller, engine = make_controller(events=Source())
    with qtbot.waitSignal(controller.sync_did_finish, timeout=3000):
        controller.start()
    assert controller.listener is not None and controller.listener.last_event_id == "41"
    assert engine.calls == 1


def test_the_real_reachability_loads_or_says_unknown(qtbot: QtBot) -> None:
    reachability = Reachability()
    assert reachability.start() in {"online", "offline", "unknown"}
    assert reachability.start() == reachability.state  # loading twice is harmless
    levels = QNetworkInformation.Reachability
    reachability._on_reachability(levels.Unknown)
    seen: list[str] = []
    reachability.reachability_changed.connect(seen.append)
    for level in (levels.Disconnected, levels.Local, levels.Unknown, levels.Site, levels.Online):
        reachability._on_reachability(level)
    assert seen == ["offline", "online", "unknown", "online"]  # only changes are emitted


def app_thread() -> QThread:
    app = QCoreApplication.instance()
    assert app is not None
    return app.thread()


def test_the_interval_can_change_while_running(make_controller: Any, qtbot: QtBot) -> None:
    controller, _ = make_controller()
    controller.start()
    controller.set_interval_s(0.2)
    with qtbot.waitSignal(controller.sync_did_finish, timeout=2000):
        pass


def test_emitting_from_python_keeps_true_alive(qtbot: QtBot) -> None:
    """PySide6 6.12 on Python 3.11 drops a reference to True at every Python-side emit and the process
    aborts after a few hundred ("bool_dealloc"); pyproject.toml keeps such a release out. This plain
    emit loop fails (or crashes) if one comes back."""
    reachability = FakeReachability("online")
    before = sys.getrefcount(True)
    for n in range(20_000):
        reachability.reachability_changed.emit("offline" if n % 2 else "online")
    assert sys.getrefcount(True) >= before - 100  # without the fix: 20,000 fewer, and the process aborts


def test_full_collections_wait_for_the_end_of_a_cycle() -> None:
    assert gc.isenabled()
    with gc_policy.full_collections_deferred():
        assert not gc.isenabled()
        before = gc.get_count()[0]
        [[] for _ in range(1000)]
        gc_policy.collect_young_if_deferred()
        assert gc.get_count()[0] < before + 1000
        with gc_policy.full_collections_deferred():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_policy.full_collections_deferred():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_an_office_change_reaches_the_tablet_without_user_action(
    live_server: LiveServer, new_device: Callable[..., Device], qtbot: QtBot
) -> None:
    patient = h.patient()
    live_server.office_writes(patient)
    tablet = new_device("nurse")
    controller = SyncController(
        lambda: tablet.engine, reachability=FakeReachability("online"), events=tablet.transport
    )
    try:
        with qtbot.waitSignal(controller.sync_did_finish, timeout=5000):
            controller.start()  # the first sync
        assert controller.listener is not None
        qtbot.waitUntil(lambda: controller.listener.connected, timeout=5000)  # type: ignore[union-attr]
        office = HttpTransport(live_server.url)
        office.login("office", PASSWORD, "office1")
        with qtbot.waitSignal(
            controller.sync_did_finish, timeout=5000, check_params_cb=lambda r: r.pulled > 0
        ) as finished:
            office._request("PUT", f"/caseloads/{live_server.users['nurse']}/{patient.id}")
        assert finished.args[0].ok
        with tablet.store.read() as session:
            assert repo.get(session, Patient, patient.id) == patient
        assert controller.status.last_success is not None and controller.status.pending == 0
    finally:
        assert controller.stop(timeout_ms=5000)
