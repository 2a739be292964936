"""``SessionLockWatcher``: asks to lock the app when the operating system locks the session or suspends
the app.

- Windows: the main window's HWND is registered for session notifications
  (``WTSRegisterSessionNotification``, ``NOTIFY_FOR_THIS_SESSION``); a native event filter watches for
  ``WM_WTSSESSION_CHANGE`` with ``WTS_SESSION_LOCK`` (Win+L, the power button, a lid closing). Reading the
  message is a pure function (``asks_to_lock``) so tests on any platform can hand it a made-up MSG.
- Everywhere: ``QGuiApplication.applicationStateChanged`` to ``ApplicationSuspended`` or
  ``ApplicationHidden`` (a tablet putting the app to sleep, the app hidden) locks too. ``Inactive`` (another
  window in front) does not: the idle timer covers that.
On other platforms nothing is registered with the system.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import sys
from ctypes import wintypes
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

WM_WTSSESSION_CHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WTS_SESSION_UNLOCK = 0x8
NOTIFY_FOR_THIS_SESSION = 0
WINDOWS_MSG_TYPES = (b"windows_generic_MSG", b"windows_dispatcher_MSG")
SESSION, SUSPENDED = "session", "suspended"
LOCKING_STATES = (Qt.ApplicationState.ApplicationSuspended, Qt.ApplicationState.ApplicationHidden)


def asks_to_lock(event_type: Any, message: int) -> bool:
    """Whether a native event is Windows saying "the session is being locked".

    ``event_type`` is Qt's name of the native event (bytes or QByteArray), ``message`` its address. Only a
    Windows MSG is ever read from that address; anything else (an XCB event on Linux) is never touched."""
    if not message or bytes(event_type) not in WINDOWS_MSG_TYPES:
        return False
    msg = wintypes.MSG.from_address(message)
    return msg.message == WM_WTSSESSION_CHANGE and msg.wParam == WTS_SESSION_LOCK


def _wtsapi32() -> Any:
    """Windows' session API with its argument types declared (an HWND is pointer-sized)."""
    dll = getattr(ctypes, "WinDLL")("wtsapi32", use_last_error=True)  # noqa: B009 - Windows only
    dll.WTSRegisterSessionNotification.argtypes = [wintypes.HWND, wintypes.DWORD]
    dll.WTSRegisterSessionNotification.restype = wintypes.BOOL
    dll.WTSUnRegisterSessionNotification.argtypes = [wintypes.HWND]
    dll.WTSUnRegisterSessionNotification.restype = wintypes.BOOL
    return dll


class _NativeFilter(QAbstractNativeEventFilter):
    """Hands session-lock messages to the watcher; never filters anything out."""

    def __init__(self, watcher: SessionLockWatcher) -> None:
        super().__init__()
        self._watcher = watcher

    def nativeEventFilter(self, eventType: Any, message: int) -> object:
        try:
            if asks_to_lock(eventType, int(message)):
                self._watcher.lock_requested.emit(SESSION)
        except Exception:  # a native callback must never raise into Qt
            log.exception("could not read a native event")
        return False, 0


class SessionLockWatcher(QObject):
    """Emits ``lock_requested(reason)``: "session" (the OS locked) or "suspended" (the app was suspended)."""

    lock_requested = Signal(str)

    def __init__(self, app: QGuiApplication | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        instance = app or QGuiApplication.instance()
        self._app = instance if isinstance(instance, QGuiApplication) else None
        self._filter: _NativeFilter | None = None
        self._hwnd: int | None = None
        if self._app is not None:
            self._app.applicationStateChanged.connect(self._state_changed)

    @property
    def native_filter(self) -> QAbstractNativeEventFilter:
        """The filter that reads native messages (installed on Windows only; tests call it directly)."""
        if self._filter is None:
            self._filter = _NativeFilter(self)
        return self._filter

    def attach(self, window: QWidget) -> bool:
        """On Windows, receive the session's lock notifications for ``window``; elsewhere do nothing.
        Returns whether the system notifications are registered."""
        if sys.platform != "win32" or self._hwnd is not None:
            return False
        hwnd = int(window.winId())
        try:
            wtsapi32 = _wtsapi32()
            registered = bool(wtsapi32.WTSRegisterSessionNotification(hwnd, NOTIFY_FOR_THIS_SESSION))
        except (OSError, AttributeError) as exc:
            log.warning("cannot watch for the session being locked: %s", exc)
            return False
        if not registered:
            log.warning("WTSRegisterSessionNotification failed (error %s)", ctypes.get_last_error())
            return False
        self._hwnd = hwnd
        app = QCoreApplication.instance()
        if app is not None:
            app.installNativeEventFilter(self.native_filter)
        return True

    def detach(self) -> None:
        """Stop watching (before the window goes)."""
        if self._app is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self._app.applicationStateChanged.disconnect(self._state_changed)
            self._app = None
        if self._hwnd is None:
            return
        app = QCoreApplication.instance()
        if app is not None and self._filter is not None:
            app.removeNativeEventFilter(self._filter)
        try:
            _wtsapi32().WTSUnRegisterSessionNotification(self._hwnd)
        except (OSError, AttributeError) as exc:
            log.warning("could not unregister the session notifications: %s", exc)
        self._hwnd = None

    @Slot(Qt.ApplicationState)
    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state in LOCKING_STATES:
            self.lock_requested.emit(SUSPENDED)
