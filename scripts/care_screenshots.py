"""Screenshots of care documentation (issue 19): the visit's task checklist, the medication list and the
gallery on the tablet (offscreen Qt), and the office's care page, visit page and task history (headless
Chromium against the real server), as docs/screenshots/care-*.png and office-care-*.png.

Run with ``.venv/bin/python scripts/care_screenshots.py`` (``QT_QPA_PLATFORM=offscreen`` is set here).
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import office_screenshots as office  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter, QRadialGradient  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from fieldapp.domain.attachments import Attachment, Source  # noqa: E402
from fieldapp.domain.care import CareTask, Frequency, Outcome, TaskOutcome, outcome_id  # noqa: E402
from fieldapp.domain.entities import Patient, Visit  # noqa: E402
from fieldapp.domain.medications import Medication, MedicationStatus, Route  # noqa: E402
from fieldapp.domain.values import Address, Allergy, AllergySeverity, Location, LocationKind  # noqa: E402
from fieldapp.qt.actions import Actions  # noqa: E402
from fieldapp.qt.look import apply_look, make_application  # noqa: E402
from fieldapp.qt.records import Records  # noqa: E402
from fieldapp.server.auth.sessions import Principal  # noqa: E402
from fieldapp.server.blobs import uploads  # noqa: E402
from fieldapp.server.core import office_edits  # noqa: E402
from fieldapp.server.models import Record  # noqa: E402
from fieldapp.server.settings import Settings  # noqa: E402
from fieldapp.store import repo  # noqa: E402
from fieldapp.store.blobs import BlobStore  # noqa: E402
from fieldapp.store.local import LocalStore  # noqa: E402
from fieldapp.sync.protocol import Role  # noqa: E402
from fieldapp.ui.patient_record import PatientRecordScreen  # noqa: E402
from fieldapp.ui.visit import VisitScreen  # noqa: E402

WORKER = uuid.UUID("00000000-0000-4000-8000-00000000a001")
TASKS = [
    ("ADL-BATH", "", Frequency.WEEKDAYS, (0, 2, 4), "Shower chair; check the skin of both heels."),
    ("ADL-DRESS", "", Frequency.EVERY_VISIT, (), ""),
    ("ADL-TRANSFER", "", Frequency.EVERY_VISIT, (), "Bed to chair with the transfer belt."),
    ("IADL-MEAL", "", Frequency.EVERY_VISIT, (), "Low-sodium lunch; fluids 1.5 L a day."),
    ("IADL-MEDREMIND", "", Frequency.EVERY_VISIT, (), "Morning pills from the blister pack."),
    ("IADL-LAUNDRY", "", Frequency.AS_NEEDED, (), ""),
    (None, "Walk to the mailbox", Frequency.AS_NEEDED, (), "Only if dry outside."),
]
MEDS = [
    ("Furosemide", "40 mg", "1 tablet", Route.ORAL, "once a day, morning", "Dr. Amara Okafor"),
    ("Metoprolol succinate", "25 mg", "1 tablet", Route.ORAL, "once a day", "Dr. Amara Okafor"),
    ("Insulin glargine", "100 units/mL", "18 units", Route.SUBCUTANEOUS, "at bedtime", "Dr. Lee Chen"),
    ("Albuterol HFA", "90 mcg", "2 puffs", Route.INHALED, "every 6 hours as needed", "Dr. Lee Chen"),
]


def wound_photo(seed: int, size: tuple[int, int] = (1200, 900)) -> bytes:
    """A generated photo-like JPEG (skin tone, a reddish oval, a ruler line): no real patient's image."""
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor.fromHsv(25, 70 + seed * 7 % 40, 205))
    painter = QPainter(image)
    gradient = QRadialGradient(QPointF(size[0] / 2, size[1] / 2), 220 - seed * 12)
    gradient.setColorAt(0, QColor(150, 30, 40))
    gradient.setColorAt(1, QColor.fromHsv(20, 90, 190))
    painter.setBrush(gradient)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QPointF(size[0] / 2, size[1] / 2), 260 - seed * 14, 170 - seed * 9)
    painter.setPen(QColor(30, 30, 30))
    for tick in range(0, 600, 30):
        painter.drawLine(300 + tick, 820, 300 + tick, 840 if tick % 150 else 860)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    QImageWriter(buffer, QByteArray(b"jpeg")).write(image)
    return bytes(data.data())


def _tasks(patient_id: uuid.UUID) -> list[CareTask]:
    return [
        CareTask(
            patient_id=patient_id,
            code=code,
            title=title,
            frequency=frequency,
            weekdays=days,
            instructions=text,
            position=n,
        )
        for n, (code, title, frequency, days, text) in enumerate(TASKS)
    ]


def _meds(patient_id: uuid.UUID) -> list[Medication]:
    found = [
        Medication(
            patient_id=patient_id,
            name=name,
            strength=strength,
            dose=dose,
            route=route,
            frequency=how,
            prescriber=who,
            start_date=date(2026, 9, 1 + n),
        )
        for n, (name, strength, dose, route, how, who) in enumerate(MEDS)
    ]
    found.append(
        Medication(
            patient_id=patient_id,
            name="Warfarin",
            strength="5 mg",
            dose="1 tablet",
            frequency="once a day",
            prescriber="Dr. Amara Okafor",
            start_date=date(2026, 3, 2),
            stop_date=date(2026, 10, 30),
            status=MedicationStatus.DISCONTINUED,
        )
    )
    return found


# -- the tablet ---------------------------------------------------------------------------------------


def tablet(app: QApplication, out: Path, folder: Path) -> list[Path]:
    store = LocalStore.open(folder / "store.db")
    blobs = BlobStore(folder / "blobs", key=b"k" * 32)
    actions, records = Actions(store, blobs, WORKER), Records(store, blobs)
    today = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    p = Patient(
        mrn="MRN-40211",
        given_name="Zoë",
        family_name="Núñez-O'Brien",
        date_of_birth=date(1938, 4, 2),
        address=Address(line1="12 Orchard Lane", city="Millbrook", postal_code="12545"),
        allergies=[Allergy(substance="Penicillin", reaction="hives", severity=AllergySeverity.SEVERE)],
    )
    v = Visit(
        patient_id=p.id,
        worker_id=WORKER,
        scheduled_start=today,
        scheduled_end=today + timedelta(hours=1),
        service_code="G0156",
    )
    tasks, meds = _tasks(p.id), _meds(p.id)
    with store.unit_of_work() as s:
        for record in (p, v, *tasks, *meds):
            repo.add(s, store.clock, record)
    actions.check_in(v.id, Location(kind=LocationKind.HOME))
    due = [t for t in tasks if t.due_on(today.date())]
    actions.record_outcome(v.id, due[1].id, Outcome.DONE, note="Chose the blue cardigan")
    actions.record_outcome(v.id, due[2].id, Outcome.REFUSED, "Not feeling well")
    photos = [
        actions.attach(p.id, v.id, wound_photo(n), caption=f"Left heel, week {n + 1}", source=Source.CAMERA)
        for n in range(6)
    ]
    # Recorded by mistake (decision 0034): struck through with the reason, never removed.
    actions.mark_in_error("medication", meds[1].id, "Another patient's prescription")
    actions.mark_in_error("attachment", photos[0].record_id, "Photo of the other heel")
    screen = VisitScreen(records, actions)
    screen.resize(1280, 800)
    screen.show_visit(v.id)
    screen.show()
    line = screen.tasks_panel.lines[due[3].id]
    line.buttons[Outcome.COULD_NOT_DO].click()  # the reason row, as the aide sees it
    app.processEvents()
    saved = []
    for name, widget in (
        ("care-checklist", screen.tasks_panel),
        ("care-medications", screen.meds_panel),
        ("care-gallery", screen.gallery_panel),
        ("care-visit", screen.findChild(QWidget, "visitBody")),
    ):
        assert widget is not None
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        saved.append(path)
    screen.close()
    record = PatientRecordScreen(records, actions)
    record.resize(1280, 800)
    record.show_patient(p.id)
    record.show()
    app.processEvents()
    path = out / "care-task-history.png"
    record.tasks_box.grab().save(str(path))
    saved.append(path)
    record.close()
    store.close()
    return saved


# -- the office ---------------------------------------------------------------------------------------


def office_data(database: Any, settings: Settings) -> tuple[uuid.UUID, uuid.UUID]:
    """The demo office, a nurse's first visit today with the plan, medications, outcomes and photos."""
    office.build_demo(database, settings)
    nurse = office.Tablet(database, settings, "nurse", "nurse-demo-1", "c0ffee0000care01")
    today = datetime.now(UTC).date()
    with database.read() as session:
        visits = session.scalars(
            select(Record).where(
                Record.entity == "visit", Record.worker_id == nurse.user_id, Record.day == today
            )
        ).all()
    row = sorted(visits, key=lambda r: r.fields["scheduled_start"])[3]  # in progress
    patient_id, visit_id = uuid.UUID(row.fields["patient_id"]), row.id
    who = Principal(
        office._user(database, office.OFFICE), office.OFFICE, Role.OFFICE, "officewebcare1", uuid.uuid4()
    )
    tasks, meds = _tasks(patient_id), _meds(patient_id)
    with database.write() as session:
        for record in (*tasks, *meds):
            office_edits.create_record(session, settings, who, record, datetime.now(UTC))
    now = datetime.now(UTC)
    outcomes = [
        (tasks[1], Outcome.DONE, ""),
        (tasks[2], Outcome.REFUSED, "Not feeling well"),
        (tasks[3], Outcome.COULD_NOT_DO, "No supplies"),
    ]
    nurse.push(
        *[
            nurse.create(
                TaskOutcome(
                    id=outcome_id(visit_id, t.id),
                    visit_id=visit_id,
                    patient_id=patient_id,
                    task_id=t.id,
                    code=t.code,
                    title=t.label,
                    outcome=o,
                    reason=r,
                    recorded_at=now,
                )
            )
            for t, o, r in outcomes
        ]
    )
    in_error = {"entered_in_error": True, "error_reason": "Tapped the wrong row"}
    nurse.push(
        nurse.update("task_outcome", outcome_id(visit_id, tasks[1].id), in_error, {}),
        nurse.update(
            "medication", meds[1].id, {**in_error, "error_reason": "Another patient's prescription"}, {}
        ),
    )
    for n in range(3):
        photo = wound_photo(n)
        sha = hashlib.sha256(photo).hexdigest()
        piece = uploads.Piece(sha, 0, len(photo), "image/jpeg")
        with database.write() as session:
            uploads.begin(session, nurse.principal, piece, now)
            uploads.append(session, nurse.principal, piece, 0, photo, now)
        with database.write() as session:
            uploads.finish(session, nurse.principal, sha, now)
        nurse.push(
            nurse.create(
                Attachment(
                    patient_id=patient_id,
                    visit_id=visit_id,
                    sha256=sha,
                    media_type="image/jpeg",
                    byte_size=len(photo),
                    source=Source.CAMERA,
                    caption=f"Left heel, week {n + 1}",
                    taken_at=now - timedelta(days=7 * (2 - n)),
                )
            )
        )
    return patient_id, visit_id


def office_pages(out: Path, folder: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    settings = Settings(database_url=f"sqlite:///{folder}/office-care.db", agency_timezone="UTC")
    saved: list[Path] = []
    with office.serving(settings) as (base, database):
        patient_id, visit_id = office_data(database, settings)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=office.CHROMIUM, args=office.browser_args())
            page = browser.new_page(viewport=office.LANDSCAPE)
            page.goto(f"{base}/office/visits")
            page.fill("#username", office.OFFICE)
            page.fill("#password", office.OFFICE_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/office/visits")
            for name, path in (
                ("office-care", f"/office/patients/{patient_id}/care"),
                ("office-care-visit", f"/office/visits/{visit_id}"),
                ("office-task-history", f"/office/patients/{patient_id}/task-history"),
            ):
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = out / f"{name}.png"
                page.screenshot(path=str(target), full_page=True)
                saved.append(target)
            browser.close()
    return saved


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    apply_look(app)
    with tempfile.TemporaryDirectory() as tmp:
        paths = tablet(app, out, Path(tmp)) + office_pages(out, Path(tmp))
    for path in paths:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
