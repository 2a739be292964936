"""``/admin/integrity`` and ``/admin/signatures/{id}/check``: the integrity log for the office, and one
signature checked part by part."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from fieldapp.server.integrity import checks as integrity
from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.integrity.schemas import IntegrityEntry, SignatureCheck
from fieldapp.server.web.deps import DB, Now, Office, Reads

router = APIRouter(tags=["integrity"])


@router.get("/admin/integrity", response_model=list[IntegrityEntry])
def integrity_problems(
    who: Office, session: Reads, limit: Annotated[int, Query(ge=1, le=integrity_log.MAX_LIST)] = 200
) -> list[IntegrityEntry]:
    """Integrity problems found (files, signatures, audit chains), newest first, with their chain."""
    return [IntegrityEntry.model_validate(row) for row in integrity_log.problems(session, limit)]


@router.get("/admin/signatures/{signature_id}/check", response_model=SignatureCheck)
def check_signature(signature_id: uuid.UUID, who: Office, database: DB, now: Now) -> SignatureCheck:
    """Which parts of a signature still match what was captured at signing (strokes, image bytes vs
    image hash, signer/role/meaning, attested content, record, the digest itself); what does not is
    written to the integrity log."""
    with database.read() as session:
        report = integrity.check_signature(session, signature_id)
    if report.findings:
        integrity_log.report(database, report.findings, "api", who.user_id, now)
    return SignatureCheck.model_validate(report.as_json())
