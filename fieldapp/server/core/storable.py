"""Values the protocol's schema admits but no database here can store: refused before a push is applied,
naming each mutation, so the device sets those aside and nothing is written."""

from __future__ import annotations

from typing import Any

import orjson

from fieldapp.server.errors import Invalid
from fieldapp.sync.protocol import PushRequest, Rejection


def check_storable(body: PushRequest) -> None:
    """Refuse values the schema admits but no database here can hold, naming each mutation (so the device
    sets those aside): a NUL character in text (PostgreSQL refuses it; SQLite would keep it, so both refuse
    it here), a whole number beyond 64 bits (the JSON columns' encoder refuses it)."""
    rejected = []
    for mutation in body.mutations:
        for name, change in mutation.changes.items():
            problem = _unstorable_value(change.v)
            if problem:
                rejected.append(
                    Rejection(
                        mutation_id=mutation.mutation_id,
                        code="unstorable_value",
                        message=f"{mutation.entity.replace('_', ' ')} field {name}: {problem}",
                        problems={name: problem},
                    )
                )
                break
    if rejected:
        raise Invalid(
            f"{len(rejected)} of {len(body.mutations)} changes hold values that cannot be stored;"
            " nothing was applied",
            rejected=rejected,
            code="batch_refused",
        )


def _unstorable_value(value: Any) -> str | None:
    try:
        orjson.dumps(value)
    except orjson.JSONEncodeError:
        return "a number is out of range"
    return "text must not contain NUL characters" if _has_nul(value) else None


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\0" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False
