"""Lists of choices with finger-sized rows, application-wide.

A QComboBox draws its open list with Qt's menu delegate, which ignores the stylesheet's
``QComboBox QAbstractItemView::item { min-height: 44px }``: rows come out about 28 px tall. An
application-wide event filter gives every list of choices a ``QStyledItemDelegate`` (which follows the
stylesheet) when the list is first polished, unless its screen set a delegate of its own.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from fieldapp.qt.filters import install_once

QT_MENU_DELEGATE = "QComboMenuDelegate"  # the one Qt gives every QComboBox


class ComboRows(QObject):
    """The filter; ``install_combo_rows`` puts one on the application."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Polish and isinstance(watched, QComboBox):
            delegate = watched.itemDelegate()
            if delegate is None or delegate.metaObject().className() == QT_MENU_DELEGATE:
                watched.setItemDelegate(QStyledItemDelegate(watched))
        return False


def install_combo_rows(app: QCoreApplication) -> ComboRows:
    """Filter ``app``'s widgets (once; returns the filter)."""
    return install_once(app, ComboRows)
