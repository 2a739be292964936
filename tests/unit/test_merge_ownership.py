"""The office owns a visit's schedule, the field owns what happened (decision 0021): the join laws still
hold with ownership, the owner's write wins whatever the stamps say, and every such loss is reported."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import (
    RULES,
    LossReason,
    RecordState,
    Side,
    Versioned,
    merge,
    merge_all,
    writer,
)
from tests.unit.merge_cases import json_values, key, lost_in, state_key

VISIT = RULES["visit"]
OWNED = sorted(VISIT.owners)
# Devices and office clocks, with tiny walls so that ties and cross-side races are common.
NODES = ["a", "b", "0f3a9c2d4b5e6f70", "server0", "web0123", "office1"]
stamps = st.builds(Stamp, wall_ms=st.integers(0, 4), counter=st.integers(0, 1), node=st.sampled_from(NODES))


@st.composite
def visit_states(draw: st.DrawFn, count: int) -> list[RecordState]:
    """``count`` replicas' states of one visit, from one history of writes by both sides."""
    pool: dict[str, list[Versioned]] = {}
    for name in [*OWNED, "patient_id", "signature_id"]:
        pool[name] = draw(
            st.lists(
                st.builds(Versioned, value=json_values, stamp=stamps, base=st.none() | stamps),
                unique_by=lambda v: v.stamp,
                max_size=4,
            )
        )
    states = []
    for _ in range(count):
        fields = {name: draw(st.sampled_from(vs)) for name, vs in pool.items() if vs and draw(st.booleans())}
        states.append(RecordState(fields, draw(st.none() | stamps)))
    return states


@settings(deadline=None)
@given(visit_states(2))
def test_ownership_keeps_the_merge_commutative(states: list[RecordState]) -> None:
    a, b = states
    ab, ba = merge("visit", a, b), merge("visit", b, a)
    assert state_key(ab.state) == state_key(ba.state)


@settings(deadline=None)
@given(visit_states(3))
def test_ownership_keeps_the_merge_associative(states: list[RecordState]) -> None:
    a, b, c = states
    left = merge("visit", merge("visit", a, b).state, c).state
    right = merge("visit", a, merge("visit", b, c).state).state
    assert state_key(left) == state_key(right)


@settings(deadline=None)
@given(visit_states(4), st.randoms(use_true_random=False))
def test_ownership_keeps_arrival_order_irrelevant(states: list[RecordState], rnd: Any) -> None:
    shuffled = list(states)
    rnd.shuffle(shuffled)
    assert state_key(merge_all("visit", states).state) == state_key(merge_all("visit", shuffled).state)


@settings(deadline=None)
@given(visit_states(1))
def test_ownership_keeps_the_merge_idempotent(states: list[RecordState]) -> None:
    [a] = states
    assert state_key(merge("visit", a, a).state) == state_key(a)


@settings(deadline=None)
@given(visit_states(2))
def test_an_owned_field_is_won_by_its_owner_if_it_wrote_else_by_the_later_write(
    states: list[RecordState],
) -> None:
    a, b = states
    result = merge("visit", a, b)
    for name in OWNED:
        if name not in a.fields or name not in b.fields:
            continue
        x, y = a.fields[name], b.fields[name]
        won = result.state.fields[name]
        owner = VISIT.owner(name)
        assert owner is not None
        by_owner = [v for v in (x, y) if owner.claims(v)]
        assert won.stamp == max(v.stamp for v in (by_owner or [x, y]))


@settings(deadline=None)
@given(visit_states(2))
def test_a_value_lost_to_the_owner_is_always_reported(states: list[RecordState]) -> None:
    a, b = states
    result = merge("visit", a, b)
    for name in OWNED:
        if name not in a.fields or name not in b.fields:
            continue
        won = result.state.fields[name]
        for v in (a.fields[name], b.fields[name]):
            if key(v) != key(won):
                assert lost_in(result, name, v)
                if (
                    writer(won.stamp.node) is not writer(v.stamp.node)
                    and v.stamp > won.stamp
                    and not won.knew(v)
                ):
                    # a later write beaten by ownership: a person sees it, whoever wrote it
                    loser = next(lo for lo in result.losers if lo.field == name and key(lo.lost) == key(v))
                    same = loser.lost.value == won.value
                    assert loser.reason is (LossReason.SUPERSEDED if same else LossReason.CONFLICT)


def test_tablet_node_ids_are_the_fields_and_office_clocks_are_the_offices() -> None:
    assert writer("0f3a9c2d4b5e6f70") is Side.FIELD and writer("tablet01") is Side.FIELD
    assert {writer(n) for n in ("server0", "web" + "a" * 29, "office1", "admin1")} == {Side.OFFICE}
    # a tablet's node id is 16 hex digits: it can never start like an office clock
    assert all(writer(c * 16) is Side.FIELD for c in "0123456789abcdef")


def test_every_owned_field_is_a_visit_field_and_owned_fields_are_last_writer_wins() -> None:
    from fieldapp.domain.entities import Visit

    assert set(VISIT.owners) <= set(Visit.model_fields)
    assert all(VISIT.rule(name).value == "lww" for name in VISIT.owners)


# --- what it means on a day ------------------------------------------------------------------------------


def s(wall: int, node: str) -> Stamp:
    return Stamp(wall, 0, node)


TABLET, OFFICE = "0f3a9c2d4b5e6f70", "web0123"


def test_an_office_cancel_after_the_check_in_loses_the_status_and_keeps_the_reason() -> None:
    scheduled = Versioned("scheduled", s(100, OFFICE))
    checked_in = RecordState(
        {
            "status": Versioned("in_progress", s(200, TABLET), base=scheduled.stamp),
            "check_in": Versioned({"device_time": "x"}, s(200, TABLET)),
        }
    )
    # the office had not seen the check-in (its base is the scheduled value) and cancels later
    cancel = RecordState(
        {
            "status": Versioned("cancelled", s(300, OFFICE), base=scheduled.stamp),
            "cancel_reason": Versioned("Client in hospital", s(300, OFFICE), base=s(100, OFFICE)),
        }
    )
    for a, b in itertools.permutations((checked_in, cancel)):
        result = merge("visit", a, b)
        values = result.state.values()
        assert values["status"] == "in_progress" and values["check_in"] == {"device_time": "x"}
        assert values["cancel_reason"] == "Client in hospital"
        [conflict] = result.conflicts
        assert (conflict.field, conflict.lost.value, conflict.reason) == (
            "status",
            "cancelled",
            LossReason.CONFLICT,
        )


def test_a_visit_made_on_a_tablet_is_still_the_offices_to_cancel_until_the_worker_acts() -> None:
    made_on_tablet = RecordState({"status": Versioned("scheduled", s(100, TABLET))})
    cancel = RecordState({"status": Versioned("cancelled", s(300, OFFICE), base=s(100, TABLET))})
    result = merge("visit", made_on_tablet, cancel)
    assert result.state.values()["status"] == "cancelled" and result.conflicts == ()
    done = RecordState({"status": Versioned("completed", s(50, TABLET), base=s(10, OFFICE))})
    assert merge("visit", done, cancel).state.values()["status"] == "completed"
    undone = RecordState({"status": Versioned("scheduled", s(400, TABLET), base=s(200, TABLET))})
    missed = RecordState({"status": Versioned("missed", s(200, TABLET), base=s(100, TABLET))})
    result = merge_all("visit", [missed, cancel, undone])
    assert result.state.values()["status"] == "scheduled", "the worker's undo of 'missed' still counts"


def test_a_cancel_of_a_visit_nobody_started_wins() -> None:
    created = RecordState({"status": Versioned("scheduled", s(100, OFFICE))})
    cancel = RecordState({"status": Versioned("cancelled", s(300, OFFICE), base=s(100, OFFICE))})
    result = merge("visit", created, cancel)
    assert result.state.values()["status"] == "cancelled" and result.conflicts == ()


def test_a_tablet_edit_of_the_schedule_loses_to_the_office_even_when_later() -> None:
    office = RecordState({"scheduled_start": Versioned("2026-12-03T15:30:00Z", s(100, OFFICE))})
    tablet = RecordState(
        {"scheduled_start": Versioned("2026-12-03T14:00:00Z", s(900, TABLET), base=s(100, OFFICE))}
    )
    result = merge("visit", tablet, office)
    assert result.state.values()["scheduled_start"] == "2026-12-03T15:30:00Z"
    [conflict] = result.conflicts
    assert conflict.lost.stamp.node == TABLET and conflict.reason is LossReason.CONFLICT


def test_the_office_moving_a_visit_twice_keeps_the_later_time_as_before() -> None:
    first = Versioned("2026-12-03T15:00:00Z", s(100, OFFICE))
    second = Versioned("2026-12-03T15:30:00Z", s(200, "server0"), base=first.stamp)
    result = merge("visit", RecordState({"scheduled_start": first}), RecordState({"scheduled_start": second}))
    assert result.state.values()["scheduled_start"] == "2026-12-03T15:30:00Z" and result.conflicts == ()
