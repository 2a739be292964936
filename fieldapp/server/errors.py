"""Errors the services raise; the API turns each into its HTTP status and an ``ErrorBody``."""

from __future__ import annotations

from fieldapp.sync.protocol import Rejection


class ApiError(Exception):
    """A request the server refuses, with a stable code and a sentence a person can act on."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        rejected: list[Rejection] | None = None,
        headers: dict[str, str] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.rejected = rejected or []
        self.headers = headers or {}
        if code is not None:
            self.code = code

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None) -> None:
        """A kind of refusal may name its HTTP status and default code: ``class X(ApiError, status=...)``."""
        super().__init_subclass__()
        cls.status, cls.code = status or cls.status, code or cls.code


class Unauthorized(ApiError, status=401, code="unauthorized"): ...


class Forbidden(ApiError, status=403, code="forbidden"): ...


class NotFound(ApiError, status=404, code="not_found"): ...


class Conflict(ApiError, status=409, code="conflict"): ...


class Invalid(ApiError, status=422, code="invalid"): ...


class TooLarge(ApiError, status=413, code="too_large"): ...


class Throttled(ApiError, status=429, code="too_many_attempts"): ...
