"""Settings: who is signed in, the office server's address, how often to sync, when the tablet locks
itself, and signing out.

The screen talks to an account service handed to it (``fieldapp.qt.account.Account``): it saves settings in
the profile folder and, on sign-out, forgets the session tokens (keyring) and the offline password check,
then the application returns to the sign-in screen. Records and unsent changes stay on the tablet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from fieldapp.qt.ports import AccountService, StatusReads
from fieldapp.ui.common import button, label, page, scrolling, set_role

INTERVALS = (
    (60, "Every minute"),
    (300, "Every 5 minutes"),
    (900, "Every 15 minutes"),
    (1800, "Every 30 minutes"),
)
LOCK_AFTER = (
    (60, "After 1 minute without use"),
    (120, "After 2 minutes without use"),
    (300, "After 5 minutes without use"),
    (600, "After 10 minutes without use"),
    (900, "After 15 minutes without use"),
)


def ask(parent: QWidget, question: str) -> bool:
    """A yes/no question in a dialog."""
    answer = QMessageBox.question(parent, "Sign out?", question)
    return answer == QMessageBox.StandardButton.Yes


class SettingsScreen(QWidget):
    """Account, server, sync interval, sign-out."""

    def __init__(
        self,
        account: AccountService,
        records: StatusReads,
        confirm: Callable[[QWidget, str], bool] = ask,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._account, self._records, self._confirm = account, records, confirm
        root, layout = page()
        layout.addWidget(label("Settings", "title"))
        layout.addWidget(self._account_section())
        layout.addWidget(self._server_section())
        layout.addWidget(self._sync_section())
        layout.addWidget(self._lock_section())
        layout.addWidget(self._sign_out_section())
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scrolling(root, "Settings"))

    def _section(self, title: str) -> tuple[QFrame, QVBoxLayout]:
        frame = QFrame()
        set_role(frame, "section")
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(label(title, "heading"))
        return frame, layout

    def _account_section(self) -> QFrame:
        frame, layout = self._section("Account")
        info = self._account.info()
        self.account_label = label(f"Signed in as {info.username} ({info.role})", selectable=True)
        layout.addWidget(self.account_label)
        if info.worker_name or info.agency:
            layout.addWidget(label(" · ".join(p for p in (info.worker_name, info.agency) if p), "muted"))
        if info.offline:
            layout.addWidget(
                label("Opened offline: sync starts by itself when the office server can be reached.", "muted")
            )
        layout.addWidget(label(f"This tablet: device {info.device_id}", "muted", selectable=True))
        layout.addWidget(label(f"Data folder: {info.folder}", "muted", selectable=True))
        layout.addWidget(label(f"fieldapp {info.version}", "muted"))
        return frame

    def _server_section(self) -> QFrame:
        frame, layout = self._section("Office server")
        self.server = QLineEdit(self._account.info().server_url)
        self.server.setAccessibleName("Server address")
        title = label("Server address", "fieldLabel", wrap=False)
        title.setBuddy(self.server)
        self.save_server = button("Save", "Save server address")
        self.save_server.clicked.connect(self._save_server)
        self.server.returnPressed.connect(self._save_server)
        row = QHBoxLayout()
        row.addWidget(self.server, 1)
        row.addWidget(self.save_server)
        self.server_message = label("A new address is used from the next sign-in.", "muted")
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.server_message)
        return frame

    def _sync_section(self) -> QFrame:
        frame, self.interval, self.interval_message = self._choice_section(
            "Sync",
            "Check with the office",
            "How often to sync",
            INTERVALS,
            self._account.info().sync_interval_s,
            "Every {} minutes",
            "Your changes are also sent a few seconds after you save them, and as soon as the connection "
            "comes back.",
        )
        self.interval.currentIndexChanged.connect(self._save_interval)
        return frame

    def _lock_section(self) -> QFrame:
        frame, self.lock_after, self.lock_message = self._choice_section(
            "Screen lock",
            "Lock the tablet",
            "Lock the tablet",
            LOCK_AFTER,
            self._account.info().lock_after_s,
            "After {} minutes without use",
            'The tablet also locks when Windows locks and when you tap "Lock now". Your password opens it '
            "again, without a connection; what you were doing stays as it was.",
        )
        self.lock_after.currentIndexChanged.connect(self._save_lock_after)
        return frame

    def _choice_section(
        self,
        heading: str,
        field: str,
        accessible: str,
        choices: Sequence[tuple[int, str]],
        current: int,
        other: str,
        explanation: str,
    ) -> tuple[QFrame, QComboBox, QLabel]:
        """A section with one choice of seconds (``other`` names a saved value that is not a choice)."""
        frame, layout = self._section(heading)
        box = QComboBox()
        box.setAccessibleName(accessible)
        for seconds, text in choices:
            box.addItem(text, seconds)
        index = box.findData(current)
        if index < 0:
            box.addItem(other.format(current // 60), current)
            index = box.count() - 1
        box.setCurrentIndex(index)
        title = label(field, "fieldLabel", wrap=False)
        title.setBuddy(box)
        message = label(explanation, "muted")
        layout.addWidget(title)
        layout.addWidget(box)
        layout.addWidget(message)
        return frame, box, message

    def _sign_out_section(self) -> QFrame:
        frame, layout = self._section("Sign out")
        layout.addWidget(
            label(
                "Signing out ends your session on this tablet. Your records and unsent changes stay here "
                "and are sent after the next sign-in, which needs a connection.",
                "muted",
            )
        )
        self.sign_out_button = button("Sign out", "Sign out", "danger")
        self.sign_out_button.clicked.connect(self.sign_out)
        row = QHBoxLayout()
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        layout.addLayout(row)
        return frame

    @Slot()
    def _save_server(self) -> None:
        try:
            self._account.save_server_url(self.server.text())
        except ValueError as exc:
            self.server_message.setText(str(exc))
            set_role(self.server_message, "error")
            return
        self.server_message.setText("Saved. The new address is used from the next sign-in.")
        set_role(self.server_message, "saved")

    @Slot()
    def _save_interval(self) -> None:
        seconds = int(self.interval.currentData())
        applied = self._account.save_interval(seconds)
        when = "now" if applied else "from the next start of the app"
        self.interval_message.setText(f"Saved; applies {when}.")
        set_role(self.interval_message, "saved")

    @Slot()
    def _save_lock_after(self) -> None:
        seconds = int(self.lock_after.currentData())
        applied = self._account.save_lock_after(seconds)
        when = "now" if applied else "from the next sign-in"
        self.lock_message.setText(f"Saved; applies {when}.")
        set_role(self.lock_message, "saved")

    @Slot()
    def sign_out(self) -> None:
        """Sign out, after asking when changes have not reached the office yet."""
        pending = self._records.status().pending
        if pending:
            noun = "change has" if pending == 1 else "changes have"
            question = (
                f"{pending} {noun} not reached the office yet. They stay on this tablet and are sent "
                "after you sign in again (which needs a connection). Sign out now?"
            )
            if not self._confirm(self, question):
                return
        self._account.sign_out()
