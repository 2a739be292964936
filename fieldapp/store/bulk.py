"""Pulled records this device does not hold yet, written with one prepared INSERT per table (decision 0042).

A first sync inserts the whole caseload. Through SQLAlchemy's Core insert each row is a dict whose every
value passes its column type's bind processor, row by row inside SQLAlchemy; here each table's statement
is built once, each record is read from its wire form straight into the tuple of values SQLite
stores, and the tuples go to the DBAPI's executemany. What is stored does not change: ids, JSON and text
are converted here the way SQLAlchemy would (32 hex digits, the store's JSON serializer, as is), every
other column type by SQLAlchemy's own bind processor (tests/store/test_bulk.py compares the bytes).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import JSON, Date, Uuid
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from fieldapp.sql import json_dumps as _json  # the store engine's JSON serializer
from fieldapp.store.models import SyncedRow, UtcDateTime
from fieldapp.store.wire import check_stamps, converters, read_fields, same

META = ("stamps", "bases", "deleted", "server_seq")
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")

Convert = Callable[[Any], Any]


# One data column: its name, wire value -> stored value (None: stored as sent), and the stored value of a
# field the record lacks.
Column = tuple[str, Convert | None, Any]


@dataclass(frozen=True, slots=True)
class Plan:
    """A table's INSERT with its parameters in order: id, the data columns, then ``META``."""

    sql: str
    columns: tuple[Column, ...]
    names: frozenset[str]


_plans: dict[tuple[type[SyncedRow], type[Dialect]], Plan] = {}


def plan(table: type[SyncedRow], dialect: Dialect, defaults: dict[str, Any]) -> Plan:
    """The INSERT plan of ``table`` (made once per table and dialect); ``defaults`` are the domain's
    values for fields a record may lack."""
    key = (table, type(dialect))
    found = _plans.get(key)
    if found is None:
        found = _plans[key] = _make_plan(table, dialect, defaults)
    return found


def _make_plan(table: type[SyncedRow], dialect: Dialect, defaults: dict[str, Any]) -> Plan:
    schema = table.__table__
    if not isinstance(schema, sa.Table):
        raise TypeError(f"{table.__name__} is not mapped to a table")
    data = [c for c in schema.columns if c.key != "id" and c.key not in META]
    wire = converters(table)
    columns = tuple(
        (c.key, _converter(c, dialect, wire.get(c.key)), _stored_default(c, dialect, defaults)) for c in data
    )
    if dialect.paramstyle != "qmark":
        raise RuntimeError(f"bulk inserts are written for SQLite, not {dialect.name}")
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in ("id", *(c.name for c in data), *META))
    marks = ", ".join("?" * (len(data) + 1 + len(META)))
    sql = f"INSERT INTO {dialect.identifier_preparer.format_table(schema)} ({names}) VALUES ({marks})"
    return Plan(sql, columns, frozenset(c.key for c in data))


@dataclass(slots=True)
class NewRows:
    """The new records of one kind in a page: rows for one executemany, their stamps checked together."""

    plan: Plan
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    _stamps: list[Any] = field(default_factory=list)  # every field's stamp and every tombstone
    _bases: list[Any] = field(default_factory=list)

    def add(self, record_id: uuid.UUID, item: dict[str, Any]) -> dict[str, Any]:
        """Read one wire record into a row; returns its fields (wire form). Raises ValueError for a record
        that is not well formed (its stamps are checked by ``newest``)."""
        fields, stamps, bases = read_fields(item, self.plan.names)
        deleted = item.get("deleted")
        self._stamps += stamps.values()
        self._bases += bases.values()
        if deleted is not None:
            self._stamps.append(deleted)
        row: list[Any] = [record_id.hex]
        for name, convert, default in self.plan.columns:
            change = fields.get(name)
            if change is None:
                row.append(default)
            elif convert is None:
                row.append(change.get("v"))
            else:
                row.append(convert(change.get("v")))
        row += (_json(stamps), _json(bases), deleted, int(item["seq"]))
        self.rows.append(tuple(row))
        return fields

    def newest(self) -> str:
        """The newest stamp of these records ("" for none), once every stamp has been checked."""
        stamps = _distinct(self._stamps)  # a record's fields mostly share one stamp: check each once
        check_stamps([*stamps, *_distinct(self._bases)])
        return max(stamps, default="")

    def write(self, connection: Connection) -> None:
        """Insert the rows (the caller checked the stamps with ``newest``)."""
        if self.rows:
            connection.exec_driver_sql(self.plan.sql, self.rows)


def held(connection: Connection, table: type[SyncedRow], ids: list[uuid.UUID], chunk: int) -> list[uuid.UUID]:
    """Which of ``ids`` the table holds, asked by their stored form (``chunk`` at a time)."""
    name = connection.dialect.identifier_preparer.format_table(table.__table__)
    found: list[uuid.UUID] = []
    for start in range(0, len(ids), chunk):
        part = tuple(record_id.hex for record_id in ids[start : start + chunk])
        sql = f"SELECT id FROM {name} WHERE id IN ({', '.join('?' * len(part))})"
        found += (uuid.UUID(hex=text) for (text,) in connection.exec_driver_sql(sql, part))
    return found


def _distinct(texts: list[Any]) -> list[Any]:
    """Each text once, in order; all of them when one cannot be hashed (``check_stamps`` names it)."""
    try:
        return list(dict.fromkeys(texts))
    except TypeError:
        return texts


def _uuid(value: Any) -> str | None:
    """A wire id as the Uuid column stores it on SQLite: 32 lowercase hex digits."""
    if value is None:
        return None
    if isinstance(value, str) and UUID_TEXT.match(value):
        return value.replace("-", "")
    try:
        return uuid.UUID(value).hex
    except (TypeError, ValueError, AttributeError):
        raise ValueError(f"the server sent a malformed id: {str(value)[:60]!r}") from None


def _converter(column: sa.Column[Any], dialect: Dialect, wire: Convert | None) -> Convert | None:
    """Wire value -> stored value: ``wire`` (wire text -> Python value, as the merge converts it) then the
    column type's bind processor; ids, JSON, and times and dates whose text is the stored text, directly."""
    if isinstance(column.type, JSON):  # None too is stored as JSON null: the type's none_as_null is off
        return _json
    if isinstance(column.type, Uuid):
        return _uuid
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    if wire is None and process is None:
        return None
    slow = _compose(wire or same, process or same)
    fast, probe = _TEXT.get(type(column.type), (None, None))
    if fast is not None and fast(probe) == slow(probe):  # the same text as SQLAlchemy stores (else: its way)
        return _checked(column.key, fast)
    return _checked(column.key, slow)


def _compose(wire: Convert, process: Convert) -> Convert:
    return lambda value: process(wire(value))


def _checked(name: str, convert: Convert) -> Convert:
    def checked(value: Any) -> Any:
        try:
            return convert(value)
        except (TypeError, ValueError, AttributeError, OverflowError):
            raise ValueError(f"the server sent a malformed value of {name!r}: {str(value)[:60]!r}") from None

    return checked


def _datetime_text(value: Any) -> str | None:
    """A wire time as SQLAlchemy's DateTime stores it on SQLite: UTC, "YYYY-MM-DD HH:MM:SS.ffffff"."""
    if value is None:
        return None
    return datetime.fromisoformat(value).astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _date_text(value: Any) -> str | None:
    """A wire date as SQLAlchemy's Date stores it on SQLite: "YYYY-MM-DD"."""
    return None if value is None else date.fromisoformat(value).isoformat()


# Column types converted straight to their stored text, each with a wire value to check that on.
_TEXT: dict[type[Any], tuple[Convert, str]] = {
    UtcDateTime: (_datetime_text, "0999-02-03T04:05:06.007008+01:00"),
    Date: (_date_text, "0999-02-03"),
}


def _stored_default(column: sa.Column[Any], dialect: Dialect, defaults: dict[str, Any]) -> Any:
    """What a field the record lacks stores: the domain's default, else the column's (as SQLAlchemy's
    insert would), else NULL."""
    if column.key in defaults:
        value = defaults[column.key]
    elif isinstance(column.default, ScalarElementColumnDefault):
        value = column.default.arg
    else:
        return None
    if isinstance(column.type, JSON):
        return _json(value)
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return value if process is None else process(value)
