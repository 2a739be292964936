"""``fieldapp --self-test``: proves that this build of the tablet app can start, and exits 0 if it can.

CI runs it on the PyInstaller bundle (``make bundle``; the Windows workflow on the .exe), where a module,
a Qt plugin or a data file left out of the build fails here instead of on a nurse's tablet. In a
temporary profile it opens the store (SQLCipher-encrypted, migrated from empty to head with the
migrations shipped as data), saves a record through the write path, starts the Qt application offscreen,
paints a PDF page in the bundled report font, shows the signed-in main window with every page, and closes
it all again.

The store's key would normally go to the OS keyring. The self-test never writes to the real one (on a
headless CI box there is none): it installs ``SelfTestKeyring``, an in-memory backend used only here,
and says so in its output. Nothing of the run is left behind.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from fieldapp import __version__
from fieldapp.security.unlock import SessionKeyring

DEAD_SERVER = "http://127.0.0.1:9"  # nothing listens there; the self-test never syncs anyway
PAGES = ("today", "patients", "conflicts", "end_of_day", "settings")
PAGE_MODULES = {key: f"fieldapp.ui.{key}" for key in PAGES}
# What the window is built from (and sqlcipher3, which SQLAlchemy's dialect imports by name, so a freezer
# does not see it): prove each is in the build before anything needs it.
LAZY_MODULES = (
    "fieldapp.ui.visit",
    "fieldapp.ui.conflicts",
    "fieldapp.ui.end_of_day",
    "fieldapp.ui.patient_record",
    "fieldapp.qt.controller",
    "fieldapp.reports.pdf",
    "sqlcipher3",
)


class SelfTestKeyring(SessionKeyring):
    """Secrets in memory for the self-test only; never chosen by keyring on its own."""


class SelfTestFailed(RuntimeError):
    """A check of the self-test did not hold."""


def _check(condition: object, message: str) -> None:
    if not condition:
        raise SelfTestFailed(message)


def bundle_dir() -> Path | None:
    """The frozen bundle's folder (PyInstaller's ``sys._MEIPASS``), or None when run from source."""
    bundle = getattr(sys, "_MEIPASS", None)
    return Path(bundle) if getattr(sys, "frozen", False) and bundle else None


def describe_keyring(backend: Any) -> str:
    """The backend's class, with those it chains (keyring's ChainerBackend) in brackets."""
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    chained = getattr(backend, "backends", None)
    if isinstance(chained, list | tuple) and chained:
        name += f" [{', '.join(describe_keyring(b) for b in chained)}]"
    return name


@contextmanager
def self_test_keyring() -> Iterator[tuple[SelfTestKeyring, str]]:
    """Use a fresh ``SelfTestKeyring`` inside the block; yields it and the name of the backend it replaced."""
    import keyring

    previous = keyring.get_keyring()
    backend = SelfTestKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend, describe_keyring(previous)
    finally:
        keyring.set_keyring(previous)


def run(out: TextIO | None = None) -> int:
    """Run every check, printing one line each; 0 when all pass, 1 (with the traceback) when one fails."""
    stream = out if out is not None else sys.stdout
    started = time.perf_counter()

    def say(text: str) -> None:
        if stream is not None:  # a windowed build on Windows has no stdout
            print(text, file=stream, flush=True)

    where = f"frozen bundle at {bundle_dir()}" if bundle_dir() else f"source at {Path(__file__).parent}"
    say(f"fieldapp {__version__} self-test ({where}; Python {sys.version.split()[0]} on {sys.platform})")
    state: dict[str, Any] = {}
    name = "keyring"
    steps: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("resources", _resources),
        ("modules", _modules),
        ("keyring", _keyring),
        ("store", _store),
        ("qt", _qt),
        ("window", _window),
    ]
    with tempfile.TemporaryDirectory(prefix="fieldapp-selftest-", ignore_cleanup_errors=True) as folder:
        state["folder"] = Path(folder)
        try:
            with self_test_keyring() as (backend, replaced):
                state["keyring"], state["replaced"] = backend, replaced
                for name, step in steps:
                    step_started = time.perf_counter()
                    detail = step(state)
                    say(f"  ok  {name:<9} {detail} ({time.perf_counter() - step_started:.2f} s)")
        except Exception as exc:
            say(f"  FAIL {name}: {type(exc).__name__}: {exc}")
            if sys.stderr is not None:
                traceback.print_exc(file=sys.stderr)
            say("self-test FAILED")
            return 1
        finally:
            _close(state)
    say(f"self-test passed in {time.perf_counter() - started:.1f} s")
    return 0


def _resources(state: dict[str, Any]) -> str:
    from fieldapp.config import resources_dir
    from fieldapp.store.migrate import head_revision, migrations_dir

    resources = resources_dir()
    fonts = sorted(p.name for p in (resources / "fonts").glob("*.ttf"))
    _check((resources / "style.qss").is_file(), f"no style.qss in {resources}")
    _check(len(fonts) >= 2, f"the DejaVu fonts are missing from {resources / 'fonts'}")
    migrations = migrations_dir()
    versions = sorted(p.name for p in (migrations / "versions").glob("[0-9]*.py"))
    _check((migrations / "env.py").is_file() and versions, f"no Alembic migrations in {migrations}")
    state["head"] = head_revision()
    catalogues = sorted(p.name for p in (resources / "translations").glob("fieldapp_*.qm"))
    if bundle_dir() is not None:  # a source checkout compiles them with `make qm`
        _check("fieldapp_es.qm" in catalogues, f"the Spanish translation is missing from {resources}")
    compiled = ", ".join(catalogues) or "not compiled"
    return (
        f"{resources} (style.qss, {len(fonts)} fonts, translations {compiled}); migrations {migrations} "
        f"({len(versions)} revisions, head {state['head']})"
    )


def _modules(_state: dict[str, Any]) -> str:
    for name in LAZY_MODULES:
        importlib.import_module(name)
    return f"{len(LAZY_MODULES)} modules loaded by name at run time are present"


def _importable(name: str) -> bool:
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


def _keyring(state: dict[str, Any]) -> str:
    return (
        "using an in-memory self-test keyring (SelfTestKeyring); nothing is written to the system "
        f"keyring, which is {state['replaced']}"
    )


def _store(state: dict[str, Any]) -> str:
    from fieldapp import demodata
    from fieldapp.config import Profile, ProfileSettings
    from fieldapp.device import open_device
    from fieldapp.store import repo
    from fieldapp.store.db import is_plaintext
    from fieldapp.store.migrate import current_revision
    from fieldapp.store.state import store_status

    profile = Profile.at(state["folder"] / "profile")
    profile.save_settings(
        ProfileSettings(server_url=DEAD_SERVER, username="selftest", user_id=str(uuid.uuid4()))
    )
    device = state["device"] = open_device(profile)
    revision = current_revision(device.store.engine)
    _check(revision == state["head"], f"the new store is at {revision}, not at head {state['head']}")
    _check(not is_plaintext(profile.store_path), "the store file is not encrypted")
    _check(state["keyring"].secrets, "the store's key was not kept in the keyring")
    with device.store.unit_of_work() as session:
        for patient in demodata.patients(1):
            repo.add(session, device.store.clock, patient)
    with device.store.read() as session:
        pending = store_status(session).pending
    _check(pending == 1, f"saving one patient queued {pending} changes, not 1")
    content = b"fieldapp self-test " + uuid.uuid4().bytes
    sha = device.blobs.put(content)
    _check(device.blobs.get(sha) == content, "a file saved in the profile's file store did not read back")
    sealed = "encrypted" if getattr(device.blobs, "encrypted", False) else "not encrypted"
    return (
        f"new profile encrypted (SQLCipher), migrated to {revision}, a patient saved, {pending} change "
        f"queued; a file stored and read back ({sealed})"
    )


def _qt(state: dict[str, Any]) -> str:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen needed (a CI runner has none)
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QFontDatabase, QGuiApplication
    from PySide6.QtNetwork import QNetworkInformation

    from fieldapp.config import resources_dir
    from fieldapp.qt.look import make_application

    existing = QApplication.instance()
    state["look"] = (existing.font(), existing.styleSheet()) if isinstance(existing, QApplication) else None
    app = state["app"] = make_application([sys.argv[0] if sys.argv else "fieldapp"])
    _check(app.styleSheet(), "the stylesheet was not applied")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resources_dir() / "fonts" / name))
        _check(font_id >= 0, f"Qt could not load the bundled font {name}")
    backends = QNetworkInformation.availableBackends()
    _check(backends, "no Qt network-information backend (plugin missing): the app would not see the network")
    pdf_bytes = _pdf(state["folder"] / "check.pdf")
    return (
        f"QApplication on {QGuiApplication.platformName()}, PySide6 {pyside_version} / Qt {qVersion()}, "
        f"network backends {', '.join(backends)}; a PDF page in the report font ({pdf_bytes:,} bytes)"
    )


def _pdf(path: Path) -> int:
    """Paint one page with the report's bundled font, as the end-of-day report does; returns its size."""
    from PySide6.QtGui import QFont, QPageSize, QPainter, QPdfWriter

    from fieldapp.reports import fonts

    folders = [d for d in fonts.font_dirs() if all((d / name).is_file() for name in fonts.FILES)]
    _check(folders, "the report's fonts are not where fieldapp.reports.fonts looks")
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(writer)
    try:
        painter.setFont(QFont(fonts.report_family(), 12))
        painter.drawText(200, 400, "fieldapp self-test")
    finally:
        painter.end()
    data = path.read_bytes()
    _check(data.startswith(b"%PDF") and b"DejaVu" in data, "the PDF was not written with the bundled font")
    return len(data)


def _window(state: dict[str, Any]) -> str:
    from PySide6.QtCore import QEventLoop, QTimer

    missing = [key for key, module in PAGE_MODULES.items() if not _importable(module)]
    _check(not missing, f"pages missing from this build: {', '.join(missing)}")
    from fieldapp.app import Session, Shell, Workspace

    # What `fieldapp` shows first: the sign-in screen (built, shown, closed).
    shell = Shell(state["device"].profile, maximized=False)
    shell.start()
    login = shell.login
    if login is None or not login.isVisible():
        raise SelfTestFailed("the sign-in screen did not show")
    login.close()
    login.deleteLater()
    shell.deleteLater()

    workspace = state["workspace"] = Workspace(Session(state["device"], offline=True))
    window = workspace.window
    _check(workspace.controller is not None, "this build has no sync controller")
    _check(all(window.has_page(key) for key in PAGES), "the main window lacks a page")
    window.resize(1280, 800)
    window.show()
    loop = QEventLoop()
    QTimer.singleShot(200, loop.quit)  # let it lay out and paint
    loop.exec()
    _check(window.isVisible(), "the main window did not show")
    size = f"{window.width()}x{window.height()}"
    state.pop("workspace")
    workspace.close()  # stops the (never started) controller, closes the window and the store
    state.pop("device")
    _check(not window.isVisible(), "the main window did not close")
    QTimer.singleShot(0, loop.quit)  # and let Qt delete it
    loop.exec()
    return f"sign-in screen, then the main window shown at {size} with pages {', '.join(PAGES)}; closed"


def _close(state: dict[str, Any]) -> None:
    """Release whatever a failed step left open, so the temporary folder can go."""
    workspace = state.pop("workspace", None)
    if workspace is not None:
        workspace.close()
        state.pop("device", None)
    device = state.pop("device", None)
    if device is not None:
        device.close()
    app, look = state.get("app"), state.get("look")
    if app is not None and look is not None:  # an application that was there before (in-process tests)
        app.setFont(look[0])
        app.setStyleSheet(look[1])
