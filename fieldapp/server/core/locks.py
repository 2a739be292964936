"""What a signature locks on the server: the attested visit fields a push may no longer change, and the
task outcomes of a signed visit (only their entered-in-error mark may still be set)."""

from __future__ import annotations

from typing import Any

from fieldapp.domain.attestation import ATTESTED_VISIT_FIELDS
from fieldapp.domain.care import changes_what_was_recorded
from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import RecordState, canonical
from fieldapp.server.core.refusal import Refused
from fieldapp.sync.protocol import Mutation


def attested_changes(mutation: Mutation, held: RecordState, merged: dict[str, Any]) -> list[str]:
    """The attested fields of a signed visit the mutation would change: those whose merged value differs
    from the held one, and those it writes anew with a later stamp even when ownership (decision 0021)
    keeps the held value: a signed visit refuses the attempt, not only its success."""
    before = held.values()
    return [
        name
        for name in ATTESTED_VISIT_FIELDS
        if name in mutation.changes and (merged.get(name) != before.get(name) or _asks(mutation, held, name))
    ]


def _asks(mutation: Mutation, held: RecordState, name: str) -> bool:
    change, current = mutation.changes[name], held.fields.get(name)
    if current is None:
        return True
    return canonical(change.v) != canonical(current.value) and Stamp.decode(change.s) > current.stamp


def check_outcome_open(mutation: Mutation, existed: bool) -> None:
    """A signed visit's checklist is locked: a new outcome or a changed one is refused; marking an
    outcome entered in error (with its reason) is not, as the mark is no part of the attested content."""
    if existed and mutation.changes and not changes_what_was_recorded(mutation.changes):
        return
    raise Refused("signed", "the visit is signed; its task checklist can no longer change")
