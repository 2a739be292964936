"""The gallery: the patient's photos and documents as a grid of thumbnails, newest first, those of this
visit marked; "Add photo or PDF" picks a file, checked from its bytes before it is read whole."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QFileDialog, QFrame, QListView, QListWidget, QListWidgetItem

from fieldapp.domain import attachments as kinds
from fieldapp.domain.errors import ValidationError
from fieldapp.qt.i18n import day_and_time, number
from fieldapp.qt.ports import Files
from fieldapp.qt.words import word
from fieldapp.readmodels.visits import AttachmentView
from fieldapp.ui.common import named
from fieldapp.ui.flow import FlowRow
from fieldapp.ui.visit.parts import card, named_label, set_shown, sized_button

ICON = QSize(120, 120)


def read_attachable(path: Path) -> bytes:
    """A file's bytes if it may be attached: its type from its first bytes, its size from the disk, both
    checked before the whole file is read. Raises the domain's ValidationError with a sentence."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(kinds.SNIFF_BYTES)
            why = kinds.problem(head, size)
            if why is not None:
                raise ValidationError("attachment", {"file": why})
            return head + handle.read()
    except OSError as exc:
        why = QCoreApplication.translate("GalleryPanel", "the file cannot be read ({reason})").format(
            reason=exc.strerror
        )
        raise ValidationError("attachment", {"file": why}) from None


class GalleryPanel(QFrame):
    """Thumbnails of the patient's attachments; ``file_chosen(Path)`` for a file to attach,
    ``camera_requested`` for a photo, ``open_requested(AttachmentView)`` to view one."""

    file_chosen = Signal(object)
    camera_requested = Signal()
    open_requested = Signal(object)

    def __init__(self, files: Files) -> None:
        super().__init__()
        self.files = files
        self._icons: dict[str, QIcon] = {}  # thumbnails never change: decoded once per screen
        layout = card(self, self.tr("Photos and documents"), "galleryCard")
        self.grid = named(QListWidget(), "galleryGrid", self.tr("Photos and documents"))
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(ICON)
        self.grid.setGridSize(QSize(ICON.width() + 16, ICON.height() + 40))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setMinimumHeight(ICON.height() + 56)
        layout.addWidget(self.grid)
        self.empty = named_label(self.tr("No photos or documents yet"), "muted", "noAttachments")
        layout.addWidget(self.empty)
        row = FlowRow()
        self.camera_button = sized_button(
            self.tr("Take photo"), self.tr("Take a photo"), "primary", 120, "takePhoto"
        )
        self.file_button = sized_button(
            self.tr("Add photo or PDF"), self.tr("Add a photo or PDF from a file"), None, 160, "addFile"
        )
        row.addWidget(self.camera_button)
        row.addWidget(self.file_button)
        layout.addLayout(row)
        self.views: list[AttachmentView] = []
        self.visit_id: uuid.UUID | None = None
        self.camera_button.clicked.connect(self.camera_requested)
        self.file_button.clicked.connect(self.choose_file)
        self.grid.itemActivated.connect(self._activated)
        self.grid.itemClicked.connect(self._activated)

    def show_attachments(self, views: Sequence[AttachmentView], visit_id: uuid.UUID | None) -> None:
        """Show the thumbnails (this visit's first are marked "this visit")."""
        if list(views) == self.views and visit_id == self.visit_id:
            return
        self.views, self.visit_id = list(views), visit_id
        self.grid.clear()
        for index, view in enumerate(self.views):
            a = view.attachment
            when = day_and_time(a.taken_at)
            mark = " · " + self.tr("this visit") if visit_id is not None and a.visit_id == visit_id else ""
            words = self.tr("entered in error") if a.entered_in_error else (a.caption or word(a.kind.words))
            item = QListWidgetItem(self._icon(view), f"{words}\n{when}{mark}")
            item.setData(Qt.ItemDataRole.UserRole, index)
            item.setToolTip(f"{word(a.kind.words)}, {number(a.byte_size // 1024)} KB")
            self.grid.addItem(item)
        set_shown(self.empty, not self.views)
        set_shown(self.grid, bool(self.views))

    def _icon(self, view: AttachmentView) -> QIcon:
        sha = view.thumbnail_sha256
        if sha is None:
            return QIcon()
        if sha not in self._icons:
            pixmap = QPixmap()
            content = self.files.blob(sha)
            if content is not None:
                pixmap.loadFromData(QByteArray(content))
            self._icons[sha] = QIcon(pixmap)
        return self._icons[sha]

    def _activated(self, item: QListWidgetItem) -> None:
        index = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(index, int) and 0 <= index < len(self.views):
            self.open_requested.emit(self.views[index])

    def choose_file(self) -> None:
        """Pick a photo (JPEG, PNG) or a PDF from the tablet's files."""
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Add a photo or PDF"),
            str(Path.home()),
            self.tr("Photos and PDFs") + " (*.jpg *.jpeg *.png *.pdf)",
        )
        if path:
            self.file_chosen.emit(Path(path))
