"""The visit screen's verification flows as PNGs in docs/screenshots/ (evv-*.png).

A local store in a temporary folder with one patient whose home is geocoded and three of today's visits;
the tablet's position replays tests/gui/tracks/far_away.nmea (2 km from home) through Qt's NMEA source.
Grabs: the reason asked after a check-in far from home, the "missed" confirmation, the warning before
checking out a one-minute visit, and the visit screen listing what the office will review.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/evv_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from fieldapp.domain.entities import Patient, Visit
from fieldapp.domain.exceptions import ExceptionReason
from fieldapp.domain.values import Address, Allergy, AllergySeverity
from fieldapp.qt.actions import Actions
from fieldapp.qt.look import apply_look, make_application
from fieldapp.qt.positioning import DevicePosition, nmea_source
from fieldapp.qt.records import Records
from fieldapp.store import repo
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.ui.visit import VisitScreen

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
TRACK = ROOT / "tests" / "gui" / "tracks" / "far_away.nmea"
WORKER = "00000000-0000-4000-8000-00000000a001"


def settle(app: QApplication, ms: int = 300) -> None:
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def save(app: QApplication, widget: QWidget, name: str) -> None:
    settle(app)
    path = OUT / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"evv screenshots: could not write {path}")
    print(f"  {path.relative_to(ROOT)}")


def schedule(store: LocalStore) -> list[Visit]:
    home = Address(line1="12 Orchard Lane", city="Millbrook", region="NY", latitude=41.785, longitude=-73.694)
    patient = Patient(
        mrn="MRN-2044",
        given_name="Harold",
        family_name="Whitcombe",
        date_of_birth=date(1936, 7, 14),
        address=home,
        allergies=(Allergy(substance="Latex", reaction="rash", severity=AllergySeverity.MILD),),
    )
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    visits = [
        Visit(
            patient_id=patient.id,
            worker_id=WORKER,  # type: ignore[arg-type]
            scheduled_start=now + offset,
            scheduled_end=now + offset + timedelta(minutes=45),
            service_code=code,
        )
        for offset, code in ((timedelta(0), "G0156"), (timedelta(minutes=30), "T1019"))
    ]
    with store.unit_of_work() as s:
        for record in (patient, *visits):
            repo.add(s, store.clock, record)
    return visits


def main() -> int:
    app = make_application([])
    apply_look(app)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = LocalStore.open(Path(folder) / "fieldapp.db")
        first, second = schedule(store)
        actions = Actions(store, BlobStore(Path(folder) / "blobs"), first.worker_id)
        records = Records(store)
        gps = DevicePosition(nmea_source(str(TRACK)))
        gps.start()
        while gps.current_fix() is None:
            settle(app, 50)
        screen = VisitScreen(records, actions, location_source=gps, now=lambda: datetime.now(UTC))
        screen.resize(1280, 800)
        screen.show_visit(first.id)
        screen.show()
        screen.check_in()
        assert screen.dialog is not None
        save(app, screen.dialog, "evv-far-from-home")
        screen.dialog.reject()
        screen.check_out()
        assert screen.dialog is not None
        save(app, screen.dialog, "evv-check-out-warning")
        screen.dialog.reject()
        save(app, screen, "evv-visit-exceptions")
        screen.show_visit(second.id)
        dialog = screen.mark_missed()
        assert dialog is not None
        dialog.choose(ExceptionReason.CLIENT_HOSPITALISED)
        save(app, dialog, "evv-missed")
        dialog.submit()
        save(app, screen, "evv-missed-undo")
        gps.stop()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
