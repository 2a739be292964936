"""The integrity log: every integrity failure the server finds, written once, each entry hash-chained to
the one before it (like the devices' audit logs), so an entry removed, changed or inserted later shows.

Writers take the ``integrity_seq`` counter row's lock first, so they append one after another and the
chain never forks (on SQLite the write lock does the same). ``fieldapp admin verify`` checks the chain.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.audit import GENESIS
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.database import Database
from fieldapp.server.errors import ApiError
from fieldapp.server.integrity.checks import Finding, uuid_or_none
from fieldapp.server.models import Counter, IntegrityProblem, Record
from fieldapp.sync.protocol import PushRequest

INTEGRITY_SEQ = "integrity_seq"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_LIST = 1000


def entry_hash(
    seq: int,
    found_at_ms: int,
    found_by: str,
    kind: str,
    subject: str,
    part: str,
    detail: str,
    user_id: uuid.UUID | None,
    prev_hash: str,
) -> str:
    """The SHA-256 of one log entry's content, chained to the previous entry's hash."""
    body = [
        seq,
        found_at_ms,
        found_by,
        kind,
        subject,
        part,
        detail,
        str(user_id) if user_id else None,
        prev_hash,
    ]
    return hashlib.sha256(orjson.dumps(body)).hexdigest()


def entry_digest(row: IntegrityProblem) -> str:
    """Recompute a stored entry's hash from its content."""
    return entry_hash(row.seq, _ms(row.found_at), *_said(row), row.prev_hash)


def _said(row: IntegrityProblem) -> tuple[str, str, str, str, str, uuid.UUID | None]:
    """What a stored entry says: who found what, about which subject and part, and whose it was."""
    return row.found_by, row.kind, row.subject, row.part, row.detail, row.user_id


def record(
    session: Session, findings: Iterable[Finding], found_by: str, user_id: uuid.UUID | None, now: datetime
) -> int:
    """Append the findings not yet in the log (same kind, subject, part and detail); returns how many.

    Takes the log's counter row lock first, so concurrent writers append one after another and the
    chain never forks."""
    wanted = list(dict.fromkeys(findings))
    if not wanted:
        return 0
    last = session.scalar(sa.select(Counter.value).where(Counter.name == INTEGRITY_SEQ).with_for_update())
    if last is None:
        raise RuntimeError("the integrity counter is missing: run the server migrations")
    subjects = {f.subject for f in wanted}
    known = {
        tuple(row)
        for row in session.execute(
            sa.select(
                IntegrityProblem.kind,
                IntegrityProblem.subject,
                IntegrityProblem.part,
                IntegrityProblem.detail,
            ).where(IntegrityProblem.subject.in_(subjects))
        )
    }
    fresh = [f for f in wanted if (f.kind, f.subject, f.part, f.detail[:500]) not in known]
    if not fresh:
        return 0
    prev = session.scalar(sa.select(IntegrityProblem.hash).where(IntegrityProblem.seq == last)) or GENESIS
    found_at = now.replace(microsecond=now.microsecond // 1000 * 1000)  # whole milliseconds: hashed as ms
    for offset, finding in enumerate(fresh, start=1):
        seq, detail = last + offset, finding.detail[:500]
        digest = entry_hash(
            seq, _ms(found_at), found_by, finding.kind, finding.subject, finding.part, detail, user_id, prev
        )
        session.add(
            IntegrityProblem(
                seq=seq,
                found_at=found_at,
                found_by=found_by,
                kind=finding.kind,
                subject=finding.subject[:64],
                part=finding.part[:32],
                detail=detail,
                user_id=user_id,
                prev_hash=prev,
                hash=digest,
            )
        )
        prev = digest
    session.execute(sa.update(Counter).where(Counter.name == INTEGRITY_SEQ).values(value=last + len(fresh)))
    return len(fresh)


def report(
    database: Database, findings: Iterable[Finding], found_by: str, user_id: uuid.UUID | None, now: datetime
) -> int:
    """``record`` in a transaction of its own (for read routes that found a problem)."""
    with database.write() as session:
        return record(session, findings, found_by, user_id, now)


def problems(session: Session, limit: int = 200) -> list[IntegrityProblem]:
    """The newest entries of the integrity log first."""
    statement = sa.select(IntegrityProblem).order_by(IntegrityProblem.seq.desc())
    return list(session.scalars(statement.limit(max(1, min(limit, MAX_LIST)))))


def count(session: Session) -> int:
    """How many problems the log holds."""
    return session.scalar(sa.select(sa.func.count()).select_from(IntegrityProblem)) or 0


def _ms(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(milliseconds=1)  # exact: no float on the way


@dataclass(frozen=True, slots=True)
class ProblemRow:
    """One integrity-log entry for the office page, with the record it is about where one is known."""

    seq: int
    found_at: datetime
    found_by: str
    kind: str
    subject: str
    part: str
    detail: str
    user_id: uuid.UUID | None
    hash: str
    visit_id: uuid.UUID | None  # the visit a signature (or a signature's image) belongs to
    report_id: uuid.UUID | None  # the day report a PDF belongs to


def problem_rows(session: Session, limit: int = 200) -> list[ProblemRow]:
    """The newest problems first, each with the visit or day report it concerns (for links)."""
    rows = problems(session, limit)
    ids = {uid for uid in (uuid_or_none(r.subject) for r in rows if r.kind != "file") if uid}
    shas = {r.subject for r in rows if r.kind == "file"}
    holders = (
        session.execute(
            sa.select(Record.id, Record.entity, Record.parent_id, Record.blob_sha256).where(
                sa.or_(Record.id.in_(ids), Record.blob_sha256.in_(shas))
            )
        ).all()
        if ids or shas
        else []
    )
    by_id = {h.id: h for h in holders}
    by_sha = {h.blob_sha256: h for h in holders if h.blob_sha256}
    found = []
    for row in rows:
        holder = by_sha.get(row.subject) if row.kind == "file" else by_id.get(uuid_or_none(row.subject))
        visit_id = report_id = None
        if holder is not None and holder.entity == "signature":
            visit_id = holder.parent_id
        elif holder is not None and holder.entity == "day_report":
            report_id = holder.id
        found.append(ProblemRow(row.seq, row.found_at, *_said(row), row.hash, visit_id, report_id))
    return found


REFUSED_SIGNATURE = "signature_mismatch"


def note_refused_signatures(
    database: Database, refusal: ApiError, body: PushRequest, who: Principal, now: datetime
) -> None:
    """A push refused because a signature did not match its digest: the integrity log keeps that it was
    tried, by whom, and which parts (the push itself stored nothing)."""
    records = {m.mutation_id: m.record_id for m in body.mutations}
    findings = [
        Finding("signature", str(records[r.mutation_id]), "arrival", r.message)
        for r in refusal.rejected
        if r.code == REFUSED_SIGNATURE and r.mutation_id in records
    ]
    if findings:
        report(database, findings, "push", who.user_id, now)
