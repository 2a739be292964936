"""Keeping Python's cyclic garbage collector from freezing the GUI while a sync runs.

A full (generation 2) collection walks every tracked object of the process while holding the GIL; the
GUI thread waits for all of it. Measured during an initial sync of 20,000 records
(tests/gui/test_sync_responsiveness.py): the ~140,000 objects alive after start-up (modules, classes,
pydantic and SQLAlchemy schemas) made each full collection take 100-160 ms, and the objects a sync
allocates triggered 16 of them: 2.1 s of the 2.2 s the GUI stood still. Two measures:

- ``freeze_startup_heap()``: once, when the app has started, move everything alive into the permanent
  generation (``gc.freeze()``), which collections skip. Those objects live as long as the app anyway.
- ``full_collections_deferred()``: during a sync cycle, automatic collection is off, and the controller
  collects the youngest generation (``collect_young_if_deferred()``) on the GUI thread every
  ``YOUNG_EVERY_MS``, so finalizers of Qt objects run on the thread that owns them, not the worker's.
  Often and small: a collection walks what was allocated since the previous one, so collecting once per
  page (a page and its prefetched successor are ~100,000 containers) stalled the GUI for ~120 ms, while
  every 20 ms each walk is a fraction of a millisecond. The full collection runs after the cycle, when
  the cycle's objects have been released.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

_lock = threading.Lock()
_frozen = False
_depth = 0  # nested or concurrent deferrals (several workers): the last one out restores collection
_was_enabled = True


def freeze_startup_heap() -> None:
    """Collect once, then exempt everything alive now from future collections (once per process)."""
    global _frozen
    with _lock:
        if _frozen:
            return
        _frozen = True
    gc.collect()
    gc.freeze()
    log.debug("%s start-up objects exempted from garbage collection", gc.get_freeze_count())


@contextmanager
def full_collections_deferred() -> Iterator[None]:
    """Turn automatic collection off for the block (``collect_young_if_deferred()`` runs meanwhile)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()


YOUNG_EVERY_MS = 20


def collect_young_if_deferred() -> None:
    """While a deferral is on, collect the youngest generation (cheap: the last few ms of allocations)."""
    if _depth:
        gc.collect(0)
