"""Every query parameter of every GET route, office pages and API alike, with generated values: dates from
year 1 to 9999 in every shape, numbers far out of range, text of any kind. No answer is a 5xx; a refusal
says why; nothing is stored by a page view. On SQLite and PostgreSQL; ``FIELDAPP_HOSTILE_EXAMPLES`` sets
the examples per route (25 by default).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.server.auth import passwords
from fieldapp.server.models import ConflictEntry, Record
from tests.office.conftest import Browser, Users
from tests.server import helpers as h
from tests.server.helpers import Device
from tests.server.scenario import change_counter, patient_on_caseload, rows

EXAMPLES = int(os.environ.get("FIELDAPP_HOSTILE_EXAMPLES", 25))
SWEEP = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


EXTREME_DATES = [
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "-2026-01-01",
    "2026-1-1",
    "20260101",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-12:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59.999999-14:00",
    "2026-11-26T25:00:00",
    "2026-11-26T10:00:00+99:00",
    "2026-11-26T10:00:00",
    "2026-11-26 10:00",
]
EXTREME_NUMBERS = [
    "0",
    "-1",
    "-9223372036854775809",
    "9223372036854775808",
    "1e400",
    "NaN",
    "1.5",
    "0x10",
    "²",
]
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
values = st.one_of(
    st.sampled_from(EXTREME_DATES + EXTREME_NUMBERS),
    st.dates().map(str),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.integers().map(str),
    st.uuids().map(str),
    text,
    st.just("x" * 5000),
)


OTHER_NAMES = ["day", "page", "limit", "since", "until"]  # parameters a route does not have, sent anyway


@dataclass
class Site:
    """A signed-in office browser and office device over a database with a little of everything."""

    client: TestClient
    browser: Browser
    office: Device
    ids: dict[str, str]


@pytest.fixture
def site(client: TestClient, users: Users, office: Device, nurse: Device, signed_in: Browser) -> Site:
    p = patient_on_caseload(client, office, users.nurse)
    v = h.visit(p.id, users.nurse)
    office.push_ok(office.create(v))
    ids = {
        "visit_id": str(v.id),
        "patient_id": str(p.id),
        "worker_id": str(users.nurse),
        "user_id": str(users.nurse),
        "report_id": str(uuid.uuid4()),
        "signature_id": str(uuid.uuid4()),
        "attachment_id": str(uuid.uuid4()),
        "device_id": "tablet1",
        "sha256": "0" * 64,
        "rest": "nowhere",
        "series_id": str(uuid.uuid4()),
        "external_id": "AG-404",
        "day": "2026-12-01",
        "worker": "nurse",
    }
    return Site(client, signed_in, office, ids)


def get_routes(client: TestClient, office: bool) -> Iterator[tuple[str, list[str]]]:
    """Each GET route of the office pages (or of the API) with the names of its query parameters."""
    routes: list[Any] = []
    for route in client.app.routes:  # type: ignore[attr-defined]
        included = getattr(route, "original_router", None)  # an included router keeps its own routes
        routes += included.routes if included is not None else [route]
    for route in routes:
        if not isinstance(route, APIRoute) or "GET" not in route.methods or route.path == "/sync/events":
            continue
        if route.path.startswith("/office") == office:
            yield route.path, [param.name for param in route.dependant.query_params]


def fill(path: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value).replace("{" + name + ":path}", value)
    assert "{" not in path, path
    return path


def stored(client: TestClient) -> tuple[int, int, int]:
    return rows(client, Record), rows(client, ConflictEntry), change_counter(client)


def probe(url: str, names: list[str], send: Any) -> None:
    """Every extreme value in each of the route's parameters, then generated queries that may add others:
    never a 5xx, and a refusal has a body that says why."""
    for name in names:
        for value in EXTREME_DATES + EXTREME_NUMBERS:
            response = send(url, {name: value})
            assert response.status_code < 500, (url, name, value, response.status_code, response.text[:300])

    @SWEEP
    @given(query=st.dictionaries(st.sampled_from([*names, *OTHER_NAMES]), values, max_size=4))
    def one(query: dict[str, str]) -> None:
        response = send(url, query)
        assert response.status_code < 500, (url, query, response.status_code, response.text[:300])
        if response.status_code >= 400:
            assert response.text.strip(), (url, query)

    one()


def sweep(site: Site, office: bool, send: Any) -> int:
    routes = list(get_routes(site.client, office))
    assert routes
    before = stored(site.client)
    for path, names in routes:
        probe(fill(path, site.ids), names, send)
    assert stored(site.client) == before
    return len(routes)


def test_every_office_page_answers_any_query_without_a_server_error(site: Site) -> None:
    covered = sweep(site, True, lambda url, query: site.browser.get(url, params=query))
    assert covered >= 12


def test_every_api_read_answers_any_query_without_a_server_error(site: Site) -> None:
    headers = site.office.headers
    covered = sweep(site, False, lambda url, query: site.client.get(url, params=query, headers=headers))
    assert covered >= 8


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/office/visits", {"day": "9999-12-31"}),
        ("/office/visits", {"day": "0001-01-01"}),
        ("/office/reports", {"day": "9999-12-31"}),
        ("/office/reports", {"day": "0001-01-01"}),
        ("/office/visits", {"day": "2026-02-30"}),
        ("/office/visits", {"day": "1899-12-31"}),
        ("/office/reports", {"day": "3000-01-01"}),
    ],
)
def test_days_out_of_range_get_a_page_that_says_which_days_exist(
    site: Site, path: str, query: dict[str, str]
) -> None:
    response = site.browser.get(path, params=query)
    assert response.status_code == 400, response.text[:300]
    assert "text/html" in response.headers["content-type"]
    assert "between 1900-01-01 and 2999-12-31" in response.text


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30", "x" * 40])
def test_the_audit_filter_names_a_day_out_of_range_like_its_other_filters(site: Site, day: str) -> None:
    response = site.browser.get("/office/audit", params={"day": day})
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert "between 1900-01-01 and 2999-12-31" in response.text or "not valid" in response.text


def test_numbers_out_of_range_get_a_clear_page(site: Site) -> None:
    for path, query in [
        ("/office/patients", {"page": "99999999999999999999"}),
        ("/office/conflicts", {"page": "-1"}),
        ("/office/visits", {"worker": "9" * 100}),
    ]:
        response = site.browser.get(path, params=query)
        assert 400 <= response.status_code < 500 and "text/html" in response.headers["content-type"], path
        assert "not valid" in response.text or "chosen" in response.text, path


@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31"])
def test_the_first_and_last_days_a_page_shows_are_served(site: Site, day: str) -> None:
    for path in ("/office/visits", "/office/reports", "/office/audit"):
        response = site.browser.get(path, params={"day": day})
        assert response.status_code == 200, (path, response.text[:300])
