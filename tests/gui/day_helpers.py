"""A worker's day on a local store, for the visit, signature, conflict and end-of-day tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication, QWidget

from fieldapp.domain.entities import Patient, Visit
from fieldapp.domain.exceptions import ExceptionReason
from fieldapp.domain.values import Address, Allergy, AllergySeverity, Location, LocationKind, SignerRole
from fieldapp.qt.actions import Actions
from fieldapp.qt.records import Records
from fieldapp.store import repo
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from tests import factories

WORKER = factories.WORKER


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


@dataclass
class Day:
    """A local store with today's schedule of three visits for ``WORKER``."""

    store: LocalStore
    blobs: BlobStore
    actions: Actions
    records: Records
    day: date
    patients: list[Patient] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)


def make_day(folder: Path, day: date | None = None) -> Day:
    day = day or datetime.now(UTC).date()
    store = LocalStore.open(folder / "fieldapp.db")
    blobs = BlobStore(folder / "blobs")
    actions = Actions(store, blobs, WORKER)
    records = Records(store, blobs)
    people = [
        factories.patient(
            given_name="Zoë",
            family_name="Núñez-O'Brien",
            allergies=[
                Allergy(substance="Penicillin", reaction="anaphylaxis", severity=AllergySeverity.SEVERE),
                Allergy(substance="Latex", reaction="rash", severity=AllergySeverity.MILD),
            ],
        ),
        factories.patient(
            given_name="Harold",
            family_name="Whitcombe",
            allergies=[],
            address=Address(line1="4 Mill Road", line2="Apt 2B", city="Millbrook", postal_code="12545"),
        ),
        factories.patient(given_name="Edith", family_name="Okafor", allergies=[]),
    ]
    visits = [
        factories.visit(people[0].id, scheduled_start=at(day, 9), scheduled_end=at(day, 10)),
        factories.visit(people[1].id, scheduled_start=at(day, 11), scheduled_end=at(day, 11, 45)),
        factories.visit(
            people[2].id, scheduled_start=at(day, 14), scheduled_end=at(day, 15), service_code="T1019"
        ),
    ]
    with store.unit_of_work() as session:
        for record in [*people, *visits]:
            repo.add(session, store.clock, record)
    return Day(store, blobs, actions, records, day, people, visits)


def work_first_visit(d: Day) -> None:
    """Visit 1 done and signed with notes and vitals; visit 2 missed; visit 3 left in progress."""
    first, second, third = d.visits
    d.actions.check_in(first.id, Location(kind=LocationKind.HOME))
    note = d.actions.add_note(first.id, "Patient alert and oriented. Ambulating with walker; gait steady.")
    d.actions.add_note(
        first.id, "Correction: walker is a rollator, not a standard walker.", amends=note.record_id
    )
    d.actions.add_observation(first.id, "heart_rate", 72, "/min")
    d.actions.add_observation(first.id, "systolic_bp", 128, "mmHg")
    d.actions.add_observation(first.id, "temperature", 36.8, "Cel")
    d.actions.check_out(first.id)
    from fieldapp.ui.signature_pad import Sample, render_png

    strokes = [[Sample(10 + i * 4, 40 + (i % 7) * 3, i * 8, 0.3 + (i % 5) / 10) for i in range(40)]]
    d.actions.sign(
        first.id,
        strokes=[[s.as_dict() for s in stroke] for stroke in strokes],
        png=render_png(strokes),
        signer_name="Zoë Núñez-O'Brien",
        signer_role=SignerRole.PATIENT,
        meaning="I confirm the visit took place as recorded.",
    )
    d.actions.mark_missed(second.id, ExceptionReason.CLIENT_NOT_HOME)
    d.actions.check_in(third.id, Location(kind=LocationKind.COMMUNITY))
    d.actions.add_note(third.id, "Started wound care; patient asked to continue after lunch.")


# -- a synthetic pen ----------------------------------------------------------------------------------------

_PEN: QPointingDevice | None = None


def pen() -> QPointingDevice:
    """A stylus with pressure, as a tablet driver would register it."""
    global _PEN
    if _PEN is None:
        _PEN = QPointingDevice(
            "test pen",
            4242,
            QInputDevice.DeviceType.Stylus,
            QPointingDevice.PointerType.Pen,
            QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
            1,
            3,
        )
    return _PEN


def send_pen(widget: QWidget, kind: str, x: float, y: float, pressure: float) -> QTabletEvent:
    """Send one tablet event to ``widget`` the way Qt delivers it, including Qt's fallback: a tablet event
    the widget leaves unaccepted is delivered again as a synthesised mouse event (what makes strokes
    double when a pad forgets to accept them)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent

    types = {
        "press": (QEvent.Type.TabletPress, QEvent.Type.MouseButtonPress),
        "move": (QEvent.Type.TabletMove, QEvent.Type.MouseMove),
        "release": (QEvent.Type.TabletRelease, QEvent.Type.MouseButtonRelease),
    }
    tablet_type, mouse_type = types[kind]
    pos = QPointF(x, y)
    glob = QPointF(widget.mapToGlobal(pos))
    button = Qt.MouseButton.LeftButton if kind != "move" else Qt.MouseButton.NoButton
    buttons = Qt.MouseButton.NoButton if kind == "release" else Qt.MouseButton.LeftButton
    event = QTabletEvent(
        tablet_type,
        pen(),
        pos,
        glob,
        pressure,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        Qt.KeyboardModifier.NoModifier,
        button,
        buttons,
    )
    event.setAccepted(False)
    QApplication.sendEvent(widget, event)
    if not event.isAccepted():
        mouse = QMouseEvent(
            mouse_type,
            pos,
            pos,
            glob,
            button,
            buttons,
            Qt.KeyboardModifier.NoModifier,
            Qt.MouseEventSource.MouseEventSynthesizedByQt,
            pen(),
        )
        QApplication.sendEvent(widget, mouse)
    return event


def pen_stroke(widget: QWidget, points: list[tuple[float, float, float]]) -> None:
    """A whole pen stroke: press at the first point, move through the middle, release at the last."""
    (x0, y0, p0), *middle, (xn, yn, pn) = points
    send_pen(widget, "press", x0, y0, p0)
    for x, y, p in middle:
        send_pen(widget, "move", x, y, p)
    send_pen(widget, "release", xn, yn, pn)


def a_signature(widget: QWidget) -> list[list[tuple[float, float, float]]]:
    """Draw a plausible two-stroke signature with the pen; returns what was drawn."""
    w, h = max(widget.width(), 400), max(widget.height(), 200)
    import math

    first = [
        (w * 0.12 + i * w * 0.012, h * 0.55 - math.sin(i / 3) * h * 0.18, 0.25 + 0.6 * abs(math.sin(i / 5)))
        for i in range(40)
    ]
    second = [(w * 0.25 + i * w * 0.01, h * 0.35 + i * h * 0.012, 0.8 - i * 0.015) for i in range(30)]
    pen_stroke(widget, first)
    pen_stroke(widget, second)
    return [first, second]


__all__ = [
    "WORKER",
    "Day",
    "a_signature",
    "at",
    "make_day",
    "pen",
    "pen_stroke",
    "send_pen",
    "uuid",
    "work_first_visit",
]
