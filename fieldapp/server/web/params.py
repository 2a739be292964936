"""Typed path and query parameters the areas' routes share, and the wire form of a moment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator

DeviceId = Annotated[str, Path(pattern=r"^[0-9a-z]{1,32}$")]
FIRST_MOMENT, LAST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC), datetime(3000, 1, 1, tzinfo=UTC)


def _moment(value: datetime) -> datetime:
    """A time a filter may name: with its zone (a time without one means different moments to different
    readers), in the years 1900-2999 (so converting it to UTC for the database cannot overflow)."""
    if value.tzinfo is None:
        raise ValueError("give the time with its zone, such as 2026-11-26T09:00:00Z")
    if not FIRST_MOMENT <= value < LAST_MOMENT:
        raise ValueError("a time between the years 1900 and 2999")
    return value


Instant = Annotated[datetime, AfterValidator(_moment)]


def ms(moment: datetime) -> int:
    """Milliseconds since the epoch, as the protocol sends times."""
    return int(moment.timestamp() * 1000)
