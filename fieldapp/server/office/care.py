"""A patient's care page (plan-of-care tasks, medications, photos and documents), the forms that add and
change tasks and medications (written through the tablets' push path, field by field), the patient's task
history, and one attachment's file (each view is in the API access log, naming the attachment)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response

from fieldapp.domain.care import CATALOGUE, OUTCOME_WORDS, WEEKDAY_WORDS, CareTask, Frequency
from fieldapp.domain.entities import parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.medications import Medication, MedicationStatus, Route
from fieldapp.server.care import queries as care_views
from fieldapp.server.core import office_edits
from fieldapp.server.core.notify import Notice
from fieldapp.server.errors import ApiError
from fieldapp.server.office.common import Flag, Posted, Who, done, refusal, see, write
from fieldapp.server.office.forms import Form, normal
from fieldapp.server.office.i18n import N_, gettext, say
from fieldapp.server.office.web import PREFIX, OfficeRoute, render
from fieldapp.server.patients import queries as patient_views
from fieldapp.server.web.deps import database_of, now_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)
MED_TEXTS = ("name", "strength", "dose", "frequency", "prescriber")


@router.get("/patients/{patient_id}/care")
def care_page(request: Request, who: Who, patient_id: uuid.UUID, ok: Flag = "") -> Response:
    return _page(request, patient_id, notice=done(ok))


def _page(
    request: Request, patient_id: uuid.UUID, *, notice: str = "", error: str = "", status: int = 200
) -> Response:
    with database_of(request).read() as session:
        detail = patient_views.patient(session, patient_id)
        care = care_views.patient_care(session, patient_id)
    return _patient_page(
        request,
        "care.html",
        detail,
        gettext("Care · %(name)s", name=detail.name),
        status=status,
        care=care,
        duties=list(CATALOGUE.values()),
        frequencies=list(Frequency),
        weekdays=list(enumerate(WEEKDAY_WORDS)),
        routes=list(Route),
        notice=notice,
        error=error,
    )


@router.post("/patients/{patient_id}/tasks")
def add_task(request: Request, who: Who, patient_id: uuid.UUID, form: Posted) -> Response:
    return _create(request, who, patient_id, CareTask, _task_values(form))


@router.post("/patients/{patient_id}/tasks/{task_id}")
def edit_task(
    request: Request, who: Who, patient_id: uuid.UUID, task_id: uuid.UUID, form: Posted
) -> Response:
    return _edit(request, who, patient_id, "care_task", task_id, _task_values(form, editing=True))


@router.post("/patients/{patient_id}/medications")
def add_medication(request: Request, who: Who, patient_id: uuid.UUID, form: Posted) -> Response:
    return _create(request, who, patient_id, Medication, _medication_values(form))


@router.post("/patients/{patient_id}/medications/{medication_id}")
def edit_medication(
    request: Request, who: Who, patient_id: uuid.UUID, medication_id: uuid.UUID, form: Posted
) -> Response:
    with database_of(request).read() as session:
        held = {m.id: m for m in care_views.patient_care(session, patient_id).medications}.get(medication_id)
    before = held.model_dump(mode="json") if held else {}
    # Only the fields the office changed: a nurse's edit of another field made meanwhile survives.
    changes = {k: v for k, v in _medication_values(form).items() if before.get(k) != v}
    return _edit(request, who, patient_id, "medication", medication_id, changes)


@router.get("/patients/{patient_id}/task-history")
def task_history(request: Request, who: Who, patient_id: uuid.UUID) -> Response:
    with database_of(request).read() as session:
        detail = patient_views.patient(session, patient_id)
        lines = care_views.task_history(session, patient_id)
    title = gettext("Task history · %(name)s", name=detail.name)
    return _patient_page(
        request, "task_history.html", detail, title, lines=lines, outcome_words=OUTCOME_WORDS
    )


@router.get("/attachments/{attachment_id}")
def attachment(request: Request, who: Who, attachment_id: uuid.UUID) -> Response:
    """One photo or document, shown in the browser; the access log records who viewed which attachment."""
    with database_of(request).read() as session:
        found, blob = care_views.attachment_file(session, attachment_id)
    name = f"{found.caption or found.kind.words}.{found.media_type.rsplit('/', 1)[-1]}".replace('"', "")
    return Response(
        blob.content,
        media_type=blob.media_type,
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Cache-Control": "private, no-store",  # every view reaches the server, and its log
        },
    )


# -- helpers ------------------------------------------------------------------------------------------------


def _patient_page(
    request: Request, template: str, detail: patient_views.PatientDetail, title: str, **context: Any
) -> Response:
    """A page about one patient (``p`` in the template), under Patients in the menu."""
    return render(request, template, title=title, nav="patients", p=detail, **context)


def _create(
    request: Request,
    who: Who,
    patient_id: uuid.UUID,
    kind: type[CareTask] | type[Medication],
    values: dict[str, Any],
) -> Response:
    """Add the patient a record of ``kind`` made of ``values`` (checked in the write: bad values refused)."""
    record = {"patient_id": str(patient_id), **values}
    return _save(
        request,
        patient_id,
        lambda s: office_edits.create_record(
            s, settings_of(request), who, parse(kind, record), now_of(request)
        ),
    )


def _edit(
    request: Request,
    who: Who,
    patient_id: uuid.UUID,
    entity: str,
    record_id: uuid.UUID,
    changes: dict[str, Any],
) -> Response:
    """Change the fields in ``changes`` of the patient's record ``record_id`` (an ``entity``)."""
    return _save(
        request,
        patient_id,
        lambda s: office_edits.edit_record(
            s, settings_of(request), who, entity, record_id, changes, now_of(request)
        ),
    )


def _save(
    request: Request, patient_id: uuid.UUID, work: Callable[[Any], office_edits.Changed | None]
) -> Response:
    """One write through the push path; a refusal shows the page again with the reason, nothing saved."""

    def run(session: Any) -> tuple[office_edits.Changed | None, Notice | None]:
        changed = work(session)
        return changed, Notice.after(changed)

    try:
        changed = write(request, run)
    except ValidationError as exc:
        reasons = "; ".join(_problem(field, problem) for field, problem in exc.problems.items())
        return _page(
            request, patient_id, error=gettext("Nothing was saved: %(reason)s", reason=reasons), status=422
        )
    except ApiError as exc:
        if exc.status == 404:
            raise
        return _page(
            request,
            patient_id,
            error=gettext("Nothing was saved: %(reason)s", reason=refusal(exc)),
            status=422,
        )
    return see(f"{PREFIX}/patients/{patient_id}/care", ok="saved" if changed else "unchanged")


# The fields of a task or a medication as the care page names them (a problem of the whole record: none).
FIELD_WORDS = {
    "code": N_("Code"),
    "title": N_("Title"),
    "frequency": N_("How often"),
    "weekdays": N_("Weekdays"),
    "instructions": N_("Instructions"),
    "position": N_("Order on the list"),
    "name": N_("Name"),
    "strength": N_("Strength"),
    "dose": N_("Dose"),
    "route": N_("Route"),
    "prescriber": N_("Prescriber"),
    "start_date": N_("Start"),
    "stop_date": N_("Stop"),
    "notes": N_("Notes"),
    "status": N_("Status"),
}


def _problem(field: str, problem: str) -> str:
    """One problem of a refused task or medication, in the page's language, with the field it is about."""
    if field == "*":
        return say(problem)
    named = gettext(FIELD_WORDS[field]) if field in FIELD_WORDS else field.replace("_", " ")
    return gettext("%(field)s: %(problem)s", field=named, problem=say(problem))


def _task_values(form: Form, *, editing: bool = False) -> dict[str, Any]:
    """A task's fields from its form (a duty from the catalogue, or a free task's title)."""
    frequency = form.get("frequency", Frequency.EVERY_VISIT.value)
    days = [d for d in range(7) if form.get(f"day{d}")]
    values: dict[str, Any] = {
        "frequency": frequency,
        "weekdays": days if frequency == Frequency.WEEKDAYS.value else [],
        "instructions": normal(form.get("instructions")),
        "active": form.get("active", "1") == "1",
    }
    if not editing:
        code = form.get("code").strip()
        values.update(
            code=code or None, title=form.get("title").strip(), position=_number(form.get("position"))
        )
    return values


def _medication_values(form: Form) -> dict[str, Any]:
    """A medication's fields from its form (empty dates are no date)."""
    values: dict[str, Any] = {name: form.get(name).strip() for name in MED_TEXTS}
    values.update(
        route=form.get("route", Route.ORAL.value),
        start_date=form.get("start_date").strip() or None,
        stop_date=form.get("stop_date").strip() or None,
        notes=normal(form.get("notes")),
        status=form.get("status", MedicationStatus.ACTIVE.value),
    )
    return values


def _number(text: str) -> int:
    try:
        return max(0, min(10_000, int(text)))
    except ValueError:
        return 0
