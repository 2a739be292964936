"""The day's counts as tiles, and what still needs fixing as a list (tap a visit to open it)."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QListWidget, QListWidgetItem, QVBoxLayout

from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.qt.i18n import time_of_day
from fieldapp.readmodels.day import DayReportData
from fieldapp.ui.common import label, set_role, set_state

TILES = (
    ("done", QT_TRANSLATE_NOOP("CountTile", "Done")),
    ("missed", QT_TRANSLATE_NOOP("CountTile", "Missed")),
    ("open", QT_TRANSLATE_NOOP("CountTile", "Not finished")),
    ("unsigned", QT_TRANSLATE_NOOP("CountTile", "Unsigned")),
    ("evv", QT_TRANSLATE_NOOP("CountTile", "Missing EVV")),
    ("unsent", QT_TRANSLATE_NOOP("CountTile", "Unsent changes")),
    ("conflicts", QT_TRANSLATE_NOOP("CountTile", "Conflicts")),
)
CONFLICTS = "conflicts"  # a fix-list item that opens the conflicts page instead of a visit


class CountTile(QFrame):
    """A number and what it counts; marked when it needs attention."""

    def __init__(self, title: str) -> None:
        super().__init__()
        title = self.tr(title)
        self.setObjectName("countTile")
        set_role(self, "countTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(0)
        self.number = label("0", "countNumber", wrap=False)
        self.title = label(title, "countTitle")
        layout.addWidget(self.number)
        layout.addWidget(self.title)
        self.setAccessibleName(title)

    def set(self, value: int, bad: bool) -> None:
        """Show ``value``, marked when ``bad``."""
        self.number.setText(str(value))
        set_state(self, "bad" if bad else "ok")
        set_state(self.number, "bad" if bad else "ok")
        self.setAccessibleDescription(
            self.tr("{count} — needs attention").format(count=value) if bad else str(value)
        )


def count_tiles() -> tuple[dict[str, CountTile], QGridLayout]:
    """The tiles by key, laid out in one row."""
    grid = QGridLayout()
    grid.setSpacing(10)
    tiles = {key: CountTile(title) for key, title in TILES}
    for i, tile in enumerate(tiles.values()):
        grid.addWidget(tile, 0, i)
    return tiles, grid


def show_counts(tiles: dict[str, CountTile], data: DayReportData) -> None:
    """The day's numbers; what needs the worker is marked."""
    s = data.summary
    tiles["done"].set(s.visits_completed, False)
    tiles["missed"].set(s.visits_missed, False)
    tiles["open"].set(data.unsettled, data.unsettled > 0)
    tiles["unsigned"].set(s.visits_unsigned, s.visits_unsigned > 0)
    tiles["evv"].set(s.visits_missing_evv, s.visits_missing_evv > 0)
    tiles["unsent"].set(s.unsent_changes, s.unsent_changes > 0)
    conflicts = s.open_conflicts + data.rejected_changes
    tiles["conflicts"].set(conflicts, conflicts > 0)


def fix_list() -> QListWidget:
    """The list of what to fix."""
    fixes = QListWidget()
    fixes.setObjectName("fixList")
    fixes.setAccessibleName(
        QCoreApplication.translate("EndOfDayScreen", "What to fix; tap a visit to open it")
    )
    fixes.setWordWrap(True)
    fixes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    fixes.setMaximumHeight(200)
    return fixes


def show_fixes(fixes: QListWidget, data: DayReportData, zone: tzinfo) -> None:
    """Each visit's problems (the item holds the visit's id), open conflicts, refused changes."""
    fixes.clear()
    for visit in data.visits:
        for problem in visit.problems(QCoreApplication.translate):
            when = time_of_day(visit.scheduled_start.astimezone(zone))
            item = QListWidgetItem(f"{when}  {visit.patient_name}: {problem}")
            item.setData(Qt.ItemDataRole.UserRole, str(visit.id))
            fixes.addItem(item)
    if data.summary.open_conflicts:
        item = QListWidgetItem(
            QCoreApplication.translate("EndOfDayScreen", "{count} conflict(s) to look at").format(
                count=data.summary.open_conflicts
            )
        )
        item.setData(Qt.ItemDataRole.UserRole, CONFLICTS)
        fixes.addItem(item)
    if data.rejected_changes:
        fixes.addItem(
            QListWidgetItem(
                QCoreApplication.translate(
                    "EndOfDayScreen", "{count} change(s) refused by the office (see Sync status)"
                ).format(count=data.rejected_changes)
            )
        )


def verdict(data: DayReportData) -> tuple[str, str]:
    """Whether the day can be closed, in words, and the banner's state."""
    if not data.visits:
        return QCoreApplication.translate(
            "EndOfDayScreen", "No visits were scheduled for you on this day."
        ), "info"
    if data.ready:
        return (
            QCoreApplication.translate(
                "EndOfDayScreen",
                "Everything is done, signed, verified and sent. Create the report and submit it.",
            ),
            "ok",
        )
    return (
        QCoreApplication.translate(
            "EndOfDayScreen", "Some things still need you before the day is closed (highlighted below)."
        ),
        "bad",
    )
