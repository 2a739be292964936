"""Merge rules (fieldapp.domain.merge): the join laws, conservation of losers, and each rule's meaning."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import (
    DELETED,
    RULES,
    DeleteRule,
    FieldRule,
    Loser,
    LossReason,
    MergeResult,
    RecordState,
    Versioned,
    merge,
    merge_all,
)
from tests.unit.merge_cases import (
    ENTITIES,
    FORBIDDEN,
    entity_with_states,
    key,
    loser_key,
    lost_in,
    record_states,
    state_key,
    well_formed,
    writes,
)

# --- laws --------------------------------------------------------------------------------------------------


@settings(deadline=None)
@given(entity_with_states(2))
def test_merge_is_commutative(case):
    entity, a, b = case
    ab, ba = merge(entity, a, b), merge(entity, b, a)
    assert ab.state == ba.state
    assert state_key(ab.state) == state_key(ba.state)


@settings(deadline=None)
@given(entity_with_states(2))
def test_both_sides_report_the_same_losers(case):
    # The tablet merges (local, incoming) and the server (stored, incoming): their conflict logs agree.
    entity, a, b = case
    ab, ba = merge(entity, a, b), merge(entity, b, a)
    assert Counter(map(loser_key, ab.losers)) == Counter(map(loser_key, ba.losers))


@settings(deadline=None)
@given(entity_with_states(3))
def test_merge_is_associative(case):
    entity, a, b, c = case
    left = merge(entity, merge(entity, a, b).state, c).state
    right = merge(entity, a, merge(entity, b, c).state).state
    assert left == right
    assert state_key(left) == state_key(right)


@settings(deadline=None)
@given(entity_with_states(4), st.randoms(use_true_random=False))
def test_merge_all_is_independent_of_arrival_order(case, rnd):
    entity, *states = case
    shuffled = list(states)
    rnd.shuffle(shuffled)
    assert state_key(merge_all(entity, states).state) == state_key(merge_all(entity, shuffled).state)


@settings(deadline=None)
@given(st.data())
def test_merge_is_idempotent(data):
    entity = data.draw(st.sampled_from(ENTITIES))
    pool = data.draw(writes(entity))
    # A record that cannot be deleted never keeps a tombstone (see the test below for one that arrives).
    a = data.draw(record_states(entity, pool, tombstones=well_formed(entity)))
    result = merge(entity, a, a)
    assert result.state == a
    assert state_key(result.state) == state_key(a)
    assert result.losers == ()


@settings(deadline=None)
@given(entity_with_states(2))
def test_a_merged_state_merged_with_itself_is_unchanged(case):
    entity, a, b = case
    merged = merge(entity, a, b).state
    again = merge(entity, merged, merged)
    assert state_key(again.state) == state_key(merged)
    assert again.losers == ()
    # Absorption: merging in either input again changes nothing.
    assert state_key(merge(entity, merged, a).state) == state_key(merged)
    assert state_key(merge(entity, b, merged).state) == state_key(merged)


@settings(deadline=None)
@given(entity_with_states(2))
def test_no_value_disappears_without_being_reported(case):
    entity, a, b = case
    result = merge(entity, a, b)
    for side in (a, b):
        for name, v in side.fields.items():
            kept = name in result.state.fields and key(result.state.fields[name]) == key(v)
            assert kept or lost_in(result, name, v), f"{entity}.{name}: {v} vanished"
    # Every field of either side is still there (perhaps with the other side's value).
    assert result.state.fields.keys() == a.fields.keys() | b.fields.keys()


@settings(deadline=None)
@given(entity_with_states(2))
def test_every_loser_really_lost(case):
    entity, a, b = case
    result = merge(entity, a, b)
    for loser in result.losers:
        if loser.field == DELETED:
            assert loser.reason is LossReason.UNDELETABLE
            assert loser.winner is None
            assert loser.lost.stamp in (a.deleted, b.deleted)
            continue
        sides = [side.fields[loser.field] for side in (a, b) if loser.field in side.fields]
        assert key(loser.lost) in map(key, sides)
        if loser.reason is LossReason.DELETED:
            assert loser.winner == Versioned(True, result.state.deleted)
            assert loser.lost.stamp > result.state.deleted
        else:
            assert loser.winner is not None
            assert key(loser.winner) == key(result.state.fields[loser.field])
            assert key(loser.lost) != key(loser.winner)


@settings(deadline=None)
@given(st.data())
def test_tombstones_are_kept_or_reported(data):
    entity = data.draw(st.sampled_from(ENTITIES))
    pool = data.draw(writes(entity))
    a, b = data.draw(record_states(entity, pool)), data.draw(record_states(entity, pool))
    result = merge(entity, a, b)
    tombstones = {s for s in (a.deleted, b.deleted) if s is not None}
    if RULES[entity].delete is DeleteRule.FORBIDDEN:
        assert result.state.deleted is None
        rejected = [loser for loser in result.losers if loser.field == DELETED]
        assert sorted(loser.lost.stamp for loser in rejected) == sorted(tombstones)
        for loser in rejected:
            assert loser.reason is LossReason.UNDELETABLE
            assert loser.lost == Versioned(True, loser.lost.stamp)
    else:
        # The earliest delete is the one that counts; a later delete of a deleted record adds nothing.
        assert result.state.deleted == (min(tombstones) if tombstones else None)
        assert not any(loser.field == DELETED for loser in result.losers)


@settings(deadline=None)
@given(entity_with_states(2))
def test_per_field_winner_follows_the_field_rule(case):
    entity, a, b = case
    result = merge(entity, a, b)
    for name in a.fields.keys() & b.fields.keys():
        x, y = a.fields[name], b.fields[name]
        won = result.state.fields[name]
        rule = RULES[entity].rule(name)
        if rule is FieldRule.LAST_WRITER_WINS:
            assert won.stamp == max(x.stamp, y.stamp)
        elif rule is FieldRule.FIRST_WRITER_WINS:
            assert won.stamp == min(x.stamp, y.stamp)
        else:
            assert rule is FieldRule.SET_ONCE
            filled = [v for v in (x, y) if v.value is not None]
            expected = min(v.stamp for v in (filled or [x, y]))
            assert won.stamp == expected


# --- examples with clinical meaning ------------------------------------------------------------------------

OFFICE, TABLET, TABLET2 = "office", "tab1", "tab2"


def s(wall: int, node: str = TABLET, counter: int = 0) -> Stamp:
    return Stamp(wall, counter, node)


def state(deleted: Stamp | None = None, **fields: Versioned) -> RecordState:
    return RecordState(fields, deleted)


def only_loser(result: MergeResult) -> Loser:
    assert len(result.losers) == 1, result.losers
    return result.losers[0]


def test_last_writer_wins_picks_the_higher_stamp():
    earlier = Versioned("555-0100", s(100, OFFICE))
    later = Versioned("555-0199", s(200, TABLET))
    for ours, theirs in [(earlier, later), (later, earlier)]:
        result = merge("patient", state(phone=ours), state(phone=theirs))
        assert result.state.fields["phone"] == later
        assert only_loser(result).lost == earlier


def test_equal_wall_times_are_broken_by_counter_then_node():
    low, high = Versioned("x", s(100, "b", 0)), Versioned("y", s(100, "a", 1))
    assert merge("patient", state(phone=low), state(phone=high)).state.fields["phone"] == high
    low, high = Versioned("x", s(100, "a", 1)), Versioned("y", s(100, "b", 1))
    assert merge("patient", state(phone=high), state(phone=low)).state.fields["phone"] == high


def test_concurrent_edits_are_a_conflict():
    # Office and nurse both change the care plan from the same original, neither seeing the other's.
    original = s(100, OFFICE)
    office = Versioned("Weigh daily.", s(200, OFFICE), base=original)
    nurse = Versioned("Weigh daily; fluid limit 1.5 l.", s(210, TABLET), base=original)
    result = merge("patient", state(care_plan=office), state(care_plan=nurse))
    assert result.state.fields["care_plan"] == nurse
    loser = only_loser(result)
    assert (loser.field, loser.lost, loser.winner, loser.reason) == (
        "care_plan",
        office,
        nurse,
        LossReason.CONFLICT,
    )
    assert result.conflicts == (loser,)


def test_a_first_write_racing_another_is_a_conflict():
    # Neither write replaced anything (no base): still concurrent.
    a, b = Versioned("walker", s(100, TABLET)), Versioned("cane", s(100, TABLET2))
    assert only_loser(merge("patient", state(care_plan=a), state(care_plan=b))).reason is LossReason.CONFLICT


def test_an_edit_made_over_the_previous_value_supersedes_it():
    first = Versioned("in_progress", s(100))
    second = Versioned("completed", s(150), base=first.stamp)
    result = merge("visit", state(status=first), state(status=second))
    assert result.state.fields["status"] == second
    assert only_loser(result).reason is LossReason.SUPERSEDED
    assert result.conflicts == ()


def test_a_late_duplicate_of_an_old_write_is_superseded_not_a_conflict():
    # w1 was overwritten by w2 and then w3; a copy of w1 that was stuck in an outbox arrives now.
    w1 = Versioned("scheduled", s(100, OFFICE))
    w2 = Versioned("in_progress", s(200), base=w1.stamp)
    w3 = Versioned("completed", s(300), base=w2.stamp)
    for current in (w2, w3):
        result = merge("visit", state(status=current), state(status=w1))
        assert result.state.fields["status"] == current
        assert only_loser(result).reason is LossReason.SUPERSEDED
        assert result.conflicts == ()


def test_the_same_value_written_concurrently_is_superseded_not_a_conflict():
    a = Versioned({"kind": "gps", "latitude": 41.7}, s(100, TABLET))
    b = Versioned({"latitude": 41.7, "kind": "gps"}, s(105, TABLET2))
    result = merge("visit", state(check_in=a), state(check_in=b))
    assert result.state.fields["check_in"] == b
    assert only_loser(result).reason is LossReason.SUPERSEDED
    assert result.conflicts == ()


def test_a_redelivered_write_is_not_a_loser():
    w = Versioned("completed", s(300), base=s(200))
    result = merge("visit", state(status=w), state(status=Versioned("completed", s(300), base=s(200))))
    assert result.state.fields["status"] == w
    assert result.losers == ()


def test_the_medical_record_number_keeps_its_first_value():
    first = Versioned("MRN-1001", s(100, OFFICE))
    changed = Versioned("MRN-2002", s(500, TABLET), base=first.stamp)
    for ours, theirs in [(first, changed), (changed, first)]:
        result = merge("patient", state(mrn=ours), state(mrn=theirs))
        assert result.state.fields["mrn"] == first
        loser = only_loser(result)
        assert (loser.lost, loser.winner, loser.reason) == (changed, first, LossReason.IMMUTABLE)
        assert result.conflicts == (loser,)


def test_the_same_medical_record_number_written_twice_is_superseded():
    first, again = Versioned("MRN-1001", s(100, OFFICE)), Versioned("MRN-1001", s(101, TABLET))
    result = merge("patient", state(mrn=again), state(mrn=first))
    assert result.state.fields["mrn"] == first
    assert only_loser(result).reason is LossReason.SUPERSEDED


def test_a_visit_keeps_its_patient():
    scheduled = Versioned("patient-1", s(100, OFFICE))
    moved = Versioned("patient-2", s(200, OFFICE), base=scheduled.stamp)
    result = merge("visit", state(patient_id=moved), state(patient_id=scheduled))
    assert result.state.fields["patient_id"] == scheduled
    assert only_loser(result).reason is LossReason.IMMUTABLE


def test_a_visit_signature_is_set_once_over_the_empty_value_it_was_created_with():
    created = Versioned(None, s(100, OFFICE))
    signed = Versioned("signature-1", s(400, TABLET), base=created.stamp)
    result = merge("visit", state(signature_id=created), state(signature_id=signed))
    assert result.state.fields["signature_id"] == signed
    assert only_loser(result).reason is LossReason.SUPERSEDED
    # A later second signature does not replace the first ...
    later = Versioned("signature-2", s(600, TABLET2), base=created.stamp)
    again = merge("visit", result.state, state(signature_id=later))
    assert again.state.fields["signature_id"] == signed
    loser = only_loser(again)
    assert (loser.lost, loser.winner, loser.reason) == (later, signed, LossReason.IMMUTABLE)
    # ... and clearing the reference afterwards does not unsign the visit.
    cleared = Versioned(None, s(900, OFFICE), base=signed.stamp)
    again = merge("visit", result.state, state(signature_id=cleared))
    assert again.state.fields["signature_id"] == signed
    assert only_loser(again).lost == cleared
    # Of two signatures made concurrently, the earlier one counts, whoever merges.
    earlier = Versioned("signature-0", s(300, TABLET2), base=created.stamp)
    for ours, theirs in [
        (result.state, state(signature_id=earlier)),
        (state(signature_id=earlier), result.state),
    ]:
        assert merge("visit", ours, theirs).state.fields["signature_id"] == earlier


def test_an_observation_can_be_marked_entered_in_error_but_not_changed():
    value = Versioned(72.0, s(100))
    corrected = Versioned(27.0, s(200), base=value.stamp)
    flag = Versioned(False, s(100))
    marked = Versioned(True, s(200), base=flag.stamp)
    result = merge(
        "observation",
        state(value=value, entered_in_error=flag),
        state(value=corrected, entered_in_error=marked),
    )
    assert result.state.values() == {"value": 72.0, "entered_in_error": True}
    reasons = {loser.field: loser.reason for loser in result.losers}
    assert reasons == {"value": LossReason.IMMUTABLE, "entered_in_error": LossReason.SUPERSEDED}


@pytest.mark.parametrize("entity", FORBIDDEN)
def test_a_delete_of_an_undeletable_record_is_rejected_and_reported(entity):
    text = Versioned("Wound dressed, no signs of infection.", s(100))
    tomb = s(200, OFFICE)
    result = merge(entity, state(text=text), state(deleted=tomb))
    assert result.state.deleted is None
    assert result.state.fields == {"text": text}
    loser = only_loser(result)
    assert (loser.field, loser.lost, loser.winner, loser.reason) == (
        DELETED,
        Versioned(True, tomb),
        None,
        LossReason.UNDELETABLE,
    )
    assert result.conflicts == (loser,)


def test_visit_note_tombstones_on_both_sides_are_each_reported_once():
    t1, t2 = s(200, OFFICE), s(300, TABLET)
    result = merge("visit_note", state(deleted=t1), state(deleted=t2))
    assert result.state.deleted is None
    assert sorted(loser.lost.stamp for loser in result.losers) == [t1, t2]
    assert {loser.reason for loser in result.losers} == {LossReason.UNDELETABLE}
    same = merge("visit_note", state(deleted=t1), state(deleted=t1))
    assert [loser.lost.stamp for loser in same.losers] == [t1]


def test_a_patient_deleted_while_being_edited_stays_deleted_and_the_edit_is_reported():
    phone = Versioned("555-0100", s(100, OFFICE))
    deleted = s(300, OFFICE)  # discharged in the office ...
    edit = Versioned("555-0199", s(350, TABLET), base=phone.stamp)  # ... while the nurse, offline, edits
    office, tablet = state(deleted, phone=phone), state(phone=edit)
    for ours, theirs in [(office, tablet), (tablet, office)]:
        result = merge("patient", ours, theirs)
        assert result.state.deleted == deleted
        deleted_losers = [loser for loser in result.losers if loser.reason is LossReason.DELETED]
        assert len(deleted_losers) == 1
        (loser,) = deleted_losers
        assert (loser.field, loser.lost, loser.winner) == ("phone", edit, Versioned(True, deleted))
        assert loser in result.conflicts


def test_an_edit_made_before_the_delete_is_not_reported_as_lost_to_it():
    edit = Versioned("555-0199", s(250, TABLET))
    result = merge("patient", state(s(300, OFFICE)), state(phone=edit))
    assert result.state.deleted == s(300, OFFICE)
    assert result.losers == ()


def test_a_side_that_already_had_the_tombstone_reports_nothing_new():
    deleted = s(300, OFFICE)
    edit = Versioned("555-0199", s(350, TABLET))
    result = merge("patient", state(deleted, phone=edit), state(deleted, phone=edit))
    assert result.losers == ()


def test_the_earlier_of_two_deletes_counts():
    result = merge("visit", state(s(500, OFFICE)), state(s(400, TABLET)))
    assert result.state.deleted == s(400, TABLET)
    assert result.losers == ()


def test_conflicts_exclude_only_superseded_losers():
    losers = tuple(
        Loser("f", Versioned(reason.value, s(i)), None, reason) for i, reason in enumerate(LossReason)
    )
    result = MergeResult(RecordState(), losers)
    assert [loser.reason for loser in result.conflicts] == [
        reason for reason in LossReason if reason is not LossReason.SUPERSEDED
    ]
    assert MergeResult(RecordState()).conflicts == ()


def test_merge_of_an_unknown_entity_raises_key_error():
    with pytest.raises(KeyError, match="appointment"):
        merge("appointment", RecordState(), RecordState())
    with pytest.raises(KeyError):
        merge_all("Patient", [RecordState()])


def test_every_entity_has_rules():
    from fieldapp.domain.entities import ENTITY_TYPES

    assert RULES.keys() == ENTITY_TYPES.keys()
    for entity, rules in RULES.items():
        fields = set(ENTITY_TYPES[entity].model_fields)
        assert set(rules.fields) <= fields, f"{entity}: rules for unknown fields {set(rules.fields) - fields}"


def test_the_unknown_entity_error_names_it():
    with pytest.raises(KeyError) as raised:
        merge("appointment", RecordState(), RecordState())
    assert raised.value.args == ("no merge rules for entity 'appointment'",)


def test_a_state_lists_every_stamp_it_carries():
    phone, name = Versioned("555-0100", s(100, OFFICE)), Versioned("Ada", s(200), base=s(100, OFFICE))
    assert list(state(phone=phone, name=name).stamps()) == [s(100, OFFICE), s(200)]
    assert list(state(s(300, OFFICE), phone=phone).stamps()) == [s(100, OFFICE), s(300, OFFICE)]
    assert list(state(s(300, OFFICE)).stamps()) == [s(300, OFFICE)]
    assert list(RecordState().stamps()) == []
    assert state(phone=phone, name=name).values() == {"phone": "555-0100", "name": "Ada"}


def test_merge_all_reports_the_losers_of_every_step_in_order():
    first = Versioned("scheduled", s(100, OFFICE))
    second = Versioned("in_progress", s(200), base=first.stamp)
    rival = Versioned("cancelled", s(150, TABLET2), base=first.stamp)
    result = merge_all("visit", [state(status=first), state(status=second), state(status=rival)])
    assert result.state.fields == {"status": second}
    assert [(loser.lost, loser.winner, loser.reason) for loser in result.losers] == [
        (first, second, LossReason.SUPERSEDED),
        (rival, second, LossReason.CONFLICT),
    ]
    assert merge_all("visit", []) == MergeResult(RecordState())


def test_edits_after_the_earliest_delete_are_reported_from_a_side_that_deleted_later():
    # Both sides deleted the patient; the side whose delete came later also edited after the earlier one.
    edit = Versioned("555-0199", s(350, TABLET))
    late, early = state(s(400, TABLET), phone=edit), state(s(300, OFFICE))
    for ours, theirs in [(late, early), (early, late)]:
        result = merge("patient", ours, theirs)
        assert result.state.deleted == s(300, OFFICE)
        assert [(loser.field, loser.lost, loser.winner, loser.reason) for loser in result.losers] == [
            ("phone", edit, Versioned(True, s(300, OFFICE)), LossReason.DELETED)
        ]


def test_edits_lost_to_a_delete_are_reported_by_field_name():
    # Only the side without the earliest tombstone can hold edits unaware of it, so one side reports.
    edits = state(zip_code=Versioned("02139", s(310)), city=Versioned("Boston", s(320)))
    for ours, theirs in [(edits, state(s(300, OFFICE))), (state(s(300, OFFICE)), edits)]:
        result = merge("patient", ours, theirs)
        assert [loser.field for loser in result.losers] == ["city", "zip_code"]
        assert {loser.reason for loser in result.losers} == {LossReason.DELETED}


def test_an_entity_rule_falls_back_to_its_default():
    assert RULES["patient"].rule("mrn") is FieldRule.FIRST_WRITER_WINS
    assert RULES["patient"].rule("phone") is FieldRule.LAST_WRITER_WINS
    assert RULES["observation"].rule("entered_in_error") is FieldRule.LAST_WRITER_WINS
    assert RULES["observation"].rule("value") is FieldRule.FIRST_WRITER_WINS
