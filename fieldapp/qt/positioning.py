"""The tablet's position from Qt Positioning, as the visit screen needs it: the latest fix (position, its
accuracy and its own time) or the reason there is none.

``DevicePosition`` wraps any ``QGeoPositionInfoSource``: the platform's default one on a tablet (Windows'
location service, geoclue2 on Linux), or a ``QNmeaPositionInfoSource`` replaying a recorded NMEA log
(tests, demos: ``nmea_source``). A fix older than ``max_age`` no longer counts. No fix within
``timeout`` of starting, access refused by the system, or no positioning at all each give a reason
(``problem()``) that the visit screen offers the worker, and that becomes a verification exception.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QFile, QIODevice, QObject, Signal
from PySide6.QtPositioning import QGeoPositionInfo, QGeoPositionInfoSource, QNmeaPositionInfoSource

from fieldapp.domain.exceptions import ExceptionReason
from fieldapp.domain.values import Location, LocationKind
from fieldapp.qt.timers import timer

Source = QGeoPositionInfoSource
_ACCURACY = QGeoPositionInfo.Attribute.HorizontalAccuracy
_PROBLEMS = {
    Source.Error.AccessError: ExceptionReason.PERMISSION_REFUSED,
    Source.Error.ClosedError: ExceptionReason.NO_POSITIONING,
    Source.Error.UnknownSourceError: ExceptionReason.NO_POSITIONING,
}
# A GGA fix's accuracy (95 %) is Qt's 2 x HDOP x this range error (metres) of a consumer receiver.
RECEIVER_RANGE_ERROR_M = 5.0


def nmea_source(path: str, parent: QObject | None = None, *, replay: bool = True) -> QNmeaPositionInfoSource:
    """A source reading an NMEA log file: replayed at its recorded pace (``replay``), or as a live feed."""
    mode = QNmeaPositionInfoSource.UpdateMode
    source = QNmeaPositionInfoSource(mode.SimulationMode if replay else mode.RealTimeMode, parent)
    device = QFile(path, source)
    device.open(QIODevice.OpenModeFlag.ReadOnly)  # a file that cannot be opened is the source's AccessError
    source.setDevice(device)
    source.setUserEquivalentRangeError(RECEIVER_RANGE_ERROR_M)
    return source


_platform: list[QGeoPositionInfoSource | None] = []  # looked up once per process


def platform_source() -> QGeoPositionInfoSource | None:
    """The platform's positioning (Windows' location service, geoclue2 on Linux), created once per process
    and owned by the application: these sources keep asynchronous calls in flight, and one destroyed with
    a signed-out window crashed Qt later (like QNetworkInformation, a process singleton). None without."""
    if not _platform:
        owner = QCoreApplication.instance()
        source = (
            QGeoPositionInfoSource.createDefaultSource({"desktopId": "fieldapp"}, owner) if owner else None
        )
        _platform.append(source)
    return _platform[0]


class DevicePosition(QObject):
    """The latest position fix of one source, or why there is none."""

    position_did_change = Signal()  # a new fix, or a new problem

    def __init__(
        self,
        source: QGeoPositionInfoSource | None,
        parent: QObject | None = None,
        *,
        timeout: timedelta = timedelta(seconds=30),
        max_age: timedelta = timedelta(minutes=2),
    ) -> None:
        super().__init__(parent)
        self.source, self.max_age = source, max_age
        self._fix: Location | None = None
        self._problem: ExceptionReason | None = None if source else ExceptionReason.NO_POSITIONING
        self._age = QElapsedTimer()
        deadline_ms = int(timeout.total_seconds() * 1000)
        self._deadline = timer(self, self._no_fix_in_time, interval_ms=deadline_ms, single_shot=True)
        if source is not None:
            source.positionUpdated.connect(self._on_position)
            source.errorOccurred.connect(self._on_error)

    @classmethod
    def of_device(cls, parent: QObject, **options: timedelta) -> DevicePosition:
        """The tablet's positioning: a recorded NMEA log when ``FIELDAPP_NMEA_LOG`` names one (demos,
        screenshots), else the platform's source (none on a device without positioning)."""
        log = os.environ.get("FIELDAPP_NMEA_LOG")
        if log:
            return cls(nmea_source(log, parent), parent, **options)
        return cls(platform_source(), parent, **options)

    def start(self) -> None:
        """Start receiving fixes; a problem is known at once, or after ``timeout`` without a fix."""
        if self.source is None:
            self.position_did_change.emit()
            return
        self._deadline.start()
        self.source.startUpdates()

    def stop(self) -> None:
        """Stop receiving fixes (the last one still ages out); the platform's shared source stops for every
        adapter, so only screens that own their source call this."""
        self._deadline.stop()
        if self.source is not None:
            self.source.stopUpdates()

    def detach(self) -> None:
        """Stop listening to the source for good (the platform's source is shared and outlives this
        adapter: its late answers must not reach an adapter whose window is gone)."""
        self._deadline.stop()
        if self.source is not None:
            for signal, slot in (
                (self.source.positionUpdated, self._on_position),
                (self.source.errorOccurred, self._on_error),
            ):
                with contextlib.suppress(RuntimeError, TypeError):
                    signal.disconnect(slot)
            self.source = None

    def current_fix(self) -> Location | None:
        """The latest fix, unless it is older than ``max_age``."""
        if self._fix is None or self._age.elapsed() > self.max_age.total_seconds() * 1000:
            return None
        return self._fix

    def problem(self) -> ExceptionReason | None:
        """Why there is no fix (None while one is current or still awaited)."""
        if self.current_fix() is not None:
            return None
        return self._problem or (ExceptionReason.NO_FIX_IN_TIME if self._fix is not None else None)

    def _on_position(self, info: QGeoPositionInfo) -> None:
        coordinate = info.coordinate()
        if not info.isValid() or not coordinate.isValid():
            return
        accuracy = info.attribute(_ACCURACY) if info.hasAttribute(_ACCURACY) else None
        stamp = info.timestamp()
        fixed_at = datetime.fromtimestamp(stamp.toMSecsSinceEpoch() / 1000, UTC) if stamp.isValid() else None
        self._fix = Location(
            kind=LocationKind.GPS,
            latitude=round(coordinate.latitude(), 7),
            longitude=round(coordinate.longitude(), 7),
            accuracy_m=round(accuracy, 1) if accuracy is not None and accuracy == accuracy else None,
            fixed_at=fixed_at,
        )
        self._age.start()
        self._problem = None
        self._deadline.stop()
        self.position_did_change.emit()

    def _on_error(self, error: QGeoPositionInfoSource.Error) -> None:
        problem = _PROBLEMS.get(error)
        if problem is None:  # UpdateTimeoutError: the next fix is late, the deadline decides
            return
        self._problem = problem
        self._deadline.stop()
        self.position_did_change.emit()

    def _no_fix_in_time(self) -> None:
        if self._fix is None:
            self._problem = ExceptionReason.NO_FIX_IN_TIME
            self.position_did_change.emit()
