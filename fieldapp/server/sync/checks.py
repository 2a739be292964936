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


def watched(request: Request, cursor: str | None) -> bool | None:
    """Whether nothing was committed after ``cursor`` (a final one), by the notifier's feed watch, without a
    query: None when the watch must first be ``confirmed`` from the database (it is trusted for
    ``FeedWatch.FRESH_S`` after that). The pull route asks this on the event loop."""
    since = _final_position(cursor)
    if since is None:
        return False
    return notifier_of(request).watch.up_to_date(since)


def confirmed(request: Request, cursor: str | None) -> bool:
    """Confirm the feed watch from the database (one short read), then answer as ``watched``."""
    since = _final_position(cursor)
    if since is None:
        return False
    watch = notifier_of(request).watch
    with database_of(request).read() as session:
        watch.confirm(feed.newest(session), feed.limits(session).horizon)
    return bool(watch.up_to_date(since))


def _final_position(cursor: str | None) -> int | None:
    """The feed position of a final cursor (not a continuation, not the start), else None."""
    try:
        since, remaining = pull_service.decode(cursor)
    except ValueError:
        return None  # the pull itself answers with the reason
    if remaining is not None or not since:
        return None
    return since


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
