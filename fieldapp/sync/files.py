"""Files beside the records (decisions 0027 and 0034): the ones a push sends before its records, and the
ones that move in the background, between syncs, never holding a push up.

- ``record_files``: the small files a batch of records names (signature images, report PDFs, small
  attachments and every photo's thumbnail) go up with the push, before the records.
- ``FileMover.upload_waiting``: a large attachment's file goes up resumably in the background; when the
  server holds it, the attachment's record is let through at the next push.
- ``FileMover.fetch_thumbnails``: the thumbnails of photos others took come down as soon as their records
  are here; ``FileMover.fetch``: the photo or document itself when the worker opens it. Each file is checked
  against its SHA-256 before it is kept (encrypted, like the device's own).

Qt-free: the tablet runs the mover on a thread of its own (``fieldapp.qt.files``).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.orm import Session

from fieldapp.store import files
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.store.outbox import OutboxEntry
from fieldapp.sync.errors import ServerFailed, SyncError
from fieldapp.sync.ports import BlobSource

log = logging.getLogger(__name__)

# The field naming a record's file, and its media type (None: the record's own ``media_type`` field says).
BLOB_FIELDS: dict[str, tuple[str, str | None]] = {
    "signature": ("image_sha256", "image/png"),
    "day_report": ("pdf_sha256", "application/pdf"),
    "attachment": ("sha256", None),
}
THUMBNAIL = ("thumbnail_sha256", "image/jpeg")


class FileUploader(Protocol):
    """What a push's files need of the server."""

    def upload_blob(self, sha256: str, content: bytes, media_type: str) -> None: ...


class FileTransport(FileUploader, Protocol):
    """What moving files in the background needs of the server (``HttpTransport``)."""

    def download_blob(self, sha256: str) -> bytes: ...


def uploaded_records(session: Session, entries: Iterable[OutboxEntry]) -> set[uuid.UUID]:
    """The attachments among ``entries`` whose file the background mover already put on the server."""
    found = set()
    for entry in entries:
        change = entry.changes.get("sha256") if entry.entity == "attachment" else None
        if change is not None and change.value and files.was_uploaded(session, str(change.value)):
            found.add(entry.record_id)
    return found


def record_files(entries: Iterable[OutboxEntry], skip: set[uuid.UUID]) -> list[tuple[OutboxEntry, str, str]]:
    """(entry, sha256, media type) of each file the entries name, the main files of ``skip`` left out."""
    wanted = []
    for entry in entries:
        if entry.entity not in BLOB_FIELDS:
            continue
        name, media_type = BLOB_FIELDS[entry.entity]
        change = entry.changes.get(name)
        if change is not None and change.value and entry.record_id not in skip:
            if media_type is None:
                declared = entry.changes.get("media_type")
                media_type = str(declared.value) if declared is not None else "application/octet-stream"
            wanted.append((entry, str(change.value), media_type))
        thumbnail = entry.changes.get(THUMBNAIL[0]) if entry.entity == "attachment" else None
        if thumbnail is not None and thumbnail.value:
            wanted.append((entry, str(thumbnail.value), THUMBNAIL[1]))
    return wanted


def send_record_files(
    transport: FileUploader, blobs: BlobSource | None, wanted: list[tuple[OutboxEntry, str, str]]
) -> None:
    """Upload the files a push's records name, before the records (the server refuses them otherwise)."""
    for entry, sha256, media_type in wanted:
        if blobs is None:
            raise SyncError("this device has no file store for signature images and reports")
        try:
            content = blobs.get(sha256)
        except (KeyError, ValueError) as exc:
            raise SyncError(f"a file needed by a {entry.entity.replace('_', ' ')} is missing: {exc}") from exc
        transport.upload_blob(sha256, content, media_type)


@dataclass
class Moved:
    """What one background run did."""

    uploaded: int = 0
    thumbnails: int = 0
    error: str | None = None


def _never() -> bool:
    return False


class FileMover:
    """Moves one device's files in the background: large uploads up, others' thumbnails down."""

    def __init__(self, store: LocalStore, transport: FileTransport, blobs: BlobStore) -> None:
        self.store, self.transport, self.blobs = store, transport, blobs

    def run(self, cancelled: Callable[[], bool] = _never) -> Moved:
        """Upload what waits, then fetch missing thumbnails; never raises for network failures (the next
        run goes on where this one stopped: an upload resumes at the offset the server holds)."""
        moved = Moved()
        try:
            moved.uploaded = self.upload_waiting(cancelled)
            moved.thumbnails = self.fetch_thumbnails(cancelled)
        except SyncError as exc:
            moved.error = exc.message
        return moved

    def upload_waiting(self, cancelled: Callable[[], bool] = _never) -> int:
        """Upload the large files whose records wait for them; returns how many got through."""
        with self.store.read() as session:
            waiting = files.waiting_uploads(session)
        done = 0
        for item in waiting:
            if cancelled():
                break
            self.transport.upload_blob(item.sha256, self.blobs.get(item.sha256), item.media_type)
            with self.store.unit_of_work() as session:
                files.mark_uploaded(session, item.sha256, datetime.now(UTC))
            done += 1
        return done

    def fetch_thumbnails(self, cancelled: Callable[[], bool] = _never) -> int:
        """Fetch the thumbnails of photos others took (named on their records); returns how many."""
        with self.store.read() as session:
            wanted = files.thumbnails_to_fetch(session, self.blobs)
        done = 0
        for sha256, thumbnail in wanted:
            if cancelled():
                break
            self.fetch(thumbnail)
            with self.store.unit_of_work() as session:
                files.remember_fetched_thumbnail(session, sha256, thumbnail)
            done += 1
        return done

    def fetch(self, sha256: str) -> bytes:
        """A file from the server, checked against its name and kept encrypted here (if not here yet)."""
        if self.blobs.has(sha256):
            return self.blobs.get(sha256)
        content = self.transport.download_blob(sha256)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise ServerFailed(f"the file {sha256[:12]} arrived damaged (its SHA-256 differs); try again")
        self.blobs.put(content)
        return content
