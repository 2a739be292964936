"""`make screenshots`: every screen of the tablet app with demo data, as PNGs in docs/screenshots/.

Starts a demo back-office server (as `make demo` does, in a temporary folder), signs the demo nurse in
through the app's own sign-in, syncs, does a little of a working day (check-ins, a note, an edit that
conflicts with one made in the office at the same time), then grabs each screen at 1280x800 (landscape)
and the Today screen also at 800x1280 (portrait); then the lock screen and a retired tablet's screen.
Run under a display, e.g. `xvfb-run -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py`;
offscreen also works.

`--language es --theme contrast --text-size large` takes the same pictures in Spanish, in the high-contrast
theme and at the largest text size, named with that prefix (``es-contrast-large-settings.png``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent))
from demo import NURSE, NURSE_PASSWORD, free_port, prepare_database, running_server

from fieldapp.app import Workspace, make_application, sign_in_online, unlock_offline
from fieldapp.config import Profile
from fieldapp.domain.entities import Patient
from fieldapp.domain.values import Location, LocationKind
from fieldapp.qt.actions import Actions
from fieldapp.qt.display import DisplayPrefs, save_prefs
from fieldapp.qt.i18n import LANGUAGES, install_language
from fieldapp.qt.look import TEXT_SIZES, THEMES, Look
from fieldapp.qt.signin import SignInService
from fieldapp.security.unlock import SessionKeyring
from fieldapp.ui.login import LoginScreen

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
LANDSCAPE, PORTRAIT = (1280, 800), (800, 1280)
_prefix: list[str] = []  # "es-contrast-large-" for a run in another language or look


def settle(app: QApplication, ms: int = 300) -> None:
    """Let Qt lay out and paint."""
    deadline = time.monotonic() + ms / 1000
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def wait_until(app: QApplication, condition: Callable[[], bool], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("screenshots: timed out waiting for the app")
        app.processEvents()
        time.sleep(0.02)


_quiet: list[Callable[[], bool]] = []  # conditions for a still picture (no sync half-way through)


def save(app: QApplication, widget: QWidget, name: str) -> None:
    for quiet in _quiet:
        wait_until(app, quiet)
    settle(app)
    path = OUT / f"{''.join(_prefix)}{name}.png"
    if not widget.grab().save(str(path)):
        raise SystemExit(f"screenshots: could not write {path}")
    print(f"  {path.relative_to(OUT.parent.parent)}")


def show(widget: QWidget, size: tuple[int, int]) -> None:
    widget.resize(*size)
    widget.show()


def login_screens(app: QApplication, profile: Profile, base: str) -> None:
    service = SignInService(
        online=lambda s, u, p: sign_in_online(profile, s, u, p),
        offline=lambda u, p: unlock_offline(profile, u, p),
        server_url=base,
        username=NURSE,
    )
    screen = LoginScreen(service)
    show(screen, LANDSCAPE)
    save(app, screen, "login")
    screen.close()


def offline_login(app: QApplication, profile: Profile) -> None:
    problems: list[object] = []
    service = SignInService(
        online=lambda s, u, p: sign_in_online(profile, s, u, p),
        offline=lambda u, p: unlock_offline(profile, u, p),
        remembered_user=NURSE,
    )
    service.failed.connect(problems.append)
    screen = LoginScreen(service)
    show(screen, LANDSCAPE)
    screen.password.setText("not my password")
    screen.submit()
    wait_until(app, lambda: bool(problems))
    save(app, screen, "login-offline")
    screen.close()


def working_day(actions: Actions, workspace: Workspace) -> Patient:
    """Two visits worked, a note, and a phone edit that the office also makes (a conflict)."""
    visits = [
        summary.visit for summary in workspace.records.visits_on(workspace.user_id, datetime.now(UTC).date())
    ]
    first, second = visits[0], visits[1]
    actions.check_in(first.id, Location(kind=LocationKind.HOME))
    actions.add_note(
        first.id, "Wound dressing changed; healing well, no signs of infection. Patient in good spirits."
    )
    actions.check_out(first.id)
    actions.check_in(second.id, None)
    patient = workspace.records.patient(first.patient_id)
    assert patient is not None
    actions.edit_patient(patient.id, phone="+1 845-555-0101")
    return patient


def office_edits(database_url: str, patient: Patient) -> None:
    """The office changes the same phone number on the server meanwhile."""
    from sqlalchemy import select

    from fieldapp.server.core import admin
    from fieldapp.server.database import Database
    from fieldapp.server.models import User
    from fieldapp.server.settings import Settings

    database = Database(database_url)
    try:
        with database.write() as session:
            office = session.scalar(select(User).where(User.username == "office"))
            assert office is not None
            changed = patient.model_copy(update={"phone": "+1 845-555-0199"})
            admin.write_records(
                session, Settings(database_url=database_url), office, [changed], datetime.now(UTC)
            )
    finally:
        database.dispose()


def signature_pad(app: QApplication, workspace: Workspace, visit_id: uuid.UUID) -> None:
    try:
        from fieldapp.ui.signature_pad import SignaturePad
    except ModuleNotFoundError:
        return
    pad = SignaturePad(
        workspace.actions,
        visit_id,
        meaning="I confirm that the care described in this visit record was provided to me today.",
        signer_name="Ada Quispe",
    )
    show(pad, LANDSCAPE)
    settle(app)
    canvas = pad.canvas
    points = [QPoint(120 + x * 12, int(canvas.height() / 2 + 60 * ((x % 7) - 3) / 3)) for x in range(40)]
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
    for point in points[1:]:
        QTest.mouseMove(canvas, point, 5)
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])
    save(app, pad, "signature-pad")
    pad.reject()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="every screen of the tablet app as PNGs in docs/screenshots/"
    )
    parser.add_argument("--language", choices=LANGUAGES, default="en")
    parser.add_argument("--theme", choices=THEMES, default="standard")
    parser.add_argument("--text-size", choices=list(TEXT_SIZES), default="normal")
    args = parser.parse_args(argv)
    look = Look(args.theme, args.text_size)
    if (args.language, look) != ("en", Look()):
        _prefix.append(f"{args.language}-{args.theme}-{args.text_size}-")
    OUT.mkdir(parents=True, exist_ok=True)
    keyring.set_keyring(SessionKeyring())  # nothing of this run outlives it
    app = make_application(look=look)
    install_language(args.language)
    with tempfile.TemporaryDirectory(prefix="fieldapp-screens-") as folder:
        url = prepare_database(Path(folder) / "demo")
        with running_server(url, free_port(0), Path(folder) / "server.log") as base:
            profile = Profile.at(Path(folder) / "tablet")
            save_prefs(
                profile.folder, DisplayPrefs(args.language, args.theme, args.text_size)
            )  # Settings shows them
            print("screenshots:")
            login_screens(app, profile, base)
            session = sign_in_online(profile, base, NURSE, NURSE_PASSWORD)
            result = session.device.engine.run()
            if result.error:
                raise SystemExit(f"screenshots: first sync failed: {result.error}")
            workspace = Workspace(session)
            patient = working_day(workspace.actions, workspace)
            office_edits(url, patient)
            window = workspace.window
            show(window, LANDSCAPE)
            try:
                capture(app, workspace, patient)
            finally:
                workspace.close()
            offline_login(app, profile)
            retired_screen(app)
    release(app)
    return 0


def release(app: QApplication) -> None:
    """Delete every window while the QApplication still exists (not in interpreter teardown)."""
    for widget in app.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def synced(workspace: Workspace, since: datetime) -> bool:
    controller = workspace.controller
    if controller is None:
        return True
    status = controller.status
    done = status.last_success is not None and status.last_success >= since
    return not status.running and (done or status.last_error is not None)


def sync_states(app: QApplication, workspace: Workspace) -> None:
    """The status bar during a long first sync, and offline after a failed one (shown, not staged)."""
    from fieldapp.qt.controller import SyncStatus

    window, bar = workspace.window, workspace.window.status_bar
    controller = workspace.controller
    if controller is not None:
        controller.status_changed.disconnect(bar.set_status)  # hold the picture still
    window.show_page("patients")
    bar.set_status(SyncStatus(stage="pulling", done=4_000, total=10_000, online="online"))
    save(app, window, "sync-progress")
    earlier = datetime.now(UTC) - timedelta(minutes=12)
    failure = "the office server cannot be reached (no connection); your changes are safe on this tablet"
    bar.set_status(SyncStatus(online="offline", last_success=earlier, last_error=failure))
    save(app, window, "sync-offline")
    if controller is not None:
        bar.set_status(controller.status)
        controller.status_changed.connect(bar.set_status)


def capture(app: QApplication, workspace: Workspace, patient: Patient) -> None:
    """Every screen, after a sync through the app's own controller (it brings the office's edit)."""
    window = workspace.window
    started = datetime.now(UTC)
    workspace.start()
    if workspace.controller is not None:
        workspace.controller.sync_now()  # whatever the OS says about the network
    wait_until(app, lambda: synced(workspace, started))
    controller = workspace.controller
    if controller is not None:  # a change notice from the server may start another cycle: wait it out
        _quiet.append(lambda: not controller.status.running)
    first_visit = workspace.today.items[0].visit.id
    for key in ("today", "patients", "conflicts", "end_of_day", "settings"):
        window.show_page(key)
        save(app, window, key.replace("_", "-"))
    window.show_page("patients")
    window.page("patients").search.setText("ma")
    window.page("patients").apply_search()
    save(app, window, "patients-search")
    allergic = next((i.visit.patient_id for i in workspace.today.items if i.allergies), patient.id)
    window.open_patient.emit(allergic)  # a record whose allergies the worker must see first
    save(app, window, "patient-record")
    window.open_visit.emit(first_visit)
    save(app, window, "visit")
    end_of_day_report(app, workspace)
    signature_pad(app, workspace, workspace.today.items[1].visit.id)
    sync_states(app, workspace)
    window.show_page("today")
    window.resize(*PORTRAIT)
    save(app, window, "today-portrait")
    window.open_patient.emit(allergic)
    save(app, window, "patient-record-portrait")
    window.open_visit.emit(first_visit)
    save(app, window, "visit-portrait")
    lock_screen(app, workspace)


def end_of_day_report(app: QApplication, workspace: Workspace) -> None:
    """End of day with its report created and previewed; the report's first page as the PDF prints it
    (pdftoppm, when the machine has it), in the language of the run."""
    from fieldapp.ui.end_of_day import EndOfDayScreen

    window = workspace.window
    window.show_page("end_of_day")
    screen = window.page("end_of_day")
    assert isinstance(screen, EndOfDayScreen)
    document = screen.create_report()
    save(app, window, "end-of-day-report")
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("  (no pdftoppm: the report's PDF page is not rendered)")
        return
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        pdf.write_bytes(document.pdf())
        target = OUT / f"{''.join(_prefix)}report-page1"
        subprocess.run(
            [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(target)]
        )
        print(f"  {target.name}.png")


def lock_screen(app: QApplication, workspace: Workspace) -> None:
    """The lock over the patient record, after one wrong password (portrait, then landscape)."""
    window, overlay = workspace.window, workspace.lock_overlay
    workspace.lock.lock("idle")
    problems: list[str] = []
    workspace.lock.failed.connect(problems.append)
    overlay.password.setText("not my password")
    overlay.submit()
    wait_until(app, lambda: bool(problems))
    save(app, window, "lock-portrait")
    window.resize(*LANDSCAPE)
    save(app, window, "lock")


def retired_screen(app: QApplication) -> None:
    """What a tablet the office removed from service shows (here with two changes it could not hand in)."""
    from fieldapp.deprovision import Retirement
    from fieldapp.qt.retirement import RetirementService
    from fieldapp.ui.retired import RetiredScreen

    retirement = Retirement(datetime.now(UTC), "0123456789abcdef", undelivered=2)
    screen = RetiredScreen(RetirementService(lambda: None, message=retirement.message))
    show(screen, LANDSCAPE)
    save(app, screen, "retired")
    screen.resize(*PORTRAIT)
    save(app, screen, "retired-portrait")
    screen.close()


if __name__ == "__main__":
    raise SystemExit(main())
