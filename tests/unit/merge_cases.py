"""Hypothesis strategies and identity helpers shared by the merge tests.

``writes`` draws the writes ever made to a record as they should be: one stamp is one write.
``shared_stamp_writes`` draws what should not happen but must still merge deterministically: several
writes under one stamp (a client bug, a restored backup issuing stamps again), with values that Python
counts as equal but JSON does not, and tombstones under the stamps of field writes.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import RULES, DeleteRule, Loser, MergeResult, RecordState, Versioned, canonical

ENTITIES = sorted(RULES)
FORBIDDEN = sorted(name for name, rules in RULES.items() if rules.delete is DeleteRule.FORBIDDEN)
TOMBSTONE_WINS = sorted(name for name, rules in RULES.items() if rules.delete is DeleteRule.TOMBSTONE_WINS)

# Few nodes and tiny wall times, so equal walls, equal counters and node tie-breaks are common.
stamps = st.builds(
    Stamp, wall_ms=st.integers(0, 4), counter=st.integers(0, 1), node=st.sampled_from(["a", "b", "c"])
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.text("ab", max_size=2),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from("xy"), inner, max_size=2),
    max_leaves=4,
)


def look_alike(value: Any) -> Any:
    """A value equal to ``value`` in Python but with different JSON where there is one (1 == 1.0 == True)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        return bool(value) if value in (0, 1) else int(value)
    if isinstance(value, list):
        return [look_alike(item) for item in value]
    if isinstance(value, dict):
        return {name: look_alike(item) for name, item in value.items()}
    return value


def field_names(entity: str) -> list[str]:
    """Two ordinary field names plus every field the entity's rules single out."""
    return ["a", "b", *sorted(RULES[entity].fields)]


@st.composite
def writes(draw: st.DrawFn, entity: str) -> dict[str, list[Versioned]]:
    """The writes ever made to each field of one record: one stamp is one write, so within a field no
    stamp carries two different values or bases (a state holding a stamp holds that write, delivered
    once or several times)."""
    pool = {}
    for name in field_names(entity):
        versions = draw(
            st.lists(
                st.builds(Versioned, value=json_values, stamp=stamps, base=st.none() | stamps),
                unique_by=lambda v: v.stamp,
                max_size=4,
            )
        )
        pool[name] = versions
    return pool


@st.composite
def shared_stamp_writes(draw: st.DrawFn, entity: str) -> tuple[dict[str, list[Versioned]], list[Stamp]]:
    """Writes to each field of one record under one or two stamps; returns them with the shared stamps.

    Many are twins of an earlier write: its stamp with another value, a look-alike value, another base,
    or nothing changed (the same write twice).
    """
    shared = draw(st.lists(stamps, min_size=1, max_size=2))
    bases = st.none() | st.sampled_from(shared) | stamps
    # Numbers and booleans often, so that look-alikes (1, 1.0, True) are common.
    values = st.integers(0, 1) | st.booleans() | json_values
    pool = {}
    for name in field_names(entity):
        versions: list[Versioned] = []
        for _ in range(draw(st.integers(0, 4))):
            if not versions or draw(st.integers(0, 2)) == 0:
                versions.append(Versioned(draw(values), draw(st.sampled_from(shared)), draw(bases)))
                continue
            twin = draw(st.sampled_from(versions))
            change = draw(st.sampled_from(["value", "look-alike", "base", "nothing"]))
            if change == "value":
                twin = Versioned(draw(values), twin.stamp, twin.base)
            elif change == "look-alike":
                twin = Versioned(look_alike(twin.value), twin.stamp, twin.base)
            elif change == "base":
                twin = Versioned(twin.value, twin.stamp, draw(bases))
            versions.append(twin)
        pool[name] = versions
    return pool, shared


@st.composite
def record_states(
    draw: st.DrawFn,
    entity: str,
    pool: dict[str, list[Versioned]],
    tombstones: bool = True,
    tombstone_stamps: st.SearchStrategy[Stamp] = stamps,
) -> RecordState:
    """One replica's state: per field at most one of the writes, optionally a tombstone."""
    fields = {}
    for name, versions in pool.items():
        if versions and draw(st.booleans()):
            fields[name] = draw(st.sampled_from(versions))
    deleted = draw(st.none() | tombstone_stamps) if tombstones else None
    return RecordState(fields, deleted)


def well_formed(entity: str) -> bool:
    """Whether a state of this entity may carry a tombstone at all (FORBIDDEN ones never keep one)."""
    return RULES[entity].delete is not DeleteRule.FORBIDDEN


@st.composite
def entity_with_states(draw: st.DrawFn, count: int, tombstones: bool = True) -> tuple[Any, ...]:
    """An entity and ``count`` replicas' states of one of its records, from one history of writes."""
    entity = draw(st.sampled_from(ENTITIES))
    pool = draw(writes(entity))
    states = [draw(record_states(entity, pool, tombstones)) for _ in range(count)]
    return (entity, *states)


@st.composite
def entity_with_shared_stamp_states(draw: st.DrawFn, count: int) -> tuple[Any, ...]:
    """Like ``entity_with_states``, from writes that share stamps; tombstones share them too."""
    entity = draw(st.sampled_from(ENTITIES))
    pool, shared = draw(shared_stamp_writes(entity))
    tombs = st.sampled_from(shared) | stamps
    states = [draw(record_states(entity, pool, tombstone_stamps=tombs)) for _ in range(count)]
    return (entity, *states)


def key(v: Versioned) -> tuple[bytes, Stamp, Stamp | None]:
    """Exact identity of a write: canonical value bytes (so 1, 1.0 and True differ), stamp and base."""
    return (canonical(v.value), v.stamp, v.base)


def state_key(state: RecordState) -> tuple[Any, ...]:
    """Exact identity of a state (see ``key``)."""
    return (tuple(sorted((name, key(v)) for name, v in state.fields.items())), state.deleted)


def loser_key(loser: Loser) -> tuple[Any, ...]:
    """Exact identity of a loser (see ``key``)."""
    winner = None if loser.winner is None else key(loser.winner)
    return (loser.field, key(loser.lost), winner, loser.reason)


def lost_in(result: MergeResult, name: str, v: Versioned) -> bool:
    """Whether ``v`` of field ``name`` is among the result's losers."""
    return any(loser.field == name and key(loser.lost) == key(v) for loser in result.losers)
