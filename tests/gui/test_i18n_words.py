"""The words the Qt-free layers write for codes are all marked for the translators (``fieldapp.qt.words``),
shown in the worker's language, and the end-of-day report speaks the language it is handed."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from fieldapp.domain.attachments import KINDS
from fieldapp.domain.care import CATALOGUE, OUTCOME_WORDS
from fieldapp.domain.evv import EvvElement
from fieldapp.domain.exceptions import CODE_WORDS, REASON_WORDS, ExceptionState
from fieldapp.domain.medications import Route
from fieldapp.domain.services import SERVICE_CODES, BillUnit
from fieldapp.domain.values import AllergySeverity, Sex
from fieldapp.qt.words import WORDS, detail, service, word, words
from fieldapp.reports import words as report_words
from tests.gui.i18n_helpers import Spanish, compile_catalogue


def _written() -> set[str]:
    tables = [
        report_words.STATUS_WORDS,
        report_words.KIND_WORDS,
        report_words.SHORT_KIND_WORDS,
        report_words.LOCATION_WORDS,
        report_words.CORRECTION_WORDS,
        report_words.ROLE_WORDS,
        report_words.ENTITY_WORDS,
        CODE_WORDS,
        REASON_WORDS,
        OUTCOME_WORDS,
    ]
    found = {text for table in tables for text in table.values()}
    found |= {e.value for e in (*EvvElement, *BillUnit, *ExceptionState, *AllergySeverity, *Sex)}
    found |= {kind.words for kind in KINDS.values()} | {info.description for info in SERVICE_CODES.values()}
    found |= {route.value.replace("_", " ").capitalize() for route in Route}
    found |= {duty.words for duty in CATALOGUE.values()}
    return found


def test_every_word_the_qt_free_layers_write_is_marked_for_the_translators() -> None:
    assert sorted(_written() - set(WORDS)) == [], "add them to fieldapp/qt/words.py, then `make translations`"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return compile_catalogue(tmp_path_factory.mktemp("qm"))


def test_the_words_are_shown_in_the_workers_language(catalogue: Path, qapp: object) -> None:
    assert word("Blood glucose") == "Blood glucose"
    assert service("t1019 ") == "T1019 Personal care (per 15 min)"
    with Spanish(catalogue):
        assert word("Blood glucose") == "Glucosa en sangre"
        assert words([EvvElement.DATE, EvvElement.TIMES]) == "fecha del servicio, horas de inicio y fin"
        assert service("T1019") == "T1019 Cuidado personal (por 15 min)"
        assert service("X999") == "X999", "an unknown code is shown as it is"
        assert word("a word nobody marked") == "a word nobody marked"
        assert detail("25 min after the start") == "25 min después del inicio"
        assert detail("check-in 1,200 m from home; check-out 950 m from home") == (
            "entrada a 1,200 m de la casa; salida a 950 m de la casa"
        )
        assert (
            detail("no GPS position at check-in and check-out")
            == "sin posición GPS en la entrada ni en la salida"
        )
        assert detail("something else") == "something else"


def test_the_report_speaks_the_language_it_is_handed(catalogue: Path, tmp_path: Path, qapp: object) -> None:
    """The same day in English (the default: what the office and the digest see) and in Spanish."""
    import shutil
    import subprocess

    from PySide6.QtCore import QCoreApplication

    from fieldapp.reports.pdf import DayReportDocument
    from tests.gui.day_helpers import WORKER, make_day, work_first_visit

    day = make_day(tmp_path / "day")
    work_first_visit(day)
    data = day.records.day_report(WORKER, day.day, "Ana López", UTC)
    english = DayReportDocument(data, day.records.blob, zone=UTC)
    (tmp_path / "en.pdf").write_bytes(english.pdf())
    with Spanish(catalogue):
        spanish = DayReportDocument(
            data, day.records.blob, zone=UTC, translate=QCoreApplication.translate, locale="es_US"
        )
        (tmp_path / "es.pdf").write_bytes(spanish.pdf())
    assert english.digest == spanish.digest, "the content attested does not depend on the language"
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    texts = {
        name: subprocess.run(
            [pdftotext, str(tmp_path / f"{name}.pdf"), "-"], capture_output=True, text=True
        ).stdout
        for name in ("en", "es")
    }
    assert "End-of-day report" in texts["en"] and "Visits scheduled" in texts["en"]
    assert "Informe de fin del día" in texts["es"] and "Visitas programadas" in texts["es"]
    assert "Página 1 de" in texts["es"] and "Signos vitales" in texts["es"]
    assert "End-of-day report" not in texts["es"] and "Visits scheduled" not in texts["es"]
