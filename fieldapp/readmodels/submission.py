"""A day report's submission: the office's receipt compared, record by record, with this tablet."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from fieldapp.sync.protocol import DayReceipt


class ItemState(StrEnum):
    """How one record of the day compares with what the office holds."""

    ARRIVED = "arrived"  # the office holds exactly what this tablet holds
    DIFFERENT = "different"  # the office holds another version
    UNSENT = "not sent yet"  # changed on this tablet and waiting in the outbox
    MISSING = "missing"  # on this tablet, not at the office
    OFFICE_ONLY = "office only"  # at the office, not on this tablet (for information)

    @property
    def is_problem(self) -> bool:
        return self in (ItemState.DIFFERENT, ItemState.UNSENT, ItemState.MISSING)


@dataclass(frozen=True, slots=True)
class ItemCheck:
    """One record of the day, compared."""

    entity: str
    record_id: uuid.UUID
    label: str
    state: ItemState
    local_sha256: str | None
    office_sha256: str | None


@dataclass(frozen=True, slots=True)
class Submission:
    """The outcome: the receipt and each record's comparison, or the reason it failed."""

    report_id: uuid.UUID
    receipt: DayReceipt | None = None
    checks: tuple[ItemCheck, ...] = ()
    pdf_matches: bool = False
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.receipt is not None

    @property
    def problems(self) -> tuple[ItemCheck, ...]:
        return tuple(c for c in self.checks if c.state.is_problem)

    @property
    def all_arrived(self) -> bool:
        """Submitted, and every record of the day arrived as this tablet holds it."""
        return self.ok and self.pdf_matches and not self.problems

    def count(self, state: ItemState) -> int:
        return sum(1 for c in self.checks if c.state is state)
