"""The lists the screens show, as Qt item models over read models; they never touch the store.

Each list reads through what it is handed (``PatientSource``, a function for the day's visits or the open
conflicts), so the screens can take these classes as their models (``PatientsScreen(PatientList)``, as
napari's ``QtDims(dims: Dims)``) without loading SQLAlchemy; ``fieldapp.qt.models`` builds them over the
local store. The patient list fetches lazily in windows, so 10,000 patients cost one small read per scroll
step, not one widget per row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.qt.i18n import day
from fieldapp.readmodels.conflicts import Conflict
from fieldapp.readmodels.visits import PatientSummary, VisitSummary

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
T = TypeVar("T")


class PatientSource(Protocol):
    """Where the patient list reads from (``fieldapp.qt.models.StorePatients``)."""

    def first(self, search: str, limit: int) -> tuple[int, list[PatientSummary]]:
        """How many patients match ``search`` and the first ``limit`` of them, from one snapshot."""
        ...

    def window(self, search: str, offset: int, limit: int) -> list[PatientSummary]:
        """The next window of matching patients."""
        ...


class PatientList(QAbstractTableModel):
    """Patients matching a search, sorted by name, fetched in windows as the view scrolls."""

    HEADERS = (
        QT_TRANSLATE_NOOP("PatientList", "Name"),
        QT_TRANSLATE_NOOP("PatientList", "Record no."),
        QT_TRANSLATE_NOOP("PatientList", "Born"),
        QT_TRANSLATE_NOOP("PatientList", "Town"),
        QT_TRANSLATE_NOOP("PatientList", "Allergies"),
    )
    WINDOW = 200

    def __init__(self, source: PatientSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._rows: list[PatientSummary] = []
        self._total = 0
        self._search = ""
        self.refresh()

    @property
    def search(self) -> str:
        """The search the list shows ("" for every patient)."""
        return self._search

    def set_search(self, text: str) -> None:
        """Show only patients whose name or record number contains every word of ``text``."""
        self._search = text
        self.refresh()

    def refresh(self, *_: object) -> None:
        """Reload (keeping as many rows as were loaded, so the view does not jump)."""
        total, rows = self._source.first(self._search, max(len(self._rows), self.WINDOW))
        self.beginResetModel()
        self._total, self._rows = total, rows
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many patients match, loaded or not."""
        return self._total

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = self._source.window(self._search, len(self._rows), self.WINDOW)
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("PatientList", self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                row.name,
                row.mrn,
                day(row.date_of_birth),
                row.city,
                QCoreApplication.translate("PatientList", "Yes") if row.has_allergies else "",
            )[index.column()]
        if role == ID_ROLE:
            return row.id
        if role == ITEM_ROLE:
            return row
        return None

    def patient_id(self, row: int) -> uuid.UUID:
        """The id of the patient in ``row``."""
        return self._rows[row].id


class _ReadList(QAbstractListModel, Generic[T]):
    """A list read whole by ``refresh``, a row an item: ``_text`` gives its words, ``_id`` its id."""

    _items: list[T]

    def _reset(self, items: list[T]) -> None:
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def _text(self, item: T) -> str:
        raise NotImplementedError

    def _id(self, item: T) -> uuid.UUID | None:
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item)
        if role == ID_ROLE:
            return self._id(item)
        return item if role == ITEM_ROLE else None


class VisitList(_ReadList[VisitSummary]):
    """A worker's visits on one day, in time order; ``load(day, zone)`` reads them."""

    def __init__(
        self,
        load: Callable[[date, tzinfo], list[VisitSummary]],
        day: date,
        parent: QObject | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self._load, self._day = load, day
        # "Today" is the tablet's day: an 8 pm visit in New York is on the next day in UTC.
        self._zone = zone or datetime.now().astimezone().tzinfo or UTC
        self._items: list[VisitSummary] = []
        self.refresh()

    @property
    def items(self) -> Sequence[VisitSummary]:
        """The day's visits, as last read."""
        return self._items

    def set_day(self, day: date) -> None:
        """Show another day (the app stayed open past midnight)."""
        self._day = day
        self.refresh()

    def refresh(self, *_: object) -> None:
        """Read the day again."""
        self._reset(self._load(self._day, self._zone))

    def _text(self, item: VisitSummary) -> str:
        start = item.visit.scheduled_start.astimezone().strftime("%H:%M")
        return f"{start}  {item.patient_name} ({item.visit.status.replace('_', ' ')})"

    def _id(self, item: VisitSummary) -> uuid.UUID:
        return item.visit.id


class ConflictList(_ReadList[Conflict]):
    """Unresolved conflicts, newest first; ``load()`` reads them."""

    def __init__(self, load: Callable[[], list[Conflict]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._load = load
        self._items: list[Conflict] = []
        self.refresh()

    @property
    def items(self) -> Sequence[Conflict]:
        """The open conflicts, as last read."""
        return self._items

    def refresh(self, *_: object) -> None:
        """Read the open conflicts again."""
        self._reset(self._load())

    def _text(self, item: Conflict) -> str:
        return f"{item.entity.replace('_', ' ')} · {item.field.replace('_', ' ')}: {item.reason.value}"
