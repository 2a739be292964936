"""How a Qt-free layer writes words in the reader's language without knowing Qt: it is handed a
``Translate`` (context, English source) -> text, and calls it as ``translate("Context", "Words")`` so that
pyside6-lupdate finds the words by the function's name. ``english`` is the default: the source as written.
The tablet hands in ``QCoreApplication.translate``; the office's pages keep English (decision 0030).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

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


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words a Qt-free layer says without knowing the reader's language: a ``template`` marked for the
    translators (``QT_TRANSLATE_NOOP(context, "... {name} ...")``) and the values of its placeholders, each
    text as written, a ``Moment``, another ``Phrase`` or several (joined with "; "). ``say`` writes it
    with the ``Translate`` and moment writer it is handed; ``str`` is the English."""

    context: str
    template: str
    values: Mapping[str, Value] = field(default_factory=dict)

    def say(self, translate: Translate = english, moment: Callable[[Moment], str] = english_moment) -> str:
        """The words, translated by ``translate`` (the template and every phrase inside)."""

        def written(value: Value) -> str:
            if isinstance(value, Phrase):
                return value.say(translate, moment)
            if isinstance(value, Moment):
                return moment(value)
            if isinstance(value, tuple):
                return "; ".join(written(part) for part in value)
            return value

        values = {name: written(value) for name, value in self.values.items()}
        return translate(self.context, self.template).format(**values)

    def __str__(self) -> str:
        return self.say()


Value = str | Moment | Phrase | tuple[Phrase, ...]  # what a placeholder of a phrase is filled with
