"""Keeping Python's full garbage collections out of a push batch, on the server and on the tablet.

A batch of 500 changes holds tens of thousands of objects while it is built, sent and merged (on the
server: the stored states it read, the merged ones, the rows it writes; on the tablet: the outbox entries
and the request). Each automatic collection that runs meanwhile promotes them, so a full (generation 2)
collection, which walks every object of the process, followed every batch or two: measured on a push
after an offline day, 0.3-0.6 s of the server's 1.7 s, and 0.25 s on the tablet. The batch's objects are
freed by reference counting when it ends; collecting them in between finds nothing.

``collections_deferred()`` turns automatic collection off for the block, across threads: off when the
first block starts, on again when the last one in flight ends, or when blocks have overlapped for longer
than ``MAX_DEFERRED_S`` (then collections run again until none is in flight). Collection that was already
off (the tablet app's own policy during a sync, ``qt.gc_policy``) is left as it was.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

MAX_DEFERRED_S = 5.0

_lock = threading.Lock()
_depth = 0  # pushes in flight
_ours = False  # collection is off because of them
_since = 0.0  # time.monotonic() when they turned it off


@contextmanager
def collections_deferred() -> Iterator[None]:
    """Automatic garbage collection off for the block (see the module's docstring)."""
    global _depth, _ours, _since
    with _lock:
        _depth += 1
        if _depth == 1 and gc.isenabled():
            gc.disable()
            _ours, _since = True, time.monotonic()
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _ours and (_depth == 0 or time.monotonic() - _since > MAX_DEFERRED_S):
                gc.enable()
                _ours = False
