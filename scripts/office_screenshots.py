"""Screenshots of every office web page with demo data, as docs/screenshots/office-*.png.

Builds a demo back office in a temporary folder (the demo accounts, 300 patients, caseloads and today's
visits), then plays a little of the day through the server's own services, as the tablets and the office
would: the nurse's tablet checks in and out of three visits with notes, vitals and signatures, leaves one
in progress and submits the day report (with its PDF) and gets the receipt; the aide submits nothing; a
phone number edited on the tablet and in the office at once becomes a conflict; the fleet has a silent
tablet. Then Debian's Chromium (Playwright, headless) signs in as the office and photographs each page at
1280x800, and some at 800x1280 (a tablet held upright).

    .venv/bin/python scripts/office_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import socket
import struct
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from sqlalchemy import select  # noqa: E402

from fieldapp.domain.attestation import content_digest  # noqa: E402
from fieldapp.domain.audit import GENESIS, AuditAction, AuditContent  # noqa: E402
from fieldapp.domain.clock import HybridClock  # noqa: E402
from fieldapp.domain.entities import (  # noqa: E402  # noqa: E402
    DayReport,
    Entity,
    Observation,
    Signature,
    Visit,
    VisitNote,
    data_fields,
    parse,
)
from fieldapp.domain.signing import digest_of  # noqa: E402
from fieldapp.server.api import create_app  # noqa: E402
from fieldapp.server.audit import trail as audit  # noqa: E402
from fieldapp.server.auth import office as office_auth  # noqa: E402
from fieldapp.server.auth import sessions as auth  # noqa: E402
from fieldapp.server.auth.sessions import Principal  # noqa: E402
from fieldapp.server.blobs import store as blobs  # noqa: E402
from fieldapp.server.core import admin, office_edits  # noqa: E402
from fieldapp.server.core import push as sync_service  # noqa: E402
from fieldapp.server.integrity import problems as integrity_log  # noqa: E402
from fieldapp.server.integrity import verify  # noqa: E402
from fieldapp.server.models import Assignment, Blob, Device, Record, User  # noqa: E402
from fieldapp.server.reports import receipts as reports  # noqa: E402
from fieldapp.server.settings import Settings  # noqa: E402
from fieldapp.sync.protocol import AuditEvent, AuditUpload, LoginRequest, PushRequest, Role  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
OFFICE, OFFICE_PASSWORD = "office", "office-demo-1"
LANDSCAPE = {"width": 1280, "height": 800}
PORTRAIT = {"width": 800, "height": 1280}


# -- files a tablet makes: a signature image and a report PDF ------------------------------------------------


def signature_png(seed: int, width: int = 480, height: int = 160) -> bytes:
    """A plausible handwritten stroke, as a grey-scale PNG (no imaging library needed)."""
    import math

    pixels = bytearray(b"\xff" * (width * height))
    points = []
    for i in range(400):
        t = i / 399
        x = 30 + t * (width - 60)
        y = height / 2 + 38 * math.sin(t * 9 + seed) * math.exp(-t * 1.2) + 14 * math.sin(t * 31 + seed)
        points.append((x, y))
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        steps = int(max(abs(x1 - x0), abs(y1 - y0)) * 2) + 1
        for s in range(steps + 1):
            x = x0 + (x1 - x0) * s / steps
            y = y0 + (y1 - y0) * s / steps
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    px, py = int(x) + dx, int(y) + dy
                    if 0 <= px < width and 0 <= py < height:
                        pixels[py * width + px] = 20
    raw = b"".join(b"\x00" + bytes(pixels[row * width : (row + 1) * width]) for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def simple_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with lines of text (Helvetica), enough for a demo report."""
    text = (
        "BT /F1 12 Tf 56 780 Td 16 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines
        )
        + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text.encode("latin-1") + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


# -- a tablet, played through the server's services -------------------------------------------------------


class Tablet:
    """A worker's device that pushes through ``services.sync`` (what POST /sync/push does)."""

    def __init__(
        self, database: Any, settings: Settings, username: str, password: str, device_id: str
    ) -> None:
        self.database, self.settings, self.device_id = database, settings, device_id
        now = datetime.now(UTC)
        with database.write() as session:
            tokens = auth.login(
                session,
                settings,
                LoginRequest(username=username, password=password, device_id=device_id, app_version="0.1.0"),
                now,
            )
        self.user_id = tokens.user.id
        self.principal = Principal(tokens.user.id, username, Role.WORKER, device_id, uuid.uuid4())
        self.clock = HybridClock(device_id)

    def create(self, record: Entity) -> dict[str, Any]:
        stamp = self.clock.now().encode()
        wire = record.model_dump(mode="json")
        return {
            "mutation_id": str(uuid.uuid4()),
            "entity": record.entity_name,
            "record_id": str(record.id),
            "changes": {name: {"v": wire[name], "s": stamp} for name in data_fields(type(record))},
        }

    def update(
        self, entity: str, record_id: uuid.UUID, changes: dict[str, Any], bases: dict[str, str]
    ) -> dict[str, Any]:
        stamp = self.clock.now().encode()
        return {
            "mutation_id": str(uuid.uuid4()),
            "entity": entity,
            "record_id": str(record_id),
            "changes": {name: {"v": v, "s": stamp, "b": bases.get(name)} for name, v in changes.items()},
        }

    def push(self, *mutations: dict[str, Any]) -> None:
        request = PushRequest.model_validate({"device_id": self.device_id, "mutations": list(mutations)})
        with self.database.write() as session:
            sync_service.push(session, self.principal, request, self.settings, datetime.now(UTC))

    def upload(self, content: bytes, media_type: str) -> str:
        sha = hashlib.sha256(content).hexdigest()
        with self.database.write() as session:
            blobs.put(session, self.principal, sha, content, media_type, 4 << 20, datetime.now(UTC))
        return sha


def _row(database: Any, record_id: uuid.UUID) -> Record:
    with database.read() as session:
        row = session.get(Record, record_id)
        assert row is not None
        return row


def work_a_visit(tablet: Tablet, visit_id: uuid.UUID, *, finish: bool, sign: bool, seed: int) -> None:
    """Check in (GPS), write a note and vitals, check out and sign, as the tablet does."""
    row = _row(tablet.database, visit_id)
    start = datetime.fromisoformat(row.fields["scheduled_start"]) + timedelta(minutes=4 + seed)
    check_in = {
        "device_time": start.isoformat(),
        "server_time": (start + timedelta(seconds=2)).isoformat(),
        "location": {
            "kind": "gps",
            "latitude": 41.7 + seed / 100,
            "longitude": -73.9 - seed / 100,
            "accuracy_m": 8,
        },
    }
    tablet.push(tablet.update("visit", visit_id, {"check_in": check_in, "status": "in_progress"}, row.stamps))
    visit = parse(Visit, {"id": str(visit_id), **_row(tablet.database, visit_id).fields})
    note = VisitNote(
        visit_id=visit_id,
        patient_id=visit.patient_id,
        author_id=tablet.user_id,
        text=[
            "Patient alert and oriented, ambulating with walker. Wound on left shin clean, dressing changed.",
            "Reviewed medications with daughter; pill organiser filled for the week. No falls reported.",
            "Blood sugar log reviewed; insulin technique correct. Feet inspected, no lesions.",
        ][seed % 3],
        written_at=start + timedelta(minutes=20),
    )
    vitals = [
        Observation(visit_id=visit_id, patient_id=visit.patient_id, kind=kind, value=value, unit=unit,
                    observed_at=start + timedelta(minutes=10))
        for kind, value, unit in (("systolic_bp", 128 + seed, "mmHg"), ("diastolic_bp", 82, "mmHg"),
                                  ("heart_rate", 72 + seed, "/min"), ("spo2", 97, "%"))
    ]  # fmt: skip
    tablet.push(tablet.create(note), *(tablet.create(v) for v in vitals))
    if not finish:
        return
    end = start + timedelta(minutes=50)
    check_out = {
        "device_time": end.isoformat(),
        "server_time": (end + timedelta(seconds=2)).isoformat(),
        "location": None,
    }
    row = _row(tablet.database, visit_id)
    tablet.push(tablet.update("visit", visit_id, {"check_out": check_out, "status": "completed"}, row.stamps))
    if not sign:
        return
    visit = parse(Visit, {"id": str(visit_id), **_row(tablet.database, visit_id).fields})
    image = tablet.upload(signature_png(seed), "image/png")
    signature = Signature(
        visit_id=visit_id,
        patient_id=visit.patient_id,
        strokes=[[{"x": 10 + i, "y": 40 + (i % 7), "t": i * 8, "pressure": 0.6} for i in range(40)]],
        image_sha256=image,
        signer_name="Patient",
        signer_role="patient",
        meaning="I confirm that this visit took place as recorded.",
        signed_at=end - timedelta(minutes=1),
        content_sha256=content_digest(visit, [note], vitals),
    )
    with tablet.database.read() as session:
        name = session.get(Record, visit.patient_id)
        assert name is not None
        signature = signature.revise(signer_name=f"{name.fields['given_name']} {name.fields['family_name']}")
    signature = signature.revise(digest=digest_of(str(signature.id), signature.model_dump(mode="json")))
    tablet.push(tablet.create(signature))
    row = _row(tablet.database, visit_id)
    tablet.push(tablet.update("visit", visit_id, {"signature_id": str(signature.id)}, row.stamps))


def build_demo(database: Any, settings: Settings) -> None:
    """Demo data and a little of a working day (see the module's docstring)."""
    now = datetime.now(UTC)
    with database.write() as session:
        admin.seed_demo(session, settings, now)
    nurse = Tablet(database, settings, "nurse", "nurse-demo-1", "a3f09c21d4e8b571")
    aide = Tablet(database, settings, "aide", "aide-demo-1", "5be7c0d19a2f4e36")
    today = now.date()
    with database.read() as session:
        visits = session.scalars(
            select(Record).where(
                Record.entity == "visit", Record.worker_id == nurse.user_id, Record.day == today
            )
        ).all()
    visits = sorted(visits, key=lambda r: r.fields["scheduled_start"])
    for index, row in enumerate(visits[:3]):
        work_a_visit(nurse, row.id, finish=True, sign=index != 2, seed=index)
    work_a_visit(nurse, visits[3].id, finish=False, sign=False, seed=3)
    # The nurse marks one visit missed.
    last = _row(database, visits[-1].id)
    nurse.push(nurse.update("visit", last.id, {"status": "missed"}, last.stamps))

    # A phone number changed on the tablet and in the office at the same time: a conflict for the office.
    patient_id = uuid.UUID(visits[0].fields["patient_id"])
    seen = _row(database, patient_id).stamps
    nurse.push(nurse.update("patient", patient_id, {"phone": "+1 845-555-0199"}, seen))
    office_user = _user(database, OFFICE)
    office_principal = Principal(
        office_user, OFFICE, Role.OFFICE, office_auth.browser_device_id(OFFICE), uuid.uuid4()
    )
    with database.write() as session:
        office_edits.edit_patient(
            session, settings, office_principal, patient_id, {"phone": "+1 845-555-0142"},
            {"phone": seen["phone"]}, datetime.now(UTC) + timedelta(seconds=1),
        )  # fmt: skip

    # The nurse's end-of-day report, with its PDF and receipt.
    summary = {
        "visits_scheduled": len(visits), "visits_completed": 3, "visits_missed": 1, "visits_unsigned": 2,
        "visits_missing_evv": 1, "notes": 4, "observations": 16, "unsent_changes": 0, "open_conflicts": 1,
    }  # fmt: skip
    pdf = simple_pdf(
        [
            f"End-of-day report - nurse - {today.isoformat()}",
            "",
            *(f"{k.replace('_', ' ')}: {v}" for k, v in summary.items()),
        ]
    )
    report = DayReport(
        worker_id=nurse.user_id, day=today, summary=summary, pdf_sha256=nurse.upload(pdf, "application/pdf"),
        submitted_at=datetime.now(UTC),
    )  # fmt: skip
    nurse.push(nurse.create(report))
    with database.write() as session:
        reports.receipt(session, report.id, datetime.now(UTC))

    # Fleet: the nurse's tablet synced a minute ago; the aide's has been silent for three days.
    with database.write() as session:
        for device_id, synced, offset, pending, version in (
            (nurse.device_id, now - timedelta(minutes=1), 1240, 0, "0.1.0"),
            (aide.device_id, now - timedelta(days=3, hours=2), -47000, 6, "0.0.9"),
        ):
            device = session.get(Device, device_id)
            assert device is not None
            device.last_sync_at, device.last_seen = synced, synced
            device.clock_offset_ms, device.pending, device.app_version = offset, pending, version

    # The nurse's tablet sent its audit log with its last sync.
    visit, patient = visits[0].id, uuid.UUID(visits[0].fields["patient_id"])
    steps = [
        (AuditAction.SIGN_IN, None, None, "online"),
        (AuditAction.VIEW, "visit", visit, ""),
        (AuditAction.EDIT, "visit", visit, "fields: check_in, status"),
        (AuditAction.VIEW, "patient", patient, ""),
        (AuditAction.VIEW, "patient", _aides_patient(database, aide.user_id), "opened from a search"),
        (AuditAction.LOCK, None, None, "idle"),
        (AuditAction.UNLOCK_FAILED, None, None, ""),
        (AuditAction.UNLOCK, None, None, ""),
        (AuditAction.EDIT, "patient", patient, "fields: phone"),
        (AuditAction.EXPORT, "day_report", report.id, "end-of-day report sent to the office"),
        (AuditAction.SYNC, None, None, "pushed 21, pulled 3, set aside 0, removed 0"),
    ]
    events, previous = [], GENESIS
    start = int((now - timedelta(hours=8)).timestamp() * 1000)
    for seq, (action, entity, record_id, detail) in enumerate(steps, 1):
        content = AuditContent(
            uuid.uuid4(), seq, start + seq * 41 * 60_000, "nurse", action, entity, record_id, detail, previous
        )
        previous = content.digest()
        events.append(AuditEvent.of(content, previous))
    with database.write() as session:
        audit.store_device_events(
            session, nurse.principal, AuditUpload(device_id=nurse.device_id, events=events), now
        )


def _aides_patient(database: Any, aide: uuid.UUID) -> uuid.UUID:
    """A patient on the aide's caseload (the nurse opening it is flagged on the audit page)."""
    with database.read() as session:
        patient_id = session.scalar(
            select(Assignment.patient_id).where(Assignment.worker_id == aide, Assignment.active.is_(True))
        )
        assert patient_id is not None
        return patient_id


def alter_a_signature(database: Any) -> uuid.UUID:
    """What the integrity pages are for: someone changes a signed visit's stored signature (its signer's
    name) and the bytes of its image in the database; returns the visit."""
    with database.write() as session:
        signature = session.scalar(
            select(Record).where(Record.entity == "signature").order_by(Record.seq.desc()).limit(1)
        )
        assert signature is not None
        signature.fields = {**signature.fields, "signer_name": "Someone Else"}
        blob = session.get(Blob, signature.fields["image_sha256"])
        assert blob is not None
        blob.content = signature_png(seed=7)
        assert signature.parent_id is not None
        visit_id = signature.parent_id
    with database.read() as session:  # what the nightly `fieldapp admin verify` would then find
        found = verify.verify(session).problems
    integrity_log.report(database, found, "verify", None, datetime.now(UTC))
    return visit_id


def _user(database: Any, name: str) -> uuid.UUID:
    with database.read() as session:
        user_id = session.scalar(select(User.id).where(User.username == name))
        assert user_id is not None
        return user_id


# -- serving and photographing ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:
        pass


@contextmanager
def serving(settings: Settings) -> Iterator[tuple[str, Any]]:
    """The back office on a free loopback port (uvicorn in a thread); yields its URL and database."""
    app = create_app(settings)
    port = free_port()
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("office_screenshots: the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", app.state.database
    finally:
        server.should_exit = True
        thread.join(10)


def browser_args() -> list[str]:
    return ["--no-sandbox"] if os.geteuid() == 0 else []


def photograph(base: str, out: Path, alter: Callable[[], uuid.UUID]) -> list[Path]:
    """Sign in as the office and save each page; then ``alter`` a signature and show what the pages say."""
    from playwright.sync_api import sync_playwright

    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        page = browser.new_page(viewport=LANDSCAPE)

        def shot(name: str, *, full: bool = True) -> None:
            path = out / f"office-{name}.png"
            page.screenshot(path=str(path), full_page=full)
            saved.append(path)

        page.goto(f"{base}/office/visits")
        shot("login", full=False)
        page.fill("#username", OFFICE)
        page.fill("#password", OFFICE_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/office/visits")
        shot("visits")
        photograph_schedule(page, base, shot)
        page.goto(f"{base}/office/visits")
        page.click("section:has(h2 a:text-is('Ana López, RN')) table a[href^='/office/visits/']")
        page.wait_for_url("**/office/visits/*")
        shot("visit")
        page.goto(f"{base}/office/reports")
        shot("reports")
        page.click("text=Open report")
        page.wait_for_url("**/office/reports/*")
        shot("report")
        page.locator("section:has(h2:text-is('What is missing'))").scroll_into_view_if_needed()
        shot("report-summary", full=False)
        page.goto(f"{base}/office/patients")
        shot("patients")
        page.fill("#q", "mrn-1000")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_url("**q=mrn-1000**")
        shot("patients-search")
        page.click("table a[href^='/office/patients/']")
        page.wait_for_url("**/office/patients/*")
        shot("patient")
        page.fill("#phone", "call the daughter")
        page.fill("#address_latitude", "north")
        page.click("text=Save changes")
        page.wait_for_load_state()
        shot("patient-invalid")
        page.goto(f"{base}/office/workers")
        shot("workers")
        page.click("table >> text=Ana López")
        page.fill("#find", "chen")
        page.click("button:text('Find')")
        page.wait_for_url("**find=chen**")
        shot("worker", full=False)
        page.fill("#full_name", "Maria Delgado")
        page.select_option("#credential", "RN")
        page.fill("#phone", "845-555-0142")
        page.click("button:text('Save name and credential')")
        page.wait_for_url("**ok=card_saved**")
        shot("worker-card", full=False)
        page.goto(f"{base}/office/agency")
        page.fill("#name", "Hudson Valley Home Care")
        page.fill("#address", "40 Main Street, Millbrook NY 12545")
        page.fill("#phone", "845-555-0100")
        page.fill("#late_after_min", "10")
        page.click("button:text('Save')")
        page.wait_for_url("**ok=agency_saved**")
        shot("agency", full=False)
        page.goto(f"{base}/office/conflicts")
        shot("conflicts")
        page.goto(f"{base}/office/fleet")
        page.click("details.confirm >> nth=0 >> summary")
        shot("fleet")
        page.goto(f"{base}/office/audit")
        shot("audit")
        altered = alter()
        page.goto(f"{base}/office/visits/{altered}")
        page.locator("section:has(h2:text-is('Signature'))").scroll_into_view_if_needed()
        shot("visit-altered", full=False)
        page.goto(f"{base}/office/integrity")
        shot("integrity")
        page.set_viewport_size(PORTRAIT)
        page.goto(f"{base}/office/visits")
        shot("visits-portrait", full=False)
        page.goto(f"{base}/office/reports")
        shot("reports-portrait", full=False)
        browser.close()
    return saved


def photograph_schedule(page: Any, base: str, shot: Callable[..., None]) -> None:
    """The scheduling pages: the nurse's week, a new visit with its warnings, a series and its page."""
    page.click("nav >> text=Schedule")
    page.select_option("#worker", label="nurse")
    page.click("form.toolbar button:text('Show')")
    page.wait_for_url("**/office/schedule/week?**")
    shot("schedule-week")
    page.click("text=+ New visit")
    page.select_option("#patient_id", index=1)
    page.select_option("#worker_id", label="nurse")
    page.fill("#day", datetime.now(UTC).date().isoformat())
    page.fill("#start", "08:30")
    page.fill("#end", "09:30")
    page.select_option("#service_code", "G0299")
    page.fill("#worker_notes", "Bring the wound-care kit; the daughter opens the door.")
    page.click("button:text('Save')")
    page.wait_for_load_state()
    shot("schedule-visit-warnings")
    page.goto(f"{base}/office/schedule/series/new")
    page.select_option("#patient_id", index=2)
    page.select_option("#worker_id", label="nurse")
    for day in ("Mon", "Wed", "Fri"):
        page.check(f"label.check:has-text('{day}') >> input")
    monday = datetime.now(UTC).date() + timedelta(days=7 - datetime.now(UTC).weekday())
    page.fill("#start_date", monday.isoformat())
    page.fill("#end_date", (monday + timedelta(days=27)).isoformat())
    page.fill("#start", "13:00")
    page.fill("#end", "14:30")
    page.select_option("#service_code", "T1019")
    shot("schedule-series-new")
    page.click("button:text('Save and schedule the visits')")
    page.wait_for_load_state()
    if page.locator("button:text('Add to the caseload and save')").count():
        page.click("button:text('Add to the caseload and save')")
    page.wait_for_url("**/office/schedule/series/*")
    shot("schedule-series")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/office-demo.db", agency_timezone="UTC")
        with serving(settings) as (base, database):
            build_demo(database, settings)
            for path in photograph(base, args.out, lambda: alter_a_signature(database)):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
