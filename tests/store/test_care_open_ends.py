"""Care documentation's open ends in the tablet store (decision 0034): tasks left open at check-out become
the exception ``tasks_not_completed`` naming them, and a later tap brings it in line; an outcome, a
medication or an attachment recorded by mistake is marked entered in error with a reason (the record stays,
audited), an outcome even after signing without breaking the signature; large files hold only their own
record back from the push."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from fieldapp.domain.attachments import Attachment, Source
from fieldapp.domain.attestation import still_attests
from fieldapp.domain.care import CareTask, Outcome, TaskOutcome, outcome_id
from fieldapp.domain.entities import Observation, Signature, Visit, VisitException, VisitNote
from fieldapp.domain.errors import DomainError, ValidationError
from fieldapp.domain.exceptions import ExceptionCode, ExceptionState
from fieldapp.domain.medications import Medication
from fieldapp.domain.values import Location, LocationKind
from fieldapp.store import attachments, audit, care, exceptions, files, outbox, repo, workflows
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.store.models import AuditRow
from tests import factories as f
from tests.store.test_care import _sign


def _tap(store: LocalStore, v: Visit, task: CareTask, outcome: Outcome | None = Outcome.DONE) -> None:
    with store.unit_of_work() as s:
        exceptions.checklist_tap(s, store.clock, (v.id, task.id, outcome))


def _check_out(store: LocalStore, v: Visit) -> None:
    with store.unit_of_work() as s:
        workflows.check_in(s, store.clock, v.id, Location(kind=LocationKind.HOME))
        workflows.check_out(s, store.clock, v.id)
        exceptions.reconcile(s, store.clock, v.id)


def _tasks_exception(store: LocalStore, v: Visit) -> VisitException | None:
    with store.read() as s:
        found = [e for e in exceptions.for_visit(s, v.id) if e.code is ExceptionCode.TASKS_NOT_COMPLETED]
    return found[0] if found else None


def test_tasks_left_open_at_check_out_become_an_exception_naming_them(
    store: LocalStore, visit_with_tasks: tuple[Visit, list[CareTask]]
) -> None:
    v, tasks = visit_with_tasks
    _tap(store, v, tasks[0])
    assert _tasks_exception(store, v) is None, "nothing is flagged before check-out"
    _check_out(store, v)
    found = _tasks_exception(store, v)
    assert found is not None and found.state is ExceptionState.OPEN
    assert found.tasks == ("Meal preparation",), "the as-needed task and the Monday task are not open"
    assert found.detail == "1 task left open: Meal preparation"
    with store.read() as s:
        queued = [e for e in outbox.pending(s, 500) if e.entity == "visit_exception"]
    assert any(e.changes["tasks"].value == ["Meal preparation"] for e in queued), "it syncs like the others"


def test_a_tap_after_check_out_withdraws_the_exception_and_undoing_it_reopens_it(
    store: LocalStore, visit_with_tasks: tuple[Visit, list[CareTask]]
) -> None:
    v, tasks = visit_with_tasks
    _check_out(store, v)
    first = _tasks_exception(store, v)
    assert first is not None and first.tasks == ("Bathing", "Meal preparation")
    for task in tasks[:2]:
        _tap(store, v, task)
    closed = _tasks_exception(store, v)
    assert closed is not None and closed.state is ExceptionState.WITHDRAWN
    _tap(store, v, tasks[1], None)
    reopened = _tasks_exception(store, v)
    assert reopened is not None and reopened.id == first.id and reopened.state is ExceptionState.OPEN
    assert reopened.tasks == ("Meal preparation",)


def _audited(store: LocalStore, entity: str) -> list[str]:
    with store.read() as s:
        return list(s.scalars(sa.select(AuditRow.detail).where(AuditRow.entity == entity)))


def test_a_medication_entered_in_error_stays_with_its_reason_and_is_audited(store: LocalStore) -> None:
    p = f.patient()
    med = f.medication(p.id)
    with store.unit_of_work() as s:
        for record in (p, med):
            repo.add(s, store.clock, record)
    with pytest.raises(ValidationError, match="entered in error"), store.unit_of_work() as s:
        care.mark_in_error(s, store.clock, Medication, med.id, "   ")
    with store.unit_of_work() as s:
        change = care.mark_in_error(s, store.clock, Medication, med.id, "Wrong patient's list")
        audit.record_changes(s, "nurse", [change], store.clock)
    with store.read() as s:
        listed = care.patient_medications(s, p.id)
    assert [(m.id, m.entered_in_error, m.error_reason) for m in listed] == [
        (med.id, True, "Wrong patient's list")
    ]
    assert any("error_reason" in detail for detail in _audited(store, "medication"))
    with pytest.raises(DomainError, match="already"), store.unit_of_work() as s:
        care.mark_in_error(s, store.clock, Medication, med.id, "again")


def test_an_outcome_marked_in_error_after_signing_keeps_the_signature_intact(
    store: LocalStore, visit_with_tasks: tuple[Visit, list[CareTask]]
) -> None:
    v, tasks = visit_with_tasks
    _tap(store, v, tasks[0])
    _sign(store, v)
    record_id = outcome_id(v.id, tasks[0].id)
    with store.unit_of_work() as s:
        care.mark_in_error(
            s, store.clock, TaskOutcome, record_id, "The aide did not bathe her; I tapped the wrong row"
        )
    with store.read() as s:
        visit = repo.get(s, Visit, v.id)
        assert visit is not None and visit.signature_id is not None
        signature = repo.get(s, Signature, visit.signature_id)
        outcomes = repo.list_for_visit(s, TaskOutcome, v.id)
        notes, vitals = repo.list_for_visit(s, VisitNote, v.id), repo.list_for_visit(s, Observation, v.id)
        lines = care.visit_checklist(s, visit)
    assert signature is not None and outcomes[0].entered_in_error
    assert still_attests(visit, notes, vitals, signature.signed_at, signature.content_sha256, outcomes)
    assert lines[0].is_open, "an outcome entered in error is no outcome"
    changed = outcomes[0].model_copy(update={"outcome": Outcome.NOT_NEEDED})
    assert not still_attests(visit, notes, vitals, signature.signed_at, signature.content_sha256, [changed])


def _photo(size: int, seed: int = 3) -> bytes:
    return b"\xff\xd8\xff\xe0" + bytes((seed + i) % 251 for i in range(size - 4))


def test_an_attachment_entered_in_error_keeps_its_file_and_a_tap_on_a_marked_outcome_replaces_it(
    store: LocalStore, blobs: BlobStore, visit_with_tasks: tuple[Visit, list[CareTask]]
) -> None:
    v, tasks = visit_with_tasks
    with store.unit_of_work() as s:
        _, record = attachments.attach(
            s, store.clock, blobs, _photo(5000), patient_id=v.patient_id, visit_id=v.id,
            taken_at=datetime.now(UTC), source=Source.CAMERA, thumbnail=(_photo(500, 9), 24, 18),
        )  # fmt: skip
        care.record_outcome(s, store.clock, v.id, tasks[0].id, Outcome.DONE)
    assert record.thumbnail_sha256 is not None and blobs.has(record.thumbnail_sha256)
    with store.unit_of_work() as s:
        care.mark_in_error(s, store.clock, Attachment, record.id, "Photo of the wrong wound")
        care.mark_in_error(s, store.clock, TaskOutcome, outcome_id(v.id, tasks[0].id), "Wrong row")
        care.record_outcome(s, store.clock, v.id, tasks[0].id, Outcome.NOT_NEEDED)
    with store.read() as s:
        shown = attachments.gallery(s, v.patient_id)
        outcome = repo.get(s, TaskOutcome, outcome_id(v.id, tasks[0].id))
    assert (
        shown[0].attachment.entered_in_error
        and shown[0].attachment.error_reason == "Photo of the wrong wound"
    )
    assert blobs.has(record.sha256), "the file stays: it may be evidence"
    assert outcome is not None and not outcome.entered_in_error and outcome.outcome is Outcome.NOT_NEEDED


def test_a_large_file_holds_back_only_its_own_record_until_it_is_uploaded(
    store: LocalStore, blobs: BlobStore
) -> None:
    p = f.patient()
    with store.unit_of_work() as s:
        repo.add(s, store.clock, p)
        _, big = attachments.attach(
            s, store.clock, blobs, _photo(files.BACKGROUND_FROM), patient_id=p.id, visit_id=None,
            taken_at=datetime.now(UTC),
        )  # fmt: skip
        attachments.attach(
            s, store.clock, blobs, _photo(1000), patient_id=p.id, visit_id=None, taken_at=datetime.now(UTC)
        )
        care.add_medication(s, store.clock, p.id, {"name": "Furosemide"})
    with store.read() as s:
        held = files.held_back(s)
        waiting = files.waiting_uploads(s)
        sent = {e.entity for e in outbox.pending(s, 500, held)}
    assert held == {big.id} and [w.sha256 for w in waiting] == [big.sha256]
    assert sent == {"patient", "attachment", "medication"}, "the small photo and the rest go at once"
    with store.unit_of_work() as s:
        files.mark_uploaded(s, big.sha256, datetime.now(UTC))
    with store.read() as s:
        assert files.held_back(s) == set() and files.waiting_uploads(s) == []
