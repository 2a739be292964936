"""One photo or document, full size: the photo decrypted from the tablet's store and scaled to the window;
a document shown by what it is (the office's browser shows PDFs; the tablet keeps and sends them). A photo
another device took is fetched from the server when it is opened (only its thumbnail came before)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from fieldapp.qt.i18n import day_and_time, number
from fieldapp.qt.ports import Files
from fieldapp.qt.words import word
from fieldapp.readmodels.visits import AttachmentView
from fieldapp.ui.common import TOUCH, dialog_buttons, titled
from fieldapp.ui.visit.parts import named_label


class AttachmentViewer(QDialog):
    """Shows one attachment; "Close" leaves it, "Entered in error…" asks to mark it (``error_requested``)."""

    error_requested = Signal(object)  # AttachmentView

    def __init__(self, view: AttachmentView, files: Files, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        a = view.attachment
        title = a.caption or word(a.kind.words)
        titled(self, "attachmentViewer", title)
        layout = QVBoxLayout(self)
        when = day_and_time(a.taken_at)
        layout.addWidget(named_label(f"{title} · {when} · {number(a.byte_size // 1024)} KB", "heading"))
        self.picture = QLabel()
        self.picture.setObjectName("attachmentPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view = view
        content = files.blob(a.sha256)
        if content is not None:
            self.show_content(content)
        elif files.request_file(a.sha256, self.show_content):
            self.picture.setText(self.tr("Fetching the file from the office…"))
        else:
            self.show_content(None)
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, stretch=1)
        buttons, self.close_button = dialog_buttons(self, self.tr("Close"), self.tr("Back"), self.accept)
        self.error_button = buttons.addButton(
            self.tr("Entered in error…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.error_button.setObjectName("attachmentInError")
        self.error_button.setAccessibleName(self.tr("Mark entered in error"))
        self.error_button.setMinimumSize(120, TOUCH)
        self.error_button.setEnabled(not a.entered_in_error)
        self.error_button.clicked.connect(lambda: self.error_requested.emit(view))
        if a.entered_in_error:
            layout.addWidget(
                named_label(self.tr("Entered in error: {reason}").format(reason=a.error_reason), "error")
            )
        layout.addWidget(buttons)
        self.resize(1000, 760)

    def show_content(self, content: bytes | None) -> None:
        """Show the file (fetched now, or on this tablet already); None: it could not come now."""
        a = self.view.attachment
        if content is None:
            self.picture.setText(
                self.tr(
                    "The file is not on this tablet and cannot be fetched now; open it again when online."
                )
            )
        elif a.kind.is_image:
            pixmap = QPixmap()
            pixmap.loadFromData(QByteArray(content))
            self.picture.setPixmap(pixmap.scaled(960, 640, Qt.AspectRatioMode.KeepAspectRatio))
        else:
            words = self.tr("{kind} of {size} KB, kept encrypted on this tablet.")
            self.picture.setText(words.format(kind=word(a.kind.words), size=number(a.byte_size // 1024)))
