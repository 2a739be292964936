"""What the office's read models share: pages of a longer list, patient rows and their search, and the
names of users and patients by id. Times are zone-aware in UTC; the pages show them in the agency's zone."""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.people import AgencyCard
from fieldapp.domain.text import fold
from fieldapp.domain.values import VisitStatus
from fieldapp.domain.verification import EvvPolicy
from fieldapp.server.models import Agency, Assignment, Record, User

PER_PAGE = 50
MAX_QUERY = 100
WORKED = frozenset({VisitStatus.IN_PROGRESS, VisitStatus.COMPLETED})
T = TypeVar("T")
THRESHOLDS = (
    "late_after_min",
    "early_check_in_min",
    "early_check_out_min",
    "late_check_out_min",
    "short_visit_pct",
    "long_visit_pct",
    "far_m",
)
"""The agency card's fields that make its ``evv_policy``."""


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


def text_field(column: str) -> sa.ColumnElement[str]:
    """A field of the records' JSON as text, for sorting and selecting."""
    text: sa.ColumnElement[str] = Record.fields[column].as_string()
    return text


def evv_policy(session: Session) -> EvvPolicy:
    """The agency's visit-verification thresholds (its card's; the defaults until the office sets them), as
    the tablets receive them with the card: the office judges visits by the same numbers."""
    row = session.get(Agency, 1)
    if row is None:
        return AgencyCard().evv_policy
    return AgencyCard.model_validate({name: getattr(row, name) for name in THRESHOLDS}).evv_policy


def page_number(page: int, total: int, per_page: int) -> int:
    return max(1, min(page, max(1, math.ceil(total / per_page))))


def usernames(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return dict(session.execute(sa.select(User.id, User.username).where(User.id.in_(ids))).all())


def patient_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names ("Family, Given") of the patient records among ``ids``.

    Found by primary key alone, the entity checked here: a condition on ``entity`` beside ``id IN`` makes
    SQLite walk the entity's index over every patient instead (20-60 ms for a board's 160 patients)."""
    if not ids:
        return {}
    rows = session.execute(
        sa.select(Record.id, Record.entity, text_field("family_name"), text_field("given_name")).where(
            Record.id.in_(list(ids))
        )
    ).all()
    return {rid: f"{family}, {given}" for rid, entity, family, given in rows if entity == "patient"}


def aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


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


def patient_filter(session: Session, query: str) -> sa.ColumnElement[bool]:
    """Every word of ``query`` in the family name, given name or MRN: literal substrings of the record's
    stored search text, accents and case folded like the tablet's search ("nunez" finds Núñez)."""
    words = fold(query.strip()[:MAX_QUERY]).split()[:4]
    if not words:
        return sa.true()
    return sa.and_(*(Record.search_text.contains(word, autoescape=True) for word in words))


def patient_page(
    session: Session, where: Sequence[sa.ColumnElement[bool]], page: int, per_page: int, *, search: bool
) -> Page[PatientRow]:
    conditions = [Record.entity == "patient", Record.deleted.is_(None), *where]
    order = (sa.func.lower(text_field("family_name")), sa.func.lower(text_field("given_name")), Record.id)
    if search:
        # A text search is the costly part: evaluate it once, counting the matches as a window.
        query = sa.select(Record.id, sa.func.count().over()).where(*conditions).order_by(*order)
        found = session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
        ids, total = [row[0] for row in found], (found[0][1] if found else None)
    else:
        ids, total = [], None
    if total is None:
        total = session.scalar(sa.select(sa.func.count()).select_from(Record).where(*conditions)) or 0
        page = page_number(page, total, per_page)
        ids_only = sa.select(Record.id).where(*conditions).order_by(*order)
        ids = list(session.scalars(ids_only.limit(per_page).offset((page - 1) * per_page)))
    rows = {r.id: r for r in session.scalars(sa.select(Record).where(Record.id.in_(ids)))} if ids else {}
    workers = workers_of(session, ids)
    items = [patient_row(rows[i], workers.get(i, ())) for i in ids if i in rows]
    return Page(items, total, page, per_page)


def patient_row(row: Record, workers: Iterable[str]) -> PatientRow:
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


def workers_of(session: Session, patient_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
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
