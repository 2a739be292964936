"""Files on the device (signature images, report PDFs), stored under the SHA-256 of their content.

With a key (the application always gives the profile's database key) every file is encrypted at rest with
AES-256-GCM (decision 0010). A file on the disk is then::

    b"FABLOB" | version (1 byte) | nonce (12 random bytes) | ciphertext | GCM tag (16 bytes)

The file key is derived from the database key with HKDF-SHA256 under its own ``info`` string, so the one
keyring secret opens both and wiping it makes both unreadable. The header and the file's name (the SHA-256
of the plaintext) are the GCM associated data: a file copied or renamed onto another name, a flipped bit,
a cut-short file or another device's key all fail authentication and raise ``BlobUnreadable`` instead of
returning garbage; the SHA-256 of the decrypted content is still checked against the name. Only ciphertext
is ever written, the temporary file before the rename included.

Folders written before encryption (plaintext files, whose SHA-256 is their name) are encrypted in place
when the store is opened with a key: each file is replaced by an encrypted copy (temporary file, fsync,
rename), so a crash leaves every file either in its old plaintext form or encrypted, and both are read.
Without a key (tools, some tests, the server-less demo) files stay plaintext as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldapp.domain import files
from fieldapp.domain.errors import ValidationError

SHA256 = re.compile(r"[0-9a-f]{64}")  # used with fullmatch: "$" would also admit a trailing newline
MAGIC = b"FABLOB"
VERSION = 1
HEADER = MAGIC + bytes([VERSION])
NONCE_BYTES = 12
TAG_BYTES = 16
# The HKDF "info" string: a key derived for this purpose only (never equal to the database key itself).
BLOB_KEY_INFO = b"fieldapp device blobs: AES-256-GCM file key v1"
DATABASE_KEY_BYTES = 32
TEMPORARY_PREFIX = ".incoming-"

# What the device may keep for a record: the server's limits per type (fieldapp.domain.files).
MAX_FILE_BYTES = files.MAX_FILE_BYTES


class BlobUnreadable(ValueError):
    """A file on this device cannot be read back: damaged, tampered with, cut short, moved onto another
    name, or encrypted with another key. The message names the file."""

    def __init__(self, sha256: str, reason: str) -> None:
        super().__init__(f"file {sha256} cannot be read on this device: {reason}")
        self.sha256 = sha256


def blob_key(database_key: bytes) -> bytes:
    """The 32-byte file key derived from a profile's database key (HKDF-SHA256, its own info string)."""
    if len(database_key) != DATABASE_KEY_BYTES:
        raise ValueError(f"a database key has {DATABASE_KEY_BYTES} bytes")
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=BLOB_KEY_INFO)
    return kdf.derive(database_key)


_WORDS = {files.PNG: ("image", "signature image"), files.PDF: ("pdf", "report")}


def checked_file(content: object, media_type: str) -> bytes:
    """``content`` if it is a plausible file of ``media_type`` ("image/png", "application/pdf") for a record.

    Raises the domain's ValidationError (shown to the worker like any other refusal) for an empty file,
    one that is not bytes or not of that type by its first bytes, or one larger than the office server
    accepts for that type (it would never sync).
    """
    kind = files.KINDS[media_type]
    field, words = _WORDS[media_type]
    if not isinstance(content, bytes) or not content:
        raise ValidationError(kind.entity, {field: f"the {words} is empty"})
    if files.sniff(content) != media_type:
        raise ValidationError(kind.entity, {field: f"the {words} is not a {kind.words.split()[0]} file"})
    if len(content) > kind.max_bytes:
        limit = f"{kind.max_bytes // 2**20} MB"
        raise ValidationError(kind.entity, {field: f"the {words} is larger than {limit}"})
    return content


class BlobStore:
    """A folder of content-addressed files; writes are atomic (write to a temporary file, then rename).

    ``key`` is the profile's 32-byte database key: given, files are encrypted at rest and plaintext files
    left by an earlier version are encrypted in place at once; None keeps plaintext files (tests, tools).
    """

    def __init__(self, folder: Path, key: bytes | None = None) -> None:
        self.folder = folder
        self._aead = AESGCM(blob_key(key)) if key is not None else None
        if self._aead is not None:
            self.encrypt_plaintext_files()

    @property
    def encrypted(self) -> bool:
        """Whether files are encrypted at rest."""
        return self._aead is not None

    def put(self, content: bytes) -> str:
        """Store ``content``; returns its SHA-256 (storing the same bytes twice keeps one file)."""
        sha = hashlib.sha256(content).hexdigest()
        target = self._path(sha)
        if not target.exists():
            self._write(target, self._seal(sha, content))
        return sha

    def get(self, sha256: str) -> bytes:
        """The content stored under ``sha256``.

        KeyError if absent; ``BlobUnreadable`` (a ValueError) if it cannot be decrypted or no longer
        matches its name."""
        path = self._path(sha256)
        if not path.exists():
            raise KeyError(f"no file {sha256} on this device")
        stored = path.read_bytes()
        if hashlib.sha256(stored).hexdigest() == sha256:
            return stored  # plaintext: an unencrypted store, or a file not yet encrypted in place
        if not stored.startswith(MAGIC):
            raise BlobUnreadable(sha256, "it is damaged (its content no longer matches its name)")
        content = self._open(sha256, stored)
        if hashlib.sha256(content).hexdigest() != sha256:
            raise BlobUnreadable(sha256, "it is damaged (its content no longer matches its name)")
        return content

    def has(self, sha256: str) -> bool:
        """Whether the file is here."""
        return self._path(sha256).exists()

    def encrypt_plaintext_files(self) -> int:
        """Encrypt, in place, every plaintext file (one whose SHA-256 is its name); returns how many.

        Idempotent and crash-safe: each file is replaced by rename after its encrypted copy is on the
        disk; leftovers of interrupted plaintext writes are removed. Called when the store is opened."""
        if self._aead is None or not self.folder.is_dir():
            return 0
        encrypted = 0
        for shard in sorted(self.folder.iterdir()):
            if not shard.is_dir():
                continue
            for path in sorted(shard.iterdir()):
                if path.name.startswith(TEMPORARY_PREFIX):
                    _remove_plaintext_leftover(path)
                    continue
                if not (SHA256.fullmatch(path.name) and path.is_file()):
                    continue
                with path.open("rb") as file:
                    if file.read(len(HEADER)) == HEADER:
                        continue  # already encrypted (it is authenticated when read)
                content = path.read_bytes()
                if hashlib.sha256(content).hexdigest() != path.name:
                    continue  # damaged: left as it is, so get() reports it
                self._write(path, self._seal(path.name, content))
                encrypted += 1
        return encrypted

    # -- internals -------------------------------------------------------------------------------------------

    def _seal(self, sha256: str, content: bytes) -> bytes:
        if self._aead is None:
            return content
        nonce = secrets.token_bytes(NONCE_BYTES)
        return HEADER + nonce + self._aead.encrypt(nonce, content, _associated_data(sha256))

    def _open(self, sha256: str, stored: bytes) -> bytes:
        version = stored[len(MAGIC)] if len(stored) > len(MAGIC) else None
        if version != VERSION:
            raise BlobUnreadable(sha256, f"it is in an unknown format (version {version}); update the app")
        if self._aead is None:
            raise BlobUnreadable(sha256, "it is encrypted and this store was opened without the device's key")
        if len(stored) < len(HEADER) + NONCE_BYTES + TAG_BYTES:
            raise BlobUnreadable(sha256, "it is cut short (damaged)")
        nonce = stored[len(HEADER) : len(HEADER) + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, stored[len(HEADER) + NONCE_BYTES :], _associated_data(sha256))
        except InvalidTag:
            raise BlobUnreadable(
                sha256,
                "it was changed, cut short or moved from another name, or it belongs to another device's key",
            ) from None

    def _write(self, target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=TEMPORARY_PREFIX)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
            _sync_folder(target.parent)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _path(self, sha256: str) -> Path:
        if not isinstance(sha256, str) or not SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256: {str(sha256)[:80]!r}")
        return self.folder / sha256[:2] / sha256


def _associated_data(sha256: str) -> bytes:
    return HEADER + sha256.encode("ascii")


def _remove_plaintext_leftover(path: Path) -> None:
    """A temporary file left by a crash: removed when it may hold plaintext (written before encryption)."""
    with contextlib.suppress(OSError):
        with path.open("rb") as file:
            start = file.read(len(HEADER))
        if start and start != HEADER:
            path.unlink()


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open a folder for fsync and needs no such step)."""
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
