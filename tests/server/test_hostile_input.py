"""Hostile input against every endpoint: each gets a clear 4xx with a reason and stores nothing.

A corpus of malformed, oversized, wrongly typed, injected (SQL, path traversal, control characters) and
unicode-edge inputs, plus property-based fuzzing of the push endpoint with Hypothesis.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server import helpers as h
from tests.server import serverdb as db
from tests.server.conftest import Users
from tests.server.helpers import Device

SQL = "'; DROP TABLE records; --"
TRAVERSAL = "../../../../etc/passwd"
# Refused: invisible reordering (Trojan Source), byte-order mark, NUL, terminal escapes, over-long text.
HOSTILE_UNICODE = [
    "Oka\u202efor",
    "\ufeffOkafor",
    "A" * 100_000,
    "Oka\x00for",
    "\x1b[31mOkafor",
    "Oka\u2066for",
]
# Accepted and kept exactly: names from other scripts and the astral planes are not hostile.
LEGIT_UNICODE = ["𝕏avier", "Zoë", "Nguyễn", "عائشة", "דוד", "李小龍", "Ǆemal", "e\u0301lodie"]


def _mutation(device: Device, **fields: Any) -> dict[str, Any]:
    stamp = device.clock.now().encode()
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": "patient",
        "record_id": str(uuid.uuid4()),
        "changes": {name: {"v": value, "s": stamp} for name, value in fields.items()},
    }


def _bodies(office: Device) -> list[tuple[str, Any]]:
    good = h.patient()
    created = office.create(good)
    return [
        ("not json", b"{not json"),
        ("json array", []),
        ("json string", "push"),
        ("null", None),
        ("no mutations", {"device_id": "office1", "mutations": []}),
        ("unknown top-level field", {"device_id": "office1", "mutations": [created], "admin": True}),
        ("device id injection", {"device_id": SQL, "mutations": [created]}),
        ("device id too long", {"device_id": "a" * 500, "mutations": [created]}),
        ("entity injection", {"device_id": "office1", "mutations": [{**created, "entity": SQL}]}),
        (
            "record id not a uuid",
            {"device_id": "office1", "mutations": [{**created, "record_id": TRAVERSAL}]},
        ),
        (
            "field name injection",
            {
                "device_id": "office1",
                "mutations": [
                    {
                        **created,
                        "changes": {
                            **created["changes"],
                            "x; DROP TABLE users": {"v": 1, "s": "0" * 16 + "a"},
                        },
                    }
                ],
            },
        ),
        (
            "stamp injection",
            {
                "device_id": "office1",
                "mutations": [{**created, "changes": {"phone": {"v": "555", "s": SQL}}}],
            },
        ),
        (
            "value of the wrong type",
            {
                "device_id": "office1",
                "mutations": [
                    _mutation(office, mrn=["x"], given_name={"a": 1}, family_name=3, date_of_birth=True)
                ],
            },
        ),
        ("too many mutations", {"device_id": "office1", "mutations": [created] * 1001}),
        (
            "huge string",
            {
                "device_id": "office1",
                "mutations": [
                    _mutation(
                        office,
                        mrn="M1",
                        given_name="A" * 200_000,
                        family_name="B",
                        date_of_birth="1940-01-01",
                    )
                ],
            },
        ),
        (
            "nested depth",
            {
                "device_id": "office1",
                "mutations": [_mutation(office, address={"line1": {"a": {"b": {"c": [[[[[]]]]]}}}})],
            },
        ),
        ("integer overflow", {"device_id": "office1", "pending": 2**80, "mutations": [created]}),
        ("negative pending", {"device_id": "office1", "pending": -1, "mutations": [created]}),
        *[
            (
                f"unicode edge {i}",
                {
                    "device_id": "office1",
                    "mutations": [
                        _mutation(
                            office,
                            mrn="M-1",
                            given_name=edge,
                            family_name="Okafor",
                            date_of_birth="1940-01-01",
                        )
                    ],
                },
            )
            for i, edge in enumerate(HOSTILE_UNICODE)
        ],
    ]


def test_every_hostile_push_is_refused_clearly_and_stores_nothing(
    client: TestClient, users: Users, office: Device
) -> None:
    before = db.snapshot(client)
    tried = 0
    for name, body in _bodies(office):
        if isinstance(body, bytes):
            response = client.post(
                "/sync/push", content=body, headers={**office.headers, "Content-Type": "application/json"}
            )
        else:
            response = client.post("/sync/push", json=body, headers=office.headers)
        tried += 1
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text[:300])
        error = response.json()
        assert error["error"] and error["message"], name
        assert db.snapshot(client) == before, f"{name} changed something"
    assert tried >= 24


@pytest.mark.parametrize(
    "path",
    [
        "/blobs/" + TRAVERSAL,
        "/blobs/..%2F..%2Fetc%2Fpasswd",
        "/blobs/%00",
        "/blobs/" + "A" * 64,
        "/reports/day/" + SQL + "/receipt",
        "/caseloads/" + SQL + "/x",
        "/sync/pull?cursor=" + SQL,
        "/sync/pull?limit=-1",
        "/sync/pull?limit=99999999999999999999",
        "/sync/pull?cursor=s" + "9" * 40,
    ],
)
def test_hostile_paths_and_queries_are_refused_clearly(client: TestClient, office: Device, path: str) -> None:
    before = db.snapshot(client)
    method = "PUT" if path.startswith("/caseloads") else "GET"
    response = client.request(method, path, headers=office.headers)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:300])
    assert response.json()["message"]
    assert db.snapshot(client) == before


def test_hostile_sign_ins_are_refused_clearly(client: TestClient, users: Users) -> None:
    for body in [
        {"username": SQL, "password": SQL, "device_id": "tab1"},
        {"username": "nurse", "password": "x" * 10_000, "device_id": "tab1"},
        {"username": "nurse\x00", "password": "p", "device_id": "tab1"},
        {"username": "nurse", "password": "p", "device_id": TRAVERSAL},
        {"username": 1, "password": [], "device_id": {}},
    ]:
        response = client.post("/auth/login", json=body)
        assert response.status_code in (401, 422), (body, response.text[:200])
        assert response.json()["message"]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "mrn",
                "given_name",
                "family_name",
                "date_of_birth",
                "sex",
                "phone",
                "address",
                "allergies",
                "active",
                "care_plan",
                "nonsense",
            ]
        ),
        json_values,
        max_size=6,
    ),
    entity=st.sampled_from(["patient", "visit", "visit_note", "observation", "signature", "day_report"]),
)
def test_fuzzed_pushes_never_fail_the_server_and_refusals_store_nothing(
    client: TestClient, users: Users, office: Device, fields: dict[str, Any], entity: str
) -> None:
    mutation = {**_mutation(office, **fields), "entity": entity}
    before = db.snapshot(client)
    response = client.post(
        "/sync/push", json={"device_id": "office1", "mutations": [mutation]}, headers=office.headers
    )
    assert response.status_code < 500, response.text[:300]
    if response.status_code != 200:
        assert response.json()["message"]
        assert db.snapshot(client) == before


def test_names_in_every_script_are_accepted_and_kept_exactly(
    client: TestClient, users: Users, office: Device
) -> None:
    for name in LEGIT_UNICODE:
        p = h.patient(given_name=name)
        office.push_ok(office.create(p))
        stored = db.record(client, p.id)
        assert stored is not None and stored.fields["given_name"] == name
