"""The sync status bar, always on screen: is there a connection, what has not reached the office yet,
when the last sync succeeded, what went wrong (in words a field worker understands), conflicts, and a
"Sync now" button.

It shows two sources: the sync controller's ``SyncStatus`` (``set_status``: stage, progress, network,
last error) and the local store's counts from the shared ``PendingChanges`` (``refresh``, on every
``records_did_change`` and at the end of every sync), so an edit made offline shows up as "not sent yet"
at once, and End of day, listening to the same object, never says otherwise. The progress row and the
error line keep their place when empty: nothing below moves while a sync runs.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.qt.i18n import message, number
from fieldapp.qt.pending import PendingChanges
from fieldapp.qt.ports import StatusReads
from fieldapp.qt.timers import timer
from fieldapp.readmodels.status import StoreStatus, SyncStatus
from fieldapp.ui.common import ago, button, column, label, set_state
from fieldapp.ui.elided import ElidedLabel

COUNTS_CHARS = 34  # the counts stay beside the buttons while they have this many average characters

STAGE_WORDS = {
    "starting": QT_TRANSLATE_NOOP("SyncStatusBar", "Connecting to the office…"),
    "pushing": QT_TRANSLATE_NOOP("SyncStatusBar", "Sending your changes"),
    "pulling": QT_TRANSLATE_NOOP("SyncStatusBar", "Receiving records"),
}


class SyncStatusBar(QWidget):
    """Network state, unsent changes, last sync, progress, last error, conflicts, "Sync now"."""

    sync_requested = Signal()
    conflicts_requested = Signal()
    counts_changed = Signal(int, int)  # changes not sent, items needing a person (conflicts + refused)

    def __init__(
        self, records: StatusReads, parent: QWidget | None = None, *, pending: PendingChanges | None = None
    ) -> None:
        """``pending`` is the counts' shared source (one of its own over ``records`` when not given)."""
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # Never taller than its content: spare height belongs to the page below.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.pending_changes = pending if pending is not None else PendingChanges(records, self)
        self._online = "unknown"
        self._stage = "idle"
        self._last_success: datetime | None = None
        self._pending = self._rejected = self._conflicts = 0
        self._available = True
        self._build()
        self.pending_changes.changed.connect(self._apply_counts)
        self._clock = timer(self, self._show_last_success, interval_ms=30_000)  # keeps "12 min ago" true
        self._clock.start()
        self.refresh()

    def _build(self) -> None:
        self.online_label = label("", "online", wrap=False)
        # One line each, shortened rather than wrapped: a count that grows never moves the page down.
        self.pending_label = ElidedLabel("pending")
        self.last_sync_label = ElidedLabel("muted")
        self.conflicts_button = button(
            "", self.tr("Conflicts"), "danger", tip=self.tr("Show the conflicts to look at")
        )
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.sync_button = button(
            self.tr("Sync now"),
            self.tr("Sync now"),
            "primary",
            tip=self.tr("Send and receive changes now (F5)"),
        )
        self.sync_button.clicked.connect(self.sync_requested)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self._shortcut_sync)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Sync progress"))
        self.progress.setTextVisible(False)  # words beside the bar stay readable over any fill
        self.progress_label = label("", None, wrap=False)
        self._progress_row = QWidget()
        row = QHBoxLayout(self._progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self.progress_label)
        row.addWidget(self.progress, 1)
        # The row keeps its place while hidden: showing the bar mid-sync must not push the page down
        # under a finger (it did, by 26 px, in the middle of a tap).
        keep = self._progress_row.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self._progress_row.setSizePolicy(keep)
        self._progress_row.setVisible(False)
        self.error_label = label("", "errorBox")
        self.error_label.setAccessibleName(self.tr("Last sync problem"))
        self.error_label.setVisible(False)
        self.clock_label = label("", "notice")
        self.clock_label.setAccessibleName(self.tr("Tablet clock"))
        self.clock_label.setVisible(False)

        self._counts = column(self.pending_label, self.last_sync_label, spacing=0)
        self._top = QHBoxLayout()
        self._top.setSpacing(14)
        self._top.addWidget(self.online_label)
        self._top.addWidget(self._counts, 1)
        self._top.addWidget(self.conflicts_button)
        self._top.addWidget(self.sync_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(6)
        layout.addLayout(self._top)
        layout.addWidget(self._progress_row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.clock_label)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fix_widths()  # measured once styled: the sheet and the text size set the font
        self._place_counts()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_counts()

    def _place_counts(self) -> None:
        """The counts between the connection and the buttons where they have room for their words, else on
        a line of their own under them (portrait, the largest text): changes only with the bar's width."""
        # Counted with the conflicts button even when hidden: one appearing moves nothing to another line.
        beside = [w.minimumWidth() for w in (self.online_label, self.sync_button)]
        beside.append(self.conflicts_button.sizeHint().width())
        room = self.width() - sum(beside) - 14 * len(beside) - 32  # spacing and margins
        wide = room >= COUNTS_CHARS * self.pending_label.fontMetrics().averageCharWidth()
        layout = self.layout()
        if wide == (self._top.indexOf(self._counts) >= 0) or not isinstance(layout, QVBoxLayout):
            return
        if wide:
            layout.removeWidget(self._counts)
            self._top.takeAt(1)  # the stretch that kept the buttons at the right
            self._top.insertWidget(1, self._counts, 1)
        else:
            self._top.removeWidget(self._counts)
            self._top.insertStretch(1, 1)
            layout.insertWidget(1, self._counts)

    def _fix_widths(self) -> None:
        # Words that change with the stage ("Online", "Syncing…"; "Sync now", "Syncing…") take the width of
        # the longest, so the words and buttons beside them stay where the finger expects them.
        states = [self.tr(w) for w in ("Syncing…", "Online", "Offline", "Network unknown")]
        self.online_label.setMinimumWidth(max(_text_width(self.online_label, f"● {w}") for w in states) + 24)
        words = (self.tr("Sync now"), self.tr("Syncing…"))
        self.sync_button.setMinimumWidth(max(_text_width(self.sync_button, w) for w in words) + 48)

    # -- inputs ----------------------------------------------------------------------------------------------

    def set_available(self, available: bool) -> None:
        """Without a sync controller the bar says so instead of pretending to sync."""
        self._available = available
        self.sync_button.setEnabled(available)
        if not available:
            self._show_error(self.tr("Sync is not part of this build: changes stay on this tablet."))
        self._show_online()

    @Slot(object)
    def set_status(self, status: SyncStatus) -> None:
        """Show the controller's ``SyncStatus``."""
        self._online, self._stage = status.online, status.stage
        if status.last_success is not None and (
            self._last_success is None or status.last_success > self._last_success
        ):
            self._last_success = status.last_success
        self._show_online()
        self._show_progress(status.stage, status.done, status.total)
        self._show_error(_sentence(status.last_error) if status.last_error else "")
        self.sync_button.setEnabled(self._available and status.stage == "idle")
        self.sync_button.setText(self.tr("Syncing…") if status.stage != "idle" else self.tr("Sync now"))
        self._show_last_success()
        self.pending_changes.set_sync_status(status)  # at the end of a cycle: read again, tell every screen

    @Slot()
    def refresh(self, *_: object) -> None:
        """Re-read the local counts (changes not sent, set aside, conflicts, last success)."""
        self.pending_changes.refresh()

    @Slot(object)
    def _apply_counts(self, counts: StoreStatus) -> None:
        self._pending, self._rejected = counts.pending, counts.rejected
        self._conflicts = counts.open_conflicts
        last = counts.last_success_at
        if last is not None and (self._last_success is None or last > self._last_success):
            self._last_success = last
        self._show_counts()
        self._show_last_success()
        self._show_clock(clock_note(counts.clock_offset_ms))

    # -- what is shown ---------------------------------------------------------------------------------------

    @property
    def conflicts(self) -> int:
        """Open conflicts, as last read."""
        return self._conflicts

    @property
    def pending(self) -> int:
        """Changes not yet sent, as last read."""
        return self._pending

    def _show_online(self) -> None:
        if self._stage != "idle":
            text, state = self.tr("Syncing…"), "syncing"
        elif self._online == "online":
            text, state = self.tr("Online"), "online"
        elif self._online == "offline":
            text, state = self.tr("Offline"), "offline"
        else:
            text, state = self.tr("Network unknown"), "unknown"
        self.online_label.setText(f"● {text}")
        self.online_label.setAccessibleName(self.tr("Connection: {state}").format(state=text))
        set_state(self.online_label, state)

    def _show_counts(self) -> None:
        if self._pending == 1:
            text, state = self.tr("1 change not sent yet"), "waiting"
        elif self._pending:
            text, state = (
                self.tr("{count} changes not sent yet").format(count=number(self._pending)),
                "waiting",
            )
        else:
            text, state = self.tr("All changes sent"), "clear"
        if self._rejected:
            text += " · " + self.tr("{count} refused by the office").format(count=number(self._rejected))
        self.pending_label.set_words(text)
        set_state(self.pending_label, state)
        attention = self._conflicts + self._rejected
        self.conflicts_button.setVisible(attention > 0)
        words = self.tr("{count} to check").format(count=number(attention))
        self.conflicts_button.setText(f"⚠ {words}")
        self.conflicts_button.setAccessibleName(self.tr("Conflicts: {count}").format(count=words))
        self.counts_changed.emit(self._pending, attention)

    @Slot()
    def _show_last_success(self) -> None:
        if self._last_success is None:
            text = self.tr("Never synced with the office yet")
        else:
            text = self.tr("Last sync: {when}").format(when=ago(self._last_success))
        self.last_sync_label.set_words(text)

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        running = stage != "idle"
        self._progress_row.setVisible(running)
        if not running:
            return
        words = self.tr(STAGE_WORDS.get(stage, QT_TRANSLATE_NOOP("SyncStatusBar", "Syncing")))
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
            words = self.tr("{stage}: {done} of {total}").format(
                stage=words, done=number(done), total=number(total)
            )
        else:
            self.progress.setRange(0, 0)  # busy: the size of the work is not known yet
        self.progress_label.setText(words)
        self.progress.setAccessibleDescription(words)

    def _show_clock(self, text: str | None) -> None:
        self.clock_label.setVisible(text is not None)
        self.clock_label.setText(text or "")

    def _show_error(self, text: str) -> None:
        self.error_label.setVisible(bool(text))
        self.error_label.setText(text)

    def _shortcut_sync(self) -> None:
        if self.sync_button.isEnabled():
            self.sync_requested.emit()


CLOCK_NOTE_FROM_MS = 2 * 60_000  # smaller offsets are not worth a worker's attention


def clock_note(offset_ms: int | None) -> str | None:
    """What to tell the worker when the tablet's own clock is far off (``offset_ms``: the office server's
    time minus the tablet's, as last measured), or None. Edits are dated by the office's clock anyway
    (decision 0013): the note is so that the times the worker reads on the tablet make sense."""
    if offset_ms is None or abs(offset_ms) < CLOCK_NOTE_FROM_MS:
        return None
    minutes = round(abs(offset_ms) / 60_000)
    if minutes < 90:
        amount = QCoreApplication.translate("SyncStatusBar", "{count} minutes").format(count=minutes)
    elif minutes < 48 * 60:
        hours = round(minutes / 60)
        amount = (
            QCoreApplication.translate("SyncStatusBar", "1 hour")
            if hours == 1
            else QCoreApplication.translate("SyncStatusBar", "{count} hours").format(count=hours)
        )
    else:
        amount = QCoreApplication.translate("SyncStatusBar", "{count} days").format(
            count=round(minutes / 1440)
        )
    if offset_ms > 0:
        sentence = QCoreApplication.translate(
            "SyncStatusBar",
            "This tablet's clock is {amount} behind; your changes are dated by the office's clock.",
        )
    else:
        sentence = QCoreApplication.translate(
            "SyncStatusBar",
            "This tablet's clock is {amount} ahead; your changes are dated by the office's clock.",
        )
    return (
        sentence.format(amount=amount)
        + " "
        + QCoreApplication.translate("SyncStatusBar", "Ask your office to set the tablet's date and time.")
    )


def _text_width(widget: QWidget, text: str) -> int:
    widget.ensurePolished()
    return widget.fontMetrics().horizontalAdvance(text)


def _sentence(text: str) -> str:
    text = message(text.strip())
    return QCoreApplication.translate("SyncStatusBar", "Last sync did not finish: {problem}").format(
        problem=text
    ) + ("" if text.endswith(".") else ".")
