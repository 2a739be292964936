"""Printing an office page (Chromium, print media emulated): the content only, black on white; no
navigation bar, buttons, filters or forms to fill."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.conftest import LiveServer
from tests.office.test_browser import page, server  # noqa: F401  (fixtures: a server, a signed-in Chromium)

pytestmark = pytest.mark.timeout(240)


def _shown(tab: Any, selector: str) -> bool:
    return bool(tab.locator(selector).first.is_visible())


def test_printing_a_page_leaves_out_the_navigation_and_the_controls(
    page: Any,  # noqa: F811
    server: LiveServer,  # noqa: F811
) -> None:
    page.goto(f"{server.url}/office/patients")
    assert _shown(page, "header.top") and _shown(page, "form.toolbar button")
    page.emulate_media(media="print")
    assert not _shown(page, "header.top") and not _shown(page, "nav")
    assert not _shown(page, "form.toolbar") and not _shown(page, "a.button")
    assert _shown(page, "main h1") and _shown(page, "footer")
    ink = page.evaluate("getComputedStyle(document.querySelector('main h1')).color")
    paper = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (ink, paper) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")
    pdf = page.pdf(format="Letter")
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    page.emulate_media(media="screen")
    assert _shown(page, "header.top")
