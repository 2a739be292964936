"""Care documentation in the tablet store: the checklist's taps, the lock of a signed visit, medications
merged field by field with the office's edits, allergies and diagnoses as structured lists."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from fieldapp.domain.attestation import content_digest
from fieldapp.domain.care import Outcome, TaskOutcome, outcome_id
from fieldapp.domain.clock import HybridClock
from fieldapp.domain.entities import Observation, Patient, Signature, Visit, VisitNote
from fieldapp.domain.errors import DomainError, ImmutableError, ValidationError
from fieldapp.domain.exceptions import ExceptionReason
from fieldapp.domain.medications import Medication, MedicationStatus
from fieldapp.domain.merge import RecordState, Versioned
from fieldapp.domain.values import Allergy, AllergySeverity, Diagnosis, Location, LocationKind, SignerRole
from fieldapp.store import care, outbox, replica, repo, workflows
from fieldapp.store.local import LocalStore
from tests import factories as f

OFFICE = HybridClock("office1")


def test_the_checklist_holds_the_tasks_due_that_day_in_plan_order(store, visit_with_tasks) -> None:
    v, _ = visit_with_tasks
    with store.read() as s:
        lines = care.visit_checklist(s, v)
    assert [line.task.label for line in lines] == ["Bathing", "Meal preparation", "Water the plants"]
    assert [line.is_open for line in lines] == [True, True, False], "as-needed tasks never wait"


def test_each_tap_is_saved_with_its_outbox_entry_and_the_next_tap_updates_it(store, visit_with_tasks) -> None:
    v, tasks = visit_with_tasks
    with store.read() as s:
        before = outbox.pending_count(s)
    with store.unit_of_work() as s:
        care.record_outcome(s, store.clock, v.id, tasks[0].id, Outcome.DONE)
    with store.unit_of_work() as s:
        care.record_outcome(
            s, store.clock, v.id, tasks[0].id, Outcome.REFUSED, reason="Too tired", note="Try PM"
        )
    with store.read() as s:
        [outcome] = care.visit_outcomes(s, v.id)
        entries = outbox.pending(s)[before:]
    assert outcome.id == outcome_id(v.id, tasks[0].id)
    assert (outcome.outcome, outcome.reason, outcome.note, outcome.title) == (
        Outcome.REFUSED,
        "Too tired",
        "Try PM",
        "Bathing",
    )
    assert [e.entity for e in entries] == ["task_outcome", "task_outcome"]
    assert set(entries[1].changes) == {"outcome", "reason", "note", "recorded_at"}


def test_an_outcome_that_asks_for_a_reason_is_refused_without_one_and_nothing_is_saved(
    store, visit_with_tasks
) -> None:
    v, tasks = visit_with_tasks
    with store.read() as s:
        before = outbox.pending_count(s)
    with pytest.raises(ValidationError, match="needs a reason"), store.unit_of_work() as s:
        care.record_outcome(s, store.clock, v.id, tasks[1].id, Outcome.COULD_NOT_DO)
    with store.read() as s:
        assert care.visit_outcomes(s, v.id) == [] and outbox.pending_count(s) == before


def test_a_task_of_another_patient_is_refused(store, visit_with_tasks) -> None:
    v, _ = visit_with_tasks
    other = f.patient()
    task = f.care_task(other.id)
    with store.unit_of_work() as s:
        repo.add(s, store.clock, other)
        repo.add(s, store.clock, task)
    with pytest.raises(DomainError, match="plan of care"), store.unit_of_work() as s:
        care.record_outcome(s, store.clock, v.id, task.id, Outcome.DONE)


def test_undoing_a_tap_leaves_the_task_open_again(store, visit_with_tasks) -> None:
    v, tasks = visit_with_tasks
    with store.unit_of_work() as s:
        care.record_outcome(s, store.clock, v.id, tasks[0].id, Outcome.REFUSED, reason="asleep")
        care.record_outcome(s, store.clock, v.id, tasks[0].id, None)
    with store.read() as s:
        lines = care.visit_checklist(s, v)
    assert lines[0].is_open and lines[0].outcome is not None and lines[0].outcome.reason == ""


def _sign(store: LocalStore, v: Visit) -> None:
    with store.unit_of_work() as s:
        workflows.check_in(s, store.clock, v.id, Location(kind=LocationKind.HOME))
        workflows.check_out(s, store.clock, v.id)
        workflows.sign(
            s,
            store.clock,
            v.id,
            strokes=[],
            image_sha256=None,
            signer_name="Zoë Núñez",
            signer_role=SignerRole.PATIENT,
            meaning="I confirm the visit.",
            unable_reason="Hand injury",
        )


def test_the_signature_attests_the_outcomes_and_locks_them(store, visit_with_tasks) -> None:
    v, tasks = visit_with_tasks
    with store.unit_of_work() as s:
        care.record_outcome(s, store.clock, v.id, tasks[0].id, Outcome.DONE)
    _sign(store, v)
    with store.read() as s:
        visit = repo.get(s, Visit, v.id)
        assert visit is not None and visit.signature_id is not None
        signature = repo.get(s, Signature, visit.signature_id)
        notes = repo.list_for_visit(s, VisitNote, v.id)
        vitals = repo.list_for_visit(s, Observation, v.id)
        outcomes = repo.list_for_visit(s, TaskOutcome, v.id)
    assert signature is not None
    assert content_digest(visit, notes, vitals, outcomes) == signature.content_sha256
    assert content_digest(visit, notes, vitals) != signature.content_sha256, "the outcomes are attested"
    with pytest.raises(ImmutableError, match="signed"), store.unit_of_work() as s:
        care.record_outcome(s, store.clock, v.id, tasks[0].id, Outcome.NOT_NEEDED)
    with pytest.raises(ImmutableError, match="signed"), store.unit_of_work() as s:
        care.record_outcome(s, store.clock, v.id, tasks[1].id, Outcome.DONE)


def test_a_missed_visit_records_no_tasks(store, visit_with_tasks) -> None:
    v, tasks = visit_with_tasks
    with store.unit_of_work() as s:
        workflows.mark_missed(s, store.clock, v.id, ExceptionReason.CLIENT_NOT_HOME)
    with pytest.raises(DomainError, match="did not take place"), store.unit_of_work() as s:
        care.record_outcome(s, store.clock, v.id, tasks[0].id, Outcome.DONE)


# -- medications ------------------------------------------------------------------------------------------


def _office_state(record: Patient | Medication) -> RecordState:
    stamp = OFFICE.now()
    return RecordState(
        {k: Versioned(v, stamp) for k, v in record.model_dump(mode="json").items() if k != "id"}
    )


def _remote_edit(
    record_id: uuid.UUID, entity: str, base: RecordState, changes: dict[str, object]
) -> replica.RemoteRecord:
    stamp = OFFICE.now()
    fields = dict(base.fields)
    for name, value in changes.items():
        fields[name] = Versioned(value, stamp, base.fields[name].stamp)
    return replica.RemoteRecord(entity, record_id, RecordState(fields), seq=2)


def test_the_nurses_offline_edit_and_the_offices_edit_of_other_fields_both_survive(store: LocalStore) -> None:
    p = f.patient()
    med = f.medication(p.id)
    office_state = _office_state(med)
    with store.unit_of_work() as s:  # both made by the office, pulled
        replica.apply_remote(
            s,
            store.clock,
            [
                replica.RemoteRecord("patient", p.id, _office_state(p), 1),
                replica.RemoteRecord("medication", med.id, office_state, 1),
            ],
        )
    with store.unit_of_work() as s:  # the nurse, offline
        care.edit_medication(s, store.clock, med.id, {"dose": "2 tablets"})
    office = _remote_edit(med.id, "medication", office_state, {"prescriber": "Dr. Lee Chen"})
    with store.unit_of_work() as s:
        applied = replica.apply_remote(s, store.clock, [office])
    with store.read() as s:
        merged = repo.get(s, Medication, med.id)
    assert merged is not None and (merged.dose, merged.prescriber) == ("2 tablets", "Dr. Lee Chen")
    assert applied.conflicts == 0


def test_medications_list_active_first_and_discontinue_keeps_the_record(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        care.add_medication(s, store.clock, p.id, {"name": "Warfarin", "strength": "5 mg"})
        care.add_medication(s, store.clock, p.id, {"name": "Aspirin", "strength": "81 mg"})
    with store.read() as s:
        aspirin = care.patient_medications(s, p.id)[0]
    with store.unit_of_work() as s:
        care.discontinue(s, store.clock, aspirin.id, date(2026, 11, 30))
    with store.read() as s:
        meds = care.patient_medications(s, p.id)
    assert [(m.name, m.status) for m in meds] == [
        ("Warfarin", MedicationStatus.ACTIVE),
        ("Aspirin", MedicationStatus.DISCONTINUED),
    ]
    with pytest.raises(ImmutableError), store.unit_of_work() as s:
        repo.delete(s, store.clock, Medication, aspirin.id)


def test_a_medication_stopping_before_it_starts_is_refused(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
    with pytest.raises(ValidationError, match="stop date"), store.unit_of_work() as s:
        care.add_medication(
            s, store.clock, p.id, {"name": "X", "start_date": date(2026, 5, 2), "stop_date": date(2026, 5, 1)}
        )


def test_allergies_and_diagnoses_are_saved_as_structured_lists(store: LocalStore) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        care.set_allergies(s, store.clock, p.id, [Allergy(substance="Latex", severity=AllergySeverity.MILD)])
        care.set_diagnoses(s, store.clock, p.id, [Diagnosis(code="e11.9", description="Type 2 diabetes")])
    with store.read() as s:
        saved = repo.get(s, Patient, p.id)
        [a, b] = outbox.pending(s)[-2:]
    assert (
        saved is not None and saved.allergies[0].substance == "Latex" and saved.diagnoses[0].code == "E11.9"
    )
    assert set(a.changes) == {"allergies"} and set(b.changes) == {"diagnoses"}
