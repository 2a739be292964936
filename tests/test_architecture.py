"""The layering of docs/architecture.md, checked on every test run."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import fieldapp

ROOT = Path(__file__).resolve().parent.parent
CORE_PACKAGES = ("fieldapp.domain", "fieldapp.store", "fieldapp.sync")
CORE_MODULES = ("fieldapp.config", "fieldapp.demodata", "fieldapp.profiles", "fieldapp.__main__")


def _modules(packages: tuple[str, ...], extra: tuple[str, ...] = ()) -> list[str]:
    names = list(extra)
    for package in packages:
        module = __import__(package, fromlist=["_"])
        names.append(package)
        names += [
            info.name
            for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}.")
            if ".migrations" not in info.name
        ]
    return names


def test_import_contracts_are_kept() -> None:
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(linter)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_core_runs_where_qt_and_http_libraries_are_absent() -> None:
    """Blocks PySide6, requests and FastAPI, then imports every core module and uses the store."""
    modules = _modules(CORE_PACKAGES, CORE_MODULES)
    assert "fieldapp.store.repo" in modules and "fieldapp.domain.merge" in modules
    script = textwrap.dedent(f"""
        import sys, tempfile, pathlib, importlib
        for blocked in ("PySide6", "requests", "fastapi", "starlette", "uvicorn"):
            sys.modules[blocked] = None  # any import of these now raises ImportError
        for name in {modules!r}:
            importlib.import_module(name)
        from fieldapp.__main__ import main
        folder = pathlib.Path(tempfile.mkdtemp())
        assert main(["demo", "--profile", str(folder)]) == 0
        assert main(["status", "--profile", str(folder)]) == 0
    """)
    # The profile's database key goes to a keyring: a file-backed test keyring for this subprocess.
    keyring_env = {
        "PYTHON_KEYRING_BACKEND": "tests.keyrings.FileKeyring",
        "FIELDAPP_TEST_KEYRING": str(Path(tempfile.mkdtemp()) / "keyring.json"),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **keyring_env},
    )
    assert result.returncode == 0, result.stderr
    assert '"pending": 307' in result.stdout


def test_package_version_is_exposed() -> None:
    assert fieldapp.__version__.count(".") == 2


def test_server_runs_where_qt_is_absent() -> None:
    """The back office is deployed on machines without Qt: no server module may need it."""
    modules = _modules(("fieldapp.server",))
    assert "fieldapp.server.core.push" in modules
    script = textwrap.dedent(f"""
        import sys, importlib
        sys.modules["PySide6"] = None
        for name in {modules!r}:
            importlib.import_module(name)
        from fieldapp.server.api import create_app
        from fieldapp.server.settings import Settings
        create_app(Settings(database_url="sqlite://"), migrate_schema=False)
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_read_models_and_opening_a_device_run_where_qt_is_absent() -> None:
    """What the screens read (fieldapp.readmodels) loads no Qt, HTTP or database library; opening a device
    (fieldapp.device, the command line's and the GUI's) loads no Qt."""
    plain = _modules(("fieldapp.readmodels",))
    assert "fieldapp.readmodels.visits" in plain
    script = textwrap.dedent(f"""
        import sys, importlib
        for blocked in ("PySide6", "requests", "sqlalchemy", "fastapi", "starlette", "uvicorn"):
            sys.modules[blocked] = None
        for name in {plain!r}:
            importlib.import_module(name)
        for blocked in ("requests", "sqlalchemy"):
            del sys.modules[blocked]
        importlib.import_module("fieldapp.device")
    """)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
