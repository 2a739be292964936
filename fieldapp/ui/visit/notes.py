"""The visit's notes: never edited; a correction is an amendment that names the original, and notes
written after signing are marked so."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
)

from fieldapp.domain.entities import VisitNote
from fieldapp.readmodels.visits import VisitDetail
from fieldapp.ui.common import named
from fieldapp.ui.flow import FlowRow
from fieldapp.ui.visit.parts import card, local, named_label, signing_mark, sized_button


class NotesPanel(QFrame):
    """The list of notes, the editor, and the amendment of a selected note."""

    def __init__(self) -> None:
        super().__init__()
        self.amending: uuid.UUID | None = None  # the note being amended
        layout = card(self, self.tr("Notes"), "notesCard")
        self.notes = named(QListWidget(), "notesList", self.tr("Notes of this visit"))
        self.notes.setWordWrap(True)
        self.notes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.notes.setMinimumHeight(140)
        self.notes.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        layout.addWidget(self.notes)
        self.amend_label = named_label(role="notice", name="amendingLabel")
        self.amend_label.hide()
        layout.addWidget(self.amend_label)
        self.note_editor = named(QPlainTextEdit(), "noteEditor", self.tr("New note"))
        self.note_editor.setPlaceholderText(self.tr("Write a note…"))
        self.note_editor.setFixedHeight(84)
        layout.addWidget(self.note_editor)
        row = FlowRow()
        self.add_note_button = sized_button(self.tr("Add note"), self.tr("Add the note"), "primary")
        self.amend_button = sized_button(self.tr("Amend selected"), self.tr("Amend the selected note"))
        self.cancel_amend_button = sized_button(self.tr("Cancel amendment"), self.tr("Cancel the amendment"))
        self.cancel_amend_button.hide()
        row.addWidget(self.add_note_button)
        row.addWidget(self.amend_button)
        row.addWidget(self.cancel_amend_button)
        layout.addLayout(row)
        self.cancel_amend_button.clicked.connect(self.cancel_amendment)
        self.notes.itemSelectionChanged.connect(self.refresh_buttons)
        self.note_editor.textChanged.connect(self.refresh_buttons)

    @property
    def text(self) -> str:
        """The note being written, trimmed."""
        return self.note_editor.toPlainText().strip()

    def selected_note_id(self) -> uuid.UUID | None:
        """The note selected in the list, or None."""
        item = self.notes.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None and item.isSelected() else None
        return value if isinstance(value, uuid.UUID) else None

    def refresh_buttons(self) -> None:
        """ "Add note" needs text; "Amend selected" a selected note and no amendment under way."""
        self.add_note_button.setEnabled(bool(self.text))
        self.add_note_button.setText(self.tr("Save amendment") if self.amending else self.tr("Add note"))
        self.amend_button.setEnabled(self.amending is None and self.selected_note_id() is not None)

    def start_amendment(self, notes: Sequence[VisitNote]) -> None:
        """Write an amendment of the selected note (the original stays as it was)."""
        note_id = self.selected_note_id()
        original = next((n for n in notes if n.id == note_id), None)
        if note_id is None or original is None:
            return
        self.amending = note_id
        self.amend_label.setText(
            self.tr("Amending the note of {time}: “{text}”").format(
                time=local(original.written_at), text=original.text[:80]
            )
        )
        self.amend_label.show()
        self.cancel_amend_button.show()
        self.note_editor.setPlaceholderText(self.tr("Write the correction or addition…"))
        self.note_editor.setFocus()
        self.refresh_buttons()

    def cancel_amendment(self) -> None:
        """Back to writing a new note."""
        self.amending = None
        self.amend_label.hide()
        self.cancel_amend_button.hide()
        self.note_editor.setPlaceholderText(self.tr("Write a note…"))
        self.refresh_buttons()

    def show_notes(self, d: VisitDetail) -> None:
        """List the visit's notes (keeping the selection)."""
        signed_at = d.signature.signed_at if d.signature is not None else None
        written = {n.id: n for n in d.notes}
        amended = {n.amends for n in d.notes if n.amends is not None}
        selected = self.selected_note_id()
        self.notes.clear()
        for note in d.notes:
            self.notes.addItem(note_item(note, written, amended, signed_at))
            if note.id == selected:
                self.notes.setCurrentRow(self.notes.count() - 1)
        if not d.notes:
            placeholder = QListWidgetItem(self.tr("No notes yet."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.notes.addItem(placeholder)
        self.refresh_buttons()


def note_item(
    note: VisitNote,
    written: dict[uuid.UUID, VisitNote],
    amended: set[uuid.UUID],
    signed_at: datetime | None,
) -> QListWidgetItem:
    """One note in the list: when, what it amends or whether it was amended, and the signing lock."""
    head = local(note.written_at)
    if note.amends is not None:
        original = written.get(note.amends)
        head += " · " + (
            QCoreApplication.translate("NotesPanel", "amends the note of {time}").format(
                time=local(original.written_at)
            )
            if original
            else QCoreApplication.translate("NotesPanel", "amendment")
        )
    if note.id in amended:
        head += " · " + QCoreApplication.translate("NotesPanel", "amended below")
    if signed_at is not None:
        head += " · " + signing_mark(note.written_at, signed_at)
    item = QListWidgetItem(f"{head}\n{note.text}")
    item.setData(Qt.ItemDataRole.UserRole, note.id)
    item.setData(
        Qt.ItemDataRole.AccessibleTextRole,
        QCoreApplication.translate("NotesPanel", "Note {head}: {text}").format(head=head, text=note.text),
    )
    item.setToolTip(note.text)
    return item
