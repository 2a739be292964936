"""One occurrence of a series by the agency's names: the series' external id and the occurrence's day.

A series' visits have ids derived from the series' lineage and their day (``occurrence_id``), so the
agency's system addresses one as ``/schedule/series/{external_id}/occurrences/{YYYY-MM-DD}`` and its
answers name it ``{external_id}/{YYYY-MM-DD}``. Changing, cancelling or restoring one occurrence detaches
it from the series: later edits of the series leave it alone (decision 0023). The day is the one the
series gave it, even after the occurrence was moved to another day.
"""

from __future__ import annotations

import uuid
from datetime import date

from fieldapp.domain.schedule import occurrence_id
from fieldapp.server.core.notify import Notice
from fieldapp.server.errors import NotFound
from fieldapp.server.scheduling import queries, visits
from fieldapp.server.scheduling.external import Times, visit_answer, visit_view, worker_named
from fieldapp.server.scheduling.schemas import OccurrenceIn, ReasonIn, VisitOut, VisitView
from fieldapp.server.scheduling.writes import Author


def name_of(series_external_id: str, day: date) -> str:
    """The occurrence's name in answers: ``PAT-9/2026-12-07``."""
    return f"{series_external_id}/{day.isoformat()}"


def visit_id_of(author: Author, series_external_id: str, day: date) -> uuid.UUID:
    """The visit id of the series' occurrence on ``day``; NotFound for an unknown series or a day it has
    no visit on."""
    root = queries.series_by_external_id(author.session, series_external_id)
    if root is None:
        raise NotFound(f"no series {series_external_id}")
    visit_id = occurrence_id(root.root_id, day)
    if not queries.visit_exists(author.session, visit_id):
        raise NotFound(f"series {series_external_id} has no visit on {day.isoformat()}")
    return visit_id


def get(author: Author, series_external_id: str, day: date) -> VisitView:
    """The occurrence as stored."""
    visit = visits.current_visit(author, visit_id_of(author, series_external_id, day))
    return visit_view(name_of(series_external_id, day), visit)


def put(
    author: Author, series_external_id: str, day: date, body: OccurrenceIn
) -> tuple[VisitOut, Notice | None]:
    """Move, reassign or change one occurrence (its patient stays the series')."""
    visit_id = visit_id_of(author, series_external_id, day)
    current = visits.current_visit(author, visit_id)
    notes = current.worker_notes if body.worker_notes is None else body.worker_notes
    times = Times(body.date or day, body.start, body.end)
    plan = times.plan(author, worker_named(author, body.worker), current.patient_id, body.service_code, notes)
    saved = visits.save_visit(author, visit_id, plan, join_caseload=True)
    return visit_answer(name_of(series_external_id, day), saved)


def cancel(
    author: Author, series_external_id: str, day: date, body: ReasonIn
) -> tuple[VisitOut, Notice | None]:
    """Cancel one occurrence with a reason."""
    saved = visits.cancel_visit(author, visit_id_of(author, series_external_id, day), body.reason)
    return visit_answer(name_of(series_external_id, day), saved)


def restore(author: Author, series_external_id: str, day: date) -> tuple[VisitOut, Notice | None]:
    """Schedule a cancelled occurrence again."""
    saved = visits.restore_visit(author, visit_id_of(author, series_external_id, day))
    return visit_answer(name_of(series_external_id, day), saved)
