"""Location from the device, driven by Qt's own NMEA log source replaying recorded tracks (tests/gui/tracks),
and the visit screen's verification flows: no fix, far from home, "missed" and the check-out warning."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.domain.entities import Visit
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, ExceptionState
from fieldapp.domain.values import LocationKind, VisitStatus
from fieldapp.qt.positioning import DevicePosition, nmea_source
from fieldapp.store import exceptions, outbox, repo
from fieldapp.ui.visit import VisitScreen
from fieldapp.ui.visit.verification import CheckOutWarning, ReasonDialog
from tests import factories
from tests.gui.day_helpers import Day, make_day

TAP = Qt.MouseButton.LeftButton
TRACKS = Path(__file__).parent / "tracks"
HOME = {"line1": "12 Orchard Lane", "city": "Millbrook", "latitude": 41.785, "longitude": -73.694}


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    """Today's three visits, and a fourth (index 3) to the first patient starting now; the office has
    geocoded the first patient's home."""
    d = make_day(tmp_path)
    d.actions.edit_patient(d.patients[0].id, address=HOME)
    start = datetime.now(UTC).replace(second=0, microsecond=0)
    now_visit = factories.visit(
        d.patients[0].id, scheduled_start=start, scheduled_end=start + timedelta(hours=1)
    )
    with d.store.unit_of_work() as s:
        repo.add(s, d.store.clock, now_visit)
    d.visits.append(now_visit)
    yield d
    d.store.close()


def replay(track: str, **options: timedelta) -> DevicePosition:
    return DevicePosition(nmea_source(str(TRACKS / track)), **options)


def started(qtbot: QtBot, gps: DevicePosition) -> DevicePosition:
    with qtbot.waitSignal(gps.position_did_change, timeout=5_000):
        gps.start()
    return gps


def screen_for(
    qtbot: QtBot, day: Day, gps: DevicePosition | None = None, index: int = 0, now: datetime | None = None
) -> VisitScreen:
    moment = now or day.visits[index].scheduled_start
    screen = VisitScreen(day.records, day.actions, location_source=gps, now=lambda: moment)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show_visit(day.visits[index].id)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def visit(day: Day, index: int = 0) -> Visit:
    with day.store.read() as s:
        found = repo.get(s, Visit, day.visits[index].id)
    assert found is not None
    return found


def held(day: Day, index: int = 0) -> dict[ExceptionCode, object]:
    with day.store.read() as s:
        return {e.code: e for e in exceptions.for_visit(s, day.visits[index].id)}


# -- the adapter -----------------------------------------------------------------------------------------


def test_a_recorded_track_gives_position_accuracy_and_the_fix_s_time(qtbot: QtBot) -> None:
    gps = started(qtbot, replay("at_home.nmea"))
    fix = gps.current_fix()
    assert fix is not None and fix.kind is LocationKind.GPS
    assert (fix.latitude, fix.longitude, fix.accuracy_m) == (41.785, -73.694, 12.0)
    assert fix.fixed_at == datetime(2026, 11, 26, 14, 30, tzinfo=UTC)
    assert gps.problem() is None
    qtbot.waitUntil(lambda: gps.current_fix() != fix, timeout=5_000)  # the next second of the track
    assert gps.current_fix().latitude == 41.78501  # type: ignore[union-attr]
    gps.stop()


def test_no_fix_within_the_set_time(qtbot: QtBot) -> None:
    gps = started(qtbot, replay("no_fix.nmea", timeout=timedelta(milliseconds=300)))
    assert gps.current_fix() is None and gps.problem() is ExceptionReason.NO_FIX_IN_TIME


def test_a_source_that_cannot_be_read_is_access_refused(qtbot: QtBot, tmp_path: Path) -> None:
    gps = DevicePosition(nmea_source(str(tmp_path / "no-such-receiver.nmea")))
    started(qtbot, gps)
    assert gps.problem() is ExceptionReason.PERMISSION_REFUSED


def test_no_positioning_on_the_device(qtbot: QtBot) -> None:
    gps = DevicePosition(None)
    with qtbot.waitSignal(gps.position_did_change):
        gps.start()
    assert gps.current_fix() is None and gps.problem() is ExceptionReason.NO_POSITIONING


def test_an_old_fix_no_longer_counts(qtbot: QtBot) -> None:
    gps = started(qtbot, replay("at_home.nmea", max_age=timedelta(milliseconds=200)))
    gps.stop()
    assert gps.current_fix() is not None
    qtbot.waitUntil(lambda: gps.current_fix() is None, timeout=2_000)
    assert gps.problem() is ExceptionReason.NO_FIX_IN_TIME


# -- the visit screen ------------------------------------------------------------------------------------


def test_check_in_and_out_at_home_by_gps_is_clean(qtbot: QtBot, day: Day) -> None:
    gps = started(qtbot, replay("at_home.nmea"))
    screen = screen_for(qtbot, day, gps, index=3, now=datetime.now(UTC) + timedelta(minutes=58))
    assert screen.place_gps.isChecked()  # the fix is the place of service
    qtbot.mouseClick(screen.check_in_button, TAP)
    assert screen.dialog is None  # nothing to explain
    check_in = visit(day, 3).check_in
    assert check_in is not None and check_in.location is not None
    assert check_in.location.kind is LocationKind.GPS and check_in.location.accuracy_m == 12
    assert check_in.location.fixed_at is not None and check_in.location.fixed_at.year == 2026
    qtbot.mouseClick(screen.check_out_button, TAP)  # 58 minutes in (as the screen sees it): no warning
    v = visit(day, 3)
    assert v.status is VisitStatus.COMPLETED
    assert v.check_out is not None and v.check_out.location is not None
    assert v.check_out.location.kind is LocationKind.GPS
    assert ExceptionCode.LOCATION_MISSING not in held(day, 3) and ExceptionCode.LOCATION_FAR not in held(
        day, 3
    )


def test_far_from_home_asks_why(qtbot: QtBot, day: Day) -> None:
    gps = started(qtbot, replay("far_away.nmea"))
    screen = screen_for(qtbot, day, gps, index=3)
    qtbot.mouseClick(screen.check_in_button, TAP)
    why = screen.dialog
    assert isinstance(why, ReasonDialog) and why.code is ExceptionCode.LOCATION_FAR
    qtbot.mouseClick(why.confirm, TAP)
    assert "Choose a reason" in why.error.text()  # nothing chosen yet
    why.choose(ExceptionReason.CLIENT_ELSEWHERE)
    qtbot.keyClicks(why.note, "At her daughter's for the week")
    qtbot.mouseClick(why.confirm, TAP)
    record = held(day, 3)[ExceptionCode.LOCATION_FAR]
    assert record.reason is ExceptionReason.CLIENT_ELSEWHERE  # type: ignore[attr-defined]
    assert "Location far from the patient's home" in screen.exceptions.text()
    assert "At her daughter's" in screen.exceptions.text()


def test_no_fix_in_time_becomes_the_reason_the_worker_can_change(qtbot: QtBot, day: Day) -> None:
    gps = started(qtbot, replay("no_fix.nmea", timeout=timedelta(milliseconds=300)))
    screen = screen_for(qtbot, day, gps, index=3)
    assert not screen.place_gps.isEnabled() and screen.place_home.isChecked()
    qtbot.mouseClick(screen.check_in_button, TAP)
    why = screen.dialog
    assert isinstance(why, ReasonDialog) and why.reason is ExceptionReason.NO_FIX_IN_TIME
    assert held(day, 3)[ExceptionCode.LOCATION_MISSING].reason is ExceptionReason.NO_FIX_IN_TIME  # type: ignore[attr-defined]
    why.choose(ExceptionReason.OTHER)
    qtbot.mouseClick(why.confirm, TAP)
    assert "needs a note" in why.error.text()
    qtbot.keyClicks(why.note, "Basement flat")
    qtbot.mouseClick(why.confirm, TAP)
    assert held(day, 3)[ExceptionCode.LOCATION_MISSING].note == "Basement flat"  # type: ignore[attr-defined]
    assert not screen.explain_button.isVisible()  # every exception has its reason


@pytest.fixture
def tomorrow(tmp_path: Path) -> Iterator[Day]:
    """Tomorrow's visits: undoing "missed" withdraws the exception only while the visit's time is not long
    over (a visit never started an hour after its end is missed by the rules, decision 0033), and the
    store's clock is the real one."""
    d = make_day(tmp_path / "tomorrow", (datetime.now(UTC) + timedelta(days=1)).date())
    yield d
    d.store.close()


def test_missed_waits_for_the_visit_s_time_needs_a_reason_and_undoes_until_sync(
    qtbot: QtBot, tomorrow: Day
) -> None:
    day = tomorrow
    start = day.visits[1].scheduled_start
    early = screen_for(qtbot, day, index=1, now=start - timedelta(hours=3))
    assert not early.missed_button.isEnabled()

    screen = screen_for(qtbot, day, index=1, now=start - timedelta(minutes=20))
    assert screen.missed_button.isEnabled() and not screen.undo_missed_button.isVisible()
    qtbot.mouseClick(screen.missed_button, TAP)
    confirm = screen.dialog
    assert isinstance(confirm, ReasonDialog)
    qtbot.mouseClick(confirm.confirm, TAP)
    assert "Choose a reason" in confirm.error.text() and visit(day, 1).status is VisitStatus.SCHEDULED
    confirm.reject()  # cancelled: nothing changes
    assert visit(day, 1).status is VisitStatus.SCHEDULED

    qtbot.mouseClick(screen.missed_button, TAP)
    confirm = screen.dialog
    assert isinstance(confirm, ReasonDialog)
    confirm.choose(ExceptionReason.CLIENT_HOSPITALISED)
    qtbot.mouseClick(confirm.confirm, TAP)
    assert visit(day, 1).status is VisitStatus.MISSED
    assert screen.undo_missed_button.isVisible() and "The patient is in hospital" in screen.exceptions.text()

    qtbot.mouseClick(screen.undo_missed_button, TAP)
    assert visit(day, 1).status is VisitStatus.SCHEDULED
    assert held(day, 1)[ExceptionCode.MISSED_VISIT].state is ExceptionState.WITHDRAWN  # type: ignore[attr-defined]
    assert not screen.undo_missed_button.isVisible() and not screen.exceptions.isVisible()

    day.actions.mark_missed(day.visits[1].id, ExceptionReason.CLIENT_NOT_HOME)
    with day.store.unit_of_work() as s:  # the next sync sends it
        outbox.acknowledge(s, [entry.mutation_id for entry in outbox.pending(s)])
    screen.refresh()
    assert not screen.undo_missed_button.isVisible()


def test_a_short_visit_is_confirmed_before_check_out(qtbot: QtBot, day: Day) -> None:
    screen = screen_for(qtbot, day, index=3, now=datetime.now(UTC) + timedelta(minutes=1))
    day.actions.check_in(day.visits[3].id, None)
    screen.refresh()
    qtbot.mouseClick(screen.check_out_button, TAP)
    warning = screen.dialog
    assert isinstance(warning, CheckOutWarning)
    assert "lasted 1 min of the 60 min scheduled" in warning.warnings.text()
    assert "has not signed yet" in warning.warnings.text()
    qtbot.mouseClick(warning.findChildren(type(warning.confirm))[1], TAP)  # "Keep the visit open"
    assert visit(day, 3).check_out is None and screen.dialog is None

    qtbot.mouseClick(screen.check_out_button, TAP)
    assert isinstance(screen.dialog, CheckOutWarning)
    qtbot.mouseClick(screen.dialog.confirm, TAP)
    assert visit(day, 3).status is VisitStatus.COMPLETED
