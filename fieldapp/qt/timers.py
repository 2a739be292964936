"""``timer()``: a QTimer owned by a QObject, set up in one call (its interval, whether it fires once, what
it calls), for the adapters' and the screens' timers alike."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def timer(
    owner: QObject, *calls: Callable[[], object], interval_ms: int = 0, single_shot: bool = False
) -> QTimer:
    """A stopped timer that lives and dies with ``owner`` and calls each of ``calls`` on ``timeout``."""
    made = QTimer(owner)
    made.setInterval(interval_ms)
    made.setSingleShot(single_shot)
    for call in calls:
        made.timeout.connect(call)
    return made
