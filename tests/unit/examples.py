"""Fixed, valid example records in wire form (JSON values), for the unit tests.

Everything is pinned (ids, times) so that digests computed from these examples never change by accident.
Each function returns a fresh dict; tests change a copy and parse it.
"""

from __future__ import annotations

import uuid
from typing import Any

from fieldapp.domain.entities import DayReport, Entity, Observation, Patient, Signature, Visit, VisitNote

PATIENT_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
VISIT_ID = uuid.UUID("00000000-0000-4000-8000-000000000002")
WORKER_ID = uuid.UUID("00000000-0000-4000-8000-00000000a001")
NOTE_ID = uuid.UUID("00000000-0000-4000-8000-000000000003")
OBSERVATION_ID = uuid.UUID("00000000-0000-4000-8000-000000000004")
SIGNATURE_ID = uuid.UUID("00000000-0000-4000-8000-000000000005")
REPORT_ID = uuid.UUID("00000000-0000-4000-8000-000000000006")
SHA_A = "a" * 64
SHA_B = "0123456789abcdef" * 4


def patient() -> dict[str, Any]:
    return {
        "id": str(PATIENT_ID),
        "mrn": "MRN-1001",
        "given_name": "Zoë",
        "family_name": "Ñúñez-O'Brien",
        "date_of_birth": "1938-04-02",
        "sex": "female",
        "phone": "+1 (555) 010-2334",
        "address": {
            "line1": "12 Orchard Lane",
            "line2": "Apt 3",
            "city": "Millbrook",
            "region": "NY",
            "postal_code": "12545",
            "country": "US",
            "latitude": 41.785,
            "longitude": -73.694,
        },
        "emergency_contact": {"name": "Tom Núñez", "relationship": "son", "phone": "555-0101"},
        "allergies": [{"substance": "Penicillin", "reaction": "hives", "severity": "severe"}],
        "diagnoses": [{"code": "I50.9", "description": "Heart failure, unspecified"}],
        "care_plan": "Daily weight.\nLow-sodium diet;\tmedication reconciliation weekly.",
        "active": True,
    }


def check_in(*, location: dict[str, Any] | None = None, at: str = "2026-11-26T09:02:00Z") -> dict[str, Any]:
    if location is None:
        location = {"kind": "gps", "latitude": 41.7851, "longitude": -73.6942, "accuracy_m": 12.5}
    return {"device_time": at, "server_time": at, "location": location}


def check_out(at: str = "2026-11-26T09:58:00Z") -> dict[str, Any]:
    return {"device_time": at, "server_time": at, "location": {"kind": "home"}}


def visit(**changes: Any) -> dict[str, Any]:
    """A scheduled visit, not yet checked in."""
    return {
        "id": str(VISIT_ID),
        "patient_id": str(PATIENT_ID),
        "worker_id": str(WORKER_ID),
        "scheduled_start": "2026-11-26T09:00:00Z",
        "scheduled_end": "2026-11-26T10:00:00Z",
        "service_code": "G0156",
        "status": "scheduled",
        **changes,
    }


def completed_visit(**changes: Any) -> dict[str, Any]:
    return visit(**{"status": "completed", "check_in": check_in(), "check_out": check_out(), **changes})


def note(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(NOTE_ID),
        "visit_id": str(VISIT_ID),
        "patient_id": str(PATIENT_ID),
        "author_id": str(WORKER_ID),
        "text": "Patient alert, ambulating with walker. 患者は元気です。",
        "written_at": "2026-11-26T09:30:00Z",
        **changes,
    }


def observation(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(OBSERVATION_ID),
        "visit_id": str(VISIT_ID),
        "patient_id": str(PATIENT_ID),
        "kind": "heart_rate",
        "value": 72,
        "unit": "/min",
        "observed_at": "2026-11-26T09:10:00Z",
        **changes,
    }


def signature(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(SIGNATURE_ID),
        "visit_id": str(VISIT_ID),
        "patient_id": str(PATIENT_ID),
        "strokes": [[{"x": 10, "y": 20, "t": 0, "pressure": 0.4}, {"x": 15.5, "y": 22, "t": 16}]],
        "image_sha256": SHA_A,
        "signer_name": "Zoë Ñúñez-O'Brien",
        "signer_role": "patient",
        "meaning": "I confirm the visit took place as recorded.",
        "signed_at": "2026-11-26T09:59:00Z",
        "content_sha256": SHA_B,
        **changes,
    }


def day_report(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(REPORT_ID),
        "worker_id": str(WORKER_ID),
        "day": "2026-11-26",
        "summary": {
            "visits_scheduled": 6,
            "visits_completed": 5,
            "visits_missed": 1,
            "visits_unsigned": 0,
            "visits_missing_evv": 0,
            "notes": 7,
            "observations": 18,
            "unsent_changes": 2,
            "open_conflicts": 0,
        },
        "pdf_sha256": SHA_B,
        "submitted_at": "2026-11-26T17:30:00Z",
        **changes,
    }


EXAMPLES: dict[type[Entity], Any] = {
    Patient: patient,
    Visit: completed_visit,
    VisitNote: note,
    Observation: observation,
    Signature: signature,
    DayReport: day_report,
}
