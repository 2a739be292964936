"""What binds a signature together: one canonical digest over everything captured at signing.

The tablet computes the digest when the signature is made and saves it with the signature; the server
recomputes it on arrival (and refuses a signature it does not match), and anyone holding the record can
recompute it later (the office pages, ``fieldapp admin verify``). The digest is a SHA-256 over one
SHA-256 per part, so a check can say *which* part no longer matches:

* strokes: every pen sample (x, y, time, pressure), in order;
* image: the SHA-256 of the rendered PNG (the bytes themselves are checked against it where they are held);
* signer: the signer's name and role, the meaning of the signature (the text they agreed to), or the
  reason they could not sign;
* content: the SHA-256 of the visit content the signature attests (``fieldapp.domain.attestation``);
* record: which signature, visit and patient, and when it was signed.

Every part is computed from the signature's wire values (``model_dump(mode="json")``, which is also what
the server stores), so a stored record that no longer even parses can still be checked part by part.
See docs/decisions/0016-signature-digest-and-integrity.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import ValidationError as PydanticValidationError

from fieldapp.domain.merge import canonical
from fieldapp.domain.values import Frozen, Sha256Hex

DIGEST_VERSION: Literal[1] = 1


class SignaturePart(StrEnum):
    """A part of what was captured at signing, each with its own SHA-256 in the digest."""

    STROKES = "strokes"
    IMAGE = "image"
    SIGNER = "signer"
    CONTENT = "content"
    RECORD = "record"


PART_WORDS: Mapping[SignaturePart, str] = {
    SignaturePart.STROKES: "the pen strokes (points, times, pressure)",
    SignaturePart.IMAGE: "the image reference (the SHA-256 of the rendered PNG)",
    SignaturePart.SIGNER: "the signer, their role and the meaning of the signature",
    SignaturePart.CONTENT: "the digest of the attested visit content",
    SignaturePart.RECORD: "which visit and patient, and the signing time",
}

_SIGNER_FIELDS = ("signer_name", "signer_role", "meaning", "unable_reason")
_RECORD_FIELDS = ("visit_id", "patient_id", "signed_at")


class SignatureDigest(Frozen):
    """The digest made at signing: one SHA-256 per part, and ``sha256`` over all of them."""

    version: Literal[1] = DIGEST_VERSION
    strokes: Sha256Hex
    image: Sha256Hex | None
    signer: Sha256Hex
    content: Sha256Hex
    record: Sha256Hex
    sha256: Sha256Hex


def part_digests(record_id: str, values: Mapping[str, Any]) -> dict[SignaturePart, str | None]:
    """The SHA-256 of each part, from a signature's wire values (a missing field counts as null)."""
    return {
        SignaturePart.STROKES: _hash_part("strokes", values.get("strokes")),
        SignaturePart.IMAGE: _text_or_none(values.get("image_sha256")),
        SignaturePart.SIGNER: _hash_part("signer", {name: values.get(name) for name in _SIGNER_FIELDS}),
        SignaturePart.CONTENT: _text_or_none(values.get("content_sha256")),
        SignaturePart.RECORD: _hash_part(
            "record", {"id": record_id, **{name: values.get(name) for name in _RECORD_FIELDS}}
        ),
    }


def digest_of(record_id: str, values: Mapping[str, Any]) -> SignatureDigest:
    """The digest of a signature's wire values (its own ``digest`` field, if any, is ignored)."""
    parts = part_digests(record_id, values)
    body = {part.value: parts[part] for part in SignaturePart}
    return SignatureDigest.model_validate({**body, "sha256": _overall(parts)})


@dataclass(frozen=True, slots=True)
class DigestCheck:
    """How a stored signature compares with the digest made at signing."""

    made_before_digests: bool  # no digest: signed before digests existed, nothing to compare
    changed: tuple[SignaturePart, ...] = ()  # parts whose current value no longer matches the digest
    digest_altered: bool = False  # the digest's own SHA-256 does not cover its parts (or is malformed)

    @property
    def intact(self) -> bool:
        """True when a digest exists and everything matches it."""
        return not self.made_before_digests and not self.changed and not self.digest_altered

    def problems(self) -> list[str]:
        """Plain sentences, one per mismatch (empty when intact or made before digests)."""
        found = [f"{PART_WORDS[part]} no longer match the digest made at signing" for part in self.changed]
        if self.digest_altered:
            found.append("the digest itself was altered (its SHA-256 does not cover its parts)")
        return found


def check(record_id: str, values: Mapping[str, Any]) -> DigestCheck:
    """Compare a signature's wire values (with their ``digest``) with what was digested at signing."""
    stored = values.get("digest")
    if stored is None:
        return DigestCheck(made_before_digests=True)
    try:
        digest = SignatureDigest.model_validate(stored)
    except PydanticValidationError:
        return DigestCheck(made_before_digests=False, digest_altered=True)
    recorded = {
        SignaturePart.STROKES: digest.strokes,
        SignaturePart.IMAGE: digest.image,
        SignaturePart.SIGNER: digest.signer,
        SignaturePart.CONTENT: digest.content,
        SignaturePart.RECORD: digest.record,
    }
    now = part_digests(record_id, values)
    changed = tuple(part for part in SignaturePart if now[part] != recorded[part])
    return DigestCheck(False, changed, _overall(recorded) != digest.sha256)


def _hash_part(name: str, value: Any) -> str:
    return hashlib.sha256(canonical({"part": name, "version": DIGEST_VERSION, "value": value})).hexdigest()


def _overall(parts: Mapping[SignaturePart, str | None]) -> str:
    body = {"version": DIGEST_VERSION, **{part.value: parts[part] for part in SignaturePart}}
    return hashlib.sha256(canonical(body)).hexdigest()


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None if value is None else canonical(value).decode()
