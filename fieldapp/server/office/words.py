"""Codes and the read models' phrases in the page's words (decision 0032): vital signs and their units,
service codes with their descriptions, and the English phrases the queries build ("missing date of
service", "late 14 min"), each translated through the office catalogue.

The templates reach these as filters (``{{ o.kind | vital }}``, ``{{ code | service }}``,
``{{ phrase | words }}``); ``environment`` in ``web`` installs them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from fieldapp.domain.services import BillUnit, service_info
from fieldapp.domain.values import CorrectionReason, LocationKind, VisitStatus
from fieldapp.server.office.i18n import N_, gettext, ngettext
from fieldapp.server.visits.queries import VisitRow

VITALS: dict[str, str] = {
    "systolic_bp": N_("Systolic blood pressure"),
    "diastolic_bp": N_("Diastolic blood pressure"),
    "heart_rate": N_("Heart rate"),
    "respiratory_rate": N_("Respiratory rate"),
    "temperature": N_("Temperature"),
    "spo2": N_("Oxygen saturation"),
    "blood_glucose": N_("Blood glucose"),
    "weight": N_("Weight"),
    "pain_score": N_("Pain score"),
}
# UCUM codes as people write them (the same in both languages).
UNITS: dict[str, str] = {"Cel": "°C", "[degF]": "°F", "[lb_av]": "lb", "{score}": "/10", "/min": "/min"}
BILL_UNITS: dict[BillUnit, str] = {
    BillUnit.QUARTER_HOUR: N_("per 15 min"),
    BillUnit.HOUR: N_("per hour"),
    BillUnit.VISIT: N_("per visit"),
    BillUnit.DAY: N_("per day"),
}
# The six EVV elements as the read models name them (fieldapp.domain.evv).
ELEMENTS: tuple[str, ...] = (
    N_("type of service"),
    N_("person receiving the service"),
    N_("date of service"),
    N_("location of service"),
    N_("person providing the service"),
    N_("begin and end times"),
)
# Fixed phrases of the read models shown as they are.
PHRASES: tuple[str, ...] = (
    N_("not started"),
    N_("no check-out"),
    N_("not signed"),
    # The kinds of record the audit and conflict pages name.
    N_("visit"),
    N_("visit note"),
    N_("observation"),
    N_("signature"),
    N_("day report"),
    N_("care task"),
    N_("task outcome"),
    N_("medication"),
    N_("attachment"),
)
PLACES: dict[LocationKind, str] = {
    LocationKind.GPS: N_("GPS fix"),
    LocationKind.HOME: N_("Patient's home"),
    LocationKind.COMMUNITY: N_("In the community"),
}
REASONS: dict[CorrectionReason, str] = {
    CorrectionReason.FORGOT_TO_CHECK_IN: N_("Forgot to check in"),
    CorrectionReason.FORGOT_TO_CHECK_OUT: N_("Forgot to check out"),
    CorrectionReason.DEVICE_FAILURE: N_("Tablet failed or ran out of battery"),
    CorrectionReason.WRONG_VISIT_SELECTED: N_("Checked in to the wrong visit"),
    CorrectionReason.SERVICE_OUTSIDE_HOME: N_("Service given outside the home"),
    CorrectionReason.SCHEDULE_CHANGE: N_("Schedule changed"),
    CorrectionReason.OTHER: N_("Other"),
}
CHECKS: dict[str, str] = {"check-in": N_("check-in"), "check-out": N_("check-out")}


def vital(kind: str) -> str:
    """A vital sign's name: "Systolic blood pressure" for ``systolic_bp``."""
    name = VITALS.get(kind)
    return gettext(name) if name else kind.replace("_", " ")


def unit(code: str) -> str:
    """A UCUM unit as people write it: "°F" for ``[degF]``."""
    return UNITS.get(code, code)


def service(code: str) -> str:
    """A service code with its description: "T1019 Personal care (per 15 min)"; unknown codes as they are."""
    info = service_info(code)
    if info is None:
        return code.strip().upper()
    return f"{info.code} {gettext(info.description)} ({gettext(BILL_UNITS[info.unit])})"


_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"late (\d+) min"), lambda m: gettext("late %(minutes)s min", minutes=m.group(1))),
    (
        re.compile(r"missing (.+)"),
        lambda m: gettext(
            "missing %(elements)s", elements=", ".join(gettext(e) for e in m.group(1).split(", "))
        ),
    ),
)


def _place(match: re.Match[str]) -> str:
    return gettext(PLACES[LocationKind(match.group(1))]) + (match.group(2) or "")


def _correction(match: re.Match[str]) -> str:
    said = gettext(
        "%(what)s corrected to %(time)s (%(reason)s)",
        what=gettext(CHECKS[match.group(1)]),
        time=match.group(2),
        reason=gettext(REASONS[CorrectionReason(match.group(3))]),
    )
    return said + (match.group(4) or "")


# The exception details of the verification rules (fieldapp.domain.verification): minutes early or late.
OFFSETS: dict[tuple[str, str], str] = {
    ("after", "start"): N_("%(minutes)s min after the start"),
    ("before", "start"): N_("%(minutes)s min before the start"),
    ("after", "end"): N_("%(minutes)s min after the end"),
    ("before", "end"): N_("%(minutes)s min before the end"),
}


def _offset(match: re.Match[str]) -> str:
    return gettext(OFFSETS[(match.group(2), match.group(3))], minutes=match.group(1))


_PATTERNS += (
    (re.compile(r"(\d+) min (after|before) the (start|end)"), _offset),
    (
        re.compile(r"(\d+) min of (\d+) min"),
        lambda m: gettext("%(worked)s min of %(planned)s min", worked=m.group(1), planned=m.group(2)),
    ),
    (re.compile(r"(gps|home|community)( .*)?"), _place),
    (re.compile(r"(check-in|check-out) corrected to (\S+) \(([a-z_]+)\)(: .*)?", re.S), _correction),
)


def words(phrase: str) -> str:
    """A phrase of the read models in the page's language (as it is when the catalogue lacks it)."""
    for pattern, say in _PATTERNS:
        match = pattern.fullmatch(phrase)
        if match is not None:
            return say(match)
    return gettext(phrase)


def day_sentence(visits: Sequence[VisitRow]) -> str:
    """The day report's summary in the page's language: "2 visits: 1 completed, 1 not started. Of the 1
    visit worked, all are signed and verified." (the counts of ``reports.queries.day_sentence``)."""
    if not visits:
        return gettext("No visits were scheduled.")
    counted = Counter(v.status for v in visits)
    parts = [
        gettext(STATUS_COUNTS[status], count=counted[status]) for status in STATUS_COUNTS if counted[status]
    ]
    said = ngettext(
        "%(num)s visit: %(parts)s.", "%(num)s visits: %(parts)s.", len(visits), parts=", ".join(parts)
    )
    worked = [v for v in visits if v.worked]
    if not worked:
        return f"{said} {gettext('No visit was worked.')}"
    unsigned, unverified = sum(not v.signed for v in worked), sum(not v.verified for v in worked)
    gaps = [
        *([gettext("%(count)s not signed", count=unsigned)] if unsigned else []),
        *([gettext("%(count)s not verified", count=unverified)] if unverified else []),
    ]
    if not gaps:
        return (
            said
            + " "
            + ngettext(
                "Of the %(num)s visit worked, all are signed and verified.",
                "Of the %(num)s visits worked, all are signed and verified.",
                len(worked),
            )
        )
    return (
        said
        + " "
        + ngettext(
            "Of the %(num)s visit worked: %(gaps)s.",
            "Of the %(num)s visits worked: %(gaps)s.",
            len(worked),
            gaps=", ".join(gaps),
        )
    )


STATUS_COUNTS: dict[str, str] = {
    VisitStatus.COMPLETED: N_("%(count)s completed"),
    VisitStatus.IN_PROGRESS: N_("%(count)s still in progress (no check-out)"),
    VisitStatus.SCHEDULED: N_("%(count)s not started"),
    VisitStatus.MISSED: N_("%(count)s missed"),
    VisitStatus.CANCELLED: N_("%(count)s cancelled"),
}


FILTERS: dict[str, Callable[[Any], str]] = {
    "vital": vital,
    "unit": unit,
    "service": service,
    "words": words,
    "day_sentence": day_sentence,
}
