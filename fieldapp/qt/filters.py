"""Application-wide event filters, each put on the application once."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject

F = TypeVar("F", bound=QObject)


def install_once(app: QCoreApplication, kind: type[F]) -> F:
    """The ``kind`` filter on ``app``: the one already there, else a new one (a child of ``app``)."""
    existing = app.findChild(kind)
    if isinstance(existing, kind):
        return existing
    made = kind(app)
    app.installEventFilter(made)
    return made
