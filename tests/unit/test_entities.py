"""Validation of the entities (fieldapp.domain.entities and the value objects they use)."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as PydanticValidationError

from fieldapp.domain.entities import (
    ENTITY_TYPES,
    DayReport,
    Entity,
    Observation,
    Patient,
    Signature,
    Visit,
    VisitNote,
    data_fields,
    entity_type,
    parse,
)
from fieldapp.domain.errors import ValidationError
from fieldapp.domain.values import OBSERVATION_UNITS, LocationKind, ObservationKind
from tests.unit import examples as ex


def problems(cls: type[Entity], data: Any) -> dict[str, str]:
    """The per-field problems ``parse`` reports; fails the test if it accepts the data."""
    with pytest.raises(ValidationError) as caught:
        parse(cls, data)
    assert caught.value.entity == cls.entity_name
    assert caught.value.problems, "a validation error must name at least one field"
    for name, why in caught.value.problems.items():
        assert name in str(caught.value)
        assert why
    return caught.value.problems


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def without(base: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in base.items() if k not in names}


# --- valid examples ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", list(ex.EXAMPLES), ids=lambda c: c.__name__)
def test_the_valid_example_parses(cls):
    data = ex.EXAMPLES[cls]()
    obj = parse(cls, data)
    assert isinstance(obj, cls)
    assert str(obj.id) == data["id"]
    assert entity_type(cls.entity_name) is cls
    assert "id" not in data_fields(cls)


def test_entity_type_rejects_an_unknown_name():
    with pytest.raises(KeyError, match="appointment"):
        entity_type("appointment")
    assert set(ENTITY_TYPES) == {
        "patient",
        "visit",
        "visit_note",
        "observation",
        "signature",
        "day_report",
        # care documentation (issue 19): kept in their own modules, registered with the others
        "care_task",
        "task_outcome",
        "medication",
        "attachment",
        "visit_exception",
    }


def test_a_new_record_gets_its_own_id():
    a, b = parse(Patient, without(ex.patient(), "id")), parse(Patient, without(ex.patient(), "id"))
    assert isinstance(a.id, uuid.UUID)
    assert a.id != b.id


def test_times_are_normalised_to_utc():
    v = parse(
        Visit, ex.visit(scheduled_start="2026-11-26T04:00:00-05:00", scheduled_end="2026-11-26T15:30+05:30")
    )
    assert v.scheduled_start == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert v.scheduled_start.utcoffset() == timedelta(0)
    assert v.scheduled_end == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def test_names_and_codes_are_tidied():
    p = parse(Patient, with_(ex.patient(), given_name="  Zoë ", diagnoses=[{"code": " e11.9 "}]))
    assert p.given_name == "Zoë"
    assert p.diagnoses[0].code == "E11.9"
    assert p.display_name == "Ñúñez-O'Brien, Zoë"
    assert parse(Visit, ex.visit(service_code=" t1019 ")).service_code == "T1019"


@pytest.mark.parametrize(
    ("given_name", "family_name"),
    [
        ("Zoë", "Ñúñez-O'Brien"),
        ("小明", "王"),
        ("太郎", "山田"),
        ("민준", "김"),
        ("Đặng", "Thị Hương"),
        ("Σωκράτης", "Παπαδόπουλος"),
        ("Ёлка", "Щукина"),
        ("x" * 100, "y"),
    ],
)
def test_names_in_any_script_are_accepted(given_name, family_name):
    p = parse(Patient, with_(ex.patient(), given_name=given_name, family_name=family_name))
    assert (p.given_name, p.family_name) == (given_name, family_name)


@pytest.mark.parametrize(
    ("kind", "unit", "value"),
    [
        (kind, unit, bound)
        for kind, units in OBSERVATION_UNITS.items()
        for unit, (low, high) in units.items()
        for bound in (low, high)
    ],
)
def test_observation_range_bounds_are_inclusive(kind, unit, value):
    o = parse(Observation, ex.observation(kind=kind.value, unit=unit, value=value))
    assert (o.kind, o.unit, o.value) == (kind, unit, value)


def test_a_person_unable_to_sign_gives_a_reason_instead_of_strokes():
    data = ex.signature(
        strokes=[], image_sha256=None, unable_reason="Patient cannot hold a pen", signer_role="spouse"
    )
    assert parse(Signature, data).unable_reason == "Patient cannot hold a pen"


def test_a_check_in_correction_stands_in_for_a_missing_check_in():
    correction = {
        "corrected_time": "2026-11-26T09:05:00Z",
        "reason": "forgot_check_in",
        "corrected_at": "2026-11-26T11:00:00Z",
    }
    v = parse(Visit, ex.visit(check_in_correction=correction))
    assert v.check_in is None
    assert v.effective_check_in == datetime(2026, 11, 26, 9, 5, tzinfo=UTC)


# --- invalid input: each names the field at fault ----------------------------------------------------------

TOMORROW = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
CONTROL = ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\x9b"]
LINE_BREAKS = ["\n", "\r", "\t"]  # fine in a note, never in a one-line field such as a name

INVALID: list[tuple[str, type[Entity], dict[str, Any], str]] = [
    # unknown fields, at the top and nested
    ("unknown field", Patient, with_(ex.patient(), nickname="Zo"), "nickname"),
    (
        "unknown nested field",
        Patient,
        with_(ex.patient(), address={**ex.patient()["address"], "floor": 2}),
        "address.floor",
    ),
    ("unknown visit field", Visit, ex.visit(priority="high"), "priority"),
    ("missing field", Patient, without(ex.patient(), "mrn"), "mrn"),
    # wrong types
    ("number for a name", Patient, with_(ex.patient(), given_name=123), "given_name"),
    ("text for a bool", Patient, with_(ex.patient(), active="maybe"), "active"),
    ("text for a list", Patient, with_(ex.patient(), allergies="penicillin"), "allergies"),
    ("not a date", Patient, with_(ex.patient(), date_of_birth="last spring"), "date_of_birth"),
    ("unknown enum value", Patient, with_(ex.patient(), sex="f"), "sex"),
    ("not a uuid", Visit, ex.visit(patient_id="patient-1"), "patient_id"),
    ("number for a service code", Visit, ex.visit(service_code=1019), "service_code"),
    ("text for a number", Observation, ex.observation(value="seventy"), "value"),
    (
        "float for a count",
        DayReport,
        ex.day_report(summary={**ex.day_report()["summary"], "notes": 1.5}),
        "summary.notes",
    ),
    (
        "negative count",
        DayReport,
        ex.day_report(summary={**ex.day_report()["summary"], "notes": -1}),
        "summary.notes",
    ),
    ("not a day", DayReport, ex.day_report(day="Thursday"), "day"),
    # lengths
    ("over-long given name", Patient, with_(ex.patient(), given_name="x" * 101), "given_name"),
    ("over-long family name", Patient, with_(ex.patient(), family_name="Ñ" * 101), "family_name"),
    ("blank name", Patient, with_(ex.patient(), given_name="   "), "given_name"),
    (
        "over-long contact name",
        Patient,
        with_(
            ex.patient(), emergency_contact={"name": "y" * 101, "relationship": "son", "phone": "555-0101"}
        ),
        "emergency_contact.name",
    ),
    ("over-long signer name", Signature, ex.signature(signer_name="王" * 101), "signer_name"),
    (
        "over-long short text",
        Patient,
        with_(ex.patient(), allergies=[{"substance": "Latex", "reaction": "r" * 201}]),
        "allergies.0.reaction",
    ),
    ("over-long note", VisitNote, ex.note(text="n" * 10_001), "text"),
    ("empty note", VisitNote, ex.note(text=" \n\t "), "*"),
    ("note amending itself", VisitNote, ex.note(amends=str(ex.NOTE_ID)), "*"),
    ("bad phone", Patient, with_(ex.patient(), phone="call me"), "phone"),
    (
        "bad country",
        Patient,
        with_(ex.patient(), address={**ex.patient()["address"], "country": "usa"}),
        "address.country",
    ),
    (
        "latitude out of range",
        Patient,
        with_(ex.patient(), address={**ex.patient()["address"], "latitude": 91}),
        "address.latitude",
    ),
    # control characters
    *[
        (
            f"control character {ch!r} in a name",
            Patient,
            with_(ex.patient(), family_name=f"Nu{ch}nez"),
            "family_name",
        )
        for ch in CONTROL + LINE_BREAKS
    ],
    *[
        (f"control character {ch!r} in a note", VisitNote, ex.note(text=f"BP ok{ch}"), "text")
        for ch in CONTROL
    ],
    (
        "control character in a city",
        Patient,
        with_(ex.patient(), address={**ex.patient()["address"], "city": "Mill\x00brook"}),
        "address.city",
    ),
    (
        "control character in a correction comment",
        Visit,
        ex.visit(
            check_in_correction={
                "corrected_time": "2026-11-26T09:05:00Z",
                "reason": "other",
                "comment": "pad\x1b",
                "corrected_at": "2026-11-26T11:00:00Z",
            }
        ),
        "check_in_correction.comment",
    ),
    # times
    ("naive scheduled start", Visit, ex.visit(scheduled_start="2026-11-26T09:00:00"), "scheduled_start"),
    ("naive note time", VisitNote, ex.note(written_at="2026-11-26T09:30:00"), "written_at"),
    (
        "naive observation time",
        Observation,
        ex.observation(observed_at=datetime(2026, 11, 26, 9, 10)),
        "observed_at",
    ),
    ("naive signing time", Signature, ex.signature(signed_at="2026-11-26T09:59:00"), "signed_at"),
    ("naive submission time", DayReport, ex.day_report(submitted_at="2026-11-26T17:30:00"), "submitted_at"),
    (
        "naive correction time",
        Visit,
        ex.visit(
            check_in_correction={
                "corrected_time": "2026-11-26T09:05:00",
                "reason": "forgot_check_in",
                "corrected_at": "2026-11-26T11:00:00Z",
            }
        ),
        "check_in_correction.corrected_time",
    ),
    ("birth date in the future", Patient, with_(ex.patient(), date_of_birth=TOMORROW), "date_of_birth"),
    ("birth date before 1880", Patient, with_(ex.patient(), date_of_birth="1879-12-31"), "date_of_birth"),
    # identifiers and codes
    *[
        (f"bad MRN {mrn!r}", Patient, with_(ex.patient(), mrn=mrn), "mrn")
        for mrn in ["", "   ", "MRN 1001", "MRN_1001", "MRN/1001", "M" * 33, "MRN-1001\n2", "МРН-1"]
    ],
    *[
        (
            f"bad ICD-10 code {code!r}",
            Patient,
            with_(ex.patient(), diagnoses=[{"code": code}]),
            "diagnoses.0.code",
        )
        for code in ["", "I5", "150.9", "I50.", "I50.12345", "I50-9", "I50.9 x", "II0"]
    ],
    (
        "second diagnosis bad",
        Patient,
        with_(ex.patient(), diagnoses=[{"code": "I50.9"}, {"code": "heart"}]),
        "diagnoses.1.code",
    ),
    *[
        (f"bad service code {code!r}", Visit, ex.visit(service_code=code), "service_code")
        for code in ["", "G-0156", "G0156G0156G", "G 0156"]
    ],
    *[
        (f"bad content digest {sha!r}", Signature, ex.signature(content_sha256=sha), "content_sha256")
        for sha in ["", "A" * 64, "a" * 63, "a" * 65, "g" * 64, "a" * 64 + "\n", " " + "a" * 63]
    ],
    ("bad image digest", Signature, ex.signature(image_sha256="not-a-digest"), "image_sha256"),
    ("bad report digest", DayReport, ex.day_report(pdf_sha256="0" * 40), "pdf_sha256"),
    # locations
    (
        "GPS location without coordinates",
        Visit,
        ex.visit(check_in=ex.check_in(location={"kind": "gps"})),
        "check_in.location",
    ),
    (
        "GPS location with latitude only",
        Visit,
        ex.visit(check_in=ex.check_in(location={"kind": "gps", "latitude": 41.7})),
        "check_in.location",
    ),
    (
        "home location with coordinates",
        Visit,
        ex.visit(check_in=ex.check_in(location={"kind": "home", "latitude": 41.7, "longitude": -73.6})),
        "check_in.location",
    ),
    (
        "community location with a longitude",
        Visit,
        ex.visit(check_in=ex.check_in(location={"kind": "community", "longitude": -73.6})),
        "check_in.location",
    ),
    (
        "check-out location at home with coordinates",
        Visit,
        ex.completed_visit(
            check_out={**ex.check_out(), "location": {"kind": "home", "latitude": 1.0, "longitude": 2.0}}
        ),
        "check_out.location",
    ),
    (
        "negative GPS accuracy",
        Visit,
        ex.visit(
            check_in=ex.check_in(
                location={"kind": "gps", "latitude": 1.0, "longitude": 2.0, "accuracy_m": -1}
            )
        ),
        "check_in.location.accuracy_m",
    ),
    # visit times
    ("visit ends before it starts", Visit, ex.visit(scheduled_end="2026-11-26T08:00:00Z"), "*"),
    ("visit ends when it starts", Visit, ex.visit(scheduled_end="2026-11-26T09:00:00Z"), "*"),
    ("checked out without check-in", Visit, ex.visit(check_out=ex.check_out()), "*"),
    (
        "checked out before check-in",
        Visit,
        ex.visit(
            check_in=ex.check_in(at="2026-11-26T09:30:00Z"), check_out=ex.check_out(at="2026-11-26T09:29:59Z")
        ),
        "*",
    ),
    (
        "corrected check-out before check-in",
        Visit,
        ex.completed_visit(
            check_out_correction={
                "corrected_time": "2026-11-26T08:00:00Z",
                "reason": "forgot_check_out",
                "corrected_at": "2026-11-26T11:00:00Z",
            }
        ),
        "*",
    ),
    (
        "'other' correction without comment",
        Visit,
        ex.completed_visit(
            check_in_correction={
                "corrected_time": "2026-11-26T09:05:00Z",
                "reason": "other",
                "corrected_at": "2026-11-26T11:00:00Z",
            }
        ),
        "check_in_correction",
    ),
    (
        "'other' correction with a blank comment",
        Visit,
        ex.completed_visit(
            check_out_correction={
                "corrected_time": "2026-11-26T09:55:00Z",
                "reason": "other",
                "comment": "   ",
                "corrected_at": "2026-11-26T11:00:00Z",
            }
        ),
        "check_out_correction",
    ),
    (
        "unknown correction reason",
        Visit,
        ex.completed_visit(
            check_in_correction={
                "corrected_time": "2026-11-26T09:05:00Z",
                "reason": "felt like it",
                "comment": "x",
                "corrected_at": "2026-11-26T11:00:00Z",
            }
        ),
        "check_in_correction.reason",
    ),
    # observations
    ("unit not allowed for the kind", Observation, ex.observation(unit="mmHg"), "*"),
    (
        "Fahrenheit value with Celsius unit",
        Observation,
        ex.observation(kind="temperature", unit="Cel", value=98.6),
        "*",
    ),
    ("heart rate out of range", Observation, ex.observation(value=400), "*"),
    ("oxygen saturation above 100 %", Observation, ex.observation(kind="spo2", unit="%", value=100.5), "*"),
    ("negative pain score", Observation, ex.observation(kind="pain_score", unit="{score}", value=-1), "*"),
    ("unknown kind", Observation, ex.observation(kind="mood"), "kind"),
    ("NaN value", Observation, ex.observation(value=math.nan), "value"),
    ("NaN as text", Observation, ex.observation(value="NaN"), "value"),
    ("infinite value", Observation, ex.observation(value=math.inf), "value"),
    # signatures
    ("neither strokes nor unable reason", Signature, ex.signature(strokes=[], image_sha256=None), "*"),
    ("both strokes and unable reason", Signature, ex.signature(unable_reason="Tremor"), "*"),
    ("strokes without image", Signature, ex.signature(image_sha256=None), "*"),
    ("empty stroke", Signature, ex.signature(strokes=[[]]), "*"),
    (
        "pressure above 1",
        Signature,
        ex.signature(strokes=[[{"x": 1, "y": 1, "t": 0, "pressure": 1.5}]]),
        "strokes.0.0.pressure",
    ),
    ("unknown signer role", Signature, ex.signature(signer_role="neighbour"), "signer_role"),
    ("empty meaning", Signature, ex.signature(meaning=""), "meaning"),
]


@pytest.mark.parametrize(
    ("cls", "data", "field"), [case[1:] for case in INVALID], ids=[case[0] for case in INVALID]
)
def test_invalid_input_names_the_field(cls, data, field):
    assert set(problems(cls, data)) == {field}


def test_several_problems_are_reported_together():
    data = with_(ex.patient(), mrn="bad mrn", given_name="", date_of_birth=TOMORROW, nickname="Z")
    assert set(problems(Patient, data)) == {"mrn", "given_name", "date_of_birth", "nickname"}


def test_parse_rejects_something_that_is_not_a_record():
    assert set(problems(Visit, ["not", "a", "visit"])) == {"*"}


# --- immutability and revise -------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", list(ex.EXAMPLES), ids=lambda c: c.__name__)
def test_records_are_frozen(cls):
    obj = parse(cls, ex.EXAMPLES[cls]())
    name = data_fields(cls)[0]
    before = getattr(obj, name)
    with pytest.raises(PydanticValidationError, match="frozen"):
        setattr(obj, name, before)
    with pytest.raises(PydanticValidationError, match="frozen"):
        obj.id = uuid.uuid4()
    assert getattr(obj, name) == before


def test_value_objects_inside_records_are_frozen_too():
    p = parse(Patient, ex.patient())
    with pytest.raises(PydanticValidationError, match="frozen"):
        p.address.city = "Elsewhere"
    with pytest.raises(PydanticValidationError, match="frozen"):
        p.diagnoses[0].code = "Z99"
    assert p.address.city == "Millbrook"


def test_revise_returns_a_changed_copy_and_leaves_the_original_alone():
    p = parse(Patient, ex.patient())
    moved = p.revise(phone="555-0199", given_name="  Zoe ")
    assert (moved.phone, moved.given_name, moved.id) == ("555-0199", "Zoe", p.id)
    assert (p.phone, p.given_name) == ("+1 (555) 010-2334", "Zoë")
    assert moved.model_dump(exclude={"phone", "given_name"}) == p.model_dump(exclude={"phone", "given_name"})


@pytest.mark.parametrize(
    ("cls", "changes", "field"),
    [
        (Patient, {"mrn": "bad mrn"}, "mrn"),
        (Patient, {"date_of_birth": date.fromisoformat(TOMORROW)}, "date_of_birth"),
        (Patient, {"nickname": "Z"}, "nickname"),
        (Visit, {"check_out": None, "check_in": None, "check_out_correction": None}, None),
        (Visit, {"check_in": None}, "*"),
        (Visit, {"scheduled_end": datetime(2026, 11, 26, 8, tzinfo=UTC)}, "*"),
        (Visit, {"scheduled_start": datetime(2026, 11, 26, 8)}, "scheduled_start"),
        (Observation, {"value": 400.0}, "*"),
        (Signature, {"unable_reason": "Tremor"}, "*"),
    ],
)
def test_revise_validates(cls, changes, field):
    obj = parse(cls, ex.EXAMPLES[cls]())
    if field is None:
        assert obj.revise(**changes).check_in is None
        return
    with pytest.raises(ValidationError) as caught:
        obj.revise(**changes)
    assert set(caught.value.problems) == {field}
    assert caught.value.entity == cls.entity_name


# --- round trip through the wire form ----------------------------------------------------------------------

ZONES = st.sampled_from([UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))])
# Printable text in every script, with no control characters (the only ones allowed in LongText are added).
letters = st.characters(categories=["L", "M", "N", "P", "S", "Zs"])
names = st.text(letters, min_size=1, max_size=100).filter(lambda t: t.strip())
short_texts = st.text(letters, max_size=200)
long_texts = st.text(st.one_of(letters, st.sampled_from("\n\t")), max_size=300)
uuids = st.uuids(version=4).map(str)
sha256s = st.binary(min_size=32, max_size=32).map(bytes.hex)


instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=ZONES)


def wire(dt: datetime) -> str:
    return dt.isoformat()


def optional(strategy):
    return st.none() | strategy


locations = st.one_of(
    st.fixed_dictionaries(
        {"kind": st.just("gps"), "latitude": st.floats(-90, 90), "longitude": st.floats(-180, 180)},
        optional={"accuracy_m": st.floats(0, 100_000)},
    ),
    st.fixed_dictionaries(
        {"kind": st.sampled_from([k.value for k in LocationKind if k is not LocationKind.GPS])}
    ),
)
addresses = st.fixed_dictionaries(
    {"line1": names, "city": names},
    optional={
        "line2": short_texts,
        "region": short_texts,
        "postal_code": st.from_regex(r"[0-9A-Z]{0,10}", fullmatch=True),
        "country": st.from_regex(r"[A-Z]{2}", fullmatch=True),
        "latitude": optional(st.floats(-90, 90)),
        "longitude": optional(st.floats(-180, 180)),
    },
)
phones = st.from_regex(r"\+?[0-9][0-9 ()\-.]{1,29}[0-9]", fullmatch=True)
patients = st.fixed_dictionaries(
    {
        "id": uuids,
        "mrn": st.from_regex(r"[A-Za-z0-9\-]{1,32}", fullmatch=True),
        "given_name": names,
        "family_name": names,
        "date_of_birth": st.dates(date(1880, 1, 1), date(2020, 12, 31)).map(date.isoformat),
    },
    optional={
        "sex": st.sampled_from(["female", "male", "other", "unknown"]),
        "phone": optional(phones),
        "address": optional(addresses),
        "emergency_contact": optional(
            st.fixed_dictionaries({"name": names, "relationship": short_texts, "phone": phones})
        ),
        "allergies": st.lists(
            st.fixed_dictionaries(
                {"substance": names},
                optional={
                    "reaction": short_texts,
                    "severity": st.sampled_from(["mild", "moderate", "severe", "unknown"]),
                },
            ),
            max_size=3,
        ),
        "diagnoses": st.lists(
            st.fixed_dictionaries(
                {"code": st.from_regex(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?", fullmatch=True)},
                optional={"description": short_texts},
            ),
            max_size=3,
        ),
        "care_plan": long_texts,
        "active": st.booleans(),
    },
)


@st.composite
def visits(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(instants)
    data = {
        "id": draw(uuids),
        "patient_id": draw(uuids),
        "worker_id": draw(uuids),
        "scheduled_start": wire(start),
        "scheduled_end": wire(start + timedelta(minutes=draw(st.integers(1, 24 * 60)))),
        "service_code": draw(st.from_regex(r"[A-Z0-9]{1,10}", fullmatch=True)),
        "status": draw(st.sampled_from(["scheduled", "in_progress", "completed", "missed", "cancelled"])),
    }
    if signature_id := draw(optional(uuids)):
        data["signature_id"] = signature_id
    # The times that count: begin, and an end not before it; each either read or corrected.
    begin = draw(optional(instants))
    end = (
        None
        if begin is None
        else draw(optional(st.timedeltas(timedelta(0), timedelta(hours=12)).map(begin.__add__)))
    )

    def event(at: datetime) -> dict[str, Any]:
        return {
            "device_time": wire(at - timedelta(seconds=draw(st.integers(-300, 300)))),
            "server_time": wire(at),
            "location": draw(optional(locations)),
        }

    def correction(at: datetime) -> dict[str, Any]:
        reason = draw(st.sampled_from(["forgot_check_in", "forgot_check_out", "device_failure", "other"]))
        comment = draw(short_texts.filter(str.strip)) if reason == "other" else draw(short_texts)
        return {
            "corrected_time": wire(at),
            "reason": reason,
            "comment": comment,
            "corrected_at": wire(draw(instants)),
        }

    if begin is not None:
        how = draw(st.sampled_from(["read", "corrected", "forgot"]))
        if how == "read":
            data["check_in"] = event(begin)
        else:
            data["check_in_correction"] = correction(begin)
            if how == "corrected":
                data["check_in"] = event(draw(instants))
        if end is not None:
            how = draw(st.sampled_from(["read", "corrected", "forgot"]))
            if how == "forgot" or (how == "read" and "check_in" not in data):
                data["check_out_correction"] = correction(end)
            elif how == "read":
                data["check_out"] = event(end)
            else:
                data["check_out_correction"] = correction(end)
                if "check_in" in data:
                    data["check_out"] = event(draw(instants))
    return data


notes = st.fixed_dictionaries(
    {
        "id": uuids,
        "visit_id": uuids,
        "patient_id": uuids,
        "author_id": uuids,
        "text": long_texts.filter(str.strip),
        "written_at": instants.map(wire),
    },
    optional={"amends": optional(st.uuids(version=1).map(str))},
)


@st.composite
def observations(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(list(ObservationKind)))
    unit = draw(st.sampled_from(sorted(OBSERVATION_UNITS[kind])))
    low, high = OBSERVATION_UNITS[kind][unit]
    return {
        "id": draw(uuids),
        "visit_id": draw(uuids),
        "patient_id": draw(uuids),
        "kind": kind.value,
        "unit": unit,
        "value": draw(st.floats(low, high)),
        "observed_at": wire(draw(instants)),
        "entered_in_error": draw(st.booleans()),
    }


points = st.fixed_dictionaries(
    {"x": st.floats(-10_000, 10_000), "y": st.floats(-10_000, 10_000), "t": st.integers(0, 3_600_000)},
    optional={"pressure": st.floats(0, 1)},
)
signatures = st.fixed_dictionaries(
    {
        "id": uuids,
        "visit_id": uuids,
        "patient_id": uuids,
        "signer_name": names,
        "signer_role": st.sampled_from(
            ["patient", "spouse", "child", "parent", "legal_guardian", "caregiver", "other"]
        ),
        "meaning": st.text(letters, min_size=1, max_size=50),
        "signed_at": instants.map(wire),
        "content_sha256": sha256s,
    }
).flatmap(
    lambda base: st.one_of(
        st.fixed_dictionaries(
            {
                "strokes": st.lists(st.lists(points, min_size=1, max_size=5), min_size=1, max_size=3),
                "image_sha256": sha256s,
            }
        ),
        st.fixed_dictionaries({"unable_reason": short_texts.filter(str.strip)}),
    ).map(lambda extra: {**base, **extra})
)
counts = st.integers(0, 10_000)
day_reports = st.fixed_dictionaries(
    {
        "id": uuids,
        "worker_id": uuids,
        "day": st.dates(date(2020, 1, 1), date(2099, 12, 31)).map(date.isoformat),
        "summary": st.fixed_dictionaries(
            {
                name: counts
                for name in (
                    "visits_scheduled",
                    "visits_completed",
                    "visits_missed",
                    "visits_unsigned",
                    "visits_missing_evv",
                    "notes",
                    "observations",
                    "unsent_changes",
                    "open_conflicts",
                )
            }
        ),
        "pdf_sha256": sha256s,
        "submitted_at": instants.map(wire),
    }
)

WIRE_STRATEGIES = {
    Patient: patients,
    Visit: visits(),
    VisitNote: notes,
    Observation: observations(),
    Signature: signatures,
    DayReport: day_reports,
}


def assert_round_trips(obj: Entity) -> None:
    cls = type(obj)
    dumped = obj.model_dump(mode="json")
    assert parse(cls, dumped) == obj
    # The way it really travels: JSON bytes over HTTP or in the outbox.
    again = parse(cls, orjson.loads(orjson.dumps(dumped)))
    assert again == obj
    assert again.model_dump(mode="json") == dumped


@pytest.mark.parametrize("cls", list(WIRE_STRATEGIES), ids=lambda c: c.__name__)
@settings(deadline=None, max_examples=150)
@given(data=st.data())
def test_round_trip_through_the_wire_form(cls, data):
    obj = parse(cls, data.draw(WIRE_STRATEGIES[cls], label=cls.__name__))
    assert_round_trips(obj)


@pytest.mark.parametrize(
    ("cls", "data"),
    [
        (Patient, ex.patient()),
        (
            Patient,
            with_(ex.patient(), given_name="小明", family_name="王", care_plan="每日测量体重。\n低盐饮食。"),
        ),
        (
            Patient,
            with_(
                ex.patient(),
                given_name="太郎",
                family_name="山田",
                address=None,
                emergency_contact=None,
                allergies=[],
                diagnoses=[],
                phone=None,
            ),
        ),
        (Patient, with_(ex.patient(), given_name="  Zoë ", diagnoses=[{"code": "e11.65"}])),
        (Visit, ex.visit()),
        (
            Visit,
            ex.completed_visit(
                check_in_correction={
                    "corrected_time": "2026-11-26T04:05:00.123456-05:00",
                    "reason": "other",
                    "comment": "Tablet froze; Zoë's son confirmed arrival time",
                    "corrected_at": "2026-11-26T11:00:00Z",
                },
                signature_id=str(ex.SIGNATURE_ID),
            ),
        ),
        (VisitNote, ex.note(amends=str(uuid.UUID(int=7)))),
        (Observation, ex.observation(kind="temperature", unit="[degF]", value=98.6)),
        (Observation, ex.observation(kind="blood_glucose", unit="mmol/L", value=5.55, entered_in_error=True)),
        (Signature, ex.signature()),
        (
            Signature,
            ex.signature(strokes=[], image_sha256=None, unable_reason="Patient is blind; verbal consent"),
        ),
        (DayReport, ex.day_report()),
    ],
)
def test_rich_examples_round_trip(cls, data):
    assert_round_trips(parse(cls, data))


def test_notes_keep_line_breaks_from_any_platform() -> None:
    note = parse(VisitNote, ex.note(text="Line one\r\nLine two\n\tindented"))
    assert note.text == "Line one\r\nLine two\n\tindented"


def test_a_forgotten_check_in_can_be_corrected_and_the_visit_checked_out() -> None:
    correction = {
        "corrected_time": "2026-11-26T09:05:00Z",
        "reason": "forgot_check_in",
        "corrected_at": "2026-11-26T10:00:00Z",
    }
    check_out = {"device_time": "2026-11-26T10:00:00Z", "server_time": "2026-11-26T10:00:01Z"}
    v = parse(Visit, ex.visit(check_in_correction=correction, check_out=check_out))
    assert v.check_in is None and v.effective_check_out is not None
    with pytest.raises(ValidationError, match="checked in"):
        parse(Visit, ex.visit(check_out=check_out))


def test_lists_inside_records_cannot_be_changed_in_place() -> None:
    patient = parse(Patient, ex.patient())
    with pytest.raises(AttributeError):
        patient.allergies.append(patient.allergies[0])  # type: ignore[attr-defined]
