"""The files records reference (signature images, day-report PDFs): their types, told from the bytes.

A file's type is what its first bytes say, by the signatures the WHATWG MIME Sniffing Standard uses for
these types (PNG: the 8-byte PNG signature; PDF: ``%PDF-``), never what a client declares. The tablet checks
a file with these rules before keeping it, and the server before storing or serving it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

PNG = "image/png"
PDF = "application/pdf"


@dataclass(frozen=True, slots=True)
class FileKind:
    """One kind of file a record may reference: how it begins, how large it may be, what people call it."""

    media_type: str
    magic: bytes
    max_bytes: int
    words: str  # "PNG image", for messages
    entity: str  # the record that references it
    field: str  # the record's field naming it (by SHA-256)


# A signature image is a cropped PNG of the pad (tens of kilobytes); a day report a few pages of PDF.
KINDS: Mapping[str, FileKind] = {
    PNG: FileKind(PNG, b"\x89PNG\r\n\x1a\n", 1024 * 1024, "PNG image", "signature", "image_sha256"),
    PDF: FileKind(PDF, b"%PDF-", 4 * 1024 * 1024, "PDF document", "day_report", "pdf_sha256"),
}
MAX_FILE_BYTES = max(kind.max_bytes for kind in KINDS.values())
KIND_OF_ENTITY: Mapping[str, FileKind] = {kind.entity: kind for kind in KINDS.values()}


def sniff(content: bytes) -> str | None:
    """The media type the bytes themselves announce (one of ``KINDS``), or None for anything else."""
    for kind in KINDS.values():
        if content.startswith(kind.magic):
            return kind.media_type
    return None


def problem(content: bytes, declared: str) -> str | None:
    """Why ``content`` cannot be kept as a file of type ``declared``, in one sentence; None if it can."""
    kind = KINDS.get(declared)
    if kind is None:
        return f"a file must be one of {', '.join(sorted(KINDS))}, not {declared or 'an undeclared type'}"
    if not content:
        return "the file is empty"
    actual = sniff(content)
    if actual is None:
        return (
            f"the file was declared {declared} but its bytes are not a {kind.words} (nor any accepted type)"
        )
    if actual != declared:
        return f"the file was declared {declared} but its bytes are a {KINDS[actual].words} ({actual})"
    if len(content) > kind.max_bytes:
        return (
            f"a {kind.words} may have at most {kind.max_bytes // 1024} KiB; this one has {len(content)} bytes"
        )
    return None
