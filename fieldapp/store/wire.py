"""Reading a pulled record's wire form (``RecordChange`` dicts): its fields, stamps and bases, checked.

A malformed record is refused with the reason (ValueError), never stored: both ways of applying a page
(``replica`` merging, ``bulk`` inserting) read records through here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Uuid

from fieldapp.store.models import SyncedRow, UtcDateTime

STAMP_TEXT = re.compile(r"[0-9a-f]{16}[0-9a-z]{1,32}\Z")
STAMP_TEXTS = re.compile(r"(?:[0-9a-f]{16}[0-9a-z]{1,32}\n)*\Z")  # stamps, each followed by a newline


def read_fields(
    item: dict[str, Any], columns: frozenset[str]
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    """A wire record's fields (``{name: {"v", "s", "b"}}``), stamps and bases (stamps not yet checked)."""
    fields = item.get("fields")
    if not isinstance(fields, dict):
        raise ValueError("the server sent a record without fields")
    if not fields.keys() <= columns:  # no temporary set
        raise ValueError(f"the server sent an unknown field {min(set(fields) - columns)!r}")
    try:
        stamps: dict[str, str] = {name: change["s"] for name, change in fields.items()}
        bases: dict[str, str] = {name: c["b"] for name, c in fields.items() if c.get("b") is not None}
    except (KeyError, TypeError, AttributeError):
        raise ValueError("the server sent a field without its value and stamp") from None
    return fields, stamps, bases


def check_stamps(texts: list[Any]) -> None:
    """Every stamp well formed: one match over all of them, each followed by a newline (a first sync
    checks hundreds of thousands), and the one at fault named when they are not."""
    if not texts:
        return
    try:
        joined = "\n".join(texts) + "\n"
    except TypeError:
        joined = ""  # a stamp that is not text: named below
    # As many newlines as stamps: none of them holds one, so each line the pattern matched is one stamp.
    if joined.count("\n") != len(texts) or not STAMP_TEXTS.match(joined):
        for text in texts:
            stamp_text(text)
        raise ValueError("the server sent a malformed clock stamp")


def stamp_text(value: Any) -> str:
    """``value`` if it is a clock stamp in its text form; ValueError naming it otherwise."""
    if not isinstance(value, str) or not STAMP_TEXT.match(value):
        raise ValueError(f"the server sent a malformed clock stamp: {str(value)[:60]!r}")
    return value


def converters(table: type[SyncedRow]) -> dict[str, Callable[[Any], Any]]:
    """Wire value -> column value, per column type (JSON columns take the wire value as it is)."""
    found: dict[str, Callable[[Any], Any]] = {}
    for column in table.__table__.columns:
        if isinstance(column.type, JSON):
            continue
        if isinstance(column.type, Uuid):
            found[column.key] = _uuid
        elif isinstance(column.type, UtcDateTime):
            found[column.key] = _datetime
        elif isinstance(column.type, Date):
            found[column.key] = _date
    return found


def same(value: Any) -> Any:
    """The wire value as it is."""
    return value


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(value)


def _datetime(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).astimezone(UTC)


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(value)
