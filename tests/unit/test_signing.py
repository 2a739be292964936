"""The digest that binds a signature (fieldapp.domain.signing) and the file types told from bytes
(fieldapp.domain.files)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldapp.domain import files, signing
from fieldapp.domain.attestation import content_digest, still_attests
from fieldapp.domain.entities import Observation, Signature, Visit, VisitNote, parse
from fieldapp.domain.signing import SignaturePart
from tests.unit import examples as ex

# Computed once from ex.signature(); if this changes, every signature ever sealed stops verifying.
# Only change it together with DIGEST_VERSION (and keep checking version-1 digests as they were).
PINNED = "578d28c7ca778d2b05866192a5701c01b08f13a3a0cb4c0f5132889f2141602a"


def wire(**changes: Any) -> dict[str, Any]:
    """The example signature as the server stores it (the model's JSON form), sealed."""
    signature = parse(Signature, ex.signature(**changes))
    values = signature.model_dump(mode="json")
    values["digest"] = signing.digest_of(str(signature.id), values).model_dump(mode="json")
    del values["id"]
    return values


RECORD_ID = str(ex.SIGNATURE_ID)


def test_the_digest_of_a_fixed_example_is_pinned() -> None:
    assert wire()["digest"]["sha256"] == PINNED


def test_a_sealed_signature_is_intact_and_a_signature_without_digest_was_made_before_digests() -> None:
    assert signing.check(RECORD_ID, wire()).intact
    old = wire()
    del old["digest"]
    result = signing.check(RECORD_ID, old)
    assert result.made_before_digests and not result.intact and result.problems() == []


EXTRA_POINT = {"x": 1.0, "y": 1.0, "t": 20, "pressure": 0.5}

# Each tampering of one captured thing is reported as exactly its part.
TAMPERINGS: list[tuple[str, Any, SignaturePart]] = [
    ("a point moved", lambda v: v["strokes"][0][0].update(x=11.0), SignaturePart.STROKES),
    ("a time changed", lambda v: v["strokes"][0][1].update(t=17), SignaturePart.STROKES),
    ("a pressure changed", lambda v: v["strokes"][0][0].update(pressure=0.41), SignaturePart.STROKES),
    ("a point added", lambda v: v["strokes"][0].append(dict(EXTRA_POINT)), SignaturePart.STROKES),
    ("strokes reordered", lambda v: v["strokes"][0].reverse(), SignaturePart.STROKES),
    ("another image", lambda v: v.update(image_sha256=ex.SHA_B), SignaturePart.IMAGE),
    ("image removed", lambda v: v.update(image_sha256=None), SignaturePart.IMAGE),
    ("another signer", lambda v: v.update(signer_name="Zoe Nunez"), SignaturePart.SIGNER),
    ("another role", lambda v: v.update(signer_role="caregiver"), SignaturePart.SIGNER),
    ("another meaning", lambda v: v.update(meaning="I was not there."), SignaturePart.SIGNER),
    ("a reason added", lambda v: v.update(unable_reason="Tremor"), SignaturePart.SIGNER),
    ("other content", lambda v: v.update(content_sha256=ex.SHA_A), SignaturePart.CONTENT),
    ("another visit", lambda v: v.update(visit_id=str(uuid.uuid4())), SignaturePart.RECORD),
    ("another patient", lambda v: v.update(patient_id=str(uuid.uuid4())), SignaturePart.RECORD),
    ("another time", lambda v: v.update(signed_at="2026-11-26T10:59:00Z"), SignaturePart.RECORD),
]  # fmt: skip


@pytest.mark.parametrize(("what", "tamper", "part"), TAMPERINGS, ids=[t[0] for t in TAMPERINGS])
def test_each_part_changed_is_named(what: str, tamper: Any, part: SignaturePart) -> None:
    values = wire()
    tamper(values)
    result = signing.check(RECORD_ID, values)
    assert result.changed == (part,), what
    assert not result.digest_altered and not result.intact
    assert result.problems() == [f"{signing.PART_WORDS[part]} no longer match the digest made at signing"]


def test_a_signature_moved_onto_another_id_no_longer_matches_its_record_part() -> None:
    assert signing.check(str(uuid.uuid4()), wire()).changed == (SignaturePart.RECORD,)


def test_a_digest_rewritten_to_fit_altered_strokes_still_shows_the_digest_was_altered() -> None:
    values = wire()
    values["strokes"][0][0]["x"] = 99.0
    # The forger recomputes the strokes part but cannot leave the overall SHA-256 as it was and be consistent.
    values["digest"]["strokes"] = signing.part_digests(RECORD_ID, values)[SignaturePart.STROKES]
    result = signing.check(RECORD_ID, values)
    assert result.changed == () and result.digest_altered
    assert "the digest itself was altered" in result.problems()[0]


@pytest.mark.parametrize(
    "bad", [{"sha256": "nope"}, "a string", {"version": 2}, {**wire()["digest"], "extra": 1}, []]
)
def test_a_malformed_digest_is_reported_as_altered(bad: Any) -> None:
    values = wire()
    values["digest"] = bad
    result = signing.check(RECORD_ID, values)
    assert result.digest_altered and not result.made_before_digests and not result.intact


points = st.builds(
    dict,
    x=st.floats(-10_000, 10_000, allow_nan=False),
    y=st.floats(-10_000, 10_000, allow_nan=False),
    t=st.integers(0, 3_600_000),
    pressure=st.floats(0, 1, allow_nan=False),
)


@settings(max_examples=60, deadline=None)
@given(
    strokes=st.lists(st.lists(points, min_size=1, max_size=8), min_size=1, max_size=4),
    index=st.integers(0, 31),
    field=st.sampled_from(["x", "y", "t", "pressure"]),
)
def test_any_change_to_any_sample_is_caught_and_parsing_afresh_changes_nothing(
    strokes: list[list[dict[str, Any]]], index: int, field: str
) -> None:
    values = wire(strokes=strokes)
    # What the server does on arrival: parse the wire form again and recompute.
    again = parse(Signature, {"id": RECORD_ID, **values}).model_dump(mode="json")
    assert signing.check(RECORD_ID, again).intact
    flat = [p for stroke in values["strokes"] for p in stroke]
    point = flat[index % len(flat)]
    point[field] = point[field] + 1 if field == "t" or point[field] < 0.5 else point[field] - 0.25
    assert signing.check(RECORD_ID, values).changed == (SignaturePart.STROKES,)


def test_the_migration_copy_of_the_digest_matches_the_domain() -> None:
    import importlib

    migration = importlib.import_module("fieldapp.store.migrations.versions.0007_signature_digest")
    values = wire()
    del values["digest"]
    assert migration.digest_v1(RECORD_ID, values) == signing.digest_of(RECORD_ID, values).model_dump(
        mode="json"
    )


# -- attested content after amendments ---------------------------------------------------------------------


def test_a_later_amendment_does_not_make_the_signature_stop_attesting() -> None:
    visit = parse(Visit, ex.completed_visit())
    note = parse(VisitNote, ex.note())
    signed_at = note.written_at + timedelta(minutes=5)
    digest = content_digest(visit, [note], [])
    addendum = parse(
        VisitNote,
        ex.note(
            id=str(uuid.uuid4()), text="Addendum.", written_at=(signed_at + timedelta(hours=1)).isoformat()
        ),
    )
    late_vital = parse(
        Observation,
        ex.observation(id=str(uuid.uuid4()), observed_at=(signed_at + timedelta(hours=1)).isoformat()),
    )
    assert still_attests(visit, [note, addendum], [late_vital], signed_at, digest)
    changed = parse(VisitNote, {**note.model_dump(mode="json"), "text": "Something else."})
    assert not still_attests(visit, [changed, addendum], [], signed_at, digest)
    assert not still_attests(visit, [], [], signed_at, digest), "a note removed is a change"


# -- file types ----------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PNG, files.PNG),
        (PDF, files.PDF),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"#!/bin/sh\nrm -rf /\n", None),
        (b"GIF89a", None),
        (b"\x89PNG\r\n", None),  # cut short
        (b"%PDF", None),
        (b" %PDF-1.7", None),  # not at the start
        (b"", None),
    ],
)
def test_the_type_is_told_from_the_first_bytes(content: bytes, expected: str | None) -> None:
    assert files.sniff(content) == expected


@pytest.mark.parametrize(
    ("content", "declared", "words"),
    [
        (PNG, files.PDF, "declared application/pdf but its bytes are a PNG image"),
        (PDF, files.PNG, "declared image/png but its bytes are a PDF document"),
        (b"hello", files.PNG, "not a PNG image"),
        (PNG, "image/svg+xml", "must be one of"),
        (PNG, "", "an undeclared type"),
        (b"", files.PNG, "empty"),
        (PNG + b"\x00" * files.KINDS[files.PNG].max_bytes, files.PNG, "at most 1024 KiB"),
    ],
)
def test_a_file_not_of_its_declared_type_is_refused_with_the_reason(
    content: bytes, declared: str, words: str
) -> None:
    problem = files.problem(content, declared)
    assert problem is not None and words in problem


def test_files_of_their_declared_type_within_limits_are_accepted() -> None:
    assert files.problem(PNG, files.PNG) is None
    assert files.problem(PDF + b"x" * (3 * 1024 * 1024), files.PDF) is None


@settings(max_examples=200, deadline=None)
@given(content=st.binary(max_size=64), declared=st.sampled_from([files.PNG, files.PDF, "text/plain", ""]))
def test_arbitrary_bytes_are_accepted_only_as_the_type_they_begin_with(content: bytes, declared: str) -> None:
    accepted = files.problem(content, declared) is None
    assert accepted == (declared in files.KINDS and files.sniff(content) == declared)
