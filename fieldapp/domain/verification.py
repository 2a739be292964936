"""Which verification exceptions a visit has: pure rules over the visit, the patient's home and the
agency's thresholds (``EvvPolicy``), the same on the tablet and in the office.

``findings`` is run by the tablet after each step of a visit (check-in, check-out, correction, missed,
signing, the end of the day) and the results become ``VisitException`` records
(``fieldapp.store.exceptions``).
Distances are great-circle (haversine) metres between a GPS fix and the geocoded home on the patient record.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from fieldapp.domain.entities import Visit, VisitException
from fieldapp.domain.exceptions import ExceptionCode, ExceptionState
from fieldapp.domain.values import Address, Location, LocationKind, VisitStatus


@dataclass(frozen=True, slots=True)
class EvvPolicy:
    """An agency's verification thresholds (the defaults are common state settings)."""

    late_check_in: timedelta = timedelta(minutes=15)
    early_check_in: timedelta = timedelta(minutes=30)
    early_check_out: timedelta = timedelta(minutes=15)
    late_check_out: timedelta = timedelta(minutes=30)
    too_short: float = 0.75  # of the scheduled length
    too_long: float = 1.25
    far_m: float = 400.0
    fix_timeout: timedelta = timedelta(seconds=30)
    missed_window: timedelta = timedelta(hours=1)  # "mark missed" from this long before the start
    missing_check_out: timedelta = timedelta(hours=1)  # after the scheduled end (also: never started, missed)
    signature_grace: timedelta = timedelta(minutes=30)  # after check-out


DEFAULT_POLICY = EvvPolicy()
_ORDER = {code: n for n, code in enumerate(ExceptionCode)}


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule a visit breaks now, with a detail in words (minutes late, metres away)."""

    code: ExceptionCode
    detail: str = ""
    tasks: tuple[str, ...] = ()  # the care tasks left open (``tasks_not_completed``)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(min(1.0, a)))


def distance_from_home(place: Location | None, home: Address | None) -> float | None:
    """How far a GPS fix is from the patient's geocoded home; None when either is unknown."""
    if place is None or place.latitude is None or place.longitude is None:
        return None
    if home is None or home.latitude is None or home.longitude is None:
        return None
    return distance_m(place.latitude, place.longitude, home.latitude, home.longitude)


def can_mark_missed(visit: Visit, now: datetime, policy: EvvPolicy = DEFAULT_POLICY) -> bool:
    """Whether "missed" may be recorded now: not started, not signed, and the visit's time is near."""
    return (
        visit.status is VisitStatus.SCHEDULED
        and visit.check_in is None
        and not visit.is_signed
        and now >= visit.scheduled_start - policy.missed_window
    )


def not_started_in_time(visit: Visit, now: datetime, policy: EvvPolicy = DEFAULT_POLICY) -> bool:
    """Whether a visit still scheduled was never checked in by ``missing_check_out`` after its scheduled end:
    missed, as the server's sweep records it even when the tablet never syncs (and the tablet agrees)."""
    return (
        visit.status is VisitStatus.SCHEDULED
        and visit.effective_check_in is None
        and now > visit.scheduled_end + policy.missing_check_out
    )


def findings(
    visit: Visit,
    home: Address | None,
    now: datetime,
    policy: EvvPolicy = DEFAULT_POLICY,
    open_tasks: Sequence[str] = (),
) -> list[Finding]:
    """Every rule ``visit`` breaks at ``now``, in ``ExceptionCode`` order; ``open_tasks`` names the plan of
    care's tasks due at the visit and left without an outcome (``domain.care.open_tasks``)."""
    if visit.status is VisitStatus.CANCELLED:
        return []
    if visit.status is VisitStatus.MISSED:
        return [Finding(ExceptionCode.MISSED_VISIT)]
    if not_started_in_time(visit, now, policy):
        return [Finding(ExceptionCode.MISSED_VISIT, "no check-in by an hour after the scheduled end")]
    found = [*_timing(visit, now, policy), *_location(visit, home, policy)]
    if visit.check_in_correction is not None or visit.check_out_correction is not None:
        found.append(Finding(ExceptionCode.MANUAL_TIME, _corrected(visit)))
    end = visit.effective_check_out
    if (
        visit.effective_check_in is not None
        and end is None
        and now > visit.scheduled_end + policy.missing_check_out
    ):
        found.append(Finding(ExceptionCode.MISSING_CHECK_OUT))
    if end is not None and not visit.is_signed and now >= end + policy.signature_grace:
        found.append(Finding(ExceptionCode.NO_SIGNATURE))
    if end is not None and visit.check_out is not None and open_tasks:
        found.append(_tasks_left_open(open_tasks))
    return sorted(found, key=lambda f: _ORDER[f.code])


def _minutes(delta: timedelta) -> str:
    return f"{round(abs(delta.total_seconds()) / 60)} min"


def _timing(visit: Visit, now: datetime, policy: EvvPolicy) -> list[Finding]:
    found = []
    begin, end = visit.effective_check_in, visit.effective_check_out
    if begin is not None:
        offset = begin - visit.scheduled_start
        if offset > policy.late_check_in:
            found.append(Finding(ExceptionCode.LATE_CHECK_IN, f"{_minutes(offset)} after the start"))
        elif -offset > policy.early_check_in:
            found.append(Finding(ExceptionCode.EARLY_CHECK_IN, f"{_minutes(offset)} before the start"))
    if end is None or begin is None:
        return found
    offset = end - visit.scheduled_end
    if -offset > policy.early_check_out:
        found.append(Finding(ExceptionCode.EARLY_CHECK_OUT, f"{_minutes(offset)} before the end"))
    elif offset > policy.late_check_out:
        found.append(Finding(ExceptionCode.LATE_CHECK_OUT, f"{_minutes(offset)} after the end"))
    scheduled, actual = visit.scheduled_end - visit.scheduled_start, end - begin
    if actual < scheduled * policy.too_short:
        found.append(Finding(ExceptionCode.VISIT_TOO_SHORT, f"{_minutes(actual)} of {_minutes(scheduled)}"))
    elif actual > scheduled * policy.too_long:
        found.append(Finding(ExceptionCode.VISIT_TOO_LONG, f"{_minutes(actual)} of {_minutes(scheduled)}"))
    return found


def _location(visit: Visit, home: Address | None, policy: EvvPolicy) -> list[Finding]:
    events = [(name, e) for name, e in (("check-in", visit.check_in), ("check-out", visit.check_out)) if e]
    missing = [name for name, e in events if e.location is None or e.location.kind is not LocationKind.GPS]
    found = []
    if missing:
        found.append(Finding(ExceptionCode.LOCATION_MISSING, f"no GPS position at {' and '.join(missing)}"))
    far = [
        f"{name} {d:,.0f} m from home"
        for name, e in events
        if (d := distance_from_home(e.location, home)) is not None and d > policy.far_m
    ]
    if far:
        found.append(Finding(ExceptionCode.LOCATION_FAR, "; ".join(far)))
    return found


def _tasks_left_open(titles: Sequence[str]) -> Finding:
    count = f"{len(titles)} task{'s' if len(titles) != 1 else ''} left open: "
    listed = ", ".join(titles)
    detail = count + (listed if len(count + listed) <= 200 else listed[: 199 - len(count)] + "…")
    return Finding(ExceptionCode.TASKS_NOT_COMPLETED, detail, tuple(t[:200] for t in titles[:100]))


def _corrected(visit: Visit) -> str:
    which = [
        name
        for name, c in (("check-in", visit.check_in_correction), ("check-out", visit.check_out_correction))
        if c is not None
    ]
    return f"{' and '.join(which)} entered by hand"


class Verification(StrEnum):
    """Where a visit stands for billing and the state's aggregator."""

    VERIFIED = "verified"  # completed, and every rule it breaks has an approved exception
    PENDING = "pending"  # completed, with exceptions open or rules broken without one
    REJECTED = "rejected"  # the office rejected one of its exceptions
    NOT_DONE = "not_done"  # not completed (scheduled, in progress, missed, cancelled)


def verification(
    visit: Visit,
    records: Iterable[VisitException],
    home: Address | None,
    now: datetime,
    policy: EvvPolicy = DEFAULT_POLICY,
) -> Verification:
    """Whether ``visit`` counts as verified: only a clean visit, or one whose every exception the office
    approved (withdrawn ones no longer count), does."""
    if visit.status is not VisitStatus.COMPLETED or visit.effective_check_out is None:
        return Verification.NOT_DONE
    held = {r.code: r for r in records if r.state is not ExceptionState.WITHDRAWN}
    if any(r.state is ExceptionState.REJECTED for r in held.values()):
        return Verification.REJECTED
    codes = set(held) | {f.code for f in findings(visit, home, now, policy)}
    approved = all(code in held and held[code].state is ExceptionState.APPROVED for code in codes)
    return Verification.VERIFIED if approved else Verification.PENDING
