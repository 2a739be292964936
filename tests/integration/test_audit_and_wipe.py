"""The device audit log reaching the office, and remote wipe, with a real server on loopback."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import requests
import sqlalchemy as sa

from fieldapp import deprovision
from fieldapp.__main__ import main
from fieldapp.app import Device
from fieldapp.domain.audit import AuditAction
from fieldapp.domain.entities import Patient
from fieldapp.server.models import Device as ServerDevice
from fieldapp.server.models import DeviceAuditEvent, Record
from fieldapp.store import audit, repo
from fieldapp.sync.engine import SyncEngine
from tests.integration.conftest import LiveServer
from tests.integration.faulty import Fault, FaultyTransport, Planned
from tests.keyrings import MemoryKeyring
from tests.server import helpers as h
from tests.server.conftest import PASSWORD


def office_token(live_server: LiveServer) -> dict[str, str]:
    answer = requests.post(
        f"{live_server.url}/auth/login",
        json={"username": "office", "password": PASSWORD, "device_id": "officeweb"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def server_audit(live_server: LiveServer, device_id: str) -> list[DeviceAuditEvent]:
    with live_server.database.read() as session:
        return list(
            session.scalars(
                sa.select(DeviceAuditEvent)
                .where(DeviceAuditEvent.device_id == device_id)
                .order_by(DeviceAuditEvent.seq)
            )
        )


def test_the_devices_audit_log_reaches_the_office_once(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    p = h.patient()
    live_server.office_writes(p)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    first = tablet.engine.run()
    assert first.ok, first.error
    with tablet.store.unit_of_work() as s:
        audit.record(s, "nurse", AuditAction.VIEW, entity="patient", record_id=p.id)
        change = repo.update(s, tablet.store.clock, Patient, p.id, {"phone": "555-0100"})
        audit.record_changes(s, "nurse", [change])
    second = tablet.engine.run()
    assert second.ok, second.error

    stored = server_audit(live_server, tablet.store.node_id)
    actions = [e.action for e in stored]
    assert actions[0] == "sign_in"
    assert actions.count("sync") == 2 and "view" in actions and "edit" in actions
    assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert all(e.chain_ok for e in stored)
    edit = next(e for e in stored if e.action == "edit")
    assert edit.record_id == p.id and edit.detail == "fields: phone"
    assert "555" not in " ".join(e.detail for e in stored), "no patient data in the audit trail"
    with tablet.store.read() as s:
        assert audit.unsent_count(s) == 0
    # Nothing happened since: the next (no-op) cycle records and sends nothing.
    third = tablet.engine.run()
    assert third.ok and third.audit_sent == 0
    assert len(server_audit(live_server, tablet.store.node_id)) == len(stored)


def test_a_lost_answer_to_an_audit_upload_stores_the_entries_once(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    tablet = new_device("nurse")
    faulty = FaultyTransport(tablet.transport, [Planned(Fault.LOSE_REPLY, on="upload_audit")])
    engine = SyncEngine(tablet.store, faulty, tablet.blobs, username="nurse")
    with tablet.store.unit_of_work() as s:
        for _ in range(3):
            audit.record(s, "nurse", AuditAction.VIEW, entity="patient", record_id=uuid.uuid4())
    lost = engine.run()
    assert lost.ok, "a lost audit answer does not fail the sync"
    with tablet.store.read() as s:
        assert audit.unsent_count(s) >= 4  # sign-in + 3 views, still unconfirmed
    again = engine.run()
    assert again.ok
    stored = server_audit(live_server, tablet.store.node_id)
    assert len(stored) == len({e.id for e in stored}) >= 4
    assert all(e.chain_ok for e in stored)
    with tablet.store.read() as s:
        assert audit.unsent_count(s) == 0


def test_a_retired_device_hands_in_what_it_holds_then_erases_its_data_and_keys(
    live_server: LiveServer, new_device: Callable[..., Device], memory_keyring: MemoryKeyring
) -> None:
    p = h.patient()
    live_server.office_writes(p)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    other = new_device("nurse")  # the same worker's second tablet stays in service
    assert tablet.engine.run().ok and other.engine.run().ok
    with tablet.store.unit_of_work() as s:
        repo.update(s, tablet.store.clock, Patient, p.id, {"phone": "555-0177"})
    device_id, profile = tablet.store.node_id, tablet.profile
    assert any(device_id in name for _, name in memory_keyring.secrets)

    disabled = requests.post(
        f"{live_server.url}/admin/devices/{device_id}/disable", headers=office_token(live_server), timeout=10
    )
    assert disabled.status_code == 204
    result = tablet.engine.run()
    assert result.retired and result.pushed == 1 and result.pending == 0
    retirement = tablet.retire(undelivered=result.pending + result.rejected)

    with live_server.database.read() as s:
        row = s.get(Record, p.id)
        assert row is not None and row.fields["phone"] == "555-0177", "the last edit reached the office"
        server_device = s.get(ServerDevice, device_id)
        assert server_device is not None and server_device.wiped_at is not None
    actions = [e.action for e in server_audit(live_server, device_id)]
    assert actions[-1] == "retired"
    assert [path.name for path in profile.folder.iterdir()] == [deprovision.MARKER]
    assert not any(device_id in name for _, name in memory_keyring.secrets), "tokens left in the keyring"
    assert "removed from service" in retirement.message
    assert deprovision.retirement(profile) is not None
    assert main(["sync", "--profile", str(profile.folder)]) == 3
    assert main(["status", "--profile", str(profile.folder)]) == 3
    assert [path.name for path in profile.folder.iterdir()] == [deprovision.MARKER], "nothing re-created"
    assert other.engine.run().ok, "the worker's other tablet still syncs"


def test_the_database_key_of_a_wiped_profile_is_gone_and_other_profiles_keep_theirs(
    live_server: LiveServer, new_device: Callable[..., Device], memory_keyring: MemoryKeyring
) -> None:
    tablet, other = new_device("nurse"), new_device("aide")
    keys_before = {name for _, name in memory_keyring.secrets if name.startswith("dbkey:")}
    assert len(keys_before) == 2
    tablet.close()
    deprovision.wipe(tablet.profile, tablet.store.node_id)
    keys_after = {name for _, name in memory_keyring.secrets if name.startswith("dbkey:")}
    assert len(keys_after) == 1 and keys_after < keys_before
    assert other.engine.run().ok


def test_a_wipe_cut_short_finishes_at_the_next_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from fieldapp.config import Profile

    profile = Profile.at(tmp_path / "p")
    profile.folder.mkdir()
    (profile.folder / deprovision.MARKER).write_text(
        '{"retired_at": "2026-11-26T10:00:00+00:00", "device_id": "abc", "undelivered": 2}'
    )
    (profile.folder / "fieldapp.db").write_bytes(b"ciphertext")
    (profile.folder / "blobs").mkdir()
    (profile.folder / "blobs" / "x").write_bytes(b"ciphertext")
    found = deprovision.retirement(profile)
    assert found is not None and found.undelivered == 2 and "2 change(s)" in found.message
    assert [p.name for p in profile.folder.iterdir()] == [deprovision.MARKER]
    deprovision.set_up_again(profile)
    assert deprovision.retirement(profile) is None


def test_a_tablet_whose_erase_cannot_finish_is_not_set_up_again(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from fieldapp.config import Profile
    from fieldapp.security.credentials import KeyringUnavailable

    profile = Profile.at(tmp_path / "p")
    profile.folder.mkdir()
    (profile.folder / deprovision.MARKER).write_text(
        '{"retired_at": "2026-11-26T10:00:00+00:00", "device_id": "abc", "undelivered": 0}'
    )
    (profile.folder / "device.json").write_text('{"key_id": "0123456789abcdef0123456789abcdef"}')
    (profile.folder / "fieldapp.db").write_bytes(b"ciphertext")

    def no_keyring(_folder: object) -> None:
        raise KeyringUnavailable("no system keyring")

    monkeypatch.setattr(deprovision, "forget_database_key", no_keyring)
    with pytest.raises((deprovision.IncompleteWipe, KeyringUnavailable)):
        deprovision.set_up_again(profile)
    assert (profile.folder / deprovision.MARKER).exists(), "still retired"
    assert (profile.folder / "fieldapp.db").exists()
    monkeypatch.undo()
    deprovision.set_up_again(profile)  # the keyring is back: the erase finishes, then the marker goes
    assert list(profile.folder.iterdir()) == []


def test_the_tablet_keeps_its_log_short_once_the_office_holds_it(
    live_server: LiveServer, new_device: Callable[..., Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    from fieldapp.sync import engine

    tablet = new_device("nurse")
    with tablet.store.unit_of_work() as s:
        for _ in range(3):
            audit.record(s, "nurse", AuditAction.VIEW, clock=tablet.store.clock)
    assert tablet.engine.run().ok
    with tablet.store.read() as s:
        assert len(audit.entries(s)) == 4, "entries of the last 90 days stay on the tablet"
    monkeypatch.setattr(engine, "AUDIT_KEPT_MS", 0)  # as if the 90 days had passed
    with tablet.store.unit_of_work() as s:
        audit.record(s, "nurse", AuditAction.VIEW, clock=tablet.store.clock)
    assert tablet.engine.run().ok
    assert len(server_audit(live_server, tablet.store.node_id)) == 5, "the office has all of them"
    with tablet.store.read() as s:
        assert [e.content.seq for e in audit.entries(s)] == [5], "only the newest entry stays"
        assert audit.unsent_count(s) == 0 and audit.first_break(s) is None
    with tablet.store.unit_of_work() as s:
        audit.record(s, "nurse", AuditAction.VIEW, clock=tablet.store.clock)  # the chain goes on: 6
    assert tablet.engine.run().ok
    stored = server_audit(live_server, tablet.store.node_id)
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5, 6] and all(e.chain_ok for e in stored)


def test_a_disabled_workers_tablet_whose_session_expired_signs_in_once_to_hand_in_and_wipe(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    from fieldapp.app import sign_in

    p = h.patient()
    live_server.office_writes(p)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    with tablet.store.unit_of_work() as s:
        repo.update(s, tablet.store.clock, Patient, p.id, {"phone": "555-0166"})
    answer = requests.post(
        f"{live_server.url}/admin/users/{live_server.users['nurse']}/disable",
        headers=office_token(live_server),
        timeout=10,
    )
    assert answer.status_code == 200
    tablet.transport.tokens.update(None, None)  # a month in a drawer: the session has ended
    sign_in(tablet, "nurse", PASSWORD)  # IT signs in once with her password
    result = tablet.engine.run()
    assert result.retired and result.pushed == 1
    tablet.retire(undelivered=result.pending + result.rejected)
    with live_server.database.read() as s:
        row = s.get(Record, p.id)
        assert row is not None and row.fields["phone"] == "555-0166", "nothing she saved is lost"
