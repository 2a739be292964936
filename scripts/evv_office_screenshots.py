"""The office's visit-verification pages in headless Chromium, as docs/screenshots/office-evv-*.png.

A scratch back office (SQLite) with one day of 12 workers' visits, some late, short or far from home
with the exceptions their tablets would send (a few with the worker's reason, a few already decided),
written through the office's own write path. Grabs: the exception queue, the queue filtered by a code,
a visit with its exceptions and verification state, the patient page's home position, and the exports
page after one export.

    .venv/bin/python scripts/evv_office_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
import urllib.request
import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from office_screenshots import CHROMIUM, LANDSCAPE, browser_args, serving

from fieldapp import demodata
from fieldapp.domain.entities import Entity, Visit, VisitException
from fieldapp.domain.exceptions import ExceptionCode, ExceptionReason, exception_id
from fieldapp.domain.values import Address
from fieldapp.server.auth import sessions as auth
from fieldapp.server.core import admin
from fieldapp.server.models import User
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import Role

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "office-demo-password-7"
DAY = datetime.now(UTC).date() - timedelta(days=1)
R = ExceptionReason
CASES = [  # minutes late, minutes stayed, kilometres north of home, reasons given
    (3, 55, 0.0, {}),
    (35, 50, 0.0, {ExceptionCode.LATE_CHECK_IN: R.TRAFFIC_OR_TRAVEL}),
    (
        2,
        12,
        0.0,
        {ExceptionCode.VISIT_TOO_SHORT: R.CLIENT_REQUEST, ExceptionCode.EARLY_CHECK_OUT: R.CLIENT_REQUEST},
    ),
    (4, 56, 2.1, {ExceptionCode.LOCATION_FAR: R.SERVICE_IN_COMMUNITY}),
    (1, 58, 0.0, {}),
    (50, 30, 0.0, {}),
]


def _event(at: datetime, lat: float, lon: float) -> dict[str, object]:
    place = {"kind": "gps", "latitude": lat, "longitude": lon, "accuracy_m": 9.0, "fixed_at": at}
    return {"device_time": at, "server_time": at, "location": place}


def build(database: object, settings: Settings) -> uuid.UUID:
    """The day's data; returns a visit with exceptions to show."""
    from fieldapp.domain.verification import findings

    now = datetime.now(UTC)
    with database.write() as session:  # type: ignore[attr-defined]
        office = auth.create_user(session, "office", PASSWORD, Role.OFFICE, now)
        workers = [auth.create_user(session, f"aide{n:02d}", PASSWORD, Role.WORKER, now) for n in range(12)]
        session.flush()
        records: list[Entity] = []
        shown = None
        for n, patient in enumerate(demodata.patients(36)):
            home = Address(
                line1=f"{n + 3} Mill Road", city="Millbrook", latitude=41.78 + n * 0.001, longitude=-73.69
            )
            patient = patient.model_copy(update={"address": home})
            records.append(patient)
            worker = workers[n % 12]
            late, stayed, away, reasons = CASES[n % len(CASES)]
            start = datetime.combine(DAY, time(8 + n // 12 * 2), tzinfo=UTC)
            begin = start + timedelta(minutes=late)
            lat = home.latitude + away / 111.0  # type: ignore[operator]
            visit = Visit(
                patient_id=patient.id,
                worker_id=worker.id,
                scheduled_start=start,
                scheduled_end=start + timedelta(hours=1),
                service_code="T1019",
                status="completed",  # type: ignore[arg-type]
                check_in=_event(begin, lat, -73.69),  # type: ignore[arg-type]
                check_out=_event(begin + timedelta(minutes=stayed), lat, -73.69),  # type: ignore[arg-type]
                signature_id=uuid.uuid4(),
            )
            records.append(visit)
            for k, found in enumerate(findings(visit, home, now)):
                decided = n >= 30 and k == 0
                resolution = (
                    {"decision": "approved", "by": "office", "at": now, "note": ""} if decided else None
                )
                records.append(
                    VisitException(
                        id=exception_id(visit.id, found.code),
                        visit_id=visit.id,
                        patient_id=patient.id,
                        worker_id=worker.id,
                        code=found.code,
                        detected_at=begin,
                        detail=found.detail,
                        reason=reasons.get(found.code),
                        note="Road closed at the bridge"
                        if found.code is ExceptionCode.LATE_CHECK_IN and reasons
                        else "",
                        resolution=resolution,  # type: ignore[arg-type]
                    )
                )
                shown = shown or (visit.id if reasons and len(reasons) > 1 else None)
        author = session.get(User, office.id)
        admin.write_records(session, settings, author, records, now)  # type: ignore[arg-type]
    assert shown is not None
    return shown


def photograph(base: str, visit_id: uuid.UUID) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        page = browser.new_page(viewport=LANDSCAPE)

        def shot(name: str) -> None:
            path = OUT / f"office-evv-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            print(path.relative_to(ROOT))

        page.goto(f"{base}/office/login")
        page.fill("#username", "office")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/office/visits")
        page.goto(f"{base}/office/exceptions?day={DAY}")
        shot("queue")
        page.goto(f"{base}/office/exceptions?day={DAY}&code=late_check_in&state=all")
        shot("queue-late")
        page.goto(f"{base}/office/visits/{visit_id}")
        shot("visit")
        patient = page.get_attribute("a[href^='/office/patients/']", "href")
        page.goto(f"{base}{patient}#home-position")
        page.locator("#home-position").screenshot(path=str(OUT / "office-evv-home.png"))
        print((OUT / "office-evv-home.png").relative_to(ROOT))
        page.goto(f"{base}/office/exports")
        page.fill("#from", str(DAY))
        page.fill("#to", str(DAY))
        with page.expect_download():
            page.click("button:text('Download')")
        page.goto(f"{base}/office/exports")
        shot("exports")
        page.goto(f"{base}/office/visits?day={DAY}")
        shot("board")  # "Verification": verified, exceptions open, rejected; the six elements beside
        page.goto(f"{base}/office/agency")
        shot("agency")  # the verification thresholds the tablets receive
        browser.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run scripts/ensure-system-deps")
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/evv-office.db", agency_timezone="UTC")
        with serving(settings) as (base, database):
            visit_id = build(database, settings)
            urllib.request.urlopen(f"{base}/health", timeout=10).close()
            photograph(base, visit_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
