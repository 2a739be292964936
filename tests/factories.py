"""Realistic example records for tests."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fieldapp.domain.care import CareTask
from fieldapp.domain.entities import Observation, Patient, Visit, VisitNote
from fieldapp.domain.medications import Medication
from fieldapp.domain.values import Address, Allergy, AllergySeverity, Diagnosis, EmergencyContact

WORKER = uuid.UUID("00000000-0000-4000-8000-00000000a001")
NINE = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def patient(**overrides: Any) -> Patient:
    values: dict[str, Any] = dict(
        mrn=f"MRN-{uuid.uuid4().hex[:8]}",
        given_name="Zoë",
        family_name="Ñúñez-O'Brien",
        date_of_birth=date(1938, 4, 2),
        sex="female",
        phone="+1 (555) 010-2334",
        address=Address(line1="12 Orchard Lane", city="Millbrook", region="NY", postal_code="12545"),
        emergency_contact=EmergencyContact(name="Tom Núñez", relationship="son", phone="555-0101"),
        allergies=[Allergy(substance="Penicillin", reaction="hives", severity=AllergySeverity.SEVERE)],
        diagnoses=[Diagnosis(code="I50.9", description="Heart failure, unspecified")],
        care_plan="Daily weight; low-sodium diet; medication reconciliation weekly.",
    )
    values.update(overrides)
    return Patient(**values)


def visit(patient_id: uuid.UUID, **overrides: Any) -> Visit:
    values: dict[str, Any] = dict(
        patient_id=patient_id,
        worker_id=WORKER,
        scheduled_start=NINE,
        scheduled_end=NINE + timedelta(hours=1),
        service_code="G0156",
    )
    values.update(overrides)
    return Visit(**values)


def note(v: Visit, text: str = "Patient alert, ambulating with walker.", **overrides: Any) -> VisitNote:
    values: dict[str, Any] = dict(
        visit_id=v.id, patient_id=v.patient_id, author_id=WORKER, text=text, written_at=NINE
    )
    values.update(overrides)
    return VisitNote(**values)


def observation(v: Visit, **overrides: Any) -> Observation:
    values: dict[str, Any] = dict(
        visit_id=v.id, patient_id=v.patient_id, kind="heart_rate", value=72, unit="/min", observed_at=NINE
    )
    values.update(overrides)
    return Observation(**values)


def care_task(patient_id: uuid.UUID, **overrides: Any) -> CareTask:
    values: dict[str, Any] = dict(
        patient_id=patient_id, code="ADL-BATH", instructions="Shower chair; warm water."
    )
    values.update(overrides)
    return CareTask(**values)


def medication(patient_id: uuid.UUID, **overrides: Any) -> Medication:
    values: dict[str, Any] = dict(
        patient_id=patient_id,
        name="Furosemide",
        strength="40 mg",
        dose="1 tablet",
        route="oral",
        frequency="once a day, morning",
        start_date=date(2026, 10, 1),
        prescriber="Dr. Amara Okafor",
    )
    values.update(overrides)
    return Medication(**values)
