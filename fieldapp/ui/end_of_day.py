"""End of day: the close-out before going off shift.

The counts of the day (done, missed, not finished, unsigned, missing EVV, unsent changes, conflicts),
with what still needs fixing listed and highlighted (tap a visit to open it); "Create report" lays out
the PDF and previews its first page; "Submit to the office" creates the day's report record through
``Actions.submit_day_report`` and then, on a background thread, uploads the PDF, sends the report and
compares the office's receipt, record by record, with this tablet (``fieldapp.reports.submit``). The
screen never waits on the network: it shows progress and then a clear result. When changes are still
unsent it says so and offers "Sync now" first, so the receipt can confirm them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.audit import AuditAction
from fieldapp.domain.errors import DomainError
from fieldapp.reports.builder import DayReportData, local_zone
from fieldapp.reports.pdf import DayReportDocument
from fieldapp.reports.submit import ItemState, Submission
from fieldapp.ui.common import TOUCH, button, label, scrolling, set_role, set_state

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


class _Signals(QObject):
    progressed = Signal(str, int, int)
    finished = Signal(object)  # Submission


class SubmitTask(QRunnable):
    """Runs ``submitter.submit(report_id)`` on a pool thread; results come back as queued signals."""

    def __init__(self, submitter: Any, report_id: uuid.UUID) -> None:
        super().__init__()
        self.submitter, self.report_id = submitter, report_id
        self.signals = _Signals()

    def run(self) -> None:
        def progress(message: str, done: int, total: int) -> None:
            self.signals.progressed.emit(message, done, total)

        try:
            result = self.submitter.submit(self.report_id, progress)
        except Exception as exc:  # the submitter never raises; this is the last line of defence
            result = Submission(self.report_id, error=f"the report could not be submitted: {exc}")
        self.signals.finished.emit(result)


class CountTile(QFrame):
    """A number and what it counts; marked when it needs attention."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("countTile")
        set_role(self, "countTile")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(0)
        self.number = label("0", "countNumber", wrap=False)
        self.title = label(title, "countTitle")
        layout.addWidget(self.number)
        layout.addWidget(self.title)
        self.setAccessibleName(title)

    def set(self, value: int, bad: bool) -> None:
        self.number.setText(str(value))
        set_state(self, "bad" if bad else "ok")
        set_state(self.number, "bad" if bad else "ok")
        self.setAccessibleDescription(f"{value}{' — needs attention' if bad else ''}")


class EndOfDayScreen(QWidget):
    """The day's close-out for one worker."""

    open_visit = Signal(object)  # uuid.UUID
    open_conflicts = Signal()
    sync_requested = Signal()
    submitted = Signal(object)  # Submission

    def __init__(
        self,
        records: Any,
        actions: Any,
        worker_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        submitter: Any = None,
        sync_now: Callable[[], None] | None = None,
        worker_name: str = "",
        day: date | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("endOfDayScreen")
        self.setAccessibleName("End of day")
        self.records, self.app_actions, self.worker_id = records, actions, worker_id
        self.submitter, self.sync_now_callback, self.worker_name = submitter, sync_now, worker_name
        self.zone = zone or local_zone()
        self.day = day or datetime.now(self.zone).date()
        self.data: DayReportData | None = None
        self.document: DayReportDocument | None = None
        self.pdf: bytes | None = None
        self.report_id: uuid.UUID | None = None
        self.result: Submission | None = None
        self.task: SubmitTask | None = None
        self._stale = False
        self._busy = False
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._build()
        changed = getattr(actions, "records_did_change", None)
        if changed is not None:
            changed.connect(self._records_changed)
        self.refresh()

    def configure(
        self,
        *,
        submitter: Any = None,
        sync_now: Callable[[], None] | None = None,
        worker_name: str | None = None,
    ) -> None:
        """Hand in what the composition root knows (the submitter, the sync trigger, the worker's name)."""
        if submitter is not None:
            self.submitter = submitter
        if sync_now is not None:
            self.sync_now_callback = sync_now
        if worker_name is not None:
            self.worker_name = worker_name
        self.refresh()

    # -- building --------------------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        body.setObjectName("page")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(12)
        outer.addWidget(scrolling(body, "End of day"))

        self.title = label("End of day", "title")
        layout.addWidget(self.title)
        self.verdict = label(role="banner")  # one role, states only change colours (padding stays)
        self.verdict.setObjectName("eodVerdict")
        self.verdict.setAccessibleName("Ready to submit?")
        layout.addWidget(self.verdict)

        grid = QGridLayout()
        grid.setSpacing(10)
        self.tiles = {
            key: CountTile(title)
            for key, title in (
                ("done", "Done"),
                ("missed", "Missed"),
                ("open", "Not finished"),
                ("unsigned", "Unsigned"),
                ("evv", "Missing EVV"),
                ("unsent", "Unsent changes"),
                ("conflicts", "Conflicts"),
            )
        }
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, 0, i)
        layout.addLayout(grid)

        self.fix_heading = label("To fix before you go", "heading")
        layout.addWidget(self.fix_heading)
        self.fix_list = QListWidget()
        self.fix_list.setObjectName("fixList")
        self.fix_list.setAccessibleName("What to fix; tap a visit to open it")
        self.fix_list.setWordWrap(True)
        self.fix_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fix_list.setMaximumHeight(200)
        self.fix_list.itemActivated.connect(self._open_item)
        self.fix_list.itemClicked.connect(self._open_item)
        layout.addWidget(self.fix_list)

        self.unsent_notice = label(role="notice")
        self.unsent_notice.setObjectName("unsentNotice")
        self.unsent_notice.setAccessibleName("Unsent changes")
        self.sync_button = button("Sync now", "Send unsent changes to the office now", "primary")
        self.sync_button.setMinimumSize(150, TOUCH)
        self.sync_button.clicked.connect(self.sync_now)
        unsent_row = QHBoxLayout()
        unsent_row.addWidget(self.unsent_notice, stretch=1)
        unsent_row.addWidget(self.sync_button, alignment=Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(unsent_row)

        actions_row = QHBoxLayout()
        self.create_button = button("Create report", "Create the end-of-day report", "primary")
        self.submit_button = button("Submit to the office", "Submit the report to the office", "primary")
        for widget in (self.create_button, self.submit_button):
            widget.setMinimumSize(200, TOUCH + 4)
            actions_row.addWidget(widget)
        actions_row.addStretch(1)
        layout.addLayout(actions_row)
        self.create_button.clicked.connect(self.create_report)
        self.submit_button.clicked.connect(self.submit)

        self.progress = QProgressBar()
        self.progress.setObjectName("submitProgress")
        self.progress.setAccessibleName("Submission progress")
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = label(role="muted")
        self.status.setObjectName("eodStatus")
        self.status.setAccessibleName("Report status")
        layout.addWidget(self.status)

        self.receipt_heading = label("The office's receipt", "heading")
        self.receipt_summary = label(role="banner")
        self.receipt_summary.setObjectName("receiptSummary")
        self.receipt_summary.setAccessibleName("Receipt summary")
        self.receipt_list = QListWidget()
        self.receipt_list.setObjectName("receiptList")
        self.receipt_list.setAccessibleName("What arrived at the office")
        self.receipt_list.setWordWrap(True)
        self.receipt_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.receipt_list.setMinimumHeight(220)
        for part in (self.receipt_heading, self.receipt_summary, self.receipt_list):
            part.hide()
            layout.addWidget(part)

        self.preview_heading = label("Report preview (page 1)", "heading")
        self.preview_heading.hide()
        layout.addWidget(self.preview_heading)
        self.preview = QLabel()
        self.preview.setObjectName("reportPreview")
        set_role(self.preview, "reportPreview")
        self.preview.setAccessibleName("Preview of the report's first page")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.preview.hide()
        layout.addWidget(self.preview)
        layout.addStretch(1)
        # Inside a scroll area the page is given its minimum height: labels must not shrink below their
        # text (word-wrapped labels would otherwise be squeezed to one line when the receipt is long).
        for text in body.findChildren(QLabel):
            text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def showEvent(self, event: QShowEvent) -> None:
        # Counts change without a local edit too (a sync sends the outbox): read them whenever shown.
        super().showEvent(event)
        if not self._busy:
            self.refresh()

    # -- the day ---------------------------------------------------------------------------------------------

    def _day_words(self) -> str:
        return f"{self.day.strftime('%A')} {self.day.day} {self.day.strftime('%B')}"

    def read_day(self) -> DayReportData:
        data: DayReportData = self.records.day_report(self.worker_id, self.day, self.worker_name, self.zone)
        return data

    def refresh(self) -> None:
        """Re-read the day's counts and what to fix."""
        data = self.read_day()
        s = data.summary
        self.title.setText(f"End of day — {self._day_words()}")
        self.tiles["done"].set(s.visits_completed, False)
        self.tiles["missed"].set(s.visits_missed, False)
        self.tiles["open"].set(data.unsettled, data.unsettled > 0)
        self.tiles["unsigned"].set(s.visits_unsigned, s.visits_unsigned > 0)
        self.tiles["evv"].set(s.visits_missing_evv, s.visits_missing_evv > 0)
        unsent = s.unsent_changes
        self.tiles["unsent"].set(unsent, unsent > 0)
        conflicts = s.open_conflicts + data.rejected_changes
        self.tiles["conflicts"].set(conflicts, conflicts > 0)

        self.fix_list.clear()
        for visit in data.visits:
            for problem in visit.problems():
                when = visit.scheduled_start.astimezone(self.zone).strftime("%H:%M")
                item = QListWidgetItem(f"{when}  {visit.patient_name}: {problem}")
                item.setData(Qt.ItemDataRole.UserRole, str(visit.id))
                self.fix_list.addItem(item)
        if s.open_conflicts:
            item = QListWidgetItem(f"{s.open_conflicts} conflict(s) to look at")
            item.setData(Qt.ItemDataRole.UserRole, "conflicts")
            self.fix_list.addItem(item)
        if data.rejected_changes:
            self.fix_list.addItem(
                QListWidgetItem(f"{data.rejected_changes} change(s) refused by the office (see Sync status)")
            )
        has_fixes = self.fix_list.count() > 0
        self.fix_heading.setVisible(has_fixes)
        self.fix_list.setVisible(has_fixes)

        if unsent:
            self.unsent_notice.setText(
                f"{unsent} change(s) on this tablet have not reached the office yet. Sync now before "
                "submitting, so the office's receipt can confirm them."
            )
        self.unsent_notice.setVisible(unsent > 0)
        self.sync_button.setVisible(unsent > 0)
        self.sync_button.setEnabled(not self._busy)

        if not data.visits:
            self.verdict.setText("No visits were scheduled for you on this day.")
            set_state(self.verdict, "info")
        elif data.ready:
            self.verdict.setText(
                "Everything is done, signed, verified and sent. Create the report and submit it."
            )
            set_state(self.verdict, "ok")
        else:
            self.verdict.setText("Some things still need you before the day is closed (highlighted below).")
            set_state(self.verdict, "bad")
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        self.create_button.setEnabled(not self._busy)
        can_submit = self.pdf is not None and not self._stale and not self._busy and self.result is None
        self.submit_button.setEnabled(can_submit and self.submitter is not None)
        if self.submitter is None:
            self.submit_button.setToolTip(
                "Submitting is not available: this tablet is not connected to an office."
            )

    @Slot(object)
    def _records_changed(self, _changes: object) -> None:
        if self._busy:
            return
        if self.pdf is not None and self.result is None:
            self._stale = True
            self.status.setText(
                "Something changed since the report was created: create it again before submitting."
            )
            set_role(self.status, "error")
        if self.isVisible():  # otherwise showEvent reads the day when the page is opened
            self.refresh()
        else:
            self._refresh_buttons()

    def _open_item(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target == "conflicts":
            self.open_conflicts.emit()
        elif isinstance(target, str):
            self.open_visit.emit(uuid.UUID(target))

    def sync_now(self) -> None:
        """Ask for a sync (the sync controller runs it on its own thread)."""
        self.sync_requested.emit()
        if self.sync_now_callback is not None:
            self.sync_now_callback()
        self.status.setText("Syncing… the counts update when it is done.")
        set_role(self.status, "muted")

    # -- the report ------------------------------------------------------------------------------------------

    def create_report(self) -> DayReportDocument:
        """Lay out the PDF for the day as it is now, and preview its first page."""
        self.data = self.read_day()
        self.document = DayReportDocument(self.data, self.records.blob, zone=self.zone)
        self.pdf = self.document.pdf()
        self.report_id, self.result, self._stale = None, None, False
        self.submit_button.setText("Submit to the office")
        width = max(480, min(820, self.width() - 60))
        self.preview.setPixmap(QPixmap.fromImage(self.document.render_page(0, width)))
        self.preview.show()
        self.preview_heading.setText(f"Report preview (page 1 of {self.document.page_count})")
        self.preview_heading.show()
        for widget in (self.receipt_heading, self.receipt_summary, self.receipt_list):
            widget.hide()
        self.status.setText(
            f"Report created: {self.document.page_count} page(s). Content SHA-256 {self.document.digest}"
        )
        set_role(self.status, "muted")
        self.refresh()
        return self.document

    def submit(self) -> bool:
        """Create the day's report record, then send it on a background thread."""
        if self.report_id is not None and self.result is None:
            return self.retry()  # the record exists: send the same report again
        if self.pdf is None or self.data is None or self._stale or self._busy:
            return False
        if self.submitter is None:
            self.status.setText("Submitting is not available: this tablet is not connected to an office.")
            set_role(self.status, "error")
            return False
        self._busy = True
        try:
            change = self.app_actions.submit_day_report(self.day, self.data.summary, self.pdf)
        except DomainError as exc:
            self._busy = False
            self.status.setText(f"The report could not be saved: {exc}")
            set_role(self.status, "error")
            return False
        self.report_id = change.record_id
        self._start_task()
        return True

    def retry(self) -> bool:
        """Send the same report again (after a failed attempt)."""
        if self.report_id is None or self._busy or self.submitter is None:
            return False
        self._busy = True
        self._start_task(again=True)
        return True

    def _start_task(self, *, again: bool = False) -> None:
        assert self.report_id is not None
        record = getattr(self.app_actions, "audit", None)
        if record is not None:  # the PDF leaves the tablet: an export (this screen neither saves nor prints)
            record(
                AuditAction.EXPORT,
                entity="day_report",
                record_id=self.report_id,
                detail=f"end-of-day report PDF of {self.day.isoformat()} sent to the office"
                + (" again" if again else ""),
            )
        self.progress.setRange(0, 4)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText("Sending the report to the office…")
        set_role(self.status, "muted")
        self._refresh_buttons()
        self.sync_button.setEnabled(False)
        self.task = SubmitTask(self.submitter, self.report_id)
        self.task.setAutoDelete(False)
        self.task.signals.progressed.connect(self._progressed)
        self.task.signals.finished.connect(self._finished)
        self.pool.start(self.task)

    @Slot(str, int, int)
    def _progressed(self, message: str, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(message + "…")

    @Slot(object)
    def _finished(self, result: Submission) -> None:
        self._busy = False
        self.progress.hide()
        if not result.ok:
            self.status.setText(
                f"Not submitted: {result.error}. The report is saved on this tablet; try again when the "
                "connection is back (it is also sent with the next sync)."
            )
            set_role(self.status, "error")
            self.result = None
            self.submit_button.setText("Try again")
            self.refresh()
            return
        self.result = result
        self.show_receipt(result)
        self.refresh()
        self.submitted.emit(result)

    def show_receipt(self, result: Submission) -> None:
        """What the office holds, record by record, compared with this tablet."""
        receipt = result.receipt
        assert receipt is not None
        for widget in (self.receipt_heading, self.receipt_summary, self.receipt_list):
            widget.show()  # shown before styling: a hidden label keeps the size it had without its padding
        when = datetime.fromtimestamp(receipt.received_at_ms / 1000, self.zone).strftime("%H:%M")
        arrived = result.count(ItemState.ARRIVED)
        total_local = sum(1 for c in result.checks if c.state is not ItemState.OFFICE_ONLY)
        lines = [f"The office received your report at {when}."]
        if result.all_arrived:
            lines.append(f"All {arrived} records of the day arrived exactly as they are on this tablet.")
            set_state(self.receipt_summary, "ok")
        else:
            lines.append(f"{arrived} of {total_local} records arrived as they are on this tablet.")
            if not result.pdf_matches:
                lines.append("The office holds a different report PDF.")
            for state in (ItemState.MISSING, ItemState.DIFFERENT, ItemState.UNSENT):
                count = result.count(state)
                if count:
                    lines.append(f"{count} {STATE_WORDS[state].lower()}.")
            if result.count(ItemState.UNSENT):
                lines.append("Sync now to send what is not sent yet, then submit again.")
            set_state(self.receipt_summary, "bad")
        self.receipt_summary.setText(" ".join(lines))
        self.receipt_summary.updateGeometry()  # the role's padding changes the label's height
        self.receipt_list.clear()
        for check in sorted(
            result.checks, key=lambda c: (not c.state.is_problem, c.state is ItemState.OFFICE_ONLY)
        ):
            item = QListWidgetItem(f"{STATE_MARKS[check.state]}  {check.label} — {STATE_WORDS[check.state]}")
            item.setData(Qt.ItemDataRole.UserRole, str(check.record_id))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{check.label}: {STATE_WORDS[check.state]}")
            item.setToolTip(f"tablet {check.local_sha256 or '—'}\noffice {check.office_sha256 or '—'}")
            self.receipt_list.addItem(item)
        self.status.setText(
            f"Submitted. Report {str(receipt.report_id)[:8]}, PDF SHA-256 {receipt.pdf_sha256[:16]}…"
        )
        set_role(self.status, "muted")
        self.submit_button.setText("Submitted")
        self._refresh_buttons()


__all__ = ["EndOfDayScreen", "SubmitTask"]
