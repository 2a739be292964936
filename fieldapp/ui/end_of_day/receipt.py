"""The office's receipt, record by record, compared with this tablet: what arrived exactly, what arrived
different, what is missing and what has not been sent yet."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from fieldapp.readmodels.submission import ItemState, Submission
from fieldapp.ui.common import label, set_state

STATE_MARKS = {
    ItemState.ARRIVED: "✓",
    ItemState.DIFFERENT: "✗",
    ItemState.MISSING: "✗",
    ItemState.UNSENT: "…",
    ItemState.OFFICE_ONLY: "·",
}
STATE_WORDS = {
    ItemState.ARRIVED: "arrived",
    ItemState.DIFFERENT: "DIFFERENT at the office",
    ItemState.MISSING: "MISSING at the office",
    ItemState.UNSENT: "not sent yet",
    ItemState.OFFICE_ONLY: "at the office, not on this tablet",
}


class Receipt:
    """The receipt's heading, summary and list, laid into the page's own layout (hidden until shown)."""

    def __init__(self, layout: QVBoxLayout) -> None:
        self.heading = label("The office's receipt", "heading")
        self.summary = label(role="banner")
        self.summary.setObjectName("receiptSummary")
        self.summary.setAccessibleName("Receipt summary")
        self.items = QListWidget()
        self.items.setObjectName("receiptList")
        self.items.setAccessibleName("What arrived at the office")
        self.items.setWordWrap(True)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.items.setMinimumHeight(220)
        for part in self.parts:
            part.hide()
            layout.addWidget(part)

    @property
    def parts(self) -> tuple[QLabel, QLabel, QListWidget]:
        """The widgets, top to bottom."""
        return self.heading, self.summary, self.items

    def hide(self) -> None:
        """Hide the receipt (a new report was created)."""
        for part in self.parts:
            part.hide()

    def show(self, result: Submission, zone: tzinfo) -> None:
        """What the office holds, record by record, compared with this tablet."""
        for part in self.parts:
            part.show()  # shown before styling: a hidden label keeps the size it had without its padding
        text, ok = summary_words(result, zone)
        set_state(self.summary, "ok" if ok else "bad")
        self.summary.setText(text)
        self.summary.updateGeometry()  # the role's padding changes the label's height
        self.items.clear()
        for check in sorted(
            result.checks, key=lambda c: (not c.state.is_problem, c.state is ItemState.OFFICE_ONLY)
        ):
            item = QListWidgetItem(f"{STATE_MARKS[check.state]}  {check.label} — {STATE_WORDS[check.state]}")
            item.setData(Qt.ItemDataRole.UserRole, str(check.record_id))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{check.label}: {STATE_WORDS[check.state]}")
            item.setToolTip(f"tablet {check.local_sha256 or '—'}\noffice {check.office_sha256 or '—'}")
            self.items.addItem(item)


def summary_words(result: Submission, zone: tzinfo) -> tuple[str, bool]:
    """The receipt in a few sentences, and whether everything arrived as it is on this tablet."""
    receipt = result.receipt
    assert receipt is not None
    when = datetime.fromtimestamp(receipt.received_at_ms / 1000, zone).strftime("%H:%M")
    arrived = result.count(ItemState.ARRIVED)
    total_local = sum(1 for c in result.checks if c.state is not ItemState.OFFICE_ONLY)
    lines = [f"The office received your report at {when}."]
    if result.all_arrived:
        lines.append(f"All {arrived} records of the day arrived exactly as they are on this tablet.")
        return " ".join(lines), True
    lines.append(f"{arrived} of {total_local} records arrived as they are on this tablet.")
    if not result.pdf_matches:
        lines.append("The office holds a different report PDF.")
    for state in (ItemState.MISSING, ItemState.DIFFERENT, ItemState.UNSENT):
        count = result.count(state)
        if count:
            lines.append(f"{count} {STATE_WORDS[state].lower()}.")
    if result.count(ItemState.UNSENT):
        lines.append("Sync now to send what is not sent yet, then submit again.")
    return " ".join(lines), False
