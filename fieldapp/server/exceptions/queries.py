"""The office's exception queue: a day's visit exceptions per worker, filtered by code and state, paged;
deciding one or a selection (approve or reject with a note) through the tablets' own push path; and a
visit's verification state (only approved or clean visits count as verified, ``domain.verification``).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.orm import Session, aliased

from fieldapp.domain.entities import Patient, Visit, VisitException, parse
from fieldapp.domain.exceptions import (
    CODE_WORDS,
    REASON_WORDS,
    Decision,
    ExceptionCode,
    ExceptionReason,
    ExceptionState,
    Resolution,
)
from fieldapp.domain.language import phrase
from fieldapp.domain.verification import Verification, distance_m, verification
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.core import office_edits
from fieldapp.server.errors import Invalid, NotFound
from fieldapp.server.exports.stored import stored_exception
from fieldapp.server.listing import evv_policy
from fieldapp.server.models import Record, User
from fieldapp.server.settings import Settings
from fieldapp.sync.protocol import FieldChange, Mutation

PAGE_SIZE = 100
CHUNK = 900  # ids per IN list (well under every database's limit)
STATES = ("open", "approved", "rejected", "all")
ORDER = {code.value: n for n, code in enumerate(ExceptionCode)}


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One exception as the queue shows it."""

    id: uuid.UUID
    visit_id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    worker_id: uuid.UUID
    worker_name: str
    scheduled_start: datetime
    code: str
    what: str
    detail: str
    reason: str
    note: str
    state: ExceptionState
    resolution: Resolution | None


@dataclass(frozen=True, slots=True)
class Queue:
    """A page of the day's queue, and the counts the filters show."""

    day: date
    items: list[QueueItem]
    total: int
    page: int
    pages: int
    by_code: dict[str, int]
    by_state: dict[str, int]

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * PAGE_SIZE)


def _chunks(ids: Sequence[uuid.UUID]) -> Iterable[Sequence[uuid.UUID]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _state(fields: dict[str, Any]) -> ExceptionState:
    resolution = fields.get("resolution")
    if resolution:
        return ExceptionState(resolution["decision"])
    return ExceptionState.WITHDRAWN if fields.get("withdrawn") else ExceptionState.OPEN


def exceptions_of(session: Session, visit_ids: Sequence[uuid.UUID]) -> list[Any]:
    """The live exception rows (id, parent_id, fields) of these visits."""
    found: list[Any] = []
    for chunk in _chunks(visit_ids):
        found += session.execute(
            sa.select(Record.id, Record.parent_id, Record.fields).where(
                Record.entity == "visit_exception", Record.parent_id.in_(chunk), Record.deleted.is_(None)
            )
        ).all()
    return found


def names_of_patients(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Patients' names, family name first."""
    names: dict[uuid.UUID, str] = {}
    for chunk in _chunks(sorted(set(ids))):
        for record_id, fields in session.execute(
            # ``entity || ''``: SQLite would otherwise read every patient by the (entity, day) index
            sa.select(Record.id, Record.fields).where(Record.id.in_(chunk), (Record.entity + "") == "patient")
        ):
            names[record_id] = f"{fields.get('family_name', '')}, {fields.get('given_name', '')}"
    return names


def usernames(session: Session, ids: Iterable[uuid.UUID] | None = None) -> dict[uuid.UUID, str]:
    """Users' names by id: every user's, or only those of ``ids``."""
    query = sa.select(User.id, User.username)
    if ids is not None:
        query = query.where(User.id.in_(sorted(set(ids))))
    return {user_id: name for user_id, name in session.execute(query)}


@dataclass(frozen=True, slots=True)
class _Held:
    """One exception of the queue: its code and state, and what the queue needs of its visit."""

    id: uuid.UUID
    code: str
    state: str
    worker_id: uuid.UUID
    patient_id: uuid.UUID
    scheduled_start: str


def _state_of(withdrawn: bool | None, decision: str | None) -> str:
    return decision or (ExceptionState.WITHDRAWN.value if withdrawn else ExceptionState.OPEN.value)


def _decision(exc: Any) -> Any:
    return exc.fields[("resolution", "decision")].as_string()


def _withdrawn(exc: Any) -> Any:
    return exc.fields["withdrawn"].as_boolean()


def _of_day(query: Any, exc: Any, visit: Any, day: date, worker_id: uuid.UUID | None) -> Any:
    """``query`` over the exceptions of the day's visits, read by the (entity, day) index: an exception's
    ``day`` is its visit's, kept in step by the push (``core.rows.exception_days``). The visit is joined
    by its id, for its worker (the one to filter by) and what the page shows."""
    query = (
        query.select_from(exc)
        .join(visit, visit.id == exc.parent_id)
        .where(exc.entity == "visit_exception", exc.day == day, exc.deleted.is_(None))
        .where(visit.entity == "visit", visit.deleted.is_(None))
    )
    if worker_id is None:
        return query
    # One worker's: from their few visits of the day (the (entity, worker, day) index), by parent.
    theirs = aliased(Record)
    of_worker = sa.select(theirs.id).where(
        theirs.entity == "visit", theirs.worker_id == worker_id, theirs.day == day
    )
    return query.where(visit.worker_id == worker_id, exc.parent_id.in_(of_worker))


def _in_state(exc: Any, state: str) -> Any:
    """The condition "the exception is in ``state``" (open, approved, rejected), as ``_state_of`` decides."""
    decision = _decision(exc)
    if state == ExceptionState.OPEN.value:
        return sa.and_(decision.is_(None), sa.func.coalesce(_withdrawn(exc), False).is_not(True))
    return decision == state


def _counts(session: Session, day: date, worker_id: uuid.UUID | None) -> list[tuple[str, str, int]]:
    """(state, code, how many) of the day's exceptions, counted by the database."""
    exc, visit = Record, aliased(Record)
    query = _of_day(
        sa.select(_decision(exc), _withdrawn(exc), exc.fields["code"].as_string(), sa.func.count()),
        exc,
        visit,
        day,
        worker_id,
    ).group_by(sa.text("1, 2, 3"))  # by position: the JSON paths are bound parameters on PostgreSQL
    counted: Counter[tuple[str, str]] = Counter()
    for decision, withdrawn, code, n in session.execute(query):
        counted[(_state_of(withdrawn, decision), code)] += n
    return [(state, code, n) for (state, code), n in counted.items()]


def _page(
    session: Session, day: date, worker_id: uuid.UUID | None, code: str, state: str, page: int
) -> list[Any]:
    """One page of the day's exceptions in the queue's order (worker's name, the visit's start, the code's
    place in the list, id), ordered and cut by the database; full fields for these rows only, read by
    their ids afterwards (sorting the day's rows with their fields cost SQLite 70 ms a page)."""
    exc, visit = Record, aliased(Record)
    name: sa.ColumnElement[str] = sa.func.coalesce(User.username, "")
    if session.get_bind().dialect.name == "postgresql":
        name = name.collate("C")  # code point order, as Python sorts (SQLite compares bytes already)
    columns = (exc.id, visit.worker_id, visit.patient_id, visit.fields["scheduled_start"].as_string())
    query = _of_day(sa.select(*columns), exc, visit, day, worker_id)
    query = query.outerjoin(User, User.id == visit.worker_id)
    if state != "all":
        query = query.where(_in_state(exc, state))
    if code:
        query = query.where(exc.fields["code"].as_string() == code)
    rank = sa.case(ORDER, value=exc.fields["code"].as_string(), else_=len(ORDER))
    ordered = query.order_by(name, visit.fields["scheduled_start"].as_string(), rank, exc.id)
    shown = list(session.execute(ordered.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    of_page = sa.select(Record.id, Record.fields).where(Record.id.in_([r.id for r in shown]))
    held: dict[uuid.UUID, dict[str, Any]] = {rid: fields for rid, fields in session.execute(of_page)}
    return [(r.id, held[r.id], r.worker_id, r.patient_id, r[3]) for r in shown]


def exception_queue(
    session: Session,
    day: date,
    *,
    worker_id: uuid.UUID | None = None,
    code: str = "",
    state: str = "open",
    page: int = 1,
) -> Queue:
    """The day's exceptions (of one worker, one code, one state when given), a page at a time: counted,
    ordered and paged by the database, so only the page shown is read in full."""
    counts = _counts(session, day, worker_id)
    by_state: Counter[str] = Counter()
    by_code: Counter[str] = Counter()
    for held, kind, n in counts:
        by_state[held] += n
        if state == "all" or held == state:
            by_code[kind] += n
    total = by_code[code] if code else sum(by_code.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = _page(session, day, worker_id, code, state, page) if total else []
    workers = usernames(session, {worker for _, _, worker, _, _ in shown})
    patients = names_of_patients(session, (patient for _, _, _, patient, _ in shown))
    items = [
        _item(_Held(rid, f["code"], _state(f).value, worker, patient, start), f, patients, workers)
        for rid, f, worker, patient, start in shown
    ]
    return Queue(day, items, total, page, pages, {k: n for k, n in by_code.items() if n}, dict(by_state))


def _item(
    row: _Held, fields: dict[str, Any], patients: dict[uuid.UUID, str], workers: dict[uuid.UUID, str]
) -> QueueItem:
    record = stored_exception(row.id, fields)  # validated when pushed: rebuilt without validating again
    return QueueItem(
        id=record.id,
        visit_id=record.visit_id,
        patient_id=record.patient_id,
        patient_name=patients.get(row.patient_id, "unknown patient"),
        worker_id=row.worker_id,
        worker_name=workers.get(row.worker_id, "unknown worker"),
        scheduled_start=datetime.fromisoformat(row.scheduled_start),
        code=record.code.value,
        what=CODE_WORDS[record.code],
        detail=record.detail,
        reason=REASON_WORDS[record.reason] if record.reason else "",
        note=record.note,
        state=record.state,
        resolution=record.resolution,
    )


# -- deciding ------------------------------------------------------------------------------------------------


def decide(
    session: Session,
    settings: Settings,
    principal: Principal,
    ids: Sequence[uuid.UUID],
    decision: Decision,
    note: str,
    now: datetime,
) -> office_edits.Changed | None:
    """Approve or reject the exceptions ``ids`` with one note, all or none (one push batch)."""
    if not ids:
        raise Invalid(phrase("choose at least one exception"), code="nothing_chosen")
    if len(ids) > PAGE_SIZE * 10:
        raise Invalid(
            phrase("decide at most %(most)s exceptions at once", most=PAGE_SIZE * 10), code="too_many"
        )
    rows = session.scalars(
        sa.select(Record)
        .where(Record.id.in_(list(ids)), Record.entity == "visit_exception")
        .with_for_update()
    ).all()
    missing = set(ids) - {row.id for row in rows}
    if missing:
        raise NotFound(phrase("no exception %(id)s", id=sorted(missing)[0]))
    withdrawn = [row.id for row in rows if _state(row.fields) is ExceptionState.WITHDRAWN]
    if withdrawn:
        raise Invalid(phrase("a withdrawn exception needs no decision"), code="withdrawn")
    if decision is Decision.REJECTED and not note.strip():
        raise Invalid(phrase("say why the exception is rejected (a note)"), code="note_needed")
    try:
        resolution = Resolution(decision=decision, by=principal.username, at=now, note=note.strip())
    except PydanticValidationError:
        raise Invalid(
            phrase("the note must be one line of at most 200 characters"), code="bad_note"
        ) from None
    wire = resolution.model_dump(mode="json")
    stamp = office_edits.clock_for(principal, now, *rows).now().encode()
    mutations = [
        Mutation(
            mutation_id=uuid.uuid4(),
            entity="visit_exception",
            record_id=row.id,
            changes={"resolution": FieldChange(v=wire, s=stamp, b=row.stamps.get("resolution"))},
        )
        for row in sorted(rows, key=lambda r: r.id)
    ]
    return office_edits.push_mutations(session, settings, principal, mutations, now)


# -- one visit ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VisitVerification:
    """Where one visit stands, and its exceptions (withdrawn ones included, marked)."""

    state: Verification
    exceptions: list[QueueItem]


def visit_verification(session: Session, visit_id: uuid.UUID, now: datetime) -> VisitVerification | None:
    """The verification state of one visit; None when there is no such visit."""
    row = session.get(Record, visit_id)
    if row is None or row.entity != "visit" or row.deleted is not None:
        return None
    visit = parse(Visit, {"id": str(row.id), **row.fields})
    home_row = session.get(Record, visit.patient_id)
    home = parse(Patient, {"id": str(home_row.id), **home_row.fields}).address if home_row else None
    held = exceptions_of(session, [visit_id])
    records = [parse(VisitException, {"id": str(r.id), **r.fields}) for r in held]
    start = row.fields["scheduled_start"]
    rows = [
        (
            _Held(r.id, r.fields["code"], _state(r.fields).value, visit.worker_id, visit.patient_id, start),
            r.fields,
        )
        for r in held
    ]
    workers = usernames(session)
    patients = names_of_patients(session, [visit.patient_id])
    items = sorted((_item(r, f, patients, workers) for r, f in rows), key=lambda i: ORDER[i.code])
    return VisitVerification(verification(visit, records, home, now, evv_policy(session)), items)


def reasons_words() -> dict[str, str]:
    """Reason codes in words, for the API's documentation."""
    return {reason.value: REASON_WORDS[reason] for reason in ExceptionReason}


# -- the patient's home position -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fix:
    """A GPS position recorded at one of the patient's visits, offered as the home's position."""

    at: datetime
    worker_name: str
    latitude: float
    longitude: float
    accuracy_m: float | None
    distance_m: float | None  # from the home's position on record


def recent_fixes(session: Session, patient_id: uuid.UUID, limit: int = 5) -> list[Fix]:
    """The latest GPS check-ins and check-outs at the patient's visits, newest first."""
    rows = session.execute(
        sa.select(Record.worker_id, Record.fields)
        .where(Record.entity == "visit", Record.patient_id == patient_id, Record.deleted.is_(None))
        .order_by(Record.day.desc())
        .limit(50)
    ).all()
    home_row = session.get(Record, patient_id)
    address = (home_row.fields.get("address") or {}) if home_row is not None else {}
    home_lat, home_lon = address.get("latitude"), address.get("longitude")
    workers = usernames(session)
    fixes = []
    for worker_id, fields in rows:
        for event in (fields.get("check_in"), fields.get("check_out")):
            place = (event or {}).get("location") or {}
            if place.get("kind") != "gps":
                continue
            lat, lon = place["latitude"], place["longitude"]
            away = None if home_lat is None or home_lon is None else distance_m(lat, lon, home_lat, home_lon)
            when = datetime.fromisoformat(event["server_time"])
            fixes.append(Fix(when, workers.get(worker_id, ""), lat, lon, place.get("accuracy_m"), away))
    return sorted(fixes, key=lambda f: f.at, reverse=True)[:limit]


def parse_position(text: str) -> tuple[float, float]:
    """ "41.785, -73.694" (as a map copies it) as latitude and longitude; ValueError when it is not one."""
    parts = text.replace(",", " ").split()
    if len(parts) != 2:
        raise ValueError(phrase("write the position as latitude, longitude (for example 41.785, -73.694)"))
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except ValueError:
        raise ValueError(
            phrase("latitude and longitude are decimal degrees, such as 41.785, -73.694")
        ) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(phrase("latitude lies between -90 and 90, longitude between -180 and 180"))
    return latitude, longitude
