"""``EndOfDayScreen``: the day's counts and what to fix, "Sync now" while changes are unsent, "Create
report" (the PDF, previewed) and "Submit to the office" (on a pool thread), then the office's receipt."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, tzinfo

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QPixmap, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.audit import AuditAction
from fieldapp.domain.errors import DomainError
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.qt.i18n import long_day, message, number
from fieldapp.qt.pending import PendingChanges
from fieldapp.qt.ports import DayActions, DayReads, DaySubmitting
from fieldapp.readmodels.day import DayReportData, local_zone
from fieldapp.readmodels.status import StoreStatus
from fieldapp.readmodels.submission import Submission
from fieldapp.reports.pdf import DayReportDocument
from fieldapp.ui.common import TOUCH, button, label, scrolled_page, set_role, set_state
from fieldapp.ui.end_of_day.counts import CONFLICTS, count_tiles, fix_list, show_counts, show_fixes, verdict
from fieldapp.ui.end_of_day.receipt import Receipt
from fieldapp.ui.end_of_day.task import SubmitTask

NOT_CONNECTED = QT_TRANSLATE_NOOP(
    "EndOfDayScreen", "Submitting is not available: this tablet is not connected to an office."
)

# The steps fieldapp.reports.submit reports while submitting (Qt-free, in English), shown translated.
SUBMIT_STEPS = (
    QT_TRANSLATE_NOOP("EndOfDayScreen", "Uploading the report PDF"),
    QT_TRANSLATE_NOOP("EndOfDayScreen", "Sending the report to the office"),
    QT_TRANSLATE_NOOP("EndOfDayScreen", "Saving the office's receipt"),
    QT_TRANSLATE_NOOP("EndOfDayScreen", "Checking what arrived"),
)


def report_translate(context: str, text: str) -> str:
    """The end-of-day report's words in the worker's language (``fieldapp.reports`` is handed this)."""
    return QCoreApplication.translate(context, text)


class EndOfDayScreen(QWidget):
    """The day's close-out for one worker."""

    open_visit = Signal(object)  # uuid.UUID
    open_conflicts = Signal()
    sync_requested = Signal()
    submitted = Signal(object)  # Submission

    def __init__(
        self,
        records: DayReads,
        actions: DayActions,
        worker_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        submitter: DaySubmitting | None = None,
        sync_now: Callable[[], None] | None = None,
        worker_name: str = "",
        day: date | None = None,
        zone: tzinfo | None = None,
        pending: PendingChanges | None = None,
    ) -> None:
        """``pending`` is the count of unsent changes the status bar shows too (``fieldapp.qt.pending``):
        this page shows its numbers and follows it live, also when a sync ends while the page is open."""
        super().__init__(parent)
        self.setObjectName("endOfDayScreen")
        self.setAccessibleName(self.tr("End of day"))
        self.records, self.app_actions, self.worker_id = records, actions, worker_id
        self.submitter, self.sync_now_callback, self.worker_name = submitter, sync_now, worker_name
        self.agency = ""
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
        actions.records_did_change.connect(self._records_changed)
        self.pending_changes = pending
        self._reading = False  # refresh() is reading the shared counts (its own echo is no news)
        self._counts_seen = _counts(pending.status) if pending is not None else None
        if pending is not None:
            pending.changed.connect(self._counts_changed)
            pending.sync_did_finish.connect(self._sync_finished)
        self.refresh()

    def configure(
        self,
        *,
        submitter: DaySubmitting | None = None,
        sync_now: Callable[[], None] | None = None,
        worker_name: str | None = None,
        agency: str | None = None,
    ) -> None:
        """Hand in what the composition root knows (the submitter, the sync trigger, the worker's name and
        credential, the agency for the report's header)."""
        if submitter is not None:
            self.submitter = submitter
        if sync_now is not None:
            self.sync_now_callback = sync_now
        if worker_name is not None:
            self.worker_name = worker_name
        if agency is not None:
            self.agency = agency
        self.refresh()

    # -- building --------------------------------------------------------------------------------------------

    def _build(self) -> None:
        body, layout = scrolled_page(self, self.tr("End of day"))
        self.title = label(self.tr("End of day"), "title")
        layout.addWidget(self.title)
        self.verdict = label(role="banner")  # one role, states only change colours (padding stays)
        self.verdict.setObjectName("eodVerdict")
        self.verdict.setAccessibleName(self.tr("Ready to submit?"))
        layout.addWidget(self.verdict)
        self.tiles, grid = count_tiles()
        layout.addLayout(grid)
        self.fix_heading = label(self.tr("To fix before you go"), "heading")
        layout.addWidget(self.fix_heading)
        self.fix_list = fix_list()
        self.fix_list.itemActivated.connect(self._open_item)
        self.fix_list.itemClicked.connect(self._open_item)
        layout.addWidget(self.fix_list)
        layout.addLayout(self._unsent_row())
        layout.addLayout(self._report_row())
        self._status(layout)
        self.receipt = Receipt(layout)
        self.receipt_heading, self.receipt_summary, self.receipt_list = self.receipt.parts
        self._preview(layout)
        layout.addStretch(1)
        # Inside a scroll area the page is given its minimum height: labels must not shrink below their
        # text (word-wrapped labels would otherwise be squeezed to one line when the receipt is long).
        for text in body.findChildren(QLabel):
            text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        for widget in (self.unsent_notice, self.sync_button):
            keep = widget.sizePolicy()
            keep.setRetainSizeWhenHidden(True)  # see _show_unsent
            widget.setSizePolicy(keep)

    def _unsent_row(self) -> QHBoxLayout:
        self.unsent_notice = label(role="notice")
        self.unsent_notice.setObjectName("unsentNotice")
        self.unsent_notice.setAccessibleName(self.tr("Unsent changes"))
        self.sync_button = button(
            self.tr("Sync now"), self.tr("Send unsent changes to the office now"), "primary"
        )
        self.sync_button.setMinimumSize(150, TOUCH)
        self.sync_button.clicked.connect(self.sync_now)
        row = QHBoxLayout()
        row.addWidget(self.unsent_notice, stretch=1)
        row.addWidget(self.sync_button, alignment=Qt.AlignmentFlag.AlignVCenter)
        return row

    def _report_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.create_button = button(
            self.tr("Create report"), self.tr("Create the end-of-day report"), "primary"
        )
        self.submit_button = button(
            self.tr("Submit to the office"), self.tr("Submit the report to the office"), "primary"
        )
        for widget in (self.create_button, self.submit_button):
            widget.setMinimumSize(200, TOUCH + 4)
            row.addWidget(widget)
        row.addStretch(1)
        self.create_button.clicked.connect(self.create_report)
        self.submit_button.clicked.connect(self.submit)
        return row

    def _status(self, layout: QVBoxLayout) -> None:
        self.progress = QProgressBar()
        self.progress.setObjectName("submitProgress")
        self.progress.setAccessibleName(self.tr("Submission progress"))
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = label(role="muted")
        self.status.setObjectName("eodStatus")
        self.status.setAccessibleName(self.tr("Report status"))
        layout.addWidget(self.status)

    def _preview(self, layout: QVBoxLayout) -> None:
        self.preview_heading = label(self.tr("Report preview (page 1)"), "heading")
        self.preview_heading.hide()
        layout.addWidget(self.preview_heading)
        self.preview = QLabel()
        self.preview.setObjectName("reportPreview")
        set_role(self.preview, "reportPreview")
        self.preview.setAccessibleName(self.tr("Preview of the report's first page"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.preview.hide()
        layout.addWidget(self.preview)

    def showEvent(self, event: QShowEvent) -> None:
        # Counts change without a local edit too (a sync sends the outbox): read them whenever shown.
        super().showEvent(event)
        if not self._busy:
            self.refresh()

    # -- the day ---------------------------------------------------------------------------------------------

    def _day_words(self) -> str:
        return long_day(self.day)

    def read_day(self) -> DayReportData:
        """The day as the store holds it now."""
        return self.records.day_report(self.worker_id, self.day, self.worker_name, self.zone, self.agency)

    def refresh(self) -> None:
        """Re-read the day's counts and what to fix."""
        data = self.read_day()
        if (
            self.pending_changes is not None
        ):  # the tablet-wide counts, read again: the status bar shows them too
            self._reading = True
            try:
                counts = self.pending_changes.refresh()
            finally:
                self._reading = False
            self._counts_seen = _counts(counts)
            data = data.with_store_counts(counts.pending, counts.rejected, counts.open_conflicts)
        self.title.setText(self.tr("End of day — {day}").format(day=self._day_words()))
        show_counts(self.tiles, data)
        show_fixes(self.fix_list, data, self.zone)
        has_fixes = self.fix_list.count() > 0
        self.fix_heading.setVisible(has_fixes)
        self.fix_list.setVisible(has_fixes)
        self._show_unsent(data.summary.unsent_changes)
        text, state = verdict(data)
        self.verdict.setText(text)
        set_state(self.verdict, state)
        self._refresh_buttons()

    def _show_unsent(self, unsent: int) -> None:
        # Hidden at zero but keeping its place (both): "Create report" below must not jump up under the
        # finger when a sync sends the last change.
        self.unsent_notice.setText(
            self.tr(
                "{count} change(s) on this tablet have not reached the office yet. Sync now before "
                "submitting, so the office's receipt can confirm them."
            ).format(count=number(max(unsent, 1)))
        )
        self.unsent_notice.setVisible(unsent > 0)
        self.sync_button.setVisible(unsent > 0)
        self.sync_button.setEnabled(not self._busy)

    def _refresh_buttons(self) -> None:
        self.create_button.setEnabled(not self._busy)
        can_submit = self.pdf is not None and not self._stale and not self._busy and self.result is None
        self.submit_button.setEnabled(can_submit and self.submitter is not None)
        if self.submitter is None:
            self.submit_button.setToolTip(self.tr(NOT_CONNECTED))

    @Slot(object)
    def _records_changed(self, *_: object) -> None:
        if self._busy:
            return
        if self.pdf is not None and self.result is None:
            self._stale = True
            self._say(
                self.tr("Something changed since the report was created: create it again before submitting."),
                "error",
            )
        if self.isVisible():  # otherwise showEvent reads the day when the page is opened
            self.refresh()
        else:
            self._refresh_buttons()

    def _open_item(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target == CONFLICTS:
            self.open_conflicts.emit()
        elif isinstance(target, str):
            self.open_visit.emit(uuid.UUID(target))

    def sync_now(self) -> None:
        """Ask for a sync (the sync controller runs it on its own thread)."""
        self.sync_requested.emit()
        if self.sync_now_callback is not None:
            self.sync_now_callback()
        self._say(self.tr("Syncing… the counts update when it is done."), "muted")

    @Slot(object)
    def _counts_changed(self, counts: StoreStatus) -> None:
        seen = _counts(counts)
        if (
            seen != self._counts_seen and not self._reading
        ):  # a sync that changed nothing leaves a created report as it is
            self._counts_seen = seen
            self._records_changed()

    @Slot(object)
    def _sync_finished(self, problem: str | None) -> None:
        # The page says what the cycle did, in place of "Syncing…", without being left and opened again.
        if self._busy:
            return
        if problem:
            self._say(self.tr("The sync did not finish: {problem}").format(problem=message(problem)), "error")
        elif self.pending_changes is not None and self.pending_changes.pending:
            count = self.pending_changes.pending
            self._say(
                self.tr("Synced. {count} change(s) made since then are still to send.").format(count=count),
                "muted",
            )
        else:
            self._say(self.tr("Synced: every change on this tablet has reached the office."), "muted")

    def _say(self, text: str, role: str) -> None:
        self.status.setText(text)
        set_role(self.status, role)

    # -- the report ------------------------------------------------------------------------------------------

    def create_report(self) -> DayReportDocument:
        """Lay out the PDF for the day as it is now, and preview its first page."""
        self.data = self.read_day()
        self.document = DayReportDocument(
            self.data, self.records.blob, zone=self.zone, translate=report_translate, locale=QLocale().name()
        )
        self.pdf = self.document.pdf()
        self.report_id, self.result, self._stale = None, None, False
        self.submit_button.setText(self.tr("Submit to the office"))
        width = max(480, min(820, self.width() - 60))
        self.preview.setPixmap(QPixmap.fromImage(self.document.render_page(0, width)))
        self.preview.show()
        self.preview_heading.setText(
            self.tr("Report preview (page 1 of {pages})").format(pages=self.document.page_count)
        )
        self.preview_heading.show()
        self.receipt.hide()
        pages, digest = self.document.page_count, self.document.digest
        self._say(
            self.tr("Report created: {pages} page(s). Content SHA-256 {digest}").format(
                pages=pages, digest=digest
            ),
            "muted",
        )
        self.refresh()
        return self.document

    def submit(self) -> bool:
        """Create the day's report record, then send it on a background thread."""
        if self.report_id is not None and self.result is None:
            return self.retry()  # the record exists: send the same report again
        if self.pdf is None or self.data is None or self._stale or self._busy:
            return False
        if self.submitter is None:
            self._say(self.tr(NOT_CONNECTED), "error")
            return False
        self._busy = True
        try:
            change = self.app_actions.submit_day_report(self.day, self.data.summary, self.pdf)
        except DomainError as exc:
            self._busy = False
            self._say(
                self.tr("The report could not be saved: {reason}").format(reason=message(str(exc))), "error"
            )
            return False
        self.report_id = change.record_id
        self._start_task(self.submitter, self.report_id)
        return True

    def retry(self) -> bool:
        """Send the same report again (after a failed attempt)."""
        if self.report_id is None or self._busy or self.submitter is None:
            return False
        self._busy = True
        self._start_task(self.submitter, self.report_id, again=True)
        return True

    def _start_task(self, submitter: DaySubmitting, report_id: uuid.UUID, *, again: bool = False) -> None:
        # The PDF leaves the tablet: an export (this screen neither saves nor prints).
        self.app_actions.audit(
            AuditAction.EXPORT,
            entity="day_report",
            record_id=report_id,
            detail=f"end-of-day report PDF of {self.day.isoformat()} sent to the office"
            + (" again" if again else ""),
        )
        self.progress.setRange(0, 4)
        self.progress.setValue(0)
        self.progress.show()
        self._say(self.tr("Sending the report to the office…"), "muted")
        self._refresh_buttons()
        self.sync_button.setEnabled(False)
        self.task = SubmitTask(submitter, report_id)
        self.task.setAutoDelete(False)
        self.task.signals.progressed.connect(self._progressed)
        self.task.signals.finished.connect(self._finished)
        self.pool.start(self.task)

    @Slot(str, int, int)
    def _progressed(self, text: str, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.status.setText(self.tr(text) + "…")

    @Slot(object)
    def _finished(self, result: Submission) -> None:
        self._busy = False
        self.progress.hide()
        if not result.ok:
            self._say(
                self.tr(
                    "Not submitted: {reason}. The report is saved on this tablet; try again when the "
                    "connection is back (it is also sent with the next sync)."
                ).format(reason=message(result.error or "")),
                "error",
            )
            self.result = None
            self.submit_button.setText(self.tr("Try again"))
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
        self.receipt.show(result, self.zone)
        report, pdf = str(receipt.report_id)[:8], receipt.pdf_sha256[:16]
        self._say(
            self.tr("Submitted. Report {report}, PDF SHA-256 {pdf}…").format(report=report, pdf=pdf), "muted"
        )
        self.submit_button.setText(self.tr("Submitted"))
        self._refresh_buttons()


def _counts(status: StoreStatus) -> tuple[int, int, int]:
    return status.pending, status.rejected, status.open_conflicts
