"""``fieldapp admin verify``: everything the server holds checked against its hashes, in one pass.

* every file: its bytes against the SHA-256 it is stored under, and against the type it is stored as;
* every signature: its digest and each part (``integrity.signature_report``), its image, and the visit
  content it attests;
* every day report: its PDF present, a PDF, and intact;
* the devices' audit logs as uploaded: each entry's hash recomputed from its content, each entry linked to
  the one before it (a break the server already flagged at upload is a note, not a new problem);
* the server's own integrity log: the same chain check.

Work is done in chunks with a few queries each (ids first, then ``IN`` lists), so a year of an agency's
records is read once; ``benchmarks/verify.py`` measures it against plain SHA-256 over the same bytes.
"""

from __future__ import annotations

import time as clock
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain import files
from fieldapp.domain.attestation import ATTESTED_CHILDREN
from fieldapp.domain.audit import GENESIS, AuditContent
from fieldapp.server.database import Database
from fieldapp.server.integrity import checks as integrity
from fieldapp.server.integrity import problems as integrity_log
from fieldapp.server.integrity.checks import Finding, ImageFacts
from fieldapp.server.models import Blob, DeviceAuditEvent, IntegrityProblem, Record

CHUNK = 500
FILE_CHUNK = 64  # files are read with their bytes: a few MB per query at most
EPOCH = integrity_log.EPOCH


@dataclass
class Outcome:
    """What a verification found, and how much it looked at."""

    problems: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # known and already shown to the office, not new
    checked: dict[str, int] = field(default_factory=dict)
    made_before_digests: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: what was checked, how long it took, and how many problems."""
        parts = ", ".join(f"{n} {what}" for what, n in self.checked.items())
        older = (
            f" ({self.made_before_digests} signatures made before digests)"
            if self.made_before_digests
            else ""
        )
        found = f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        return f"checked {parts}{older} in {self.seconds:.1f} s: {found}"


def verify(session: Session, since: datetime | None = None) -> Outcome:
    """Check everything (or what arrived or changed since ``since``); nothing is written."""
    started = clock.perf_counter()
    outcome = Outcome()
    cache: dict[str, ImageFacts] = {}
    outcome.checked["files"] = _files(session, since, cache, outcome)
    outcome.checked["signatures"] = _signatures(session, since, cache, outcome)
    outcome.checked["day reports"] = _day_reports(session, since, cache, outcome)
    entries, devices = _device_logs(session, since, outcome)
    outcome.checked["audit entries"] = entries
    outcome.checked["devices"] = devices
    outcome.checked["integrity log entries"] = _integrity_log(session, since, outcome)
    outcome.seconds = clock.perf_counter() - started
    return outcome


# -- files ---------------------------------------------------------------------------------------------------


def _files(session: Session, since: datetime | None, cache: dict[str, ImageFacts], outcome: Outcome) -> int:
    query = sa.select(Blob.sha256)
    if since is not None:
        query = query.where(Blob.created_at >= since)
    names = list(session.scalars(query.order_by(Blob.sha256)))
    for chunk in _chunks(names, FILE_CHUNK):
        facts = _load_files(session, chunk)
        cache.update(facts)
        outcome.problems.extend(f.problem for f in facts.values() if f.problem is not None)
    return len(names)


def _load_files(session: Session, names: Sequence[str]) -> dict[str, ImageFacts]:
    rows = session.execute(
        sa.select(Blob.sha256, Blob.media_type, Blob.size, Blob.content).where(Blob.sha256.in_(names))
    )
    found = {
        sha: ImageFacts(True, integrity.file_problem(sha, media_type, content, size), media_type)
        for sha, media_type, size, content in rows
    }
    return {name: found.get(name, ImageFacts(False)) for name in names}


def _facts(session: Session, names: set[str], cache: dict[str, ImageFacts]) -> dict[str, ImageFacts]:
    """Checked facts of ``names``, reading (and hashing) only those not checked in this run yet."""
    unknown = sorted(name for name in names if name not in cache)
    for chunk in _chunks(unknown, FILE_CHUNK):
        cache.update(_load_files(session, chunk))
    return {name: cache[name] for name in names}


# -- signatures ----------------------------------------------------------------------------------------------


def _signatures(
    session: Session, since: datetime | None, cache: dict[str, ImageFacts], outcome: Outcome
) -> int:
    ids = _record_ids(session, "signature", since)
    for rows in _pages(session, ids):
        visit_ids = {v for v in (integrity.uuid_or_none(f.get("visit_id")) for _, f in rows) if v}
        visits = _fields_by_id(session, visit_ids)
        children = _children(session, visit_ids)
        images = _facts(session, {str(f["image_sha256"]) for _, f in rows if f.get("image_sha256")}, cache)
        flagged = integrity.flagged_on_arrival(session, [record_id for record_id, _ in rows])
        for record_id, values in rows:
            visit_id = integrity.uuid_or_none(values.get("visit_id"))
            sha = values.get("image_sha256")
            matches = integrity.content_matches(
                visits.get(visit_id) if visit_id else None,
                visit_id,
                children.get(visit_id, []) if visit_id else [],
                values,
            )
            report = integrity.signature_report(record_id, values, images[str(sha)] if sha else None, matches)
            outcome.made_before_digests += report.made_before_digests
            for finding in report.findings:
                if finding.part == "content" and record_id in flagged and matches is False:
                    outcome.notes.append(f"{finding.line()} (already so when it arrived; flagged then)")
                else:
                    outcome.problems.append(finding)
    return len(ids)


def _record_ids(session: Session, entity: str, since: datetime | None) -> list[uuid.UUID]:
    query = sa.select(Record.id).where(Record.entity == entity)
    if since is not None:
        query = query.where(Record.updated_at >= since)
    return list(session.scalars(query.order_by(Record.id)))


def _fields_by_id(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for rows in _pages(session, sorted(ids)):
        found.update(rows)
    return found


def _pages(session: Session, ids: Sequence[uuid.UUID]) -> Iterator[Sequence[sa.Row[uuid.UUID, Any]]]:
    """The records' ids and fields, a chunk of ids at a time."""
    for chunk in _chunks(ids):
        yield session.execute(sa.select(Record.id, Record.fields).where(Record.id.in_(chunk))).all()


def _children(session: Session, visit_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[Any]]:
    """The live notes and vitals of the visits (id, entity, fields: the columns the check reads)."""
    children: dict[uuid.UUID, list[Any]] = {}
    for chunk in _chunks(sorted(visit_ids)):
        rows = session.execute(
            sa.select(Record.id, Record.entity, Record.parent_id, Record.fields).where(
                Record.parent_id.in_(chunk),
                Record.entity.in_(ATTESTED_CHILDREN),
                Record.deleted.is_(None),
            )
        )
        for row in rows:
            children.setdefault(row.parent_id, []).append(row)
    return children


# -- day reports ---------------------------------------------------------------------------------------------


def _day_reports(
    session: Session, since: datetime | None, cache: dict[str, ImageFacts], outcome: Outcome
) -> int:
    ids = _record_ids(session, "day_report", since)
    for rows in _pages(session, ids):
        pdfs = _facts(session, {str(f.get("pdf_sha256")) for _, f in rows}, cache)
        for record_id, values in rows:
            sha = str(values.get("pdf_sha256"))
            facts = pdfs[sha]
            detail = None
            if not facts.present:
                detail = f"its PDF {sha} is not stored"
            elif facts.problem is not None:
                detail = f"its PDF {sha} is damaged: {facts.problem.detail}"
            elif facts.media_type != files.PDF:
                detail = f"its PDF {sha} is stored as {facts.media_type}"
            if detail:
                outcome.problems.append(Finding("day_report", str(record_id), "pdf", detail))
    return len(ids)


# -- audit chains --------------------------------------------------------------------------------------------


_AUDIT_COLUMNS = (
    DeviceAuditEvent.id,
    DeviceAuditEvent.device_id,
    DeviceAuditEvent.seq,
    DeviceAuditEvent.at,
    DeviceAuditEvent.username,
    DeviceAuditEvent.action,
    DeviceAuditEvent.entity,
    DeviceAuditEvent.record_id,
    DeviceAuditEvent.detail,
    DeviceAuditEvent.prev_hash,
    DeviceAuditEvent.hash,
    DeviceAuditEvent.chain_ok,
)


def _device_logs(session: Session, since: datetime | None, outcome: Outcome) -> tuple[int, int]:
    query = sa.select(*_AUDIT_COLUMNS).order_by(
        DeviceAuditEvent.device_id, DeviceAuditEvent.seq, DeviceAuditEvent.received_at
    )
    if since is not None:
        query = query.where(DeviceAuditEvent.received_at >= since)
    checked, devices = 0, 0
    previous: Any = None
    device: str | None = None
    for row in session.execute(query.execution_options(yield_per=5000)):
        if row.device_id != device:
            device, devices = row.device_id, devices + 1
            previous = _entry_before(session, row) if since is not None else None
        checked += 1
        _check_device_entry(row, previous, outcome)
        previous = row
    return checked, devices


def _entry_before(session: Session, row: Any) -> Any:
    return session.execute(
        sa.select(*_AUDIT_COLUMNS)
        .where(DeviceAuditEvent.device_id == row.device_id, DeviceAuditEvent.seq < row.seq)
        .order_by(DeviceAuditEvent.seq.desc(), DeviceAuditEvent.received_at.desc())
        .limit(1)
    ).first()


def _check_device_entry(row: Any, previous: Any, outcome: Outcome) -> None:
    where = f"entry {row.seq}"
    try:
        content = AuditContent.of(row, (row.at - EPOCH) // timedelta(milliseconds=1))
        intact = content.digest() == row.hash
    except ValueError:
        intact = False
    if not intact:
        outcome.problems.append(
            Finding(
                "device_audit",
                row.device_id,
                "entry",
                f"{where} was changed after it arrived (its hash does not match its content)",
            )
        )
    expected_hash, expected_seq = (previous.hash, previous.seq + 1) if previous else (GENESIS, 1)
    follows = row.prev_hash == expected_hash and row.seq == expected_seq
    if previous is None and row.seq != 1:
        follows = row.chain_ok  # the first entry held: only the upload's own verdict is known
    if follows:
        return
    after = f"entry {previous.seq}" if previous else "the start of the log"
    if not row.chain_ok:
        outcome.notes.append(
            f"device audit {row.device_id}: {where} does not follow {after} (flagged at upload)"
        )
        return
    outcome.problems.append(
        Finding(
            "device_audit",
            row.device_id,
            "chain",
            f"{where} does not follow {after}, though it did when it arrived: entries were removed, "
            "inserted or changed on the server",
        )
    )


def _integrity_log(session: Session, since: datetime | None, outcome: Outcome) -> int:
    query = sa.select(IntegrityProblem).order_by(IntegrityProblem.seq)
    previous_hash, expected = GENESIS, 1
    if since is not None:
        query = query.where(IntegrityProblem.found_at >= since)
        first = session.scalar(
            sa.select(sa.func.min(IntegrityProblem.seq)).where(IntegrityProblem.found_at >= since)
        )
        if first is not None and first > 1:
            before = session.scalar(sa.select(IntegrityProblem).where(IntegrityProblem.seq == first - 1))
            previous_hash, expected = (before.hash, first) if before else ("", first)
    checked = 0
    for row in session.scalars(query.execution_options(yield_per=2000)):
        checked += 1
        if integrity_log.entry_digest(row) != row.hash:
            outcome.problems.append(
                Finding(
                    "integrity_log",
                    str(row.seq),
                    "entry",
                    f"entry {row.seq} was changed (its hash does not match its content)",
                )
            )
        if row.prev_hash != previous_hash or row.seq != expected:
            outcome.problems.append(
                Finding(
                    "integrity_log",
                    str(row.seq),
                    "chain",
                    f"entry {row.seq} does not follow entry {expected - 1}: entries were removed or inserted",
                )
            )
        previous_hash, expected = row.hash, row.seq + 1
    return checked


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- the command -------------------------------------------------------------------------------------------


def since_date(text: str, today: date) -> date:
    """``--since``: a calendar date (YYYY-MM-DD), not in the future; ValueError with a sentence otherwise."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"--since takes a date such as 2026-11-26, not {text[:40]!r}") from None
    if day > today:
        raise ValueError(f"--since {day.isoformat()} is in the future; give a day up to {today.isoformat()}")
    return day


def run(database: Database, since: date | None, zone: str, out: TextIO) -> int:
    """Verify, print each problem on its own line and a summary, write the problems to the integrity log;
    returns how many problems there are (the command exits 11 when any)."""
    start = datetime.combine(since, time(0), tzinfo=ZoneInfo(zone)) if since else None
    with database.read() as session:
        if database.dialect == "postgresql":  # one snapshot for the whole run
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        outcome = verify(session, start)
    for finding in outcome.problems:
        print(finding.line(), file=out)
    for note in outcome.notes:
        print(f"note: {note}", file=out)
    print(outcome.summary(), file=out)
    if outcome.problems:
        integrity_log.report(database, outcome.problems, "verify", None, datetime.now(UTC))
    return len(outcome.problems)
