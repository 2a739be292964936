"""Fixtures for the office pages: the server contract suite's databases (SQLite and PostgreSQL), app,
clock and users, and a browser-like client that signs in through the sign-in form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.server.conftest import (  # noqa: F401  (fixtures used by the tests here)
    PASSWORD,
    Clock,
    Users,
    aide,
    app_factory,
    client,
    clock,
    database_url,
    nurse,
    office,
    pg_database_url,
    settings,
    sqlite_template,
    users,
)

CSRF_INPUT = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Browser:
    """What a browser does with the office pages: keeps cookies, reads forms, posts them with their token."""

    http: TestClient

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.http.get(path, follow_redirects=False, **kwargs)

    def csrf(self) -> str:
        token = self.http.cookies.get("fieldapp_office_csrf")
        if token is None:
            page = self.http.get("/office/login")
            match = CSRF_INPUT.search(page.text)
            assert match, page.text
            token = match.group(1)
        return token

    def post(
        self, path: str, data: dict[str, str] | None = None, *, csrf: str | None = "", **kwargs: Any
    ) -> Response:
        """POST a form; ``csrf=""`` sends this browser's token, None sends none, anything else that."""
        fields = dict(data or {})
        if csrf == "":
            fields["csrf"] = self.csrf()
        elif csrf is not None:
            fields["csrf"] = csrf
        return self.http.post(path, data=fields, follow_redirects=False, **kwargs)

    def sign_in(self, username: str = "office", password: str = PASSWORD) -> Response:
        self.http.get("/office/login")
        return self.post(
            "/office/login", {"username": username, "password": password, "next": "/office/visits"}
        )

    def form_values(self, path: str, action: str | None = None) -> dict[str, str]:
        """The values the page's form posting to ``action`` (default: ``path``) would send as it is."""
        page = self.get(path)
        assert page.status_code == 200, page.text
        start = page.text.index(f'<form method="post" action="{action or path}"')
        return form_fields(page.text[start : page.text.index("</form>", start)])


def form_fields(html: str) -> dict[str, str]:
    import html as html_lib

    values: dict[str, str] = {}
    for kind, name, value, rest in re.findall(
        r'<input type="([^"]*)"[^>]*? name="([^"]+)" value="([^"]*)"([^>]*)>', html
    ):
        if kind not in ("checkbox", "radio") or " checked" in rest:  # an unticked box sends nothing
            values.setdefault(name, html_lib.unescape(value))
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        values[name] = html_lib.unescape(value)
    for name, body in re.findall(r'<select id="[^"]*" name="([^"]+)">(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body) or re.search(
            r'<option value="([^"]*)"', body
        )
        values[name] = html_lib.unescape(chosen.group(1)) if chosen else ""
    for name, body in re.findall(r'<textarea id="[^"]*" name="([^"]+)"[^>]*>\n(.*?)</textarea>', html, re.S):
        values[name] = html_lib.unescape(body)
    return values


@pytest.fixture
def browser(client: TestClient, users: Users) -> Browser:  # noqa: F811
    return Browser(client)


@pytest.fixture
def signed_in(browser: Browser) -> Browser:
    response = browser.sign_in()
    assert response.status_code == 303, response.text
    return browser
