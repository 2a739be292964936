"""Realistic demo records, generated locally and deterministically from a seed (no real patient data)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from fieldapp.domain.entities import Patient, Visit
from fieldapp.domain.people import AgencyCard, WorkerCard
from fieldapp.domain.values import (
    Address,
    Allergy,
    AllergySeverity,
    Diagnosis,
    EmergencyContact,
    Sex,
)

GIVEN_FEMALE = [
    "Ada",
    "Beatriz",
    "Chiara",
    "Dorothy",
    "Esther",
    "Fatima",
    "Grace",
    "Hana",
    "Irene",
    "Joan",
    "Keiko",
    "Lucía",
    "Margaret",
    "Nkechi",
    "Olga",
    "Priya",
    "Rosa",
    "Siobhan",
    "Thi",
    "Zoë",
]
GIVEN_MALE = [
    "Abdul",
    "Bernard",
    "Carlos",
    "Dmitri",
    "Edward",
    "Frank",
    "George",
    "Hiroshi",
    "Ivan",
    "José",
    "Kwame",
    "Liam",
    "Mohammed",
    "Noel",
    "Oscar",
    "Pedro",
    "Raymond",
    "Samuel",
    "Tomás",
    "Walter",
]
FAMILY = [
    "Abernathy",
    "Baptiste",
    "Chen",
    "Delacroix",
    "Eriksen",
    "Fitzgerald",
    "García",
    "Hoffmann",
    "Ibrahim",
    "Jovanović",
    "Kowalski",
    "Lindqvist",
    "Mbeki",
    "Nakamura",
    "O'Connor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Umarov",
    "Vasquez",
    "Whitfield",
    "Xu",
    "Yilmaz",
    "Zielinski",
    "Núñez",
    "Okafor",
    "Park",
    "Haddad",
]
STREETS = [
    "Orchard Lane",
    "Mill Road",
    "Church Street",
    "Maple Avenue",
    "River View",
    "Station Road",
    "Hillcrest Drive",
    "Elm Court",
    "Birch Way",
    "Meadow Close",
    "Harbor Street",
    "Pine Ridge",
]
TOWNS = [
    ("Millbrook", "NY", "12545"),
    ("Rhinebeck", "NY", "12572"),
    ("Red Hook", "NY", "12571"),
    ("Hyde Park", "NY", "12538"),
    ("Pine Plains", "NY", "12567"),
    ("Amenia", "NY", "12501"),
]
DIAGNOSES = [
    ("I50.9", "Heart failure, unspecified"),
    ("E11.9", "Type 2 diabetes mellitus without complications"),
    ("J44.9", "Chronic obstructive pulmonary disease, unspecified"),
    ("I10", "Essential hypertension"),
    ("M17.11", "Primary osteoarthritis, right knee"),
    ("Z96.651", "Presence of right artificial knee"),
    ("L89.154", "Pressure ulcer of sacral region, stage 4"),
    ("F03.90", "Unspecified dementia"),
    ("N18.30", "Chronic kidney disease, stage 3 unspecified"),
    ("Z79.01", "Long term use of anticoagulants"),
]
ALLERGENS = [
    ("Penicillin", "hives"),
    ("Sulfonamides", "rash"),
    ("Latex", "contact dermatitis"),
    ("Codeine", "nausea"),
    ("Peanuts", "anaphylaxis"),
    ("Iodinated contrast", "urticaria"),
]
CARE_PLANS = [
    "Skilled nursing 3x/week: wound care, dressing change, measure wound weekly.",
    "Daily weight; report gain over 1 kg/day. Low-sodium diet. Medication reconciliation weekly.",
    "Blood glucose before meals; insulin teaching; foot inspection each visit.",
    "Home health aide: bathing, dressing, meal preparation; fall-risk precautions.",
    "Physical therapy 2x/week after knee replacement: gait training, range of motion.",
    "COPD management: inhaler technique, oxygen safety, pursed-lip breathing.",
]
# The demo's people as records name them ("Ana López, RN") and its agency (the time zone is the server's).
WORKER_CARDS = {
    "office": WorkerCard(username="office", full_name="Dana Whitfield", phone="555-0100"),
    "nurse": WorkerCard(username="nurse", full_name="Ana López", credential="RN", phone="555-0142"),
    "aide": WorkerCard(username="aide", full_name="Marcus Reed", credential="HHA", phone="555-0157"),
}


def agency_card(time_zone: str) -> AgencyCard:
    """The demo agency: name, address, phone, and the time zone given (the server's setting)."""
    return AgencyCard(
        name="Sunrise Home Care",
        address="1200 Harbor Way, Springfield",
        phone="555-0100",
        time_zone=time_zone,
    )


SERVICES = ["G0299", "G0300", "G0151", "G0156", "T1019", "S9123"]


def patients(count: int, seed: int = 2026) -> Iterator[Patient]:
    """``count`` patients with plausible demographics, allergies, diagnoses and care plans."""
    rng = random.Random(seed)
    for n in range(count):
        sex = rng.choice([Sex.FEMALE, Sex.FEMALE, Sex.MALE])
        given = rng.choice(GIVEN_FEMALE if sex is Sex.FEMALE else GIVEN_MALE)
        family = rng.choice(FAMILY)
        town, region, postal = rng.choice(TOWNS)
        allergies = [
            Allergy(substance=s, reaction=r, severity=rng.choice(list(AllergySeverity)))
            for s, r in rng.sample(ALLERGENS, rng.choice([0, 0, 1, 1, 2]))
        ]
        diagnoses = [Diagnosis(code=c, description=d) for c, d in rng.sample(DIAGNOSES, rng.randint(1, 3))]
        yield Patient(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            mrn=f"MRN-{100000 + n}",
            given_name=given,
            family_name=family,
            date_of_birth=date(1925, 1, 1) + timedelta(days=rng.randint(0, 365 * 45)),
            sex=sex,
            phone=f"+1 845-555-{rng.randint(0, 9999):04d}",
            address=Address(
                line1=f"{rng.randint(1, 400)} {rng.choice(STREETS)}",
                city=town,
                region=region,
                postal_code=postal,
            ),
            emergency_contact=EmergencyContact(
                name=f"{rng.choice(GIVEN_FEMALE + GIVEN_MALE)} {family}",
                relationship=rng.choice(["daughter", "son", "spouse", "niece"]),
                phone=f"+1 845-555-{rng.randint(0, 9999):04d}",
            ),
            allergies=allergies,
            diagnoses=diagnoses,
            care_plan=rng.choice(CARE_PLANS),
        )


def visits_for_day(
    patient_ids: list[uuid.UUID], worker_id: uuid.UUID, day: date, seed: int = 2026, zone: tzinfo = UTC
) -> Iterator[Visit]:
    """A worker's schedule for one day: one visit per patient, from 08:00 in ``zone`` (the agency's), an
    hour each plus travel."""
    rng = random.Random(seed)
    start = datetime.combine(day, time(8, 0), tzinfo=zone)
    for patient_id in patient_ids:
        yield Visit(
            id=uuid.UUID(int=rng.getrandbits(128), version=4),
            patient_id=patient_id,
            worker_id=worker_id,
            scheduled_start=start,
            scheduled_end=start + timedelta(minutes=rng.choice([30, 45, 60])),
            service_code=rng.choice(SERVICES),
        )
        start += timedelta(minutes=rng.choice([75, 90, 105]))
