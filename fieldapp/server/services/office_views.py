"""Read models of the back-office web pages (fieldapp.server.office): plain dataclasses, built with a few
indexed queries per page.

Every list is paginated and searched in the database (never all records loaded into Python for a page):
patients by name or MRN, caseloads, conflicts. Day-based views (visits board, day reports) read one day
of visits by the (entity, worker, day) index and their notes, vitals and signatures by the visit index.
Times are returned zone-aware in UTC; the pages show them in the agency's time zone.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.attestation import record_digest, still_attests
from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import Observation, Visit, VisitNote, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.evv import EvvElement, missing_evv
from fieldapp.domain.merge import FieldRule, rules_for
from fieldapp.domain.text import fold
from fieldapp.domain.values import VisitStatus
from fieldapp.server.errors import NotFound
from fieldapp.server.models import Assignment, Blob, ConflictEntry, DayReportReceipt, Device, Record, User
from fieldapp.server.services import fleet as fleet_service
from fieldapp.server.services import integrity
from fieldapp.sync.protocol import Role

PER_PAGE = 50
MAX_QUERY = 100
BROWSER_PREFIX = "web"  # device ids of office browser sessions (fieldapp.server.services.office_auth)
WORKED = frozenset({VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED})
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a longer list."""

    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)


# -- patients ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PatientRow:
    """A patient in a list."""

    id: uuid.UUID
    mrn: str
    name: str
    date_of_birth: str
    phone: str
    city: str
    active: bool
    workers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VisitBrief:
    """A visit in a patient's or worker's history."""

    id: uuid.UUID
    scheduled_start: datetime
    worker: str
    service_code: str
    status: str


@dataclass(frozen=True, slots=True)
class PatientDetail:
    """A patient's record as the server holds it, with the stamps the edit form carries."""

    id: uuid.UUID
    values: dict[str, Any]
    stamps: dict[str, str]
    deleted: bool
    workers: list[tuple[uuid.UUID, str]]
    visits: list[VisitBrief]
    open_conflicts: int

    @property
    def name(self) -> str:
        return f"{self.values.get('family_name', '')}, {self.values.get('given_name', '')}"


def _text(column: str) -> sa.ColumnElement[str]:
    return Record.fields[column].as_string()


def _patient_filter(session: Session, query: str) -> sa.ColumnElement[bool]:
    """Every word of ``query`` in the family name, given name or MRN: literal substrings of the record's
    stored search text, accents and case folded like the tablet's search ("nunez" finds Núñez)."""
    words = fold(query.strip()[:MAX_QUERY]).split()[:4]
    if not words:
        return sa.true()
    return sa.and_(*(Record.search_text.contains(word, autoescape=True) for word in words))


def _page_number(page: int, total: int, per_page: int) -> int:
    return max(1, min(page, max(1, math.ceil(total / per_page))))


def _patient_page(
    session: Session, where: Sequence[sa.ColumnElement[bool]], page: int, per_page: int, *, search: bool
) -> Page[PatientRow]:
    conditions = [Record.entity == "patient", Record.deleted.is_(None), *where]
    order = (sa.func.lower(_text("family_name")), sa.func.lower(_text("given_name")), Record.id)
    if search:
        # A text search is the costly part: evaluate it once, counting the matches as a window.
        query = sa.select(Record.id, sa.func.count().over()).where(*conditions).order_by(*order)
        found = session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
        total = found[0][1] if found else None
    else:
        found, total = [], None
    if total is None:
        total = session.scalar(sa.select(sa.func.count()).select_from(Record).where(*conditions)) or 0
        page = _page_number(page, total, per_page)
        query = sa.select(Record.id).where(*conditions).order_by(*order)
        found = session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    ids = [row[0] for row in found]
    rows = {r.id: r for r in session.scalars(sa.select(Record).where(Record.id.in_(ids)))} if ids else {}
    workers = _workers_of(session, ids)
    items = [_patient_row(rows[i], workers.get(i, ())) for i in ids if i in rows]
    return Page(items, total, page, per_page)


def _patient_row(row: Record, workers: Iterable[str]) -> PatientRow:
    values = row.fields
    address = values.get("address") or {}
    return PatientRow(
        id=row.id,
        mrn=str(values.get("mrn", "")),
        name=f"{values.get('family_name', '')}, {values.get('given_name', '')}",
        date_of_birth=str(values.get("date_of_birth") or ""),
        phone=str(values.get("phone") or ""),
        city=str(address.get("city") or ""),
        active=bool(values.get("active", True)),
        workers=tuple(sorted(workers)),
    )


def _workers_of(session: Session, patient_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
    if not patient_ids:
        return {}
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = session.execute(
        sa.select(Assignment.patient_id, User.username)
        .join(User, User.id == Assignment.worker_id)
        .where(Assignment.patient_id.in_(patient_ids), Assignment.active.is_(True))
    )
    for patient_id, username in rows:
        found[patient_id].append(username)
    return {pid: tuple(names) for pid, names in found.items()}


def patients(session: Session, query: str = "", page: int = 1, per_page: int = PER_PAGE) -> Page[PatientRow]:
    """Patients whose name or MRN contains every word of ``query``, sorted by name, one page."""
    return _patient_page(
        session, [_patient_filter(session, query)], page, per_page, search=bool(query.strip())
    )


def patient(session: Session, patient_id: uuid.UUID) -> PatientDetail:
    """One patient with caseloads, recent visits and open conflicts; NotFound if there is none."""
    row = session.get(Record, patient_id)
    if row is None or row.entity != "patient":
        raise NotFound(f"no patient {patient_id}")
    workers = list(
        session.execute(
            sa.select(User.id, User.username)
            .join(Assignment, Assignment.worker_id == User.id)
            .where(Assignment.patient_id == patient_id, Assignment.active.is_(True))
            .order_by(User.username)
        ).all()
    )
    visit_rows = session.scalars(
        sa.select(Record)
        .where(Record.patient_id == patient_id, Record.entity == "visit", Record.deleted.is_(None))
        .order_by(Record.day.desc(), Record.seq.desc())
        .limit(20)
    ).all()
    names = _usernames(session, {v.worker_id for v in visit_rows if v.worker_id})
    visits = sorted(
        (_visit_brief(v, names) for v in visit_rows), key=lambda v: v.scheduled_start, reverse=True
    )
    conflicts = (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(ConflictEntry)
            .where(ConflictEntry.patient_id == patient_id, ConflictEntry.resolved_at.is_(None))
        )
        or 0
    )
    return PatientDetail(
        id=row.id,
        values=dict(row.fields),
        stamps=dict(row.stamps),
        deleted=row.deleted is not None,
        workers=workers,
        visits=visits,
        open_conflicts=conflicts,
    )


def _visit_brief(row: Record, names: dict[uuid.UUID, str]) -> VisitBrief:
    values = row.fields
    return VisitBrief(
        id=row.id,
        scheduled_start=datetime.fromisoformat(values["scheduled_start"]),
        worker=names.get(row.worker_id, "?") if row.worker_id else "?",
        service_code=str(values.get("service_code", "")),
        status=str(values.get("status", "")),
    )


def _usernames(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return dict(session.execute(sa.select(User.id, User.username).where(User.id.in_(ids))).all())


# -- workers and caseloads ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkerRow:
    """A field worker with the size of their caseload and their day."""

    id: uuid.UUID
    username: str
    active: bool
    caseload: int
    visits_today: int
    devices: int
    last_seen: datetime | None


def workers(session: Session, day: date) -> list[WorkerRow]:
    """Every field worker, by name."""
    users = session.scalars(
        sa.select(User).where(User.role == Role.WORKER.value).order_by(User.username)
    ).all()
    ids = [u.id for u in users]
    if not ids:
        return []
    caseloads = dict(
        session.execute(
            sa.select(Assignment.worker_id, sa.func.count())
            .where(Assignment.worker_id.in_(ids), Assignment.active.is_(True))
            .group_by(Assignment.worker_id)
        ).all()
    )
    visits = dict(
        session.execute(
            sa.select(Record.worker_id, sa.func.count())
            .where(
                Record.entity == "visit",
                Record.worker_id.in_(ids),
                Record.day == day,
                Record.deleted.is_(None),
            )
            .group_by(Record.worker_id)
        ).all()
    )
    devices: dict[uuid.UUID, tuple[int, datetime | None]] = {
        user_id: (count, seen)
        for user_id, count, seen in session.execute(
            sa.select(Device.user_id, sa.func.count(), sa.func.max(Device.last_seen))
            .where(Device.user_id.in_(ids))
            .group_by(Device.user_id)
        ).all()
    }
    return [
        WorkerRow(
            id=u.id,
            username=u.username,
            active=u.active,
            caseload=caseloads.get(u.id, 0),
            visits_today=visits.get(u.id, 0),
            devices=devices.get(u.id, (0, None))[0],
            last_seen=_aware(devices.get(u.id, (0, None))[1]),
        )
        for u in users
    ]


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    id: uuid.UUID
    username: str
    active: bool


def worker(session: Session, worker_id: uuid.UUID) -> WorkerInfo:
    """A field worker; NotFound for anyone else."""
    user = session.get(User, worker_id)
    if user is None or user.role != Role.WORKER.value:
        raise NotFound(f"no field worker {worker_id}")
    return WorkerInfo(user.id, user.username, user.active)


def worker_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Active field workers for a select box."""
    return list(
        session.execute(
            sa.select(User.id, User.username)
            .where(User.role == Role.WORKER.value, User.active.is_(True))
            .order_by(User.username)
        ).all()
    )


def _on_caseload(worker_id: uuid.UUID) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        Assignment.worker_id == worker_id,
        Assignment.patient_id == Record.id,
        Assignment.active.is_(True),
    )


def caseload(
    session: Session, worker_id: uuid.UUID, query: str = "", page: int = 1, per_page: int = PER_PAGE
) -> Page[PatientRow]:
    """The patients on a worker's caseload (searchable), one page."""
    return _patient_page(
        session,
        [_on_caseload(worker_id), _patient_filter(session, query)],
        page,
        per_page,
        search=bool(query.strip()),
    )


def assignable(
    session: Session, worker_id: uuid.UUID, query: str, page: int = 1, per_page: int = 20
) -> Page[PatientRow]:
    """Patients matching ``query`` that are not on the worker's caseload (for the assign form)."""
    return _patient_page(
        session,
        [sa.not_(_on_caseload(worker_id)), _patient_filter(session, query)],
        page,
        per_page,
        search=True,
    )


# -- visits ------------------------------------------------------------------------------------------------

ELEMENTS = tuple(EvvElement)


@dataclass(frozen=True, slots=True)
class VisitRow:
    """A visit on the board: times, the six EVV elements, and what was recorded."""

    id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    worker_id: uuid.UUID
    worker: str
    service_code: str
    status: str
    scheduled_start: datetime
    scheduled_end: datetime
    check_in: datetime | None
    check_out: datetime | None
    elements: dict[str, bool]
    signed: bool
    notes: int
    vitals: int

    @property
    def verified(self) -> bool:
        return all(self.elements.values())

    @property
    def worked(self) -> bool:
        return VisitStatus(self.status) in WORKED

    def problems(self) -> list[str]:
        """What is missing, in words (the same rules as the tablet's end-of-day report)."""
        found = []
        if self.status == VisitStatus.SCHEDULED:
            found.append("not started")
        elif self.status == VisitStatus.IN_PROGRESS:
            found.append("no check-out")
        if self.worked and not self.verified:
            found.append("missing " + ", ".join(k for k, ok in self.elements.items() if not ok))
        if self.worked and not self.signed:
            found.append("not signed")
        return found


@dataclass(frozen=True, slots=True)
class WorkerVisits:
    worker_id: uuid.UUID
    username: str
    visits: list[VisitRow]

    @property
    def verified(self) -> int:
        return sum(1 for v in self.visits if v.verified)


def _visit_rows(session: Session, rows: Sequence[Record], names: dict[uuid.UUID, str]) -> list[VisitRow]:
    if not rows:
        return []
    visit_ids = [r.id for r in rows]
    counts: dict[tuple[uuid.UUID, str], int] = {
        (parent, entity): count
        for parent, entity, count in session.execute(
            sa.select(Record.parent_id, Record.entity, sa.func.count())
            .where(
                Record.parent_id.in_(visit_ids),
                Record.entity.in_(("visit_note", "observation")),
                Record.deleted.is_(None),
            )
            .group_by(Record.parent_id, Record.entity)
        ).all()
        if parent is not None
    }
    patient_names = _patient_names(session, {r.patient_id for r in rows if r.patient_id})
    result = []
    for row in rows:
        visit = _parse_visit(row)
        if visit is None:
            continue
        missing = set(missing_evv(visit))
        result.append(
            VisitRow(
                id=row.id,
                patient_id=visit.patient_id,
                patient_name=patient_names.get(visit.patient_id, "(unknown patient)"),
                worker_id=visit.worker_id,
                worker=names.get(visit.worker_id, "?"),
                service_code=visit.service_code,
                status=visit.status.value,
                scheduled_start=visit.scheduled_start,
                scheduled_end=visit.scheduled_end,
                check_in=visit.effective_check_in,
                check_out=visit.effective_check_out,
                elements={e.value: e not in missing for e in ELEMENTS},
                signed=visit.is_signed,
                notes=counts.get((row.id, "visit_note"), 0),
                vitals=counts.get((row.id, "observation"), 0),
            )
        )
    result.sort(key=lambda v: (v.scheduled_start, str(v.id)))
    return result


def _parse_visit(row: Record) -> Visit | None:
    try:
        return parse(Visit, {"id": str(row.id), **row.fields})
    except ValidationError:
        return None


def _patient_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Record.id, _text("family_name"), _text("given_name")).where(
            Record.id.in_(list(ids)), Record.entity == "patient"
        )
    ).all()
    return {rid: f"{family}, {given}" for rid, family, given in rows}


def visit_board(session: Session, day: date, worker_id: uuid.UUID | None = None) -> list[WorkerVisits]:
    """The day's visits per field worker (every worker, also those without visits that day)."""
    query = sa.select(User.id, User.username).where(User.role == Role.WORKER.value)
    if worker_id is not None:
        query = query.where(User.id == worker_id)
    people = list(session.execute(query.order_by(User.username)))
    ids = [uid for uid, _ in people]
    if not ids:
        return []
    rows = session.scalars(
        sa.select(Record).where(
            Record.entity == "visit", Record.worker_id.in_(ids), Record.day == day, Record.deleted.is_(None)
        )
    ).all()
    names = dict(people)
    by_worker: dict[uuid.UUID, list[VisitRow]] = defaultdict(list)
    for visit in _visit_rows(session, rows, names):
        by_worker[visit.worker_id].append(visit)
    return [WorkerVisits(uid, name, by_worker.get(uid, [])) for uid, name in people]


@dataclass(frozen=True, slots=True)
class NoteView:
    id: uuid.UUID
    author: str
    text: str
    written_at: datetime
    amends: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class VitalView:
    id: uuid.UUID
    kind: str
    value: float
    unit: str
    observed_at: datetime
    entered_in_error: bool


@dataclass(frozen=True, slots=True)
class SignatureView:
    id: uuid.UUID
    signer_name: str
    signer_role: str
    meaning: str
    signed_at: datetime
    unable_reason: str
    image_sha256: str | None
    check: integrity.SignatureReport  # per part: still what was captured at signing?


@dataclass(frozen=True, slots=True)
class VisitDetail:
    visit: VisitRow
    row_values: dict[str, Any]
    location: str
    corrections: list[str]
    notes: list[NoteView]
    vitals: list[VitalView]
    signature: SignatureView | None


def visit_detail(session: Session, visit_id: uuid.UUID) -> VisitDetail:
    """One visit with its notes, vitals and signature (image hash and attested content checked)."""
    row = session.get(Record, visit_id)
    if row is None or row.entity != "visit":
        raise NotFound(f"no visit {visit_id}")
    names = _usernames(session, {row.worker_id} if row.worker_id else set())
    [view] = _visit_rows(session, [row], names) or [None]
    if view is None:
        raise NotFound(f"visit {visit_id} cannot be read")
    visit = parse(Visit, {"id": str(row.id), **row.fields})
    children = session.scalars(
        sa.select(Record).where(Record.parent_id == visit_id, Record.deleted.is_(None))
    ).all()
    notes = [parse(VisitNote, {"id": str(c.id), **c.fields}) for c in children if c.entity == "visit_note"]
    vitals = [
        parse(Observation, {"id": str(c.id), **c.fields}) for c in children if c.entity == "observation"
    ]
    authors = _usernames(session, {n.author_id for n in notes})
    signature = None
    signature_row = next((c for c in children if c.entity == "signature"), None)
    if visit.signature_id is not None:
        signature_row = session.get(Record, visit.signature_id) or signature_row
    if signature_row is not None:
        values = signature_row.fields
        sha = values.get("image_sha256")
        matches = still_attests(
            visit,
            notes,
            vitals,
            datetime.fromisoformat(values["signed_at"]),
            values.get("content_sha256", ""),
        )
        check = integrity.signature_report(
            signature_row.id, values, integrity.image_facts(session, values), matches
        )
        check.content_flagged_on_arrival = bool(integrity.flagged_on_arrival(session, [signature_row.id]))
        signature = SignatureView(
            id=signature_row.id,
            signer_name=str(values.get("signer_name", "")),
            signer_role=str(values.get("signer_role", "")),
            meaning=str(values.get("meaning", "")),
            signed_at=datetime.fromisoformat(values["signed_at"]),
            unable_reason=str(values.get("unable_reason") or ""),
            image_sha256=sha,
            check=check,
        )
    location = "—"
    if visit.check_in is not None and visit.check_in.location is not None:
        place = visit.check_in.location
        location = place.kind.value
        if place.latitude is not None and place.longitude is not None:
            location += f" {place.latitude:.5f}, {place.longitude:.5f}"
            if place.accuracy_m is not None:
                location += f" (±{place.accuracy_m:.0f} m)"
    corrections = []
    for label, correction in (
        ("check-in", visit.check_in_correction),
        ("check-out", visit.check_out_correction),
    ):
        if correction is not None:
            text = f"{label} corrected to {correction.corrected_time.isoformat()} ({correction.reason.value})"
            corrections.append(text + (f": {correction.comment}" if correction.comment else ""))
    return VisitDetail(
        visit=view,
        row_values=dict(row.fields),
        location=location,
        corrections=corrections,
        notes=sorted(
            (NoteView(n.id, authors.get(n.author_id, "?"), n.text, n.written_at, n.amends) for n in notes),
            key=lambda n: n.written_at,
        ),
        vitals=sorted(
            (
                VitalView(o.id, o.kind.value, o.value, o.unit, o.observed_at, o.entered_in_error)
                for o in vitals
            ),
            key=lambda o: o.observed_at,
        ),
        signature=signature,
    )


def _pdf_problem(session: Session, report_id: uuid.UUID, sha256: str) -> integrity.Finding | None:
    """What is wrong with a day report's PDF as stored (missing, altered, not a PDF), if anything."""
    blob = session.get(Blob, sha256)
    if blob is None:
        return integrity.Finding("day_report", str(report_id), "pdf", f"its PDF {sha256} is not stored")
    problem = integrity.file_problem(blob.sha256, blob.media_type, blob.content, blob.size)
    if problem is None and blob.media_type == "application/pdf":
        return None
    return problem or integrity.Finding(
        "day_report", str(report_id), "pdf", f"its PDF is a {blob.media_type} file"
    )


@dataclass(frozen=True, slots=True)
class StoredFile:
    content: bytes
    media_type: str
    sha256: str


def signature_image(session: Session, signature_id: uuid.UUID) -> StoredFile:
    """The rendered image of a signature, after its check (``integrity.FileDamaged`` if altered)."""
    row = session.get(Record, signature_id)
    if row is None or row.entity != "signature" or not row.fields.get("image_sha256"):
        raise NotFound("no signature image")
    return _file(session, row.fields["image_sha256"])


def report_pdf(session: Session, report_id: uuid.UUID) -> StoredFile:
    """The PDF of a day report, after its check (``integrity.FileDamaged`` if altered)."""
    row = session.get(Record, report_id)
    if row is None or row.entity != "day_report":
        raise NotFound("no day report")
    return _file(session, row.fields["pdf_sha256"])


def _file(session: Session, sha256: str) -> StoredFile:
    blob = integrity.file_of(session, sha256)
    return StoredFile(blob.content, blob.media_type, sha256)


# -- day reports ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportBrief:
    id: uuid.UUID
    submitted_at: datetime
    received_at: datetime | None
    summary: dict[str, int]
    pdf_sha256: str
    receipt_items: int | None


@dataclass(frozen=True, slots=True)
class WorkerDay:
    """One worker's day as the office sees it: visits, what is missing, and the report if any."""

    worker_id: uuid.UUID
    username: str
    visits: list[VisitRow]
    reports: list[ReportBrief]

    @property
    def report(self) -> ReportBrief | None:
        return self.reports[0] if self.reports else None

    @property
    def missing_report(self) -> bool:
        return bool(self.visits) and not self.reports

    @property
    def no_check_out(self) -> int:
        return sum(1 for v in self.visits if v.worked and v.check_out is None)

    @property
    def unsigned(self) -> int:
        return sum(1 for v in self.visits if v.worked and not v.signed)

    @property
    def not_started(self) -> int:
        return sum(1 for v in self.visits if v.status == VisitStatus.SCHEDULED)

    @property
    def unverified(self) -> int:
        return sum(1 for v in self.visits if v.worked and not v.verified)

    @property
    def problems(self) -> int:
        return sum(1 for v in self.visits if v.problems())


def day_reports(session: Session, day: date, worker_id: uuid.UUID | None = None) -> list[WorkerDay]:
    """Per field worker: the day's visits, what is missing, and the reports submitted for that day."""
    board = visit_board(session, day, worker_id)
    ids = [w.worker_id for w in board]
    if not ids:
        return []
    report_rows = session.scalars(
        sa.select(Record).where(Record.entity == "day_report", Record.worker_id.in_(ids), Record.day == day)
    ).all()
    receipts = (
        {
            r.report_id: r
            for r in session.scalars(
                sa.select(DayReportReceipt).where(DayReportReceipt.report_id.in_([r.id for r in report_rows]))
            )
        }
        if report_rows
        else {}
    )
    reports: dict[uuid.UUID, list[ReportBrief]] = defaultdict(list)
    for row in report_rows:
        receipt = receipts.get(row.id)
        assert row.worker_id is not None
        reports[row.worker_id].append(
            ReportBrief(
                id=row.id,
                submitted_at=datetime.fromisoformat(row.fields["submitted_at"]),
                received_at=receipt.received_at if receipt else None,
                summary=dict(row.fields.get("summary") or {}),
                pdf_sha256=row.fields["pdf_sha256"],
                receipt_items=len(receipt.receipt.get("items", [])) if receipt else None,
            )
        )
    for briefs in reports.values():
        briefs.sort(key=lambda r: r.submitted_at, reverse=True)
    return [WorkerDay(w.worker_id, w.username, w.visits, reports.get(w.worker_id, [])) for w in board]


@dataclass(frozen=True, slots=True)
class ReceiptLine:
    entity: str
    record_id: uuid.UUID
    sha256: str
    current: bool  # the server still holds exactly this version


@dataclass(frozen=True, slots=True)
class ReportDetail:
    report: ReportBrief
    worker_id: uuid.UUID
    username: str
    day: date
    pdf_problem: integrity.Finding | None  # None: stored, a PDF, and its bytes match its hash
    receipt: list[ReceiptLine]
    receipt_pdf_sha256: str | None
    not_in_receipt: list[VisitRow]
    day_view: WorkerDay

    @property
    def pdf_ok(self) -> bool:
        return self.pdf_problem is None


def report_detail(session: Session, report_id: uuid.UUID) -> ReportDetail:
    """A day report with its receipt (each item checked against what the server holds now), its PDF's
    hash check, and the worker's day with what is missing."""
    row = session.get(Record, report_id)
    if row is None or row.entity != "day_report" or row.worker_id is None or row.day is None:
        raise NotFound(f"no day report {report_id}")
    [day_view] = day_reports(session, row.day, row.worker_id) or [None]
    if day_view is None:
        raise NotFound(f"the worker of day report {report_id} is gone")
    brief = next(r for r in day_view.reports if r.id == report_id)
    stored = session.get(DayReportReceipt, report_id)
    items = stored.receipt.get("items", []) if stored else []
    held = (
        {
            r.id: r
            for r in session.scalars(
                sa.select(Record).where(Record.id.in_([uuid.UUID(i["record_id"]) for i in items]))
            )
        }
        if items
        else {}
    )
    lines = []
    for item in items:
        record_id = uuid.UUID(item["record_id"])
        now_row = held.get(record_id)
        current = now_row is not None and (
            record_digest(now_row.entity, str(record_id), now_row.fields) == item["sha256"]
        )
        lines.append(ReceiptLine(item["entity"], record_id, item["sha256"], current))
    in_receipt = {line.record_id for line in lines}
    return ReportDetail(
        report=brief,
        worker_id=row.worker_id,
        username=day_view.username,
        day=row.day,
        pdf_problem=_pdf_problem(session, report_id, brief.pdf_sha256),
        receipt=lines,
        receipt_pdf_sha256=stored.receipt.get("pdf_sha256") if stored else None,
        not_in_receipt=[v for v in day_view.visits if v.id not in in_receipt],
        day_view=day_view,
    )


# -- conflicts -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConflictRow:
    id: int
    entity: str
    record_id: uuid.UUID
    patient_id: uuid.UUID | None
    patient_name: str
    field: str
    reason: str
    lost_value: Any
    lost_at: datetime | None
    lost_device: str
    winner_value: Any
    winner_at: datetime | None
    winner_device: str
    detected_at: datetime
    resolved_at: datetime | None
    resolved_by: str
    restorable: bool


def restorable(entity: str, field_name: str, reason: str) -> bool:
    """Whether a losing value can be written back: a real conflict on a last-writer-wins field."""
    if reason != "conflict" or field_name.startswith("_"):
        return False
    try:
        return rules_for(entity).rule(field_name) is FieldRule.LAST_WRITER_WINS
    except KeyError:
        return False


def conflicts(
    session: Session, state: str = "open", page: int = 1, per_page: int = PER_PAGE
) -> Page[ConflictRow]:
    """The server's conflict log, newest first: open ones (``state="open"``), resolved ones, or all."""
    where = []
    if state == "open":
        where.append(ConflictEntry.resolved_at.is_(None))
    elif state == "resolved":
        where.append(ConflictEntry.resolved_at.is_not(None))
    total = session.scalar(sa.select(sa.func.count()).select_from(ConflictEntry).where(*where)) or 0
    page = _page_number(page, total, per_page)
    entries = session.scalars(
        sa.select(ConflictEntry)
        .where(*where)
        .order_by(ConflictEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    names = _patient_names(session, {e.patient_id for e in entries if e.patient_id})
    resolvers = _usernames(session, {e.resolved_by for e in entries if e.resolved_by})
    items = [_conflict_row(e, names, resolvers) for e in entries]
    return Page(items, total, page, per_page)


def _conflict_row(
    entry: ConflictEntry, names: dict[uuid.UUID, str], resolvers: dict[uuid.UUID, str]
) -> ConflictRow:
    lost_at, lost_device = _stamp_parts(entry.lost_stamp)
    winner_at, winner_device = _stamp_parts(entry.winner_stamp)
    return ConflictRow(
        id=entry.id,
        entity=entry.entity,
        record_id=entry.record_id,
        patient_id=entry.patient_id,
        patient_name=names.get(entry.patient_id, "") if entry.patient_id else "",
        field=entry.field,
        reason=entry.reason,
        lost_value=entry.lost_value,
        lost_at=lost_at,
        lost_device=lost_device,
        winner_value=entry.winner_value,
        winner_at=winner_at,
        winner_device=winner_device,
        detected_at=entry.detected_at,
        resolved_at=entry.resolved_at,
        resolved_by=resolvers.get(entry.resolved_by, "") if entry.resolved_by else "",
        restorable=entry.resolved_at is None and restorable(entry.entity, entry.field, entry.reason),
    )


def _stamp_parts(text: str | None) -> tuple[datetime | None, str]:
    if not text:
        return None, ""
    try:
        stamp = Stamp.decode(text)
    except ValueError:
        return None, ""
    return datetime.fromtimestamp(stamp.wall_ms / 1000, UTC), stamp.node


def open_conflicts(session: Session) -> int:
    """How many conflicts wait for the office (shown in the navigation)."""
    return (
        session.scalar(
            sa.select(sa.func.count()).select_from(ConflictEntry).where(ConflictEntry.resolved_at.is_(None))
        )
        or 0
    )


# -- fleet ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """A device on the fleet page: a tablet, or an office browser session's node."""

    status: fleet_service.DeviceStatus
    browser: bool
    clock: list[fleet_service.ClockSample] = field(default_factory=list)  # newest first

    @property
    def silent(self) -> bool:
        return self.status.silent and not self.browser and not self.status.disabled


@dataclass(frozen=True, slots=True)
class Fleet:
    devices: list[DeviceRow] = field(default_factory=list)

    @property
    def tablets(self) -> list[DeviceRow]:
        return [d for d in self.devices if not d.browser]

    @property
    def browsers(self) -> list[DeviceRow]:
        return [d for d in self.devices if d.browser]

    @property
    def silent(self) -> int:
        return sum(1 for d in self.tablets if d.silent)

    @property
    def pending(self) -> int:
        return sum(d.status.pending for d in self.tablets)


def fleet(session: Session, now: datetime) -> Fleet:
    """Every device that signed in, with what it last reported (``services.fleet``), silent ones first;
    office browser sessions apart."""
    statuses = fleet_service.devices(session, now)
    histories = fleet_service.clock_histories(session, [s.device_id for s in statuses if not s.browser])
    return Fleet(
        [
            DeviceRow(s, s.device_id.startswith(BROWSER_PREFIX), histories.get(s.device_id, []))
            for s in statuses
        ]
    )


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# -- audit ---------------------------------------------------------------------------------------------------


def user_id_named(session: Session, username: str) -> uuid.UUID | None:
    """The id of the user with this name (names are case-insensitive), or None."""
    return session.scalar(sa.select(User.id).where(User.username == username.strip().lower()))


def user_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """User names by id, for the audit page's API accesses."""
    return _usernames(session, {i for i in ids if i is not None})
