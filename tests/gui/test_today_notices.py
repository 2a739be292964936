"""Today tells the worker what the office changed (until seen) and shows late visits as late."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Visit
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.qt.models import VisitListModel
from fieldapp.qt.notices import ScheduleNotices
from fieldapp.store import notices, replica
from fieldapp.ui.today import TodayScreen
from tests import factories
from tests.gui.shell_helpers import LANDSCAPE, WORKER, Tablet, make_tablet


@pytest.fixture
def tablet(tmp_path: Path) -> Iterator[Tablet]:
    tablet = make_tablet(tmp_path / "tablet")
    yield tablet
    tablet.device.close()


def office_sends(tablet: Tablet, visit: Visit, **changes: object) -> Visit:
    """The office's change of a visit arriving by a (not first) pull."""
    store = tablet.device.store
    office = HybridClock("web" + "2" * 29, physical_ms=lambda: store.clock.physical() + 10)
    stamp = office.now()
    with store.read() as s:
        held = replica.record_state(s.get_one(replica.ROW_TYPES["visit"], visit.id))
    revised = visit.revise(**changes)
    wire = revised.model_dump(mode="json")
    fields = dict(held.fields) | {n: Versioned(wire[n], stamp, held.fields[n].stamp) for n in changes}
    with store.unit_of_work() as s:
        applied = replica.apply_remote(
            s,
            store.clock,
            [replica.RemoteRecord("visit", visit.id, RecordState(fields), 500)],
            watch_visits=True,
        )
        notices.record(s, applied.visits, datetime.now(UTC))
    return revised


def open_today(qtbot: QtBot, tablet: Tablet, grace: int = 15, day: date | None = None) -> TodayScreen:
    """Today's screen for ``day`` (this day by default; a test whose visit starts in an hour passes that
    visit's day, which after 23:00 is tomorrow)."""
    model = VisitListModel(tablet.device.store, WORKER, day or datetime.now(UTC).date())
    board = ScheduleNotices(tablet.device.store, WORKER, late_after=lambda: grace)
    screen = TodayScreen(model, notices=board)
    screen._test_model = model  # type: ignore[attr-defined]
    qtbot.addWidget(screen)
    screen.resize(*LANDSCAPE)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_an_office_change_shows_on_today_until_seen(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    later = tablet.visits[2]
    start = now + timedelta(hours=2)
    office_sends(tablet, later, scheduled_start=start, scheduled_end=start + timedelta(hours=1))
    screen = open_today(qtbot, tablet)
    assert screen.notices.isVisible()
    [line] = screen.notices.lines
    assert (
        "Okafor, Edith moved to" in line.text() and screen.notices.title.text() == "1 change from the office"
    )
    qtbot.mouseClick(screen.notices.seen_button, Qt.MouseButton.LeftButton)
    assert not screen.notices.isVisible()
    with tablet.device.store.read() as s:
        assert notices.unseen(s, WORKER, UTC) == []


def test_a_cancel_reads_as_urgent_with_its_reason(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    visit = office_sends(
        tablet,
        tablet.visits[1],
        scheduled_start=now + timedelta(hours=1),
        scheduled_end=now + timedelta(hours=2),
    )
    office_sends(tablet, visit, status="cancelled", cancel_reason="Client in hospital")
    screen = open_today(qtbot, tablet, day=visit.scheduled_start.date())
    texts = [line.text() for line in screen.notices.lines]
    assert any(t.startswith("⚠ ") and "cancelled by the office: Client in hospital" in t for t in texts)
    urgent = next(line for line in screen.notices.lines if "cancelled" in line.text())
    assert urgent.property("state") == "urgent"
    card = next(c for c in screen.cards if c.summary.visit.id == visit.id)
    assert any(
        "Cancelled by the office: Client in hospital" in w.text() for w in card.findChildren(type(urgent))
    )


def test_a_visit_not_started_after_the_grace_is_late(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    store = tablet.device.store
    p = tablet.patients[0]
    late = factories.visit(
        p.id, scheduled_start=now - timedelta(minutes=40), scheduled_end=now + timedelta(minutes=20)
    )
    soon = factories.visit(
        p.id, scheduled_start=now - timedelta(minutes=5), scheduled_end=now + timedelta(minutes=55)
    )
    with store.unit_of_work() as s:
        replica.apply_remote(s, store.clock, [_delivered(late), _delivered(soon)])
    screen = open_today(qtbot, tablet)
    late_card = next(c for c in screen.cards if c.summary.visit.id == late.id)
    soon_card = next(c for c in screen.cards if c.summary.visit.id == soon.id)
    assert late_card.late_label is not None and late_card.late_label.text().startswith("Late · 4")
    assert late_card.late_label.property("state") == "late" and "late by" in late_card.accessibleName()
    assert soon_card.late_label is None, "inside the 15 minutes' grace"
    assert screen.late_line.isVisible() and "late" in screen.late_line.text()
    shots = os.environ.get("FIELDAPP_SCREENSHOTS")
    if shots:
        later = now + timedelta(hours=3)
        visit = office_sends(
            tablet, tablet.visits[2], scheduled_start=later, scheduled_end=later + timedelta(hours=1)
        )
        office_sends(tablet, visit, status="cancelled", cancel_reason="Client admitted to hospital")
        moved = tablet.visits[1]
        office_sends(
            tablet, moved, scheduled_start=now + timedelta(hours=1), scheduled_end=now + timedelta(hours=2)
        )
        screen._test_model.refresh()  # type: ignore[attr-defined]
        screen.resize(1280, 1000)
        qtbot.wait(100)  # the new cards are shown by the event loop
        screen.grab().save(str(Path(shots) / "today-changes-and-late.png"))
    relaxed = open_today(qtbot, tablet, grace=60)
    assert all(c.late_by is None for c in relaxed.cards if c.summary.visit.id == late.id)


def _delivered(visit: Visit) -> replica.RemoteRecord:
    stamp = HybridClock("server0").now()
    wire = visit.model_dump(mode="json")
    fields = {n: Versioned(v, stamp) for n, v in wire.items() if n != "id"}
    return replica.RemoteRecord("visit", visit.id, RecordState(fields), 400)


def test_the_window_names_the_worker_the_agency_and_uses_its_late_grace(
    qtbot: QtBot, tablet: Tablet, styled_app: QApplication
) -> None:
    from fieldapp.app import Workspace
    from fieldapp.domain.people import AgencyCard, WorkerCard
    from tests.gui.shell_helpers import fake_controller

    tablet.device.profile.save_account(
        WorkerCard(username="nurse", full_name="Maria Delgado", credential="RN"),
        AgencyCard(name="Hudson Valley Home Care", late_after_min=240),
    )
    workspace = Workspace(tablet.session, controller_factory=fake_controller)
    qtbot.addWidget(workspace.window)
    try:
        window = workspace.window
        assert window.user_label.text() == "Signed in as Maria Delgado, RN"
        assert window.agency_label.text() == "Hudson Valley Home Care" and not window.agency_label.isHidden()
        assert workspace.end_of_day.worker_name == "Maria Delgado, RN"
        today = next(w for w in window.findChildren(TodayScreen))
        assert today._late_after() == 240
    finally:
        workspace.idle.stop()
        workspace.lock_overlay.release()
