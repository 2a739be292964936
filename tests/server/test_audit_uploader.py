"""Device audit entries carry the account that uploaded them (from the session, never from the entry), and
an entry naming another user or a record outside the uploader's caseload is kept and flagged (decision
0017), on SQLite and PostgreSQL. The office audit page shows the uploader beside the named user."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fieldapp.domain.audit import GENESIS, AuditAction, AuditContent
from fieldapp.server.models import DeviceAuditEvent
from tests.office.conftest import Browser
from tests.server import serverdb as db
from tests.server.conftest import PASSWORD, Clock, Users
from tests.server.helpers import Device
from tests.server.scenario import patient_on_caseload

Entry = tuple[str, AuditAction, str | None, uuid.UUID | None]


def chain(entries: list[Entry], at_ms: int) -> list[dict[str, Any]]:
    """The entries as a device uploads them: numbered from 1, hash-chained, one second apart."""
    events, previous = [], GENESIS
    for seq, (username, action, entity, record_id) in enumerate(entries, start=1):
        content = AuditContent(
            uuid.uuid4(), seq, at_ms + seq * 1000, username, action, entity, record_id, "", previous
        )
        previous = content.digest()
        events.append(
            {
                "id": str(content.id),
                "seq": seq,
                "at_ms": content.at_ms,
                "username": username,
                "action": action.value,
                "entity": entity,
                "record_id": str(record_id) if record_id else None,
                "detail": "",
                "prev_hash": content.prev_hash,
                "hash": previous,
            }
        )
    return events


def upload(client: TestClient, device: Device, events: list[dict[str, Any]]) -> None:
    body = {"device_id": device.device_id, "events": events}
    response = client.post("/audit/events", headers=device.headers, json=body)
    assert response.status_code == 200, response.text


def stored(client: TestClient) -> list[DeviceAuditEvent]:
    with db.database(client).read() as session:
        return list(session.scalars(sa.select(DeviceAuditEvent).order_by(DeviceAuditEvent.seq)))


def test_entries_are_kept_with_the_uploading_account_and_flagged_when_they_name_someone_else(
    client: TestClient, users: Users, nurse: Device, clock: Clock
) -> None:
    now_ms = int(clock.now.timestamp() * 1000)
    upload(
        client,
        nurse,
        chain(
            [
                ("nurse", AuditAction.SIGN_IN, None, None),
                ("office", AuditAction.EXPORT, None, None),  # claims the office did it
                ("Nurse", AuditAction.LOCK, None, None),  # the same person, typed another way
                ("office", AuditAction.SIGN_IN_FAILED, None, None),  # a name typed at a refused sign-in
            ],
            now_ms - 60_000,
        ),
    )
    entries = stored(client)
    assert [e.user_id for e in entries] == [users.nurse] * 4, "the uploader comes from the session"
    assert [e.username for e in entries] == ["nurse", "office", "Nurse", "office"], "what the entry says"
    assert [e.flag for e in entries] == [None, "names office, not the uploader", None, None]


def test_entries_about_records_outside_the_uploaders_caseload_are_flagged(
    client: TestClient, users: Users, office: Device, nurse: Device, aide: Device, clock: Clock
) -> None:
    mine = patient_on_caseload(client, office, users.nurse)
    theirs = patient_on_caseload(client, office, users.aide)
    nobody = uuid.uuid4()
    now_ms = int(clock.now.timestamp() * 1000)
    upload(
        client,
        nurse,
        chain(
            [
                ("nurse", AuditAction.VIEW, "patient", mine.id),
                ("nurse", AuditAction.VIEW, "patient", theirs.id),
                ("nurse", AuditAction.EDIT, "visit", nobody),
            ],
            now_ms - 60_000,
        ),
    )
    flags = [e.flag for e in stored(client)]
    assert flags == [
        None,
        "a patient not on the uploader's caseload then",
        "a record the server does not hold",
    ]


def test_a_patient_taken_off_the_caseload_is_not_flagged_for_what_happened_before(
    client: TestClient, users: Users, office: Device, nurse: Device, clock: Clock
) -> None:
    p = patient_on_caseload(client, office, users.nurse)
    before_ms = int(clock.now.timestamp() * 1000) - 60_000
    clock.advance(minutes=5)
    db.unassign(office, users.nurse, p.id)
    clock.advance(minutes=5)
    after_ms = int(clock.now.timestamp() * 1000)
    viewed = [("nurse", AuditAction.VIEW, "patient", p.id)]
    upload(client, nurse, chain(viewed, before_ms))  # uploaded late: viewed while still on the caseload
    other_tablet = Device.sign_in(client, "nurse", PASSWORD, "tablet9")
    upload(client, other_tablet, chain(viewed, after_ms))  # viewed after the unassignment
    flags = {(e.device_id, e.seq): e.flag for e in stored(client)}
    assert flags[("tablet1", 1)] is None, "on the caseload when it happened"
    assert flags[("tablet9", 1)] == "a patient not on the uploader's caseload then"


def test_the_api_and_the_office_audit_page_show_the_uploader_beside_the_named_user(
    client: TestClient, users: Users, nurse: Device, office: Device, clock: Clock
) -> None:
    upload(
        client,
        nurse,
        chain(
            [("office", AuditAction.VIEW, None, None)],
            int((clock.now - timedelta(minutes=1)).timestamp() * 1000),
        ),
    )
    [entry] = client.get("/admin/audit/devices", headers=office.headers).json()
    assert entry["username"] == "office" and entry["user_id"] == str(users.nurse)
    assert entry["flag"] == "names office, not the uploader"
    browser = Browser(TestClient(client.app))
    assert browser.sign_in("office", PASSWORD).status_code == 303
    page = browser.get("/office/audit").text
    row = page[page.index("<td>office</td>") :]
    row = row[: row.index("</tr>")]
    assert "<td>nurse</td>" in row, "the uploader is shown beside the named user"
    assert "check</span>" in row and "names office, not the uploader" in row
    assert "Uploaded by" in page
