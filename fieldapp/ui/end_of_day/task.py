"""Submitting on a pool thread: the submitter does HTTP, so the screen never waits on the network."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QObject, QRunnable, Signal

from fieldapp.qt.ports import DaySubmitting
from fieldapp.readmodels.submission import Submission


class _Signals(QObject):
    progressed = Signal(str, int, int)
    finished = Signal(object)  # Submission


class SubmitTask(QRunnable):
    """Runs ``submitter.submit(report_id)`` on a pool thread; results come back as queued signals."""

    def __init__(self, submitter: DaySubmitting, report_id: uuid.UUID) -> None:
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
