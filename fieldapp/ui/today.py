"""Today's visits as large cards: time, patient, address, status, allergies, EVV items still missing.

The screen receives the ``VisitListModel`` and rebuilds its cards whenever the model resets (the model
refreshes on ``records_did_change``). A day has a handful of visits, so one focusable button per visit
is cheap and gives every card keyboard focus, Enter to open, and a full sentence for screen readers.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal, Slot
from PySide6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from fieldapp.domain.evv import EvvElement
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.people import DEFAULT_LATE_AFTER_MIN, minutes_late
from fieldapp.domain.values import VisitStatus
from fieldapp.qt.i18n import long_day
from fieldapp.qt.lists import VisitList
from fieldapp.qt.ports import NoticeBoard
from fieldapp.qt.timers import timer
from fieldapp.qt.words import service, service_line, words
from fieldapp.readmodels.visits import VisitSummary
from fieldapp.ui.common import label, local_time, scrolled_page, set_role, set_state
from fieldapp.ui.notices import NoticePanel

STATUS_WORDS = {
    VisitStatus.SCHEDULED: QT_TRANSLATE_NOOP("TodayScreen", "To do"),
    VisitStatus.IN_PROGRESS: QT_TRANSLATE_NOOP("TodayScreen", "In progress"),
    VisitStatus.COMPLETED: QT_TRANSLATE_NOOP("TodayScreen", "Done"),
    VisitStatus.MISSED: QT_TRANSLATE_NOOP("TodayScreen", "Missed"),
    VisitStatus.CANCELLED: QT_TRANSLATE_NOOP("TodayScreen", "Cancelled"),
}


BODY_CHARS = 36  # the narrowest the lines beside the time may be, in average characters of the font


def status_words(status: VisitStatus) -> str:
    """A visit's status as Today and the patient record show it, in the worker's language."""
    return QCoreApplication.translate("TodayScreen", STATUS_WORDS.get(status, status.value))


def evv_gaps(summary: VisitSummary) -> list[EvvElement]:
    """The EVV elements worth flagging now: none before the visit starts, the end time only once done."""
    status = summary.visit.status
    if status is VisitStatus.COMPLETED:
        return list(summary.missing)
    if status is VisitStatus.IN_PROGRESS:
        return [m for m in summary.missing if m is not EvvElement.TIMES]
    return []


class VisitCard(QPushButton):
    """One visit; click, tap, Enter or Space opens it."""

    def __init__(
        self, summary: VisitSummary, parent: QWidget | None = None, late_by: int | None = None
    ) -> None:
        super().__init__(parent)
        self.summary, self.late_by = summary, late_by
        set_role(self, "card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        visit = summary.visit
        times = f"{local_time(visit.scheduled_start)}–{local_time(visit.scheduled_end)}"
        status = status_words(visit.status)
        self.time_label = label(times, "cardTime", wrap=False)
        self.status_label = label(status, "status", wrap=False)
        set_state(self.status_label, visit.status.value)
        marks = QVBoxLayout()  # the status, and under it how late: on the right, at the top
        marks.setSpacing(4)
        marks.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignRight)
        self.late_label: QLabel | None = None
        if late_by is not None:
            self.late_label = label(
                self.tr("Late · {time}").format(time=_duration(late_by)), "status", wrap=False
            )
            set_state(self.late_label, "late")
            marks.addWidget(self.late_label, 0, Qt.AlignmentFlag.AlignRight)
            status = self.tr("{status}, late by {time}").format(status=status, time=_duration(late_by))
        marks.addStretch(1)
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(label(summary.patient_name, "cardName"), 1, Qt.AlignmentFlag.AlignTop)
        head.addLayout(marks)
        body = QVBoxLayout()
        body.setSpacing(4)
        body.addLayout(head)
        body.addWidget(label(summary.address or self.tr("No address on file"), "muted"))
        self.service_label = label(service_line(visit.service_code), "muted")
        body.addWidget(self.service_label)  # the code with what it is, under the address
        for line in self._lines(summary):
            body.addWidget(line)
        # The time beside the lines on a wide card; above them on a narrow one (portrait, largest text),
        # where a column of its own would leave the words a third of the card.
        self._frame = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._frame.setContentsMargins(16, 12, 16, 12)
        self._frame.setSpacing(16)
        self._frame.addWidget(self.time_label, 0, Qt.AlignmentFlag.AlignTop)
        self._frame.addLayout(body, 1)
        gaps = evv_gaps(summary)
        for child in self.findChildren(QWidget):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAccessibleName(_sentence(summary, times, status, gaps))
        self.setToolTip(service(visit.service_code))
        self.setMinimumHeight(self._frame.sizeHint().height())

    def _lines(self, summary: VisitSummary) -> list[QLabel]:
        """The lines under the address that this visit has: the office's cancel or note, allergies, EVV."""
        visit, lines = summary.visit, list[QLabel]()
        if visit.is_cancelled and visit.cancel_reason:
            text = self.tr("Cancelled by the office: {reason}").format(reason=visit.cancel_reason)
            lines.append(label(text, "muted"))
        if visit.worker_notes.strip() and not visit.is_cancelled:
            text = self.tr("Office note: {note}").format(note=visit.worker_notes.strip())
            lines.append(label(text, "workerNote"))
        if summary.allergies:
            text = self.tr("⚠ Allergies: {list}").format(list=", ".join(summary.allergies))
            lines.append(label(text, "allergySmall"))
        gaps = evv_gaps(summary)
        if gaps:
            lines.append(label(self.tr("EVV missing: {list}").format(list=words(gaps)), "evvMissing"))
        return lines

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The time beside the lines or above them, and as tall as the lines need at this width, in the
        stylesheet's fonts (built before they apply: the largest text was cut) and wrapped (Spanish,
        portrait)."""
        for child in self.findChildren(QLabel):
            child.ensurePolished()
        body_room = self.width() - self.time_label.sizeHint().width() - 48  # margins and spacing
        wide = body_room >= BODY_CHARS * self.fontMetrics().averageCharWidth()
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._frame.direction() != direction:
            self._frame.setDirection(direction)
            self._frame.setSpacing(16 if wide else 2)
        needed = self._frame.totalHeightForWidth(self.width())
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)


def _duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours:
        return QCoreApplication.translate("TodayScreen", "{hours} h {minutes} min").format(
            hours=hours, minutes=rest
        )
    return QCoreApplication.translate("TodayScreen", "{minutes} min").format(minutes=rest)


def _sentence(summary: VisitSummary, times: str, status: str, gaps: list[EvvElement]) -> str:
    parts = [
        QCoreApplication.translate("TodayScreen", "Visit {times}").format(times=times),
        summary.patient_name,
        summary.address,
        status,
    ]
    if summary.allergies:
        allergies = ", ".join(summary.allergies)
        parts.append(QCoreApplication.translate("TodayScreen", "allergies: {list}").format(list=allergies))
    if gaps:
        parts.append(
            QCoreApplication.translate("TodayScreen", "EVV missing: {list}").format(list=words(gaps))
        )
    return ". ".join(p for p in parts if p)


class TodayScreen(QWidget):
    """The worker's visits today, in time order."""

    open_visit = Signal(object)  # uuid.UUID

    def __init__(
        self, model: VisitList, parent: QWidget | None = None, notices: NoticeBoard | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._model, self._board = model, notices
        self.notices = NoticePanel()
        self.notices.seen.connect(self._notices_seen)
        self._day = date.today()
        self.cards: list[VisitCard] = []
        _root, layout = scrolled_page(self, self.tr("Today's visits"))
        self.title = label("", "title")
        self.summary = label("", "muted")
        self.empty = label(
            self.tr(
                "No visits on your schedule today. If you expected some, tap “Sync now” when you have a "
                "connection."
            ),
            "notice",
        )
        self._cards_box = QWidget()
        self._cards_layout = QVBoxLayout(self._cards_box)
        self._cards_layout.setContentsMargins(0, 0, 0, 0)
        self._cards_layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        self.late_line = label("", "lateLine")
        layout.addWidget(self.late_line)
        layout.addWidget(self.notices)
        layout.addWidget(self.empty)
        layout.addWidget(self._cards_box)
        layout.addStretch(1)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self._rebuild)
        self._midnight = timer(self, self._check_day, self._check_late, interval_ms=60_000)
        self._rebuild()

    def showEvent(self, event: QShowEvent) -> None:
        """Tick once a minute while on screen (new day, visits become late), and catch up at once."""
        super().showEvent(event)
        self._check_day()
        self._check_late()
        self._midnight.start()

    def hideEvent(self, event: QHideEvent) -> None:
        """Off screen (another page, or the window closed and its store with it): no ticking."""
        self._midnight.stop()
        super().hideEvent(event)

    @Slot()
    def _rebuild(self, *_: object) -> None:
        focused = next((c.summary.visit.id for c in self.cards if c.hasFocus()), None)
        for card in self.cards:
            self._cards_layout.removeWidget(card)
            card.hide()  # gone from the screen now; deleted when control returns to the event loop
            card.deleteLater()
        self.cards = []
        summaries = list(self._model.items)
        previous: QWidget | None = None
        now, grace = datetime.now(UTC), self._late_after()
        for summary in summaries:
            card = VisitCard(summary, self._cards_box, minutes_late(summary.visit, now, grace))
            card.clicked.connect(lambda _=False, vid=summary.visit.id: self.open_visit.emit(vid))
            self._cards_layout.addWidget(card)
            self.cards.append(card)
            if previous is not None:
                QWidget.setTabOrder(previous, card)
            previous = card
            if summary.visit.id == focused:
                card.setFocus()
        self._show_header(summaries)
        self.notices.show_notices(self._board.schedule_notices() if self._board is not None else [])

    def _late_after(self) -> int:
        return self._board.late_after_min if self._board is not None else DEFAULT_LATE_AFTER_MIN

    @Slot()
    def _check_late(self) -> None:
        """Once a minute: a visit that has become late (or later) is shown so."""
        now, grace = datetime.now(UTC), self._late_after()
        if any(minutes_late(c.summary.visit, now, grace) != c.late_by for c in self.cards):
            self._rebuild()

    @Slot(list)
    def _notices_seen(self, notice_ids: list[int]) -> None:
        if self._board is not None:
            self._board.mark_notices_seen(notice_ids)
            self.notices.show_notices(self._board.schedule_notices())

    def _show_header(self, summaries: list[VisitSummary]) -> None:
        self.title.setText(self.tr("Today · {day}").format(day=long_day(date.today())))
        done = sum(1 for s in summaries if s.visit.status is VisitStatus.COMPLETED)
        going = sum(1 for s in summaries if s.visit.status is VisitStatus.IN_PROGRESS)
        to_do = sum(1 for s in summaries if s.visit.status is VisitStatus.SCHEDULED)
        counts = {"count": len(summaries), "done": done, "going": going, "to_do": to_do}
        self.summary.setText(
            (
                self.tr("1 visit: {done} done, {going} in progress, {to_do} to do")
                if len(summaries) == 1
                else self.tr("{count} visits: {done} done, {going} in progress, {to_do} to do")
            ).format(**counts)
        )
        late = sum(1 for c in self.cards if c.late_by is not None)
        self.late_line.setText(
            (
                self.tr("1 visit late: not started {minutes} minutes after the start.")
                if late == 1
                else self.tr("{count} visits late: not started {minutes} minutes after the start.")
            ).format(count=late, minutes=self._late_after())
            + " "
            + self.tr("Call the office if you cannot make it.")
        )
        self.late_line.setVisible(late > 0)
        self.summary.setVisible(bool(summaries))
        self.empty.setVisible(not summaries)

    @Slot()
    def _check_day(self) -> None:
        today = date.today()
        if today != self._day:  # the app stayed open past midnight: show the new day
            self._day = today
            self._model.set_day(today)

    def visit_ids(self) -> list[uuid.UUID]:
        """The visits on screen, in order."""
        return [card.summary.visit.id for card in self.cards]
