"""The sync engine against the real server: refusals, files, clocks, progress, evictions, the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.app import Device, open_device, sign_in
from fieldapp.config import Profile
from fieldapp.domain.attestation import content_digest
from fieldapp.domain.entities import Observation, Patient, Signature, Visit, VisitNote
from fieldapp.security.keys import database_key
from fieldapp.server.models import ConflictEntry, Record
from fieldapp.store import outbox, repo
from fieldapp.sync.engine import Progress, Stage
from tests.integration.conftest import PASSWORD, LiveServer
from tests.server import helpers as h

ROOT = Path(__file__).resolve().parents[2]


def _server_record(live: LiveServer, record_id: object) -> Record | None:
    with live.database.read() as s:
        return s.get(Record, record_id)


def test_a_refused_change_is_set_aside_and_does_not_block_the_others(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    kept, taken = h.patient(), h.patient()
    live_server.office_writes(kept, taken)
    live_server.assign("nurse", kept.id)
    live_server.assign("nurse", taken.id)
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    live_server.unassign("nurse", taken.id)
    time.sleep(0.5)  # the edit below is stamped after the unassignment (beyond the offset's error)
    with tablet.store.unit_of_work() as s:
        repo.update(s, tablet.store.clock, Patient, taken.id, {"phone": "555-0111"})
        repo.update(s, tablet.store.clock, Patient, kept.id, {"phone": "555-0122"})
    result = tablet.engine.run()
    assert result.pushed == 1 and result.rejected == 1 and result.pending == 0
    with tablet.store.read() as s:
        [(entry, reason)] = outbox.rejected(s)
    assert entry.record_id == taken.id and "caseload" in reason
    assert _server_record(live_server, kept.id).fields["phone"] == "555-0122"  # type: ignore[union-attr]
    assert _server_record(live_server, taken.id).fields["phone"] != "555-0111"  # type: ignore[union-attr]


def test_edits_made_before_an_unassignment_reach_the_office_then_the_patient_leaves(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    p = h.patient()
    live_server.office_writes(p)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    with tablet.store.unit_of_work() as s:
        repo.update(s, tablet.store.clock, Patient, p.id, {"care_plan": "Seen today; stable."})
    time.sleep(0.5)  # clearly before the unassignment, whatever the offset measurement's error
    live_server.unassign("nurse", p.id)
    result = tablet.engine.run()
    assert result.ok and result.pushed == 1 and result.evicted == 1
    assert _server_record(live_server, p.id).fields["care_plan"] == "Seen today; stable."  # type: ignore[union-attr]
    with tablet.store.read() as s:
        assert repo.get(s, Patient, p.id, include_deleted=True) is None


def test_signature_image_is_uploaded_before_the_signature(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    p = h.patient()
    v = h.visit(p.id, live_server.users["nurse"])
    live_server.office_writes(p, v)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    assert tablet.engine.run().ok
    image = b"\x89PNG\r\n\x1a\n" + b"strokes rendered"
    sha = tablet.blobs.put(image)
    with tablet.store.unit_of_work() as s:
        note = h.note(v, live_server.users["nurse"])
        repo.add(s, tablet.store.clock, note)
    with tablet.store.read() as s:
        current = repo.get(s, Visit, v.id)
        assert current is not None
        digest = content_digest(
            current, repo.list_for_visit(s, VisitNote, v.id), repo.list_for_visit(s, Observation, v.id)
        )
    signature = Signature(
        visit_id=v.id,
        patient_id=p.id,
        strokes=[[{"x": 1, "y": 1, "t": 0}]],
        image_sha256=sha,
        signer_name="Ada Okafor",
        signer_role="patient",
        meaning="I confirm this visit.",
        signed_at=datetime.now(UTC),
        content_sha256=digest,
    )
    with tablet.store.unit_of_work() as s:
        repo.sign_visit(s, tablet.store.clock, signature)
    result = tablet.engine.run()
    assert result.ok and result.pushed == 3, result.error
    assert hashlib.sha256(tablet.transport.download_blob(sha)).hexdigest() == sha
    with live_server.database.read() as s:
        assert s.query(ConflictEntry).filter_by(reason="attestation_mismatch").count() == 0


def test_a_tablet_running_hours_ahead_has_its_unsent_edits_restamped(
    live_server: LiveServer, tmp_path: Path
) -> None:
    p = h.patient()
    live_server.office_writes(p)
    live_server.assign("nurse", p.id)
    profile = Profile.at(tmp_path / "ahead")
    device = open_device(profile, live_server.url)
    sign_in(device, "nurse", PASSWORD)
    assert device.engine.run().ok
    device.close()
    # The tablet's clock jumps three hours ahead while it is offline (no exchange corrects it).
    from fieldapp.store.local import LocalStore

    ahead = LocalStore.open(
        profile.store_path,
        key=database_key(profile.folder),
        physical_ms=lambda: time.time_ns() // 1_000_000 + 3 * 3_600_000,
    )
    ahead.clock.offset_ms = 0
    with ahead.unit_of_work() as s:
        repo.update(s, ahead.clock, Patient, p.id, {"phone": "555-0133"})
    device = open_device(profile, live_server.url)
    device.store.close()
    device.store = ahead
    device.engine.store = ahead
    result = device.engine.run()
    assert result.ok and result.pushed == 1 and result.rejected == 0, result.error
    stamp = _server_record(live_server, p.id).stamps["phone"]  # type: ignore[union-attr]
    assert int(stamp[:12], 16) < time.time_ns() // 1_000_000 + 10 * 60_000, "not three hours ahead"
    ahead.close()


def test_initial_sync_reports_progress_over_several_pages(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    patients = [h.patient(mrn=f"MRN-P{i:04d}") for i in range(25)]
    live_server.office_writes(*patients)
    for p in patients:
        live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    tablet.engine.page_size = 10
    seen: list[Progress] = []
    result = tablet.engine.run(progress=seen.append)
    assert result.ok and result.pulled == 25
    pulls = [p for p in seen if p.stage is Stage.PULLING]
    assert [p.done for p in pulls] == [10, 20, 25]
    assert all(p.total == 25 for p in pulls)


def test_cancelled_cycle_keeps_what_it_committed(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    patients = [h.patient() for _ in range(20)]
    live_server.office_writes(*patients)
    for p in patients:
        live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    tablet.engine.page_size = 5
    pages = []
    result = tablet.engine.run(progress=pages.append, cancelled=lambda: len(pages) >= 2)
    assert not result.ok and "stopped" in (result.error or "")
    with tablet.store.read() as s:
        held = sum(repo.get(s, Patient, p.id) is not None for p in patients)
    assert 0 < held < 20
    assert tablet.engine.run().ok
    with tablet.store.read() as s:
        assert all(repo.get(s, Patient, p.id) is not None for p in patients)


def test_sync_and_status_commands(live_server: LiveServer, tmp_path: Path) -> None:
    p = h.patient()
    live_server.office_writes(p)
    live_server.assign("nurse", p.id)
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.keyrings.FileKeyring",
        "FIELDAPP_TEST_KEYRING": str(tmp_path / "keyring.json"),
        "PYTHONPATH": str(ROOT),
    }
    profile = tmp_path / "cli-profile"
    fieldapp = [sys.executable, "-m", "fieldapp"]
    first = subprocess.run(
        [*fieldapp, "sync", "--profile", str(profile), "--server", live_server.url, "--username", "nurse"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert first.returncode == 0, first.stderr
    assert "pulled 1," in first.stdout and "pending 0" in first.stdout
    assert PASSWORD not in (profile / "settings.json").read_text()
    assert "access" in (tmp_path / "keyring.json").read_text(), "tokens live in the keyring"
    again = subprocess.run(
        [*fieldapp, "sync", "--profile", str(profile)], capture_output=True, text=True, env=env, timeout=60
    )
    assert again.returncode == 0 and "pulled 0," in again.stdout, again.stderr
    status = subprocess.run(
        [*fieldapp, "status", "--profile", str(profile)], capture_output=True, text=True, env=env, timeout=60
    )
    report = json.loads(status.stdout)
    assert report["pending"] == 0 and report["cursor"] and report["last_success"]
    assert report["server"] == live_server.url and report["user"] == "nurse"
    wrong = subprocess.run(
        [
            *fieldapp,
            "sync",
            "--profile",
            str(tmp_path / "other"),
            "--server",
            live_server.url,
            "--username",
            "nurse",
        ],
        input="wrong password\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert wrong.returncode == 5 and "wrong user name or password" in wrong.stderr
    unreachable = subprocess.run(
        [*fieldapp, "sync", "--profile", str(profile), "--server", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        env=env,
        timeout=90,
    )
    assert unreachable.returncode == 4 and "cannot be reached" in unreachable.stderr


def test_a_device_whose_cursor_the_server_never_issued_pulls_everything_again(
    live_server: LiveServer, new_device: Callable[..., Device]
) -> None:
    """The server was restored from a backup older than the device's cursor: nothing may be skipped."""
    from fieldapp.store import state

    p = h.patient()
    live_server.office_writes(p)
    live_server.assign("nurse", p.id)
    tablet = new_device("nurse")
    with tablet.store.unit_of_work() as s:
        state.save_cursor(s, "s999999")
    result = tablet.engine.run()
    assert result.ok and result.pulled == 1, result.error
    with tablet.store.read() as s:
        assert repo.get(s, Patient, p.id) is not None
        assert state.cursor(s) != "s999999"
