"""The words the Qt-free layers write for codes (statuses, vital-sign kinds, places, reasons, roles, task
outcomes, visit-verification elements, services, routes, severities), marked for the translators under the
context ``Words`` and shown in the worker's language through ``word``.

The tables themselves stay English in ``fieldapp.domain`` and ``fieldapp.reports.words`` (what is saved and
what the office reads); ``tests/gui/test_i18n_words.py`` checks that every word of them is marked here, so a
word added there without a Spanish one fails a test. The end-of-day report translates the same words
(``fieldapp.reports`` takes a translate function, decision 0030).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication

from fieldapp.domain.care import duty_words
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.services import service_info

WORDS = (
    QT_TRANSLATE_NOOP("Words", "Scheduled"),
    QT_TRANSLATE_NOOP("Words", "In progress"),
    QT_TRANSLATE_NOOP("Words", "Completed"),
    QT_TRANSLATE_NOOP("Words", "Missed"),
    QT_TRANSLATE_NOOP("Words", "Cancelled"),
    QT_TRANSLATE_NOOP("Words", "Blood pressure, systolic"),
    QT_TRANSLATE_NOOP("Words", "Blood pressure, diastolic"),
    QT_TRANSLATE_NOOP("Words", "Heart rate"),
    QT_TRANSLATE_NOOP("Words", "Respiratory rate"),
    QT_TRANSLATE_NOOP("Words", "Temperature"),
    QT_TRANSLATE_NOOP("Words", "Oxygen saturation"),
    QT_TRANSLATE_NOOP("Words", "Blood glucose"),
    QT_TRANSLATE_NOOP("Words", "Weight"),
    QT_TRANSLATE_NOOP("Words", "Pain score"),
    QT_TRANSLATE_NOOP("Words", "BP systolic"),
    QT_TRANSLATE_NOOP("Words", "BP diastolic"),
    QT_TRANSLATE_NOOP("Words", "Breathing rate"),
    QT_TRANSLATE_NOOP("Words", "SpO2 (oxygen)"),
    QT_TRANSLATE_NOOP("Words", "GPS fix"),
    QT_TRANSLATE_NOOP("Words", "Patient's home"),
    QT_TRANSLATE_NOOP("Words", "In the community"),
    QT_TRANSLATE_NOOP("Words", "Forgot to check in"),
    QT_TRANSLATE_NOOP("Words", "Forgot to check out"),
    QT_TRANSLATE_NOOP("Words", "Tablet failed or ran out of battery"),
    QT_TRANSLATE_NOOP("Words", "Checked in to the wrong visit"),
    QT_TRANSLATE_NOOP("Words", "Service given outside the home"),
    QT_TRANSLATE_NOOP("Words", "Schedule changed"),
    QT_TRANSLATE_NOOP("Words", "Other (explain in the comment)"),
    QT_TRANSLATE_NOOP("Words", "Patient"),
    QT_TRANSLATE_NOOP("Words", "Spouse"),
    QT_TRANSLATE_NOOP("Words", "Son or daughter"),
    QT_TRANSLATE_NOOP("Words", "Parent"),
    QT_TRANSLATE_NOOP("Words", "Legal guardian"),
    QT_TRANSLATE_NOOP("Words", "Caregiver"),
    QT_TRANSLATE_NOOP("Words", "Other representative"),
    QT_TRANSLATE_NOOP("Words", "Visit"),
    QT_TRANSLATE_NOOP("Words", "Note"),
    QT_TRANSLATE_NOOP("Words", "Vital sign"),
    QT_TRANSLATE_NOOP("Words", "Signature"),
    QT_TRANSLATE_NOOP("Words", "Day report"),
    QT_TRANSLATE_NOOP("Words", "Late check-in"),
    QT_TRANSLATE_NOOP("Words", "Early check-in"),
    QT_TRANSLATE_NOOP("Words", "Early check-out"),
    QT_TRANSLATE_NOOP("Words", "Late check-out"),
    QT_TRANSLATE_NOOP("Words", "Visit much shorter than scheduled"),
    QT_TRANSLATE_NOOP("Words", "Visit much longer than scheduled"),
    QT_TRANSLATE_NOOP("Words", "No GPS location"),
    QT_TRANSLATE_NOOP("Words", "Location far from the patient's home"),
    QT_TRANSLATE_NOOP("Words", "Time entered by hand"),
    QT_TRANSLATE_NOOP("Words", "No check-out"),
    QT_TRANSLATE_NOOP("Words", "Missed visit"),
    QT_TRANSLATE_NOOP("Words", "No signature"),
    QT_TRANSLATE_NOOP("Words", "Care tasks not completed"),
    QT_TRANSLATE_NOOP("Words", "The tablet found no GPS position in time"),
    QT_TRANSLATE_NOOP("Words", "Location access is turned off on the tablet"),
    QT_TRANSLATE_NOOP("Words", "This tablet has no GPS"),
    QT_TRANSLATE_NOOP("Words", "Service given in the community"),
    QT_TRANSLATE_NOOP("Words", "The patient was at another address"),
    QT_TRANSLATE_NOOP("Words", "The home's map position looks wrong"),
    QT_TRANSLATE_NOOP("Words", "The patient refused the visit"),
    QT_TRANSLATE_NOOP("Words", "The patient is in hospital"),
    QT_TRANSLATE_NOOP("Words", "The patient was not home"),
    QT_TRANSLATE_NOOP("Words", "The patient cancelled"),
    QT_TRANSLATE_NOOP("Words", "I could not go"),
    QT_TRANSLATE_NOOP("Words", "Traffic or travel delay"),
    QT_TRANSLATE_NOOP("Words", "The patient asked for it"),
    QT_TRANSLATE_NOOP("Words", "An emergency"),
    QT_TRANSLATE_NOOP("Words", "The schedule changed"),
    QT_TRANSLATE_NOOP("Words", "I forgot"),
    QT_TRANSLATE_NOOP("Words", "There was not enough time at the visit"),
    QT_TRANSLATE_NOOP("Words", "The tablet failed or ran out of battery"),
    QT_TRANSLATE_NOOP("Words", "The patient is unable to sign"),
    QT_TRANSLATE_NOOP("Words", "The patient declined to sign"),
    QT_TRANSLATE_NOOP("Words", "Other (say what happened)"),
    QT_TRANSLATE_NOOP("Words", "Done"),
    QT_TRANSLATE_NOOP("Words", "Patient refused"),
    QT_TRANSLATE_NOOP("Words", "Not needed"),
    QT_TRANSLATE_NOOP("Words", "Could not do"),
    QT_TRANSLATE_NOOP("Words", "type of service"),
    QT_TRANSLATE_NOOP("Words", "person receiving the service"),
    QT_TRANSLATE_NOOP("Words", "date of service"),
    QT_TRANSLATE_NOOP("Words", "location of service"),
    QT_TRANSLATE_NOOP("Words", "person providing the service"),
    QT_TRANSLATE_NOOP("Words", "begin and end times"),
    QT_TRANSLATE_NOOP("Words", "JPEG photo"),
    QT_TRANSLATE_NOOP("Words", "PNG image"),
    QT_TRANSLATE_NOOP("Words", "PDF document"),
    QT_TRANSLATE_NOOP("Words", "Personal care"),
    QT_TRANSLATE_NOOP("Words", "Attendant care"),
    QT_TRANSLATE_NOOP("Words", "Homemaker service"),
    QT_TRANSLATE_NOOP("Words", "Respite care"),
    QT_TRANSLATE_NOOP("Words", "Home health aide services"),
    QT_TRANSLATE_NOOP("Words", "Skilled nursing by an RN"),
    QT_TRANSLATE_NOOP("Words", "Skilled nursing by an LPN"),
    QT_TRANSLATE_NOOP("Words", "Physical therapy"),
    QT_TRANSLATE_NOOP("Words", "Occupational therapy"),
    QT_TRANSLATE_NOOP("Words", "Speech-language pathology"),
    QT_TRANSLATE_NOOP("Words", "Medical social services"),
    QT_TRANSLATE_NOOP("Words", "Home health aide or CNA"),
    QT_TRANSLATE_NOOP("Words", "Nursing care by an RN"),
    QT_TRANSLATE_NOOP("Words", "Nursing care by an LPN"),
    QT_TRANSLATE_NOOP("Words", "Home visit for help with daily living"),
    QT_TRANSLATE_NOOP("Words", "15 min"),
    QT_TRANSLATE_NOOP("Words", "hour"),
    QT_TRANSLATE_NOOP("Words", "visit"),
    QT_TRANSLATE_NOOP("Words", "day"),
    QT_TRANSLATE_NOOP("Words", "open"),
    QT_TRANSLATE_NOOP("Words", "approved"),
    QT_TRANSLATE_NOOP("Words", "rejected"),
    QT_TRANSLATE_NOOP("Words", "withdrawn"),
    QT_TRANSLATE_NOOP("Words", "Oral"),
    QT_TRANSLATE_NOOP("Words", "Sublingual"),
    QT_TRANSLATE_NOOP("Words", "Topical"),
    QT_TRANSLATE_NOOP("Words", "Transdermal"),
    QT_TRANSLATE_NOOP("Words", "Inhaled"),
    QT_TRANSLATE_NOOP("Words", "Nasal"),
    QT_TRANSLATE_NOOP("Words", "Ophthalmic"),
    QT_TRANSLATE_NOOP("Words", "Otic"),
    QT_TRANSLATE_NOOP("Words", "Subcutaneous"),
    QT_TRANSLATE_NOOP("Words", "Intramuscular"),
    QT_TRANSLATE_NOOP("Words", "Intravenous"),
    QT_TRANSLATE_NOOP("Words", "Rectal"),
    QT_TRANSLATE_NOOP("Words", "Enteral tube"),
    QT_TRANSLATE_NOOP("Words", "Other"),
    QT_TRANSLATE_NOOP("Words", "mild"),
    QT_TRANSLATE_NOOP("Words", "moderate"),
    QT_TRANSLATE_NOOP("Words", "severe"),
    QT_TRANSLATE_NOOP("Words", "unknown"),
    QT_TRANSLATE_NOOP("Words", "female"),
    QT_TRANSLATE_NOOP("Words", "male"),
    QT_TRANSLATE_NOOP("Words", "other"),
    # the duties of the plan-of-care catalogue (fieldapp.domain.care.CATALOGUE)
    QT_TRANSLATE_NOOP("Words", "Bathing"),
    QT_TRANSLATE_NOOP("Words", "Dressing"),
    QT_TRANSLATE_NOOP("Words", "Toileting"),
    QT_TRANSLATE_NOOP("Words", "Transferring"),
    QT_TRANSLATE_NOOP("Words", "Continence care"),
    QT_TRANSLATE_NOOP("Words", "Feeding"),
    QT_TRANSLATE_NOOP("Words", "Grooming and oral care"),
    QT_TRANSLATE_NOOP("Words", "Walking and mobility"),
    QT_TRANSLATE_NOOP("Words", "Meal preparation"),
    QT_TRANSLATE_NOOP("Words", "Light housekeeping"),
    QT_TRANSLATE_NOOP("Words", "Laundry"),
    QT_TRANSLATE_NOOP("Words", "Shopping and errands"),
    QT_TRANSLATE_NOOP("Words", "Medication reminder"),
    QT_TRANSLATE_NOOP("Words", "Escort to appointments"),
    QT_TRANSLATE_NOOP("Words", "Vital signs"),
    QT_TRANSLATE_NOOP("Words", "Medication administration"),
    QT_TRANSLATE_NOOP("Words", "Wound care"),
    QT_TRANSLATE_NOOP("Words", "Assessment"),
)


def word(text: str) -> str:
    """A word of one of the tables above in the worker's language (as written when it is not marked)."""
    return QCoreApplication.translate("Words", text)


def words(texts: Iterable[str], joiner: str = ", ") -> str:
    """Several words, each translated, joined."""
    return joiner.join(word(text) for text in texts)


def task_title(code: str | None, title: str) -> str:
    """A plan-of-care task's name in the worker's language: a duty of the catalogue in its translated
    words, unless the office wrote a title of its own (shown as written, like any free task)."""
    duty = duty_words(code, title)
    return word(duty) if duty is not None else title or (code or "")


def service_line(code: str) -> str:
    """A service code with what it is, in the worker's language, where a code alone would be shown
    ("G0156 — Home health aide services"); the code alone when it is not a known one."""
    info = service_info(code)
    return f"{info.code} — {word(info.description)}" if info is not None else code.strip().upper()


def service(code: str) -> str:
    """A service code with its description and bill unit in the worker's language ("T1019 Cuidado
    personal (por 15 min)"), or the code alone when it is not a known one."""
    info = service_info(code)
    if info is None:
        return code.strip().upper()
    return QCoreApplication.translate("Words", "{code} {description} (per {unit})").format(
        code=info.code, description=word(info.description), unit=word(info.unit.value)
    )


# The details fieldapp.domain.verification writes for an exception (saved in English, read by the office),
# as patterns: the numbers are kept, the words translated.
DETAILS = (
    QT_TRANSLATE_NOOP("Words", "{minutes} min after the start"),
    QT_TRANSLATE_NOOP("Words", "{minutes} min before the start"),
    QT_TRANSLATE_NOOP("Words", "{minutes} min before the end"),
    QT_TRANSLATE_NOOP("Words", "{minutes} min after the end"),
    QT_TRANSLATE_NOOP("Words", "{minutes} min of {scheduled} min"),
    QT_TRANSLATE_NOOP("Words", "check-in {metres} m from home"),
    QT_TRANSLATE_NOOP("Words", "check-out {metres} m from home"),
)


def _pattern(template: str) -> re.Pattern[str]:
    """The template as a pattern: each {name} a number (digits, group and decimal marks)."""
    return re.compile(re.sub(r"\\\{(\w+)\\\}", lambda m: rf"(?P<{m.group(1)}>[\d,.]+)", re.escape(template)))


_PATTERNS = [(_pattern(template), template) for template in DETAILS]
FIXED_DETAILS = (
    QT_TRANSLATE_NOOP("Words", "no GPS position at check-in"),
    QT_TRANSLATE_NOOP("Words", "no GPS position at check-out"),
    QT_TRANSLATE_NOOP("Words", "no GPS position at check-in and check-out"),
    QT_TRANSLATE_NOOP("Words", "check-in entered by hand"),
    QT_TRANSLATE_NOOP("Words", "check-out entered by hand"),
    QT_TRANSLATE_NOOP("Words", "check-in and check-out entered by hand"),
)


def detail(text: str) -> str:
    """An exception's detail in the worker's language ("25 min after the start" / "25 min después del
    inicio"); parts joined with "; " are translated one by one; an unknown one is shown as written."""
    return "; ".join(_detail_part(part) for part in text.split("; ")) if text else text


def _detail_part(part: str) -> str:
    for pattern, template in _PATTERNS:
        found = pattern.fullmatch(part)
        if found:
            return QCoreApplication.translate("Words", template).format(**found.groupdict())
    return word(part)
