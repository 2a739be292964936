"""``IdleWatcher``: says when nobody has touched the app for a while (the automatic lock's trigger).

Idle means no user input reached the application: mouse, touch, pen (tablet events), wheel or keys. An
event filter on the QApplication notes the time of the last input; a single-shot QTimer fires when the
quiet period could be over, and is started again for the remaining time when input came meanwhile. So
each input only stores a number (the filter sees every event of the GUI thread and must stay cheap), and
the timer is reset by the input all the same. Synthetic mouse moves (Qt's own, when a widget appears under
a resting pointer) are not input.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal, Slot

from fieldapp.qt.timers import timer

T = QEvent.Type
INPUT = frozenset(
    {
        T.MouseButtonPress,
        T.MouseButtonRelease,
        T.MouseButtonDblClick,
        T.Wheel,
        T.KeyPress,
        T.KeyRelease,
        T.TouchBegin,
        T.TouchUpdate,
        T.TouchEnd,
        T.TabletPress,
        T.TabletMove,
        T.TabletRelease,
        T.InputMethod,  # on-screen keyboards and input methods
        T.NativeGesture,
    }
)
MOVES = frozenset({T.MouseMove})  # input only when spontaneous (from the system, not from Qt itself)


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``timeout_s`` without user input; ``start()`` watches (again)."""

    idle = Signal()

    def __init__(
        self,
        timeout_s: float,
        *,
        app: QCoreApplication | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._app = app or QCoreApplication.instance()
        self._clock = clock
        self._timeout_s = float(timeout_s)
        self._last_input = clock()
        self._watching = False
        self._timer = timer(self, self._check, single_shot=True)

    @property
    def timeout_s(self) -> float:
        """How long without input counts as idle."""
        return self._timeout_s

    @property
    def watching(self) -> bool:
        """Whether the watcher is running (it stops by itself once it has said ``idle``)."""
        return self._watching

    def idle_for_s(self) -> float:
        """Seconds since the last input."""
        return max(0.0, self._clock() - self._last_input)

    def start(self) -> None:
        """Watch from now on (the quiet period starts now)."""
        self._last_input = self._clock()
        if not self._watching and self._app is not None:
            self._app.installEventFilter(self)
        self._watching = True
        self._arm(self._timeout_s)

    def stop(self) -> None:
        """Stop watching (while the tablet is locked, and when the session ends)."""
        if self._watching and self._app is not None:
            self._app.removeEventFilter(self)
        self._watching = False
        self._timer.stop()

    def set_timeout_s(self, seconds: float) -> None:
        """A new quiet period (the settings screen); counts from the last input."""
        self._timeout_s = float(seconds)
        if self._watching:
            self._check()

    def note_input(self) -> None:
        """Count as input (what the event filter does for every input event)."""
        self._last_input = self._clock()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT or (kind in MOVES and event.spontaneous()):
            self._last_input = self._clock()
        return False

    def _arm(self, seconds: float) -> None:
        self._timer.start(max(1, int(seconds * 1000)))

    @Slot()
    def _check(self) -> None:
        if not self._watching:
            return
        left = self._timeout_s - self.idle_for_s()
        if left > 0.001:
            self._arm(left)  # input came meanwhile: wait for the rest of the period
            return
        self.stop()
        self.idle.emit()
