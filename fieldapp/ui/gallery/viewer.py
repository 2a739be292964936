"""One photo or document, full size: the photo decrypted from the tablet's store and scaled to the window;
a document shown by what it is (the office's browser shows PDFs; the tablet keeps and sends them)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

from fieldapp.qt.ports import Files
from fieldapp.readmodels.visits import AttachmentView
from fieldapp.ui.common import dialog_buttons
from fieldapp.ui.visit.parts import named_label


class AttachmentViewer(QDialog):
    """Shows one attachment; "Close" leaves it."""

    def __init__(self, view: AttachmentView, files: Files, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        a = view.attachment
        self.setObjectName("attachmentViewer")
        title = a.caption or a.kind.words
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        when = a.taken_at.astimezone().strftime("%d %B %Y, %H:%M")
        layout.addWidget(named_label(f"{title} · {when} · {a.byte_size // 1024} KB", "heading"))
        self.picture = QLabel()
        self.picture.setObjectName("attachmentPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        content = files.blob(a.sha256)
        if content is None:
            self.picture.setText("The file is not on this tablet yet (it arrives with the next sync).")
        elif a.kind.is_image:
            pixmap = QPixmap()
            pixmap.loadFromData(QByteArray(content))
            self.picture.setPixmap(pixmap.scaled(960, 640, Qt.AspectRatioMode.KeepAspectRatio))
        else:
            self.picture.setText(
                f"{a.kind.words} of {a.byte_size // 1024} KB, kept encrypted on this tablet."
            )
        scroll = QScrollArea()
        scroll.setWidget(self.picture)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, stretch=1)
        buttons, self.close_button = dialog_buttons(self, ("Close", "Close"), ("Back", "Back"), self.accept)
        layout.addWidget(buttons)
        self.resize(1000, 760)
