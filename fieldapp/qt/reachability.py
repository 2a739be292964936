"""Whether the operating system thinks the network is reachable, as "online", "offline" or "unknown".

``Reachability`` wraps ``QNetworkInformation``, a process singleton: it is loaded once, in the GUI
thread, after the QApplication exists, and never moved to another thread (the Windows backend aborts the
process if it is). A backend that fails to load, or does not report reachability, gives "unknown",
never "offline". This is the OS's view of the network, not of our server: the sync controller uses it
as a trigger only, and a sync attempt is what finds out whether the server answers.
``FakeReachability`` has the same interface for tests, which cannot drive the real one.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtNetwork import QNetworkInformation

log = logging.getLogger(__name__)

ONLINE, OFFLINE, UNKNOWN = "online", "offline", "unknown"
STATES = (ONLINE, OFFLINE, UNKNOWN)

# Local and Site mean "a network, but maybe not the internet": the office server may well be on it (a
# clinic's LAN), and a sync attempt is cheap, so they count as online. Only Disconnected is offline.
_STATE_OF = {
    QNetworkInformation.Reachability.Unknown: UNKNOWN,
    QNetworkInformation.Reachability.Disconnected: OFFLINE,
    QNetworkInformation.Reachability.Local: ONLINE,
    QNetworkInformation.Reachability.Site: ONLINE,
    QNetworkInformation.Reachability.Online: ONLINE,
}


class Reachability(QObject):
    """The OS's network reachability; emits ``reachability_changed(state)`` when it changes."""

    reachability_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = UNKNOWN
        self._info: QNetworkInformation | None = None

    @property
    def state(self) -> str:
        """ "online", "offline" or "unknown"."""
        return self._state

    def start(self) -> str:
        """Load the platform's backend (once per process) and follow it; returns the current state."""
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("create the QApplication before watching network reachability")
        if QThread.currentThread() != app.thread():
            raise RuntimeError("network reachability must be watched from the GUI thread")
        if self._info is not None:
            return self._state
        info = QNetworkInformation.instance()
        if info is None and QNetworkInformation.loadDefaultBackend():
            info = QNetworkInformation.instance()
        if info is None or not info.supports(QNetworkInformation.Feature.Reachability):
            log.info("network reachability is not available on this system; treated as unknown")
            return self._state
        self._info = info
        info.reachabilityChanged.connect(self._on_reachability)
        self._on_reachability(info.reachability())
        return self._state

    @Slot(QNetworkInformation.Reachability)
    def _on_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        self._set(_STATE_OF.get(reachability, UNKNOWN))

    def _set(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.reachability_changed.emit(state)


class FakeReachability(QObject):
    """Reachability a test sets by hand with ``set_state``."""

    reachability_changed = Signal(str)

    def __init__(self, state: str = UNKNOWN, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if state not in STATES:
            raise ValueError(f"unknown reachability state {state!r}")
        self._state = state

    @property
    def state(self) -> str:
        """ "online", "offline" or "unknown"."""
        return self._state

    def start(self) -> str:
        """Nothing to load; returns the current state."""
        return self._state

    def set_state(self, state: str) -> None:
        """Change the state, emitting ``reachability_changed`` when it differs."""
        if state not in STATES:
            raise ValueError(f"unknown reachability state {state!r}")
        if state != self._state:
            self._state = state
            self.reachability_changed.emit(state)
