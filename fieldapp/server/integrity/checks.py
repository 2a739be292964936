"""Integrity on the server: files checked before they are served, signatures checked part by part, and
the integrity log where every failure found is written (hash-chained, once per problem).

A file is served only if its bytes hash to its name and are of the type it was stored as; otherwise the
caller gets ``FileDamaged`` (409, code ``file_damaged``) and the problem goes to the log. A signature's
report says, per part (strokes, image, signer, content, record, the digest itself), whether it still
matches what was captured at signing (``fieldapp.domain.signing``). See decision 0016.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain import attachments, files, signing
from fieldapp.domain.attestation import ATTESTED_CHILDREN, still_attests
from fieldapp.domain.care import TaskOutcome
from fieldapp.domain.entities import Observation, Visit, VisitNote, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.server.errors import Conflict, NotFound
from fieldapp.server.models import Blob, ConflictEntry, Record


@dataclass(frozen=True, slots=True)
class Finding:
    """One integrity problem: what (kind and subject), which part of it, and what is wrong, in words."""

    kind: str  # signature, file, day_report, device_audit, integrity_log
    subject: str  # a record id, a file's SHA-256, a device id
    part: str
    detail: str

    def line(self) -> str:
        """The problem as one plain line (``fieldapp admin verify`` prints these)."""
        return f"{self.kind.replace('_', ' ')} {self.subject}: {self.detail}"


class FileDamaged(Conflict):
    """A stored file that must not be served: its bytes do not match its hash or its recorded type."""

    code = "file_damaged"

    def __init__(self, finding: Finding) -> None:
        super().__init__(
            f"the stored file {finding.subject} is withheld: {finding.detail}; the office has been told "
            "(integrity log)"
        )
        self.finding = finding


# -- files ---------------------------------------------------------------------------------------------------


def file_problem(sha256: str, media_type: str, content: bytes, size: int | None = None) -> Finding | None:
    """What is wrong with a stored file (bytes vs its SHA-256 name, bytes vs its recorded type), or None."""
    actual = hashlib.sha256(content).hexdigest()
    if actual != sha256:
        return Finding(
            "file", sha256, "bytes", f"its bytes hash to {actual}, not to the name it is stored under"
        )
    kind = attachments.sniff(content[: attachments.SNIFF_BYTES])  # PNG, PDF and (attachments) JPEG
    sniffed = kind.media_type if kind else None
    if sniffed != media_type:
        what = kind.words if kind else "of no accepted type"
        return Finding("file", sha256, "media_type", f"it is stored as {media_type} but its bytes are {what}")
    if size is not None and size != len(content):
        return Finding("file", sha256, "size", f"it is stored as {size} bytes but has {len(content)}")
    return None


def checked_file(blob: Blob) -> Blob:
    """``blob`` if it may be served; raises FileDamaged (with the finding) otherwise."""
    finding = file_problem(blob.sha256, blob.media_type, blob.content, blob.size)
    if finding is not None:
        raise FileDamaged(finding)
    return blob


def file_of(session: Session, sha256: str) -> Blob:
    """A stored file after its check (NotFound if it was never uploaded, FileDamaged if it is altered)."""
    blob = session.get(Blob, sha256)
    if blob is None:
        raise NotFound("the file has not been uploaded")
    return checked_file(blob)


# -- signatures ----------------------------------------------------------------------------------------------

OK, MISMATCH, MISSING, NOT_RECORDED, NONE = "ok", "mismatch", "missing", "not recorded", "none"


@dataclass(frozen=True, slots=True)
class ImageFacts:
    """What the server holds for a signature's image: present, and its problem if it is damaged."""

    present: bool
    problem: Finding | None = None
    media_type: str | None = None


@dataclass
class SignatureReport:
    """Per part of a signature, whether it still matches what was captured at signing, in words too."""

    signature_id: uuid.UUID
    visit_id: uuid.UUID | None
    made_before_digests: bool
    parts: dict[str, str] = field(default_factory=dict)  # part -> ok, mismatch, missing, not recorded, none
    problems: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    content_flagged_on_arrival: bool = False

    @property
    def intact(self) -> bool:
        """Nothing found wrong (a signature made before digests can still be intact in what is checked)."""
        return not self.findings

    def as_json(self) -> dict[str, Any]:
        """The report as the API answers it."""
        return {
            "signature_id": str(self.signature_id),
            "visit_id": str(self.visit_id) if self.visit_id else None,
            "status": "altered"
            if self.findings
            else "made_before_digests"
            if self.made_before_digests
            else "intact",
            "made_before_digests": self.made_before_digests,
            "parts": self.parts,
            "problems": self.problems,
        }


def signature_report(
    record_id: uuid.UUID,
    values: Mapping[str, Any],
    image: ImageFacts | None,
    content_matches: bool | None,
) -> SignatureReport:
    """Check one signature's stored values against its digest, its image bytes and the visit content.

    ``image`` is None for a signature without an image; ``content_matches`` None when the visit could
    not be read (reported as a mismatch of the content)."""
    subject = str(record_id)
    visit_id = uuid_or_none(values.get("visit_id"))
    sealed = signing.check(subject, values)
    report = SignatureReport(record_id, visit_id, sealed.made_before_digests)
    for part in (signing.SignaturePart.STROKES, signing.SignaturePart.SIGNER, signing.SignaturePart.RECORD):
        report.parts[part.value] = _digest_status(sealed, part)
    report.parts["digest"] = (
        NOT_RECORDED if sealed.made_before_digests else MISMATCH if sealed.digest_altered else OK
    )
    report.parts["image"] = _image_status(sealed, values, image, report)
    report.parts["content"] = _content_status(sealed, content_matches, report)
    for part in sealed.changed:
        if part in (signing.SignaturePart.IMAGE, signing.SignaturePart.CONTENT):
            continue  # reported with the image and content checks above
        report.findings.append(Finding("signature", subject, part.value, _changed(part)))
    if sealed.digest_altered:
        report.findings.append(
            Finding(
                "signature", subject, "digest", "the digest itself was altered (it does not cover its parts)"
            )
        )
    report.problems = [f.detail for f in report.findings]
    return report


def _digest_status(sealed: signing.DigestCheck, part: signing.SignaturePart) -> str:
    if sealed.made_before_digests:
        return NOT_RECORDED
    return MISMATCH if part in sealed.changed else OK


def _changed(part: signing.SignaturePart) -> str:
    return f"{signing.PART_WORDS[part]} no longer match the digest made at signing"


def _image_status(
    sealed: signing.DigestCheck, values: Mapping[str, Any], image: ImageFacts | None, report: SignatureReport
) -> str:
    subject = str(report.signature_id)
    if signing.SignaturePart.IMAGE in sealed.changed:
        report.findings.append(Finding("signature", subject, "image", _changed(signing.SignaturePart.IMAGE)))
        return MISMATCH
    if image is None:
        return NONE
    sha = values.get("image_sha256")
    if not image.present:
        report.findings.append(Finding("signature", subject, "image", f"its image {sha} is not stored"))
        return MISSING
    if image.problem is not None:
        report.findings.append(
            Finding(
                "signature",
                subject,
                "image",
                f"the image bytes do not match the image hash: {image.problem.detail}",
            )
        )
        return MISMATCH
    if image.media_type is not None and image.media_type != files.PNG:
        report.findings.append(
            Finding("signature", subject, "image", f"its image is a {image.media_type} file")
        )
        return MISMATCH
    return OK


def _content_status(sealed: signing.DigestCheck, matches: bool | None, report: SignatureReport) -> str:
    subject = str(report.signature_id)
    if signing.SignaturePart.CONTENT in sealed.changed:
        report.findings.append(
            Finding("signature", subject, "content", _changed(signing.SignaturePart.CONTENT))
        )
        return MISMATCH
    if matches:
        return OK
    detail = "the visit's content (visit, notes, vitals, tasks) differs from what was signed"
    if matches is None:
        detail = "the visit it attests cannot be read"
    report.findings.append(Finding("signature", subject, "content", detail))
    return MISMATCH


def content_matches(
    visit_values: Mapping[str, Any] | None,
    visit_id: uuid.UUID | None,
    children: Iterable[Any],  # rows with id, entity and fields (Records or selected columns)
    signature_values: Mapping[str, Any],
) -> bool | None:
    """Whether the signature's content digest matches the visit, notes and vitals held now (None: the
    visit or a child record no longer parses, itself a sign of tampering)."""
    if visit_values is None or visit_id is None:
        return None
    try:
        visit = parse(Visit, {"id": str(visit_id), **visit_values})
        notes = [
            parse(VisitNote, {"id": str(c.id), **c.fields}) for c in children if c.entity == "visit_note"
        ]
        vitals = [
            parse(Observation, {"id": str(c.id), **c.fields}) for c in children if c.entity == "observation"
        ]
        outcomes = [
            parse(TaskOutcome, {"id": str(c.id), **c.fields}) for c in children if c.entity == "task_outcome"
        ]
        signed_at = datetime.fromisoformat(str(signature_values["signed_at"]))
    except (ValidationError, KeyError, ValueError):
        return None
    sha = str(signature_values.get("content_sha256"))
    return still_attests(visit, notes, vitals, signed_at, sha, outcomes)


def image_facts(session: Session, values: Mapping[str, Any]) -> ImageFacts | None:
    """The stored image of a signature, checked (None when the signature has no image)."""
    sha = values.get("image_sha256")
    if not sha:
        return None
    blob = session.get(Blob, str(sha))
    if blob is None:
        return ImageFacts(False)
    problem = file_problem(blob.sha256, blob.media_type, blob.content, blob.size)
    return ImageFacts(True, problem, blob.media_type)


def check_signature(session: Session, signature_id: uuid.UUID) -> SignatureReport:
    """One stored signature checked part by part (NotFound for an unknown id)."""
    row = session.get(Record, signature_id)
    if row is None or row.entity != "signature":
        raise NotFound(f"no signature {signature_id}")
    values = row.fields
    visit_id = uuid_or_none(values.get("visit_id"))
    visit = session.get(Record, visit_id) if visit_id else None
    children = (
        session.scalars(
            sa.select(Record).where(
                Record.parent_id == visit_id,
                Record.entity.in_(ATTESTED_CHILDREN),
                Record.deleted.is_(None),
            )
        ).all()
        if visit_id
        else []
    )
    matches = content_matches(visit.fields if visit else None, visit_id, children, values)
    report = signature_report(signature_id, values, image_facts(session, values), matches)
    report.content_flagged_on_arrival = signature_id in flagged_on_arrival(session, [signature_id])
    return report


def flagged_on_arrival(session: Session, signature_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Signatures whose content already differed when they arrived (logged then as a conflict)."""
    if not signature_ids:
        return set()
    return set(
        session.scalars(
            sa.select(ConflictEntry.record_id).where(
                ConflictEntry.reason == "attestation_mismatch", ConflictEntry.record_id.in_(signature_ids)
            )
        )
    )


def uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
