"""The office pages in English and Spanish (decision 0032): every page of the routers walked in both
languages with a day's data, the catalogue complete and in step with the sources, the language chosen by
the user or the browser, dates and numbers by locale."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from fieldapp.server.models import User
from fieldapp.server.office import i18n, web
from tests.office.conftest import Browser, Users
from tests.office.i18n_pages import ENGLISH, SPANISH, a_day, both, page_paths, texts, untranslated
from tests.server.helpers import Device

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
