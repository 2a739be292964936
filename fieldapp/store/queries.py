"""Reads for the screens: small, fast queries returning the plain values of ``fieldapp.readmodels.visits``
(no network, no writes)."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, date, datetime, time, timedelta, tzinfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.entities import Observation, Patient, Signature, Visit, VisitNote
from fieldapp.domain.evv import missing_evv
from fieldapp.domain.text import fold
from fieldapp.readmodels.visits import PatientSummary as PatientSummary  # re-exported: what these fill
from fieldapp.readmodels.visits import VisitDetail as VisitDetail
from fieldapp.readmodels.visits import VisitSummary as VisitSummary
from fieldapp.store import attachments, care, exceptions, repo
from fieldapp.store.db import FOLD_FUNCTION
from fieldapp.store.models import PatientRow, VisitNoteRow, VisitRow
from fieldapp.store.records import to_entity


def _live(table: type[PatientRow] | type[VisitRow]) -> sa.ColumnElement[bool]:
    return table.deleted.is_(None)


def count_patients(session: Session, search: str = "") -> int:
    """How many live patients match ``search`` (name or record number, case-insensitive)."""
    query = sa.select(sa.func.count()).select_from(PatientRow).where(_live(PatientRow), _matches(search))
    return session.scalar(query) or 0


def search_patients(
    session: Session, search: str = "", offset: int = 0, limit: int = 200
) -> list[PatientSummary]:
    """A window of the patient list, sorted by family name, for lazy-fetching list views."""
    rows = session.execute(
        sa.select(
            PatientRow.id,
            PatientRow.mrn,
            PatientRow.family_name,
            PatientRow.given_name,
            PatientRow.date_of_birth,
            PatientRow.address,
            PatientRow.allergies,
        )
        .where(_live(PatientRow), _matches(search))
        .order_by(PatientRow.family_name, PatientRow.given_name, PatientRow.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        PatientSummary(
            r.id,
            r.mrn,
            f"{r.family_name}, {r.given_name}",
            r.date_of_birth,
            (r.address or {}).get("city", ""),
            bool(r.allergies),
        )
        for r in rows
    ]


# A search of more words than this finds nobody (SQLite also caps an expression's depth at 1,000).
MAX_SEARCH_WORDS = 16
# Longer than any name (100 characters) or record number (32) even after case folding ("ß" -> "ss"): no match.
MAX_SEARCH_WORD = 300


def _matches(search: str) -> sa.ColumnElement[bool]:
    """Every word of ``search`` is part of the family name, given name or record number.

    Compared as substrings after Unicode normalisation, accent stripping and case folding
    (``domain.text.fold``), with ``instr``: no
    LIKE pattern, so "%", "_" and "\\" are ordinary characters and no text is too long for SQLite. Words
    no name can hold (control characters, lone surrogates, too long, too many) match nobody.
    """
    words = list(dict.fromkeys(fold(search).split()))
    if not words:
        return sa.true()
    if len(words) > MAX_SEARCH_WORDS or not all(_searchable(word) for word in words):
        return sa.false()
    # One folded text per row; words hold no white space, so none matches across the separating spaces.
    searched = getattr(sa.func, FOLD_FUNCTION)(
        PatientRow.family_name + " " + PatientRow.given_name + " " + PatientRow.mrn
    )
    return sa.and_(*(sa.func.instr(searched, word) > 0 for word in words))


def _searchable(word: str) -> bool:
    return len(word) <= MAX_SEARCH_WORD and not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in word)


def visits_on(session: Session, worker_id: uuid.UUID, day: date, zone: tzinfo = UTC) -> list[VisitSummary]:
    """A worker's live visits scheduled on ``day`` (in ``zone``), in time order, with their patients."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    rows = session.scalars(
        sa.select(VisitRow)
        .where(
            _live(VisitRow),
            VisitRow.worker_id == worker_id,
            VisitRow.scheduled_start >= start.astimezone(UTC),
            VisitRow.scheduled_start < (start + timedelta(days=1)).astimezone(UTC),
        )
        .order_by(VisitRow.scheduled_start)
    ).all()
    summaries = []
    for row in rows:
        visit = to_entity(row, Visit)
        patient = repo.get(session, Patient, visit.patient_id)
        summaries.append(
            VisitSummary(
                visit=visit,
                patient_name=patient.display_name if patient else "(patient not on this tablet)",
                address=_address(patient),
                allergies=tuple(a.substance for a in patient.allergies) if patient else (),
                missing=tuple(missing_evv(visit)),
                signed=visit.is_signed,
            )
        )
    return summaries


def visit_detail(session: Session, visit_id: uuid.UUID) -> VisitDetail | None:
    """The visit with its patient, notes, vitals and signature; None when not on this tablet."""
    visit = repo.get(session, Visit, visit_id)
    if visit is None:
        return None
    patient = repo.get(session, Patient, visit.patient_id, include_deleted=True)
    if patient is None:
        return None
    notes = sorted(repo.list_for_visit(session, VisitNote, visit_id), key=lambda n: (n.written_at, str(n.id)))
    observations = sorted(
        repo.list_for_visit(session, Observation, visit_id), key=lambda o: (o.observed_at, str(o.id))
    )
    signatures = repo.list_for_visit(session, Signature, visit_id)
    signature = next((s for s in signatures if s.id == visit.signature_id), None)
    return VisitDetail(
        visit,
        patient,
        tuple(notes),
        tuple(observations),
        signature,
        tuple(missing_evv(visit)),
        checklist=care.visit_checklist(session, visit),
        medications=tuple(care.patient_medications(session, patient.id)),
        attachments=tuple(attachments.gallery(session, patient.id)),
        exceptions=tuple(exceptions.for_visit(session, visit_id)),
        missed_undoable=exceptions.missed_undoable(session, visit_id),
    )


def patient_visits(session: Session, patient_id: uuid.UUID, limit: int = 50) -> list[Visit]:
    """A patient's visits, newest first."""
    rows = session.scalars(
        sa.select(VisitRow)
        .where(_live(VisitRow), VisitRow.patient_id == patient_id)
        .order_by(VisitRow.scheduled_start.desc())
        .limit(limit)
    ).all()
    return [to_entity(row, Visit) for row in rows]


def _address(patient: Patient | None) -> str:
    if patient is None or patient.address is None:
        return ""
    a = patient.address
    return ", ".join(part for part in (a.line1, a.line2, a.city, a.postal_code) if part)


def patient_notes(session: Session, patient_id: uuid.UUID, limit: int = 50) -> list[VisitNote]:
    """A patient's clinical notes (amendments included), newest first."""
    rows = session.scalars(
        sa.select(VisitNoteRow)
        .where(VisitNoteRow.deleted.is_(None), VisitNoteRow.patient_id == patient_id)
        .order_by(VisitNoteRow.written_at.desc(), VisitNoteRow.id)
        .limit(limit)
    ).all()
    return [to_entity(row, VisitNote) for row in rows]
