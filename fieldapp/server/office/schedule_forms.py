"""The scheduling forms' inputs: text to a visit plan or a series, each unreadable input named.

Days and times are the agency's wall clock (``<input type="date">``, ``<input type="time">``), turned into
UTC instants here with the domain's rules (a time the clocks skip is refused).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from fieldapp.domain.entities import Visit
from fieldapp.domain.schedule import WEEKDAY_NAMES, Series, local_to_utc, wall_time_exists
from fieldapp.domain.schedule_checks import HoursWindow, WorkerHours
from fieldapp.server.office.forms import Form, normal
from fieldapp.server.office.i18n import gettext
from fieldapp.server.scheduling.visits import VisitPlan

T = TypeVar("T")

VISIT_INPUTS = ("visit_id", "worker_id", "patient_id", "day", "start", "end", "service_code", "worker_notes")


def visit_inputs(visit: Visit | None, zone: ZoneInfo, **defaults: str) -> dict[str, str]:
    """The visit form's text for a stored visit (or an empty form with ``defaults``)."""
    if visit is None:
        shown = {name: "" for name in VISIT_INPUTS} | {"visit_id": str(uuid.uuid4())}
        return shown | {k: v for k, v in defaults.items() if k in VISIT_INPUTS}
    start, end = visit.scheduled_start.astimezone(zone), visit.scheduled_end.astimezone(zone)
    return {
        "visit_id": str(visit.id),
        "worker_id": str(visit.worker_id),
        "patient_id": str(visit.patient_id),
        "day": start.date().isoformat(),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
        "service_code": visit.service_code,
        "worker_notes": visit.worker_notes,
    }


def read_visit(form: Form, zone: ZoneInfo) -> tuple[uuid.UUID | None, VisitPlan | None, dict[str, str]]:
    """(visit id, plan, problems by input); the plan is None when any input could not be read."""
    problems: dict[str, str] = {}
    visit_id = _uuid(form, "visit_id", "the form lost its visit id; open it again", problems)
    worker_id = _uuid(form, "worker_id", "choose a worker", problems)
    patient_id = _uuid(form, "patient_id", "choose a patient", problems)
    day = _date(form, "day", problems)
    start, end = _time(form, "start", problems), _time(form, "end", problems)
    code = form.get("service_code").strip().upper()
    if not code:
        problems["service_code"] = gettext("choose a service")
    if day is not None:
        for name, at in (("start", start), ("end", end)):
            if at is not None and not wall_time_exists(day, at, zone):
                problems[name] = gettext(
                    "%(time)s does not exist on %(day)s (the clocks jump that night)",
                    time=f"{at:%H:%M}",
                    day=day,
                )
    if start is not None and end is not None and end <= start:
        problems["end"] = gettext("the visit must end after it starts")
    if problems or worker_id is None or patient_id is None or day is None or start is None or end is None:
        return visit_id, None, problems
    plan = VisitPlan(
        patient_id=patient_id,
        worker_id=worker_id,
        start=local_to_utc(day, start, zone),
        end=local_to_utc(day, end, zone),
        service_code=code,
        worker_notes=normal(form.get("worker_notes")).strip(),
    )
    return visit_id, plan, problems


SERIES_INPUTS = (
    "worker_id",
    "patient_id",
    "start_date",
    "end_date",
    "start",
    "end",
    "service_code",
    "worker_notes",
)


def series_inputs(series: Series | None, **defaults: str) -> dict[str, str]:
    """The series form's text for a series (or an empty form with ``defaults``); days are ``day_0``..."""
    if series is None:
        shown = {name: "" for name in SERIES_INPUTS} | {"series_id": str(uuid.uuid4())}
        return shown | {k: v for k, v in defaults.items() if k in (*SERIES_INPUTS, "day_0", "day_2", "day_4")}
    shown = {
        "series_id": str(series.id),
        "worker_id": str(series.worker_id),
        "patient_id": str(series.patient_id),
        "start_date": series.start_date.isoformat(),
        "end_date": series.end_date.isoformat(),
        "start": f"{series.start_time:%H:%M}",
        "end": f"{series.end_time:%H:%M}",
        "service_code": series.service_code,
        "worker_notes": series.worker_notes,
    }
    return shown | {f"day_{n}": "1" for n in series.weekdays}


def read_series(form: Form, zone: ZoneInfo) -> tuple[dict[str, Any], dict[str, str]]:
    """The series fields the form gives (domain names) and the problems by input."""
    problems: dict[str, str] = {}
    values: dict[str, Any] = {
        "worker_id": _uuid(form, "worker_id", "choose a worker", problems),
        "patient_id": _uuid(form, "patient_id", "choose a patient", problems),
        "start_date": _date(form, "start_date", problems),
        "end_date": _date(form, "end_date", problems),
        "start_time": _time(form, "start", problems),
        "end_time": _time(form, "end", problems),
        "service_code": form.get("service_code").strip().upper(),
        "worker_notes": normal(form.get("worker_notes")).strip(),
        "weekdays": frozenset(n for n in range(7) if form.get(f"day_{n}")),
        "time_zone": zone.key,
    }
    if not values["weekdays"]:
        problems["weekdays"] = gettext("tick at least one day of the week")
    if not values["service_code"]:
        problems["service_code"] = gettext("choose a service")
    return values, problems


def hours_inputs(hours: WorkerHours) -> dict[str, str]:
    """The hours form's text: one window per day of the week (the first, if several), the weekly limit."""
    shown: dict[str, str] = {"max_hours": ""}
    for window in sorted(hours.windows, key=lambda w: (w.weekday, w.start), reverse=True):
        shown[f"start_{window.weekday}"] = f"{window.start:%H:%M}"
        shown[f"end_{window.weekday}"] = "24:00" if window.end == time.max else f"{window.end:%H:%M}"
    if hours.max_weekly_minutes is not None:
        shown["max_hours"] = f"{hours.max_weekly_minutes / 60:g}"
    return {f"{part}_{n}": shown.get(f"{part}_{n}", "") for n in range(7) for part in ("start", "end")} | {
        "max_hours": shown["max_hours"]
    }


def read_hours(form: Form) -> tuple[WorkerHours | None, dict[str, str]]:
    """The hours the form gives (a day with neither time is a day off), or the problems by input."""
    problems: dict[str, str] = {}
    windows = []
    for n in range(7):
        start_text, end_text = form.get(f"start_{n}").strip(), form.get(f"end_{n}").strip()
        if not start_text and not end_text:
            continue
        start, end = _time(form, f"start_{n}", problems), _wall_end(form, f"end_{n}", problems)
        if start is not None and end is not None:
            if end <= start:
                problems[f"end_{n}"] = gettext("the hours end after they start")
            else:
                windows.append(HoursWindow(weekday=n, start=start, end=end))
    limit = _limit(form.get("max_hours").strip(), problems)
    if problems:
        return None, problems
    return WorkerHours(windows=tuple(windows), max_weekly_minutes=limit), problems


def _wall_end(form: Form, name: str, problems: dict[str, str]) -> time | None:
    return time.max if form.get(name).strip() == "24:00" else _time(form, name, problems)


def _limit(text: str, problems: dict[str, str]) -> int | None:
    if not text:
        return None
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    if not 0 < hours <= 168:
        problems["max_hours"] = gettext("a number of hours between 0 and 168, or empty for no limit")
        return None
    return round(hours * 60)


def weekday_choices() -> list[tuple[int, str]]:
    """(0, "Mon") ... (6, "Sun")."""
    return list(enumerate(WEEKDAY_NAMES))


def _uuid(form: Form, name: str, missing: str, problems: dict[str, str]) -> uuid.UUID | None:
    try:
        return uuid.UUID(form.get(name).strip())
    except ValueError:
        problems[name] = missing
        return None


def read_day(form: Form, name: str, problems: dict[str, str]) -> date | None:
    """A date input (between 2000 and 2100), or None with the problem named."""
    return _date(form, name, problems)


def _date(form: Form, name: str, problems: dict[str, str]) -> date | None:
    wrong, missing = gettext("a date such as 2026-12-01"), gettext("give a date")
    day = _iso(form, name, problems, date.fromisoformat, wrong, missing)
    if day is not None and not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        problems[name] = gettext("a date between 2000 and 2100")
        return None
    return day


def _time(form: Form, name: str, problems: dict[str, str]) -> time | None:
    at = _iso(
        form, name, problems, time.fromisoformat, gettext("a time such as 09:30"), gettext("give a time")
    )
    return None if at is None else at.replace(second=0, microsecond=0, tzinfo=None)


def _iso(
    form: Form, name: str, problems: dict[str, str], parse: Callable[[str], T], wrong: str, missing: str
) -> T | None:
    """The input ``name`` read by ``parse`` (an ISO form), or None with the problem named: ``wrong``
    for what does not read, ``missing`` for nothing given."""
    text = form.get(name).strip()
    try:
        return parse(text)
    except ValueError:
        problems[name] = wrong if text else missing
        return None


def moment_text(moment: datetime, zone: ZoneInfo) -> str:
    """'Mon 07 Dec 09:00' in the agency's zone."""
    return f"{moment.astimezone(zone):%a %d %b %H:%M}"
