"""Plan-of-care tasks, outcomes, medications and attachments as domain records."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from fieldapp.domain.attachments import Attachment, problem
from fieldapp.domain.attestation import attested_content, content_digest, still_attests
from fieldapp.domain.care import (
    CareTask,
    Frequency,
    Outcome,
    TaskOutcome,
    checklist,
    open_tasks,
    outcome_id,
)
from fieldapp.domain.entities import parse
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.medications import Medication
from tests import factories as f

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
PATIENT = uuid.UUID("00000000-0000-4000-8000-0000000000b1")


def _outcome(visit_id: uuid.UUID, task: CareTask, outcome: Outcome | None, **extra: object) -> TaskOutcome:
    return TaskOutcome(
        id=outcome_id(visit_id, task.id),
        visit_id=visit_id,
        patient_id=task.patient_id,
        task_id=task.id,
        code=task.code,
        title=task.label,
        outcome=outcome,
        recorded_at=NOW,
        **extra,
    )


def test_a_task_is_a_catalogue_duty_or_a_titled_free_task() -> None:
    assert f.care_task(PATIENT).label == "Bathing"
    assert f.care_task(PATIENT, code="adl-feed").code == "ADL-FEED"
    assert f.care_task(PATIENT, code=None, title="Feed the cat").label == "Feed the cat"
    with pytest.raises(ValueError, match="unknown duty code"):
        f.care_task(PATIENT, code="ADL-JUGGLE")
    with pytest.raises(ValueError, match="free task needs a title"):
        f.care_task(PATIENT, code=None)


def test_weekdays_are_given_exactly_for_weekday_tasks() -> None:
    task = f.care_task(PATIENT, frequency=Frequency.WEEKDAYS, weekdays=(0, 2, 4))
    assert task.schedule_words == "Mon, Wed, Fri"
    assert task.due_on(date(2026, 11, 30)) and not task.due_on(date(2026, 12, 1))
    with pytest.raises(ValueError, match="on which weekdays"):
        f.care_task(PATIENT, frequency=Frequency.WEEKDAYS)
    with pytest.raises(ValueError, match="only for a task due"):
        f.care_task(PATIENT, weekdays=(1,))
    with pytest.raises(ValueError, match="once"):
        f.care_task(PATIENT, frequency=Frequency.WEEKDAYS, weekdays=(1, 1))
    assert not f.care_task(PATIENT, active=False).due_on(date(2026, 11, 30))


def test_an_outcome_id_follows_from_visit_and_task_and_reasons_are_asked_where_needed() -> None:
    visit_id, task = uuid.uuid4(), f.care_task(PATIENT)
    assert outcome_id(visit_id, task.id) == outcome_id(visit_id, task.id) != outcome_id(uuid.uuid4(), task.id)
    assert _outcome(visit_id, task, Outcome.DONE).outcome is Outcome.DONE
    assert _outcome(visit_id, task, Outcome.NOT_NEEDED).reason == ""
    for needing in (Outcome.REFUSED, Outcome.COULD_NOT_DO):
        with pytest.raises(ValueError, match="needs a reason"):
            _outcome(visit_id, task, needing)
        assert _outcome(visit_id, task, needing, reason="asleep").reason == "asleep"
    with pytest.raises(ValueError, match="follows from its visit"):
        TaskOutcome(visit_id=visit_id, patient_id=PATIENT, task_id=task.id, recorded_at=NOW)


def test_the_checklist_keeps_a_recorded_task_that_is_no_longer_due_and_flags_open_ones() -> None:
    visit_id = uuid.uuid4()
    bath = f.care_task(PATIENT, position=2)
    laundry = f.care_task(
        PATIENT, code="IADL-LAUNDRY", frequency=Frequency.WEEKDAYS, weekdays=(0,), position=1
    )
    meal = f.care_task(PATIENT, code="IADL-MEAL", position=3)
    thursday = date(2026, 11, 26)
    lines = checklist([meal, laundry, bath], [_outcome(visit_id, laundry, Outcome.DONE)], thursday)
    assert [line.task.id for line in lines] == [laundry.id, bath.id, meal.id]
    assert open_tasks(lines) == [bath, meal]


def test_outcomes_enter_the_attested_content_and_a_visit_without_them_keeps_its_old_digest() -> None:
    p = f.patient()
    v = f.visit(p.id)
    task = f.care_task(p.id)
    before = content_digest(v, [], [])
    assert "tasks" not in attested_content(v, [], [], [_outcome(v.id, task, None)]), (
        "an undone tap attests nothing"
    )
    assert content_digest(v, [], [], [_outcome(v.id, task, None)]) == before
    done = _outcome(v.id, task, Outcome.DONE)
    content = attested_content(v, [], [], [done])
    assert content["tasks"][0]["outcome"] == "done" and content["tasks"][0]["title"] == "Bathing"
    signed = content_digest(v, [], [], [done])
    assert signed != before
    assert still_attests(v, [], [], NOW, signed, [done])
    refused = _outcome(v.id, task, Outcome.REFUSED, reason="asleep")
    assert not still_attests(v, [], [], NOW, signed, [refused]), "a changed outcome breaks the signature"


def test_medication_dates_in_order_and_a_summary_line() -> None:
    med = f.medication(PATIENT)
    assert med.summary == "Furosemide 40 mg, 1 tablet oral, once a day, morning"
    with pytest.raises(ValidationError, match="stop date"):
        parse(Medication, {**med.model_dump(), "stop_date": date(2026, 1, 1)})
    with pytest.raises(ValidationError, match="written as a date"):
        parse(Medication, {**med.model_dump(), "start_date": 20261001})


def test_attachment_types_are_told_from_the_bytes_with_limits_per_type() -> None:
    assert problem(b"\xff\xd8\xff\xe0rest", 3_000_000) is None
    assert problem(b"%PDF-1.7", 3_000_000) is None
    assert "none of them" in (problem(b"GIF89a..", 100) or "")
    assert "at most 20 MB" in (problem(b"\x89PNG\r\n\x1a\n", 21 * 1024 * 1024) or "")
    assert problem(b"", 0) == "the file is empty"
    values = dict(
        patient_id=PATIENT, sha256="a" * 64, media_type="application/pdf", byte_size=10, taken_at=NOW
    )
    assert Attachment(**values).kind.words == "PDF document"
    with pytest.raises(ValueError, match="camera makes photos"):
        Attachment(**values, source="camera")
    with pytest.raises(ValueError, match="media type"):
        Attachment(**{**values, "media_type": "text/html"})
