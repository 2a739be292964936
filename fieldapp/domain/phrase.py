"""Words a service says to people, in English, that a page can say again in its reader's language
(decision 0040).

A ``Phrase`` *is* the English text (a ``str``: the API, the logs and the command line send and print it
unchanged), and it remembers how it was made: a template marked for translators (``phrase("... %(name)s
...", name=...)``: pybabel extracts the calls by that name) and its values. The office pages translate
the template in the request's language and fill it with the values, themselves said again when they are
phrases (a weekday, "this visit"). A ``Day`` value is a date in English words that a page may write in its
own words.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Annotated, Any

from pydantic import WrapValidator


class Phrase(str):
    """English words with the template and values they were made from."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Phrase:
        made = super().__new__(cls, template % params if params else template)
        made.template, made.params = template, params
        return made

    @classmethod
    def told(cls, english: str, template: str, /, **params: Any) -> Phrase:
        """Words someone else wrote (``english``), with a template of ours that says the same."""
        made = super().__new__(cls, english)
        made.template, made.params = template, params
        return made

    def __reduce__(self) -> Any:  # copies and pickles keep the template
        return (_remade, (str(self), self.template, self.params))


def _remade(english: str, template: str, params: dict[str, Any]) -> Phrase:
    return Phrase.told(english, template, **params)


def phrase(template: str, /, **params: Any) -> Phrase:
    """``template`` (marked for the translators) filled with ``params``: the English, remembered."""
    return Phrase(template, **params)


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
