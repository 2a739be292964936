"""Files on the device (signature images, report PDFs), stored under the SHA-256 of their content."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    """A folder of content-addressed files; writes are atomic (write to a temporary file, then rename)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, content: bytes) -> str:
        """Store ``content``; returns its SHA-256 (storing the same bytes twice keeps one file)."""
        sha = hashlib.sha256(content).hexdigest()
        target = self._path(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(content)
                    file.flush()
                    os.fsync(file.fileno())
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return sha

    def get(self, sha256: str) -> bytes:
        """The content stored under ``sha256``; KeyError if absent, ValueError if it no longer matches."""
        path = self._path(sha256)
        if not path.exists():
            raise KeyError(f"no file {sha256} on this device")
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != sha256:
            raise ValueError(f"file {sha256} is damaged on this device")
        return content

    def has(self, sha256: str) -> bool:
        """Whether the file is here."""
        return self._path(sha256).exists()

    def _path(self, sha256: str) -> Path:
        if not SHA256.match(sha256):
            raise ValueError(f"not a SHA-256: {sha256[:80]!r}")
        return self.folder / sha256[:2] / sha256
