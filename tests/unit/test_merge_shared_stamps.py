"""Merge (fieldapp.domain.merge) of writes that share one stamp.

A stamp is meant to be one write, and the generators of test_merge.py keep it so. When two writes do share
a stamp anyway (a client bug, a restored backup issuing stamps again), the merge must still be a join
(commutative, associative, idempotent) and must still report every value that did not win: the tie is
broken by the value's canonical JSON, then by the base (none before any).
"""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings

from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import (
    DELETED,
    LossReason,
    MergeResult,
    RecordState,
    Versioned,
    merge,
    merge_all,
)
from tests.unit.merge_cases import entity_with_shared_stamp_states, key, loser_key, lost_in, state_key

SHARED = Stamp(100, 0, "tab1")


def fields(result: MergeResult) -> dict[str, tuple[object, Stamp, Stamp | None]]:
    return {name: (v.value, v.stamp, v.base) for name, v in result.state.fields.items()}


def both_orders(entity: str, a: Versioned, b: Versioned) -> tuple[MergeResult, MergeResult]:
    return merge(entity, RecordState({"f": a}), RecordState({"f": b})), merge(
        entity, RecordState({"f": b}), RecordState({"f": a})
    )


# --- the laws under shared stamps --------------------------------------------------------------------------


@settings(deadline=None)
@given(entity_with_shared_stamp_states(2))
def test_merge_of_shared_stamps_is_commutative_and_loses_nothing_silently(case):
    entity, a, b = case
    ab, ba = merge(entity, a, b), merge(entity, b, a)
    assert state_key(ab.state) == state_key(ba.state)
    assert Counter(map(loser_key, ab.losers)) == Counter(map(loser_key, ba.losers))
    for side in (a, b):
        for name, v in side.fields.items():
            kept = key(ab.state.fields[name]) == key(v)
            assert kept or lost_in(ab, name, v), f"{entity}.{name}: {v} vanished"


@settings(deadline=None)
@given(entity_with_shared_stamp_states(3))
def test_merge_of_shared_stamps_is_associative_and_order_free(case):
    entity, a, b, c = case
    left = merge(entity, merge(entity, a, b).state, c).state
    right = merge(entity, a, merge(entity, b, c).state).state
    assert state_key(left) == state_key(right)
    for order in itertools.permutations((a, b, c)):
        assert state_key(merge_all(entity, order).state) == state_key(left)


@settings(deadline=None)
@given(entity_with_shared_stamp_states(2))
def test_merge_of_shared_stamps_is_idempotent_and_absorbing(case):
    entity, a, b = case
    for side in (a, b):
        if side.deleted is None:  # an undeletable record never keeps a tombstone: see test_merge.py
            again = merge(entity, side, side)
            assert state_key(again.state) == state_key(side)
            assert again.losers == ()
    merged = merge(entity, a, b).state
    again = merge(entity, merged, merged)
    assert state_key(again.state) == state_key(merged)
    assert again.losers == ()
    assert state_key(merge(entity, merged, a).state) == state_key(merged)
    assert state_key(merge(entity, b, merged).state) == state_key(merged)


# --- the tie-break, by example -----------------------------------------------------------------------------


def test_a_shared_stamp_is_broken_by_the_canonical_json_of_the_value():
    # b'"walker"' > b'"cane"': the last writer is the greater value, the first writer the smaller.
    cane, walker = Versioned("cane", SHARED), Versioned("walker", SHARED)
    for result in both_orders("patient", cane, walker):
        assert fields(result) == {"f": ("walker", SHARED, None)}
        (loser,) = result.losers
        assert (loser.field, loser.lost, loser.winner, loser.reason) == (
            "f",
            cane,
            walker,
            LossReason.CONFLICT,
        )
    for result in both_orders("visit_note", cane, walker):
        assert fields(result) == {"f": ("cane", SHARED, None)}
        (loser,) = result.losers
        assert (loser.lost, loser.winner, loser.reason) == (walker, cane, LossReason.IMMUTABLE)


@pytest.mark.parametrize(("first", "second"), [(True, 1), (1, 1.0), (0, -0.0), (False, 0), ([1], [True])])
def test_values_equal_in_python_but_not_in_json_are_different_writes(first, second):
    # 1 == 1.0 == True in Python; on the wire they are different values, so one wins and one is reported.
    a, b = Versioned(first, SHARED), Versioned(second, SHARED)
    ab, ba = both_orders("patient", a, b)
    assert state_key(ab.state) == state_key(ba.state)
    (loser,) = ab.losers
    assert key(loser.lost) != key(ab.state.fields["f"])
    assert {key(loser.lost), key(ab.state.fields["f"])} == {key(a), key(b)}
    assert Counter(map(loser_key, ab.losers)) == Counter(map(loser_key, ba.losers))


def test_true_beats_one_under_a_shared_stamp_because_its_json_sorts_higher():
    for result in both_orders("patient", Versioned(1, SHARED), Versioned(True, SHARED)):
        assert result.state.fields["f"].value is True
        (loser,) = result.losers
        assert (type(loser.lost.value), loser.reason) == (int, LossReason.CONFLICT)


def test_with_the_same_value_a_write_with_a_base_beats_one_without():
    bare = Versioned("walker", SHARED)
    based = Versioned("walker", SHARED, base=Stamp(1, 0, "office"))
    for result in both_orders("patient", bare, based):
        assert fields(result) == {"f": ("walker", SHARED, Stamp(1, 0, "office"))}
        (loser,) = result.losers
        assert (loser.lost, loser.winner, loser.reason) == (bare, based, LossReason.SUPERSEDED)
    for result in both_orders("patient", based, bare):
        assert result.state.fields["f"] == based
    # First writer wins takes the other end of the same order.
    for result in both_orders("visit_note", bare, based):
        assert result.state.fields["f"] == bare


def test_with_the_same_value_the_later_base_wins():
    early = Versioned("walker", SHARED, base=Stamp(1, 0, "office"))
    late = Versioned("walker", SHARED, base=Stamp(2, 0, "office"))
    for result in both_orders("patient", early, late):
        assert result.state.fields["f"] == late
        assert [loser.lost for loser in result.losers] == [early]


def test_the_same_write_delivered_twice_under_its_stamp_is_no_loser():
    a = Versioned({"kind": "gps", "latitude": 41.7}, SHARED, base=Stamp(1, 0, "office"))
    b = Versioned({"latitude": 41.7, "kind": "gps"}, SHARED, base=Stamp(1, 0, "office"))
    for result in both_orders("patient", a, b):
        assert result.losers == ()
        assert key(result.state.fields["f"]) == key(a)


def test_a_set_once_field_under_a_shared_stamp_keeps_the_filled_value():
    empty, filled = Versioned(None, SHARED), Versioned("signature-1", SHARED)
    for ours, theirs in [(empty, filled), (filled, empty)]:
        result = merge("visit", RecordState({"signature_id": ours}), RecordState({"signature_id": theirs}))
        assert result.state.fields["signature_id"] == filled
        (loser,) = result.losers
        assert (loser.lost, loser.reason) == (empty, LossReason.SUPERSEDED)


def test_an_edit_under_the_tombstones_own_stamp_is_part_of_the_delete_not_lost_to_it():
    # A mutation may set fields and delete in one write, under one stamp: those fields did not come after
    # the delete. Only an edit stamped after the tombstone is lost to it.
    same = Versioned("discharged", SHARED)
    after = Versioned("555-0199", Stamp(SHARED.wall_ms, SHARED.counter + 1, SHARED.node))
    result = merge("patient", RecordState(deleted=SHARED), RecordState({"status": same, "phone": after}))
    assert result.state.deleted == SHARED
    assert [(loser.field, loser.lost, loser.reason) for loser in result.losers] == [
        ("phone", after, LossReason.DELETED)
    ]


def test_an_undeletable_record_reports_one_loser_per_distinct_tombstone():
    result = merge("signature", RecordState(deleted=SHARED), RecordState(deleted=SHARED))
    assert [(loser.field, loser.lost, loser.winner) for loser in result.losers] == [
        (DELETED, Versioned(True, SHARED), None)
    ]
