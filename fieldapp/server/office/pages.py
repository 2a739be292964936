"""The office pages: thin routes over the read models (services.office_views) and the office's writes
(services.office_edits, services.caseload), rendered server-side; every form posts and redirects."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse

from fieldapp.domain.audit import AuditAction
from fieldapp.domain.entities import Patient, parse
from fieldapp.domain.errors import ValidationError
from fieldapp.server.errors import ApiError, Throttled, Unauthorized
from fieldapp.server.office import forms
from fieldapp.server.office.web import (
    PREFIX,
    Form,
    OfficeRoute,
    database_of,
    error_page,
    keep_tokens,
    now_of,
    office_user,
    read_form,
    render,
    renew_csrf,
    safe_next,
    settings_of,
    zone_of,
)
from fieldapp.server.services import audit as audit_service
from fieldapp.server.services import (
    auth,
    caseload,
    feed,
    integrity_log,
    office_auth,
    office_edits,
    office_views,
)
from fieldapp.server.services import fleet as fleet_service
from fieldapp.server.services.auth import Principal
from fieldapp.server.services.notify import Notice, Notifier

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)
Who = Annotated[Principal, Depends(office_user)]
Posted = Annotated[Form, Depends(read_form)]
T = TypeVar("T")

DONE = {
    "assigned": "Patient put on the caseload. The worker's tablets receive the patient at their next sync.",
    "unassigned": "Patient taken off the caseload. The tablets remove it after sending their own changes.",
    "saved": "Saved. The tablets receive the change at their next sync.",
    "unchanged": "Nothing was changed, so nothing was saved.",
    "created": "Patient registered. Put them on a worker's caseload to send them to a tablet.",
    "restored": "The losing value was written back; the tablets receive it at their next sync.",
    "resolved": "Marked resolved; the current value stays.",
    "disabled": "The device is disabled: it sends what it holds, then wipes itself.",
    "enabled": "The device stays in service (it had not wiped itself yet).",
}


def _done(code: str | None) -> str:
    return DONE.get(code or "", "")


def _see(path: str, **query: Any) -> RedirectResponse:
    """Post/redirect/get: the answer to every successful form."""
    items = {k: v for k, v in query.items() if v not in (None, "")}
    return RedirectResponse(path + (f"?{urlencode(items)}" if items else ""), status_code=303)


def _write(request: Request, work: Callable[[Any], tuple[T, Notice | None]]) -> T:
    """One write transaction; its change notice goes to the SSE streams (inside it, then on commit)."""
    notifier: Notifier = request.app.state.notifier

    def run(session: Any) -> tuple[T, Notice | None]:
        result, notice = work(session)
        if notice is not None:
            notifier.within(session, notice)
        return result, notice

    result, notice = database_of(request).retrying(run)
    if notice is not None:
        notifier.committed(notice)
    return result


def _pushed(changed: office_edits.Changed | None) -> Notice | None:
    return None if changed is None else Notice.of(changed.last_seq, changed.patient_ids, changed.worker_ids)


def _today(request: Request) -> date:
    return now_of(request).astimezone(zone_of(request)).date()


# The days a page may show: wide enough for any record an agency keeps, narrow enough that the day before
# and after (the pages' links) and the day's bounds in any time zone stay valid dates.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
DAY_RULE = f"a date between {FIRST_DAY} and {LAST_DAY}, such as 2026-11-26"


def parse_day(text: str) -> date | None:
    """A day a page may show, from its ISO form; None for anything else."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def _day(request: Request, text: str | None) -> date:
    if not text:
        return _today(request)
    day = parse_day(text)
    if day is None:
        raise _BadRequest(f"the day must be {DAY_RULE}")
    return day


class _BadRequest(ApiError):
    status, code = 400, "bad_request"


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise _BadRequest(f"no {what} was chosen") from None


PageNo = Annotated[int, Query(ge=1, le=100_000)]
Search = Annotated[str, Query(max_length=100)]
Flag = Annotated[str, Query(max_length=2000)]  # a notice's name, a redirect target: short in practice


# -- sign-in -------------------------------------------------------------------------------------------------


@router.get("")
@router.get("/")
def home() -> Response:
    return RedirectResponse(f"{PREFIX}/visits", status_code=303)


@router.get("/login")
def login_page(
    request: Request, next: Flag = "", expired: Annotated[str, Query(max_length=8)] = "", ok: Flag = ""
) -> Response:
    message = "You were signed out after a while without use. Sign in again." if expired else ""
    notice = "You are signed out." if ok == "signed_out" else ""
    return render(
        request,
        "login.html",
        title="Sign in",
        next=safe_next(next),
        username="",
        error=message,
        notice=notice,
    )


@router.post("/login")
def login(request: Request, form: Posted) -> Response:
    username, password = form.get("username").strip(), form.get("password")
    target = safe_next(form.get("next"))
    status, message = 401, ""
    if not username or not password:
        message = "Enter your user name and password."
    else:
        try:
            with database_of(request).write() as session:
                tokens = office_auth.sign_in(
                    session,
                    settings_of(request),
                    username,
                    password,
                    now_of(request),
                    request.client.host if request.client else None,
                )
        except office_auth.NotOffice:
            status = 403
            message = (
                "This account belongs to a field worker. These pages are for office staff; "
                "field workers use the tablet app."
            )
        except Throttled as exc:
            status, message = 429, exc.message[:1].upper() + exc.message[1:] + "."
        except Unauthorized:
            message = "Wrong user name or password."
        else:
            keep_tokens(request, tokens)
            renew_csrf(request)
            return _see(target)
    return render(
        request, "login.html", status=status, title="Sign in", next=target, username=username, error=message
    )


@router.post("/logout")
def logout(request: Request, form: Posted) -> Response:
    try:
        who = office_user(request)
    except Exception:  # already signed out or expired: just forget the cookies
        who = None
    if who is not None:
        with database_of(request).write() as session:
            auth.revoke(session, who.session_id, now_of(request))
    keep_tokens(request, None)
    renew_csrf(request)
    return _see(f"{PREFIX}/login", ok="signed_out")


# -- visits --------------------------------------------------------------------------------------------------


@router.get("/visits")
def visits(
    request: Request,
    who: Who,
    day: Annotated[str, Query(max_length=32)] = "",
    worker: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    chosen = _day(request, day)
    worker_id = _uuid(worker, "worker") if worker else None
    with database_of(request).read() as session:
        board = office_views.visit_board(session, chosen, worker_id)
        choices = office_views.worker_choices(session)
    return render(
        request,
        "visits.html",
        title="Visits",
        nav="visits",
        day=chosen,
        today=_today(request),
        previous=chosen - timedelta(days=1),
        following=chosen + timedelta(days=1),
        board=board,
        worker=str(worker_id or ""),
        workers=choices,
    )


@router.get("/visits/{visit_id}")
def visit(request: Request, who: Who, visit_id: uuid.UUID) -> Response:
    with database_of(request).read() as session:
        detail = office_views.visit_detail(session, visit_id)
    if detail.signature is not None and detail.signature.check.findings:
        integrity_log.report(
            database_of(request), detail.signature.check.findings, "office", who.user_id, now_of(request)
        )
    return render(request, "visit.html", title="Visit", nav="visits", v=detail)


# -- day reports ---------------------------------------------------------------------------------------------


@router.get("/reports")
def reports(request: Request, who: Who, day: Annotated[str, Query(max_length=32)] = "") -> Response:
    chosen = _day(request, day)
    with database_of(request).read() as session:
        days = office_views.day_reports(session, chosen)
    return render(
        request,
        "reports.html",
        title="Day reports",
        nav="reports",
        day=chosen,
        today=_today(request),
        previous=chosen - timedelta(days=1),
        following=chosen + timedelta(days=1),
        days=days,
    )


@router.get("/reports/{report_id}")
def report(request: Request, who: Who, report_id: uuid.UUID) -> Response:
    with database_of(request).read() as session:
        detail = office_views.report_detail(session, report_id)
    if detail.pdf_problem is not None:
        integrity_log.report(
            database_of(request), [detail.pdf_problem], "office", who.user_id, now_of(request)
        )
    return render(request, "report.html", title="Day report", nav="reports", r=detail)


# -- patients ------------------------------------------------------------------------------------------------


@router.get("/patients")
def patients(request: Request, who: Who, q: Search = "", page: PageNo = 1, ok: Flag = "") -> Response:
    with database_of(request).read() as session:
        found = office_views.patients(session, q, page)
    return render(
        request, "patients.html", title="Patients", nav="patients", q=q, found=found, notice=_done(ok)
    )


@router.get("/patients/new")
def new_patient(request: Request, who: Who) -> Response:
    return _patient_form(request, None, forms.patient_inputs({}), {})


@router.post("/patients/new")
def create_patient(request: Request, who: Who, form: Posted) -> Response:
    values, problems = forms.patient_values(form.values, list(forms.GROUPS))
    if not problems:
        try:
            patient = _write(
                request,
                lambda s: _with_notice(
                    office_edits.create_patient(s, settings_of(request), who, values, now_of(request))
                ),
            )
        except ValidationError as exc:
            problems = _problems(exc.problems)
        except ApiError as exc:
            problems = {"*": _refusal(exc)}
        else:
            return _see(f"{PREFIX}/patients/{patient.id}", ok="created")
    else:
        problems = {**_domain_problems({}, values), **problems}
    return _patient_form(request, None, form.values, problems, status=422)


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
    return value, _pushed(changed)


@router.get("/patients/{patient_id}")
def patient(request: Request, who: Who, patient_id: uuid.UUID, ok: Flag = "") -> Response:
    with database_of(request).read() as session:
        detail = office_views.patient(session, patient_id)
    return _patient_form(request, detail, forms.patient_inputs(detail.values), {}, notice=_done(ok))


@router.post("/patients/{patient_id}")
def edit_patient(request: Request, who: Who, patient_id: uuid.UUID, form: Posted) -> Response:
    groups = [g for g in forms.changed_groups(form) if g != "mrn"]
    values, problems = forms.patient_values(form.values, groups)
    bases = {g: form.get(f"base_{g}") or None for g in groups}

    def work(session: Any) -> tuple[office_edits.Changed | None, Notice | None]:
        changed = office_edits.edit_patient(
            session, settings_of(request), who, patient_id, values, bases, now_of(request)
        )
        return changed, _pushed(changed)

    if not problems:
        try:
            changed = _write(request, work)
        except ValidationError as exc:
            problems = _problems(exc.problems)
        except ApiError as exc:
            if exc.status == 404:
                raise
            problems = {"*": _refusal(exc)}
        else:
            return _see(f"{PREFIX}/patients/{patient_id}", ok="saved" if changed else "unchanged")
    with database_of(request).read() as session:
        detail = office_views.patient(session, patient_id)
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


def _refusal(exc: ApiError) -> str:
    reasons = [r.message for r in exc.rejected] or [exc.message]
    return "; ".join(reasons)


def _patient_form(
    request: Request,
    detail: office_views.PatientDetail | None,
    inputs: dict[str, str],
    problems: dict[str, str],
    *,
    status: int = 200,
    notice: str = "",
    keep_seen: bool = False,
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
    if detail is not None:
        with database_of(request).read() as session:
            workers = office_views.worker_choices(session)
    error = ""
    if problems:
        count = len(problems)
        error = f"Nothing was saved: {count} problem{'s' if count > 1 else ''} to correct below."
        if "*" in problems:
            error = f"Nothing was saved: {problems['*']}"
    return render(
        request,
        "patient.html",
        status=status,
        title=detail.name if detail else "New patient",
        nav="patients",
        p=detail,
        inputs={name: inputs.get(name, "") for name in forms.INPUTS},
        problems=problems,
        seen=seen,
        bases=bases,
        sexes=forms.SEXES,
        severities=forms.SEVERITIES,
        workers=[w for w in workers if detail is None or w[0] not in {x for x, _ in detail.workers}],
        error=error,
        notice=notice,
    )


# -- workers and caseloads -----------------------------------------------------------------------------------


@router.get("/workers")
def workers(request: Request, who: Who) -> Response:
    today = _today(request)
    with database_of(request).read() as session:
        people = office_views.workers(session, today)
    return render(request, "workers.html", title="Workers", nav="workers", people=people)


@router.get("/workers/{worker_id}")
def worker(
    request: Request,
    who: Who,
    worker_id: uuid.UUID,
    q: Search = "",
    page: PageNo = 1,
    find: Search = "",
    ok: Flag = "",
) -> Response:
    with database_of(request).read() as session:
        person = office_views.worker(session, worker_id)
        cases = office_views.caseload(session, worker_id, q, page)
        candidates = office_views.assignable(session, worker_id, find) if find.strip() else None
    return render(
        request,
        "worker.html",
        title=person.username,
        nav="workers",
        person=person,
        q=q,
        find=find,
        cases=cases,
        candidates=candidates,
        notice=_done(ok),
    )


@router.post("/caseloads/assign")
def assign(request: Request, who: Who, form: Posted) -> Response:
    return _caseload_change(request, form, assign=True)


@router.post("/caseloads/unassign")
def unassign(request: Request, who: Who, form: Posted) -> Response:
    return _caseload_change(request, form, assign=False)


def _caseload_change(request: Request, form: Form, *, assign: bool) -> Response:
    worker_id = _uuid(form.get("worker_id"), "worker")
    patient_id = _uuid(form.get("patient_id"), "patient")
    now = now_of(request)

    def work(session: Any) -> tuple[bool, Notice | None]:
        if assign:
            changed = caseload.assign(session, worker_id, patient_id, now)
            notice = Notice(feed.last_allocated(session), frozenset({patient_id}), frozenset({worker_id}))
        else:
            changed = caseload.unassign(session, worker_id, patient_id, now)
            notice = Notice(feed.last_allocated(session), frozenset(), frozenset({worker_id}))
        return changed, notice if changed else None

    _write(request, work)
    back = safe_next(form.get("back"), f"{PREFIX}/workers/{worker_id}")
    return _see(_with_query(back, ok="assigned" if assign else "unassigned"))


def _with_query(path: str, **query: str) -> str:
    base, _, existing = path.partition("?")
    kept = [part for part in existing.split("&") if part and not part.startswith("ok=")]
    kept += [urlencode({k: v}) for k, v in query.items()]
    return base + ("?" + "&".join(kept) if kept else "")


# -- conflicts -----------------------------------------------------------------------------------------------


@router.get("/conflicts")
def conflicts(
    request: Request,
    who: Who,
    state: Annotated[str, Query(max_length=16)] = "open",
    page: PageNo = 1,
    ok: Flag = "",
) -> Response:
    state = state if state in ("open", "resolved", "all") else "open"
    with database_of(request).read() as session:
        found = office_views.conflicts(session, state, page)
    return render(
        request,
        "conflicts.html",
        title="Conflicts",
        nav="conflicts",
        state=state,
        found=found,
        notice=_done(ok),
    )


@router.post("/conflicts/{conflict_id}/restore")
def restore(request: Request, who: Who, conflict_id: int, form: Posted) -> Response:
    try:
        _write(
            request,
            lambda s: (
                None,
                _pushed(
                    office_edits.restore_conflict(s, settings_of(request), who, conflict_id, now_of(request))
                ),
            ),
        )
    except ApiError as exc:
        if exc.status == 404:
            raise
        return error_page(request, exc.status, "Nothing was restored: " + _refusal(exc), "Not restored")
    return _see(safe_next(form.get("back"), f"{PREFIX}/conflicts"), ok="restored")


@router.post("/conflicts/{conflict_id}/resolve")
def resolve(request: Request, who: Who, conflict_id: int, form: Posted) -> Response:
    _write(request, lambda s: (office_edits.resolve_conflict(s, who, conflict_id, now_of(request)), None))
    return _see(safe_next(form.get("back"), f"{PREFIX}/conflicts"), ok="resolved")


# -- fleet ---------------------------------------------------------------------------------------------------


@router.get("/fleet")
def fleet(request: Request, who: Who, ok: Flag = "") -> Response:
    with database_of(request).read() as session:
        devices = office_views.fleet(session, now_of(request))
    return render(request, "fleet.html", title="Fleet health", nav="fleet", fleet=devices, notice=_done(ok))


@router.post("/fleet/{device_id}/disable")
def disable_device(request: Request, who: Who, device_id: str, form: Posted) -> Response:
    """Retire a tablet (services.fleet): it sends what it holds, then wipes itself; its user's open event
    streams are told at once."""

    def work(session: Any) -> tuple[None, Notice]:
        device = fleet_service.disable_device(session, device_id[:32], now_of(request))
        return None, Notice(feed.current(session), frozenset(), frozenset({device.user_id}))

    _write(request, work)
    return _see(f"{PREFIX}/fleet", ok="disabled")


# -- audit ---------------------------------------------------------------------------------------------------

AUDIT_ACTIONS = [action.value for action in AuditAction]


@router.get("/audit")
def audit_page(
    request: Request,
    who: Who,
    user: Annotated[str, Query(max_length=64)] = "",
    device: Annotated[str, Query(max_length=32)] = "",
    record: Annotated[str, Query(max_length=36)] = "",
    action: Annotated[str, Query(max_length=32)] = "",
    day: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """Who did what on the tablets (their audit logs) and who called the API, with filters."""
    problems = []
    record_id = None
    if record.strip():
        try:
            record_id = uuid.UUID(record.strip())
        except ValueError:
            problems.append("A record id looks like 3f2b…-…: 32 hexadecimal digits.")
    if action and action not in AUDIT_ACTIONS:
        problems.append("Choose an action from the list.")
    since = until = None
    chosen = parse_day(day) if day.strip() else None
    if day.strip() and chosen is None:
        problems.append(f"Choose a day between {FIRST_DAY} and {LAST_DAY}.")
    if chosen is not None:
        since = datetime.combine(chosen, time(0), tzinfo=zone_of(request))
        until = since + timedelta(days=1)
    device_events, accesses, user_id = [], [], None
    with database_of(request).read() as session:
        if user.strip():
            user_id = office_views.user_id_named(session, user)
            if user_id is None:
                problems.append(f"There is no user {user.strip()!r}.")
        if not problems:
            device_events = audit_service.device_events(
                session,
                audit_service.DeviceEventQuery(
                    device.strip() or None, user.strip() or None, action or None, record_id, since, until, 200
                ),
            )
            if not action:
                accesses = audit_service.accesses(
                    session,
                    audit_service.AccessQuery(user_id, device.strip() or None, None, None, since, until, 200),
                )
                if record_id is not None:  # an access names a record by the id in its path
                    accesses = [a for a in accesses if a.target == str(record_id)]
        names = office_views.user_names(
            session, [*(a.user_id for a in accesses), *(e.user_id for e in device_events)]
        )
    return render(
        request,
        "audit.html",
        title="Audit",
        nav="audit",
        filters={"user": user, "device": device, "record": record, "action": action, "day": chosen},
        actions=AUDIT_ACTIONS,
        device_events=device_events,
        accesses=accesses,
        names=names,
        error=" ".join(problems),
    )


@router.post("/fleet/{device_id}/enable")
def enable_device(request: Request, who: Who, device_id: str, form: Posted) -> Response:
    """Cancel a retirement the tablet has not acted on yet (a wiped tablet stays wiped)."""
    _write(request, lambda session: (fleet_service.enable_device(session, device_id[:32]), None))
    return _see(f"{PREFIX}/fleet", ok="enabled")


@router.get("/{rest:path}")
def not_found(request: Request, rest: str) -> Response:
    return error_page(request, 404, "There is no such page.")
