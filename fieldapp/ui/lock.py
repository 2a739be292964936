"""The lock screen: covers the whole workspace window until the signed-in user's password is given again.

``LockOverlay`` is a child of the main window laid over everything in it, driven by a ``LockService``
(``fieldapp.qt.lock``: the password check, the pause after repeated wrong passwords, the audit entries).
Locking hides what is under it without destroying anything: the window's content is hidden (so no part of
it can take keyboard focus, reach the tab order, or be read by a screen reader), the workspace's other
windows (the signature pad, a dialog) are hidden and shown again afterwards, open popups and tooltips
close, the window title becomes neutral, and no shortcut of the window fires. Unlocking restores it all:
the page, what was typed, a half-drawn signature, and where the keyboard focus was.

Focus leaves the screen the way it leaves when the window is deactivated (as when the operating system
locks the session): a patient field being edited therefore keeps its text and, by the patient record's
rule, is saved on this tablet when it is left.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QToolTip,
    QWidget,
)

from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.qt.lock import LockService
from fieldapp.ui.common import button, card_form, centre_card, label, status_line, tab_chain

LOCKED_TITLE = QT_TRANSLATE_NOOP("LockOverlay", "fieldapp – locked")
TOUCH_LOCK = 48  # px: the lock screen's controls, used with cold or gloved hands


def _alive(widget: QWidget | None) -> bool:
    if widget is None:
        return False
    try:
        widget.objectName()  # raises once the C++ object is gone
    except RuntimeError:
        return False
    return True


def _belongs_to(widget: QWidget, window: QWidget) -> bool:
    """Whether a top-level widget (a dialog) was opened from ``window``."""
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False


def _depth(widget: QWidget) -> int:
    depth, parent = 0, widget.parentWidget()
    while parent is not None:
        depth, parent = depth + 1, parent.parentWidget()
    return depth


class LockOverlay(QWidget):
    """Covers ``window`` while ``service`` says the session is locked."""

    def __init__(self, service: LockService, window: QMainWindow) -> None:
        super().__init__(window)
        self.setObjectName("lockScreen")
        self.setAccessibleName(self.tr("Tablet locked"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.service, self._window = service, window
        self._covering = False
        self._title = ""
        self._focus: QWidget | None = None
        self._cursor: int | None = None
        self._active: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._content: QWidget | None = None
        self._build()
        self.hide()
        window.installEventFilter(self)
        service.locked.connect(self.cover)
        service.unlocked.connect(self.uncover)
        service.failed.connect(self._show_problem)
        service.busy_changed.connect(self._show_busy)
        service.wait_changed.connect(self._show_wait)

    # -- layout ----------------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.title = label(self.tr("Tablet locked"), "title")
        self.user_label = label(self.tr("Signed in as {user}").format(user=self.service.username), "heading")
        self.user_label.setAccessibleName(self.tr("Signed-in user"))
        self.hint = label(
            self.tr("Enter your password to continue where you left off. Sync goes on in the background."),
            "muted",
        )
        password_label = self._build_unlock()
        self._build_sign_out()
        self._lay_out(password_label)

    def _build_unlock(self) -> QLabel:
        """The password, its problems, the wait and "Unlock"; returns the password's label."""
        self.password = QLineEdit()
        self.password.setObjectName("lockPassword")
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMinimumHeight(TOUCH_LOCK)
        self.password.returnPressed.connect(self.submit)
        password_label = label(self.tr("Password"), "fieldLabel", wrap=False)
        password_label.setBuddy(self.password)
        self.error = status_line("errorBox", self.tr("Unlock problem"))
        self.countdown = status_line("notice", self.tr("Time before the next try"))
        self.busy = QProgressBar()
        self.busy.setAccessibleName(self.tr("Checking the password"))
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setVisible(False)
        self.unlock_button = button(
            self.tr("Unlock"), self.tr("Unlock as {user}").format(user=self.service.username), "primary"
        )
        self.unlock_button.setMinimumHeight(TOUCH_LOCK)
        self.unlock_button.clicked.connect(self.submit)
        return password_label

    def _build_sign_out(self) -> None:
        """ "Sign out…" and its confirmation."""
        self.sign_out_button = button(
            self.tr("Sign out…"),
            self.tr("Sign out"),
            "link",
            tip=self.tr("Not you, or forgot the password? Sign out of this tablet."),
        )
        self.sign_out_button.setMinimumHeight(TOUCH_LOCK)
        self.sign_out_button.clicked.connect(self._ask_sign_out)
        self.confirm_text = label(
            self.tr(
                "Sign out? Whatever is typed on screen but not saved is lost. Saved records stay on this "
                "tablet and are sent after the next sign-in, which needs a connection."
            ),
            "notice",
        )
        self.confirm_sign_out = button(self.tr("Sign out"), self.tr("Sign out now"), "danger")
        self.cancel_sign_out = button(self.tr("Cancel"), self.tr("Stay signed in"))
        for widget in (self.confirm_sign_out, self.cancel_sign_out):
            widget.setMinimumSize(140, TOUCH_LOCK)
        self.confirm_sign_out.clicked.connect(self.service.sign_out)
        self.cancel_sign_out.clicked.connect(lambda: self._set_confirming(False))
        self.confirm_row = QWidget()
        row = QHBoxLayout(self.confirm_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.confirm_sign_out)
        row.addWidget(self.cancel_sign_out)
        row.addStretch(1)

    def _lay_out(self, password_label: QLabel) -> None:
        card, form = card_form("lockCard", 500, (32, 28), 10)
        for text in (self.title, self.user_label, self.hint):
            form.addWidget(text)
        form.addSpacing(6)
        for part in (
            password_label,
            self.password,
            self.busy,
            self.error,
            self.countdown,
            self.unlock_button,
        ):
            form.addWidget(part)
        form.addSpacing(10)
        form.addWidget(self.sign_out_button, 0, Qt.AlignmentFlag.AlignLeft)
        form.addWidget(self.confirm_text)
        form.addWidget(self.confirm_row)
        self._set_confirming(False)
        centre_card(self, card)
        tab_chain(
            self.password,
            self.unlock_button,
            self.sign_out_button,
            self.confirm_sign_out,
            self.cancel_sign_out,
        )

    # -- covering and uncovering -----------------------------------------------------------------------------

    @property
    def covering(self) -> bool:
        """Whether the window is covered."""
        return self._covering

    @Slot()
    def cover(self, *_args: object) -> None:
        """Lay the lock screen over the window and hide everything that could show patient data."""
        if self._covering:
            return
        self._reset_form()  # before covering: nothing takes the focus yet
        self._covering = True
        window = self._window
        self._active = QApplication.activeWindow()
        self._focus = window.focusWidget()
        self._cursor = self._focus.cursorPosition() if isinstance(self._focus, QLineEdit) else None
        for _ in range(10):  # an open list of choices, a menu
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        QToolTip.hideText()
        self._hidden = [
            w
            for w in QApplication.topLevelWidgets()
            if w is not window and w.isVisible() and _belongs_to(w, window)
        ]
        for widget in self._hidden:
            widget.hide()  # hidden, not closed: a dialog keeps its content and stays open
        self._title = window.windowTitle()
        window.setWindowTitle(self.tr(LOCKED_TITLE))
        self.setGeometry(window.rect())
        self.show()
        self.raise_()
        # As when the window is deactivated: no select-all or deselection in the field left.
        self.password.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        self._content = window.centralWidget()
        if self._content is not None:
            self._content.hide()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # no shortcut of the window while locked
        if self._active is not None and self._active in self._hidden:
            window.activateWindow()

    @Slot()
    def uncover(self) -> None:
        """Show the window as it was: content, other windows, focus and title."""
        if not self._covering:
            return
        self._covering = False
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        window = self._window
        if self._content is not None and _alive(self._content):
            self._content.show()
        window.setWindowTitle(self._title)
        focus = self._focus if _alive(self._focus) else None
        if focus is not None and focus.window() is window and focus.isVisibleTo(window):
            focus.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
            if isinstance(focus, QLineEdit) and self._cursor is not None:
                focus.setCursorPosition(min(self._cursor, len(focus.text())))
        else:
            self.password.clearFocus()  # leave the focus nowhere rather than in a random field
        self._reset_form()
        self.hide()
        for widget in sorted((w for w in self._hidden if _alive(w)), key=_depth):
            widget.show()
        active = self._active if _alive(self._active) else None
        if active is not None and active is not window and active in self._hidden:
            active.raise_()
            active.activateWindow()
        self._hidden, self._focus, self._active, self._content = [], None, None, None

    def release(self) -> None:
        """The session ends (its window closes): stop filtering the application's events."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ShortcutOverride and self._covering:
            event.accept()  # the key goes to the focused field as typing; no shortcut fires
            return True
        if watched is self._window and kind == QEvent.Type.Resize:
            self.setGeometry(self._window.rect())
        return False

    # -- the form --------------------------------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        """Try the password typed."""
        if self.service.busy or self.service.wait_s():
            return
        self.service.unlock(self.password.text())

    def _reset_form(self) -> None:
        self.password.clear()
        self.error.setVisible(False)
        self._set_confirming(False)
        self._show_wait(self.service.wait_s())

    def _ask_sign_out(self) -> None:
        self._set_confirming(True)
        self.cancel_sign_out.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_confirming(self, confirming: bool) -> None:
        self.confirm_text.setVisible(confirming)
        self.confirm_row.setVisible(confirming)
        self.sign_out_button.setVisible(not confirming)
        if not confirming and self._covering and self.password.isEnabled():
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(str)
    def _show_problem(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.password.clear()
        if self.password.isEnabled():
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(bool)
    def _show_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        waiting = self.service.wait_s() > 0
        self.password.setEnabled(not busy and not waiting)
        self.unlock_button.setEnabled(not busy and not waiting)

    @Slot(int)
    def _show_wait(self, seconds: int) -> None:
        waiting = seconds > 0
        if waiting:
            self.countdown.setText(
                self.tr("Try again in {wait}.").format(wait=f"{seconds // 60}:{seconds % 60:02d}")
            )
        self.countdown.setVisible(waiting)
        busy = self.service.busy
        self.password.setEnabled(not waiting and not busy)
        self.unlock_button.setEnabled(not waiting and not busy)
        if not waiting and self._covering and not busy and not self.confirm_row.isVisible():
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
