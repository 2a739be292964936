"""Plan-of-care duties: the catalogue, a patient's task list, and what happened to each task at a visit.

The office keeps each patient's task list (``CareTask``): a duty from the catalogue (ADLs and IADLs as
agencies document them, plus a few skilled ones) or a free task, how often it is due (every visit, on
certain weekdays, as needed) and instructions. At a visit the worker records one ``TaskOutcome`` per task:
done, refused by the patient, not needed, or could not do (the last two with a reason where the outcome
asks for one). An outcome's id follows from its visit and task (``outcome_id``), so two taps on two
devices for the same task are one record merged field by field, never two.

The outcome keeps the task's code and title as they were at the visit: what a signature attests names
the duty even after the plan changes. See docs/decisions/0028-care-tasks-and-medications.md.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import Field, StringConstraints, model_validator

from fieldapp.domain.entities import ERROR_MARK_FIELDS, Entity, MarkableInError
from fieldapp.domain.language import QT_TRANSLATE_NOOP
from fieldapp.domain.values import LongText, ShortText, UtcDateTime


class DutyKind(StrEnum):
    """Where a duty belongs in the plan of care."""

    ADL = "adl"  # activities of daily living
    IADL = "iadl"  # instrumental activities of daily living
    SKILLED = "skilled"  # a nurse's or a therapist's task
    OTHER = "other"  # a free task the office wrote


@dataclass(frozen=True, slots=True)
class Duty:
    """One duty of the catalogue: its code, its words, its kind."""

    code: str
    words: str
    kind: DutyKind


CATALOGUE: Mapping[str, Duty] = {
    duty.code: duty
    for duty in (
        Duty("ADL-BATH", "Bathing", DutyKind.ADL),
        Duty("ADL-DRESS", "Dressing", DutyKind.ADL),
        Duty("ADL-TOILET", "Toileting", DutyKind.ADL),
        Duty("ADL-TRANSFER", "Transferring", DutyKind.ADL),
        Duty("ADL-CONTINENCE", "Continence care", DutyKind.ADL),
        Duty("ADL-FEED", "Feeding", DutyKind.ADL),
        Duty("ADL-GROOM", "Grooming and oral care", DutyKind.ADL),
        Duty("ADL-AMBULATE", "Walking and mobility", DutyKind.ADL),
        Duty("IADL-MEAL", "Meal preparation", DutyKind.IADL),
        Duty("IADL-HOUSE", "Light housekeeping", DutyKind.IADL),
        Duty("IADL-LAUNDRY", "Laundry", DutyKind.IADL),
        Duty("IADL-SHOP", "Shopping and errands", DutyKind.IADL),
        Duty("IADL-MEDREMIND", "Medication reminder", DutyKind.IADL),
        Duty("IADL-ESCORT", "Escort to appointments", DutyKind.IADL),
        Duty("SKL-VITALS", "Vital signs", DutyKind.SKILLED),
        Duty("SKL-MEDADMIN", "Medication administration", DutyKind.SKILLED),
        Duty("SKL-WOUND", "Wound care", DutyKind.SKILLED),
        Duty("SKL-ASSESS", "Assessment", DutyKind.SKILLED),
    )
}


def duty_words(code: str | None, title: str) -> str | None:
    """A task's name as a duty of the catalogue (its English words, for the reader's side to translate),
    or None when the office named the task itself."""
    duty = CATALOGUE.get(code or "")
    return duty.words if duty is not None and title.strip() in ("", duty.words) else None


DutyCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z\-]{3,20}$")
]
Weekday = Annotated[int, Field(ge=0, le=6)]  # Monday is 0, as date.weekday() counts
WEEKDAY_WORDS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Frequency(StrEnum):
    """How often a task is due."""

    EVERY_VISIT = "every_visit"
    WEEKDAYS = "weekdays"  # on the weekdays listed
    AS_NEEDED = "as_needed"  # shown at every visit, never flagged when left open


class CareTask(Entity):
    """One task of a patient's plan of care, kept by the office (a duty of the catalogue or a free task)."""

    entity_name: ClassVar[str] = "care_task"
    patient_id: uuid.UUID
    code: DutyCode | None = None
    title: ShortText = ""
    frequency: Frequency = Frequency.EVERY_VISIT
    weekdays: Annotated[tuple[Weekday, ...], Field(default_factory=tuple, max_length=7)]
    instructions: LongText = ""
    position: Annotated[int, Field(ge=0, le=10_000)] = 0
    active: bool = True

    @model_validator(mode="after")
    def _duty_and_days(self) -> Self:
        if self.code is not None and self.code not in CATALOGUE:
            raise ValueError(f"unknown duty code {self.code}; a free task has a title and no code")
        if self.code is None and not self.title:
            raise ValueError("a free task needs a title")
        if self.frequency is Frequency.WEEKDAYS and not self.weekdays:
            raise ValueError("say on which weekdays the task is due")
        if self.frequency is not Frequency.WEEKDAYS and self.weekdays:
            raise ValueError("weekdays are given only for a task due on certain weekdays")
        if len(set(self.weekdays)) != len(self.weekdays):
            raise ValueError("each weekday is given once")
        return self

    @property
    def label(self) -> str:
        """What the worker reads: the title, else the catalogue's words for the code."""
        if self.title:
            return self.title
        return CATALOGUE[self.code].words if self.code else ""

    @property
    def duty_words(self) -> str | None:
        """The catalogue's English words for the duty when the task is named by them (the reader's side
        translates them), None for a title the office wrote itself (shown as written)."""
        return duty_words(self.code, self.title)

    def due_on(self, day: date) -> bool:
        """Whether the task belongs on a visit of ``day`` (an as-needed task always does)."""
        if not self.active:
            return False
        if self.frequency is Frequency.WEEKDAYS:
            return day.weekday() in self.weekdays
        return True

    @property
    def schedule_words(self) -> str:
        """The frequency in words: "every visit", "Mon, Wed, Fri", "as needed"."""
        if self.frequency is Frequency.WEEKDAYS:
            return ", ".join(WEEKDAY_WORDS[d] for d in sorted(self.weekdays))
        return self.frequency.value.replace("_", " ")


class Outcome(StrEnum):
    """What happened to a task at a visit."""

    DONE = "done"
    REFUSED = "refused"  # the patient refused
    NOT_NEEDED = "not_needed"
    COULD_NOT_DO = "could_not_do"


NEEDS_REASON: frozenset[Outcome] = frozenset({Outcome.REFUSED, Outcome.COULD_NOT_DO})
OUTCOME_WORDS: Mapping[Outcome, str] = {
    Outcome.DONE: "Done",
    Outcome.REFUSED: "Patient refused",
    Outcome.NOT_NEEDED: "Not needed",
    Outcome.COULD_NOT_DO: "Could not do",
}
# What an outcome without its reason is told (one sentence each, marked for the translators).
REASON_ASKED: Mapping[Outcome, str] = {
    Outcome.REFUSED: QT_TRANSLATE_NOOP("Messages", "say why: patient refused needs a reason"),
    Outcome.COULD_NOT_DO: QT_TRANSLATE_NOOP("Messages", "say why: could not do needs a reason"),
}
_OUTCOME_NAMESPACE = uuid.UUID("6b0d3a1e-1f52-4a43-9a53-5b1f3c6ad019")


def outcome_id(visit_id: uuid.UUID, task_id: uuid.UUID) -> uuid.UUID:
    """The one id of a task's outcome at a visit, the same on every device."""
    return uuid.uuid5(_OUTCOME_NAMESPACE, f"{visit_id}/{task_id}")


class TaskOutcome(MarkableInError):
    """What the worker recorded for one task at one visit; ``outcome`` None means the tap was undone.
    A wrong outcome is marked entered in error (even after signing: the mark is not attested content)."""

    entity_name: ClassVar[str] = "task_outcome"
    visit_id: uuid.UUID
    patient_id: uuid.UUID
    task_id: uuid.UUID
    code: DutyCode | None = None  # the task's code and title as they were at the visit
    title: ShortText = ""
    outcome: Outcome | None = None
    reason: ShortText = ""
    note: ShortText = ""
    recorded_at: UtcDateTime

    @model_validator(mode="after")
    def _reason_where_asked(self) -> Self:
        if self.id != outcome_id(self.visit_id, self.task_id):
            raise ValueError("a task outcome's id follows from its visit and task")
        if self.outcome in NEEDS_REASON and not self.reason:
            raise ValueError(REASON_ASKED[self.outcome])
        return self


def changes_what_was_recorded(fields: Iterable[str]) -> bool:
    """Whether changing ``fields`` of an outcome changes what was recorded, not only its entered-in-error
    mark (which may be set even after signing: it is no part of the attested content)."""
    return not set(fields) <= set(ERROR_MARK_FIELDS)


@dataclass(frozen=True, slots=True)
class ChecklistLine:
    """One line of a visit's checklist: the task and what was recorded for it (None: nothing yet)."""

    task: CareTask
    outcome: TaskOutcome | None

    @property
    def is_open(self) -> bool:
        """Whether the task still waits for an outcome (an as-needed task never waits; an outcome entered in
        error is no outcome)."""
        if self.task.frequency is Frequency.AS_NEEDED:
            return False
        return self.outcome is None or self.outcome.outcome is None or self.outcome.entered_in_error


def checklist(
    tasks: Iterable[CareTask], outcomes: Iterable[TaskOutcome], day: date
) -> tuple[ChecklistLine, ...]:
    """The tasks due on ``day`` in plan order, with their outcomes; a task no longer due but already
    recorded at this visit stays on the list (what was done is never hidden)."""
    by_task = {o.task_id: o for o in outcomes}
    lines = [
        ChecklistLine(task, by_task.get(task.id))
        for task in sorted(tasks, key=lambda t: (t.position, t.label, str(t.id)))
        if task.due_on(day) or task.id in by_task
    ]
    return tuple(lines)


def open_tasks(lines: Iterable[ChecklistLine]) -> list[CareTask]:
    """The tasks left without an outcome (flagged at check-out)."""
    return [line.task for line in lines if line.is_open]


def history_by_task(outcomes: Iterable[TaskOutcome], last: int = 5) -> list[tuple[str, list[TaskOutcome]]]:
    """A patient's recorded outcomes (newest first) grouped per task: each task's name as last recorded and
    its ``last`` newest outcomes, tasks in the order they were last recorded (undone taps left out)."""
    grouped: dict[uuid.UUID, tuple[str, list[TaskOutcome]]] = {}
    for outcome in outcomes:
        if outcome.outcome is None:
            continue
        _, found = grouped.setdefault(outcome.task_id, (outcome.title or outcome.code or "", []))
        if len(found) < last:
            found.append(outcome)
    return list(grouped.values())
