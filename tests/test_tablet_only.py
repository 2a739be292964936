"""The tablet without the back office: `pip install fieldapp` installs no server library, the tablet app
starts where none is installed (and `fieldapp server` says to install `fieldapp[server]`, exit 8), and the
PyInstaller bundle's content check (`installer/check_bundle.py`, run by `make bundle` on the real bundle)
names every back-office module or file it is shown."""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path
from types import ModuleType

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
SERVER_LIBRARIES = ("fastapi", "starlette", "uvicorn", "psycopg", "jinja2", "pydantic_settings")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    return Requirement(requirement).name.lower().replace("_", "-")


def _check_bundle() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_bundle", ROOT / "installer" / "check_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- pip install fieldapp ----------------------------------------------------------------------------------


def test_the_plain_install_is_the_tablet_and_the_server_is_an_extra() -> None:
    base = {_name(r) for r in PYPROJECT["dependencies"]}
    extras = PYPROJECT["optional-dependencies"]
    assert not base & {"fastapi", "starlette", "uvicorn", "psycopg", "jinja2", "pydantic-settings"}
    assert {_name(r) for r in extras["server"]} == {
        "fastapi",
        "uvicorn",
        "httptools",  # uvicorn's HTTP parser in C (decision 0044)
        "psycopg",
        "jinja2",
        "pydantic-settings",
        "babel",
    }
    assert "fieldapp[server]" in extras["dev"]  # make test, CI and the demo keep every library


def _closure(requirements: list[str]) -> set[str]:
    """The distributions ``requirements`` install, with everything they require (no extras)."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        name = requirement.name.lower().replace("_", "-")
        if name in seen or (
            requirement.marker is not None and not requirement.marker.evaluate({"extra": ""})
        ):
            continue
        seen.add(name)
        # A platform's package (pywin32-ctypes on Windows) is not installed here: not ours to check.
        with contextlib.suppress(PackageNotFoundError):
            todo += [Requirement(r) for r in requires(requirement.name) or []]
    return seen


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"fieldapp", "__future__"}


def test_every_library_the_tablet_imports_comes_with_the_plain_install() -> None:
    installed = _closure(PYPROJECT["dependencies"])
    providers = packages_distributions()
    missing = {}
    for path in sorted((ROOT / "fieldapp").rglob("*.py")):
        if "server" in path.relative_to(ROOT).parts:
            continue
        for module in _imports(path):
            if path.relative_to(ROOT).as_posix() == "fieldapp/cli/server.py" and module in SERVER_LIBRARIES:
                continue  # the `server` command's own import: without it the command says so (below)
            names = {d.lower().replace("_", "-") for d in providers.get(module, [module])}
            if not names & installed:
                missing.setdefault(module, []).append(path.relative_to(ROOT).as_posix())
    assert not missing, f"imported by the tablet but not installed by `pip install fieldapp`: {missing}"


def test_the_tablet_app_starts_where_no_server_library_is_installed() -> None:
    """Every tablet module imports, the self-test (store, Qt, the signed-in window) passes, and the
    server command ends with one sentence naming `fieldapp[server]`, exit 8."""
    script = textwrap.dedent(f"""
        import contextlib, importlib, io, pkgutil, sys
        for blocked in {SERVER_LIBRARIES!r}:
            sys.modules[blocked] = None  # as if not installed: any import raises ImportError
        import fieldapp
        names = [
            info.name for info in pkgutil.walk_packages(fieldapp.__path__, prefix="fieldapp.")
            if not info.name.startswith("fieldapp.server") and ".migrations" not in info.name
        ]
        for name in names:
            importlib.import_module(name)
        from fieldapp import selftest
        from fieldapp.__main__ import main
        out = io.StringIO()
        assert selftest.run(out) == 0, out.getvalue()
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["server"])
        print(code, err.getvalue().strip())
        print(len(names), "modules")
    """)
    env = {k: v for k, v in os.environ.items() if k != "FIELDAPP_RESOURCES"}
    scratch = (
        tempfile.mkdtemp()
    )  # nothing of the run outside it (a server database would go to XDG_DATA_HOME)
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT), TMPDIR=scratch, XDG_DATA_HOME=scratch)
    env["FIELDAPP_DATABASE_URL"] = "sqlite://"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    said, count = done.stdout.strip().splitlines()
    assert said.startswith("8 fieldapp: `server` needs the back-office server, which this build does not")
    assert said.endswith("(no module 'uvicorn'); install it with: pip install 'fieldapp[server]'")
    assert int(count.split()[0]) > 80


# -- the bundle's content check ----------------------------------------------------------------------------


TABLET_MODULES = {
    "fieldapp.app",
    "fieldapp.ui.visit.screen",
    "fieldapp.store.repo",
    "sqlalchemy.orm",
    "markupsafe",
}
TABLET_FILES = {
    "base_library.zip",
    "PySide6/Qt/lib/libQt6Core.so.6",
    "sqlcipher3/_sqlite3.cpython-311-x86_64-linux-gnu.so",
    "fieldapp/store/migrations/env.py",
    "resources/style.qss",
    "keyring-25.7.0.dist-info/entry_points.txt",
    "MarkupSafe-3.0.4.dist-info/RECORD",  # Mako's (Alembic's templates), not the server's
}


def test_the_bundle_check_passes_what_the_tablet_ships() -> None:
    assert _check_bundle().server_parts(TABLET_MODULES, TABLET_FILES) == []


def test_the_bundle_check_names_every_back_office_module_and_file() -> None:
    check = _check_bundle()
    modules = TABLET_MODULES | {
        "fieldapp.server.api",
        "fastapi",
        "starlette.routing",
        "uvicorn.main",
        "jinja2",
    }
    files = TABLET_FILES | {
        "fieldapp/server/office/templates/base.html",
        "psycopg_binary.libs/libpq-9b38f5e5.so.5.17",
        "psycopg_binary/_psycopg.cpython-311-x86_64-linux-gnu.so",
        "Jinja2-3.1.6.dist-info/RECORD",
        "uvicorn-0.55.0.dist-info/METADATA",
    }

    found = check.server_parts(modules, files)

    assert found == [
        "file Jinja2-3.1.6.dist-info/RECORD",
        "file fieldapp/server/office/templates/base.html",
        "file psycopg_binary.libs/libpq-9b38f5e5.so.5.17",
        "file psycopg_binary/_psycopg.cpython-311-x86_64-linux-gnu.so",
        "file uvicorn-0.55.0.dist-info/METADATA",
        "module fastapi",
        "module fieldapp.server.api",
        "module jinja2",
        "module starlette.routing",
        "module uvicorn.main",
    ]
    assert check.server_parts({"fastapiextra", "uvicornish.x", "fieldapp.serverless"}, {"jinja2x/a.py"}) == []


def test_make_bundle_checks_the_bundle_it_built() -> None:
    recipe = re.search(r"^bundle:.*?(?=^\S)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M | re.S)
    assert recipe is not None
    steps = recipe.group(0)
    assert steps.index("--self-test") < steps.index("$(BIN)/python installer/check_bundle.py $(BUNDLE)")


def test_the_bundle_check_names_missing_translations() -> None:
    check = _check_bundle()
    catalogues = {"resources/translations/fieldapp_es.qm", "resources/translations/fieldapp_en.qm"}
    assert check.missing_catalogues(TABLET_FILES | catalogues) == []
    assert check.missing_catalogues(TABLET_FILES | {"resources/translations/fieldapp_es.ts"}) == [
        "resources/translations/fieldapp_es.qm",
        "resources/translations/fieldapp_en.qm",
    ]


def test_make_compiles_the_translations_before_testing_and_bundling() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("test", "bundle"):
        line = re.search(rf"^{target}:([^#\n]*)", makefile, re.M)
        assert line is not None and " qm " in f" {line.group(1)} ", target
    assert "pyside6-lrelease" in makefile and "pyside6-lupdate" in makefile
