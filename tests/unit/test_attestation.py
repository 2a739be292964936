"""The content a signature attests and its digest (fieldapp.domain.attestation)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain.attestation import ATTESTED_VISIT_FIELDS, attested_content, content_digest
from fieldapp.domain.entities import Observation, Visit, VisitNote, parse
from fieldapp.domain.merge import canonical
from tests.unit import examples as ex

OTHER_VISIT_ID = uuid.UUID("00000000-0000-4000-8000-0000000000ff")

# Computed once from the records below; if this changes, every signature ever made stops verifying.
# Only change it together with ATTESTATION_VERSION and a migration for existing signatures.
PINNED_DIGEST = "31f75772656d992ba11d7b7f31376b7630d57f539babd13798c38142137dbd37"


def the_visit(**changes: Any) -> Visit:
    return parse(Visit, ex.completed_visit(**changes))


def the_notes() -> list[VisitNote]:
    return [
        parse(VisitNote, ex.note()),
        parse(
            VisitNote,
            ex.note(
                id=str(uuid.UUID(int=0x31)),
                text="Wound dressed; no redness.",
                written_at="2026-11-26T09:45:00Z",
            ),
        ),
        # Written at the same moment as the first: ordered by id.
        parse(
            VisitNote,
            ex.note(
                id=str(uuid.UUID(int=0x32)),
                text="BP recheck after rest.",
                written_at="2026-11-26T09:30:00Z",
                amends=str(ex.NOTE_ID),
            ),
        ),
    ]


def the_observations() -> list[Observation]:
    return [
        parse(Observation, ex.observation()),
        parse(
            Observation,
            ex.observation(id=str(uuid.UUID(int=0x41)), kind="systolic_bp", unit="mmHg", value=132),
        ),
        parse(
            Observation,
            ex.observation(
                id=str(uuid.UUID(int=0x42)),
                kind="temperature",
                unit="Cel",
                value=37.2,
                observed_at="2026-11-26T09:12:00Z",
            ),
        ),
    ]


def other_visit_records() -> tuple[list[VisitNote], list[Observation]]:
    notes = [
        parse(
            VisitNote,
            ex.note(
                id=str(uuid.UUID(int=0x51)), visit_id=str(OTHER_VISIT_ID), text="Different patient entirely."
            ),
        )
    ]
    observations = [
        parse(
            Observation, ex.observation(id=str(uuid.UUID(int=0x52)), visit_id=str(OTHER_VISIT_ID), value=110)
        )
    ]
    return notes, observations


def digest(
    visit: Visit | None = None,
    notes: list[VisitNote] | None = None,
    observations: list[Observation] | None = None,
) -> str:
    return content_digest(
        visit or the_visit(),
        the_notes() if notes is None else notes,
        the_observations() if observations is None else observations,
    )


BASELINE = digest()


# --- stability ---------------------------------------------------------------------------------------------


def test_the_digest_of_a_fixed_example_is_pinned():
    assert BASELINE == PINNED_DIGEST


def test_the_same_content_gives_the_same_digest():
    assert digest() == digest() == BASELINE
    # Records parsed afresh from the same wire data (as on the server, or by an auditor) agree.
    visit, notes, observations = the_visit(), the_notes(), the_observations()
    again = [parse(type(r), r.model_dump(mode="json")) for r in [visit, *notes, *observations]]
    assert content_digest(again[0], again[1:4], again[4:]) == BASELINE


def test_the_digest_is_the_sha256_of_the_canonical_content():
    content = attested_content(the_visit(), the_notes(), the_observations())
    assert hashlib.sha256(canonical(content)).hexdigest() == BASELINE
    assert len(BASELINE) == 64
    assert set(BASELINE) <= set("0123456789abcdef")
    assert content["version"] == 1
    assert list(content["visit"]) == ["id", *ATTESTED_VISIT_FIELDS]
    # By time, then by id as text ("00000000-0000-0000-..." sorts before "00000000-0000-4000-...").
    assert [n["text"] for n in content["notes"]] == [
        "BP recheck after rest.",
        "Patient alert, ambulating with walker. 患者は元気です。",
        "Wound dressed; no redness.",
    ]
    assert [o["kind"] for o in content["observations"]] == ["systolic_bp", "heart_rate", "temperature"]
    # Which visit and patient a note belongs to is already attested by the visit part.
    assert all(set(n) == {"id", "author_id", "text", "written_at", "amends"} for n in content["notes"])
    assert all("visit_id" not in o and "patient_id" not in o for o in content["observations"])


def test_the_same_instant_in_another_time_zone_gives_the_same_digest():
    shifted = the_visit(
        scheduled_start="2026-11-26T04:00:00-05:00",
        scheduled_end="2026-11-26T15:30:00+05:30",
    )
    assert shifted.scheduled_start == the_visit().scheduled_start
    assert digest(visit=shifted) == BASELINE


# --- what the digest covers --------------------------------------------------------------------------------

LATER = "2026-11-26T09:20:00Z"
VISIT_CHANGES: dict[str, Any] = {
    "patient_id": str(uuid.UUID(int=0x99)),
    "worker_id": str(uuid.UUID(int=0x98)),
    "service_code": "T1019",
    "scheduled_start": "2026-11-26T08:59:00Z",
    "scheduled_end": "2026-11-26T10:01:00Z",
    "check_in": ex.check_in(at="2026-11-26T09:03:00Z"),
    "check_out": ex.check_out(at="2026-11-26T09:57:00Z"),
    "check_in_correction": {
        "corrected_time": "2026-11-26T09:00:00Z",
        "reason": "device_failure",
        "corrected_at": "2026-11-26T12:00:00Z",
    },
    "check_out_correction": {
        "corrected_time": "2026-11-26T10:00:00Z",
        "reason": "forgot_check_out",
        "corrected_at": "2026-11-26T12:00:00Z",
    },
}


def test_every_attested_visit_field_has_a_change_below():
    assert set(VISIT_CHANGES) == set(ATTESTED_VISIT_FIELDS)


@pytest.mark.parametrize("name", ATTESTED_VISIT_FIELDS)
def test_changing_an_attested_visit_field_changes_the_digest(name):
    changed = the_visit(**{name: VISIT_CHANGES[name]})
    assert getattr(changed, name) != getattr(the_visit(), name)
    assert digest(visit=changed) != BASELINE


@pytest.mark.parametrize(
    "location",
    [
        {"kind": "gps", "latitude": 41.7852, "longitude": -73.6942, "accuracy_m": 12.5},
        {"kind": "gps", "latitude": 41.7851, "longitude": -73.6942, "accuracy_m": 30},
        {"kind": "home"},
        None,
    ],
)
def test_changing_the_check_in_location_changes_the_digest(location):
    changed = the_visit(check_in={**ex.check_in(), "location": location})
    assert digest(visit=changed) != BASELINE


def test_a_different_visit_with_the_same_content_has_a_different_digest():
    other = the_visit(id=str(OTHER_VISIT_ID))
    notes = [n.revise(visit_id=OTHER_VISIT_ID) for n in the_notes()]
    observations = [o.revise(visit_id=OTHER_VISIT_ID) for o in the_observations()]
    assert digest(other, notes, observations) != BASELINE


@pytest.mark.parametrize("changes", [{"status": "in_progress"}, {"signature_id": str(ex.SIGNATURE_ID)}])
def test_fields_outside_the_attestation_do_not_change_the_digest(changes):
    # Completing or linking the signature to the visit must not invalidate the signature itself.
    assert digest(visit=the_visit(**changes)) == BASELINE


@pytest.mark.parametrize("index", range(3))
@pytest.mark.parametrize(
    "changes",
    [
        {"text": "Patient drowsy."},
        {"written_at": datetime(2026, 11, 26, 9, 31, tzinfo=UTC)},
        {"author_id": uuid.UUID(int=0x77)},
        {"amends": uuid.UUID(int=0x78)},
    ],
    ids=["text", "written_at", "author_id", "amends"],
)
def test_changing_any_note_changes_the_digest(index, changes):
    notes = the_notes()
    notes[index] = notes[index].revise(**changes)
    assert digest(notes=notes) != BASELINE


@pytest.mark.parametrize("index", range(3))
def test_a_one_character_change_in_any_note_changes_the_digest(index):
    notes = the_notes()
    notes[index] = notes[index].revise(text=notes[index].text + ".")
    assert digest(notes=notes) != BASELINE


@pytest.mark.parametrize("index", range(3))
def test_changing_any_observation_value_changes_the_digest(index):
    observations = the_observations()
    observations[index] = observations[index].revise(value=observations[index].value + 1)
    assert digest(observations=observations) != BASELINE


@pytest.mark.parametrize("index", range(3))
def test_a_tiny_change_in_an_observation_value_changes_the_digest(index):
    observations = the_observations()
    value = observations[index].value
    observations[index] = observations[index].revise(value=value + value * 1e-12)
    assert digest(observations=observations) != BASELINE


def test_a_temperature_in_other_units_is_other_content():
    observations = the_observations()
    observations[2] = observations[2].revise(unit="[degF]", value=99.0)
    assert digest(observations=observations) != BASELINE


@pytest.mark.parametrize("what", ["note", "observation"])
def test_adding_or_removing_a_record_changes_the_digest(what):
    if what == "note":
        assert digest(notes=the_notes()[:-1]) != BASELINE
        extra = parse(VisitNote, ex.note(id=str(uuid.UUID(int=0x60)), text="Late entry."))
        assert digest(notes=[*the_notes(), extra]) != BASELINE
    else:
        assert digest(observations=the_observations()[1:]) != BASELINE
        extra = parse(Observation, ex.observation(id=str(uuid.UUID(int=0x61)), value=80))
        assert digest(observations=[*the_observations(), extra]) != BASELINE


def test_moving_text_from_one_note_to_another_changes_the_digest():
    notes = the_notes()
    first, second = notes[0].text, notes[1].text
    notes[0], notes[1] = notes[0].revise(text=second), notes[1].revise(text=first)
    assert digest(notes=notes) != BASELINE


# --- what it does not depend on ----------------------------------------------------------------------------


@settings(deadline=None)
@given(st.permutations(range(3)), st.permutations(range(3)))
def test_the_order_records_are_given_in_does_not_matter(note_order, observation_order):
    notes, observations = the_notes(), the_observations()
    assert (
        digest(
            notes=[notes[i] for i in note_order], observations=[observations[i] for i in observation_order]
        )
        == BASELINE
    )


@settings(deadline=None)
@given(st.data())
def test_records_of_other_visits_are_ignored(data):
    other_notes, other_observations = other_visit_records()
    notes = data.draw(st.permutations([*the_notes(), *other_notes]))
    observations = data.draw(st.permutations([*the_observations(), *other_observations]))
    assert digest(notes=notes, observations=observations) == BASELINE


def test_only_records_of_other_visits_is_the_same_as_none():
    other_notes, other_observations = other_visit_records()
    assert digest(notes=other_notes, observations=other_observations) == digest(notes=[], observations=[])
    assert digest(notes=[], observations=[]) != BASELINE


@settings(deadline=None)
@given(
    times=st.lists(st.integers(0, 3), min_size=1, max_size=6),
    ids=st.lists(st.integers(1, 2**64), min_size=6, max_size=6, unique=True),
    data=st.data(),
)
def test_order_independence_holds_with_equal_timestamps(times, ids, data):
    # Notes written in the same second are ordered by id, never by arrival.
    start = datetime(2026, 11, 26, 9, tzinfo=UTC)
    notes = [
        parse(
            VisitNote,
            ex.note(
                id=str(uuid.UUID(int=ids[i])),
                text=f"note {i}",
                written_at=(start + timedelta(seconds=t)).isoformat(),
            ),
        )
        for i, t in enumerate(times)
    ]
    shuffled = data.draw(st.permutations(notes))
    assert digest(notes=shuffled) == digest(notes=notes)


def test_iterables_are_accepted():
    assert content_digest(the_visit(), iter(the_notes()), (o for o in the_observations())) == BASELINE
