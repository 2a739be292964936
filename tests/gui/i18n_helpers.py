"""The screens the translation and text-size checks walk, and what they read off each widget.

``OWNED_SCREENS`` is every screen and dialog of the tablet (issue 20): sign-in, lock, settings, patients,
conflicts, sync status, retired, the signature pad and its "unable to sign" dialog, and the screens of a
worked day (``tests/gui/i18n_screens.DAY_SCREENS``: Today and its notices, the main window, the visit
signed, missed and in progress, each of the visit's dialogs, medications, allergies and diagnoses, the
photo viewer and camera, the patient record, end of day). ``OWNED_CONTEXTS`` is every translation context
of the catalogue: each must be finished.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from fieldapp.app import Workspace
from fieldapp.qt.display import Display
from fieldapp.qt.i18n import install_language, remove_language
from fieldapp.qt.retirement import RetirementService
from fieldapp.qt.signin import SignInService
from fieldapp.ui.login import LoginScreen
from fieldapp.ui.retired import RetiredScreen
from fieldapp.ui.signature_pad import SignaturePad, UnableToSignDialog
from tests.gui.i18n_screens import DAY_SCREENS, day_screens
from tests.gui.shell_helpers import Tablet, fake_controller

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "resources" / "translations" / "fieldapp_es.ts"

# Every translation context of the tablet (self.tr: the class; QCoreApplication.translate: named): the
# catalogue must have each of them, finished.
OWNED_CONTEXTS = (
    "AttachmentViewer",
    "Attestation",
    "CameraDialog",
    "CheckOutWarning",
    "ChecklistPanel",
    "ClinicalListsDialog",
    "Common",
    "ConflictCard",
    "ConflictsScreen",
    "CountTile",
    "DayReportDocument",
    "EndOfDayScreen",
    "GalleryPanel",
    "InErrorDialog",
    "LockOverlay",
    "LockService",
    "LoginScreen",
    "MainWindow",
    "MedicationDialog",
    "MedicationsPanel",
    "Messages",
    "Navigation",
    "NotesPanel",
    "NoticePanel",
    "PatientList",
    "PatientRecordScreen",
    "PatientsScreen",
    "ReasonDialog",
    "Receipt",
    "Records",
    "RetiredScreen",
    "ScheduleNotice",
    "Sections",
    "SettingsScreen",
    "SignIn",
    "SignatureCanvas",
    "SignaturePad",
    "SignaturePanel",
    "SyncStatusBar",
    "TaskHistory",
    "TaskLine",
    "TimeCorrectionDialog",
    "TimesPanel",
    "TodayScreen",
    "UnableToSignDialog",
    "VisitCard",
    "VisitProblems",
    "VisitScreen",
    "VitalsPanel",
    "Words",
)

# Words written the same in English and Spanish (or names, shown in their own language on purpose).
SAME_IN_BOTH = frozenset(
    {"Normal", "English", "Español", "fieldapp", "no", "—", "GPS", "mmHg", "Oral", "Sublingual", "Nasal"}
    | {"Intramuscular", "Rectal"}
)


def compile_catalogue(folder: Path) -> Path:
    """fieldapp_es.ts compiled with pyside6-lrelease into ``folder`` (what `make qm` does for the app)."""
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run(
        [str(lrelease), "-silent", str(CATALOGUE), "-qm", str(folder / "fieldapp_es.qm")], check=True
    )
    return folder


class Spanish:
    """Installs the Spanish catalogue while in a ``with`` block, then goes back to English."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> Spanish:
        self._default = QLocale()
        language = install_language("es", self.folder)
        assert language.loaded, "the Spanish catalogue did not load"
        return self

    def __exit__(self, *_: object) -> None:
        remove_language()
        QLocale.setDefault(self._default)


def _workspace_page(name: str) -> Callable[[Workspace], QWidget]:
    return lambda workspace: workspace.window.page(name)


def build_screens(tablet: Tablet, keep: list[object]) -> dict[str, QWidget]:
    """Every owned screen over ``tablet``, built now (in the language installed now), by name. Objects that
    must stay alive while the screens are looked at go into ``keep``."""
    workspace = Workspace(
        tablet.session,
        controller_factory=fake_controller,
        display=Display(tablet.device.profile.folder / "display"),
    )
    keep.append(workspace)
    signin = SignInService(online=lambda *a: None, offline=lambda *a: None, remembered_user="nurse")
    online = SignInService(online=lambda *a: None, offline=lambda *a: None)
    retirement = RetirementService(lambda: None, erase=lambda: "")
    keep += [signin, online, retirement]
    pad = SignaturePad(workspace.actions, tablet.visits[0].id, meaning="")
    return {
        "login (online)": LoginScreen(online),
        "login (offline)": LoginScreen(signin),
        "lock": workspace.lock_overlay,
        "settings": workspace.window.page("settings"),
        "patients": workspace.window.page("patients"),
        "conflicts": workspace.window.page("conflicts"),
        "sync status": workspace.window.status_bar,
        "retired": RetiredScreen(retirement),
        "signature pad": pad,
        "unable to sign": UnableToSignDialog(pad),
        **day_screens(workspace, tablet),
    }


OWNED_SCREENS = (
    "login (online)",
    "login (offline)",
    "lock",
    "settings",
    "patients",
    "conflicts",
    "sync status",
    "retired",
    "signature pad",
    "unable to sign",
    *DAY_SCREENS,
)


def texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every string a person can read or hear on ``root`` and its children, in a fixed
    order: texts, placeholders, choices, table headers and rows, tooltips, accessible names."""
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__}#{widget.objectName()}"
        if widget.isWindow():
            yield where + " title", widget.windowTitle()
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, widget.text()
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            yield where + " placeholder", widget.placeholderText()
        if isinstance(widget, QComboBox):
            for index in range(widget.count()):
                yield f"{where} choice {index}", widget.itemText(index)
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            yield from _items(widget.model(), where)
        yield where + " tooltip", widget.toolTip()
        yield where + " name", widget.accessibleName()
        yield where + " description", widget.accessibleDescription()


ITEM_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)


def _items(model: QAbstractItemModel, where: str) -> Iterator[tuple[str, str]]:
    """A list's or table's column titles and the words of its first rows."""
    root = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)  # a list's is private
    for column in range(columns):
        yield f"{where} header {column}", str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    for row in range(min(model.rowCount(root), 30)):
        for column in range(columns):
            for role in ITEM_ROLES:
                value = model.data(model.index(row, column, root), role)
                if isinstance(value, str):
                    yield f"{where} row {row} column {column} role {role.name}", value
