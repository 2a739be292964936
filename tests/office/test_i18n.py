"""The office pages in English and Spanish (decision 0032): every page of the routers walked in both
languages with a day's data, the catalogue complete and in step with the sources, the language chosen by
the user or the browser, dates and numbers by locale."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from fieldapp.server.models import User
from fieldapp.server.office import i18n, web
from tests.office.conftest import Browser, Users
from tests.office.i18n_pages import (
    ENGLISH,
    SPANISH,
    Day,
    a_day,
    both,
    english_in_refusals,
    page_paths,
    refusals,
    texts,
    untranslated,
)
from tests.server.helpers import Device
from tests.server.scenario import patient_on_caseload

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = i18n.catalogue_path("es")


def test_every_office_page_reads_in_spanish(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    day = a_day(signed_in, client, office, nurse, users)
    left: dict[str, list[str]] = {}
    paths = page_paths(day.ids)
    assert len(paths) >= 20, paths
    for path in paths:
        english, spanish = both(signed_in, path)
        assert 'lang="es"' in spanish.text and 'lang="en"' in english.text
        if found := untranslated(english.text, spanish.text, day.data):
            left[path] = found
    assert not left, f"English left on the Spanish pages: {left}"


def test_the_walk_catches_a_string_left_unmarked(
    signed_in: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same comparison over a copy of the templates in which one sentence lost its ``_()``."""
    for template in web.TEMPLATES.iterdir():
        text = template.read_text(encoding="utf-8")
        if template.name == "visits.html":
            marked = '{{ _("No visits on this day.") }}'
            assert marked in text
            text = text.replace(marked, "No visits on this day.")
        (tmp_path / template.name).write_text(text, encoding="utf-8")
    before = untranslated(*(r.text for r in both(signed_in, "/office/visits")), [])
    monkeypatch.setattr(web, "TEMPLATES", tmp_path)
    web.environment.cache_clear()
    try:
        after = untranslated(*(r.text for r in both(signed_in, "/office/visits")), [])
    finally:
        monkeypatch.undo()
        web.environment.cache_clear()
    assert "No visits on this day." not in before
    assert "No visits on this day." in after


def test_the_spanish_catalogue_is_complete_finished_and_in_step_with_the_sources(tmp_path: Path) -> None:
    with CATALOGUE.open("rb") as source:
        catalogue = read_po(source, locale="es")
    entries = [m for m in catalogue if m.id]
    assert len(entries) > 500
    fuzzy = [m.id for m in entries if m.fuzzy]
    empty = [m.id for m in entries if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert not fuzzy and not empty, (fuzzy, empty)
    assert not [(m.id, errors) for m, errors in catalogue.check()], "placeholders differ from the English"
    template = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            *("pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "ServiceInfo:2"),
            *("--no-location", "-o", str(template), str(ROOT)),
        ]
    )
    with template.open("rb") as source:
        wanted = {m.id for m in read_po(source) if m.id}
    have = {m.id for m in entries}
    assert not wanted - have, f"marked in the sources, missing from {CATALOGUE.name}: {wanted - have}"
    assert not have - wanted, f"in {CATALOGUE.name}, no longer in the sources: {have - wanted}"


def test_the_browser_language_is_used_until_the_user_chooses_one(
    signed_in: Browser, client: TestClient
) -> None:
    assert "Visitas" in signed_in.get("/office/visits", headers=SPANISH).text
    english = signed_in.get("/office/visits", headers=ENGLISH).text
    assert "<h1>Visits" in english and "Cambiar idioma" not in english
    chosen = signed_in.post(
        "/office/language", {"language": "es", "next": "/office/patients"}, headers=ENGLISH
    )
    assert chosen.status_code == 303 and chosen.headers["location"] == "/office/patients"
    page = signed_in.get("/office/patients", headers=ENGLISH).text
    assert "<h1>Pacientes</h1>" in page and '<option value="es" lang="es" selected>' in page
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        assert session.query(User).filter_by(username="office").one().language == "es"
    signed_in.post("/office/language", {"language": "", "next": "/office/patients"})
    assert "<h1>Patients</h1>" in signed_in.get("/office/patients", headers=ENGLISH).text


def test_an_unknown_language_is_refused_and_changes_nothing(signed_in: Browser, client: TestClient) -> None:
    refused = signed_in.post("/office/language", {"language": "xx", "next": "/office/patients"})
    assert refused.status_code == 422 and "Choose one of the languages offered" in refused.text
    spanish = signed_in.post("/office/language", {"language": "xx"}, headers=SPANISH)
    assert spanish.status_code == 422 and "Elija uno de los idiomas ofrecidos" in spanish.text
    with client.app.state.database.read() as session:  # type: ignore[attr-defined]
        assert session.query(User).filter_by(username="office").one().language == ""


def test_the_sign_in_page_and_its_refusals_follow_the_browser(browser: Browser) -> None:
    page = browser.get("/office/login", headers=SPANISH)
    assert 'lang="es"' in page.text and "Inicio de sesión de la oficina" in page.text
    wrong = browser.http.post(
        "/office/login",
        data={"username": "office", "password": "nope-nope-nope", "csrf": browser.csrf(), "next": ""},
        headers=SPANISH,
        follow_redirects=False,
    )
    assert wrong.status_code == 401 and "Nombre de usuario o contraseña incorrectos." in wrong.text


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR, es;q=0.4, en;q=0.3", "es"),
        ("de, fr", "en"),
        ("es;q=0, en", "en"),
        ("", "en"),
        (None, "en"),
        ("es;q=abc", "en"),
        ("*", "en"),
    ],
)
def test_accept_language_is_negotiated(header: str | None, expected: str) -> None:
    assert i18n.negotiate(header) == expected


def test_days_and_numbers_follow_the_language(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    day = a_day(signed_in, client, office, nurse, users)
    english, spanish = both(signed_in, f"/office/visits/{day.ids['later_id']}")
    assert "99.1" in texts(english.text) and "99,1" in texts(spanish.text)
    weekday = {0: "lun", 1: "mar", 2: "mié", 3: "jue", 4: "vie", 5: "sáb", 6: "dom"}
    board = signed_in.get("/office/visits?day=2026-12-04", headers=SPANISH).text
    assert f"Visitas · {weekday[4]} 4 dic 2026" in board
    assert "Fri 4 Dec 2026" in signed_in.get("/office/visits?day=2026-12-04", headers=ENGLISH).text


@pytest.mark.parametrize(
    ("phrase", "english", "spanish"),
    [
        ("late 14 min", "late 14 min", "14 min de retraso"),
        (
            "missing date of service, begin and end times",
            "missing date of service, begin and end times",
            "falta: fecha del servicio, horas de inicio y fin",
        ),
        ("12 min after the start", "12 min after the start", "12 min después del inicio"),
        ("31 min of 60 min", "31 min of 60 min", "31 min de 60 min"),
        (
            "gps 41.78000, -73.69000 (±12 m)",
            "GPS fix 41.78000, -73.69000 (±12 m)",
            "Posición GPS 41.78000, -73.69000 (±12 m)",
        ),
        (
            "check-in corrected to 2026-12-04T09:05 (forgot_check_in): porch",
            "check-in corrected to 2026-12-04T09:05 (Forgot to check in): porch",
            "entrada corregida a 2026-12-04T09:05 (Olvidó registrar la entrada): porch",
        ),
        ("Late check-in", "Late check-in", "Entrada con retraso"),
        ("a phrase the catalogue lacks", "a phrase the catalogue lacks", "a phrase the catalogue lacks"),
    ],
)
def test_the_read_models_phrases_are_said_in_the_pages_language(
    phrase: str, english: str, spanish: str
) -> None:
    from fieldapp.server.office import words

    i18n.begin("es")
    assert words.words(phrase) == spanish
    i18n.begin("en")
    assert words.words(phrase) == english


# -- what the services say on the pages (decision 0040) ------------------------------------------------------


def _visit(day: Day, on: date, start: str, end: str) -> dict[str, str]:
    return {
        "visit_id": str(uuid.uuid4()),
        "worker_id": day.ids["worker_id"],
        "patient_id": day.ids["patient_id"],
        "day": on.isoformat(),
        "start": start,
        "end": end,
        "service_code": "G0299",
        "worker_notes": "",
    }


def _series(day: Day, first: date, last: date) -> dict[str, str]:
    return {
        "series_id": str(uuid.uuid4()),
        "patient_id": day.ids["patient_id"],
        "worker_id": day.ids["worker_id"],
        "start_date": first.isoformat(),
        "end_date": last.isoformat(),
        "start": "17:00",
        "end": "18:00",
        "service_code": "T1019",
        "day_1": "1",
    }


def _refused_forms(signed_in: Browser, day: Day) -> dict[str, tuple[str, dict[str, str], int]]:
    """The main forms of the office with bad input (after what they need to refuse it), by what they try:
    the path, the form, and the status of the page that answers."""
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    booked = _visit(day, monday, "13:00", "14:00")  # the day's series takes 09:00-11:00
    assert signed_in.post("/office/schedule/visits/new", booked).status_code == 303
    hours = {f"start_{n}": "08:00" for n in range(5)} | {f"end_{n}": "16:00" for n in range(5)}
    assert signed_in.post(f"/office/schedule/hours/{day.ids['worker_id']}", hours).status_code == 303
    gone = _visit(day, monday, "15:00", "16:00")  # cancelled, then its slot taken
    assert signed_in.post("/office/schedule/visits/new", gone).status_code == 303
    gone_path = f"/office/schedule/visits/{gone['visit_id']}"
    assert signed_in.post(f"{gone_path}/cancel", {"reason": "Rain"}).status_code == 303
    taken = _visit(day, monday, "15:00", "16:00")
    assert signed_in.post("/office/schedule/visits/new", taken).status_code == 303
    patient, worker = f"/office/patients/{day.ids['patient_id']}", f"/office/workers/{day.ids['worker_id']}"
    medicine = {"name": "Warfarin", "strength": "5 mg", "dose": "1 tablet", "frequency": "daily"}
    return {
        "a double booking": ("/office/schedule/visits/new", _visit(day, monday, "13:30", "14:30"), 200),
        "outside the hours": (
            "/office/schedule/visits/new",
            _visit(day, monday + timedelta(days=5), "13:00", "14:00"),
            200,
        ),
        "a restore into a taken slot": (f"{gone_path}/restore", {}, 200),
        "a series that ends before it starts": (
            "/office/schedule/series/new",
            _series(day, monday + timedelta(days=14), monday + timedelta(days=7)),
            422,
        ),
        "a cancel without a reason": (f"/office/schedule/visits/{booked['visit_id']}/cancel", {}, 422),
        "a patient born in 1700": (
            "/office/patients/new",
            {"mrn": "MRN-OLD", "given_name": "Ada", "family_name": "Old", "date_of_birth": "1700-01-01"},
            422,
        ),
        "a medication stopped before it started": (
            f"{patient}/medications",
            medicine | {"route": "oral", "start_date": "2026-11-02", "stop_date": "2026-11-01"},
            422,
        ),
        "a home off the map": (f"{patient}/home", {"position": "91, 200"}, 422),
        "a medication without a name": (f"{patient}/medications", medicine | {"name": ""}, 422),
        "a free task without a title": (
            f"{patient}/tasks",
            {"code": "", "title": "", "frequency": "every_visit"},
            422,
        ),
        "a task due on no weekday": (
            f"{patient}/tasks",
            {"code": "ADL-DRESS", "title": "", "frequency": "weekdays"},
            422,
        ),
        "an invalid agency card": (
            "/office/agency",
            {"name": "Sunrise", "late_after_min": "ten", "time_zone": "Mars/Olympus_Mons"},
            422,
        ),
        "an unknown time zone": (
            "/office/agency",
            {"name": "Sunrise", "time_zone": "Mars/Olympus_Mons"},
            422,
        ),
        "a made-up credential": (f"{worker}/card", {"full_name": "Ana", "credential": "WIZARD"}, 422),
        "an unknown exception decided": (
            "/office/exceptions/decide",
            {"decision": "approved", f"pick-{uuid.uuid4()}": "1"},
            404,
        ),
        "an unknown tablet retired": ("/office/fleet/no-such-tablet/disable", {}, 404),
    }


def test_what_the_services_refuse_or_warn_reads_in_spanish(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    """Each main form sent with bad input in English and in Spanish: the refusal, problems and warnings
    shown in Spanish keep no English of the English page (data aside)."""
    day = a_day(signed_in, client, office, nurse, users)
    left: dict[str, list[str]] = {}
    data = [*day.data, "'no-such-tablet'", "'Mars/Olympus_Mons'", "America/New_York"]  # typed, or names
    for what, (path, form, status) in _refused_forms(signed_in, day).items():
        english = signed_in.post(path, form, headers=ENGLISH)
        spanish = signed_in.post(path, form, headers=SPANISH)
        assert (english.status_code, spanish.status_code) == (status, status), (what, english.text[-800:])
        assert refusals(english.text) and refusals(spanish.text), (what, refusals(english.text))
        if found := english_in_refusals(english.text, spanish.text, data):
            left[what] = found
    assert not left, f"English left in the Spanish refusals: {left}"


def test_the_refusal_check_sees_a_message_left_in_english(
    signed_in: Browser, client: TestClient, office: Device, nurse: Device, users: Users
) -> None:
    """The same check over a service message the office shows as the service wrote it."""
    day = a_day(signed_in, client, office, nurse, users)
    path, form, _ = _refused_forms(signed_in, day)["a double booking"]
    english = signed_in.post(path, form, headers=ENGLISH).text
    spanish = signed_in.post(path, form, headers=SPANISH).text
    assert "se solapa con" in spanish and not english_in_refusals(english, spanish, day.data)
    said = re.search(r"<li>([^<]*se solapa[^<]*)</li>", spanish)
    assert said is not None
    worded = re.search(r"<li>([^<]*overlaps[^<]*)</li>", english)
    assert worded is not None
    left = spanish.replace(said.group(1), worded.group(1))
    assert "overlaps" in english_in_refusals(english, left, day.data)


def test_the_api_keeps_its_english_and_its_codes_for_a_spanish_client(
    signed_in: Browser, client: TestClient, office: Device, users: Users
) -> None:
    """The same double booking the office page says in Spanish: the API answers it in English."""
    p = patient_on_caseload(client, office, users.nurse)
    on = (date.today() + timedelta(days=2)).isoformat()
    body = {"worker": "nurse", "patient_mrn": p.mrn, "date": on, "start": "09:00", "end": "10:00"}
    headers = office.headers | SPANISH
    assert client.put(
        "/schedule/visits/AG-1", json=body | {"service_code": "G0299"}, headers=headers
    ).is_success
    answer = client.put(
        "/schedule/visits/AG-2", json=body | {"service_code": "G0299", "start": "09:30"}, headers=headers
    )
    name = f"{p.family_name}, {p.given_name}"
    assert answer.status_code == 200 and answer.json()["warnings"] == [
        {"kind": "double_booked", "message": f"09:30 {name} overlaps 09:00 {name} for the same worker"}
    ]
    refused = client.post("/schedule/visits/AG-404/restore", headers=headers)
    assert refused.status_code == 404 and refused.json()["error"] == "not_found"
    assert not re.search(r"[áéíóúñ]|existe", refused.text)


def test_a_phrase_is_its_english_and_is_said_in_the_page_s_language() -> None:
    """What the office does with a service's phrase: its template translated, its values said again."""
    import copy
    import pickle

    from fieldapp.domain.language import Day, Phrase, joined, phrase

    saturday = Day(date(2026, 12, 12))
    warned = phrase(
        "%(visit)s on %(day)s is outside the worker's hours (%(hours)s)",
        visit=phrase("this visit"),
        day=saturday,
        hours=phrase("not working that day"),
    )
    english = "this visit on Sat 12 Dec is outside the worker's hours (not working that day)"
    both = joined([warned, "a word of nobody's"])
    assert warned == english and both == f"{english}; a word of nobody's"
    assert (
        copy.deepcopy(both).params == both.params and pickle.loads(pickle.dumps(saturday)).day == saturday.day
    )
    i18n.begin("es")
    spanish = "esta visita el sáb 12 dic queda fuera del horario del trabajador (no trabaja ese día)"
    assert i18n.say(warned) == spanish and i18n.say(both) == f"{spanish}; a word of nobody's"
    assert i18n.say(Phrase.told("Field required!", "Field required")) == "Campo obligatorio"
    assert i18n.say("choose an active field worker") == "elija un trabajador de campo activo"
    i18n.begin("en")
    assert i18n.say(warned) == english
