"""``fieldapp --self-test``: passes on a good build, and fails (exit 1) when the build lacks what a start
needs; never touches the system keyring and leaves nothing behind."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import keyring
import pytest

from fieldapp import selftest

ROOT = Path(__file__).resolve().parents[1]


def test_passes_in_process_with_its_own_keyring(qapp, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    before = keyring.get_keyring()  # the test-wide in-memory keyring (tests/conftest.py)
    out = io.StringIO()

    assert selftest.run(out) == 0, out.getvalue()

    text = out.getvalue()
    for step in ("resources", "modules", "keyring", "store", "qt", "window"):
        assert f"  ok  {step}" in text
    assert "in-memory self-test keyring (SelfTestKeyring)" in text
    assert "nothing is written to the system keyring, which is tests.keyrings.MemoryKeyring" in text
    assert "sign-in screen, then the main window shown at 1280x800 with pages today, patients, " in text
    assert text.rstrip().splitlines()[-1].startswith("self-test passed in ")
    assert keyring.get_keyring() is before and before.secrets == {}  # type: ignore[attr-defined]
    assert list(tmp_path.iterdir()) == []  # its temporary profile is gone


def test_command_line_exits_0_without_a_keyring_or_a_screen(tmp_path) -> None:
    """As CI runs it on the bundle: no keyring backend at all (headless Linux), no QT_QPA_PLATFORM."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "FIELDAPP_RESOURCES")}
    env.update(
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        PYTHONPATH=str(ROOT),
        TMPDIR=str(scratch),
        DISPLAY="",
        WAYLAND_DISPLAY="",
    )
    done = subprocess.run(
        [sys.executable, "-m", "fieldapp", "--self-test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "system keyring, which is keyring.backends.fail.Keyring" in done.stdout
    assert "QApplication on offscreen" in done.stdout
    assert "new profile encrypted (SQLCipher), migrated to " in done.stdout
    assert "self-test passed" in done.stdout
    assert list(scratch.iterdir()) == []


def test_fails_when_the_resources_are_missing(qapp, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FIELDAPP_RESOURCES", str(tmp_path / "nothing-here"))
    out = io.StringIO()

    assert selftest.run(out) == 1

    assert "FAIL resources: SelfTestFailed: no style.qss in" in out.getvalue()
    assert out.getvalue().rstrip().endswith("self-test FAILED")


def test_fails_when_a_screen_is_missing_from_the_build(qapp, monkeypatch) -> None:
    """A module the freezer missed makes the app show a placeholder page: the self-test must catch it."""
    monkeypatch.setattr(selftest, "LAZY_MODULES", ())
    monkeypatch.setitem(sys.modules, "fieldapp.ui.conflicts", None)  # as if not bundled
    out = io.StringIO()

    assert selftest.run(out) == 1

    assert "FAIL window: SelfTestFailed: pages missing from this build: conflicts" in out.getvalue()


def test_fails_when_a_module_loaded_by_name_is_missing(qapp, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "fieldapp.qt.controller", None)
    out = io.StringIO()

    assert selftest.run(out) == 1

    assert "FAIL modules: ModuleNotFoundError" in out.getvalue()


def test_its_keyring_is_never_chosen_by_keyring_itself() -> None:
    from keyring.backend import KeyringBackend

    assert selftest.SelfTestKeyring in KeyringBackend._classes  # type: ignore[attr-defined]
    assert not selftest.SelfTestKeyring.viable  # so keyring's discovery skips it
    with selftest.self_test_keyring() as (backend, _replaced):
        keyring.set_password("fieldapp", "x", "secret")
        assert backend.secrets == {("fieldapp", "x"): "secret"}
        keyring.delete_password("fieldapp", "x")
        with pytest.raises(keyring.errors.PasswordDeleteError):
            keyring.delete_password("fieldapp", "x")
