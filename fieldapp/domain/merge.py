"""Merge rules: how two versions of one record become one, and what lost.

A record's replicated state is, per field, the value with the clock stamp of the write that set it (and
the stamp that write was based on), plus an optional tombstone. Merging two states is a join: it is
commutative, associative and idempotent, so replicas that have seen the same writes hold the same
state whatever order the writes arrived in. Nothing is dropped silently: every merge also returns each
value that did not win, with the reason, for the conflict logs on the tablet and on the server.

The rules per entity are data (``RULES``): which fields are last-writer-wins, which are fixed by their
first write, and whether a delete is allowed. See docs/decisions/0002-merge-rules.md.

Some last-writer-wins fields have an owner (decision 0021): the office owns a visit's schedule, the field
owns what happened. Between the owner's write and the other side's, the owner's wins whatever the stamps
say; among one side's writes the later wins as before. The order stays total, so the merge stays a join.
Who wrote a value is told by its stamp's node id (``writer``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import orjson

from fieldapp.domain.clock import Stamp

JSONValue = Any
"""A JSON-compatible value (the wire form of a field)."""

DELETED = "_deleted"
"""Pseudo-field name under which a losing tombstone is reported."""


class FieldRule(StrEnum):
    """How concurrent writes to one field resolve."""

    LAST_WRITER_WINS = "lww"  # highest stamp wins
    FIRST_WRITER_WINS = "first"  # lowest stamp wins: the field is fixed once written
    SET_ONCE = "set_once"  # starts empty; the first non-null value wins and is fixed from then on


class Side(StrEnum):
    """Who wrote a value: the office (its web pages, its API, the server's own clock) or a device."""

    OFFICE = "office"
    FIELD = "field"


# Node ids of the office's clocks: "server0" (the server itself: admin commands, imports), "web..." (an
# office browser session), "office..." and "admin..." (the office's programs and their API clients). A
# tablet's node id is 16 hex digits, which can never begin with one of these; the server refuses a field
# worker's sign-in claiming one.
OFFICE_NODE_PREFIXES = ("server", "web", "office", "admin")


def writer(node: str) -> Side:
    """Which side a clock node writes for."""
    return Side.OFFICE if node.startswith(OFFICE_NODE_PREFIXES) else Side.FIELD


@dataclass(frozen=True, slots=True)
class Owner:
    """The side that owns a field. ``by_creation``: whether the side's first write (no base) claims it too,
    or only its edits (a visit a tablet made is still the office's to cancel until the worker acts)."""

    side: Side
    by_creation: bool = True

    def claims(self, v: Versioned) -> bool:
        """Whether this write ranks above the other side's writes (a function of the write alone, so the
        order stays total)."""
        return writer(v.stamp.node) is self.side and (self.by_creation or v.base is not None)


class DeleteRule(StrEnum):
    """What a delete does to a record."""

    TOMBSTONE_WINS = "tombstone_wins"  # a delete is final; later or concurrent edits are reported lost
    FORBIDDEN = "forbidden"  # the record cannot be deleted; a tombstone always loses


class LossReason(StrEnum):
    """Why a value did not win."""

    CONFLICT = "conflict"  # a concurrent write to the same field won: show it to a person
    SUPERSEDED = "superseded"  # overwritten by a write that knew it (or set the same value): normal editing
    IMMUTABLE = "immutable"  # a change to a field fixed by its first write
    DELETED = "deleted"  # an edit made without knowing the record had been deleted
    UNDELETABLE = "undeletable"  # a delete of a record that cannot be deleted


@dataclass(frozen=True, slots=True)
class EntityRules:
    """Merge rules of one entity: a default field rule, exceptions per field, and the delete rule."""

    default: FieldRule
    delete: DeleteRule
    fields: Mapping[str, FieldRule] = field(default_factory=dict)
    owners: Mapping[str, Owner] = field(default_factory=dict)

    def rule(self, name: str) -> FieldRule:
        """The rule for one field."""
        return self.fields.get(name, self.default)

    def owner(self, name: str) -> Owner | None:
        """The side whose writes win a last-writer-wins field, or None when the later write wins."""
        return self.owners.get(name)


LWW, FIRST, ONCE = FieldRule.LAST_WRITER_WINS, FieldRule.FIRST_WRITER_WINS, FieldRule.SET_ONCE

# A visit's schedule is the office's; what happened on it is the field's (decision 0021). The status is the
# field's once a device changed it (started, done, missed, or undone): a visit made on a tablet can still
# be cancelled by the office. An office cancel of a visit already started loses on ``status`` (a conflict
# both sides log) while its reason stays.
_SCHEDULE = ("worker_id", "scheduled_start", "scheduled_end", "service_code", "cancel_reason", "worker_notes")
_WHAT_HAPPENED = ("check_in", "check_out", "check_in_correction", "check_out_correction")
VISIT_OWNERS: Mapping[str, Owner] = {
    **dict.fromkeys((*_SCHEDULE, "external_id", "series_id"), Owner(Side.OFFICE)),
    **dict.fromkeys(_WHAT_HAPPENED, Owner(Side.FIELD)),
    "status": Owner(Side.FIELD, by_creation=False),
}

RULES: Mapping[str, EntityRules] = {
    # Demographics are edited by the office and in the field; the medical record number never changes.
    "patient": EntityRules(LWW, DeleteRule.TOMBSTONE_WINS, {"mrn": FIRST}),
    # Who and what a visit is for is fixed at scheduling; the rest follows the visit through its day.
    # The signature reference is set once: a visit is signed by one signature.
    "visit": EntityRules(
        LWW, DeleteRule.TOMBSTONE_WINS, {"patient_id": FIRST, "signature_id": ONCE}, VISIT_OWNERS
    ),
    # Clinical notes are append-only: an amendment is a new note.
    "visit_note": EntityRules(FIRST, DeleteRule.FORBIDDEN),
    # A measurement is never changed, only marked as entered in error.
    "observation": EntityRules(FIRST, DeleteRule.FORBIDDEN, {"entered_in_error": LWW}),
    "signature": EntityRules(FIRST, DeleteRule.FORBIDDEN),
    "day_report": EntityRules(FIRST, DeleteRule.FORBIDDEN),
    # The office edits the plan of care; a task leaves it by being made inactive (outcomes name it).
    "care_task": EntityRules(LWW, DeleteRule.FORBIDDEN, {"patient_id": FIRST}),
    # One outcome per task and visit (its id follows from both): the worker's last tap stands.
    "task_outcome": EntityRules(
        LWW, DeleteRule.FORBIDDEN, {"visit_id": FIRST, "patient_id": FIRST, "task_id": FIRST}
    ),
    # Nurse and office edit different fields of one medication: both survive. Discontinued, never deleted.
    "medication": EntityRules(LWW, DeleteRule.FORBIDDEN, {"patient_id": FIRST}),
    # The file and where it belongs are fixed; the caption may be corrected, a wrong one marked in error.
    # (The mark of a medication or an outcome entered in error, and its reason, follow the last writer.)
    "attachment": EntityRules(
        FIRST, DeleteRule.FORBIDDEN, {"caption": LWW, "entered_in_error": LWW, "error_reason": LWW}
    ),
    # What an exception is about is fixed when found; the worker's reason and note, the withdrawal and the
    # office's resolution (one value: decision, who, when, why) follow the last writer (decision 0025). When
    # it was found follows the last finder too: the tablet and the server's sweep may each find the same rule
    # (one id, ``uuid5(visit, code)``) at their own moment, and neither may be refused for it (0033). The
    # resolution is the office's: a tablet's creation (undecided) never undoes a decision made meanwhile.
    "visit_exception": EntityRules(
        LWW,
        DeleteRule.FORBIDDEN,
        dict.fromkeys(("visit_id", "patient_id", "worker_id", "code"), FIRST),
        {"resolution": Owner(Side.OFFICE)},
    ),
}


@dataclass(frozen=True, slots=True)
class Versioned:
    """A field value with the stamp of the write that set it and the stamp that write replaced."""

    value: JSONValue
    stamp: Stamp
    base: Stamp | None = None

    def knew(self, other: Versioned) -> bool:
        """Whether this write was made by someone who had seen ``other`` (or something newer)."""
        return self.base is not None and self.base >= other.stamp


@dataclass(frozen=True, slots=True)
class RecordState:
    """The replicated state of one record: versioned fields and an optional tombstone stamp."""

    fields: Mapping[str, Versioned] = field(default_factory=dict)
    deleted: Stamp | None = None

    def values(self) -> dict[str, JSONValue]:
        """The plain field values."""
        return {name: v.value for name, v in self.fields.items()}

    def stamps(self) -> Iterable[Stamp]:
        """Every stamp the state carries."""
        yield from (v.stamp for v in self.fields.values())
        if self.deleted is not None:
            yield self.deleted


@dataclass(frozen=True, slots=True)
class Loser:
    """A value that did not survive a merge, with what beat it (None for a rejected tombstone)."""

    field: str
    lost: Versioned
    winner: Versioned | None
    reason: LossReason

    def logged(self) -> dict[str, Any]:
        """What a conflict log keeps of it (the tablet's and the server's columns of the same names)."""
        return dict(
            field=self.field,
            reason=self.reason.value,
            lost_value=self.lost.value,
            lost_stamp=self.lost.stamp.encode(),
            winner_value=self.winner.value if self.winner else None,
            winner_stamp=self.winner.stamp.encode() if self.winner else None,
        )


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged state and every value that lost."""

    state: RecordState
    losers: tuple[Loser, ...] = ()

    @property
    def conflicts(self) -> tuple[Loser, ...]:
        """The losers a person should see (everything but normal superseding)."""
        return tuple(loser for loser in self.losers if loser.reason is not LossReason.SUPERSEDED)


def canonical(value: JSONValue) -> bytes:
    """Canonical JSON bytes (sorted keys, no spaces): equal values give equal bytes."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def rules_for(entity: str) -> EntityRules:
    """The rules of one entity; raises KeyError for an unknown entity."""
    try:
        return RULES[entity]
    except KeyError:
        raise KeyError(f"no merge rules for entity {entity!r}") from None


def merge(entity: str, ours: RecordState, theirs: RecordState) -> MergeResult:
    """Merge two states of one record by the entity's rules."""
    rules = rules_for(entity)
    fields: dict[str, Versioned] = {}
    losers: list[Loser] = []
    for name in sorted(ours.fields.keys() | theirs.fields.keys()):
        winner, lost = _merge_field(
            rules.rule(name), rules.owner(name), ours.fields.get(name), theirs.fields.get(name)
        )
        fields[name] = winner
        if lost is not None:
            losers.append(Loser(name, lost, winner, _reason(rules.rule(name), winner, lost)))
    deleted, delete_losers = _merge_tombstones(rules.delete, ours.deleted, theirs.deleted)
    losers.extend(delete_losers)
    if deleted is not None:
        losers.extend(_edits_unaware_of_delete(deleted, ours, theirs))
    return MergeResult(RecordState(fields, deleted), tuple(losers))


def merge_all(entity: str, states: Iterable[RecordState]) -> MergeResult:
    """Fold several states of one record into one, collecting every loser."""
    state, losers = RecordState(), list[Loser]()
    for incoming in states:
        result = merge(entity, state, incoming)
        state = result.state
        losers.extend(result.losers)
    return MergeResult(state, tuple(losers))


def _order_key(v: Versioned, owner: Owner | None) -> tuple[bool, Stamp, bytes, tuple[int, Stamp | None]]:
    # The owner's writes rank above the other side's (False < True); then the stamp. Stamps are unique per
    # write; value and base only break ties between malformed duplicates, so the choice stays
    # deterministic (and the merge commutative) even then.
    owned = owner is not None and owner.claims(v)
    return (owned, v.stamp, canonical(v.value), (0, None) if v.base is None else (1, v.base))


def _merge_field(
    rule: FieldRule, owner: Owner | None, a: Versioned | None, b: Versioned | None
) -> tuple[Versioned, Versioned | None]:
    if a is None or b is None:
        present = a if a is not None else b
        assert present is not None
        return present, None
    # Ownership orders last-writer-wins fields only: a first write stays the first whoever made it.
    key_a, key_b = (
        _order_key(a, owner if rule is LWW else None),
        _order_key(b, owner if rule is LWW else None),
    )
    if key_a == key_b:
        # The same write twice. Not `a == b`: Python has 1 == 1.0 == True, which are different writes.
        return a, None
    if rule is FieldRule.SET_ONCE and (a.value is None) != (b.value is None):
        return (b, a) if a.value is None else (a, b)
    high, low = (a, b) if key_a > key_b else (b, a)
    return (high, low) if rule is FieldRule.LAST_WRITER_WINS else (low, high)


def _reason(rule: FieldRule, winner: Versioned, lost: Versioned) -> LossReason:
    if canonical(winner.value) == canonical(lost.value):
        return LossReason.SUPERSEDED
    if rule is FieldRule.SET_ONCE and lost.value is None:
        return LossReason.SUPERSEDED  # filling an empty set-once field is normal editing
    if rule is not FieldRule.LAST_WRITER_WINS:
        return LossReason.IMMUTABLE
    if winner.knew(lost):
        # The winner was written over the loser (or the loser is a late copy of an older write).
        return LossReason.SUPERSEDED
    return LossReason.CONFLICT


def _merge_tombstones(rule: DeleteRule, a: Stamp | None, b: Stamp | None) -> tuple[Stamp | None, list[Loser]]:
    if rule is DeleteRule.FORBIDDEN:
        rejected = sorted({s for s in (a, b) if s is not None})
        return None, [Loser(DELETED, Versioned(True, s), None, LossReason.UNDELETABLE) for s in rejected]
    present = [s for s in (a, b) if s is not None]
    return (min(present) if present else None), []


def _edits_unaware_of_delete(deleted: Stamp, ours: RecordState, theirs: RecordState) -> list[Loser]:
    # A side that had not yet seen this tombstone may carry edits made after it: they are lost to the
    # delete and must be reported, not dropped. A side that already had the tombstone reports nothing new.
    tomb = Versioned(True, deleted)
    losers = []
    for side in (ours, theirs):
        if side.deleted == deleted:
            continue
        for name, v in sorted(side.fields.items()):
            if v.stamp > deleted:
                losers.append(Loser(name, v, tomb, LossReason.DELETED))
    return losers
