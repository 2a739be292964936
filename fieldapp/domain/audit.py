"""The device audit trail's content rules: what is recorded, and the hash chain that makes gaps visible.

Each entry's hash covers its content and the previous entry's hash, so an entry removed, changed or
inserted on the device breaks the chain at that point; the server recomputes every hash it receives and
marks where the chain it holds for a device does not continue (see docs/decisions/0011).
Entries name records by id and fields by name, never patient data.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64
MAX_DETAIL = 500


class AuditAction(StrEnum):
    """What a person (or the device for them) did."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    LOCK = "lock"
    UNLOCK = "unlock"
    UNLOCK_FAILED = "unlock_failed"
    VIEW = "view"
    EDIT = "edit"
    EXPORT = "export"
    PRINT = "print"
    SYNC = "sync"
    SYNC_FAILED = "sync_failed"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class AuditContent:
    """The hashed content of one entry (everything but its own hash)."""

    id: uuid.UUID
    seq: int
    at_ms: int
    username: str
    action: AuditAction
    entity: str | None
    record_id: uuid.UUID | None
    detail: str
    prev_hash: str

    @classmethod
    def of(cls, entry: Any, at_ms: int) -> AuditContent:
        """The content of an entry as a table row or a message holds it (``id``, ``seq``, ``username``,
        ``action`` as its text, ``entity``, ``record_id``, ``detail``, ``prev_hash``), its time given in
        milliseconds however it was stored."""
        return cls(
            entry.id,
            entry.seq,
            at_ms,
            entry.username,
            AuditAction(entry.action),
            entry.entity,
            entry.record_id,
            entry.detail,
            entry.prev_hash,
        )

    def digest(self) -> str:
        """SHA-256 (hex) of the canonical JSON of the content, previous hash included."""
        canonical = json.dumps(
            [
                str(self.id),
                self.seq,
                self.at_ms,
                self.username,
                self.action.value,
                self.entity,
                str(self.record_id) if self.record_id else None,
                self.detail,
                self.prev_hash,
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def clip_detail(detail: str) -> str:
    """A detail fit for the log: one line without control characters, at most ``MAX_DETAIL`` characters."""
    flat = " ".join(_printable(detail).split())
    return flat if len(flat) <= MAX_DETAIL else flat[: MAX_DETAIL - 1] + "…"


def clean_username(username: str) -> str:
    """A user name fit for the log (a refused sign-in records whatever was typed): printable, 1-64 chars."""
    return " ".join(_printable(username).split())[:64] or "?"


def _printable(text: str) -> str:
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text)
