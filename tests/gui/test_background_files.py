"""``BackgroundFiles`` with the real server (decision 0034): the file mover runs on threads of its own and
answers on the GUI thread: a large photo's upload lets its record through, another device's thumbnail
comes down, and a photo opened full size is fetched and handed to the screen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from fieldapp.device import Device
from fieldapp.qt.files import BackgroundFiles
from fieldapp.qt.records import Records
from fieldapp.store import files
from fieldapp.sync.files import Moved
from tests.integration.conftest import LiveServer
from tests.integration.test_care_sync import photo
from tests.integration.test_files_background import THUMB, _attach, _patient_on, _server_record


def test_files_move_on_their_own_threads_and_answer_on_the_gui_thread(
    qtbot: QtBot, live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    patient_id, _ = _patient_on(live_server, "nurse", "aide")
    taker, other = new_device("nurse"), new_device("aide")
    assert taker.engine.run().ok
    content = photo(files.BACKGROUND_FROM + 1000, seed=21)
    taken = _attach(taker, patient_id, content, THUMB)
    assert taker.engine.run().ok and _server_record(live_server, taken.id) is None, "held back"
    uploads = BackgroundFiles(taker.files)
    with qtbot.waitSignal(uploads.moved, timeout=30_000) as moved:
        assert uploads.run_soon() and not uploads.run_soon(), "one run at a time"
    done: Moved = moved.args[0]
    assert (done.uploaded, done.error) == (1, None)
    assert taker.engine.run().ok and _server_record(live_server, taken.id) is not None

    assert other.engine.run().ok
    fetcher = BackgroundFiles(other.files)
    records = Records(other.store, other.blobs)
    records.fetcher = fetcher.request
    with qtbot.waitSignal(fetcher.moved, timeout=30_000) as moved:
        fetcher.run_soon()
    assert moved.args[0].thumbnails == 1 and other.blobs.has(THUMB_SHA := str(taken.thumbnail_sha256))
    assert records.blob(THUMB_SHA) == THUMB and records.blob(taken.sha256) is None
    arrived: list[tuple[bytes | None, bool]] = []
    gui = QThread.currentThread()
    assert records.request_file(taken.sha256, lambda c: arrived.append((c, QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: bool(arrived), timeout=30_000)
    assert arrived == [(content, True)], "the photo, handed over on the GUI thread"
    for mover in (uploads, fetcher):
        mover.stop()
    assert not fetcher.run_soon(), "stopped"
