"""New pulled records go in through one prepared INSERT per table (decision 0042): the same bytes in every
column as SQLAlchemy's Core insert stored them before, on an encrypted store on disk."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, Integer, Uuid

from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Entity, Patient, Visit
from fieldapp.domain.values import CheckEvent, Location, LocationKind
from fieldapp.store import replica, repo, wire
from fieldapp.store.local import LocalStore
from fieldapp.store.models import ROW_TYPES, UtcDateTime
from tests import factories as f

OFFICE = HybridClock("office1")


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[LocalStore, LocalStore]]:
    """Two encrypted stores: one applied the new way, one the way replica inserted before."""
    new = LocalStore.open(tmp_path / "new.db", key=secrets.token_bytes(32))
    old = LocalStore.open(tmp_path / "old.db", key=secrets.token_bytes(32))
    yield new, old
    new.close()
    old.close()


def _wire(record: Entity, seq: int, **extra: Any) -> dict[str, Any]:
    """A record as the server's feed sends it, each field with its stamp (and, every other one, a base)."""
    values = record.model_dump(mode="json")
    return _change(record.entity_name, values.pop("id"), values, seq, **extra)


def _change(entity: str, record_id: str, values: dict[str, Any], seq: int, **extra: Any) -> dict[str, Any]:
    base = OFFICE.now().encode()
    stamp = OFFICE.now().encode()
    fields = {
        name: {"v": value, "s": stamp, "b": base if n % 2 else None}
        for n, (name, value) in enumerate(values.items())
    }
    return {"entity": entity, "record_id": record_id, "fields": fields, "deleted": None, "seq": seq, **extra}


def _every_column(entity: str, n: int) -> dict[str, Any]:
    """A value of the wire form for every column of an entity's table, by column type."""
    moment = datetime(2026, 11, 26, 9, 30, 5, 123456 if n % 2 else 0, tzinfo=UTC) + timedelta(days=n)
    values: dict[str, Any] = {}
    for column in ROW_TYPES[entity].__table__.columns:
        if column.key in {"id", "stamps", "bases", "deleted", "server_seq"}:
            continue
        kind = column.type
        if isinstance(kind, JSON):
            value: Any = [{"n": n, "text": "Ñúñez ✓", "none": None, "x": 1.5}] if n % 3 else None
        elif isinstance(kind, Uuid):
            value = str(uuid.uuid4()).upper() if n % 4 == 1 else str(uuid.uuid4())
        elif isinstance(kind, UtcDateTime):
            value = moment.isoformat() if n % 2 else moment.isoformat().replace("+00:00", "Z")
        elif isinstance(kind, Date):
            value = (moment.date() - timedelta(days=365 * 80)).isoformat()
        elif isinstance(kind, Boolean):
            value = bool(n % 2)
        elif isinstance(kind, Float):
            value = 72 if n % 2 else 36.6
        elif isinstance(kind, (Integer, BigInteger)):
            value = 1_000_000 + n
        else:
            value = f"text {n} Zoë"
        values[column.key] = value
    return values


def _check_in(accuracy_m: float) -> CheckEvent:
    place = Location(kind=LocationKind.GPS, latitude=41.7, longitude=-73.9, accuracy_m=accuracy_m)
    return CheckEvent(device_time=f.NINE, server_time=f.NINE + timedelta(seconds=2), location=place)


def _page() -> list[dict[str, Any]]:
    p = f.patient()
    bare = f.patient(phone=None, address=None, emergency_contact=None, allergies=[], diagnoses=[])
    v = f.visit(
        p.id,
        check_in=_check_in(12.5),
        signature_id=uuid.uuid4(),
        series_id=uuid.uuid4(),
        worker_notes="Ring twice.",
    )
    older = _wire(f.visit(bare.id), 5)
    for name in ("cancel_reason", "worker_notes", "external_id", "series_id"):  # written before these fields
        del older["fields"][name]
    records: list[Entity] = [
        p,
        bare,
        v,
        f.note(v),
        f.observation(v),
        f.observation(v, value=36.6),
        f.care_task(p.id),
        f.medication(p.id),
    ]
    page = [_wire(record, seq) for seq, record in enumerate(records, 1)]
    page += [older, _wire(f.patient(), 10, deleted=OFFICE.now().encode())]
    seq = 100
    for entity in ROW_TYPES:
        for n in range(4):
            seq += 1
            page.append(_change(entity, str(uuid.uuid4()), _every_column(entity, n), seq))
    return page


def _insert_as_before(store: LocalStore, page: list[dict[str, Any]]) -> None:
    """New records inserted the way ``replica`` did before decision 0042: converted to Python values, then
    SQLAlchemy's Core insert with its bind processors."""
    with store.unit_of_work() as session:
        for item in page:
            table = ROW_TYPES[item["entity"]]
            convert = wire.converters(table)
            fields = item["fields"]
            row = {
                "id": uuid.UUID(item["record_id"]),
                **replica._DEFAULTS[item["entity"]],
                **{name: convert.get(name, wire.same)(c.get("v")) for name, c in fields.items()},
                "stamps": {name: c["s"] for name, c in fields.items()},
                "bases": {name: c["b"] for name, c in fields.items() if c.get("b") is not None},
                "deleted": item.get("deleted"),
                "server_seq": int(item["seq"]),
            }
            session.connection().execute(sa.insert(table), [row])


def _stored(store: LocalStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every replicated table, each value as SQLite quotes it (its type and its bytes)."""
    found = {}
    with store.read() as session:
        for table in ROW_TYPES.values():
            names = [c.name for c in table.__table__.columns]
            quoted = ", ".join(f'quote("{name}")' for name in names)
            rows = session.execute(sa.text(f'SELECT {quoted} FROM "{table.__tablename__}" ORDER BY id'))
            found[table.__tablename__] = [tuple(row) for row in rows]
    return found


def test_a_page_stores_the_same_bytes_as_the_core_insert_did(stores: tuple[LocalStore, LocalStore]) -> None:
    new, old = stores
    page = _page()
    with new.unit_of_work() as session:
        applied = replica.apply_wire(session, new.clock, page)
    _insert_as_before(old, page)
    assert len(applied.changes) == len(page)
    stored, expected = _stored(new), _stored(old)
    assert sum(map(len, stored.values())) == len(page)
    for table, rows in expected.items():
        assert stored[table] == rows, table


def test_records_inserted_in_bulk_read_back_as_sent(stores: tuple[LocalStore, LocalStore]) -> None:
    store, _ = stores
    p = f.patient()
    v = f.visit(p.id, check_in=_check_in(5))
    with store.unit_of_work() as session:
        replica.apply_wire(session, store.clock, [_wire(v, 2), _wire(p, 1)])
    with store.read() as session:
        assert repo.get(session, Patient, p.id) == p
        assert repo.get(session, Visit, v.id) == v


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("patient_id", "not-an-id", "malformed id: 'not-an-id'"),
        ("patient_id", 17, "malformed id: '17'"),
        ("scheduled_start", "yesterday", "malformed value of 'scheduled_start': 'yesterday'"),
        ("scheduled_end", 5, "malformed value of 'scheduled_end': '5'"),
    ],
)
def test_a_malformed_value_of_a_new_record_is_refused_with_its_reason(
    stores: tuple[LocalStore, LocalStore], field: str, value: object, reason: str
) -> None:
    store, _ = stores
    change = _wire(f.visit(uuid.uuid4()), 1)
    change["fields"][field]["v"] = value
    with pytest.raises(ValueError, match=reason), store.unit_of_work() as session:
        replica.apply_wire(session, store.clock, [change])
    assert _stored(store)["visits"] == [], "nothing was stored"
