"""Settings: who is signed in, the language, theme and text size, the office server's address, how often to
sync, when the tablet locks itself, and signing out.

The screen talks to an account service handed to it (``fieldapp.qt.account.Account``): it saves settings in
the profile folder and, on sign-out, forgets the session tokens (keyring) and the offline password check,
then the application returns to the sign-in screen. Records and unsent changes stay on the tablet. The
display choices go to a ``DisplayChoices`` (``fieldapp.qt.display.Display``): the theme and text size show
at once, the language too when the shell can build the screens again in it (else from the next start).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Slot
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

from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.qt.i18n import LANGUAGE_NAMES, SYSTEM, message, number
from fieldapp.qt.look import TEXT_SIZES, THEMES
from fieldapp.qt.ports import AccountService, DisplayChoices, StatusReads
from fieldapp.ui.common import button, combo, label, scrolled_page, section, set_role

INTERVALS = (
    (60, QT_TRANSLATE_NOOP("SettingsScreen", "Every minute")),
    (300, QT_TRANSLATE_NOOP("SettingsScreen", "Every 5 minutes")),
    (900, QT_TRANSLATE_NOOP("SettingsScreen", "Every 15 minutes")),
    (1800, QT_TRANSLATE_NOOP("SettingsScreen", "Every 30 minutes")),
)
LOCK_AFTER = (
    (60, QT_TRANSLATE_NOOP("SettingsScreen", "After 1 minute without use")),
    (120, QT_TRANSLATE_NOOP("SettingsScreen", "After 2 minutes without use")),
    (300, QT_TRANSLATE_NOOP("SettingsScreen", "After 5 minutes without use")),
    (600, QT_TRANSLATE_NOOP("SettingsScreen", "After 10 minutes without use")),
    (900, QT_TRANSLATE_NOOP("SettingsScreen", "After 15 minutes without use")),
)
THEME_WORDS = {
    "standard": QT_TRANSLATE_NOOP("SettingsScreen", "Standard"),
    "contrast": QT_TRANSLATE_NOOP("SettingsScreen", "High contrast (bright sunlight)"),
}
ROLE_WORDS = {
    "worker": QT_TRANSLATE_NOOP("SettingsScreen", "worker"),
    "office": QT_TRANSLATE_NOOP("SettingsScreen", "office"),
    "admin": QT_TRANSLATE_NOOP("SettingsScreen", "administrator"),
}
SIZE_WORDS = {
    "small": QT_TRANSLATE_NOOP("SettingsScreen", "Small"),
    "normal": QT_TRANSLATE_NOOP("SettingsScreen", "Normal"),
    "large": QT_TRANSLATE_NOOP("SettingsScreen", "Large"),
}


def ask(parent: QWidget, question: str) -> bool:
    """Sign out or stay, in a dialog ("Stay signed in" is the default, away from where "Sign out" was)."""
    title = QCoreApplication.translate("SettingsScreen", "Sign out?")
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    leave = box.addButton(
        QCoreApplication.translate("SettingsScreen", "Sign out"), QMessageBox.ButtonRole.DestructiveRole
    )
    stay = box.addButton(
        QCoreApplication.translate("SettingsScreen", "Stay signed in"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(stay)
    box.exec()
    return box.clickedButton() is leave


def words(text: str) -> str:
    """``text`` (marked with QT_TRANSLATE_NOOP) in the app's language (context ``SettingsScreen``)."""
    return QCoreApplication.translate("SettingsScreen", text)


class SettingsScreen(QWidget):
    """Account, server, sync interval, sign-out."""

    def __init__(
        self,
        account: AccountService,
        records: StatusReads,
        confirm: Callable[[QWidget, str], bool] = ask,
        parent: QWidget | None = None,
        *,
        display: DisplayChoices | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._account, self._records, self._confirm = account, records, confirm
        self._display = display
        _root, layout = scrolled_page(self, self.tr("Settings"))
        layout.addWidget(label(self.tr("Settings"), "title"))
        layout.addWidget(self._account_section())
        if display is not None:
            layout.addWidget(self._display_section(display))
        layout.addWidget(self._server_section())
        layout.addWidget(self._sync_section())
        layout.addWidget(self._lock_section())
        layout.addWidget(self._sign_out_section())
        layout.addStretch(1)

    def _section(self, title: str) -> tuple[QFrame, QVBoxLayout]:
        return section(title)

    def _account_section(self) -> QFrame:
        frame, layout = self._section(self.tr("Account"))
        info = self._account.info()
        role = ROLE_WORDS.get(info.role)
        self.account_label = label(
            self.tr("Signed in as {user} ({role})").format(
                user=info.username, role=words(role) if role else info.role
            ),
            selectable=True,
        )
        layout.addWidget(self.account_label)
        if info.worker_name or info.agency:
            layout.addWidget(label(" · ".join(p for p in (info.worker_name, info.agency) if p), "muted"))
        if info.offline:
            layout.addWidget(
                label(
                    self.tr("Opened offline: sync starts by itself when the office server can be reached."),
                    "muted",
                )
            )
        layout.addWidget(
            label(self.tr("This tablet: device {id}").format(id=info.device_id), "muted", selectable=True)
        )
        layout.addWidget(
            label(self.tr("Data folder: {folder}").format(folder=info.folder), "muted", selectable=True)
        )
        layout.addWidget(label(self.tr("fieldapp version {version}").format(version=info.version), "muted"))
        return frame

    def _display_section(self, display: DisplayChoices) -> QFrame:
        """Language, theme and text size."""
        frame, layout = self._section(self.tr("Language and display"))
        prefs = display.prefs()
        languages = [(SYSTEM, self.tr("Same as this tablet"))] + [(c, n) for c, n in LANGUAGE_NAMES.items()]
        self.language = self._labelled(layout, self.tr("Language"), languages, prefs.language)
        self.theme = self._labelled(
            layout, self.tr("Colours"), [(t, words(THEME_WORDS[t])) for t in THEMES], prefs.theme
        )
        sizes = [(size, words(SIZE_WORDS[size])) for size in TEXT_SIZES]
        self.text_size = self._labelled(layout, self.tr("Text size"), sizes, prefs.text_size)
        self.display_message = label(self.tr("Colours and text size change at once."), "muted")
        layout.addWidget(self.display_message)
        self.language.currentIndexChanged.connect(self._save_language)
        self.theme.currentIndexChanged.connect(lambda: self._save_look(display.set_theme, self.theme))
        self.text_size.currentIndexChanged.connect(
            lambda: self._save_look(display.set_text_size, self.text_size)
        )
        return frame

    @staticmethod
    def _labelled(
        layout: QVBoxLayout, title: str, choices: Sequence[tuple[str, str]], current: str
    ) -> QComboBox:
        box = combo(title, choices, current)
        heading = label(title, "fieldLabel", wrap=False)
        heading.setBuddy(box)
        layout.addWidget(heading)
        layout.addWidget(box)
        return box

    def _server_section(self) -> QFrame:
        frame, layout = self._section(self.tr("Office server"))
        self.server = QLineEdit(self._account.info().server_url)
        self.server.setAccessibleName(self.tr("Server address"))
        title = label(self.tr("Server address"), "fieldLabel", wrap=False)
        title.setBuddy(self.server)
        self.save_server = button(self.tr("Save"), self.tr("Save server address"))
        self.save_server.clicked.connect(self._save_server)
        self.server.returnPressed.connect(self._save_server)
        row = QHBoxLayout()
        row.addWidget(self.server, 1)
        row.addWidget(self.save_server)
        self.server_message = label(self.tr("A new address is used from the next sign-in."), "muted")
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.server_message)
        return frame

    def _sync_section(self) -> QFrame:
        frame, self.interval, self.interval_message = self._choice_section(
            self.tr("Sync"),
            self.tr("Check with the office"),
            self.tr("How often to sync"),
            INTERVALS,
            self._account.info().sync_interval_s,
            self.tr("Every {minutes} minutes"),
            self.tr(
                "Your changes are also sent a few seconds after you save them, and as soon as the connection "
                "comes back."
            ),
            (self._account.save_interval, self.tr("Saved; applies from the next start of the app.")),
        )
        return frame

    def _lock_section(self) -> QFrame:
        frame, self.lock_after, self.lock_message = self._choice_section(
            self.tr("Screen lock"),
            self.tr("Lock the tablet"),
            self.tr("Lock the tablet"),
            LOCK_AFTER,
            self._account.info().lock_after_s,
            self.tr("After {minutes} minutes without use"),
            self.tr(
                'The tablet also locks when Windows locks and when you tap "Lock now". Your password opens '
                "it again, without a connection; what you were doing stays as it was."
            ),
            (self._account.save_lock_after, self.tr("Saved; applies from the next sign-in.")),
        )
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
        saving: tuple[Callable[[int], bool], str],
    ) -> tuple[QFrame, QComboBox, QLabel]:
        """A section with one choice of seconds (``other`` names a saved value that is not a choice), saved
        when chosen: ``saving`` is the saving call (True: it applies now) and what to say when it applies
        only later."""
        frame, layout = self._section(heading)
        box = combo(accessible, [(seconds, words(text)) for seconds, text in choices], current)
        if box.findData(current) < 0:
            box.addItem(other.format(minutes=current // 60), current)
            box.setCurrentIndex(box.count() - 1)
        title = label(field, "fieldLabel", wrap=False)
        title.setBuddy(box)
        message = label(explanation, "muted")
        layout.addWidget(title)
        layout.addWidget(box)
        layout.addWidget(message)
        save, later = saving
        box.currentIndexChanged.connect(lambda _index: self._save_choice(box, message, save, later))
        return frame, box, message

    def _sign_out_section(self) -> QFrame:
        frame, layout = self._section(self.tr("Sign out"))
        layout.addWidget(
            label(
                self.tr(
                    "Signing out ends your session on this tablet. Your records and unsent changes stay here "
                    "and are sent after the next sign-in, which needs a connection."
                ),
                "muted",
            )
        )
        self.sign_out_button = button(self.tr("Sign out"), self.tr("Sign out"), "danger")
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
            self.server_message.setText(message(str(exc)))
            set_role(self.server_message, "error")
            return
        self.server_message.setText(self.tr("Saved. The new address is used from the next sign-in."))
        set_role(self.server_message, "saved")

    def _save_choice(self, box: QComboBox, message: QLabel, save: Callable[[int], bool], later: str) -> None:
        """Save the seconds chosen in ``box`` and say on ``message`` whether they apply now or ``later``."""
        applied = save(int(box.currentData()))
        message.setText(self.tr("Saved; applies now.") if applied else later)
        set_role(message, "saved")

    @Slot()
    def _save_language(self) -> None:
        if self._display is None:
            return
        when = self._display.set_language(str(self.language.currentData()))
        if when == "spoken":
            self.display_message.setText(self.tr("Saved. The app already speaks this language."))
        elif when == "now":
            self.display_message.setText(self.tr("Saved; the screens change language now."))
        elif when == "unsaved":
            self.display_message.setText(
                self.tr(
                    "Saved. The app speaks the new language from its next start: something you typed "
                    "is not saved yet."
                )
            )
        else:
            self.display_message.setText(
                self.tr("Saved. The app speaks the new language from its next start.")
            )
        set_role(self.display_message, "saved")

    def _save_look(self, save: Callable[[str], None], box: QComboBox) -> None:
        save(str(box.currentData()))
        self.display_message.setText(self.tr("Saved; shown now."))
        set_role(self.display_message, "saved")

    @Slot()
    def sign_out(self) -> None:
        """Sign out, after asking when changes have not reached the office yet."""
        pending = self._records.status().pending
        if pending:
            if pending == 1:
                question = self.tr(
                    "1 change has not reached the office yet. It stays on this tablet and is sent after you "
                    "sign in again (which needs a connection). Sign out now?"
                )
            else:
                question = self.tr(
                    "{count} changes have not reached the office yet. They stay on this tablet and are sent "
                    "after you sign in again (which needs a connection). Sign out now?"
                ).format(count=number(pending))
            if not self._confirm(self, question):
                return
        self._account.sign_out()
