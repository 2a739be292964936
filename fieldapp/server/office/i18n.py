"""The office pages in the office user's language (decision 0032): English or Spanish.

* The catalogues are gettext ``.po`` files under ``translations/<language>/LC_MESSAGES/messages.po``
  (``make office-translations`` extracts the strings of the templates and the routers with pybabel and
  updates them). They are compiled in memory the first time a language is used, so the installed package
  carries only the ``.po`` files and nothing is built at install or test time; fuzzy entries are left out
  (they fall back to English, and a test refuses them).
* The language of a request: the signed-in user's preference (saved on the user, chosen with the header's
  switcher), else the browser's Accept-Language, else English. It is chosen at the start of every office
  request (``begin``) and refined once the user is known (``prefer``); the routers' messages read it through
  ``gettext`` wherever they run (the dependencies and endpoints run in worker threads with a copy of the
  request's context, which holds the same ``Choice``).
* Python messages use named placeholders: ``gettext("Saved %(name)s.", name=...)``; strings kept in tables
  and translated later are marked with ``N_`` so pybabel finds them.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from fieldapp.domain.language import FIELD_PROBLEM, Day, Phrase

DEFAULT = "en"
# Each language named in itself (the switcher shows them so).
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
_ACCEPTED = re.compile(r"^\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*$")


@dataclass
class Choice:
    """The language of one request (mutable: the user's preference replaces the browser's)."""

    language: str = DEFAULT


_current: ContextVar[Choice | None] = ContextVar("office_language", default=None)


def catalogue_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of a language (English: the messages as written)."""
    if language == DEFAULT or language not in LANGUAGES:
        return NullTranslations()
    with catalogue_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def negotiate(accept_language: str | None) -> str:
    """The language of ours the browser prefers most (Accept-Language, RFC 9110), else English."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "")[:500].split(",")):
        match = _ACCEPTED.match(part)
        if match is None:
            continue
        try:
            weight = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        code = match.group(1).lower()
        if code in LANGUAGES and weight > 0:
            ranked.append((-weight, position, code))
    return min(ranked)[2] if ranked else DEFAULT


def begin(accept_language: str | None) -> None:
    """Start a request in the browser's language (the user's preference may replace it later)."""
    _current.set(Choice(negotiate(accept_language)))


def prefer(language: str) -> None:
    """The signed-in user's own choice, when they made one."""
    choice = _current.get()
    if choice is not None and language in LANGUAGES:
        choice.language = language


def current() -> str:
    """The language of this request (English outside a request)."""
    choice = _current.get()
    return DEFAULT if choice is None else choice.language


def gettext(message: str, **params: object) -> str:
    """A message in the request's language, its ``%(name)s`` placeholders filled in."""
    text = translations(current()).ugettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    """The singular or plural form for ``n`` (available as ``%(num)s``)."""
    text = translations(current()).ungettext(singular, plural, n)
    return text % {"num": n, **params}


def say(text: str) -> str:
    """What a service said, in the request's language (decision 0040): a ``Phrase`` by its template, its
    values said again (phrases, days); any other text as the catalogue has it (English when it has none)."""
    if isinstance(text, Phrase) and text.template == FIELD_PROBLEM and text.params["field"] == "*":
        return say(text.params["why"])  # a problem of the whole record: the page names no field
    if isinstance(text, Phrase):
        values = {name: _value(value) for name, value in text.params.items()}
        return gettext(text.template, **values)
    return gettext(text) if text else text


def said(problems: dict[str, str]) -> dict[str, str]:
    """Each problem of a form as the request's language says it."""
    return {name: say(problem) for name, problem in problems.items()}


def _value(value: object) -> object:
    if isinstance(value, Day) and current() != DEFAULT:
        return format_date(value.day, "EEE d MMM", locale=current())
    return say(value) if isinstance(value, Phrase) else value


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown (``gettext(message)``)."""
    return message
