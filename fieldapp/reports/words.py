"""How codes read to people: statuses, vital-sign kinds, UCUM units, locations, reasons, roles.

Shared by the report and the screens, so the tablet and the PDF say the same thing. Qt-free.
"""

from __future__ import annotations

STATUS_WORDS: dict[str, str] = {
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "completed": "Completed",
    "missed": "Missed",
    "cancelled": "Cancelled",
}

KIND_WORDS: dict[str, str] = {
    "systolic_bp": "Blood pressure, systolic",
    "diastolic_bp": "Blood pressure, diastolic",
    "heart_rate": "Heart rate",
    "respiratory_rate": "Respiratory rate",
    "temperature": "Temperature",
    "spo2": "Oxygen saturation",
    "blood_glucose": "Blood glucose",
    "weight": "Weight",
    "pain_score": "Pain score",
}

UNIT_WORDS: dict[str, str] = {"Cel": "°C", "[degF]": "°F", "[lb_av]": "lb", "{score}": "/10"}

LOCATION_WORDS: dict[str, str] = {"gps": "GPS fix", "home": "Patient's home", "community": "In the community"}

CORRECTION_WORDS: dict[str, str] = {
    "forgot_check_in": "Forgot to check in",
    "forgot_check_out": "Forgot to check out",
    "device_failure": "Tablet failed or ran out of battery",
    "wrong_visit": "Checked in to the wrong visit",
    "outside_home": "Service given outside the home",
    "schedule_change": "Schedule changed",
    "other": "Other (explain in the comment)",
}

ROLE_WORDS: dict[str, str] = {
    "patient": "Patient",
    "spouse": "Spouse",
    "child": "Son or daughter",
    "parent": "Parent",
    "legal_guardian": "Legal guardian",
    "caregiver": "Caregiver",
    "other": "Other representative",
}

ENTITY_WORDS: dict[str, str] = {
    "visit": "Visit",
    "visit_note": "Note",
    "observation": "Vital sign",
    "signature": "Signature",
    "patient": "Patient",
    "day_report": "Day report",
}


def unit_text(unit: str) -> str:
    """A UCUM unit code as people write it."""
    return UNIT_WORDS.get(unit, unit)


def words(table: dict[str, str], code: str | None, empty: str = "—") -> str:
    """The words for ``code`` in ``table`` (the code itself, tidied, when the table lacks it)."""
    if code is None or code == "":
        return empty
    return table.get(code, code.replace("_", " "))


# Shorter names where space is tight (the vital-sign picker on the visit screen).
SHORT_KIND_WORDS: dict[str, str] = {
    **KIND_WORDS,
    "systolic_bp": "BP systolic",
    "diastolic_bp": "BP diastolic",
    "respiratory_rate": "Breathing rate",
    "spo2": "SpO2 (oxygen)",
}
