"""Sign-in: online with server address, user name and password; on later starts, unlock offline as the
last signed-in user with their password (checked on this tablet, no connection needed).

The screen only collects what is typed and shows what the ``SignInService`` says; the attempt runs in
the background while a busy bar shows, so the window never freezes waiting for a slow network.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QLabel, QLineEdit, QProgressBar, QPushButton, QWidget

from fieldapp.qt.i18n import message
from fieldapp.qt.signin import SignInProblem, SignInService
from fieldapp.ui.common import button, card_form, centre_card, full_window, label, status_line, tab_chain

ONLINE, OFFLINE = "online", "offline"


class LoginScreen(QWidget):
    """The sign-in window."""

    def __init__(self, service: SignInService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        full_window(self, self.tr("fieldapp – sign in"), self.tr("Sign in"))
        self.service = service
        self.mode = ONLINE
        self._build()
        service.busy_changed.connect(self._show_busy)
        service.failed.connect(self._show_problem)
        self.set_mode(OFFLINE if service.remembered_user else ONLINE)

    def _build(self) -> None:
        self.title = label("", "title")
        self.subtitle = label("", "muted")
        self.server = self._edit(self.tr("Server address"), "https://office.example.org")
        self.server.setText(self.service.server_url or "")
        self.username = self._edit(self.tr("User name"), "")
        self.username.setText(self.service.username or "")
        self.password = self._edit(self.tr("Password"), "")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.submit)
        self.server_label = label(self.tr("Server address"), "fieldLabel", wrap=False)
        self.username_label = label(self.tr("User name"), "fieldLabel", wrap=False)
        password_label = label(self.tr("Password"), "fieldLabel", wrap=False)
        for title, edit in (
            (self.server_label, self.server),
            (self.username_label, self.username),
            (password_label, self.password),
        ):
            title.setBuddy(edit)
        self._build_buttons()
        self._lay_out(password_label)

    def _build_buttons(self) -> None:
        """Sign in, switch between online and offline, and what shows progress and problems."""
        self.submit_button = button(self.tr("Sign in"), self.tr("Sign in"), "primary")
        self.submit_button.clicked.connect(self.submit)
        self.switch_button = button("", "", "link")
        self.switch_button.clicked.connect(self._switch)
        self.offline_button = button("", "", "primary")
        self.offline_button.clicked.connect(lambda: self.set_mode(OFFLINE))
        self.offline_button.setVisible(False)
        self.busy = QProgressBar()
        self.busy.setAccessibleName(self.tr("Signing in"))
        self.busy.setRange(0, 0)
        self.busy.setFormat(self.tr("Signing in…"))
        self.busy.setVisible(False)
        self.error = status_line("errorBox", self.tr("Sign-in problem"))

    def _lay_out(self, password_label: QLabel) -> None:
        card, form = card_form("signInCard", 520, (32, 28), 8)
        form.addWidget(self.title)
        form.addWidget(self.subtitle)
        form.addSpacing(8)
        for widget in (
            self.server_label,
            self.server,
            self.username_label,
            self.username,
            password_label,
            self.password,
        ):
            form.addWidget(widget)
        form.addSpacing(8)
        form.addWidget(self.busy)
        form.addWidget(self.error)
        form.addWidget(self.offline_button)
        form.addWidget(self.submit_button)
        form.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignLeft)
        centre_card(self, card)
        tab_chain(self.server, self.username, self.password, self.submit_button, self.switch_button)

    @staticmethod
    def _edit(name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.setMinimumWidth(320)
        return edit

    # -- modes -----------------------------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        """``online`` (server, user, password) or ``offline`` (the remembered user's password only)."""
        remembered = self.service.remembered_user
        if mode == OFFLINE and not remembered:
            mode = ONLINE
        self.mode = mode
        offline = mode == OFFLINE
        for widget in (self.server_label, self.server, self.username_label, self.username):
            widget.setVisible(not offline)
        self.offline_button.setVisible(False)
        self.error.setVisible(False)
        if offline:
            self.title.setText(self.tr("Welcome back, {user}").format(user=remembered))
            self.subtitle.setText(
                self.tr(
                    "Enter your password to open this tablet. No connection is needed; your records are here."
                )
            )
            open_as = self.tr("Open the tablet as {user}").format(user=remembered)
            self._set_button(self.submit_button, self.tr("Open"), open_as)
            online = self.tr("Sign in online instead")
            self._set_button(self.switch_button, online, online)
        else:
            self.title.setText(self.tr("Sign in"))
            self.subtitle.setText(self.tr("Sign in with the account the office gave you."))
            self._set_button(self.submit_button, self.tr("Sign in"), self.tr("Sign in"))
            other = self.tr("Sign in offline as {user}").format(user=remembered) if remembered else ""
            self._set_button(self.switch_button, other, other)
        self.switch_button.setVisible(bool(self.switch_button.text()))
        (self.password if offline or self.username.text() else self.username).setFocus()

    @staticmethod
    def _set_button(widget: QPushButton, text: str, accessible: str) -> None:
        widget.setText(text)
        widget.setAccessibleName(accessible)

    @Slot()
    def _switch(self) -> None:
        self.set_mode(ONLINE if self.mode == OFFLINE else OFFLINE)

    # -- attempts --------------------------------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        """Try to sign in with what is typed."""
        if self.service.busy:
            return
        missing = self._missing()
        if missing:
            self._show_error(missing)
            return
        self.error.setVisible(False)
        self.offline_button.setVisible(False)
        if self.mode == OFFLINE:
            self.service.unlock(self.service.remembered_user or "", self.password.text())
        else:
            self.service.sign_in(self.server.text(), self.username.text(), self.password.text())

    def _missing(self) -> str:
        if self.mode == ONLINE and not self.server.text().strip():
            return self.tr("Enter the server address the office gave you.")
        if self.mode == ONLINE and not self.username.text().strip():
            return self.tr("Enter your user name.")
        if not self.password.text():
            return self.tr("Enter your password.")
        return ""

    @Slot(bool)
    def _show_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.server, self.username, self.password, self.submit_button, self.switch_button):
            widget.setEnabled(not busy)
        if not busy:
            self.password.setFocus()

    @Slot(object)
    def _show_problem(self, problem: SignInProblem) -> None:
        self._show_error(message(problem.message))
        self.password.selectAll()
        user = problem.offline_user
        if user and self.mode == ONLINE:
            offline = self.tr("Sign in offline as {user}").format(user=user)
            self._set_button(self.offline_button, offline, offline)
            self.offline_button.setVisible(True)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
