"""Losses: values that lost a merge on the server, as the server sees them arrive, and the notices that
hand each loss back to the device that wrote the value (decision 0013, device timeline and loss notices).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.domain.merge import (
    FieldRule,
    Loser,
    LossReason,
    MergeResult,
    RecordState,
    Versioned,
    canonical,
    rules_for,
)
from fieldapp.server.models import ConflictEntry


def arrival_losses(incoming: RecordState, result: MergeResult) -> tuple[Loser, ...]:
    """The losses of a merge as the server sees them when ``incoming`` arrives (decision 0013).

    The merge calls a loser "superseded" when the winner's base is at least as new as the loser's stamp,
    and lets a tombstone silently cover edits stamped before it. For a value arriving now, neither can
    mean that the winner's author saw it: a value reaches other devices only through the server, and this
    one was not here until now. Only its own device could have known it. So an arriving value that loses
    to another device's different value is a conflict, and one hidden by another device's tombstone is
    lost to the delete: both are logged for the office and handed back to the device that wrote them.
    """
    losses = []
    for loser in result.losers:
        arriving = incoming.fields.get(loser.field) == loser.lost
        if (
            arriving
            and loser.reason is LossReason.SUPERSEDED
            and loser.winner is not None
            and loser.winner.stamp.node != loser.lost.stamp.node
            and canonical(loser.winner.value) != canonical(loser.lost.value)
        ):
            loser = Loser(loser.field, loser.lost, loser.winner, LossReason.CONFLICT)
        losses.append(loser)
    tombstone = result.state.deleted
    if tombstone is not None and incoming.deleted is None:
        reported = {loser.field for loser in losses if loser.lost in incoming.fields.values()}
        losses.extend(
            Loser(name, value, Versioned(True, tombstone), LossReason.DELETED)
            for name, value in sorted(incoming.fields.items())
            if name not in reported and value.stamp.node != tombstone.node
        )
    return tuple(losses)


def notices(session: Session, device_id: str, since: int, until: int) -> list[dict[str, Any]]:
    """The losses of this device's values logged by writes numbered in (since, until] (decision 0013)."""
    rows = session.scalars(
        sa.select(ConflictEntry)
        .where(ConflictEntry.lost_node == device_id, ConflictEntry.seq > since, ConflictEntry.seq <= until)
        .order_by(ConflictEntry.seq, ConflictEntry.id)
    )
    return [
        {
            "entity": row.entity,
            "record_id": str(row.record_id),
            "field": row.field,
            "reason": row.reason,
            "lost_value": row.lost_value,
            "lost_stamp": row.lost_stamp,
            "winner_value": row.winner_value,
            "winner_stamp": row.winner_stamp,
            "seq": row.seq,
        }
        for row in rows
    ]


def restorable(entity: str, field_name: str, reason: str) -> bool:
    """Whether a losing value can be written back: a real conflict on a last-writer-wins field."""
    if reason != "conflict" or field_name.startswith("_"):
        return False
    try:
        return rules_for(entity).rule(field_name) is FieldRule.LAST_WRITER_WINS
    except KeyError:
        return False
