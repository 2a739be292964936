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


class Unauthorized(ApiError):
    status, code = 401, "unauthorized"


class Forbidden(ApiError):
    status, code = 403, "forbidden"


class NotFound(ApiError):
    status, code = 404, "not_found"


class Conflict(ApiError):
    status, code = 409, "conflict"


class Invalid(ApiError):
    status, code = 422, "invalid"


class TooLarge(ApiError):
    status, code = 413, "too_large"


class Throttled(ApiError):
    status, code = 429, "too_many_attempts"
