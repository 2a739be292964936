"""A signed-in tablet profile on disk (no server), the app's own look, and checks every screen must pass:
touch targets, accessible names, and no widget overlapping another at landscape and portrait sizes."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from fieldapp import demodata
from fieldapp.app import Session, Shell, apply_look, open_device
from fieldapp.config import Profile, ProfileSettings
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Entity, Patient, Visit
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.domain.values import Allergy, AllergySeverity
from fieldapp.security.unlock import OfflineUnlock
from fieldapp.store import replica
from tests import factories

WORKER = factories.WORKER
DEAD_SERVER = "http://127.0.0.1:9"  # nothing listens there: any network use fails fast
LANDSCAPE, PORTRAIT = (1280, 800), (800, 1280)
MIN_TOUCH = 40
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)
OFFICE = HybridClock("office1")


@pytest.fixture
def styled_app(qapp: QApplication) -> Iterator[QApplication]:
    """The application's real font and stylesheet, so sizes measured are the sizes on the tablet."""
    font, sheet = QFont(qapp.font()), qapp.styleSheet()
    apply_look(qapp)
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def as_delivered(records: Iterable[Entity]) -> list[replica.RemoteRecord]:
    """Records as a first sync delivers them (written by the office; nothing queued on the tablet)."""
    page = []
    for record in records:
        stamp = OFFICE.now()
        wire = record.model_dump(mode="json")
        fields = {name: Versioned(value, stamp) for name, value in wire.items() if name != "id"}
        page.append(replica.RemoteRecord(record.entity_name, record.id, RecordState(fields), seq=1))
    return page


@dataclass
class Tablet:
    """A signed-in profile whose store holds ``patients`` and today's ``visits`` for ``WORKER``."""

    session: Session
    patients: list[Patient]
    visits: list[Visit]

    @property
    def device(self) -> Any:
        return self.session.device

    def pending(self) -> int:
        from fieldapp.store.state import store_status

        with self.device.store.read() as s:
            return store_status(s).pending


def make_tablet(folder: Path, *, extra_patients: int = 0, day: date | None = None) -> Tablet:
    """Three visits today (the first patient with two allergies), plus ``extra_patients`` more patients."""
    day = day or datetime.now(UTC).date()
    profile = Profile.at(folder)
    profile.save_settings(ProfileSettings(server_url=DEAD_SERVER, username="nurse", user_id=str(WORKER)))
    device = open_device(profile)
    people = [
        factories.patient(
            given_name="Zoë",
            family_name="Núñez-O'Brien",
            allergies=[
                Allergy(substance="Penicillin", reaction="anaphylaxis", severity=AllergySeverity.SEVERE),
                Allergy(substance="Latex", reaction="rash", severity=AllergySeverity.MILD),
            ],
        ),
        factories.patient(given_name="Harold", family_name="Whitcombe", allergies=[]),
        factories.patient(given_name="Edith", family_name="Okafor", allergies=[]),
    ]
    visits = [
        factories.visit(people[0].id, scheduled_start=at(day, 9), scheduled_end=at(day, 10)),
        factories.visit(people[1].id, scheduled_start=at(day, 11), scheduled_end=at(day, 11, 45)),
        factories.visit(people[2].id, scheduled_start=at(day, 14), scheduled_end=at(day, 15)),
    ]
    extra = list(demodata.patients(extra_patients, seed=7)) if extra_patients else []
    with device.store.unit_of_work() as s:
        replica.apply_remote(s, device.store.clock, as_delivered([*people, *extra, *visits]))
    return Tablet(Session(device, offline=False), [*people, *extra], visits)


class FakeController(QObject):
    """Stands in for the SyncController: records what the window asks of it."""

    status_changed = Signal(object)

    class _Worker(QObject):
        sync_did_finish = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from fieldapp.qt.controller import SyncStatus

        self.status = SyncStatus(online="online")
        self.worker = self._Worker(self)
        self.syncs = 0
        self.local_changes = 0
        self.started = self.stopped = False
        self.interval_s: float | None = None

    def sync_now(self) -> None:
        self.syncs += 1

    def local_changes_made(self) -> None:
        self.local_changes += 1

    def start(self) -> None:
        self.started = True

    def stop(self, timeout_ms: int | None = None) -> bool:
        self.stopped = True
        return True


def fake_controller(_device: Any, _settings: Any, parent: QObject) -> FakeController:
    return FakeController(parent)


# -- checks every screen must pass ------------------------------------------------------------------------


def controls(root: QWidget) -> list[QWidget]:
    """The visible interactive widgets under ``root`` (parts of composite controls left out)."""
    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or isinstance(widget, QHeaderView):
            continue
        if not widget.isVisibleTo(root) or widget.metaObject().className() == "QTableCornerButton":
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), QAbstractSpinBox):
            continue  # the text part of a date or number field, measured as the field
        found.append(widget)
    return found


def _describe(widget: QWidget) -> str:
    text = getattr(widget, "text", "")
    text = text() if callable(text) else text  # a panel may have a ``text`` property (NotesPanel)
    return f"{type(widget).__name__}({widget.objectName() or widget.accessibleName() or text!r})"


def small_touch_targets(root: QWidget) -> list[str]:
    """Buttons and text fields smaller than 40x40 px."""
    return [
        f"{_describe(w)} is {w.width()}x{w.height()}"
        for w in controls(root)
        if isinstance(w, QAbstractButton | QLineEdit) and (w.width() < MIN_TOUCH or w.height() < MIN_TOUCH)
    ]


def unnamed_controls(root: QWidget) -> list[str]:
    """Interactive widgets without an accessible name."""
    return [_describe(w) for w in controls(root) if not w.accessibleName().strip()]


def overlapping(root: QWidget) -> list[str]:
    """Laid-out sibling widgets that overlap, or stick out of their parent."""
    problems = []
    for parent in [root, *root.findChildren(QWidget)]:
        if parent.layout() is None or not (parent is root or parent.isVisibleTo(root)):
            continue
        kids = [
            c
            for c in parent.children()
            if isinstance(c, QWidget) and not c.isWindow() and c.isVisibleTo(root) and c.width() > 0
        ]
        for a, b in itertools.combinations(kids, 2):
            if a.geometry().intersects(b.geometry()):
                problems.append(f"{_describe(a)} overlaps {_describe(b)} in {_describe(parent)}")
        for child in kids:
            if not parent.rect().contains(child.geometry()):
                problems.append(f"{_describe(child)} sticks out of {_describe(parent)}")
    return problems


def layout_problems(qtbot: Any, root: QWidget, timeout_ms: int = 2_000) -> list[str]:
    """Overlaps, small touch targets and unnamed controls once Qt has finished laying ``root`` out
    (layouts settle asynchronously after a page is shown or resized)."""

    def problems() -> list[str]:
        return [*overlapping(root), *small_touch_targets(root), *unnamed_controls(root)]

    with contextlib.suppress(AssertionError):
        qtbot.waitUntil(lambda: not problems(), timeout=timeout_ms)
    return problems()


def signed_in_shell(folder: Path, qtbot: Any, **options: Any) -> Shell:
    """The app's shell over a new tablet in ``folder``, its nurse signed in offline (the shell's own
    sign-in screen, "tablet password 1"); ``options`` go to ``Shell`` (a display, for one)."""
    tablet = make_tablet(folder)
    profile = tablet.device.profile.folder
    tablet.device.close()
    OfflineUnlock(Profile.at(profile).unlock_path).remember("nurse", "tablet password 1")
    shell = Shell(Profile.at(profile), maximized=False, controller_factory=fake_controller, **options)
    shell.start()
    assert shell.login is not None
    shell.login.password.setText("tablet password 1")
    shell.login.submit()
    qtbot.waitUntil(lambda: shell.workspace is not None)
    return shell
