"""The command line as IT support and scripts use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldapp.__main__ import DEMO_PATIENTS, DEMO_VISITS, main
from fieldapp.store.migrate import head_revision as migrate_head


def test_demo_creates_a_profile_once_and_status_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = tmp_path / "profile"
    assert main(["demo", "--profile", str(profile)]) == 0
    assert "Created demo profile" in capsys.readouterr().out
    assert main(["demo", "--profile", str(profile)]) == 0
    assert "left as it is" in capsys.readouterr().out
    assert main(["status", "--profile", str(profile)]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["pending"] == DEMO_PATIENTS + DEMO_VISITS
    assert status["conflicts"] == 0 and status["cursor"] is None and status["last_success"] is None
    assert status["clock_offset_ms"] == 0 and status["schema_revision"] == migrate_head()
    assert len(status["device"]) == 16


def test_status_of_a_missing_profile_fails_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--profile", str(tmp_path / "nowhere")]) == 2
    assert "no profile at" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists(), "status must not create a profile"


def test_no_command_opens_the_tablet_app(monkeypatch: pytest.MonkeyPatch) -> None:
    import fieldapp.app

    calls = []
    monkeypatch.setattr(fieldapp.app, "run_gui", lambda *a, **k: calls.append((a, k)) or 0)
    assert main([]) == 0
    (profile, server), options = calls[0]
    assert profile.folder.name  # the default profile folder
    assert server is None and options["username"] is None and not options["session_keyring"]


def test_gui_demo_sign_in_needs_the_password_in_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FIELDAPP_DEMO_PASSWORD", raising=False)
    assert main(["gui", "--username", "nurse"]) == 2
    assert "FIELDAPP_DEMO_PASSWORD" in capsys.readouterr().err
