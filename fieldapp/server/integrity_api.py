"""The API's integrity routes for the office: the integrity log, and one signature checked part by part.

Installed by ``api.create_app``. This module does not use postponed annotations: the routes are defined
inside ``install`` with the API's dependencies, and FastAPI reads their annotations as objects.
"""

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import FastAPI, Query, Request

from fieldapp.server.database import Database
from fieldapp.server.errors import ApiError
from fieldapp.server.schemas import IntegrityEntry, SignatureCheck
from fieldapp.server.services import integrity, integrity_log
from fieldapp.server.services.auth import Principal
from fieldapp.sync.protocol import PushRequest

REFUSED_SIGNATURE = "signature_mismatch"


def install(app: FastAPI) -> None:
    """Add the routes to the app (after ``api`` is imported: they use its dependencies)."""
    from fieldapp.server.api import Now, Office, Reads

    @app.get("/admin/integrity", response_model=list[IntegrityEntry], tags=["integrity"])
    def integrity_problems(
        who: Office, session: Reads, limit: Annotated[int, Query(ge=1, le=integrity_log.MAX_LIST)] = 200
    ) -> list[IntegrityEntry]:
        """Integrity problems found (files, signatures, audit chains), newest first, with their chain."""
        return [IntegrityEntry.model_validate(row) for row in integrity_log.problems(session, limit)]

    @app.get("/admin/signatures/{signature_id}/check", response_model=SignatureCheck, tags=["integrity"])
    def check_signature(signature_id: uuid.UUID, who: Office, request: Request, now: Now) -> SignatureCheck:
        """Which parts of a signature still match what was captured at signing (strokes, image bytes vs
        image hash, signer/role/meaning, attested content, record, the digest itself); what does not is
        written to the integrity log."""
        database: Database = request.app.state.database
        with database.read() as session:
            report = integrity.check_signature(session, signature_id)
        if report.findings:
            integrity_log.report(database, report.findings, "api", who.user_id, now)
        return SignatureCheck.model_validate(report.as_json())


def note_refused_signatures(
    database: Database, refusal: ApiError, body: PushRequest, who: Principal, now: datetime
) -> None:
    """A push refused because a signature did not match its digest: the integrity log keeps that it was
    tried, by whom, and which parts (the push itself stored nothing)."""
    records = {m.mutation_id: m.record_id for m in body.mutations}
    findings = [
        integrity.Finding("signature", str(records[r.mutation_id]), "arrival", r.message)
        for r in refusal.rejected
        if r.code == REFUSED_SIGNATURE and r.mutation_id in records
    ]
    if findings:
        integrity_log.report(database, findings, "push", who.user_id, now)
