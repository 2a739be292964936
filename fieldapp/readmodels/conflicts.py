"""A value that lost a merge, as the conflict log keeps it and the conflicts screen shows it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from fieldapp.domain.clock import Stamp
from fieldapp.domain.merge import JSONValue, LossReason


@dataclass(frozen=True, slots=True)
class Conflict:
    """One logged loss: the field, the value that lost and the one that won, with their stamps."""

    id: int
    entity: str
    record_id: uuid.UUID
    field: str
    reason: LossReason
    lost_value: JSONValue
    lost_stamp: Stamp
    winner_value: JSONValue
    winner_stamp: Stamp | None
    detected_at: datetime
    resolved_at: datetime | None
    resolution: str | None
