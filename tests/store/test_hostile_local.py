"""Hostile input against the tablet's local entry points: each is refused clearly and stores nothing.

The entry points are what a worker or a file can feed into the tablet below the screens: the write path
(``repo.update`` of a patient, which ``Actions.edit_patient`` calls) and the visit workflow (check-in,
time corrections, notes, vital signs, signatures with their strokes and image), the day report record,
patient search, blob ids, the profile's ``settings.json`` and ``device.json``, the server address and the
sign-in user name. The corpus: malformed, oversized, wrongly typed, injected (SQL, path traversal, control
characters with NUL, CR/LF in one-line fields), unicode edge cases (bidirectional overrides, byte-order
marks, lone surrogates, line separators; and legitimate names with combining marks, zero-width joiners,
4-byte characters, NFC or NFD, kept exactly), and numbers out of range, NaN and infinities. A refusal must
be the domain's error (or ValueError for files and addresses) with a message naming what is wrong, never
pydantic's or SQLAlchemy's own exception, and the database rows (outbox included) and the blob folder must
be exactly as before. The Qt layer (Actions, screens) has its own corpus in tests/gui/test_hostile_entry.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import keyring
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from fieldapp.config import Profile, ProfileSettings, SettingsError, server_address, user_name
from fieldapp.domain import vitals
from fieldapp.domain.entities import DayReport, Observation, Patient, VisitNote, parse
from fieldapp.domain.errors import DomainError, ValidationError
from fieldapp.domain.values import (
    OBSERVATION_UNITS,
    CorrectionReason,
    Location,
    LocationKind,
    ObservationKind,
    SignerRole,
)
from fieldapp.profiles import open_store
from fieldapp.security.keys import DamagedKeyFile, database_key, forget_database_key
from fieldapp.store import outbox, queries, repo, workflows
from fieldapp.store.blobs import BlobStore
from fieldapp.store.local import LocalStore
from fieldapp.store.models import Base
from tests import factories as f
from tests.keyrings import MemoryKeyring

SQL = "'; DROP TABLE patients; --"
TRAVERSAL = "../../../../etc/passwd"
HUGE = "A" * 100_000
NOW = datetime.now(UTC)

# Refused in every one-line field (names, address lines, comments): control characters (NUL, escape, DEL,
# C1, CR/LF in the middle), Unicode line breaks, invisible reordering (Trojan Source), byte-order marks,
# lone surrogates (not text at all).
ONE_LINE_HOSTILE = [
    "Oka\x00for",
    "\x1b[31mOkafor",
    "Oka\nfor",
    "Oka\rfor",
    "Oka\r\nX-Injected: yes",
    "Oka\tfor",
    "Oka\x7ffor",
    "Oka\x85for",
    "Oka\x9bfor",
    "Oka\u2028for",
    "Oka\u2029for",
    "Oka\u202efor",
    "\u202dOkafor",
    "Oka\u2066for",
    "Oka\u2069for",
    "\ufeffOkafor",
    "Oka\ud800for",
    "Okafor\udfff",
]
# Refused in multi-line text (notes, care plan, the signature's statement): the same minus CR/LF/tab.
MULTI_LINE_HOSTILE = [
    "dose \x00 10 mg",
    "\x1b[2J cleared screen",
    "bell\x07",
    "dose 10\u202e01 mg",
    "\u2067isolate\u2069",
    "\ufeffcare plan",
    "broken \ud83d surrogate",
]
# Accepted and kept exactly (no normalisation, no stripping inside): other scripts, astral planes, combining
# marks, NFD as well as NFC, zero-width (non-)joiners that some scripts need, emoji sequences, and text
# that merely looks like an attack.
LEGIT_NAMES = [
    "𝕏avier",
    "Zoë",
    "Zoe\u0308",  # NFD: e + combining diaeresis
    "Nguyễn",
    "Nguye\u0302\u0303n",  # NFD
    "عائشة",
    "דוד",
    "李小龍",
    "Ǆemal",
    "e\u0301lodie",
    "\u00e9lodie",
    "क्\u200dष",  # Devanagari with a zero-width joiner
    "می\u200cخواهم",  # Persian with a zero-width non-joiner
    "👩\u200d⚕️ Ada",  # 4-byte emoji joined by ZWJ
    "🦷",
    "Z\u0351\u0352\u0353\u0354a\u0355\u0356lgo",  # stacked combining marks
    "O'Brien",
    "Núñez-O'Brien",
    SQL,
    "Robert'); DROP TABLE visits;--",
    "100% _real_ \\name",
    "<script>alert(1)</script>",
    "Ὀδυσσεύς",
    "각",  # Hangul jamo
]


@dataclass
class Tablet:
    folder: Path
    store: LocalStore
    blobs: BlobStore
    patient: Patient
    visit_id: uuid.UUID  # checked in, not signed
    other_visit_id: uuid.UUID
    other_note_id: uuid.UUID


def _make_tablet(folder: Path) -> Tablet:
    key = bytes(range(32))
    store = LocalStore.open(folder / "fieldapp.db", key=key)
    blobs = BlobStore(folder / "blobs", key=key)
    blobs.put(b"\x89PNG\r\n\x1a\n an earlier signature")
    p = f.patient()
    start = NOW.replace(microsecond=0) - timedelta(hours=1)
    v = f.visit(p.id, scheduled_start=start, scheduled_end=start + timedelta(hours=1))
    other = f.visit(
        p.id, scheduled_start=start - timedelta(days=1), scheduled_end=start - timedelta(hours=23)
    )
    with store.unit_of_work() as s:
        for record in (p, v, other):
            repo.add(s, store.clock, record)
        workflows.check_in(s, store.clock, v.id, Location(kind=LocationKind.HOME))
        workflows.add_note(s, store.clock, v.id, f.WORKER, "Patient alert.")
        change = workflows.add_note(s, store.clock, other.id, f.WORKER, "Another day.")
    return Tablet(folder, store, blobs, p, v.id, other.id, change.record_id)


@pytest.fixture(scope="module")
def tablet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tablet]:
    t = _make_tablet(tmp_path_factory.mktemp("hostile"))
    yield t
    t.store.close()


TABLES = sorted(Base.metadata.tables)


def snapshot(t: Tablet) -> tuple[dict[str, list[str]], dict[str, bytes]]:
    """Every row of every table (the outbox, the clock's saved stamp and the audit log included) and
    every file of the blob folder."""
    with t.store.read() as s:
        rows = {
            name: sorted(repr(tuple(r)) for r in s.execute(sa.text(f'SELECT * FROM "{name}"')))
            for name in TABLES
        }
    files = {
        p.relative_to(t.folder).as_posix(): p.read_bytes()
        for p in (t.folder / "blobs").rglob("*")
        if p.is_file()
    }
    return rows, files


def _pending(t: Tablet) -> int:
    with t.store.read() as s:
        return outbox.pending_count(s)


def refused(t: Tablet, work: Callable[[Session], Any], field: str | None = None) -> str:
    """Run ``work`` in a unit of work: it must raise the domain's error naming ``field``, store nothing."""
    before, pending = snapshot(t), _pending(t)
    with pytest.raises(DomainError) as info, t.store.unit_of_work() as s:
        work(s)
    message = str(info.value)
    assert message and "validation error for" not in message and "[type=" not in message, message
    assert len(message) < 1_000, "a sentence, not the input echoed back"
    if field is not None:
        assert isinstance(info.value, ValidationError) and any(
            field in name for name in info.value.problems
        ), (
            field,
            message,
        )
    assert _pending(t) == pending, "nothing queued for the server"
    assert snapshot(t) == before, "nothing stored"
    return message


# -- patients (repo.update: what Actions.edit_patient runs) --------------------------------------------------

ADDRESS = {"line1": "12 Orchard Lane", "city": "Millbrook"}
PATIENT_CORPUS: list[tuple[str, Any]] = [
    *[("given_name", value) for value in ONE_LINE_HOSTILE],
    *[("family_name", value) for value in ONE_LINE_HOSTILE],
    ("given_name", ""),
    ("given_name", "   "),
    ("given_name", "A" * 101),
    ("given_name", HUGE),
    ("given_name", 123),
    ("given_name", None),
    ("given_name", ["Okafor"]),
    ("given_name", {"first": "Ada"}),
    ("family_name", True),
    ("mrn", SQL),
    ("mrn", TRAVERSAL),
    ("mrn", "M\x001"),
    ("mrn", "A" * 33),
    ("date_of_birth", "1879-12-31"),
    ("date_of_birth", (NOW + timedelta(days=2)).date().isoformat()),
    ("date_of_birth", "1940-02-30"),
    ("date_of_birth", "not a date"),
    ("date_of_birth", "1940-01-01'; --"),
    ("date_of_birth", 0),
    ("date_of_birth", 1e10),
    ("date_of_birth", True),
    ("date_of_birth", None),
    ("sex", "FEMALE"),
    ("sex", SQL),
    ("sex", 1),
    ("phone", "555\n0100"),
    ("phone", "+1 555 0100 ext. 5"),
    ("phone", "<script>"),
    ("phone", "1" * 33),
    ("phone", "12"),
    ("phone", SQL),
    ("phone", 5550100),
    *[("address", {**ADDRESS, "line1": value}) for value in ONE_LINE_HOSTILE],
    ("address", {**ADDRESS, "line1": ""}),
    ("address", {**ADDRESS, "line1": "A" * 201}),
    ("address", {**ADDRESS, "line2": "Apt 2\r\nB"}),
    ("address", {**ADDRESS, "city": "Mill\x00brook"}),
    ("address", {**ADDRESS, "postal_code": "12545; DROP"}),
    ("address", {**ADDRESS, "postal_code": "1" * 17}),
    ("address", {**ADDRESS, "country": "us"}),
    ("address", {**ADDRESS, "country": "USA"}),
    ("address", {**ADDRESS, "latitude": 91.0, "longitude": 0.0}),
    ("address", {**ADDRESS, "latitude": math.nan, "longitude": 0.0}),
    ("address", {**ADDRESS, "latitude": 0.0, "longitude": math.inf}),
    ("address", {**ADDRESS, "latitude": 0.0, "longitude": -181.0}),
    ("address", {**ADDRESS, "latitude": 10**400}),
    ("address", {**ADDRESS, "line1": {"a": {"b": [[[]]]}}}),
    ("address", {**ADDRESS, "evil": True}),
    ("address", "12 Orchard Lane, Millbrook"),
    ("address", [ADDRESS]),
    ("emergency_contact", {"name": "Tom\x00", "relationship": "son", "phone": "555-0101"}),
    ("emergency_contact", {"name": "Tom", "relationship": "son\u202e", "phone": "555-0101"}),
    ("emergency_contact", {"name": "Tom", "relationship": "son", "phone": "call me"}),
    ("allergies", [{"substance": "Penicillin"}] * 101),
    ("allergies", [{"substance": ""}]),
    ("allergies", [{"substance": "Latex", "severity": "deadly"}]),
    ("allergies", [{"substance": "Latex\nPenicillin"}]),
    ("allergies", "Penicillin"),
    ("allergies", [None]),
    ("diagnoses", [{"code": "I50.9'; --"}]),
    ("diagnoses", [{"code": TRAVERSAL}]),
    ("diagnoses", [{"code": "I50.9"}] * 101),
    ("diagnoses", [{"code": "I50.9", "description": "A" * 201}]),
    *[("care_plan", value) for value in MULTI_LINE_HOSTILE],
    ("care_plan", "A" * 10_001),
    ("care_plan", HUGE),
    ("care_plan", 42),
    ("active", "maybe"),
    ("active", 2),
    ("active", None),
    ("nonsense", "x"),
    ("deleted", "2026"),
    ("stamps", {}),
    ("entity_name", "visit"),
    ("id", str(uuid.uuid4())),
]


@pytest.mark.parametrize(
    ("field", "value"), PATIENT_CORPUS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(PATIENT_CORPUS)]
)
def test_hostile_patient_edits_are_refused_and_store_nothing(tablet: Tablet, field: str, value: Any) -> None:
    message = refused(
        tablet, lambda s: repo.update(s, tablet.store.clock, Patient, tablet.patient.id, {field: value})
    )
    assert field in message


@pytest.mark.parametrize(
    "record_id", ["5f0c2b1e-8d3a-4c7e-9b61-2a4d8e7f0c93", TRAVERSAL, SQL, 7, None, b"\x00" * 16]
)
def test_an_id_that_is_not_a_record_id_is_refused_before_any_sql(tablet: Tablet, record_id: Any) -> None:
    refused(tablet, lambda s: repo.update(s, tablet.store.clock, Patient, record_id, {"phone": "555-0100"}))
    refused(tablet, lambda s: workflows.add_note(s, tablet.store.clock, record_id, f.WORKER, "hello"))
    refused(tablet, lambda s: workflows.mark_missed(s, tablet.store.clock, record_id))


@pytest.mark.parametrize("name", LEGIT_NAMES)
def test_names_in_every_script_are_stored_exactly_and_found(tmp_path: Path, name: str) -> None:
    t = _make_tablet(tmp_path)
    try:
        with t.store.unit_of_work() as s:
            repo.update(s, t.store.clock, Patient, t.patient.id, {"given_name": name, "care_plan": name})
        with t.store.read() as s:
            stored = repo.get(s, Patient, t.patient.id)
            [entry] = [e for e in outbox.pending(s) if e.entity == "patient" and "given_name" in e.changes][
                -1:
            ]
            found = queries.search_patients(s, name)
        assert stored is not None and stored.given_name == name and stored.care_plan == name
        assert [ord(c) for c in stored.given_name] == [ord(c) for c in name], "not normalised"
        assert entry.changes["given_name"].value == name
        assert [r.id for r in found] == [t.patient.id], "searching the name as typed finds the patient"
    finally:
        t.store.close()


# -- the visit workflow --------------------------------------------------------------------------------------

NOTE_CORPUS: list[tuple[Any, str]] = [
    *[(text, "text") for text in MULTI_LINE_HOSTILE],
    ("", "*"),
    ("   \n\t ", "*"),
    ("A" * 10_001, "text"),
    (HUGE, "text"),
    (42, "text"),
    (None, "text"),
    (["a note"], "text"),
]


@pytest.mark.parametrize(("text", "field"), NOTE_CORPUS, ids=[str(i) for i in range(len(NOTE_CORPUS))])
def test_hostile_notes_are_refused(tablet: Tablet, text: Any, field: str) -> None:
    refused(
        tablet, lambda s: workflows.add_note(s, tablet.store.clock, tablet.visit_id, f.WORKER, text), field
    )


def test_a_note_cannot_amend_what_it_may_not(tablet: Tablet) -> None:
    clock = tablet.store.clock
    refused(
        tablet, lambda s: workflows.add_note(s, clock, tablet.visit_id, f.WORKER, "x", uuid.uuid4()), "amends"
    )
    refused(
        tablet,
        lambda s: workflows.add_note(s, clock, tablet.visit_id, f.WORKER, "x", tablet.other_note_id),
        "amends",
    )
    refused(
        tablet, lambda s: workflows.add_note(s, clock, tablet.visit_id, f.WORKER, "x", TRAVERSAL), "amends"
    )  # type: ignore[arg-type]
    refused(tablet, lambda s: workflows.add_note(s, clock, tablet.visit_id, SQL, "x"), "author_id")  # type: ignore[arg-type]


VITALS_CORPUS: list[tuple[Any, Any, Any]] = [
    *[
        ("heart_rate", value, "/min")
        for value in (math.nan, -math.nan, math.inf, -math.inf, "nan", "inf", "72", True, False, None, [72])
    ],
    ("heart_rate", 1e308, "/min"),
    ("heart_rate", -1e308, "/min"),
    ("heart_rate", 10**400, "/min"),
    ("heart_rate", 2**80, "/min"),
    ("heart_rate", 19.999, "/min"),
    ("heart_rate", 300.001, "/min"),
    ("heart_rate", 5e-324, "/min"),
    ("spo2", 100.5, "%"),
    ("spo2", 0, "%"),
    ("temperature", 98.6, "Cel"),  # a Fahrenheit reading in Celsius
    ("temperature", 37, "[degF]"),
    ("temperature", 37, "degC"),
    ("pain_score", 11, "{score}"),
    ("pain_score", -1, "{score}"),
    ("pain_score", True, "{score}"),  # True is not 1
    ("blood_glucose", 100, "mmHg"),
    ("weight", 70, "kg; DROP TABLE observations"),
    ("weight", 70, "k\x00g"),
    ("weight", 70, "A" * 10_000),
    ("weight", 70, None),
    ("blood_type", 1, "ABO"),
    (SQL, 1, "/min"),
    ("", 1, "/min"),
    (None, 1, "/min"),
    (3, 1, "/min"),
]


@pytest.mark.parametrize(
    ("kind", "value", "unit"), VITALS_CORPUS, ids=[str(i) for i in range(len(VITALS_CORPUS))]
)
def test_hostile_vital_signs_are_refused(tablet: Tablet, kind: Any, value: Any, unit: Any) -> None:
    refused(
        tablet, lambda s: workflows.add_observation(s, tablet.store.clock, tablet.visit_id, kind, value, unit)
    )


CHECK_IN_CORPUS: list[Any] = [
    {"kind": "gps"},
    {"kind": "gps", "latitude": math.nan, "longitude": 0.0},
    {"kind": "gps", "latitude": 0.0, "longitude": math.inf},
    {"kind": "gps", "latitude": 90.0001, "longitude": 0.0},
    {"kind": "gps", "latitude": 0.0, "longitude": 0.0, "accuracy_m": -1},
    {"kind": "gps", "latitude": 0.0, "longitude": 0.0, "accuracy_m": math.nan},
    {"kind": "home", "latitude": 1.0, "longitude": 1.0},
    {"kind": "teleport"},
    {"kind": SQL},
    "home",
    42,
    {"kind": "home", "evil": 1},
]


@pytest.mark.parametrize("location", CHECK_IN_CORPUS, ids=[str(i) for i in range(len(CHECK_IN_CORPUS))])
def test_hostile_check_in_locations_are_refused(tmp_path: Path, location: Any) -> None:
    t = _make_tablet(tmp_path)
    try:
        v = f.visit(t.patient.id, scheduled_start=NOW, scheduled_end=NOW + timedelta(hours=1))
        with t.store.unit_of_work() as s:
            repo.add(s, t.store.clock, v)
        refused(t, lambda s: workflows.check_in(s, t.store.clock, v.id, location), "check_in")
    finally:
        t.store.close()


OTHER = CorrectionReason.OTHER
CORRECTION_CORPUS: list[tuple[Any, Any, Any, Any, str]] = [
    ("check_in; DROP TABLE visits", NOW, OTHER, "x", "which"),
    ("signature_id", NOW, OTHER, "x", "which"),
    ("", NOW, OTHER, "x", "which"),
    ("check_in", NOW.replace(tzinfo=None), OTHER, "x", "corrected_time"),
    ("check_in", "yesterday", OTHER, "x", "corrected_time"),
    ("check_in", None, OTHER, "x", "corrected_time"),
    ("check_in", NOW, "bogus", "x", "reason"),
    ("check_in", NOW, None, "x", "reason"),
    ("check_in", NOW, OTHER, "", "check_in_correction"),
    ("check_in", NOW, OTHER, "A" * 201, "comment"),
    ("check_in", NOW, OTHER, 17, "comment"),
    *[("check_in", NOW, OTHER, text, "comment") for text in ONE_LINE_HOSTILE],
    ("check_out", NOW - timedelta(days=3), CorrectionReason.FORGOT_TO_CHECK_OUT, "", "*"),  # before check-in
]


@pytest.mark.parametrize(
    ("which", "when", "reason", "comment", "field"),
    CORRECTION_CORPUS,
    ids=[str(i) for i in range(len(CORRECTION_CORPUS))],
)
def test_hostile_time_corrections_are_refused(
    tablet: Tablet, which: Any, when: Any, reason: Any, comment: Any, field: str
) -> None:
    refused(
        tablet,
        lambda s: workflows.correct_time(
            s, tablet.store.clock, tablet.visit_id, which, when, reason, comment
        ),
        field,
    )


POINT = {"x": 1.0, "y": 2.0, "t": 0, "pressure": 0.5}
SIGNATURE = dict(
    strokes=[[POINT]],
    image_sha256=hashlib.sha256(b"png").hexdigest(),
    signer_name="Zoë Núñez",
    signer_role=SignerRole.PATIENT,
    meaning="I confirm the care recorded above.",
)
SIGNATURE_CORPUS: list[tuple[dict[str, Any], str]] = [
    ({"strokes": []}, "*"),
    ({"strokes": [[]]}, "*"),
    ({"strokes": [[POINT]] * 501}, "strokes"),
    ({"strokes": [[POINT] * 5_001]}, "strokes"),
    ({"strokes": [[POINT] * 4_001] * 5}, "*"),  # 20,005 points in all
    ({"strokes": [[{**POINT, "x": math.nan}]]}, "strokes"),
    ({"strokes": [[{**POINT, "y": math.inf}]]}, "strokes"),
    ({"strokes": [[{**POINT, "x": 1e6}]]}, "strokes"),
    ({"strokes": [[{**POINT, "t": -1}]]}, "strokes"),
    ({"strokes": [[{**POINT, "t": 3_600_001}]]}, "strokes"),
    ({"strokes": [[{**POINT, "t": 2**80}]]}, "strokes"),
    ({"strokes": [[{**POINT, "pressure": 1.5}]]}, "strokes"),
    ({"strokes": [[{**POINT, "pressure": math.nan}]]}, "strokes"),
    ({"strokes": [[{"y": 2.0, "t": 0}]]}, "strokes"),
    ({"strokes": [[{**POINT, "evil": 1}]]}, "strokes"),
    ({"strokes": [[[1.0, 2.0, 0]]]}, "strokes"),
    ({"strokes": "M 0 0 L 10 10"}, "strokes"),
    ({"strokes": [[{**POINT, "x": SQL}]]}, "strokes"),
    ({"image_sha256": None}, "*"),
    ({"image_sha256": TRAVERSAL}, "image_sha256"),
    ({"image_sha256": "A" * 64}, "image_sha256"),
    ({"image_sha256": "a" * 64 + "\n"}, "image_sha256"),
    ({"image_sha256": "a" * 63}, "image_sha256"),
    ({"image_sha256": "a" * 65}, "image_sha256"),
    *[({"signer_name": name}, "signer_name") for name in ONE_LINE_HOSTILE],
    ({"signer_name": ""}, "signer_name"),
    ({"signer_name": "A" * 101}, "signer_name"),
    ({"signer_name": None}, "signer_name"),
    ({"signer_role": "neighbour"}, "signer_role"),
    ({"signer_role": SQL}, "signer_role"),
    *[({"meaning": text}, "meaning") for text in MULTI_LINE_HOSTILE],
    ({"meaning": ""}, "meaning"),
    ({"meaning": "A" * 2_001}, "meaning"),
    ({"unable_reason": "too weak to hold a pen"}, "*"),  # both strokes and a reason
    ({"strokes": [], "image_sha256": None, "unable_reason": "weak\r\nX: y"}, "unable_reason"),
    ({"strokes": [], "image_sha256": None, "unable_reason": "A" * 201}, "unable_reason"),
]


@pytest.mark.parametrize(
    ("changes", "field"), SIGNATURE_CORPUS, ids=[str(i) for i in range(len(SIGNATURE_CORPUS))]
)
def test_hostile_signatures_are_refused_and_leave_the_visit_unsigned(
    tablet: Tablet, changes: dict[str, Any], field: str
) -> None:
    values = {**SIGNATURE, **changes}
    refused(tablet, lambda s: workflows.sign(s, tablet.store.clock, tablet.visit_id, **values), field)


REPORT = dict(
    worker_id=f.WORKER,
    day="2026-11-26",
    summary=dict.fromkeys(
        (
            "visits_scheduled",
            "visits_completed",
            "visits_missed",
            "visits_unsigned",
            "visits_missing_evv",
            "notes",
            "observations",
            "unsent_changes",
            "open_conflicts",
        ),
        0,
    ),
    pdf_sha256="b" * 64,
    submitted_at=NOW,
)
REPORT_CORPUS: list[dict[str, Any]] = [
    {"summary": {**REPORT["summary"], "visits_scheduled": 2**80}},  # was a crash at INSERT (64-bit JSON)
    {"summary": {**REPORT["summary"], "notes": -1}},
    {"summary": {**REPORT["summary"], "notes": 1.5}},
    {"summary": {**REPORT["summary"], "notes": "3"}},
    {"summary": {**REPORT["summary"], "evil": 1}},
    {"summary": None},
    {"pdf_sha256": TRAVERSAL},
    {"pdf_sha256": "b" * 64 + "\n"},
    {"day": "2026-02-30"},
    {"day": SQL},
    {"worker_id": SQL},
    {"submitted_at": NOW.replace(tzinfo=None)},
]


@pytest.mark.parametrize("changes", REPORT_CORPUS, ids=[str(i) for i in range(len(REPORT_CORPUS))])
def test_hostile_day_reports_are_refused(tablet: Tablet, changes: dict[str, Any]) -> None:
    refused(tablet, lambda s: repo.add(s, tablet.store.clock, parse(DayReport, {**REPORT, **changes})))


# -- property-based fuzzing of the write path ----------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=()), max_size=60) | st.builds(
    "".join,
    st.lists(
        st.sampled_from(
            [*ONE_LINE_HOSTILE, *MULTI_LINE_HOSTILE, *LEGIT_NAMES, " ", "\n", "%", "_", "\\", "'"]
        ),
        max_size=4,
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text)
def test_fuzzed_notes_are_stored_exactly_or_refused_with_nothing_stored(tablet: Tablet, text: str) -> None:
    before = snapshot(tablet)
    try:
        with tablet.store.unit_of_work() as s:
            change = workflows.add_note(s, tablet.store.clock, tablet.visit_id, f.WORKER, text)
    except DomainError as exc:
        assert str(exc) and "[type=" not in str(exc)
        assert snapshot(tablet) == before
        return
    with tablet.store.read() as s:
        note = repo.get(s, VisitNote, change.record_id)
        entry = [e for e in outbox.pending(s) if e.record_id == change.record_id]
    assert note is not None and note.text == text, "stored exactly as written"
    assert len(entry) == 1 and entry[0].changes["text"].value == text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(list(ObservationKind)),
    unit=st.sampled_from(sorted({u for units in OBSERVATION_UNITS.values() for u in units})),
    value=st.floats() | st.integers(-(2**70), 2**70) | st.booleans() | st.text(max_size=8) | st.none(),
)
def test_fuzzed_vital_signs_are_stored_or_refused_with_nothing_stored(
    tablet: Tablet, kind: ObservationKind, unit: str, value: Any
) -> None:
    before = snapshot(tablet)
    try:
        with tablet.store.unit_of_work() as s:
            change = workflows.add_observation(s, tablet.store.clock, tablet.visit_id, kind, value, unit)
    except DomainError as exc:
        assert str(exc) and "[type=" not in str(exc)
        assert snapshot(tablet) == before
        return
    low, high = OBSERVATION_UNITS[kind][unit]
    assert isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    assert low <= value <= high
    with tablet.store.read() as s:
        observation = repo.get(s, Observation, change.record_id)
    # Temperatures and weights are kept in Celsius and kilograms, with that unit (decision 0031).
    assert observation is not None and (observation.value, observation.unit) == vitals.stored(
        kind, value, unit
    )
    assert observation.kind is kind


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(["given_name", "family_name", "care_plan", "phone"]), text=any_text)
def test_fuzzed_patient_edits_are_stored_exactly_or_refused_with_nothing_stored(
    tablet: Tablet, field: str, text: str
) -> None:
    before = snapshot(tablet)
    try:
        with tablet.store.unit_of_work() as s:
            repo.update(s, tablet.store.clock, Patient, tablet.patient.id, {field: text})
    except DomainError as exc:
        assert str(exc) and "[type=" not in str(exc)
        assert snapshot(tablet) == before
        return
    expected = text if field == "care_plan" else text.strip()
    with tablet.store.read() as s:
        stored = repo.get(s, Patient, tablet.patient.id)
    assert stored is not None and getattr(stored, field) == expected


# -- search --------------------------------------------------------------------------------------------------

SEARCHES = [
    SQL,
    "' OR '1'='1",
    '" OR 1=1 --',
    "%",
    "_",
    "%%",
    "\\",
    "\\%",
    "[a-z]*",
    "*",
    HUGE,
    "zz " * 20_000,
    " ".join(f"w{i}" for i in range(2_000)),
    "\x00",
    "Zo\x00",
    "\ud800",
    "Zo\udfff",
    "\u202eZoë",
    "\ufeff",
    "\n\r\t",
    "",
    "   ",
    "MRN-%",
    "ESCAPE",
]


@pytest.fixture(scope="module")
def quiet_tablet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tablet]:
    """A tablet the fuzzing above does not edit."""
    t = _make_tablet(tmp_path_factory.mktemp("search"))
    yield t
    t.store.close()


@pytest.mark.parametrize("search", SEARCHES, ids=[str(i) for i in range(len(SEARCHES))])
def test_hostile_searches_answer_without_error_and_change_nothing(quiet_tablet: Tablet, search: str) -> None:
    t = quiet_tablet
    before = snapshot(t)
    with t.store.read() as s:
        count = queries.count_patients(s, search)
        rows = queries.search_patients(s, search)
    assert count == len(rows)
    if search.strip():
        assert count == 0, "no name or record number holds this"
    assert snapshot(t) == before
    with t.store.read() as s:
        assert queries.count_patients(s) == 1, "the table is still there"


def test_search_takes_percent_underscore_and_backslash_literally_and_folds_case_and_form(
    tmp_path: Path,
) -> None:
    store = LocalStore.open(tmp_path / "fieldapp.db")
    names = [
        "100% Cotton",
        "Under_score",
        "Back\\slash",
        "Zoë",
        "E\u0301lodie",
        "ZOË",
        "Ærøskøbing",
        "Straße",
        "Núñez",
        "O\u2019Connor",
    ]
    people = {name: f.patient(family_name=name, given_name="Ann") for name in names}
    with store.unit_of_work() as s:
        for p in people.values():
            repo.add(s, store.clock, p)

    def found(search: str) -> set[str]:
        with store.read() as s:
            return {r.name.split(",")[0] for r in queries.search_patients(s, search)}

    assert found("%") == {"100% Cotton"}
    assert found("_") == {"Under_score"}
    assert found("\\") == {"Back\\slash"}
    assert found("zoë") == found("ZOË") == {"Zoë", "ZOË"}, "case folded beyond ASCII"
    assert found("élodie") == {"E\u0301lodie"}, "NFC finds NFD"
    assert found("e\u0301lodie") == {"E\u0301lodie"}
    assert found("ærø") == {"Ærøskøbing"}
    assert found("strasse") == {"Straße"}
    assert found("cotton 100%") == {"100% Cotton"}
    assert found("zoe") == {"Zoë", "ZOË"}, "a tablet keyboard without accents still finds them"
    assert found("nunez") == found("NÚÑEZ") == {"Núñez"}
    assert found("elodie") == {"E\u0301lodie"}
    assert found("o'connor") == found("o\u2019connor") == {"O\u2019Connor"}, "typographic apostrophes"
    store.close()


# -- blob ids ------------------------------------------------------------------------------------------------

BLOB_IDS: list[Any] = [
    TRAVERSAL,
    "/etc/passwd",
    "..",
    "../" + "a" * 64,
    "a" * 62 + "/a",
    "..\\..\\" + "a" * 58,
    "a" * 64 + "\n",
    "\n" + "a" * 64,
    "A" * 64,
    "a" * 63,
    "a" * 65,
    "g" * 64,
    "",
    "\x00" * 64,
    "a" * 63 + "\x00",
    HUGE,
    None,
    123,
    b"a" * 64,
]


@pytest.mark.parametrize("name", BLOB_IDS, ids=[str(i) for i in range(len(BLOB_IDS))])
def test_hostile_blob_ids_are_refused_and_touch_no_file(tablet: Tablet, name: Any) -> None:
    before = snapshot(tablet)
    outside = sorted(p.name for p in tablet.folder.iterdir())
    for read in (tablet.blobs.get, tablet.blobs.has):
        with pytest.raises(ValueError, match="not a SHA-256"):
            read(name)
    assert snapshot(tablet) == before and sorted(p.name for p in tablet.folder.iterdir()) == outside


# -- settings.json, the server address and the user name -----------------------------------------------------

GOOD_SETTINGS = {"server_url": "https://office.example.org", "username": "nurse", "user_id": str(f.WORKER)}
SETTINGS_FILES: list[bytes] = [
    b"",
    b"{",
    b"[]",
    b"null",
    b"42",
    b'"settings"',
    b"\xff\xfe\x00\x00",
    json.dumps(GOOD_SETTINGS).encode("utf-16"),
    b"{" * 100_000,
    b" " * 70_000 + json.dumps(GOOD_SETTINGS).encode(),
    json.dumps({"server_url": "https://office.example.org"}).encode(),
    *[
        json.dumps({**GOOD_SETTINGS, key: value}).encode()
        for key, value in [
            ("server_url", 5),
            ("server_url", None),
            ("server_url", "ftp://office.example.org"),
            ("server_url", "https://nurse:secret@office.example.org"),
            ("server_url", "https://office.example.org\r\nX-Evil: 1"),
            ("server_url", "https://office.example.org?next=evil"),
            ("server_url", "file:///etc/passwd"),
            ("username", "nurse\n"),
            ("username", SQL),
            ("username", ""),
            ("username", ["nurse"]),
            ("user_id", TRAVERSAL),
            ("user_id", 7),
            ("role", "worker\x00"),
            ("role", None),
            ("sync_interval_s", "300"),
            ("sync_interval_s", True),
            ("sync_interval_s", 1e9),
            ("sync_interval_s", 0),
            ("sync_interval_s", -1),
            ("sync_interval_s", 10**30),
        ]
    ],
]


@pytest.mark.parametrize("content", SETTINGS_FILES, ids=[str(i) for i in range(len(SETTINGS_FILES))])
def test_a_damaged_settings_file_is_refused_by_name_and_left_as_it_is(tmp_path: Path, content: bytes) -> None:
    profile = Profile.at(tmp_path)
    profile.settings_path.write_bytes(content)
    with pytest.raises(SettingsError, match=r"settings file .*settings\.json cannot be used") as info:
        profile.load_settings()
    assert "ask IT" in str(info.value) and len(str(info.value)) < 600
    assert profile.settings_path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_a_settings_file_with_a_byte_order_mark_or_unknown_keys_is_read(tmp_path: Path) -> None:
    profile = Profile.at(tmp_path)
    profile.settings_path.write_bytes(b"\xef\xbb\xbf" + json.dumps({**GOOD_SETTINGS, "future": 1}).encode())
    loaded = profile.load_settings()
    assert loaded is not None and loaded.server_url == GOOD_SETTINGS["server_url"]


SERVER_ADDRESSES = [
    "",
    "   ",
    "not an address",
    "ftp://office.example.org",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "https://",
    "https:///path",
    "//office.example.org",
    "https://nurse:secret@office.example.org",
    "https://nurse@office.example.org",
    "https://office.example.org@evil.example",
    "https://office.example.org?x=1",
    "https://office.example.org/#frag",
    "https://office.example.org\r\nX-Evil: 1",
    "https://office.example.org\x00.evil",
    "https://office.\texample.org",
    "https://office.example.org\u202e",
    "https://\u200boffice.example.org",
    "https://оffice.example.org",  # a Cyrillic "о"
    "https://office.example.org\\@evil.example",
    "https://office.example.org:99999",
    "https://office.example.org:-1",
    "https://office.example.org:port",
    "http://office.example.org:0",
    "https://-office-.example.org",
    "https://office..example.org",
    "https://" + "a" * 3_000 + ".org",
    "https://office.example.org/\ud800",
    None,
    42,
]


@pytest.mark.parametrize("address", SERVER_ADDRESSES, ids=[str(i) for i in range(len(SERVER_ADDRESSES))])
def test_hostile_server_addresses_are_refused_with_a_sentence(tmp_path: Path, address: Any) -> None:
    with pytest.raises(SettingsError) as info:
        server_address(address)
    message = str(info.value)
    assert message.endswith(".") and message[0].isupper() and "\r" not in message
    profile = Profile.at(tmp_path)
    with pytest.raises(SettingsError):
        profile.save_settings(ProfileSettings(**{**GOOD_SETTINGS, "server_url": address}))
    assert list(tmp_path.iterdir()) == [], "nothing saved"


def test_ordinary_server_addresses_are_accepted() -> None:
    assert server_address(" office.example.org/ ") == "https://office.example.org"
    assert server_address("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert server_address("https://[::1]:8443/fieldapp") == "https://[::1]:8443/fieldapp"
    assert server_address("https://xn--bro-hoa.example") == "https://xn--bro-hoa.example"


USER_NAMES = [
    "",
    "   ",
    "x" * 65,
    SQL,
    "nurse\x00",
    "nur\nse",
    "nur se",
    "nurse\u202e",
    "\ufeffnurse",
    "nurse\ud800",
    "../nurse",
    "nurse/../../etc",
    "...",
    None,
    7,
]


@pytest.mark.parametrize("name", USER_NAMES, ids=[str(i) for i in range(len(USER_NAMES))])
def test_hostile_user_names_are_refused_with_the_rule(name: Any) -> None:
    with pytest.raises(
        SettingsError, match="A user name is 1-64 letters, digits, dots, dashes or underscores"
    ):
        user_name(name)


def test_user_names_are_trimmed_and_lower_cased_as_the_server_does() -> None:
    assert user_name(" Nurse\n") == "nurse" and user_name("Zoë.N-2_x") == "zoë.n-2_x"


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(st.characters(exclude_categories=()), max_size=40) | st.from_regex(r"https?://[^\s]{0,30}")
)
def test_fuzzed_server_addresses_are_usable_or_refused(text: str) -> None:
    from urllib.parse import urlsplit

    try:
        url = server_address(text)
    except SettingsError as exc:
        assert str(exc)
        return
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.hostname and not parts.username and not parts.password
    assert url.isascii() and url.isprintable() and " " not in url and not parts.query and not parts.fragment


# -- device.json and the keyring entry -----------------------------------------------------------------------

KEY_FILES: list[bytes] = [
    b"",
    b"{",
    b"[]",
    b"null",
    b'"key"',
    b"\xff\xfe garbage",
    b"{" * 100_000,
    b'{"other": 1}',
    *[
        json.dumps({"key_id": value}).encode()
        for value in [
            None,
            5,
            ["a" * 32],
            {"id": "a" * 32},
            "",
            TRAVERSAL,
            "../" + "a" * 29,
            "a" * 16 + "/" + "a" * 15,
            "a" * 16 + "\\" + "a" * 15,
            "a" * 31 + "\x00",
            "a" * 32 + "\n",
            "A" * 32,
            "a" * 33,
            "a" * 31,
            "dbkey:" + "a" * 26,
            SQL,
        ]
    ],
]


@pytest.mark.parametrize("content", KEY_FILES, ids=[str(i) for i in range(len(KEY_FILES))])
def test_a_damaged_device_json_is_refused_and_no_key_is_made_or_removed(
    tmp_path: Path, content: bytes
) -> None:
    memory = keyring.get_keyring()
    assert isinstance(memory, MemoryKeyring)
    profile = Profile.at(tmp_path / "profile")
    profile.folder.mkdir()
    (profile.folder / "device.json").write_bytes(content)
    memory.secrets[("fieldapp", "dbkey:" + "a" * 32)] = "ab" * 32  # another profile's key
    before = dict(memory.secrets)
    for attempt in (database_key, forget_database_key, lambda folder: open_store(Profile.at(folder))):
        with pytest.raises(DamagedKeyFile, match=r"device\.json cannot be used") as info:
            attempt(profile.folder)
        assert "Ask IT" in str(info.value) and len(str(info.value)) < 600
    assert memory.secrets == before, "no key created, none removed"
    assert (profile.folder / "device.json").read_bytes() == content
    assert sorted(p.name for p in profile.folder.iterdir()) == ["device.json"], "no database created"


@pytest.mark.parametrize("stored", ["", "not hex", "ab" * 31, "ab" * 33, "AB" * 32, "ab" * 31 + "\x00\x00"])
def test_a_damaged_keyring_entry_is_refused_not_replaced(tmp_path: Path, stored: str) -> None:
    memory = keyring.get_keyring()
    assert isinstance(memory, MemoryKeyring)
    folder = tmp_path / "profile"
    database_key(folder)
    [(service, name)] = list(memory.secrets)
    memory.secrets[(service, name)] = stored
    with pytest.raises(DamagedKeyFile, match="is not a key this app made"):
        database_key(folder)
    assert memory.secrets == {(service, name): stored}


def test_a_device_json_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "profile"
    key = database_key(folder)
    path = folder / "device.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert database_key(folder) == key


# -- the figures for the record ------------------------------------------------------------------------------


def test_the_corpus_covers_every_local_entry_point() -> None:
    corpora = {
        "patient edits (repo.update)": len(PATIENT_CORPUS) + 6 * 3,  # + ids that are not record ids
        "notes": len(NOTE_CORPUS) + 4,
        "vital signs": len(VITALS_CORPUS),
        "check-in locations": len(CHECK_IN_CORPUS),
        "time corrections": len(CORRECTION_CORPUS),
        "signatures (strokes, image id, signer)": len(SIGNATURE_CORPUS),
        "day reports": len(REPORT_CORPUS),
        "patient search": len(SEARCHES),
        "blob ids (get and has)": 2 * len(BLOB_IDS),
        "settings.json": len(SETTINGS_FILES),
        "server addresses": 2 * len(SERVER_ADDRESSES),
        "user names": len(USER_NAMES),
        "device.json (key, forget, open)": 3 * len(KEY_FILES),
        "keyring entries": 6,
    }
    assert len(corpora) == 14 and sum(corpora.values()) >= 560, corpora
    assert len(LEGIT_NAMES) >= 20
