"""Qt item models over the local store's read models; views receive them and never query themselves.

Each model reads through ``store.read()`` (local, milliseconds, never the network) and refreshes when
``Actions.records_did_change`` fires. The patient list fetches lazily in windows, so 10,000 patients
cost one small query per scroll step, not one widget per row.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from fieldapp.store import conflicts, queries
from fieldapp.store.local import LocalStore

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2


class PatientListModel(QAbstractTableModel):
    """Patients matching a search, sorted by name, fetched in windows as the view scrolls."""

    HEADERS = ("Name", "Record no.", "Born", "Town", "Allergies")
    WINDOW = 200

    def __init__(self, store: LocalStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._rows: list[queries.PatientSummary] = []
        self._total = 0
        self._search = ""
        self.refresh()

    @property
    def search(self) -> str:
        return self._search

    def set_search(self, text: str) -> None:
        """Show only patients whose name or record number contains every word of ``text``."""
        self._search = text
        self.refresh()

    def refresh(self, *_: object) -> None:
        """Reload (keeping as many rows as were loaded, so the view does not jump)."""
        keep = max(len(self._rows), self.WINDOW)
        with self._store.read() as session:
            total = queries.count_patients(session, self._search)
            rows = queries.search_patients(session, self._search, 0, keep)
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
        with self._store.read() as session:
            more = queries.search_patients(session, self._search, len(self._rows), self.WINDOW)
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                row.name,
                row.mrn,
                row.date_of_birth.strftime("%d %b %Y"),
                row.city,
                "Yes" if row.has_allergies else "",
            )[index.column()]
        if role == ID_ROLE:
            return row.id
        if role == ITEM_ROLE:
            return row
        return None

    def patient_id(self, row: int) -> uuid.UUID:
        """The id of the patient in ``row``."""
        return self._rows[row].id


class VisitListModel(QAbstractListModel):
    """A worker's visits on one day, in time order."""

    def __init__(
        self,
        store: LocalStore,
        worker_id: uuid.UUID,
        day: date,
        parent: QObject | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self._store, self._worker_id, self._day = store, worker_id, day
        # "Today" is the tablet's day: an 8 pm visit in New York is on the next day in UTC.
        self._zone = zone or datetime.now().astimezone().tzinfo or UTC
        self._items: list[queries.VisitSummary] = []
        self.refresh()

    @property
    def items(self) -> Sequence[queries.VisitSummary]:
        return self._items

    def set_day(self, day: date) -> None:
        self._day = day
        self.refresh()

    def refresh(self, *_: object) -> None:
        with self._store.read() as session:
            items = queries.visits_on(session, self._worker_id, self._day, self._zone)
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            start = item.visit.scheduled_start.astimezone().strftime("%H:%M")
            return f"{start}  {item.patient_name} ({item.visit.status.replace('_', ' ')})"
        if role == ID_ROLE:
            return item.visit.id
        if role == ITEM_ROLE:
            return item
        return None


class ConflictListModel(QAbstractListModel):
    """Unresolved conflicts, newest first."""

    def __init__(self, store: LocalStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._items: list[conflicts.Conflict] = []
        self.refresh()

    @property
    def items(self) -> Sequence[conflicts.Conflict]:
        return self._items

    def refresh(self, *_: object) -> None:
        with self._store.read() as session:
            items = conflicts.open_conflicts(session)
        self.beginResetModel()
        self._items = items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{item.entity.replace('_', ' ')} · {item.field.replace('_', ' ')}: {item.reason.value}"
        if role == ITEM_ROLE:
            return item
        return None
