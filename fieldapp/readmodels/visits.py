"""Patients and visits as the lists and the visit screen show them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from fieldapp.domain.attachments import Attachment
from fieldapp.domain.care import ChecklistLine
from fieldapp.domain.entities import Observation, Patient, Signature, Visit, VisitException, VisitNote
from fieldapp.domain.evv import EvvElement
from fieldapp.domain.medications import Medication


@dataclass(frozen=True, slots=True)
class PatientSummary:
    """One line of the patient list."""

    id: uuid.UUID
    mrn: str
    name: str
    date_of_birth: date
    city: str
    has_allergies: bool


@dataclass(frozen=True, slots=True)
class VisitSummary:
    """One line of today's schedule."""

    visit: Visit
    patient_name: str
    address: str
    allergies: tuple[str, ...]
    missing: tuple[EvvElement, ...]
    signed: bool


@dataclass(frozen=True, slots=True)
class VisitDetail:
    """Everything the visit screen shows."""

    visit: Visit
    patient: Patient
    notes: tuple[VisitNote, ...]
    observations: tuple[Observation, ...]
    signature: Signature | None
    missing: tuple[EvvElement, ...]
    exceptions: tuple[VisitException, ...] = ()  # what breaks the verification rules, and its state
    missed_undoable: bool = False  # "missed" not yet sent to the office
    # Care documentation (issue 19): the tasks due with their outcomes, the patient's medications, and the
    # photos and documents of the visit and the patient.
    checklist: tuple[ChecklistLine, ...] = ()
    medications: tuple[Medication, ...] = ()
    attachments: tuple[AttachmentView, ...] = ()


@dataclass(frozen=True, slots=True)
class AttachmentView:
    """A photo or document as the gallery shows it: the record and its thumbnail's file, if made."""

    attachment: Attachment
    thumbnail_sha256: str | None
