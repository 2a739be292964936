"""Screenshots of the office pages in Spanish and as printed, with the demo data of office_screenshots.py,
as docs/screenshots/office-es-*.png and office-print-*.png (decision 0032).

The browser asks for Spanish (its locale, so its Accept-Language, is es-ES); the print shots emulate print
media, as the browser's print preview lays the page out.

    .venv/bin/python scripts/office_screenshots_i18n.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
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
        scope = "section:has(h2 a:text-is('nurse')) " if where == "visit" else "main "  # a visit worked
        page.locator(f"{scope}table a[href^='/office/{where}s/']").first.click()
        page.wait_for_url(f"**/office/{where}s/*")
    else:
        page.goto(base + where)


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
