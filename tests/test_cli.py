"""The command line as IT support and scripts use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from fieldapp.cli import main
from fieldapp.cli.tablet import DEMO_PATIENTS, DEMO_VISITS
from fieldapp.failures import MEANINGS, Exit
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


# -- every failure: one plain sentence and its own exit code ------------------------------------------


def _one_sentence(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("fieldapp: ") and "Traceback" not in err
    return lines[0]


def test_help_lists_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert "exit codes:" in text
    for code in Exit:
        assert f"{int(code):>3}  {MEANINGS[code]}" in text
    assert len({int(code) for code in Exit}) == len(Exit), "each kind of failure has its own code"


def test_each_command_fails_with_one_sentence_and_its_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FIELDAPP_DEMO_PASSWORD", raising=False)
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    signed_out = tmp_path / "signed-out"
    assert main(["demo", "--profile", str(signed_out)]) == 0
    capsys.readouterr()
    cases = [
        (["status", "--profile", str(tmp_path / "nowhere")], Exit.USAGE, "no profile at"),
        (["gui", "--username", "nurse"], Exit.USAGE, "FIELDAPP_DEMO_PASSWORD"),
        (["sync", "--profile", str(signed_out), "--server", "ftp://office"], Exit.USAGE, "address"),
        (["sync", "--profile", str(signed_out)], Exit.SIGN_IN, "not signed in"),
        (["sync", "--profile", str(tmp_path / "new"), "--username", "nurse"], Exit.USAGE, "--server"),
        (["demo", "--profile", str(a_file / "inside")], Exit.FILES, "cannot be used"),
        (["server", "--workers", "2", "--database", "sqlite://"], Exit.USAGE, "PostgreSQL"),
        (["server", "--tls-cert", "cert.pem"], Exit.USAGE, "together"),
        (["admin", "--database", "not a url", "migrate"], Exit.USAGE, "database URL is not valid"),
        (
            ["admin", "--database", "postgresql+psycopg://nobody@127.0.0.1:1/none", "migrate"],
            Exit.DATABASE,
            "database cannot be opened",
        ),
        (
            ["admin", "--database", f"sqlite:///{tmp_path / 's.db'}", "assign", "ghost", str(uuid.uuid4())],
            Exit.REFUSED,
            "no user",
        ),
    ]
    for argv, code, words in cases:
        assert main(argv) == code, argv
        assert words in _one_sentence(capsys.readouterr().err), argv


def test_an_unexpected_failure_is_named_in_one_line_and_debug_shows_where(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import fieldapp.cli.tablet as cli

    def broken(_: object) -> int:
        raise RuntimeError("a bug\nwith a second line")

    monkeypatch.setattr(cli, "status", broken)
    assert main(["status", "--profile", str(tmp_path)]) == Exit.UNEXPECTED
    line = _one_sentence(capsys.readouterr().err)
    assert "RuntimeError: a bug" in line and "FIELDAPP_DEBUG=1" in line
    monkeypatch.setenv("FIELDAPP_DEBUG", "1")
    assert main(["status", "--profile", str(tmp_path)]) == Exit.UNEXPECTED
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["status", "sync"])
def test_without_a_system_keyring_the_command_says_what_to_do(tmp_path: Path, command: str) -> None:
    profile = tmp_path / "profile"
    assert main(["demo", "--profile", str(profile)]) == 0  # made with the tests' in-memory keyring
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = subprocess.run(
        [sys.executable, "-m", "fieldapp", command, "--profile", str(profile)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == Exit.NO_KEYRING, done.stderr
    line = _one_sentence(done.stderr)
    assert "no system keyring" in line and "gnome-keyring-daemon --unlock" in line
    assert "Headless machines" in line
