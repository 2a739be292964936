"""The conflicts screen: both values with who wrote them and when, "Keep" and "Restore mine"."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import Patient
from fieldapp.domain.merge import Loser, LossReason, Versioned
from fieldapp.qt.models import ConflictListModel
from fieldapp.store import conflicts, repo
from fieldapp.ui.conflicts import ConflictsScreen, show_value
from tests.gui.day_helpers import Day, make_day
from tests.gui.shell_helpers import layout_problems, styled_app  # noqa: F401 - a fixture

TAP = Qt.MouseButton.LeftButton
MINE, OFFICE = "555-0101", "+1 555 0199"


@pytest.fixture
def day(tmp_path: Path) -> Iterator[Day]:
    d = make_day(tmp_path)
    patient = d.patients[0]
    d.actions.edit_patient(patient.id, phone=OFFICE)  # the value that won is what the record holds
    when = int(datetime(2026, 11, 26, 9, 30, tzinfo=UTC).timestamp() * 1000)
    with d.store.unit_of_work() as session:
        conflicts.record(
            session,
            "patient",
            patient.id,
            [
                Loser(
                    "phone",
                    Versioned(MINE, Stamp(when, 0, d.store.node_id)),
                    Versioned(OFFICE, Stamp(when + 60_000, 0, "server0")),
                    LossReason.CONFLICT,
                ),
                Loser(
                    "care_plan",
                    Versioned("Twice-daily weights", Stamp(when, 1, "tablet2")),
                    Versioned("Daily weight", Stamp(when + 5_000, 0, d.store.node_id)),
                    LossReason.CONFLICT,
                ),
            ],
        )
    yield d
    d.store.close()


def open_screen(qtbot: QtBot, day: Day) -> tuple[ConflictsScreen, ConflictListModel]:
    model = ConflictListModel(day.store)
    screen = ConflictsScreen(model, day.records, day.actions)
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen, model


def card_for(screen: ConflictsScreen, field: str):  # type: ignore[no-untyped-def]
    return next(c for c in screen.cards if c.conflict.field == field)


def phone(day: Day) -> str | None:
    with day.store.read() as session:
        patient = repo.get(session, Patient, day.patients[0].id)
    assert patient is not None
    return patient.phone


def test_each_conflict_shows_record_field_both_values_who_and_when(qtbot: QtBot, day: Day) -> None:
    screen, _ = open_screen(qtbot, day)

    assert len(screen.cards) == 2 and not screen.empty.isVisible()
    card = card_for(screen, "phone")
    texts = [w.text() for w in card.findChildren(type(screen.empty))]
    assert any("Patient Núñez-O'Brien, Zoë · Phone" in t for t in texts)
    assert card.kept_value.text() == OFFICE and card.lost_value.text() == MINE
    assert any(t.startswith("the office, ") for t in texts)
    assert any(t.startswith("this tablet, ") for t in texts)
    assert any("26 Nov" in t for t in texts)
    assert card.restore_button.text() == "Restore mine"
    other = card_for(screen, "care_plan")
    assert other.restore_button.text() == "Restore this value"
    assert any("device tablet2" in w.text() for w in other.findChildren(type(screen.empty)))


def test_restore_mine_writes_the_lost_value_again_and_closes_the_conflict(qtbot: QtBot, day: Day) -> None:
    screen, _ = open_screen(qtbot, day)
    qtbot.mouseClick(card_for(screen, "phone").restore_button, TAP)

    assert phone(day) == MINE
    assert [c.conflict.field for c in screen.cards] == ["care_plan"]
    with day.store.read() as session:
        resolved = [c for c in conflicts.open_conflicts(session) if c.field == "phone"]
    assert resolved == []


def test_keep_leaves_the_value_and_closes_the_conflict(qtbot: QtBot, day: Day) -> None:
    screen, _ = open_screen(qtbot, day)
    qtbot.mouseClick(card_for(screen, "phone").keep_button, TAP)
    qtbot.mouseClick(card_for(screen, "care_plan").keep_button, TAP)

    assert phone(day) == OFFICE
    assert screen.cards == [] and screen.empty.isVisible()


def test_values_read_like_words() -> None:
    assert show_value(None) == "(empty)"
    assert show_value({"line1": "4 Mill Road", "city": "Millbrook", "country": "US", "line2": ""}) == (
        "4 Mill Road, Millbrook"
    )
    assert show_value([{"substance": "Latex", "severity": "mild"}]) == "Latex, mild"
    assert show_value(True) == "yes" and show_value(72.0) == "72"


@pytest.mark.usefixtures("styled_app")
@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_the_conflicts_screen_fits_is_touchable_and_named(
    qtbot: QtBot, day: Day, size: tuple[int, int]
) -> None:
    screen, _ = open_screen(qtbot, day)
    screen.resize(*size)
    assert layout_problems(qtbot, screen) == []
    shots = os.environ.get("FIELDAPP_SCREENSHOTS")
    if shots and size == (1280, 800):
        qtbot.wait(100)  # let posted layout requests run before the picture is taken
        screen.grab().save(str(Path(shots) / "conflicts.png"))


def test_an_office_cancel_that_lost_to_a_started_visit_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    d = make_day(tmp_path)
    visit = d.visits[0]
    d.actions.check_in(visit.id, None)
    when = int(datetime(2026, 11, 26, 9, 30, tzinfo=UTC).timestamp() * 1000)
    with d.store.unit_of_work() as session:
        conflicts.record(
            session,
            "visit",
            visit.id,
            [
                Loser(
                    "status",
                    Versioned("cancelled", Stamp(when + 60_000, 0, "web" + "0" * 29)),
                    Versioned("in_progress", Stamp(when, 0, d.store.node_id)),
                    LossReason.CONFLICT,
                ),
                Loser(
                    "scheduled_start",
                    Versioned("2026-11-26T16:00:00Z", Stamp(when + 1, 0, d.store.node_id)),
                    Versioned("2026-11-26T15:00:00Z", Stamp(when, 0, "server0")),
                    LossReason.CONFLICT,
                ),
            ],
        )
    try:
        screen, _ = open_screen(qtbot, d)
        texts = [w.text() for w in card_for(screen, "status").findChildren(type(screen.empty))]
        assert any("The office cancelled this visit after it had started" in t for t in texts)
        assert any(t.startswith("the office, ") for t in texts)
        moved = [w.text() for w in card_for(screen, "scheduled_start").findChildren(type(screen.empty))]
        assert any("The office sets the schedule" in t for t in moved)
        assert not any("the later change was kept" in t for t in moved), "the office's value was the earlier"
    finally:
        d.store.close()
