"""``emit(signal, *args)``: emit a Qt signal from Python without slowly destroying ``True``.

PySide6 6.12's ``SignalInstance.emit()`` returns ``True`` without taking a reference to it. From Python
3.12 on, ``True`` is immortal and nothing happens; on Python 3.11 every ``emit()`` made from Python code
takes one reference away from ``True``, and after a few thousand emits the interpreter aborts with
"Fatal Python error: bool_dealloc: deallocating True or False" (measured here: 599 references at start-up
in a bare script, so a few hundred emits in a small program; signals Qt emits from C++, such as
``QTimer.timeout``, are not affected). Whether the running PySide6 has the bug is measured once at
import; only then does ``emit`` give the reference back, so a fixed PySide6 or a newer Python needs no
change here. Every signal in ``fieldapp.qt`` (and the UI) is emitted through this function.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_PROBES = 64


class _Probe(QObject):
    probed = Signal()


def _emit_drops_a_reference_to_true() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.probed.emit()
    lost = before - sys.getrefcount(True)
    _give_back(max(lost, 0))
    return lost >= _PROBES // 2  # other threads may touch True meanwhile; the bug loses one per emit


def _give_back(count: int) -> None:
    for _ in range(count):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


EMIT_LEAKS_TRUE = _emit_drops_a_reference_to_true()


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)``, compensating PySide6 6.12's lost reference to ``True`` on Python 3.11."""
    signal.emit(*args)
    if EMIT_LEAKS_TRUE:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
