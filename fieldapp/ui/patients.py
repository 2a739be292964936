"""The patient list: a search box over a table that fetches lazily (200 rows at a time).

Typing is debounced (250 ms) so a fast typist costs one query, not one per key; the table asks the
model for more rows only as it scrolls, so 10,000 patients stay as quick as 200.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QScroller,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldapp.qt.i18n import number
from fieldapp.qt.lists import ID_ROLE, PatientList
from fieldapp.qt.timers import timer
from fieldapp.ui.common import TOUCH, button, label

DEBOUNCE_MS = 250
NARROW = 720  # px of table width below which the town column gives way to the name
NAME_SAMPLE = "Núñez-O'Brien, Zoë"  # the name column keeps room for this much, else town, then birth date go
COLUMN_SAMPLES = {1: "MRN-000000", 2: "00 Sep 0000", 3: "Springfield", 4: "Allergies"}
HEADER_PADDING = 32  # px: the header section's padding and border, and room for the sort mark
TOWN, BORN = 3, 2


class PatientsScreen(QWidget):
    """Search and open patients."""

    open_patient = Signal(object)  # uuid.UUID

    def __init__(self, model: PatientList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.model = model
        self.search = QLineEdit()
        self.search.setProperty("filter", True)  # what it holds narrows a list: nothing to save
        self.focus_on_open = self.search  # the window focuses it when the page opens: one comes to search
        self.search.setPlaceholderText(self.tr("Search by name or record number"))
        self.search.setAccessibleName(self.tr("Search patients"))
        self.search.setAccessibleDescription(
            self.tr("Type part of a name or record number; the list updates")
        )
        self.clear_button = button(self.tr("Clear"), self.tr("Clear search"))
        self.clear_button.clicked.connect(self._clear)
        self.count_label = label("", "muted", wrap=False)
        self._widths: dict[int, int] = {}  # column: the width its title and values need
        self.table = self._table(model)
        self.table.installEventFilter(self)
        self._debounce = timer(self, self.apply_search, interval_ms=DEBOUNCE_MS, single_shot=True)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self.apply_search)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self._focus_search)
        model.modelReset.connect(self._show_count)
        model.rowsInserted.connect(self._show_count)

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        layout.addWidget(label(self.tr("Patients"), "title"))
        layout.addLayout(search_row)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.search, self.clear_button)
        QWidget.setTabOrder(self.clear_button, self.table)
        self._show_count()

    def _table(self, model: PatientList) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setAccessibleName(self.tr("Patients"))
        table.setAccessibleDescription(self.tr("Press Enter or tap a patient to open their record"))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move within it
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(TOUCH + 8)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring while scrolling
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        metrics = table.fontMetrics()
        bold = QFont(table.font())
        bold.setBold(True)
        titles = QFontMetrics(bold)  # headers are bold; in Spanish a title can be wider than the values
        for column, sample in COLUMN_SAMPLES.items():
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            width = max(metrics.horizontalAdvance(sample), titles.horizontalAdvance(title)) + HEADER_PADDING
            self._widths[column] = width
            header.resizeSection(column, width)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        QScroller.grabGesture(table.viewport(), QScroller.ScrollerGestureType.TouchGesture)
        table.activated.connect(self._open)  # Enter, or a double click / tap per platform
        table.clicked.connect(self._open)  # a single tap opens (touch screens have no double click)
        return table

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._fit_columns()  # the table's own size: the page's may be set before the table's
        return False

    def _fit_columns(self) -> None:
        """Town, then the birth date, give way when the name column would be too narrow for a name (a
        portrait screen, large text, longer titles in Spanish)."""
        room = self.table.width() - self.table.verticalScrollBar().sizeHint().width()
        name = self.table.fontMetrics().horizontalAdvance(NAME_SAMPLE) + HEADER_PADDING

        def fixed(*hidden: int) -> int:
            return sum(width for column, width in self._widths.items() if column not in hidden)

        hide_town = self.table.width() < NARROW or room - fixed() < name
        hide_born = hide_town and room - fixed(TOWN) < name
        self.table.setColumnHidden(TOWN, hide_town)
        self.table.setColumnHidden(BORN, hide_born)

    @Slot()
    def apply_search(self) -> None:
        """Filter the list now (the debounce timer calls this after typing stops)."""
        self._debounce.stop()
        text = self.search.text()
        if text != self.model.search:
            self.model.set_search(text)
            self.table.scrollToTop()

    @Slot(QModelIndex)
    def _open(self, index: QModelIndex) -> None:
        patient_id = index.siblingAtColumn(0).data(ID_ROLE)
        if patient_id is not None:
            self.open_patient.emit(patient_id)

    @Slot()
    def _clear(self) -> None:
        self.search.clear()
        self.apply_search()
        self.search.setFocus()

    @Slot()
    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @Slot()
    def _show_count(self, *_: object) -> None:
        total = self.model.total
        searched = bool(self.model.search)
        if total == 0:
            text = (
                self.tr("No patient matches this search.")
                if searched
                else self.tr("No patients on this tablet yet.")
            )
        elif total == 1:
            text = self.tr("1 patient matches") if searched else self.tr("1 patient on this tablet")
        elif searched:
            text = self.tr("{count} patients match").format(count=number(total))
        else:
            text = self.tr("{count} patients on this tablet").format(count=number(total))
        self.count_label.setText(text)
        self.count_label.setAccessibleName(text)
