"""Test-wide set-up: headless Qt by default and Hypothesis profiles."""

import os

# Before anything imports PySide6; setdefault lets `xvfb-run` choose xcb for real-window checks.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Servers started by the tests (in process or as `fieldapp server`) never sweep for missed visits on their
# own timer: the tests that need the sweep run it (fieldapp.server.exceptions.sweep).
os.environ.setdefault("FIELDAPP_MISSED_SWEEP_S", "0")

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None, max_examples=100)
settings.register_profile(
    "ci", deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
# `make mutation`: the same examples on every run, so a mutation score can be reproduced.
settings.register_profile("mutation", deadline=None, max_examples=100, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(autouse=True)
def _no_real_keyring() -> Iterator[None]:
    """Tests never touch the machine's keyring: secrets go to an in-memory backend (tests/keyrings.py)."""
    import keyring

    from tests.keyrings import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _no_machine_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read this machine's site-wide settings (a test that wants some writes its own)."""
    folder = tmp_path_factory.getbasetemp() / "no-site-config"
    monkeypatch.setenv("FIELDAPP_SITE_CONFIG", str(folder / "site.json"))
