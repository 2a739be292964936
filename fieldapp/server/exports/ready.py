"""Each completed visit's verification state and EVV export row kept ready (table ``evv_rows``, decision
0036), so the export streams stored lines instead of rebuilding every visit, running the rules and
formatting the row (about 300 us of CPU a visit; a month is 100,000 of them).

A ready row is never trusted blindly: it keeps the inputs it was made from (``inputs``: the change numbers
of the visit, of its patient and of its newest exception, its exceptions' count, the key of the agency's
rules, the worker's name) and until when time could still change it (``settles_at``: a visit checked out
unsigned breaks ``no_signature`` once the grace has passed; nothing else of a checked-out visit depends on
the time). Every write of a record takes a new change number (the change feed depends on it), so an
export reads the current inputs beside each ready row, in the same snapshot, and makes again, in memory,
every row whose inputs differ or that time may have changed: the bytes are those of making every row
afresh, whatever was or was not kept up to date. ``refresh`` stores the rows that are missing or stale
(the server runs it after each missed-visit sweep for the last ``RECENT`` days; the benchmark calls it
too), so an export finds nearly all of them ready.

The rows are stored without the agency's id (a server setting): the export puts it in front of each line
(it is the first CSV column and the first of the sorted JSON keys).
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict, astuple, dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any, BinaryIO

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from fieldapp.domain.evv_feed import (
    CSV_COLUMNS,
    SCHEMA,
    ExportWriter,
    Written,
    counted,
    csv_line,
    csv_row,
    evv_visit,
    json_row,
)
from fieldapp.domain.verification import EvvPolicy, Verification
from fieldapp.server.database import Database
from fieldapp.server.exceptions.queries import usernames
from fieldapp.server.exports.queries import YIELD, Checked, by_day, checked, completed
from fieldapp.server.listing import evv_policy
from fieldapp.server.models import ReadyEvvRow, Record

RECENT = timedelta(days=35)  # how far back the server keeps rows ready after each sweep (visits' days)
VERIFIED = Verification.VERIFIED.value


def rules_key(policy: EvvPolicy) -> str:
    """A short key of the agency's rules: a ready row made under other thresholds is stale."""
    return hashlib.sha256(repr(astuple(policy)).encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Made:
    """One visit's ready row: its state and, when verified, its CSV and JSON without the agency's id."""

    visit_id: uuid.UUID
    state: str
    settles_at: datetime | None
    call_in: str | None
    csv: str | None
    json: str | None


def made(c: Checked, worker_name: str, policy: EvvPolicy, now: datetime) -> Made:
    """The ready row of a checked visit at ``now``."""
    end = c.visit.effective_check_out
    settles = None if c.visit.is_signed or end is None else end + policy.signature_grace
    settles_at = settles if settles is not None and now < settles else None
    if c.state is not Verification.VERIFIED:
        return Made(c.visit.id, c.state.value, settles_at, None, None, None)
    row = evv_visit("", c.visit, c.patient, worker_name, c.records)
    csv = csv_line(csv_row(row)[1:]).decode("utf-8")
    del row["agency_id"]
    json = json_row(row).decode("utf-8")[1:]  # without its "{": the agency's id goes first
    return Made(c.visit.id, c.state.value, settles_at, row["call_in"]["time"], csv, json)


def _current(start: date, end: date, wanted: tuple[Any, ...]) -> sa.Select[Any]:
    """The period's completed visits with what their ready row is made from, and ``wanted`` of it (by day,
    then id). The exceptions are summed up per visit by a subquery on the parent index (a fixed plan: a
    join to a grouped subquery became a nested loop over all of them when the statistics were young)."""
    visit, patient, child = aliased(Record), aliased(Record), aliased(Record)
    top = sa.func.coalesce(sa.func.max(child.seq), 0)
    children = (  # every exception record, deleted ones too (a deletion is a write with its own number)
        sa.select(sa.cast(top, sa.String) + ":" + sa.cast(sa.func.count(), sa.String))
        .where(child.parent_id == visit.id, (child.entity + "") == "visit_exception")
        .scalar_subquery()
    )
    return (
        sa.select(visit.id, visit.day, visit.worker_id, visit.seq, patient.seq.label("patient_seq"))
        .add_columns(children.label("children"), ReadyEvvRow.inputs, ReadyEvvRow.settles_at, *wanted)
        .select_from(visit)
        .outerjoin(patient, sa.and_(patient.id == visit.patient_id, patient.entity == "patient"))
        .outerjoin(ReadyEvvRow, ReadyEvvRow.visit_id == visit.id)
        .where(*completed(visit, start, end))
        .order_by(visit.day, visit.id)
    )


def _inputs(row: Any, rules: str, names: dict[uuid.UUID, str]) -> str:
    worker = names.get(row.worker_id, "")
    return f"{row.seq}|{row.patient_seq}|{row.children}|{rules}|{worker}"


def _fresh(row: Any, rules: str, names: dict[uuid.UUID, str], now: datetime) -> bool:
    settled = row.settles_at is None or now < row.settles_at
    return row.inputs is not None and settled and row.inputs == _inputs(row, rules, names)


FEW = 500  # stale visits of a day read by their ids; more: the whole day read, the others passed over


def _checked_again(
    session: Session, day: date, stale: Collection[uuid.UUID], now: datetime
) -> Iterator[Checked]:
    for c in checked(session, day, day, by_day, now, stale if len(stale) <= FEW else None):
        if c.visit.id in stale:
            yield c


def _made_again(
    session: Session, day: date, stale: Collection[uuid.UUID], names: dict[uuid.UUID, str], now: datetime
) -> Iterator[Made]:
    policy = evv_policy(session)
    for c in _checked_again(session, day, stale, now):
        yield made(c, names.get(c.visit.worker_id, ""), policy, now)


def ready_lines(session: Session, start: date, end: date, form: str, now: datetime) -> Iterator[str]:
    """The verified visits' stored lines (``form``: csv or json) from ``start`` to ``end``, day by day, in
    order of their actual start, then id; stale or missing ones made again (in this snapshot)."""
    names, rules = usernames(session), rules_key(evv_policy(session))
    column = ReadyEvvRow.csv if form == "csv" else ReadyEvvRow.json
    query = _current(start, end, (ReadyEvvRow.state, ReadyEvvRow.call_in, column.label("line")))
    for day, rows in groupby(session.execute(query.execution_options(yield_per=YIELD)), key=lambda r: r.day):
        lines: list[tuple[str, str, str]] = []
        stale = set()
        for row in rows:
            if not _fresh(row, rules, names, now):
                stale.add(row.id)
            elif row.state == VERIFIED:
                lines.append((row.call_in, str(row.id), row.line))
        for m in _made_again(session, day, stale, names, now) if stale else ():
            if m.state == VERIFIED:
                lines.append((m.call_in or "", str(m.visit_id), (m.csv if form == "csv" else m.json) or ""))
        lines.sort()
        yield from (line for _, _, line in lines)


def stale_rows(session: Session, day: date, now: datetime) -> list[dict[str, Any]]:
    """The ready rows of the day's completed visits that are missing or stale, made afresh with the inputs
    they are made from (read before the visits: a row never claims newer inputs than its content)."""
    names, policy = usernames(session), evv_policy(session)
    rules = rules_key(policy)
    inputs = {
        row.id: _inputs(row, rules, names)
        for row in session.execute(_current(day, day, ()))
        if not _fresh(row, rules, names, now)
    }
    if not inputs:
        return []
    return [
        {**asdict(made(c, names.get(c.visit.worker_id, ""), policy, now)), "inputs": inputs[c.visit.id]}
        for c in _checked_again(session, day, inputs, now)
    ]


def refresh(database: Database, start: date, end: date, now: datetime) -> int:
    """Store the missing or stale ready rows from ``start`` to ``end``, a day at a time: made in a read
    transaction, stored in a short write one (a row stored over a newer one holds older inputs, so it is
    found stale again); returns how many were stored."""
    stored, day = 0, start
    while day <= end:
        with database.read() as session:
            rows = stale_rows(session, day, now)
        if rows:
            with database.write() as session:
                _upsert(session, rows)
            stored += len(rows)
        day += timedelta(days=1)
    return stored


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(ReadyEvvRow)
    replaced = {name: statement.excluded[name] for name in rows[0] if name != "visit_id"}
    session.execute(statement.on_conflict_do_update(index_elements=["visit_id"], set_=replaced), rows)


def refresh_recent(database: Database, now: datetime) -> int:
    """``refresh`` for the last ``RECENT`` days (the server's upkeep after each sweep)."""
    today = now.date()
    return refresh(database, today - RECENT, today + timedelta(days=1), now)


# -- writing ---------------------------------------------------------------------------------------------

BATCH_LINES = 1_000  # JSON lines written at once


def write_ready_csv(lines: Iterable[str], out: BinaryIO, agency_id: str) -> Written:
    """The EVV CSV from ready lines: the same bytes as ``evv_feed.write_csv`` of the same rows."""
    writer = ExportWriter(out)
    cell = csv_line([agency_id, ""]).decode("utf-8")[:-2]  # the agency's cell and its comma
    buffer = io.StringIO(csv_line(list(CSV_COLUMNS)).decode("utf-8"))
    buffer.seek(0, io.SEEK_END)
    for line in counted(writer, buffer, lines):
        buffer.write(cell)
        buffer.write(line)
    return writer.done()


def write_ready_json(
    lines: Iterable[str], out: BinaryIO, *, period: tuple[str, str], agency_id: str
) -> Written:
    """The EVV JSON from ready lines: the same bytes as ``evv_feed.write_json`` of the same rows."""
    writer = ExportWriter(out)
    head = {"schema": SCHEMA, "agency_id": agency_id, "from": period[0], "to": period[1]}
    writer.write(orjson.dumps(head)[:-1] + b',"visits":[')
    start = b'{"agency_id":' + orjson.dumps(agency_id) + b","
    chunk: list[bytes] = []
    for line in lines:
        chunk.append((b",\n" if writer.rows else b"\n") + start + line.encode("utf-8"))
        writer.rows += 1
        if len(chunk) == BATCH_LINES:
            writer.write(b"".join(chunk))
            chunk.clear()
    writer.write(b"".join(chunk) + b'\n],"row_count":' + str(writer.rows).encode() + b"}\n")
    return writer.done()
