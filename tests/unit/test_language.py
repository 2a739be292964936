"""The one phrase of the domain (fieldapp.domain.language, decision 0041): the English itself, said again
by whichever catalogue the reader's side hands it."""

from __future__ import annotations

import copy
import pickle
from datetime import datetime

from pydantic import BaseModel

from fieldapp.domain.language import (
    QT_TRANSLATE_NOOP,
    Moment,
    Phrase,
    Said,
    english_moment,
    joined,
    named,
    phrase,
)

SPANISH = {
    ("Notice", "%(start)s %(patient)s: %(changes)s"): "%(start)s %(patient)s: %(changes)s (cambios)",
    ("Notice", "a patient"): "un paciente",
    ("Notice", "service now %(service)s"): "ahora el servicio es %(service)s",
    ("Notice", "changed by the office"): "cambiada por la oficina",
}


def spanish(context: str, text: str) -> str:
    return SPANISH.get((context, text), text)


def notice() -> Phrase:
    start = Moment(datetime(2026, 12, 4, 14, 0), with_day=True)
    changes = (
        Phrase.marked("Notice", QT_TRANSLATE_NOOP("Notice", "service now %(service)s"), service="G0156"),
        Phrase.marked("Notice", QT_TRANSLATE_NOOP("Notice", "changed by the office")),
    )
    patient = Phrase.marked("Notice", QT_TRANSLATE_NOOP("Notice", "a patient"))
    template = QT_TRANSLATE_NOOP("Notice", "%(start)s %(patient)s: %(changes)s")
    return Phrase.marked("Notice", template, start=start, patient=patient, changes=changes)


def test_a_tablet_phrase_is_its_english_and_is_said_with_the_catalogue_handed_in() -> None:
    words = notice()
    english = "Fri 04 Dec 14:00 a patient: service now G0156; changed by the office"
    assert words == english and words.say() == english and str(words) == english
    assert words.context == "Notice" and words.template == "%(start)s %(patient)s: %(changes)s"
    said = words.say(spanish, lambda moment: f"vie {moment.at:%H:%M}")
    assert said == "vie 14:00 un paciente: ahora el servicio es G0156; cambiada por la oficina (cambios)"


def test_an_office_phrase_has_no_qt_context_and_composes_like_before() -> None:
    words = joined([named("name", phrase("%(count)s characters at most", count=30)), "plain words"])
    assert words == "name: 30 characters at most; plain words" and words.context == ""
    assert phrase("100%% sure") == "100%% sure", "a phrase without values is its template as written"


def test_a_phrase_told_by_someone_else_keeps_their_english() -> None:
    told = Phrase.told("Field required!", "Field required")
    assert told.say() == "Field required!" and told.say(spanish) == "Field required"


def test_copies_pickles_and_models_keep_what_a_phrase_remembers() -> None:
    words = notice()

    class Refusal(BaseModel):
        message: Said

    for kept in (copy.deepcopy(words), pickle.loads(pickle.dumps(words)), Refusal(message=words).message):
        assert isinstance(kept, Phrase) and kept == words
        assert (kept.context, kept.template) == (words.context, words.template)
        assert kept.say(spanish) == words.say(spanish)
    assert english_moment(Moment(datetime(2026, 12, 4, 9, 5))) == "09:05"
