"""Domain errors: each carries a message a person can act on."""

from __future__ import annotations


class DomainError(Exception):
    """Base of all domain errors."""


class ValidationError(DomainError):
    """A record or a change does not satisfy its entity's rules.

    ``problems`` maps a field name (or ``"*"`` for the whole record) to what is wrong with it.
    """

    def __init__(self, entity: str, problems: dict[str, str]) -> None:
        self.entity = entity
        self.problems = dict(problems)
        detail = "; ".join(f"{field}: {why}" for field, why in sorted(self.problems.items()))
        super().__init__(f"invalid {entity}: {detail}")


class ImmutableError(DomainError):
    """A change to content that may no longer change (a note, a signature, signed or submitted content)."""


class ClockDriftError(DomainError):
    """A received clock stamp lies further in the future than the allowed drift."""
