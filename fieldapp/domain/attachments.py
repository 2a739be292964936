"""Photos and documents attached to a visit or a patient (decision 0027).

The record names its file by SHA-256; the bytes travel apart, as a blob uploaded resumably. A file's type is
what its first bytes say (JPEG, PNG, PDF), never what the tablet or a browser declares; each type has its
size limit. An attachment is never deleted (it may be evidence): a wrong one is marked entered in error.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import Field, model_validator

from fieldapp.domain.entities import MarkableInError
from fieldapp.domain.values import Sha256Hex, ShortText, UtcDateTime

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class AttachmentKind:
    """A type of file that may be attached: how it begins, how large it may be, what people call it."""

    media_type: str
    magic: bytes
    max_bytes: int
    words: str

    @property
    def is_image(self) -> bool:
        """Photos get a thumbnail and show in the gallery's grid."""
        return self.media_type.startswith("image/")


KINDS: Mapping[str, AttachmentKind] = {
    JPEG: AttachmentKind(JPEG, b"\xff\xd8\xff", 20 * MiB, "JPEG photo"),
    PNG: AttachmentKind(PNG, b"\x89PNG\r\n\x1a\n", 20 * MiB, "PNG image"),
    PDF: AttachmentKind(PDF, b"%PDF-", 25 * MiB, "PDF document"),
}
MAX_ATTACHMENT_BYTES = max(kind.max_bytes for kind in KINDS.values())
SNIFF_BYTES = 8  # the longest magic


def sniff(head: bytes) -> AttachmentKind | None:
    """The kind the first bytes announce, or None for anything not accepted."""
    for kind in KINDS.values():
        if head.startswith(kind.magic):
            return kind
    return None


def problem(head: bytes, size: int) -> str | None:
    """Why a file of ``size`` bytes beginning with ``head`` cannot be attached, in one sentence; None if
    it can."""
    if size == 0:
        return "the file is empty"
    kind = sniff(head)
    if kind is None:
        words = ", ".join(k.words for k in KINDS.values())
        return f"only photos and documents can be attached ({words}); this file is none of them"
    if size > kind.max_bytes:
        return f"a {kind.words} may have at most {kind.max_bytes // MiB} MB; this one has {size / MiB:.1f} MB"
    return None


class Source(StrEnum):
    """Where the file came from."""

    CAMERA = "camera"
    FILE = "file"


class Attachment(MarkableInError):
    """A photo or a document attached to a patient, and to one of their visits when ``visit_id`` is set."""

    entity_name: ClassVar[str] = "attachment"
    patient_id: uuid.UUID
    visit_id: uuid.UUID | None = None
    sha256: Sha256Hex
    media_type: str
    byte_size: Annotated[int, Field(ge=1, le=MAX_ATTACHMENT_BYTES)]
    caption: ShortText = ""
    source: Source = Source.FILE
    taken_at: UtcDateTime
    # The JPEG thumbnail the photographing device made (uploaded with the record): other devices fetch it
    # first and the photo itself only when it is opened.
    thumbnail_sha256: Sha256Hex | None = None

    @model_validator(mode="after")
    def _kind_and_size(self) -> Self:
        kind = KINDS.get(self.media_type)
        if kind is None:
            raise ValueError(f"media type must be one of {', '.join(KINDS)}")
        if self.byte_size > kind.max_bytes:
            raise ValueError(f"a {kind.words} may have at most {kind.max_bytes // MiB} MB")
        if self.source is Source.CAMERA and not kind.is_image:
            raise ValueError("the camera makes photos, not documents")
        if self.thumbnail_sha256 is not None and not kind.is_image:
            raise ValueError("only a photo has a thumbnail")
        return self

    @property
    def kind(self) -> AttachmentKind:
        """The kind of file (its words, its limits)."""
        return KINDS[self.media_type]
