"""How much of the outbox goes in one push: at most the engine's batch size in changes, and no more bytes
than the server takes in one request.

A batch of 500 is about 100 KB of ordinary edits, but the outbox can hold long texts: 500 care plans or
notes of 10,000 characters outside ASCII are about 15 MB, and the server refuses a body over its limit
(8 MiB by default, ``max_body_bytes``) with a 413. The same batch would then be sent again at every sync
and the outbox would never move. So a batch also stops at a byte budget, estimated from the values' JSON;
if the server still answers 413 (its limit was set lower), the engine halves the budget and sends again,
down to one change a request.
"""

from __future__ import annotations

from collections.abc import Sequence

import orjson

from fieldapp.store.outbox import OutboxEntry

PUSH_BODY_BUDGET = 4 * 1024 * 1024  # half the server's default body limit: room for the estimate's slack
MUTATION_BYTES = 200  # a mutation's ids, entity and punctuation
FIELD_BYTES = 120  # a field's name, its stamp, its base stamp and punctuation


def wire_bytes(entry: OutboxEntry) -> int:
    """About how many bytes ``entry`` takes in a push body (its values exactly, the rest generously)."""
    values = sum(len(orjson.dumps(v.value)) for v in entry.changes.values())
    return MUTATION_BYTES + FIELD_BYTES * len(entry.changes) + values


def fitting(entries: Sequence[OutboxEntry], budget: int) -> list[OutboxEntry]:
    """The longest run from the start of ``entries`` within ``budget`` bytes, one entry at least."""
    taken: list[OutboxEntry] = []
    used = 0
    for entry in entries:
        used += wire_bytes(entry)
        if taken and used > budget:
            break
        taken.append(entry)
    return taken


def smaller(sent: Sequence[OutboxEntry]) -> int:
    """The budget after the server refused ``sent`` as too large: half of what it was sent."""
    return max(1, sum(wire_bytes(entry) for entry in sent) // 2)
