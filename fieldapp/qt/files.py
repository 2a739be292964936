"""The device's files in the background, for the screens (decision 0034): ``BackgroundFiles`` runs the
Qt-free ``FileMover`` on threads of its own, never the sync worker's, so a large upload never holds up a
push and a download never blocks the screen.

- ``run_soon()`` (after each sync): upload the large files waiting, fetch others' thumbnails; ``moved``
  says what it did (the workspace then pushes the records let through, and refreshes the gallery).
- ``request(sha256, arrived)``: fetch one file (a photo opened full size); ``arrived(content or None)``
  is called on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Signal, Slot

from fieldapp.sync.errors import SyncError
from fieldapp.sync.files import FileMover, Moved

log = logging.getLogger(__name__)
Arrived = Callable[[bytes | None], None]


class BackgroundFiles(QObject):
    """Moves one device's files on two threads: one for the background run, one for files asked for."""

    moved = Signal(object)  # Moved, on the GUI thread
    _run_done = Signal(object)  # from the run's thread
    _fetched = Signal(object, object)  # (content or None, arrived), from the fetch thread

    def __init__(self, mover: FileMover, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.mover = mover
        self._runs = ThreadPoolExecutor(max_workers=1, thread_name_prefix="files-run")
        self._fetches = ThreadPoolExecutor(max_workers=1, thread_name_prefix="files-fetch")
        self._running = False
        self._stopping = threading.Event()
        self._run_done.connect(self._finished)  # emitted on another thread: a queued call here
        self._fetched.connect(self._deliver)

    def run_soon(self) -> bool:
        """Start a background run unless one is going (it resumes where the last one stopped)."""
        if self._running or self._stopping.is_set():
            return False
        self._running = True
        self._runs.submit(self._run)
        return True

    def request(self, sha256: str, arrived: Arrived) -> None:
        """Fetch one file (kept encrypted here); ``arrived`` gets its bytes, or None if it cannot come now."""
        if not self._stopping.is_set():
            self._fetches.submit(self._fetch, sha256, arrived)

    def stop(self) -> None:
        """Stop between two files and wait for the threads (an upload resumes at the next sign-in)."""
        self._stopping.set()
        for pool in (self._runs, self._fetches):
            pool.shutdown(wait=True, cancel_futures=True)

    def _run(self) -> None:
        try:
            moved = self.mover.run(self._stopping.is_set)
        except Exception:  # a failure here must never take the app down; the next run tries again
            log.exception("moving files in the background failed")
            moved = Moved(error="moving files failed; it is tried again after the next sync")
        self._run_done.emit(moved)

    def _fetch(self, sha256: str, arrived: Arrived) -> None:
        try:
            content: bytes | None = self.mover.fetch(sha256)
        except (SyncError, KeyError, ValueError) as exc:
            log.info("file %s not fetched: %s", sha256[:12], getattr(exc, "message", exc))
            content = None
        self._fetched.emit(content, arrived)

    @Slot(object)
    def _finished(self, moved: Moved) -> None:
        self._running = False
        if not self._stopping.is_set():
            self.moved.emit(moved)

    @Slot(object, object)
    def _deliver(self, content: bytes | None, arrived: Arrived) -> None:
        if not self._stopping.is_set():
            arrived(content)
