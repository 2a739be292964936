"""What the sync routes check before the sync core runs: the Last-Event-ID a stream resumes from, and
whether a pull can be answered without a query."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Header, Request

from fieldapp.server.core import feed
from fieldapp.server.core import pull as pull_service
from fieldapp.server.errors import Invalid
from fieldapp.server.web.deps import database_of, notifier_of

EVENT_ID = re.compile(r"^[0-9]{1,18}\Z")


def up_to_date(request: Request, cursor: str | None) -> bool:
    """Whether nothing was committed after ``cursor`` (a final one), by the notifier's feed watch, which is
    confirmed from the database at most once per ``FeedWatch.FRESH_S``."""
    try:
        since, remaining = pull_service.decode(cursor)
    except ValueError:
        return False  # the pull itself answers with the reason
    if remaining is not None or not since:
        return False
    watch = notifier_of(request).watch
    known = watch.up_to_date(since)
    if known is None:
        with database_of(request).read() as session:
            watch.confirm(feed.newest(session), feed.limits(session).horizon)
        known = watch.up_to_date(since)
    return bool(known)


def last_event_id(last_event_id: Annotated[str | None, Header()] = None) -> int:
    """The change number a reconnecting client last saw; checked before the stream starts, so a bad
    value gets a 422 answer instead of a stream that breaks after its 200 status line."""
    return event_id(last_event_id)


def event_id(value: str | None) -> int:
    if value is None or value == "":
        return 0
    if not EVENT_ID.match(value):  # not str.isdigit(): it admits "²", which int() refuses
        raise Invalid("Last-Event-ID must be a change number this server sent", code="bad_event_id")
    return int(value)
