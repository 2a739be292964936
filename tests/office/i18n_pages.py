"""The office pages in both languages: a day's data that fills every page, the walk over every GET page of
the routers, and the comparison of what a person reads in English and in Spanish (tests/office/test_i18n.py).

A text that comes out the same in both languages was not marked for translation or has no Spanish yet,
unless it is data (names, ids, numbers, codes) or one of the few words spelled the same in Spanish."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient

from fieldapp.server.office import ROUTERS
from tests.office.conftest import Browser, Users
from tests.server import helpers as h
from tests.server.helpers import Device
from tests.server.scenario import patient_on_caseload, work_visit
from tests.server.test_reports import PDF, day_report, submit

SPANISH = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
# Pages that are files, redirects or the catch-all, not pages a person reads.
NOT_PAGES = {
    "/office",
    "/office/",
    "/office/{rest:path}",
    "/office/signatures/{signature_id}/image",
    "/office/reports/{report_id}/pdf",
    "/office/attachments/{attachment_id}",
}
# Spelled the same in both languages, or names of things (formats, standards, the product).
SAME_IN_BOTH = {
    "EVV",
    "PDF",
    "CSV",
    "SHA-256",
    "ms",
    "KB",
    "KiB",
    "oral",
    "nasal",
    "intramuscular",
    "sublingual",
    "rectal",
    "no",
    "Total",
    "fieldapp",
    "fieldapp admin verify",
    "fieldapp-evv/1",
    "English",
    "Español",
    "admin verify",
    "API",
    "GPS",
    "ICD-10",
    "MRN",
    "RN",
    "LPN",
    "CNA",
    "UTC",
    "min",
    "h",
    "s",
    "lb",
    "mmHg",
    "/min",
}
VISIBLE_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


@dataclass
class Day:
    """What the walk's pages show: ids to fill the routes' paths, and the data that reads the same in
    every language."""

    ids: dict[str, str]
    data: list[str]


def a_day(signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users) -> Day:
    """A patient on the nurse's caseload with a visit worked today (notes, vitals in °F, a signature), one
    still to start, a day report, a conflict-free series, a care task: enough for every page."""
    p = patient_on_caseload(client, office, users.nurse)
    start = datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    worked, later = h.visit(p.id, users.nurse, start), h.visit(p.id, users.nurse, start + timedelta(hours=3))
    office.push_ok(office.create(worked), office.create(later))
    nurse.pull_all()
    done = work_visit(nurse, worked)
    fever = h.observation(later, kind="temperature", value=99.1, unit="[degF]", observed_at=start)
    nurse.push_ok(nurse.create(fever))
    nurse.upload(PDF, "application/pdf")
    report = day_report(users.nurse, start.date())
    assert submit(nurse, nurse.create(report)).status_code == 200
    series = signed_in.post("/office/schedule/series/new", _series(users, p, start.date()))
    assert series.status_code == 303, series.text
    task = signed_in.post(f"/office/patients/{p.id}/tasks", {"code": "ADL-BATH", "frequency": "every_visit"})
    assert task.status_code == 303, task.text
    medicine = {
        "name": "Furosemide",
        "strength": "40 mg",
        "dose": "1 tablet",
        "frequency": "daily",
        "route": "oral",
    }
    assert signed_in.post(f"/office/patients/{p.id}/medications", medicine).status_code == 303
    ids = {
        "visit_id": str(worked.id),
        "later_id": str(later.id),
        "patient_id": str(p.id),
        "worker_id": str(users.nurse),
        "report_id": str(report.id),
        "series_id": series.headers["location"].rsplit("/", 1)[-1].split("?")[0],
    }
    names = [p.family_name, p.given_name, f"{p.family_name}, {p.given_name}", p.mrn]
    entered = [n.text for n in done.notes] + [done.signature.meaning, p.care_plan]  # typed by people
    entered += [*medicine.values(), "Furosemide 40 mg, 1 tablet, daily"]
    devices = [office.device_id, nurse.device_id, "testclient"]
    data = [*names, *entered, *devices, "office", "nurse", "aide", done.image_sha, *ids.values()]
    return Day(ids, data)


def _series(users: Users, p: h.Patient, first: date) -> dict[str, str]:
    return {
        "series_id": str(uuid.uuid4()),
        "patient_id": str(p.id),
        "worker_id": str(users.nurse),
        "start_date": (first + timedelta(days=1)).isoformat(),
        "end_date": (first + timedelta(days=20)).isoformat(),
        "start": "09:00",
        "end": "11:00",
        "service_code": "T1019",
        "day_0": "1",
        "day_2": "1",
    }


def page_paths(ids: dict[str, str]) -> list[str]:
    """Every GET page of the office routers, its path filled with the day's ids."""
    paths = []
    for router in ROUTERS:
        for route in router.routes:
            path = getattr(route, "path", "")
            if "GET" not in getattr(route, "methods", ()) or path in NOT_PAGES:
                continue
            paths.append(re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path))
    # Pages whose default shows little: the nurse's week, every exception, every conflict.
    more = [
        "/office/schedule/week?worker={worker_id}",
        "/office/exceptions?state=all",
        "/office/conflicts?state=all",
    ]
    return paths + [p.format(**ids) for p in more]


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        self.found += [v for k, v in attrs if k in VISIBLE_ATTRIBUTES and v]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.found += [v for k, v in attrs if k == "value" and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.found.append(" ".join(data.split()))


def texts(html: str) -> list[str]:
    """What a person reads or hears on a page: its text nodes and its visible attributes."""
    parser = _Texts()
    parser.feed(html)
    return parser.found


def words_left(text: str, data: list[str]) -> str:
    """The words of ``text`` without data, numbers, dates, times, codes and ids ("" if none)."""
    text = re.sub(r"\b(GET|POST|PUT|PATCH|DELETE) /\S*", " ", text)  # the access log's routes
    for value in sorted([*data, *SAME_IN_BOTH], key=len, reverse=True):
        text = text.replace(value, " ") if len(value) > 3 else text
    codes = re.compile(r"[A-Z]{2,5}(-[A-Z]+)?|.*\d.*")  # credentials, duty codes; anything with a digit
    words = re.findall(r"[^\W_][\w'’/-]*", text)
    left = [w for w in words if w not in SAME_IN_BOTH and not codes.fullmatch(w)]
    return " ".join(left) if any(len(w) > 1 for w in left) else ""


def untranslated(english: str, spanish: str, data: list[str]) -> list[str]:
    """Texts of the English page that the Spanish page shows unchanged (and that are not data)."""
    theirs = set(texts(spanish))
    return sorted({t for t in texts(english) if t in theirs and words_left(t, data)})


def both(browser: Browser, path: str) -> tuple[Any, Any]:
    english = browser.get(path, headers=ENGLISH)
    spanish = browser.get(path, headers=SPANISH)
    assert english.status_code == 200, (path, english.status_code, english.text[:300])
    assert spanish.status_code == 200, (path, spanish.status_code)
    return english, spanish


class _Refusals(HTMLParser):
    """The texts of a page's refusals, problems and warnings (``class="problem"``, ``role="alert"``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("input", "br", "img", "meta", "link"):
            return
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        self._open.append("problem" in classes or found.get("role") == "alert" or "warn" in classes)

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("input", "br", "img", "meta", "link") and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if any(self._open) and data.strip():
            self.found.append(" ".join(data.split()))


def refusals(html: str) -> list[str]:
    """What a page says was refused or should be checked (its problems, alerts and warnings)."""
    parser = _Refusals()
    parser.feed(html)
    return parser.found


def english_in_refusals(english: str, spanish: str, data: list[str]) -> list[str]:
    """The English words of a page's refusals that the same refusal in Spanish still shows (data aside)."""
    theirs = set(re.findall(r"[^\W_][\w'’/-]*", " ".join(refusals(spanish))))
    left = words_left(" ".join(refusals(english)), data).split()
    return sorted({word for word in left if word in theirs and len(word) > 2})
