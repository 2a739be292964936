"""The tablet tells its worker, in plain words, when its own clock is far off (decision 0013)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from fieldapp.domain.devicetime import TimeSources
from fieldapp.qt.records import Records
from fieldapp.store import timeline
from fieldapp.store.local import LocalStore
from fieldapp.ui.sync_status import SyncStatusBar, clock_note

HOUR = 3_600_000
NOW = 1_800_000_000_000


@pytest.mark.parametrize(
    ("offset_ms", "expected"),
    [
        (None, None),
        (0, None),
        (-119_000, None),
        (-3 * HOUR, "This tablet's clock is 3 hours ahead"),
        (3 * HOUR + 10 * 60_000, "This tablet's clock is 3 hours behind"),
        (-HOUR, "This tablet's clock is 60 minutes ahead"),
        (-95 * 60_000, "This tablet's clock is 2 hours ahead"),
        (5 * 60_000, "This tablet's clock is 5 minutes behind"),
        (-30 * 24 * HOUR, "This tablet's clock is 30 days ahead"),
    ],
)
def test_the_note_names_the_size_and_direction(offset_ms: int | None, expected: str | None) -> None:
    note = clock_note(offset_ms)
    if expected is None:
        assert note is None
        return
    assert note is not None and note.startswith(expected + ";")
    assert "your changes are dated by the office's clock" in note


def test_the_status_bar_shows_it_after_an_exchange_measured_the_clock(qtbot: QtBot, tmp_path: Path) -> None:
    true = [NOW]
    skew = [3 * HOUR]
    sources = TimeSources(lambda: true[0] + skew[0], lambda: true[0] - NOW + 60_000, lambda: "boot")
    store = LocalStore.open(tmp_path / "t.db", sources=sources)
    try:
        bar = SyncStatusBar(Records(store))
        qtbot.addWidget(bar)
        bar.show()
        assert not bar.clock_label.isVisible(), "nothing measured yet: nothing to say"
        reading = store.device_time.reading()
        store.measured(reading, reading, true[0])
        bar.refresh()
        assert bar.clock_label.isVisible()
        assert bar.clock_label.text().startswith("This tablet's clock is 3 hours ahead;")
        skew[0] = 0  # set right; the next exchange says so
        reading = store.device_time.reading()
        store.measured(reading, reading, true[0])
        with store.unit_of_work() as session:  # as the engine does after each page and push
            timeline.save(session, store.device_time)
        bar.refresh()
        assert not bar.clock_label.isVisible()
    finally:
        store.close()
