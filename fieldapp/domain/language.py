"""How a Qt-free layer writes words in the reader's language without knowing Qt: it is handed a
``Translate`` (context, English source) -> text, and calls it as ``translate("Context", "Words")`` so that
pyside6-lupdate finds the words by the function's name. ``english`` is the default: the source as written.
The tablet hands in ``QCoreApplication.translate``; the office's pages keep English (decision 0030).
"""

from __future__ import annotations

from collections.abc import Callable

Translate = Callable[[str, str], str]


def english(context: str, text: str) -> str:
    """No translation: the English source text."""
    return text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name pyside6-lupdate looks for
    """Marks ``text`` for the translators under ``context`` and returns it unchanged (tables of words)."""
    return text
