"""What a push brings besides field values: the stored file a new record names, and a new signature's
digest (decision 0016). Each check raises ``Refused`` with the reason the device is told."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain import files, signing
from fieldapp.domain.merge import RecordState
from fieldapp.server.core.refusal import Refused
from fieldapp.server.models import Blob
from fieldapp.sync.protocol import Mutation


def check_file(session: Session, entity: str, sha: str, declared: str | None = None) -> None:
    """The file a new record names is stored, and of the type that record takes (an attachment: the
    type it declares)."""
    media_type = session.scalar(sa.select(Blob.media_type).where(Blob.sha256 == sha))
    if media_type is None:
        raise Refused("blob_missing", f"upload the file {sha} before the record that references it")
    if entity in ("attachment", "thumbnail"):  # an attachment's file, or its photo's thumbnail
        if media_type != declared:
            raise Refused("wrong_file_type", f"the file {sha} is {media_type}, not {declared}")
        return
    kind = files.KIND_OF_ENTITY[entity]
    if media_type != kind.media_type:
        raise Refused(
            "wrong_file_type",
            f"a {entity.replace('_', ' ')} takes a {kind.words}; the file {sha} is {media_type}",
            {kind.field: f"must name a {kind.media_type} file"},
        )


def check_signature(mutation: Mutation, existed: bool, held: RecordState, record: Any) -> None:
    """A new signature arrives bound by the digest made at signing, and matching it (decision 0016);
    a digest is never added to a signature stored before digests existed."""
    if existed:
        if "digest" in mutation.changes and "digest" not in held.fields:
            raise Refused("immutable", "a signature's digest is made at signing, never added later")
        return
    if record.digest is None:
        raise Refused(
            "digest_missing",
            "the signature carries no digest binding what was captured; update the tablet's app",
            {"digest": "required"},
        )
    sealed = signing.check(str(mutation.record_id), record.model_dump(mode="json"))
    if not sealed.intact:
        raise Refused(
            "signature_mismatch",
            "the signature does not match its digest: " + "; ".join(sealed.problems()),
            {part.value: "does not match the digest" for part in sealed.changed}
            | ({"digest": "does not cover its parts"} if sealed.digest_altered else {}),
        )
