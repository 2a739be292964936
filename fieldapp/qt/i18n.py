"""Languages: the translator of the chosen language, and the locale that writes dates, times and numbers.

Every string a worker reads goes through Qt's translation system (``self.tr`` in a widget class, whose
context is the class name, or ``QCoreApplication.translate("Context", ...)`` elsewhere, with
``QT_TRANSLATE_NOOP`` for tables of words). ``make translations`` extracts them with pyside6-lupdate into
``resources/translations/fieldapp_{es,en}.ts``; pyside6-lrelease compiles the ``.qm`` files at build time
(``make bundle``, ``make test``), and ``install_language`` loads the one of the chosen language at start-up.
English is the source language: with no catalogue the app speaks English. Decision 0029 says why.

The locale of the chosen language (``QLocale.setDefault``) writes numbers ("1,234" / "1.234"), dates and
month names; ``number``, ``day`` and ``time_of_day`` below are what screens call instead of ``f"{n:,}"``
or ``strftime`` (which follow the C library's locale, not the worker's choice).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QLibraryInfo, QLocale, QTime, QTranslator

from fieldapp.config import resources_dir
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.language import Moment, Phrase

log = logging.getLogger(__name__)

CATALOGUE = "fieldapp"
SYSTEM = "system"  # the operating system's language when the app has it, else English
SUPPORTED = ("en", "es")
LANGUAGES = (SYSTEM, *SUPPORTED)
# Each language named in its own words, so a worker finds theirs whatever the screen speaks now.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

_installed: list[QTranslator] = []


def translations_dir() -> Path:
    """Where the compiled catalogues (``fieldapp_es.qm``) are: ``resources/translations``."""
    return resources_dir() / "translations"


def language_code(choice: str, system: QLocale | None = None) -> str:
    """The language the app speaks for a choice (``system``, ``en`` or ``es``)."""
    if choice in SUPPORTED:
        return choice
    spoken = (system or QLocale.system()).name().split("_")[0]
    return spoken if spoken in SUPPORTED else "en"


def locale_for(choice: str, system: QLocale | None = None) -> QLocale:
    """The locale that formats for a choice: the system's own when it speaks that language (es_MX keeps
    Mexico's dates), else the language as written in the United States."""
    system = system or QLocale.system()
    code = language_code(choice, system)
    if system.name().split("_")[0] == code:
        return system
    return QLocale(f"{code}_US")


@dataclass(frozen=True, slots=True)
class Language:
    """What ``install_language`` did: the language spoken, its locale, and whether its catalogue loaded."""

    code: str
    locale: QLocale
    loaded: bool


def install_language(choice: str, folder: Path | None = None) -> Language:
    """Install the translator of ``choice`` (replacing one installed before) and make its locale the
    default. A missing catalogue is logged and the app speaks English: it never stops the app."""
    remove_language()
    locale = locale_for(choice)
    code = language_code(choice)
    QLocale.setDefault(locale)
    loaded = code == "en"
    if code != "en":
        ours = QTranslator()
        loaded = ours.load(f"{CATALOGUE}_{code}", str(folder or translations_dir()))
        if loaded:
            _install(ours)
        else:
            log.warning("no %s catalogue in %s: the app speaks English", code, folder or translations_dir())
    qt_own = QTranslator()  # Qt's own words (a text field's Copy and Paste), when Qt ships them here
    if code != "en" and qt_own.load(
        f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        _install(qt_own)
    return Language(code, locale, loaded)


def _install(translator: QTranslator) -> None:
    QCoreApplication.installTranslator(translator)
    _installed.append(translator)


def remove_language() -> None:
    """Remove the translators ``install_language`` installed (back to English)."""
    while _installed:
        QCoreApplication.removeTranslator(_installed.pop())


def _locale() -> QLocale:
    """The default locale, or US English where the system names none ("C": tests, services)."""
    locale = QLocale()
    if locale.language() in (QLocale.Language.C, QLocale.Language.AnyLanguage):
        return QLocale("en_US")
    return locale


def number(value: int) -> str:
    """A whole number as the chosen language writes it ("1,234" / "1.234")."""
    return _locale().toString(value)


def day(value: date, pattern: str = "dd MMM yyyy") -> str:
    """A date with month and day names in the chosen language (Qt date pattern)."""
    return _locale().toString(QDate(value.year, value.month, value.day), pattern)


def time_of_day(value: datetime) -> str:
    """A time of day on this tablet's clock, 24-hour ("09:30")."""
    local = value.astimezone()
    return _locale().toString(QTime(local.hour, local.minute), "HH:mm")


def day_and_time(value: datetime) -> str:
    """A date and time on this tablet's clock ("05 Mar 14:30" / "05 mar 14:30")."""
    local = value.astimezone()
    return f"{day(local.date(), 'dd MMM')} {time_of_day(local)}"


def moment(value: Moment) -> str:
    """A time in a sentence, as the chosen language writes it, in the zone it carries ("14:00", with its
    day "Fri 04 Dec 14:00" / "vie 04 dic 14:00")."""
    at = value.at
    clock = _locale().toString(QTime(at.hour, at.minute), "HH:mm")
    return f"{day(at.date(), 'ddd dd MMM')} {clock}" if value.with_day else clock


def say(words: Phrase) -> str:
    """What a Qt-free layer says (a ``Phrase``), in the app's language, times by its locale."""
    return words.say(QCoreApplication.translate, moment)


def message(text: str) -> str:
    """A message another layer wrote in English (a settings or sign-in problem), in the app's language
    when the catalogue has it (context ``Messages``), else as it came. A ``Phrase`` is said from its
    template, in its Qt context or, made for none (pydantic's usual words, the services' phrases), in
    ``Messages``, with its values."""
    if isinstance(text, Phrase):
        return text.say(_in_messages, moment)
    return QCoreApplication.translate("Messages", text)


def _in_messages(context: str, text: str) -> str:
    return QCoreApplication.translate(context or "Messages", text)


def refusal(exc: BaseException) -> str:
    """Why another layer refused, in the app's language: what it said (a ``Phrase``, or its message looked
    up in the ``Messages`` context, as written when the catalogue lacks it); a validation error says what
    is wrong with each field."""
    if isinstance(exc, ValidationError) and exc.problems:
        return "; ".join(message(problem) for problem in exc.problems.values())
    said = exc.args[0] if exc.args else None
    return message(said if isinstance(said, Phrase) else str(exc))


def long_day(value: date) -> str:
    """A weekday, day and month ("Friday 4 December" / "viernes 4 de diciembre"): the pattern is
    translated with the words, so each language orders and joins them its own way."""
    return day(value, QCoreApplication.translate("Common", "dddd d MMMM"))


def full_day(value: date) -> str:
    """A day, month and year in words ("4 December 2026" / "4 de diciembre de 2026")."""
    return day(value, QCoreApplication.translate("Common", "d MMMM yyyy"))


def decimal(value: float) -> str:
    """A measurement as the chosen language writes it, without needless zeros ("37.5" / "37,5")."""
    locale = _locale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale.toString(float(value), "g", 6)
