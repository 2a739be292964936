"""The export routes' answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from fieldapp.server.schemas import Answer


class ExportOut(Answer):
    """One export made: who, what, which days, its row count, size and SHA-256."""

    id: uuid.UUID
    at: datetime
    username: str
    kind: str
    format: str
    from_day: date
    to_day: date
    rows: int
    size: int
    sha256: str
