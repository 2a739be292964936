"""What a signature attests, in one canonical form, and its SHA-256.

The digest covers the visit's verification fields and the notes, observations and plan-of-care task
outcomes recorded for it at the moment of signing (an outcome's entered-in-error mark is left out: it may
be added after signing and leaves the signed outcome as it was). The outcomes enter the content only when
there are some (under ``tasks``), so the content of a visit without any, and every digest made before
outcomes existed, stays exactly what it was. Anyone holding the same records (the tablet, the server, an
auditor) recomputes the same digest, so a signature is bound to the content it was given for, not a loose
picture.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from fieldapp.domain.care import TaskOutcome
from fieldapp.domain.entities import ERROR_MARK_FIELDS, Observation, Visit, VisitNote
from fieldapp.domain.merge import canonical

ATTESTATION_VERSION = 1
# The records of a visit whose content a signature attests, besides the visit itself.
ATTESTED_CHILDREN: tuple[str, ...] = ("visit_note", "observation", "task_outcome")

# The visit fields a signature locks; later changes to them are refused (amend with a note instead).
ATTESTED_VISIT_FIELDS: tuple[str, ...] = (
    "patient_id",
    "worker_id",
    "service_code",
    "scheduled_start",
    "scheduled_end",
    "check_in",
    "check_out",
    "check_in_correction",
    "check_out_correction",
)


def attested_content(
    visit: Visit,
    notes: Iterable[VisitNote],
    observations: Iterable[Observation],
    outcomes: Iterable[TaskOutcome] = (),
) -> dict[str, Any]:
    """The canonical content a signature attests, as plain JSON values in a fixed order."""
    visit_json = visit.model_dump(mode="json")
    note_list = sorted((n for n in notes if n.visit_id == visit.id), key=lambda n: (n.written_at, str(n.id)))
    obs_list = sorted(
        (o for o in observations if o.visit_id == visit.id), key=lambda o: (o.observed_at, str(o.id))
    )
    content: dict[str, Any] = {
        "version": ATTESTATION_VERSION,
        "visit": {"id": visit_json["id"], **{name: visit_json[name] for name in ATTESTED_VISIT_FIELDS}},
        "notes": [n.model_dump(mode="json", exclude={"patient_id", "visit_id"}) for n in note_list],
        "observations": [o.model_dump(mode="json", exclude={"patient_id", "visit_id"}) for o in obs_list],
    }
    # An undone tap (outcome None) attests nothing; tasks in the order of their ids (stable everywhere).
    task_list = sorted((t for t in outcomes if t.visit_id == visit.id and t.outcome), key=lambda t: str(t.id))
    if task_list:
        # The entered-in-error mark is an annotation made after the fact (even after signing), not content.
        left_out = {"patient_id", "visit_id", *ERROR_MARK_FIELDS}
        content["tasks"] = [t.model_dump(mode="json", exclude=left_out) for t in task_list]
    return content


def content_digest(
    visit: Visit,
    notes: Iterable[VisitNote],
    observations: Iterable[Observation],
    outcomes: Iterable[TaskOutcome] = (),
) -> str:
    """SHA-256 (hex) of the canonical attested content."""
    return hashlib.sha256(canonical(attested_content(visit, notes, observations, outcomes))).hexdigest()


def record_digest(entity: str, record_id: str, values: dict[str, Any]) -> str:
    """SHA-256 (hex) of one record's wire values: the server's receipt and the tablet compare these."""
    return hashlib.sha256(canonical({"entity": entity, "id": record_id, "fields": values})).hexdigest()


def still_attests(
    visit: Visit,
    notes: Iterable[VisitNote],
    observations: Iterable[Observation],
    signed_at: datetime,
    content_sha256: str,
    outcomes: Iterable[TaskOutcome] = (),
) -> bool:
    """Whether a signature's content digest still matches the visit as held now.

    Notes and vitals recorded after the signing are addenda (the signed content stays locked, later
    changes are new records), so the content is first taken as it was at ``signed_at``; a tablet whose
    clock disagreed with the note's author gets the benefit of the content as a whole.
    """
    notes, observations, outcomes = list(notes), list(observations), list(outcomes)
    earlier_notes = [n for n in notes if n.written_at <= signed_at]
    earlier_observations = [o for o in observations if o.observed_at <= signed_at]
    earlier_outcomes = [t for t in outcomes if t.recorded_at <= signed_at]
    if content_digest(visit, earlier_notes, earlier_observations, earlier_outcomes) == content_sha256:
        return True
    complete = (len(earlier_notes), len(earlier_observations), len(earlier_outcomes)) == (
        len(notes),
        len(observations),
        len(outcomes),
    )
    return not complete and content_digest(visit, notes, observations, outcomes) == content_sha256
