"""Words a Qt-free layer says without knowing the reader's language (decision 0041): the tablet translates
them with Qt's catalogue, the office pages with gettext, and everything else reads the English.

* ``Translate`` is (context, English source) -> text; ``english`` is the default: the source as written. A
  layer handed one calls it as ``translate("Context", "Words")`` so that pyside6-lupdate finds the words by
  the function's name; ``QT_TRANSLATE_NOOP`` marks words for the tablet's translators and returns them.
* A ``Phrase`` *is* the English (a ``str``: the API, the logs, the command line and the stores send and
  print it unchanged) and remembers how it was made: a template with ``%(name)s`` placeholders, the values
  of its placeholders (text, a ``Moment``, a ``Day``, another phrase or a tuple of phrases) and, for the
  tablet, the context of its template in the Qt catalogue. Made where it is said, it is marked for the
  translators of the side that shows it: ``phrase("... %(name)s ...", name=...)`` for the office (pybabel
  extracts the calls by that name, babel.cfg) or ``Phrase.marked(context, QT_TRANSLATE_NOOP(context,
  "... %(name)s ..."), name=...)`` for the tablet (pyside6-lupdate extracts the marker).
* ``Phrase.say(translate, moment)`` writes it in the reader's language (the tablet hands in
  ``QCoreApplication.translate`` and its locale's times); the office's ``i18n.say`` translates its template
  with gettext and writes a ``Day`` with Babel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import WrapValidator

Translate = Callable[[str, str], str]


def english(context: str, text: str) -> str:
    """No translation: the English source text."""
    return text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name pyside6-lupdate looks for
    """Marks ``text`` for the translators under ``context`` and returns it unchanged (tables of words)."""
    return text


@dataclass(frozen=True, slots=True)
class Moment:
    """A time in a sentence, written by the reader's side: with its day (``with_day``) or the time alone."""

    at: datetime
    with_day: bool = False


def english_moment(moment: Moment) -> str:
    """A moment as the source text writes it ("14:00", "Fri 04 Dec 14:00")."""
    return f"{moment.at:%a %d %b %H:%M}" if moment.with_day else f"{moment.at:%H:%M}"


class Day(str):
    """A day as English writes it in a message (``"Fri 04 Dec"``), with the date for other languages."""

    day: date
    pattern: str

    def __new__(cls, day: date, pattern: str = "%a %d %b") -> Day:
        made = super().__new__(cls, day.strftime(pattern))
        made.day, made.pattern = day, pattern
        return made

    def __reduce__(self) -> Any:
        return (Day, (self.day, self.pattern))


class Phrase(str):
    """English words with the template and values they were made from, and the Qt context of the template
    (empty for words the tablet does not translate)."""

    template: str
    params: dict[str, Any]
    context: str

    def __new__(cls, template: str, /, **params: Any) -> Phrase:
        return cls._made("", template, params)

    @classmethod
    def marked(cls, context: str, template: str, /, **params: Any) -> Phrase:
        """Words the tablet says again in its language: ``template`` is marked
        ``QT_TRANSLATE_NOOP(context, ...)`` where it is written."""
        return cls._made(context, template, params)

    @classmethod
    def told(cls, english: str, template: str, /, **params: Any) -> Phrase:
        """Words someone else wrote (``english``), with a template of ours that says the same."""
        return cls._remade(english, template, params, "")

    @classmethod
    def _made(cls, context: str, template: str, params: dict[str, Any]) -> Phrase:
        filled = _filled(template, params, english, english_moment)
        return cls._remade(filled, template, params, context)

    @classmethod
    def _remade(cls, english: str, template: str, params: dict[str, Any], context: str) -> Phrase:
        made = super().__new__(cls, english)
        made.template, made.params, made.context = template, params, context
        return made

    def say(self, translate: Translate = english, moment: Callable[[Moment], str] = english_moment) -> str:
        """The words, translated by ``translate`` (the template and every phrase inside), times written by
        ``moment``; with neither, the English."""
        if translate is english and moment is english_moment:
            return str(self)
        return _filled(translate(self.context, self.template), self.params, translate, moment)

    def __reduce__(self) -> Any:  # copies and pickles keep the template
        return (_remade, (str(self), self.template, self.params, self.context))


Value = str | Moment | Phrase | tuple[Phrase, ...]  # what a placeholder of a phrase is filled with


def _filled(text: str, params: dict[str, Any], translate: Translate, moment: Callable[[Moment], str]) -> str:
    """``text`` with its placeholders filled by ``params``, each written in the same language."""

    def written(value: Any) -> Any:
        if isinstance(value, Phrase):
            return value.say(translate, moment)
        if isinstance(value, Moment):
            return moment(value)
        if isinstance(value, tuple):
            return "; ".join(written(part) for part in value)
        return value

    return text % {name: written(value) for name, value in params.items()} if params else text


def _remade(english: str, template: str, params: dict[str, Any], context: str = "") -> Phrase:
    return Phrase._remade(english, template, params, context)


def phrase(template: str, /, **params: Any) -> Phrase:
    """``template`` (marked for the office's translators) filled with ``params``: the English, remembered."""
    return Phrase(template, **params)


def _kept(value: Any, handler: Any) -> Any:
    return value if isinstance(value, Phrase) else handler(value)


# A ``str`` field of a model that keeps a phrase as it is (pydantic would make a plain ``str`` of it).
Said = Annotated[str, WrapValidator(_kept)]


def joined(parts: Iterable[str], separator: str = "; ") -> Phrase:
    """Phrases (or plain words) one after the other: each is said again in the page's language."""
    values = {f"part{number}": part for number, part in enumerate(parts)}
    return Phrase(separator.join(f"%({name})s" for name in values), **values)


FIELD_PROBLEM = "%(field)s: %(why)s"


def named(field: str, why: str) -> Phrase:
    """``"field: why"``, as a problem of one field is told (``"*"``: of the whole record)."""
    return Phrase(FIELD_PROBLEM, field=field, why=why)
