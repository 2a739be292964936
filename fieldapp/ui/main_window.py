"""``MainWindow``: the sync status bar across the top, a left navigation, and the pages.

Pages are registered with ``add_page(key, title, widget)``: navigation pages get a button (Ctrl+1, 2,
... in order), detail pages (``nav=False``) are reached through ``open_visit(uuid)`` /
``open_patient(uuid)`` and leave through "Back" (Esc, Alt+Left). A page that has ``open_visit`` or
``open_patient`` signals of its own is connected to the window's. The detail screens are built on first
use: ``VisitScreen(records, actions, parent)`` shown with ``show_visit(visit_id)`` and
``PatientRecordScreen`` shown with ``show_patient(patient_id)``. "Lock now" (Ctrl+L) emits
``lock_requested``; the workspace's lock screen (``fieldapp.ui.lock``) then covers the window.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.vitals import VitalUnits
from fieldapp.qt.pending import PendingChanges
from fieldapp.qt.ports import Positioning, WindowActions, WindowReads
from fieldapp.ui.common import button, label, set_role
from fieldapp.ui.patient_record import PatientRecordScreen
from fieldapp.ui.sync_status import SyncStatusBar
from fieldapp.ui.visit import VisitScreen

VISIT, PATIENT = "visit", "patient"


@dataclass
class Page:
    """One registered page."""

    key: str
    title: str
    widget: QWidget
    nav_button: QPushButton | None = None
    badge: QLabel | None = None
    own_back: bool = False  # the page has its own "Back" (a ``back_requested`` signal)


class MainWindow(QMainWindow):
    """The signed-in window; ``records`` and ``actions`` are handed to the detail screens it builds."""

    open_visit = Signal(object)  # uuid.UUID
    open_patient = Signal(object)  # uuid.UUID
    page_changed = Signal(str)
    lock_requested = Signal()  # "Lock now" (the workspace's LockService locks)

    def __init__(
        self,
        records: WindowReads,
        actions: WindowActions,
        user: str,
        parent: QWidget | None = None,
        *,
        positioning: Callable[[], Positioning] | None = None,
        pending: PendingChanges | None = None,
    ) -> None:
        """``positioning`` gives the device's position source when the visit screen is first built (so the
        platform's positioning starts only once a visit is opened); ``pending`` is the shared count of
        unsent changes the status bar shows (``self.pending_changes``; one of its own when not given)."""
        super().__init__(parent)
        self.positioning = positioning
        self.setWindowTitle("fieldapp")
        self.setAccessibleName(self.tr("fieldapp main window"))
        self.records, self.app_actions = records, actions  # not .actions: QWidget.actions() exists
        self._pages: dict[str, Page] = {}
        self._badges: dict[str, int] = {}
        self._history: list[str] = []
        self.visit_screen: VisitScreen | None = None
        self.units = VitalUnits()
        self.patient_screen: PatientRecordScreen | None = None
        self._builders: dict[str, Callable[[], QWidget]] = {
            VISIT: self._build_visit_screen,
            PATIENT: self._build_patient_screen,
        }
        self.status_bar = SyncStatusBar(records, pending=pending)
        self.pending_changes = self.status_bar.pending_changes
        self.stack = QStackedWidget()
        self.stack.setAccessibleName(self.tr("Page"))
        self._build(user)
        self.open_visit.connect(self._show_visit)
        self.open_patient.connect(self._show_patient)
        self.status_bar.conflicts_requested.connect(lambda: self.show_page("conflicts"))
        self.status_bar.counts_changed.connect(
            lambda _pending, attention: self.set_badge("conflicts", attention)
        )
        self.status_bar.refresh()
        self.setMinimumSize(760, 560)

    def set_units(self, units: VitalUnits) -> None:
        """The agency's units for vitals (its card): the visit screen types and shows them in these."""
        self.units = units
        if self.visit_screen is not None:
            self.visit_screen.vitals_panel.set_units(units)

    def set_account(self, worker: str, agency: str = "") -> None:
        """Who is signed in ("Ana López, HHA") and for which agency, under the navigation."""
        self.user_label.setText(self.tr("Signed in as {user}").format(user=worker))
        self.agency_label.setText(agency)
        self.agency_label.setVisible(bool(agency))

    def _build(self, user: str) -> None:
        self._nav_group = QButtonGroup(self)
        self._nav_group.setExclusive(True)
        navigation = QWidget()
        navigation.setObjectName("navigation")
        navigation.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        navigation.setFixedWidth(210)
        self._nav_layout = QVBoxLayout(navigation)
        self._nav_layout.setContentsMargins(10, 14, 10, 14)
        self._nav_layout.setSpacing(6)
        self._nav_layout.addStretch(1)
        self.lock_button = button(
            self.tr("Lock now"), self.tr("Lock the tablet now"), tip=self.tr("Lock the tablet now (Ctrl+L)")
        )
        self.lock_button.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a tap leaves the focus where it was
        self.lock_button.clicked.connect(lambda: self.lock_requested.emit())
        self._nav_layout.addWidget(self.lock_button)
        self.user_label = label(self.tr("Signed in as {user}").format(user=user), "muted")
        self._nav_layout.addWidget(self.user_label)
        self.agency_label = label("", "muted")
        self.agency_label.setVisible(False)
        self._nav_layout.addWidget(self.agency_label)

        self.back_button = button(
            self.tr("‹ Back"), self.tr("Back"), tip=self.tr("Back to the previous screen (Esc)")
        )
        self.back_button.clicked.connect(self.go_back)
        self.back_button.setVisible(False)
        back_row = QHBoxLayout()
        back_row.setContentsMargins(20, 10, 20, 0)
        back_row.addWidget(self.back_button)
        back_row.addStretch(1)
        content = QVBoxLayout()
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(0)
        content.addLayout(back_row)
        content.addWidget(self.stack, 1)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(navigation)
        body.addLayout(content, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.status_bar)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence(QKeySequence.StandardKey.Back)):
            QShortcut(keys, self, self.go_back)

    # -- the registry ----------------------------------------------------------------------------------------

    def add_page(self, key: str, title: str, widget: QWidget, *, nav: bool = True) -> QWidget:
        """Register a page; navigation pages get a button in the left column."""
        if key in self._pages:
            raise ValueError(f"a page {key!r} is already registered")
        page = Page(key, title, widget)
        self._pages[key] = page
        self.stack.addWidget(widget)
        if nav:
            self._add_nav_button(page)
        for name in ("open_visit", "open_patient"):
            signal = getattr(widget, name, None)
            if signal is not None and hasattr(signal, "connect"):
                signal.connect(getattr(self, name))
        back = getattr(widget, "back_requested", None)
        if back is not None and hasattr(back, "connect"):
            back.connect(self.go_back)
            page.own_back = True
        if self.stack.count() == 1:
            self.show_page(key)
        return widget

    def _add_nav_button(self, page: Page) -> None:
        position = sum(1 for p in self._pages.values() if p.nav_button is not None)
        nav = QPushButton(page.title)
        nav.setCheckable(True)
        set_role(nav, "nav")
        nav.setMinimumHeight(56)
        shortcut = f"Ctrl+{position + 1}" if position < 9 else ""
        nav.setAccessibleName(page.title)
        nav.setToolTip(f"{page.title} ({shortcut})" if shortcut else page.title)
        if shortcut:
            nav.setShortcut(QKeySequence(shortcut))
        badge = label("", "badge", wrap=False)
        badge.setFixedHeight(28)
        badge.setMinimumWidth(28)
        badge.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        badge.setVisible(False)
        inner = QHBoxLayout(nav)
        inner.setContentsMargins(0, 0, 12, 0)
        inner.addStretch(1)
        inner.addWidget(badge, 0, Qt.AlignmentFlag.AlignVCenter)
        nav.clicked.connect(lambda: self.show_page(page.key))
        self._nav_group.addButton(nav)
        page.nav_button, page.badge = nav, badge
        self._nav_layout.insertWidget(position, nav)
        self.set_badge(page.key, self._badges.get(page.key, 0))

    def page(self, key: str) -> QWidget:
        """The widget of a registered page."""
        return self._pages[key].widget

    def has_page(self, key: str) -> bool:
        """Whether ``key`` is registered."""
        return key in self._pages

    def has_unsaved_input(self) -> bool:
        """Whether a text field anywhere in the window holds words the worker typed and has not saved
        (edited since the screen last set it, and not empty): building the screens again would lose them."""
        for field in self.findChildren(QLineEdit):
            if field.isModified() and field.text().strip() and not field.property("filter"):
                return True
        return any(
            box.document().isModified() and box.toPlainText().strip()
            for box in self.findChildren(QPlainTextEdit)
        )

    @property
    def current_key(self) -> str | None:
        """The key of the page on screen."""
        widget = self.stack.currentWidget()
        return next((p.key for p in self._pages.values() if p.widget is widget), None)

    def show_page(self, key: str) -> None:
        """Bring a page to the front (building a detail page on first use)."""
        if key not in self._pages:
            builder = self._builders.get(key)
            if builder is None:
                return
            self.add_page(key, self._detail_title(key), builder(), nav=False)
        page = self._pages[key]
        current = self.current_key
        if current is not None and current != key:
            self._history = [k for k in self._history if k != key] + [current]
        if page.nav_button is not None:
            self._history.clear()  # the left column starts a fresh trail
            page.nav_button.setChecked(True)
        self.stack.setCurrentWidget(page.widget)
        self._show_back(page)
        self._focus(page)
        self.page_changed.emit(key)

    def _detail_title(self, key: str) -> str:
        return self.tr("Visit") if key == VISIT else self.tr("Patient") if key == PATIENT else key.title()

    def _show_back(self, page: Page) -> None:
        self.back_button.setVisible(page.nav_button is None and not page.own_back and bool(self._history))

    def _focus(self, page: Page) -> None:
        # Never land in a text field by itself (on a tablet that pops up the on-screen keyboard), unless the
        # page is there to be typed in and says where (Patients: its search box).
        wanted = getattr(page.widget, "focus_on_open", None)
        if isinstance(wanted, QWidget):
            wanted.setFocus(Qt.FocusReason.OtherFocusReason)
        elif page.nav_button is not None:
            page.nav_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.back_button.isVisible():
            self.back_button.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            page.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def go_back(self) -> None:
        """Return to the page shown before this detail page."""
        if not self._history or self._pages[self.current_key or ""].nav_button is not None:
            return
        key = self._history.pop()
        page = self._pages[key]
        if page.nav_button is not None:
            page.nav_button.setChecked(True)
        self.stack.setCurrentWidget(page.widget)
        self._show_back(page)
        self._focus(page)
        self.page_changed.emit(key)

    def set_badge(self, key: str, count: int) -> None:
        """Show ``count`` on a navigation button (hidden at zero); kept for a page registered later."""
        self._badges[key] = count
        page = self._pages.get(key)
        if page is None or page.badge is None or page.nav_button is None:
            return
        page.badge.setText(str(count) if count < 100 else "99+")
        page.badge.setVisible(count > 0)
        page.nav_button.setAccessibleName(
            self.tr("{page}, {count} open").format(page=page.title, count=count) if count else page.title
        )

    # -- detail pages ----------------------------------------------------------------------------------------

    @Slot(object)
    def _show_visit(self, visit_id: uuid.UUID) -> None:
        self.show_page(VISIT)
        if self.visit_screen is not None:
            self.visit_screen.show_visit(visit_id)

    @Slot(object)
    def _show_patient(self, patient_id: uuid.UUID) -> None:
        self.show_page(PATIENT)
        if self.patient_screen is not None:
            self.patient_screen.show_patient(patient_id)

    def _build_visit_screen(self) -> QWidget:
        source = self.positioning() if self.positioning is not None else None
        self.visit_screen = VisitScreen(self.records, self.app_actions, self, location_source=source)
        self.visit_screen.vitals_panel.set_units(self.units)
        return self.visit_screen

    def _build_patient_screen(self) -> QWidget:
        self.patient_screen = PatientRecordScreen(self.records, self.app_actions, self)
        return self.patient_screen
