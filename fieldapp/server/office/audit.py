"""The audit page: the devices' logs and the API access log."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from fieldapp.domain.audit import AuditAction
from fieldapp.server.audit import queries as audit_views
from fieldapp.server.audit import trail as audit_service
from fieldapp.server.office import common
from fieldapp.server.office.common import Who
from fieldapp.server.office.i18n import gettext
from fieldapp.server.office.web import PREFIX, OfficeRoute, render, zone_of
from fieldapp.server.web.deps import database_of

router = APIRouter(prefix=PREFIX, route_class=OfficeRoute, include_in_schema=False)


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
    problems: list[str] = []
    record_id = _record_id(record, problems)
    if action and action not in AUDIT_ACTIONS:
        problems.append(gettext("Choose an action from the list."))
    chosen, since, until = _day_bounds(request, day, problems)
    device_events, accesses, user_id = [], [], None
    with database_of(request).read() as session:
        if user.strip():
            user_id = audit_views.user_id_named(session, user)
            if user_id is None:
                problems.append(gettext("There is no user %(name)r.", name=user.strip()))
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
        names = audit_views.user_names(
            session, [*(a.user_id for a in accesses), *(e.user_id for e in device_events)]
        )
        labels = audit_views.record_labels(session, [e.record_id for e in device_events])
    return render(
        request,
        "audit.html",
        title=gettext("Audit"),
        nav="audit",
        filters={"user": user, "device": device, "record": record, "action": action, "day": chosen},
        actions=AUDIT_ACTIONS,
        device_events=device_events,
        accesses=accesses,
        names=names,
        labels=labels,
        error=" ".join(problems),
    )


def _record_id(record: str, problems: list[str]) -> uuid.UUID | None:
    """The record filter's id, or None (a malformed one is added to ``problems``)."""
    if not record.strip():
        return None
    try:
        return uuid.UUID(record.strip())
    except ValueError:
        problems.append(gettext("A record id looks like 3f2b…-…: 32 hexadecimal digits."))
        return None


def _day_bounds(
    request: Request, day: str, problems: list[str]
) -> tuple[date | None, datetime | None, datetime | None]:
    """The day filter and its start and end in the agency's zone (an unreadable day goes to ``problems``)."""
    chosen = common.parse_day(day) if day.strip() else None
    if day.strip() and chosen is None:
        problems.append(
            gettext(
                "Choose a day between %(first)s and %(last)s.", first=common.FIRST_DAY, last=common.LAST_DAY
            )
        )
    if chosen is None:
        return None, None, None
    since = datetime.combine(chosen, time(0), tzinfo=zone_of(request))
    return chosen, since, since + timedelta(days=1)
