"""The office's receipt, record by record, compared with this tablet: what arrived exactly, what arrived
different, what is missing and what has not been sent yet."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.qt.i18n import number, time_of_day
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
    ItemState.ARRIVED: QT_TRANSLATE_NOOP("Receipt", "arrived"),
    ItemState.DIFFERENT: QT_TRANSLATE_NOOP("Receipt", "DIFFERENT at the office"),
    ItemState.MISSING: QT_TRANSLATE_NOOP("Receipt", "MISSING at the office"),
    ItemState.UNSENT: QT_TRANSLATE_NOOP("Receipt", "not sent yet"),
    ItemState.OFFICE_ONLY: QT_TRANSLATE_NOOP("Receipt", "at the office, not on this tablet"),
}


def state_words(state: ItemState) -> str:
    """What happened to one record, in the worker's language."""
    return QCoreApplication.translate("Receipt", STATE_WORDS[state])


class Receipt:
    """The receipt's heading, summary and list, laid into the page's own layout (hidden until shown)."""

    def __init__(self, layout: QVBoxLayout) -> None:
        self.heading = label(QCoreApplication.translate("Receipt", "The office's receipt"), "heading")
        self.summary = label(role="banner")
        self.summary.setObjectName("receiptSummary")
        self.summary.setAccessibleName(QCoreApplication.translate("Receipt", "Receipt summary"))
        self.items = QListWidget()
        self.items.setObjectName("receiptList")
        self.items.setAccessibleName(QCoreApplication.translate("Receipt", "What arrived at the office"))
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
            words = state_words(check.state)
            item = QListWidgetItem(f"{STATE_MARKS[check.state]}  {check.label} — {words}")
            item.setData(Qt.ItemDataRole.UserRole, str(check.record_id))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{check.label}: {words}")
            item.setToolTip(
                QCoreApplication.translate("Receipt", "tablet {tablet}\noffice {office}").format(
                    tablet=check.local_sha256 or "—", office=check.office_sha256 or "—"
                )
            )
            self.items.addItem(item)


def summary_words(result: Submission, zone: tzinfo) -> tuple[str, bool]:
    """The receipt in a few sentences, and whether everything arrived as it is on this tablet."""
    receipt = result.receipt
    assert receipt is not None
    when = time_of_day(datetime.fromtimestamp(receipt.received_at_ms / 1000, zone))
    arrived = result.count(ItemState.ARRIVED)
    total_local = sum(1 for c in result.checks if c.state is not ItemState.OFFICE_ONLY)
    lines = [
        QCoreApplication.translate("Receipt", "The office received your report at {time}.").format(time=when)
    ]
    if result.all_arrived:
        lines.append(
            QCoreApplication.translate(
                "Receipt", "All {count} records of the day arrived exactly as they are on this tablet."
            ).format(count=number(arrived))
        )
        return " ".join(lines), True
    lines.append(
        QCoreApplication.translate(
            "Receipt", "{arrived} of {total} records arrived as they are on this tablet."
        ).format(arrived=number(arrived), total=number(total_local))
    )
    if not result.pdf_matches:
        lines.append(QCoreApplication.translate("Receipt", "The office holds a different report PDF."))
    for state in (ItemState.MISSING, ItemState.DIFFERENT, ItemState.UNSENT):
        count = result.count(state)
        if count:
            lines.append(f"{number(count)} {state_words(state).lower()}.")
    if result.count(ItemState.UNSENT):
        lines.append(
            QCoreApplication.translate("Receipt", "Sync now to send what is not sent yet, then submit again.")
        )
    return " ".join(lines), False
