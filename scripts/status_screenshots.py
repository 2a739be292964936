"""Screenshots of issue 20's honest status and vitals (decision 0031), offscreen: the vitals entry with a
blood pressure refused as a pair and readings in the agency's units, End of day while a sync runs and
after it (the same count as the status bar, live), and the signature pad with what is attested, as
docs/screenshots/tablet-status-*.png.

Run with ``.venv/bin/python scripts/status_screenshots.py`` (``QT_QPA_PLATFORM=offscreen`` is set here).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import keyring  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from fieldapp.app import Workspace  # noqa: E402
from fieldapp.qt.look import apply_look, make_application  # noqa: E402
from fieldapp.readmodels.status import SyncStatus  # noqa: E402
from fieldapp.security.unlock import SessionKeyring  # noqa: E402
from fieldapp.store import outbox  # noqa: E402
from fieldapp.ui.end_of_day import EndOfDayScreen  # noqa: E402
from fieldapp.ui.visit import VisitScreen  # noqa: E402
from tests.gui.shell_helpers import LANDSCAPE, fake_controller, make_tablet  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def save(widget: QWidget, name: str) -> None:
    settle()
    path = OUT / f"tablet-status-{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def main() -> None:
    app = make_application([sys.argv[0]])
    apply_look(app)
    keyring.set_keyring(SessionKeyring())  # nothing of this run outlives it
    with tempfile.TemporaryDirectory() as folder:
        tablet = make_tablet(Path(folder) / "tablet")
        workspace = Workspace(tablet.session, controller_factory=fake_controller)
        window = workspace.window
        window.resize(*LANDSCAPE)
        window.show()
        visit_id = tablet.visits[0].id
        window.open_visit.emit(visit_id)
        visit = window.page("visit")
        assert isinstance(visit, VisitScreen)
        visit.check_in()
        if visit.dialog is not None:
            visit.dialog.reject()
        workspace.actions.add_note(
            visit_id, "Alert and cheerful. Wound on the left shin healing; dressing changed."
        )
        workspace.actions.add_observation(visit_id, "temperature", 37.2, "Cel")
        workspace.actions.add_blood_pressure(visit_id, 132, 84)
        workspace.actions.add_observation(visit_id, "weight", 68.5, "kg")
        visit.vital_kind.setCurrentIndex(visit.vital_kind.findData("blood_pressure"))
        visit.vital_value.setText("84/132")
        visit.save_vital()
        settle()
        visit.page_scroll.ensureWidgetVisible(visit.vitals_panel, 0, 20)
        save(window, "vitals")

        window.show_page("end_of_day")
        eod = window.page("end_of_day")
        assert isinstance(eod, EndOfDayScreen)
        eod.sync_now()
        window.status_bar.set_status(SyncStatus(stage="pushing", done=3, total=9, online="online"))
        save(window, "eod-syncing")
        with tablet.device.store.unit_of_work() as session:  # what the office's acknowledgement does
            outbox.acknowledge(session, [entry.mutation_id for entry in outbox.pending(session, 10_000)])
        window.status_bar.set_status(
            SyncStatus(stage="idle", online="online", last_success=datetime.now(UTC))
        )
        save(window, "eod-synced")

        window.open_visit.emit(visit_id)
        visit.check_out()
        warning = visit.dialog
        if warning is not None:
            warning.confirm.click()  # type: ignore[attr-defined]
        settle()
        pad = visit.open_signature_pad()
        assert pad is not None
        save(pad, "signature-pad")
        pad.reject()
        workspace.close()


if __name__ == "__main__":
    main()
