"""A patient's medication list: each medication one record, merged field by field like every record.

A nurse's edit of the dose made offline and the office's edit of the prescriber both survive: they touch
different fields, and each field keeps its own stamp (``fieldapp.domain.merge``). A medication is never
deleted: it is discontinued (with its stop date), so the list keeps its history.
"""

from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Self

from pydantic import BeforeValidator, StringConstraints, model_validator

from fieldapp.domain.entities import MarkableInError
from fieldapp.domain.values import LongText, Name, ShortText


class Route(StrEnum):
    """How a medication is given (the routes a home-care list needs)."""

    ORAL = "oral"
    SUBLINGUAL = "sublingual"
    TOPICAL = "topical"
    TRANSDERMAL = "transdermal"
    INHALED = "inhaled"
    NASAL = "nasal"
    EYE = "ophthalmic"
    EAR = "otic"
    SUBCUTANEOUS = "subcutaneous"
    INTRAMUSCULAR = "intramuscular"
    INTRAVENOUS = "intravenous"
    RECTAL = "rectal"
    FEEDING_TUBE = "enteral_tube"
    OTHER = "other"


class MedicationStatus(StrEnum):
    """Whether the patient still takes it."""

    ACTIVE = "active"
    DISCONTINUED = "discontinued"


def _not_a_number(value: object) -> object:
    if isinstance(value, int | float):
        raise ValueError("a date must be written as a date, for example 2026-11-02")
    return value


OptionalDate = Annotated[date | None, BeforeValidator(_not_a_number)]
Dose = Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]


class Medication(MarkableInError):
    """One medication on a patient's list (one put there by mistake is marked entered in error)."""

    entity_name: ClassVar[str] = "medication"
    patient_id: uuid.UUID
    name: Name
    strength: Dose = ""  # "10 mg", "5 mg/5 mL"
    dose: Dose = ""  # "1 tablet", "2 puffs"
    route: Route = Route.ORAL
    frequency: ShortText = ""  # "twice a day", "every 8 hours as needed"
    start_date: OptionalDate = None
    stop_date: OptionalDate = None
    prescriber: ShortText = ""
    notes: LongText = ""
    status: MedicationStatus = MedicationStatus.ACTIVE

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.start_date and self.stop_date and self.stop_date < self.start_date:
            raise ValueError("the stop date must not be before the start date")
        return self

    @property
    def summary(self) -> str:
        """One line: "Furosemide 40 mg, 1 tablet oral, once a day"."""
        what = " ".join(x for x in (self.name, self.strength) if x)
        how = " ".join(x for x in (self.dose, self.route.value.replace("_", " ")) if x)
        return ", ".join(x for x in (what, how, self.frequency) if x)
