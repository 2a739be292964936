"""The office's visits board (one day) and one visit's page with its notes, vitals and signatures; the
stored files a page links to (signature images, report PDFs)."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.attestation import still_attests
from fieldapp.domain.care import TaskOutcome
from fieldapp.domain.entities import Observation, Visit, VisitException, VisitNote, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.evv import EvvElement, missing_evv
from fieldapp.domain.exceptions import ExceptionState
from fieldapp.domain.people import WorkerCard
from fieldapp.domain.values import Address, VisitStatus
from fieldapp.domain.verification import EvvPolicy, Verification, verification
from fieldapp.server.errors import NotFound
from fieldapp.server.integrity import checks as integrity
from fieldapp.server.listing import (
    WORKED,
    Page,
    evv_policy,
    page_number,
    text_field,
    usernames,
)
from fieldapp.server.models import Blob, Record, User
from fieldapp.sync.protocol import Role

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
    # Where the visit stands for billing (``domain.verification``, as the exception queue and the EVV export
    # judge it), with its exceptions still open and those the office approved.
    verification: Verification = Verification.NOT_DONE
    open_exceptions: int = 0
    approved_exceptions: int = 0

    @property
    def verified(self) -> bool:
        """Only a clean visit, or one whose every exception the office approved, counts as verified."""
        return self.verification is Verification.VERIFIED

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
        missing = [k for k, ok in self.elements.items() if not ok]
        if self.worked and missing:
            found.append("missing " + ", ".join(missing))
        if self.worked and not self.signed:
            found.append("not signed")
        return found


@dataclass(frozen=True, slots=True)
class WorkerVisits:
    worker_id: uuid.UUID
    username: str
    visits: list[VisitRow]
    name: str = ""  # as records name the worker: "Ana López, RN" (the user name when none is set)

    @property
    def verified(self) -> int:
        return sum(1 for v in self.visits if v.verified)


@dataclass(frozen=True, slots=True)
class _Verifying:
    """What the board's rows need beside the visits: their exceptions and how many children of each kind
    they have, the patients' homes and names, the agency's policy."""

    exceptions: dict[uuid.UUID, list[VisitException]]
    counts: Counter[tuple[uuid.UUID, str]]  # (visit, child entity) -> live children
    homes: dict[uuid.UUID, Address | None]
    names: dict[uuid.UUID, str]  # "Family, Given"
    policy: EvvPolicy
    now: datetime

    def judge(self, visit: Visit) -> tuple[Verification, int, int]:
        """The visit's verification state, and how many of its exceptions are open and approved."""
        held = self.exceptions.get(visit.id, [])
        states = Counter(r.state for r in held)
        state = verification(visit, held, self.homes.get(visit.patient_id), self.now, self.policy)
        return state, states[ExceptionState.OPEN], states[ExceptionState.APPROVED]


def _verifying(session: Session, rows: Sequence[Any], now: datetime) -> _Verifying:
    """Two queries for all the rows: the visits' children, the patients. Each is narrowed by parent or by
    primary key alone and the entity checked here: a condition on ``entity`` beside the ``IN`` makes SQLite
    walk the entity's index over every record of that kind ever stored instead (tens of ms per board)."""
    exceptions: dict[uuid.UUID, list[VisitException]] = defaultdict(list)
    counts: Counter[tuple[uuid.UUID, str]] = Counter()
    is_exception = Record.entity == "visit_exception"
    for record_id, entity, parent_id, fields in session.execute(
        sa.select(Record.id, Record.entity, Record.parent_id, sa.case((is_exception, Record.fields))).where(
            Record.parent_id.in_([r.id for r in rows]), Record.deleted.is_(None)
        )
    ):
        counts[(parent_id, entity)] += 1
        if entity == "visit_exception":
            exceptions[parent_id].append(parse(VisitException, {"id": str(record_id), **fields}))
    homes: dict[uuid.UUID, Address | None] = {}
    names: dict[uuid.UUID, str] = {}
    names_of = (text_field("family_name"), text_field("given_name"))
    for patient_id, entity, address, family, given in session.execute(
        sa.select(Record.id, Record.entity, Record.fields["address"], *names_of).where(
            Record.id.in_({r.patient_id for r in rows if r.patient_id})
        )
    ):
        if entity == "patient":
            homes[patient_id] = Address.model_validate(address) if address else None
            names[patient_id] = f"{family}, {given}"
    return _Verifying(exceptions, counts, homes, names, evv_policy(session), now)


def visit_rows(
    session: Session, rows: Sequence[Any], names: dict[uuid.UUID, str], now: datetime | None = None
) -> list[VisitRow]:
    """Board rows of stored visits (records, or result rows with ``id``, ``patient_id`` and ``fields``),
    each with its verification state at ``now`` (the present when not given)."""
    if not rows:
        return []
    judging = _verifying(session, rows, now or datetime.now(UTC))
    counts = judging.counts
    patients_named = judging.names
    result = []
    for row in rows:
        visit = _parse_visit(row)
        if visit is None:
            continue
        missing = set(missing_evv(visit))
        state, still_open, approved = judging.judge(visit)
        result.append(
            VisitRow(
                id=row.id,
                patient_id=visit.patient_id,
                patient_name=patients_named.get(visit.patient_id, "(unknown patient)"),
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
                verification=state,
                open_exceptions=still_open,
                approved_exceptions=approved,
            )
        )
    result.sort(key=lambda v: (v.scheduled_start, str(v.id)))
    return result


def _parse_visit(row: Any) -> Visit | None:
    try:
        return parse(Visit, {"id": str(row.id), **row.fields})
    except ValidationError:
        return None


def visit_board(
    session: Session, day: date, worker_id: uuid.UUID | None = None, now: datetime | None = None
) -> list[WorkerVisits]:
    """The day's visits per field worker (every worker, also those without visits that day)."""
    query = sa.select(*WORKER_COLUMNS).where(User.role == Role.WORKER.value)
    if worker_id is not None:
        query = query.where(User.id == worker_id)
    return _board(session, day, list(session.execute(query.order_by(User.username))), now)


WORKER_COLUMNS = (User.id, User.username, User.full_name, User.credential)
BOARD_WORKERS = 20  # workers per page of the all-workers board: 500 workers' day stays a fast page


def visit_board_page(
    session: Session, day: date, page: int, per_page: int = BOARD_WORKERS, now: datetime | None = None
) -> Page[WorkerVisits]:
    """One page of the day's board, workers by user name (an agency of 500 workers has 20 pages)."""
    workers = sa.select(*WORKER_COLUMNS).where(User.role == Role.WORKER.value)
    total = session.scalar(sa.select(sa.func.count()).select_from(workers.subquery())) or 0
    page = page_number(page, total, per_page)
    chosen = workers.order_by(User.username).offset((page - 1) * per_page).limit(per_page)
    return Page(_board(session, day, list(session.execute(chosen)), now), total, page, per_page)


def _board(session: Session, day: date, people: list[Any], now: datetime | None) -> list[WorkerVisits]:
    ids = [person.id for person in people]
    if not ids:
        return []
    rows = session.execute(  # only the columns a row shows: the board reads hundreds of visits
        sa.select(Record.id, Record.patient_id, Record.fields).where(
            Record.entity == "visit", Record.worker_id.in_(ids), Record.day == day, Record.deleted.is_(None)
        )
    ).all()
    names = {person.id: person.username for person in people}
    by_worker: dict[uuid.UUID, list[VisitRow]] = defaultdict(list)
    for visit in visit_rows(session, rows, names, now):
        by_worker[visit.worker_id].append(visit)
    return [
        WorkerVisits(
            p.id, p.username, by_worker.get(p.id, []), _display(p.username, p.full_name, p.credential)
        )
        for p in people
    ]


def _display(username: str, full_name: str | None, credential: str | None) -> str:
    card = WorkerCard.model_construct(
        username=username, full_name=full_name or "", credential=credential or ""
    )
    return card.display_name


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
    names = usernames(session, {row.worker_id} if row.worker_id else set())
    views = visit_rows(session, [row], names)
    if not views:
        raise NotFound(f"visit {visit_id} cannot be read")
    view = views[0]
    visit = parse(Visit, {"id": str(row.id), **row.fields})
    children = session.scalars(
        sa.select(Record).where(Record.parent_id == visit_id, Record.deleted.is_(None))
    ).all()
    notes = [parse(VisitNote, {"id": str(c.id), **c.fields}) for c in children if c.entity == "visit_note"]
    vitals = [
        parse(Observation, {"id": str(c.id), **c.fields}) for c in children if c.entity == "observation"
    ]
    outcomes = [
        parse(TaskOutcome, {"id": str(c.id), **c.fields}) for c in children if c.entity == "task_outcome"
    ]
    authors = usernames(session, {n.author_id for n in notes})
    signature = _signature(session, visit, children, notes, vitals, outcomes)
    location, corrections = _where(visit), _corrections(visit)
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


def _signature(
    session: Session,
    visit: Visit,
    children: Sequence[Record],
    notes: list[VisitNote],
    vitals: list[Observation],
    outcomes: list[TaskOutcome],
) -> SignatureView | None:
    """The visit's signature, its image hash and the content it attests checked."""
    signature_row = next((c for c in children if c.entity == "signature"), None)
    if visit.signature_id is not None:
        signature_row = session.get(Record, visit.signature_id) or signature_row
    if signature_row is None:
        return None
    values = signature_row.fields
    sha = values.get("image_sha256")
    matches = still_attests(
        visit,
        notes,
        vitals,
        datetime.fromisoformat(values["signed_at"]),
        values.get("content_sha256", ""),
        outcomes,
    )
    check = integrity.signature_report(
        signature_row.id, values, integrity.image_facts(session, values), matches
    )
    check.content_flagged_on_arrival = bool(integrity.flagged_on_arrival(session, [signature_row.id]))
    return SignatureView(
        id=signature_row.id,
        signer_name=str(values.get("signer_name", "")),
        signer_role=str(values.get("signer_role", "")),
        meaning=str(values.get("meaning", "")),
        signed_at=datetime.fromisoformat(values["signed_at"]),
        unable_reason=str(values.get("unable_reason") or ""),
        image_sha256=sha,
        check=check,
    )


def _where(visit: Visit) -> str:
    """Where the visit was checked in: the kind of place, and its coordinates when known."""
    location = "—"
    if visit.check_in is not None and visit.check_in.location is not None:
        place = visit.check_in.location
        location = place.kind.value
        if place.latitude is not None and place.longitude is not None:
            location += f" {place.latitude:.5f}, {place.longitude:.5f}"
            if place.accuracy_m is not None:
                location += f" (±{place.accuracy_m:.0f} m)"
    return location


def _corrections(visit: Visit) -> list[str]:
    """The visit's corrected check-in and check-out times, in words."""
    corrections = []
    for label, correction in (
        ("check-in", visit.check_in_correction),
        ("check-out", visit.check_out_correction),
    ):
        if correction is not None:
            text = f"{label} corrected to {correction.corrected_time.isoformat()} ({correction.reason.value})"
            corrections.append(text + (f": {correction.comment}" if correction.comment else ""))
    return corrections


def pdf_problem(session: Session, report_id: uuid.UUID, sha256: str) -> integrity.Finding | None:
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
