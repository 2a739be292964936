"""What the sync engine needs from the outside world, as protocols (the transport implements them)."""

from __future__ import annotations

from typing import Protocol

from fieldapp.sync.protocol import AuditAck, AuditUpload, Health, PullPage, PushRequest, PushResponse


class SyncTransport(Protocol):
    """The server, as the engine sees it. Methods raise ``fieldapp.sync.errors`` exceptions."""

    def health(self) -> Health:
        """Server time and limits; needs no sign-in."""
        ...

    def push(self, request: PushRequest) -> PushResponse:
        """Send a batch; raises Refused with the rejected mutations when the server refuses it."""
        ...

    def pull(self, cursor: str | None, limit: int) -> PullPage:
        """One page of changes after ``cursor``."""
        ...

    def upload_blob(self, sha256: str, content: bytes, media_type: str) -> None:
        """Store a file on the server (idempotent)."""
        ...

    def upload_audit(self, upload: AuditUpload) -> AuditAck:
        """Hand the device's audit entries to the server (idempotent: entries are stored once)."""
        ...


class BlobSource(Protocol):
    """Where the engine finds the files records reference (the device's blob store)."""

    def get(self, sha256: str) -> bytes:
        """The file's content; KeyError when missing."""
        ...
