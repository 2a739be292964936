"""The patient list, registering a patient, and one patient's page and edit form."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from fieldapp.domain.entities import Patient, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.server.caseloads import queries as caseload_views
from fieldapp.server.core import office_edits
from fieldapp.server.core.notify import Notice
from fieldapp.server.errors import ApiError
from fieldapp.server.exceptions import queries as exception_views
from fieldapp.server.office import common, forms
from fieldapp.server.office.common import Flag, PageNo, Posted, Search, T, Who
from fieldapp.server.office.i18n import gettext, ngettext, said, say
from fieldapp.server.office.web import PREFIX, OfficeRoute, error_page, render
from fieldapp.server.patients import queries as patient_views
from fieldapp.server.web.deps import database_of, now_of, settings_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


@router.get("/patients")
def patients(request: Request, who: Who, q: Search = "", page: PageNo = 1, ok: Flag = "") -> Response:
    with database_of(request).read() as session:
        found = patient_views.patients(session, q, page)
    title, notice = gettext("Patients"), common.done(ok)
    return render(request, "patients.html", title=title, nav="patients", q=q, found=found, notice=notice)


@router.get("/patients/new")
def new_patient(request: Request, who: Who) -> Response:
    return _patient_form(request, None, forms.patient_inputs({}), {})


@router.post("/patients/new")
def create_patient(request: Request, who: Who, form: Posted) -> Response:
    folding = forms.fold_allergy_rows(form.values)
    if form.get("more_allergies"):
        return _patient_form(request, None, form.values, {}, blank=_more(form))
    values, problems = forms.patient_values(form.values, list(forms.GROUPS))
    problems = {**problems, **({"allergies": folding} if folding else {})}
    if not problems:
        try:
            patient = common.write(
                request,
                lambda s: _with_notice(
                    office_edits.create_patient(s, settings_of(request), who, values, now_of(request))
                ),
            )
        except ValidationError as exc:
            problems = _problems(exc.problems)
        except ApiError as exc:
            problems = {"*": common.refusal(exc)}
        else:
            return common.see(f"{PREFIX}/patients/{patient.id}", ok="created")
    else:
        problems = {**_domain_problems({}, values), **problems}
    return _patient_form(request, None, form.values, problems, status=422)


def _more(form: Any) -> int:
    """Blank allergy rows after "More rows": as many again as the form showed."""
    shown = form.get("allergy_blank")
    blank = int(shown) if shown.isdigit() else forms.BLANK_ALLERGY_ROWS
    return min(blank + forms.BLANK_ALLERGY_ROWS, 40)


def _domain_problems(current: dict[str, Any], values: dict[str, Any]) -> dict[str, str]:
    """What the domain model says of the record as it would become (to report every problem at once
    when some input could not even be read)."""
    try:
        parse(Patient, {**current, **values})
    except ValidationError as exc:
        return _problems(exc.problems)
    return {}


def _with_notice(result: tuple[T, office_edits.Changed | None]) -> tuple[T, Notice | None]:
    value, changed = result
    return value, Notice.after(changed)


@router.get("/patients/{patient_id}")
def patient(request: Request, who: Who, patient_id: uuid.UUID, ok: Flag = "") -> Response:
    with database_of(request).read() as session:
        detail = patient_views.patient(session, patient_id)
    return _patient_form(request, detail, forms.patient_inputs(detail.values), {}, notice=common.done(ok))


@router.post("/patients/{patient_id}")
def edit_patient(request: Request, who: Who, patient_id: uuid.UUID, form: Posted) -> Response:
    folding = forms.fold_allergy_rows(form.values)
    if form.get("more_allergies"):
        with database_of(request).read() as session:
            detail = patient_views.patient(session, patient_id)
        return _patient_form(request, detail, form.values, {}, keep_seen=True, blank=_more(form))
    groups = [g for g in forms.changed_groups(form) if g != "mrn"]
    values, problems = forms.patient_values(form.values, groups)
    problems = {**problems, **({"allergies": folding} if folding else {})}
    bases = {g: form.get(f"base_{g}") or None for g in groups}

    def work(session: Any) -> tuple[office_edits.Changed | None, Notice | None]:
        changed = office_edits.edit_patient(
            session, settings_of(request), who, patient_id, values, bases, now_of(request)
        )
        return changed, Notice.after(changed)

    if not problems:
        try:
            changed = common.write(request, work)
        except ValidationError as exc:
            problems = _problems(exc.problems)
        except ApiError as exc:
            if exc.status == 404:
                raise
            problems = {"*": common.refusal(exc)}
        else:
            return common.see(f"{PREFIX}/patients/{patient_id}", ok="saved" if changed else "unchanged")
    with database_of(request).read() as session:
        detail = patient_views.patient(session, patient_id)
    if "*" not in problems:
        problems = {**_domain_problems(detail.values, values), **problems}
    return _patient_form(request, detail, form.values, problems, status=422, keep_seen=True)


def _problems(found: dict[str, str]) -> dict[str, str]:
    problems: dict[str, str] = {}
    for path, message in found.items():
        name = forms.input_of(path)
        text = forms.problem_text(path, message)
        problems[name] = f"{problems[name]}; {text}" if name in problems else text
    return problems


def _patient_form(
    request: Request,
    detail: patient_views.PatientDetail | None,
    inputs: dict[str, str],
    problems: dict[str, str],
    *,
    status: int = 200,
    notice: str = "",
    keep_seen: bool = False,
    blank: int = forms.BLANK_ALLERGY_ROWS,
) -> Response:
    """The patient page (or the new-patient form) with ``inputs`` shown and ``problems`` next to them."""
    seen: dict[str, str] = {}
    bases: dict[str, str] = {}
    if detail is not None:
        shown = forms.patient_inputs(detail.values)
        for group in forms.GROUPS:
            seen[group] = forms.digest(group, shown)
            bases[group] = detail.stamps.get(group, "")
        if keep_seen:  # a refused edit is shown again on top of what was first shown, not the newer record
            form_values = inputs
            for group in forms.GROUPS:
                seen[group] = form_values.get(f"seen_{group}", seen[group])
                bases[group] = form_values.get(f"base_{group}", bases[group])
    workers: list[tuple[uuid.UUID, str]] = []
    fixes: list[exception_views.Fix] = []
    if detail is not None:
        with database_of(request).read() as session:
            workers = caseload_views.worker_choices(session)
            fixes = exception_views.recent_fixes(session, detail.id)
    error = ""
    if problems:
        error = ngettext(
            "Nothing was saved: %(num)s problem to correct below.",
            "Nothing was saved: %(num)s problems to correct below.",
            len(problems),
        )
        if "*" in problems:
            error = gettext("Nothing was saved: %(reason)s", reason=problems["*"])
    return render(
        request,
        "patient.html",
        status=status,
        title=detail.name if detail else gettext("New patient"),
        nav="patients",
        p=detail,
        inputs={name: inputs.get(name, "") for name in forms.INPUTS},
        problems=problems,
        seen=seen,
        bases=bases,
        sexes=forms.SEXES,
        severities=forms.SEVERITIES,
        allergies=forms.allergy_rows(inputs.get("allergies", ""), blank),
        blank=blank,
        workers=[w for w in workers if detail is None or w[0] not in {x for x, _ in detail.workers}],
        error=error,
        notice=notice,
        fixes=fixes,
        home=(detail.values.get("address") or {}) if detail else {},
    )


@router.post("/patients/{patient_id}/home")
def set_home(request: Request, who: Who, patient_id: uuid.UUID, form: Posted) -> Response:
    """Set the home's position (for the check-in distance rule): typed as "latitude, longitude", or one
    of the GPS positions recorded at the patient's visits."""
    try:
        latitude, longitude = exception_views.parse_position(form.get("position"))
    except ValueError as exc:
        return error_page(
            request,
            422,
            gettext("The home's position was not saved: %(reason)s.", reason=say(exc.args[0])),
            gettext("Not saved"),
        )
    with database_of(request).read() as session:
        detail = patient_views.patient(session, patient_id)
    address = detail.values.get("address")
    if not address:
        return error_page(
            request,
            422,
            gettext("Enter the patient's address first, then its position."),
            gettext("Not saved"),
        )
    values = {"address": {**address, "latitude": latitude, "longitude": longitude}}
    bases = {"address": form.get("base_address") or None}

    def work(session: Any) -> tuple[office_edits.Changed | None, Notice | None]:
        changed = office_edits.edit_patient(
            session, settings_of(request), who, patient_id, values, bases, now_of(request)
        )
        return changed, Notice.after(changed)

    try:
        changed = common.write(request, work)
    except (ValidationError, ApiError) as exc:
        reason = (
            "; ".join(said(exc.problems).values())
            if isinstance(exc, ValidationError)
            else common.refusal(exc)
        )
        return error_page(
            request,
            422,
            gettext("The home's position was not saved: %(reason)s.", reason=reason),
            gettext("Not saved"),
        )
    return common.see(f"{PREFIX}/patients/{patient_id}", ok="saved" if changed else "unchanged")
