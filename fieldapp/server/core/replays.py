"""Replays: a mutation id names one change, once. A batch naming an id twice is refused; an id the server
already applied gets its first answer again (decision 0005), and one applied for another user or record is
a clash, refused."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from fieldapp.server.auth.sessions import Principal
from fieldapp.server.errors import Invalid
from fieldapp.server.models import AppliedMutation
from fieldapp.sync.protocol import PushRequest, Rejection


def refuse_repeated_ids(request: PushRequest) -> None:
    """One id names one change: a batch naming an id twice is a broken device, refused whole, whatever the
    values (taking either would drop the other silently)."""
    counts = Counter(m.mutation_id for m in request.mutations)
    repeated = [mid for mid, count in counts.items() if count > 1]
    if repeated:
        raise Invalid(
            f"{len(repeated)} change id(s) appear more than once in this batch; nothing was applied",
            rejected=[
                Rejection(
                    mutation_id=mid,
                    code="repeated_mutation_id",
                    message=f"this change id appears {counts[mid]} times in one batch; "
                    "each change needs its own id",
                )
                for mid in repeated
            ],
            code="batch_refused",
        )


def known_results(
    session: Session, principal: Principal, request: PushRequest
) -> dict[uuid.UUID, dict[str, Any]]:
    """First answers of mutations applied before; an id another user applied, or for another record,
    is not a replay but a clash, refused rather than answered with someone else's result."""
    records = {m.mutation_id: m.record_id for m in request.mutations}
    rows = session.execute(
        sa.select(
            AppliedMutation.mutation_id,
            AppliedMutation.result,
            AppliedMutation.user_id,
            AppliedMutation.record_id,
        ).where(AppliedMutation.mutation_id.in_(list(records)))
    ).all()
    clashes = [
        Rejection(
            mutation_id=mid,
            code="mutation_id_reused",
            message="this change id was already used for "
            "another change; the device must give each change its own id",
        )
        for mid, _, user_id, record_id in rows
        if user_id != principal.user_id or record_id != records[mid]
    ]
    if clashes:
        raise Invalid(
            "some change ids were already used for other changes", rejected=clashes, code="batch_refused"
        )
    return {mutation_id: result for mutation_id, result, _, _ in rows}
