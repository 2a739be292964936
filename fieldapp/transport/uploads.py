"""Resumable file uploads (decision 0027): a file goes up in pieces, each appended at the offset the server
says it holds, so a connection that drops every few kilobytes still gets a 10 MB photo through without
starting over; the server checks the whole file's SHA-256 when the last byte arrives.

    GET   /uploads/{sha256}   -> UploadStatus (404 "no_upload": nothing received yet, start at 0)
    PATCH /uploads/{sha256}   Upload-Offset, Upload-Length, Upload-Type; body = the bytes from the offset
                              -> UploadStatus (409 "offset_mismatch": ask again where to go on)

A cut costs the piece in flight (the server keeps what it had already read of it) and one status request.
Pieces start large (4 MB: a good link goes fast) and shrink eightfold at each cut down to 8 KB, growing
back only after 16 pieces in a row got through: on a link that drops every 64 KB the pieces stay small, so
little is sent twice. Requests here are never retried by urllib3 (a replayed piece would be sent whole
again): after a cut the status says where to go on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from fieldapp.sync.errors import Interrupted, Refused, Unreachable
from fieldapp.sync.protocol import UploadStatus

log = logging.getLogger(__name__)
PIECE_BYTES = 4 * 1024 * 1024  # one request's body at most (the server takes 8 MB)
MIN_PIECE_BYTES = 8 * 1024
GROW_AFTER = 16  # pieces in a row that got through before the piece doubles again
MAX_STALLS = 12  # attempts in a row that moved nothing forward before giving up until the next sync
STALL_PAUSE_S = 0.2


@dataclass
class UploadReport:
    """What an upload took: requests made, cuts survived, bytes of the file sent (resent ones included)."""

    requests: int = 0
    cuts: int = 0
    body_bytes: int = 0


class ResumableUpload:
    """One file's upload through ``status`` and ``append`` (the transport's two requests)."""

    def __init__(
        self,
        status: Callable[[], UploadStatus | None],
        append: Callable[[int, bytes], UploadStatus],
        content: bytes,
        *,
        piece_bytes: int = PIECE_BYTES,
        max_stalls: int = MAX_STALLS,
        pause_s: float = STALL_PAUSE_S,
    ) -> None:
        self.status, self.append, self.content = status, append, content
        self.piece_bytes, self.max_stalls, self.pause_s = piece_bytes, max_stalls, pause_s
        self.report = UploadReport()

    def run(self) -> UploadReport:
        """Send what the server does not hold yet; raises ``Interrupted`` after too many cuts in a row."""
        offset: int | None = None
        stalls = good = 0
        size = self.piece_bytes
        while True:
            try:
                if offset is None:
                    self.report.requests += 1
                    known = self.status()
                    if known is not None and known.complete:
                        return self.report
                    offset = known.offset if known is not None else 0
                piece = self.content[offset : offset + size]
                self.report.requests += 1
                self.report.body_bytes += len(piece)
                answer = self.append(offset, piece)
            except Refused as exc:
                if exc.code != "offset_mismatch":
                    raise
                offset = None  # the server holds another offset: ask it
                continue
            except Unreachable as exc:
                self.report.cuts += 1
                stalls += 1
                if stalls > self.max_stalls:
                    raise Interrupted(
                        "the file upload was cut too often in a row; it goes on from where it stopped at the "
                        "next sync, and the file is safe on this tablet"
                    ) from exc
                log.info("upload cut at offset %s; asking the server where to go on", offset)
                size, good = max(MIN_PIECE_BYTES, size // 8), 0
                time.sleep(min(self.pause_s * (stalls - 1), 2.0))  # at once after progress
                offset = None
                continue
            if answer.complete:
                return self.report
            if answer.offset > offset:
                stalls = 0
            good += 1
            if good >= GROW_AFTER:
                size, good = min(self.piece_bytes, size * 2), 0
            offset = answer.offset
