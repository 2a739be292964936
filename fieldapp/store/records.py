"""Converting between domain entities, table rows and replicated record states."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import JSON

from fieldapp.domain.clock import Stamp
from fieldapp.domain.entities import Entity, data_fields, entity_type, parse
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.store.models import ROW_TYPES, SyncedRow

E = TypeVar("E", bound=Entity)

_JSON_COLUMNS: dict[str, frozenset[str]] = {
    name: frozenset(c.key for c in row.__table__.columns if isinstance(c.type, JSON))
    for name, row in ROW_TYPES.items()
}


def row_type(entity: str) -> type[SyncedRow]:
    """The table class holding one entity; KeyError for an unknown entity."""
    try:
        return ROW_TYPES[entity]
    except KeyError:
        raise KeyError(f"no table for entity {entity!r}") from None


def column_values(record: Entity) -> dict[str, Any]:
    """The column values of a record: structured fields as JSON, the rest as Python values."""
    json_columns = _JSON_COLUMNS[record.entity_name]
    wire = record.model_dump(mode="json", include=set(json_columns))
    return {
        name: wire[name] if name in json_columns else getattr(record, name)
        for name in ("id", *data_fields(type(record)))
    }


def to_entity(row: SyncedRow, cls: type[E]) -> E:
    """The domain record a row holds (validated, so a corrupted row fails loudly)."""
    values = {name: getattr(row, name) for name in ("id", *data_fields(cls))}
    return parse(cls, values)


def record_state(row: SyncedRow) -> RecordState:
    """The replicated state of a row: wire values with their stamps and bases, and its tombstone."""
    cls = entity_type(row.entity_name)
    wire = to_entity(row, cls).model_dump(mode="json")
    fields = {
        name: Versioned(wire[name], Stamp.decode(stamp), _stamp_or_none(row.bases.get(name)))
        for name, stamp in row.stamps.items()
    }
    return RecordState(fields, _stamp_or_none(row.deleted))


def _stamp_or_none(text: str | None) -> Stamp | None:
    return None if text is None else Stamp.decode(text)
