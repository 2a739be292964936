"""Shipping: the frozen app finds its data in the bundle, the PyInstaller spec keeps and drops what it
should (run here with PyInstaller's machinery stubbed: a real build is `make bundle`, too slow for pytest),
the NSIS script and the server's systemd unit say what they must, and the tablet build's `server`
command fails with a sentence instead of a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "installer" / "fieldapp.spec"
NSI = ROOT / "installer" / "windows" / "fieldapp.nsi"
UNIT = ROOT / "installer" / "server" / "fieldapp-server.service"
SERVER_ENV = ROOT / "installer" / "server" / "fieldapp-server.env"
WORKFLOW = ROOT / ".github" / "workflows" / "windows-installer.yml"


# -- the frozen app finds its data in the bundle ---------------------------------------------------------


def _fake_bundle(folder: Path) -> str:
    """A bundle folder as PyInstaller lays it out: resources/ and the store's migrations as data, here
    without the newest migration, so a lookup that still used the source tree would show. Returns the
    head revision of the bundled migrations."""
    shutil.copytree(ROOT / "resources", folder / "resources")
    source = ROOT / "fieldapp" / "store" / "migrations"
    target = folder / "fieldapp" / "store" / "migrations"
    (target / "versions").mkdir(parents=True)
    shutil.copy(source / "env.py", target)
    revisions = sorted((source / "versions").glob("[0-9]*.py"))
    assert len(revisions) >= 2
    for script in revisions[:-1]:
        shutil.copy(script, target / "versions")
    found = re.search(r'^revision\s*(?::\s*str\s*)?=\s*"([^"]+)"', revisions[-2].read_text(), re.M)
    assert found is not None
    return found.group(1)


def test_frozen_app_takes_resources_and_migrations_from_the_bundle(tmp_path, monkeypatch) -> None:
    from fieldapp.app import stylesheet
    from fieldapp.config import resources_dir
    from fieldapp.reports.fonts import font_dirs
    from fieldapp.store import migrate
    from fieldapp.store.db import make_engine

    bundle = tmp_path / "_internal"
    bundled_head = _fake_bundle(bundle)
    source_head = migrate.head_revision()
    assert bundled_head != source_head
    monkeypatch.delenv("FIELDAPP_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)

    assert resources_dir() == bundle / "resources"
    assert font_dirs()[0] == bundle / "resources" / "fonts"
    assert f"url({(bundle / 'resources').as_posix()}/icons/chevron-down.svg)" in stylesheet()
    assert migrate.migrations_dir() == bundle / "fieldapp" / "store" / "migrations"
    assert migrate.alembic_config().get_main_option("script_location") == str(migrate.migrations_dir())
    assert migrate.head_revision() == bundled_head
    engine = make_engine(tmp_path / "device.db")
    try:
        migrate.upgrade(engine, None)  # a new store, built by the bundle's scripts
        assert migrate.current_revision(engine) == bundled_head
    finally:
        engine.dispose()


def test_from_source_the_package_migrations_are_used(monkeypatch) -> None:
    from fieldapp.store import migrate

    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", "/nowhere", raising=False)  # not frozen: ignored
    assert migrate.migrations_dir() == ROOT / "fieldapp" / "store" / "migrations"


# -- the PyInstaller spec ----------------------------------------------------------------------------------


def _modules_of_fieldapp() -> list[str]:
    names = []
    for path in sorted((ROOT / "fieldapp").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def _run_spec(
    monkeypatch: pytest.MonkeyPatch,
    platform: str,
    binaries: list[str],
    datas: list[str],
    imports: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Execute installer/fieldapp.spec with PyInstaller's spec objects and helpers replaced by recorders."""
    imports = imports or {}
    seen: dict[str, Any] = {"exe": [], "collect": None}

    def collect_submodules(package: str, filter: Callable[[str], bool] = lambda _n: True) -> list[str]:
        assert package == "fieldapp"
        return [name for name in _modules_of_fieldapp() if filter(name)]

    def get_imports(filename: str, search_paths: Any = None) -> set[tuple[str, str]]:
        return {(name, f"/lib/{name}") for name in imports.get(Path(filename).name, [])}

    class Analysis:
        def __init__(self, scripts: list[str], **options: Any) -> None:
            self.scripts, self.options, self.pure = scripts, options, []
            self.binaries = [(dest, f"/src/{Path(dest).name}", "BINARY") for dest in binaries]
            self.datas = [(dest, f"/src/{dest}", "DATA") for dest in datas]
            seen["analysis"] = self

    def exe(*args: Any, **options: Any) -> dict[str, Any]:
        seen["exe"].append(options)
        return options

    def collect(*args: Any, **options: Any) -> None:
        seen["collect"] = (args, options)

    def stub(name: str, **attributes: Any) -> None:
        module = types.ModuleType(name)
        module.__dict__.update(attributes)
        monkeypatch.setitem(sys.modules, name, module)

    def record(kind: str) -> Callable[..., dict[str, Any]]:
        return lambda *args, **options: {"kind": kind, "args": args, **options}

    stub("PyInstaller")
    stub("PyInstaller.utils")
    stub("PyInstaller.utils.hooks", collect_submodules=collect_submodules)
    stub("PyInstaller.depend")
    stub("PyInstaller.depend.bindepend", get_imports=get_imports)
    stub("PyInstaller.utils.win32")
    stub(
        "PyInstaller.utils.win32.versioninfo",
        **{
            k: record(k)
            for k in (
                "VSVersionInfo",
                "FixedFileInfo",
                "StringFileInfo",
                "StringTable",
                "StringStruct",
                "VarFileInfo",
                "VarStruct",
            )
        },
    )
    namespace = {
        "SPECPATH": str(SPEC.parent),
        "Analysis": Analysis,
        "PYZ": lambda *args, **options: ("PYZ", args),
        "EXE": exe,
        "COLLECT": collect,
        "__name__": "__main__",
    }
    monkeypatch.setattr(sys, "platform", platform)
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        monkeypatch.undo()  # sys.platform back before anything else runs
    seen["namespace"] = namespace
    return seen


WINDOWS_BINARIES = {
    # kept
    "PySide6/Qt6Core.dll": True,
    "PySide6/Qt6Gui.dll": True,
    "PySide6/Qt6Widgets.dll": True,
    "PySide6/Qt6Network.dll": True,
    "PySide6/Qt6Svg.dll": True,
    "PySide6/plugins/platforms/qwindows.dll": True,
    "PySide6/plugins/platforms/qoffscreen.dll": True,
    "PySide6/plugins/imageformats/qsvg.dll": True,
    "PySide6/plugins/iconengines/qsvgicon.dll": True,
    "PySide6/plugins/networkinformation/qnetworklistmanager.dll": True,
    "PySide6/Qt6Positioning.dll": True,
    "PySide6/plugins/position/qtposition_winrt.dll": True,
    "PySide6/plugins/position/qtposition_nmea.dll": True,
    "sqlcipher3/_sqlite3.cp311-win_amd64.pyd": True,
    "python311.dll": True,
    # dropped
    "PySide6/opengl32sw.dll": False,
    "PySide6/Qt6Quick.dll": False,
    "PySide6/Qt6Qml.dll": False,
    "PySide6/Qt6Pdf.dll": False,
    "PySide6/plugins/platforms/qdirect2d.dll": False,
    "PySide6/plugins/imageformats/qjpeg.dll": False,
    "PySide6/plugins/imageformats/qgif.dll": False,
    "PySide6/plugins/imageformats/qico.dll": False,
    "PySide6/plugins/imageformats/qwebp.dll": False,
    "PySide6/plugins/tls/qschannelbackend.dll": False,
    "PySide6/plugins/styles/qmodernwindowsstyle.dll": False,
    "PySide6/plugins/generic/qtuiotouchplugin.dll": False,
    "PySide6/plugins/position/qtposition_positionpoll.dll": False,
}
DATA = {
    "resources/style.qss": True,
    "fieldapp/store/migrations/env.py": True,
    "certifi/cacert.pem": True,
    "keyring-25.7.0.dist-info/entry_points.txt": True,
    "PySide6/translations/qtbase_de.qm": False,
    "PySide6/Qt/translations/qt_fr.qm": False,
    "PySide6/Qt/translations/qtbase_es.qm": True,
    "resources/translations/fieldapp_es.qm": True,
    "resources/translations/fieldapp_es.ts": False,
}


def test_spec_slims_the_windows_bundle_and_keeps_its_keyring(monkeypatch) -> None:
    seen = _run_spec(monkeypatch, "win32", list(WINDOWS_BINARIES), list(DATA))
    analysis = seen["analysis"]

    assert {dest for dest, _, _ in analysis.binaries} == {d for d, keep in WINDOWS_BINARIES.items() if keep}
    assert {dest for dest, _, _ in analysis.datas} == {d for d, keep in DATA.items() if keep}
    hidden = analysis.options["hiddenimports"]
    for name in (
        "keyring.backends.Windows",
        "win32ctypes",
        "win32ctypes.core",
        "win32ctypes.pywin32.win32cred",
    ):
        assert name in hidden
    exes = {options["name"]: options for options in seen["exe"]}
    assert exes["fieldapp"]["console"] is False  # the tablet app: no console window
    assert exes["fieldapp-cli"]["console"] is True  # IT and CI: fieldapp-cli --self-test
    assert exes["fieldapp"]["version"]["kind"] == "VSVersionInfo"
    assert all(options["exclude_binaries"] and not options["strip"] for options in exes.values())
    args, options = seen["collect"]
    assert options["name"] == "fieldapp" and len(args) == 4  # one folder: two programs, binaries, data


def test_spec_slims_the_linux_bundle_and_drops_what_only_dropped_plugins_used(monkeypatch) -> None:
    binaries = {
        "PySide6/Qt/lib/libQt6Core.so.6": True,
        "PySide6/Qt/lib/libQt6XcbQpa.so.6": True,
        "PySide6/Qt/lib/libQt6WaylandClient.so.6": False,
        "PySide6/Qt/lib/libQt6WlShellIntegration.so.6": False,
        "PySide6/Qt/plugins/platforms/libqxcb.so": True,
        "PySide6/Qt/plugins/platforms/libqoffscreen.so": True,
        "PySide6/Qt/plugins/platforms/libqwayland-egl.so": False,
        "PySide6/Qt/plugins/platforms/libqeglfs.so": False,
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so": False,
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so": False,
        "PySide6/Qt/plugins/networkinformation/libqglib.so": True,
        "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so": True,
        "libgtk-3.so.0": False,  # only the gtk3 theme needs it
        "libcairo.so.2": False,  # only GTK needs it
        "libglib-2.0.so.0": True,  # GTK and the glib network backend
        "libxcb-cursor.so.0": True,
        "lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so": True,
    }
    imports = {
        "libqgtk3.so": ["libgtk-3.so.0", "libQt6Core.so.6"],
        "libgtk-3.so.0": ["libcairo.so.2", "libglib-2.0.so.0"],
        "libqglib.so": ["libglib-2.0.so.0"],
        "libqxcb.so": ["libQt6XcbQpa.so.6", "libxcb-cursor.so.0"],
        "libqwayland-egl.so": ["libQt6WaylandClient.so.6"],
    }
    seen = _run_spec(monkeypatch, "linux", list(binaries), list(DATA), imports)
    analysis = seen["analysis"]

    assert {dest for dest, _, _ in analysis.binaries} == {d for d, keep in binaries.items() if keep}
    assert not any(
        "win32ctypes" in name or name.endswith(".Windows") for name in analysis.options["hiddenimports"]
    )
    assert [options["name"] for options in seen["exe"]] == ["fieldapp"]
    assert seen["exe"][0]["console"] is True and seen["exe"][0]["strip"] is True


def test_spec_bundles_the_tablet_app_without_the_back_office(monkeypatch) -> None:
    seen = _run_spec(monkeypatch, "linux", [], [])
    options = seen["analysis"].options
    hidden, excludes = options["hiddenimports"], options["excludes"]

    for module in (
        "fieldapp.ui.visit",
        "fieldapp.ui.conflicts",
        "fieldapp.qt.controller",
        "fieldapp.selftest",
    ):
        assert module in hidden  # imported by name at run time
    assert "sqlcipher3" in hidden
    assert not [name for name in hidden if name.startswith(("fieldapp.server", "fieldapp.store.migrations"))]
    for name in (
        "fieldapp.server",
        "fastapi",
        "starlette",
        "uvicorn",
        "psycopg",
        "schemathesis",
        "hypothesis",
    ):
        assert name in excludes
    for name in ("pytest", "_pytest", "pytestqt"):
        assert name in excludes
    for kept in (
        "sqlcipher3",
        "keyring",
        "requests",
        "alembic",
        "sqlalchemy",
        "pydantic",
        "orjson",
        "platformdirs",
    ):
        assert kept not in excludes
    # Data: resources and every migration script, from files that exist.
    assert (str(ROOT / "resources"), "resources") in options["datas"]
    sources = [Path(src) for src, _ in options["datas"]]
    assert all(p.exists() or list(p.parent.glob(p.name)) for p in sources)
    versions = [p for p in sources if p.parent.name == "versions"]
    assert len(versions) == 1 and versions[0].name == "*.py"
    assert {d for _, d in options["datas"]} >= {
        "fieldapp/store/migrations",
        "fieldapp/store/migrations/versions",
    }
    assert Path(seen["analysis"].scripts[0]) == ROOT / "installer" / "launcher.py"


# -- the Windows installer --------------------------------------------------------------------------------


def _section(text: str, title_pattern: str) -> str:
    found = re.search(rf"^Section {title_pattern}.*?^SectionEnd", text, re.M | re.S)
    assert found is not None, title_pattern
    return found.group(0)


def test_nsis_script_installs_per_machine_and_keeps_user_data() -> None:
    text = NSI.read_text(encoding="utf-8")

    assert '!include "MUI2.nsh"' in text
    assert "RequestExecutionLevel admin" in text and 'InstallDir "$PROGRAMFILES64\\${APP}"' in text
    for key in ("ProductName", "ProductVersion", "CompanyName", "FileVersion", "FileDescription"):
        assert f'VIAddVersionKey /LANG=1033 "{key}"' in text
    assert 'VIProductVersion "${FILE_VERSION}"' in text
    install = _section(text, '"\\$\\{APP\\}" SecApp')
    assert 'CreateShortCut "$SMPROGRAMS\\${APP}.lnk"' in install
    assert 'CreateShortCut "$DESKTOP\\${APP}.lnk"' in install
    assert "WriteUninstaller" in install and 'File /r "${BUNDLE_DIR}\\*.*"' in install
    assert 'RMDir /r "$INSTDIR\\_internal"' in install  # upgrade in place: old program files go
    assert "DATA_DIR" not in install and "LOCALAPPDATA" not in install  # ...and user data stays
    # The uninstaller deletes user data only in a section that starts unselected (/o), or on request.
    assert text.count('RMDir /r "${DATA_DIR}"') == 1
    assert 'RMDir /r "${DATA_DIR}"' in _section(text, '/o "un\\.')
    assert '"/DELETEUSERDATA"' in text and "SelectSection ${SecUnData}" in text
    assert "DATA_DIR" not in _section(text, '"-un\\.')
    assert '!define DATA_DIR "$LOCALAPPDATA\\${APP}"' in text  # platformdirs' user_data_dir on Windows


def test_nsis_script_writes_the_office_server_it_is_given_where_the_app_reads_it() -> None:
    text = NSI.read_text(encoding="utf-8")
    install = _section(text, '"\\$\\{APP\\}" SecApp')
    assert '${GetOptions} $0 "/SERVER=" $1' in install
    assert 'FileOpen $2 "${SITE_DIR}\\${SITE_FILE}" w' in install
    assert """FileWrite $2 '{"server_url": "$1"}""" in install
    # SetShellVarContext all: $APPDATA is C:\ProgramData, platformdirs' site_config_dir on Windows.
    assert '!define SITE_DIR "$APPDATA\\${APP}"' in text and '!define SITE_FILE "site.json"' in text
    on_init = re.search(r"^Function \.onInit.*?^FunctionEnd", text, re.M | re.S)
    assert on_init is not None and "SetShellVarContext all" in on_init.group(0)
    from fieldapp.config import SITE_FILE

    assert SITE_FILE == "site.json"
    uninstall = _section(text, '"-un\\.')
    assert 'Delete "${SITE_DIR}\\${SITE_FILE}"' in uninstall


def test_nsis_script_compiles_against_a_bundle_layout(tmp_path) -> None:
    bundle = tmp_path / "fieldapp"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "base_library.zip").write_bytes(b"zip")
    (bundle / "fieldapp.exe").write_bytes(b"MZ")
    (bundle / "fieldapp-cli.exe").write_bytes(b"MZ")

    def makensis(*defines: str) -> tuple[int, str]:
        args = [
            "makensis",
            "-V2",
            "-WX",
            f"-DBUNDLE_DIR={bundle}",
            f"-DOUT_DIR={tmp_path}",
            *defines,
            str(NSI),
        ]
        done = subprocess.run(args, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout + done.stderr

    code, output = makensis("-DVERSION=1.2.3")
    assert code == 0, output
    assert (tmp_path / "fieldapp-1.2.3-setup.exe").stat().st_size > 50_000

    (bundle / "fieldapp.exe").unlink()  # a Linux bundle: only with CHECK_ONLY
    code, output = makensis("-DVERSION=1.2.3")
    assert code != 0 and "no fieldapp.exe in" in output and "the Windows bundle is built on Windows" in output
    assert makensis("-DVERSION=1.2.3", "-DCHECK_ONLY")[0] == 0
    (bundle / "_internal" / "base_library.zip").unlink()
    code, output = makensis("-DVERSION=1.2.3", "-DCHECK_ONLY")
    assert code != 0 and "no PyInstaller bundle in" in output
    code, output = makensis("-DCHECK_ONLY")
    assert code != 0 and "VERSION is not defined" in output


def test_windows_workflow_builds_self_tests_and_packages() -> None:
    import yaml

    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = workflow["jobs"]["installer"]
    assert job["runs-on"].startswith("windows")
    script = "\n".join(step.get("run", "") for step in job["steps"])
    assert "installer\\fieldapp.spec" in script and 'pip install -e ".[bundle]"' in script
    assert "fieldapp-cli.exe --self-test" in script and "WinVaultKeyring" in script
    assert "makensis" in script and "installer\\windows\\fieldapp.nsi" in script
    assert "/DELETEUSERDATA" in script


# -- the back office's systemd unit -----------------------------------------------------------------------


def _unit() -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            entries.setdefault(key.strip(), []).append(value.strip())
    return entries


def test_systemd_unit_runs_the_real_server_command_hardened() -> None:
    from fieldapp.cli import build_parser as _parser

    unit = _unit()
    program, *args = unit["ExecStart"][0].split()
    assert program.endswith("/bin/fieldapp")
    parsed = _parser().parse_args(args)  # options that exist
    assert parsed.command == "server" and parsed.host == "127.0.0.1" and parsed.workers == 2
    assert unit["EnvironmentFile"] == ["/etc/fieldapp/server.env"]
    for key, value in {
        "DynamicUser": "yes",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "CapabilityBoundingSet": "",
        "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
    }.items():
        assert unit[key] == [value], key


def test_server_environment_file_names_real_settings() -> None:
    names = set(re.findall(r"^#?(FIELDAPP_[A-Z_]+)=", SERVER_ENV.read_text(encoding="utf-8"), re.M))
    assert names == {"FIELDAPP_DATABASE_URL", "FIELDAPP_AGENCY_TZ", "FIELDAPP_API_DOCS"}
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "fieldapp" / "server").rglob("*.py"))
    for name in names:
        assert f'"{name}"' in code, f"{name} is not read by the server"


def test_systemd_unit_verifies(tmp_path) -> None:
    unit = tmp_path / UNIT.name
    text = UNIT.read_text(encoding="utf-8")
    unit.write_text(re.sub(r"/opt/fieldapp/venv/bin/fieldapp", shutil.which("true") or "/bin/true", text))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr


# -- the tablet build without the back office ------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "missing"),
    [(["server"], "uvicorn"), (["admin", "migrate"], "fieldapp.server")],
)
def test_server_commands_say_plainly_that_the_build_lacks_the_server(
    argv, missing, monkeypatch, capsys
) -> None:
    from fieldapp.__main__ import main

    monkeypatch.setitem(sys.modules, missing, None)  # as in the tablet bundle (installer/fieldapp.spec)
    monkeypatch.setenv("FIELDAPP_DATABASE_URL", "sqlite://")

    assert main(argv) == 8

    err = capsys.readouterr().err
    assert err.startswith(f"fieldapp: `{argv[0]}` needs the back-office server, which this build does not")
    assert f"(no module '{missing}')" in err and "Traceback" not in err
