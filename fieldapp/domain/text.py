"""Text as people search it, the same on the tablet and on the office's pages."""

from __future__ import annotations

import unicodedata

# Typographic apostrophes search like the one on a keyboard ("O’Connor" is found by "o'connor").
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'"})


def fold(text: str) -> str:
    """Text as search compares it: compatibility-normalised, without accents and other combining marks
    (a worker typing "nunez" on a tablet keyboard finds "Núñez"; a decomposed "é" equals the composed one),
    and case-folded for every script (SQLite's LIKE folds ASCII only)."""
    if text.isascii():
        return text.casefold()  # most names: no normalising to do
    decomposed = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFKC", bare).casefold()


def patient_search_text(values: dict[str, object]) -> str:
    """What a patient is found by (family name, given name, record number), folded, one line."""
    parts = (values.get("family_name"), values.get("given_name"), values.get("mrn"))
    return " ".join(fold(str(part)) for part in parts if isinstance(part, str) and part)
