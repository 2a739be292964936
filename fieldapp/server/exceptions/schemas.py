"""The exception routes' bodies and answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from fieldapp.domain.exceptions import Decision
from fieldapp.domain.values import ShortText
from fieldapp.server.schemas import Answer


class ExceptionOut(Answer):
    """One exception in the queue."""

    id: uuid.UUID
    visit_id: uuid.UUID
    patient_id: uuid.UUID
    patient_name: str
    worker_id: uuid.UUID
    worker_name: str
    scheduled_start: datetime
    code: str = Field(description="the exception code (docs/evv.md)")
    detail: str
    reason: str = Field(description="the worker's reason, in words; empty when none was given")
    note: str
    state: str = Field(description="open, approved, rejected or withdrawn")


class QueueOut(Answer):
    """A page of a day's queue."""

    day: date
    total: int
    page: int
    pages: int
    by_code: dict[str, int]
    by_state: dict[str, int]
    items: list[ExceptionOut]


class DecideBody(BaseModel):
    """Approve or reject exceptions, all or none, with one note (required to reject)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ids: list[uuid.UUID] = Field(min_length=1, max_length=1000)
    decision: Decision
    note: ShortText = ""


class Decided(Answer):
    """How many exceptions were decided."""

    decided: int
