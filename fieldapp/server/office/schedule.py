"""The office's scheduling pages: a worker's week, one visit (create, move, reassign, cancel), series.

Every form works without script. Saving shows the warnings first (double booking, outside the worker's
hours, over the weekly limit) and saves only when the scheduler confirms; a patient not on the worker's
caseload is added only after a clear prompt. Writes go through the scheduling services, which push them
like any office edit, so the tablets receive them through the change feed and the event stream.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError as PydanticValidationError

from fieldapp.domain.schedule import Series
from fieldapp.domain.schedule_checks import WorkerHours
from fieldapp.server.errors import ApiError, NotFound
from fieldapp.server.office import i18n
from fieldapp.server.office import schedule_forms as sf
from fieldapp.server.office.common import Flag, Posted, Who, day_of, see, today, uuid_of, write
from fieldapp.server.office.forms import Form
from fieldapp.server.office.i18n import N_, gettext
from fieldapp.server.office.web import PREFIX, OfficeRoute, render, zone_of
from fieldapp.server.scheduling import hours as hours_service
from fieldapp.server.scheduling import series as series_service
from fieldapp.server.scheduling import views
from fieldapp.server.scheduling import visits as visit_service
from fieldapp.server.scheduling.writes import Author
from fieldapp.server.web.deps import database_of, now_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)
Text = Annotated[str, Query(max_length=64)]
BASE = f"{PREFIX}/schedule"

DONE = {
    "scheduled": N_(
        "Saved. The worker's tablet receives it within seconds when online, or at its next sync."
    ),
    "unchanged": N_("Nothing was changed, so nothing was saved."),
    "cancelled": N_("Cancelled. The worker's tablet shows the reason."),
    "restored": N_("The visit is scheduled again."),
    "series": N_("Series saved and its visits scheduled."),
    "hours": N_("Working hours saved: new and changed visits are checked against them."),
}


def _author(request: Request, who: Any, session: Any) -> Author:
    return Author(session, settings_of(request), who, now_of(request))


@router.get("/schedule/week")
def week(request: Request, who: Who, worker: Text = "", day: Text = "", ok: Flag = "") -> Response:
    chosen = day_of(request, day)
    with database_of(request).read() as session:
        workers = views.worker_choices(session)
        worker_id = uuid_of(worker, "worker") if worker else (workers[0][0] if workers else None)
        shown = (
            views.week(session, worker_id, chosen, zone_of(request), now_of(request)) if worker_id else None
        )
    return render(
        request,
        "schedule_week.html",
        title=gettext("Week"),
        nav="schedule",
        week=shown,
        workers=workers,
        previous=chosen - timedelta(days=7),
        following=chosen + timedelta(days=7),
        today=today(request),
        notice=gettext(DONE[ok]) if ok in DONE else "",
    )


@router.get("/schedule/hours/{worker_id}")
def hours_page(request: Request, who: Who, worker_id: uuid.UUID, ok: Flag = "") -> Response:
    with database_of(request).read() as session:
        current = hours_service.hours_of(session, worker_id)
    return _hours_form(
        request, worker_id, sf.hours_inputs(current), {}, notice=gettext(DONE[ok]) if ok in DONE else ""
    )


@router.post("/schedule/hours/{worker_id}")
def save_hours(request: Request, who: Who, worker_id: uuid.UUID, form: Posted) -> Response:
    hours, problems = sf.read_hours(form)
    if hours is None:
        shown = sf.hours_inputs(WorkerHours()) | dict(form.values)
        return _hours_form(request, worker_id, shown, problems, status=422)
    try:
        write(request, lambda session: _hours_saved(session, worker_id, hours))
    except ApiError as exc:
        shown = sf.hours_inputs(WorkerHours()) | dict(form.values)
        return _hours_form(request, worker_id, shown, {"*": i18n.say(exc.message)}, status=422)
    return see(f"{BASE}/week", worker=str(worker_id), ok="hours")


def _hours_saved(session: Any, worker_id: uuid.UUID, hours: WorkerHours) -> tuple[None, None]:
    hours_service.set_hours(session, worker_id, hours)
    return None, None  # hours are the office's own: nothing for the tablets


def _hours_form(
    request: Request,
    worker_id: uuid.UUID,
    inputs: dict[str, str],
    problems: dict[str, str],
    *,
    status: int = 200,
    notice: str = "",
) -> Response:
    with database_of(request).read() as session:
        names = dict(views.worker_choices(session))
    if worker_id not in names:
        raise NotFound(gettext("There is no field worker %(id)s.", id=worker_id))
    return render(
        request,
        "schedule_hours.html",
        status=status,
        title=gettext("Working hours"),
        nav="schedule",
        worker_id=worker_id,
        worker=names[worker_id],
        inputs=inputs,
        problems=problems,
        weekdays=sf.weekday_choices(),
        notice=notice,
        error=problems.get("*", ""),
    )


# -- one visit -----------------------------------------------------------------------------------------------


@router.get("/schedule/visits/new")
def new_visit(request: Request, who: Who, worker: Text = "", day: Text = "", patient: Text = "") -> Response:
    inputs = sf.visit_inputs(None, zone_of(request), worker_id=worker, patient_id=patient, day=day)
    return _visit_form(request, None, inputs, {})


@router.post("/schedule/visits/new")
def create_visit(request: Request, who: Who, form: Posted) -> Response:
    return _save(request, who, form, None)


@router.get("/schedule/visits/{visit_id}")
def visit(request: Request, who: Who, visit_id: uuid.UUID, ok: Flag = "") -> Response:
    current = _stored(request, who, visit_id)
    return _visit_form(
        request,
        current,
        sf.visit_inputs(current, zone_of(request)),
        {},
        notice=gettext(DONE[ok]) if ok in DONE else "",
    )


@router.post("/schedule/visits/{visit_id}")
def edit_visit(request: Request, who: Who, visit_id: uuid.UUID, form: Posted) -> Response:
    return _save(request, who, form, visit_id)


@router.post("/schedule/visits/{visit_id}/cancel")
def cancel_visit(request: Request, who: Who, visit_id: uuid.UUID, form: Posted) -> Response:
    current = _stored(request, who, visit_id)
    try:
        saved = write(
            request,
            lambda s: _notified(
                visit_service.cancel_visit(_author(request, who, s), visit_id, form.get("reason"))
            ),
        )
    except ApiError as exc:
        if exc.status == 404:
            raise
        inputs = sf.visit_inputs(current, zone_of(request))
        return _visit_form(request, current, inputs, {"reason": i18n.say(exc.message)}, status=422)
    return see(f"{BASE}/visits/{visit_id}", ok="cancelled" if saved.written.updated else "unchanged")


@router.post("/schedule/visits/{visit_id}/restore")
def restore_visit(request: Request, who: Who, visit_id: uuid.UUID, form: Posted) -> Response:
    """Schedule a cancelled visit again. Like saving, the warnings its slot now brings (double booking,
    outside the worker's hours) are shown first and the visit is restored only when confirmed; the page
    after the restore still names them."""
    if not form.get("confirm"):
        with database_of(request).read() as session:
            warnings = visit_service.restore_warnings(_author(request, who, session), visit_id)
        if warnings:
            current = _stored(request, who, visit_id)
            inputs = sf.visit_inputs(current, zone_of(request))
            return _visit_form(
                request, current, inputs, {}, restore_warnings=[i18n.say(w.message) for w in warnings]
            )
    saved = write(
        request, lambda s: _notified(visit_service.restore_visit(_author(request, who, s), visit_id))
    )
    if not saved.warnings:
        return see(f"{BASE}/visits/{visit_id}", ok="restored" if saved.written.updated else "unchanged")
    current = _stored(request, who, visit_id)
    return _visit_form(
        request,
        current,
        sf.visit_inputs(current, zone_of(request)),
        {},
        notice=gettext(DONE["restored"]),
        restored_warnings=[i18n.say(w.message) for w in saved.warnings],
    )


def _visit_shown(request: Request, form: Any) -> dict[str, str]:
    """A posted visit form as shown again: what was typed, over the empty form's defaults."""
    return sf.visit_inputs(None, zone_of(request)) | dict(form.values)


def _series_shown(form: Any) -> dict[str, str]:
    """A posted series form as shown again."""
    return sf.series_inputs(None) | dict(form.values)


def _notified(saved: Any) -> tuple[Any, Any]:
    return saved, saved.written.notice


def _stored(request: Request, who: Any, visit_id: uuid.UUID) -> Any:
    with database_of(request).read() as session:
        return visit_service.current_visit(_author(request, who, session), visit_id)


def _save(request: Request, who: Any, form: Any, visit_id: uuid.UUID | None) -> Response:
    zone = zone_of(request)
    posted_id, plan, problems = sf.read_visit(form, zone)
    target = visit_id or posted_id
    current = _stored(request, who, visit_id) if visit_id else None
    if plan is None or target is None:
        return _visit_form(request, current, _visit_shown(request, form), problems, status=422)
    if not form.get("confirm"):
        with database_of(request).read() as session:
            warnings = visit_service.check_visit(_author(request, who, session), target, plan)
        if warnings:
            return _visit_form(
                request,
                current,
                _visit_shown(request, form),
                {},
                warnings=[i18n.say(w.message) for w in warnings],
            )
    join = form.get("join") == "1"
    try:
        saved = write(
            request,
            lambda s: _notified(
                visit_service.save_visit(_author(request, who, s), target, plan, join_caseload=join)
            ),
        )
    except ApiError as exc:
        if exc.code == "caseload":
            return _visit_form(
                request, current, _visit_shown(request, form), {}, caseload_prompt=i18n.say(exc.message)
            )
        return _visit_form(
            request, current, _visit_shown(request, form), {"*": i18n.say(exc.message)}, status=422
        )
    monday = plan.start.astimezone(zone).date()
    return see(
        f"{BASE}/week",
        worker=str(plan.worker_id),
        day=monday.isoformat(),
        ok="scheduled" if saved.outcome != "unchanged" else "unchanged",
    )


def _visit_form(
    request: Request,
    current: Any,
    inputs: dict[str, str],
    problems: dict[str, str],
    *,
    status: int = 200,
    notice: str = "",
    warnings: list[str] | None = None,
    caseload_prompt: str = "",
    **restore: list[str],
) -> Response:
    """The visit form; ``restore`` may hold ``restore_warnings`` (asked before scheduling a cancelled
    visit again) or ``restored_warnings`` (what the restored visit brings)."""
    return _form_page(
        request,
        "schedule_visit.html",
        inputs,
        problems,
        status=status,
        title=gettext("Visit") if current else gettext("New visit"),
        current=current,
        warnings=warnings or [],
        caseload_prompt=caseload_prompt,
        notice=notice,
        restore_warnings=restore.get("restore_warnings", []),
        restored_warnings=restore.get("restored_warnings", []),
    )


def _form_page(
    request: Request, template: str, inputs: dict[str, str], problems: dict[str, str], **context: Any
) -> Response:
    """A scheduling form with the choices it offers (workers, patients, services) and its problems."""
    with database_of(request).read() as session:
        choices = views.choices(session)
    return render(
        request,
        template,
        nav="schedule",
        inputs=inputs,
        problems=problems,
        choices=choices,
        error=problems.get("*", ""),
        **context,
    )


# -- series --------------------------------------------------------------------------------------------------


@router.get("/schedule/series/new")
def new_series(request: Request, who: Who, worker: Text = "", patient: Text = "", day: Text = "") -> Response:
    inputs = sf.series_inputs(None, worker_id=worker, patient_id=patient, start_date=day)
    return _series_form(request, None, inputs, {})


@router.post("/schedule/series/new")
def create_series(request: Request, who: Who, form: Posted) -> Response:
    values, problems = sf.read_series(form, zone_of(request))
    series_id = uuid_of(form.get("series_id"), "series")
    if problems:
        return _series_form(request, None, _series_shown(form), problems, status=422)
    join = form.get("join") == "1"
    try:
        wanted = Series.model_validate({**values, "id": series_id})
    except PydanticValidationError as exc:
        problem = i18n.say(series_service.invalid_series(exc).message)
        return _series_form(request, None, _series_shown(form), {"*": problem}, status=422)
    try:
        saved = write(
            request,
            lambda s: _series_notice(
                series_service.save_series(_author(request, who, s), wanted, join_caseload=join)
            ),
        )
    except ApiError as exc:
        return _series_refused(request, None, form, exc)
    return see(f"{BASE}/series/{saved.series.id}", ok="series")


@router.get("/schedule/series/{series_id}")
def series_page(request: Request, who: Who, series_id: uuid.UUID, ok: Flag = "") -> Response:
    shown = _lineage(request, series_id)
    return _series_form(
        request, shown, sf.series_inputs(shown.current), {}, notice=gettext(DONE[ok]) if ok in DONE else ""
    )


@router.post("/schedule/series/{series_id}/edit")
def edit_series(request: Request, who: Who, series_id: uuid.UUID, form: Posted) -> Response:
    shown = _lineage(request, series_id)
    values, problems = sf.read_series(form, zone_of(request))
    from_day = sf.read_day(form, "from_day", problems)
    if problems or from_day is None:
        return _series_form(request, shown, _series_shown(form), problems, status=422)
    join = form.get("join") == "1"

    def work(session: Any) -> tuple[series_service.SeriesSaved, Any]:
        author = _author(request, who, session)
        part = series_service.part_on(author, shown.root_id, from_day)
        return _series_notice(series_service.edit_from(author, part.id, from_day, values, join_caseload=join))

    try:
        write(request, work)
    except ApiError as exc:
        return _series_refused(request, shown, form, exc)
    return see(f"{BASE}/series/{series_id}", ok="series")


@router.post("/schedule/series/{series_id}/cancel")
def cancel_series(request: Request, who: Who, series_id: uuid.UUID, form: Posted) -> Response:
    shown = _lineage(request, series_id)
    problems: dict[str, str] = {}
    from_day = sf.read_day(form, "cancel_from", problems)
    if from_day is None:
        return _series_form(request, shown, sf.series_inputs(shown.current), problems, status=422)

    def work(session: Any) -> tuple[series_service.SeriesSaved, Any]:
        author = _author(request, who, session)
        return _series_notice(
            series_service.cancel_lineage_from(author, shown.root_id, from_day, form.get("reason"))
        )

    try:
        write(request, work)
    except ApiError as exc:
        return _series_form(
            request, shown, sf.series_inputs(shown.current), {"reason": i18n.say(exc.message)}, status=422
        )
    return see(f"{BASE}/series/{series_id}", ok="cancelled")


def _lineage(request: Request, series_id: uuid.UUID) -> views.SeriesView:
    with database_of(request).read() as session:
        shown = views.series_view(session, series_id)
    if shown is None:
        raise NotFound(gettext("There is no series %(id)s.", id=series_id))
    return shown


def _series_notice(saved: series_service.SeriesSaved) -> tuple[series_service.SeriesSaved, Any]:
    return saved, saved.written.notice


def _series_refused(request: Request, shown: views.SeriesView | None, form: Form, exc: ApiError) -> Response:
    """The series form again after the save was refused: the caseload question to confirm, or the reason."""
    if exc.code == "caseload":
        return _series_form(request, shown, _series_shown(form), {}, caseload_prompt=exc.message)
    return _series_form(request, shown, _series_shown(form), {"*": exc.message}, status=422)


def _series_form(
    request: Request,
    shown: views.SeriesView | None,
    inputs: dict[str, str],
    problems: dict[str, str],
    *,
    status: int = 200,
    notice: str = "",
    caseload_prompt: str = "",
) -> Response:
    return _form_page(
        request,
        "schedule_series.html",
        inputs,
        i18n.said(problems),  # what the services refused, in the page's language
        status=status,
        title=gettext("Series") if shown else gettext("New series"),
        shown=shown,
        weekdays=sf.weekday_choices(),
        caseload_prompt=i18n.say(caseload_prompt),
        today=today(request),
        notice=notice,
    )
