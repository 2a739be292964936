"""Screenshots of the office pages in Spanish and as printed, with the demo data of office_screenshots.py,
as docs/screenshots/office-es-*.png and office-print-*.png (decision 0032), and what the services refuse or
warn about in Spanish (office-es-visit-warnings, -restore-warnings, -restored-warnings, -patient-refused:
decision 0040).

The browser asks for Spanish (its locale, so its Accept-Language, is es-ES); the print shots emulate print
media, as the browser's print preview lays the page out.

    .venv/bin/python scripts/office_screenshots_i18n.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from office_screenshots import (
    CHROMIUM,
    LANDSCAPE,
    OFFICE,
    OFFICE_PASSWORD,
    ROOT,
    Settings,
    browser_args,
    build_demo,
    serving,
)

# (name, page): the pages shown in Spanish; "visit" and "patient" are the first the lists link to.
SPANISH_PAGES = [
    ("visits", "/office/visits"),
    ("visit", "visit"),
    ("patients", "/office/patients"),
    ("patient", "patient"),
    ("schedule-week", "/office/schedule/week"),
    ("reports", "/office/reports"),
    ("exceptions", "/office/exceptions?state=all"),
    ("audit", "/office/audit"),
    ("fleet", "/office/fleet"),
]
PRINTED_PAGES = [("visit", "visit"), ("patients", "/office/patients"), ("report", "report")]


def _sign_in(page: Any, base: str) -> None:
    page.goto(f"{base}/office/visits")
    page.fill("#username", OFFICE)
    page.fill("#password", OFFICE_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/office/visits")


def _open(page: Any, base: str, where: str) -> None:
    """A page by its path, or the first visit, patient or report the lists link to."""
    lists = {"visit": "/office/visits", "patient": "/office/patients", "report": "/office/reports"}
    if where in lists:
        page.goto(base + lists[where])
        # a visit the nurse worked (the demo names her Ana López)
        scope = "section:has(h2 a:has-text('Ana López')) " if where == "visit" else "main "
        page.locator(f"{scope}table a[href^='/office/{where}s/']").first.click()
        page.wait_for_url(f"**/office/{where}s/*")
    else:
        page.goto(base + where)


def _new_visit(page: Any, base: str, day: date, start: str, end: str) -> str:
    """Fill and send the new visit form for the nurse's first patient; the visit's id."""
    page.goto(f"{base}/office/schedule/visits/new")
    visit_id = str(page.input_value("input[name=visit_id]"))
    page.select_option("#patient_id", index=1)
    page.select_option("#worker_id", label="nurse")
    page.fill("#day", day.isoformat())
    page.fill("#start", start)
    page.fill("#end", end)
    page.select_option("#service_code", "G0299")
    page.click("form[action='/office/schedule/visits/new'] button[type=submit]")
    page.wait_for_load_state()
    if page.locator("input[name=join]").count():  # the caseload prompt: add the patient, save
        page.click("form[action='/office/schedule/visits/new'] button[type=submit]")
        page.wait_for_load_state()
    return visit_id


def photograph_refusals(page: Any, base: str, out: Path) -> list[Path]:
    """What the services refuse or warn about, said in Spanish (decision 0040): a double booking before
    saving, a restore into a slot taken meanwhile (before and after confirming), a refused patient form."""
    saved: list[Path] = []

    def shot(name: str) -> None:
        saved.append(out / f"office-es-{name}.png")
        page.screenshot(path=str(saved[-1]), full_page=True)

    today = datetime.now(UTC).date()
    _new_visit(page, base, today, "08:30", "09:30")
    shot("visit-warnings")
    tomorrow = today + timedelta(days=1)
    gone = _new_visit(page, base, tomorrow, "18:00", "19:00")
    page.goto(f"{base}/office/schedule/visits/{gone}")
    page.fill("#reason", "Hospital")
    page.click(f"form[action='/office/schedule/visits/{gone}/cancel'] button[type=submit]")
    page.wait_for_load_state()
    _new_visit(page, base, tomorrow, "18:30", "19:30")
    page.goto(f"{base}/office/schedule/visits/{gone}")
    page.click(f"form[action='/office/schedule/visits/{gone}/restore'] button[type=submit]")
    page.wait_for_load_state()
    shot("restore-warnings")
    page.click(f"form[action='/office/schedule/visits/{gone}/restore'] button[type=submit]")
    page.wait_for_load_state()
    shot("restored-warnings")
    page.goto(f"{base}/office/patients/new")
    for name, value in (("mrn", "MRN-1700"), ("given_name", "Ada"), ("family_name", "Old")):
        page.fill(f"#{name}", value)
    page.fill("#date_of_birth", "1700-01-01")
    page.click("form[action='/office/patients/new'] button[type=submit]:not([name])")
    page.wait_for_load_state()
    shot("patient-refused")
    return saved


def photograph(base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=browser_args())
        for locale, prefix, pages, media in (
            ("es-ES", "office-es", SPANISH_PAGES, "screen"),
            ("en-US", "office-print", PRINTED_PAGES, "print"),
        ):
            context = browser.new_context(viewport=LANDSCAPE, locale=locale)
            page = context.new_page()
            if locale.startswith("es"):
                page.goto(f"{base}/office/login")
                saved.append(out / f"{prefix}-login.png")
                page.screenshot(path=str(saved[-1]))
            _sign_in(page, base)
            for name, where in pages:
                _open(page, base, where)
                page.emulate_media(media=media)
                saved.append(out / f"{prefix}-{name}.png")
                page.screenshot(path=str(saved[-1]), full_page=True)
                page.emulate_media(media="screen")
            if locale.startswith("es"):
                saved += photograph_refusals(page, base, out)
            context.close()
        browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=f"sqlite:///{folder}/office-demo.db", agency_timezone="UTC")
        with serving(settings) as (base, database):
            build_demo(database, settings)
            for path in photograph(base, args.out):
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
