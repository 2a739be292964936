"""One photo or document, full size: the photo decrypted from the tablet's store and scaled to the window;
a document shown by what it is (the office's browser shows PDFs; the tablet keeps and sends them)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

from fieldapp.qt.i18n import day_and_time, number
from fieldapp.qt.ports import Files
from fieldapp.qt.words import word
from fieldapp.readmodels.visits import AttachmentView
from fieldapp.ui.common import dialog_buttons
from fieldapp.ui.visit.parts import named_label


class AttachmentViewer(QDialog):
    """Shows one attachment; "Close" leaves it."""

    def __init__(self, view: AttachmentView, files: Files, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        a = view.attachment
        self.setObjectName("attachmentViewer")
        title = a.caption or word(a.kind.words)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        when = day_and_time(a.taken_at)
        layout.addWidget(named_label(f"{title} · {when} · {number(a.byte_size // 1024)} KB", "heading"))
        self.picture = QLabel()
        self.picture.setObjectName("attachmentPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        content = files.blob(a.sha256)
        if content is None:
            self.picture.setText(
                self.tr("The file is not on this tablet yet (it arrives with the next sync).")
            )
        elif a.kind.is_image:
            pixmap = QPixmap()
            pixmap.loadFromData(QByteArray(content))
            self.picture.setPixmap(pixmap.scaled(960, 640, Qt.AspectRatioMode.KeepAspectRatio))
        else:
            self.picture.setText(
                self.tr("{kind} of {size} KB, kept encrypted on this tablet.").format(
                    kind=word(a.kind.words), size=number(a.byte_size // 1024)
                )
            )
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, stretch=1)
        buttons, self.close_button = dialog_buttons(
            self, (self.tr("Close"), self.tr("Close")), (self.tr("Back"), self.tr("Back")), self.accept
        )
        layout.addWidget(buttons)
        self.resize(1000, 760)
