"""A push's refusal of one mutation: its code, message, per-field problems, and whether it is forbidden
(403) rather than invalid (422). Raised by the push and by the checks it calls; the push turns it into
the mutation's rejection."""

from __future__ import annotations


class Refused(Exception):
    def __init__(
        self, code: str, message: str, problems: dict[str, str] | None = None, forbidden: bool = False
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.problems, self.forbidden = code, message, problems or {}, forbidden
