"""The screens' lists (``fieldapp.qt.lists``) over the local store: each read is one ``store.read()``
snapshot (local, milliseconds, never the network); the lists refresh when ``Actions.records_did_change``
fires."""

from __future__ import annotations

import uuid
from datetime import date, tzinfo

from PySide6.QtCore import QObject

from fieldapp.qt.lists import ID_ROLE, ITEM_ROLE, ConflictList, PatientList, VisitList
from fieldapp.readmodels.conflicts import Conflict
from fieldapp.readmodels.visits import PatientSummary, VisitSummary
from fieldapp.store import conflicts, queries
from fieldapp.store.local import LocalStore

__all__ = ["ID_ROLE", "ITEM_ROLE", "ConflictListModel", "PatientListModel", "StorePatients", "VisitListModel"]


class StorePatients:
    """The patient list's reads (``PatientSource``) from the local store."""

    def __init__(self, store: LocalStore) -> None:
        self._store = store

    def first(self, search: str, limit: int) -> tuple[int, list[PatientSummary]]:
        """How many match and the first ``limit``, from one snapshot."""
        with self._store.read() as session:
            return queries.count_patients(session, search), queries.search_patients(session, search, 0, limit)

    def window(self, search: str, offset: int, limit: int) -> list[PatientSummary]:
        """The next window of matching patients."""
        with self._store.read() as session:
            return queries.search_patients(session, search, offset, limit)


class PatientListModel(PatientList):
    """Patients matching a search, read from ``store``."""

    def __init__(self, store: LocalStore, parent: QObject | None = None) -> None:
        super().__init__(StorePatients(store), parent)


class VisitListModel(VisitList):
    """A worker's visits on one day, read from ``store``."""

    def __init__(
        self,
        store: LocalStore,
        worker_id: uuid.UUID,
        day: date,
        parent: QObject | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        def load(on: date, in_zone: tzinfo) -> list[VisitSummary]:
            with store.read() as session:
                return queries.visits_on(session, worker_id, on, in_zone)

        super().__init__(load, day, parent, zone)


class ConflictListModel(ConflictList):
    """Unresolved conflicts, newest first, read from ``store``."""

    def __init__(self, store: LocalStore, parent: QObject | None = None) -> None:
        def load() -> list[Conflict]:
            with store.read() as session:
                return conflicts.open_conflicts(session)

        super().__init__(load, parent)
