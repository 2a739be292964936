"""The agency's time zone: the one on its card, or the server's setting until the agency chose one
(decision 0035).

Everything that reads the agency's wall clock asks here: the visits board and its late flags, the week
view, the scheduling forms, the API and the import, the exports, the demo, and the push, which files each
visit under its day (the ``day`` column the board and the exports select by). Changing the zone files the
stored visits again (``redate_visits``) in the same transaction.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.database import Database
from fieldapp.server.models import Agency, Record
from fieldapp.server.settings import Settings


def zone_name(session: Session, settings: Settings) -> str:
    """The IANA name of the agency's time zone."""
    chosen = session.scalar(sa.select(Agency.time_zone).where(Agency.id == 1))
    return chosen or settings.agency_timezone


def agency_zone(session: Session, settings: Settings) -> ZoneInfo:
    """The agency's time zone."""
    return ZoneInfo(zone_name(session, settings))


def agency_zone_of(database: Database, settings: Settings) -> ZoneInfo:
    """The agency's time zone, read in a transaction of its own (for commands and downloads)."""
    with database.read() as session:
        return agency_zone(session, settings)


def redate_visits(session: Session, zone: ZoneInfo) -> int:
    """File every visit under the day its scheduled start falls on in ``zone``; how many moved."""
    start = Record.fields["scheduled_start"].as_string()
    query = sa.select(Record.id, start, Record.day).where(Record.entity == "visit")
    moved: list[dict[str, object]] = []
    for record_id, text, day in session.execute(query.execution_options(yield_per=2_000)):
        local: date = datetime.fromisoformat(text).astimezone(zone).date()
        if local != day:
            moved.append({"record_id": record_id, "local_day": local})
    # Executed on the connection (not the ORM session): one executemany per thousand rows.
    update = sa.update(Record).where(Record.id == sa.bindparam("record_id"))
    update = update.values(day=sa.bindparam("local_day"))
    for first in range(0, len(moved), 1_000):
        session.connection().execute(update, moved[first : first + 1_000])
    return len(moved)
