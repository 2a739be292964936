"""Every error is a JSON ``ErrorBody`` (422s also name each bad field): the answers' schema for the
published API, and the exception handlers that write them."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy.exc import DataError, StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

from fieldapp.server.errors import ApiError
from fieldapp.sync.protocol import ErrorBody

log = logging.getLogger("fieldapp.server")


class InvalidBody(ErrorBody):
    """A 422 answer: an ``ErrorBody`` that, for a request the schema refuses, also names each bad field."""

    problems: dict[str, str] = Field(default_factory=dict)


ERROR_STATUSES = (400, 401, 403, 404, 409, 413, 422, 429)
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": InvalidBody if status == 422 else ErrorBody} for status in ERROR_STATUSES
}
# Errors are JSON on every route; FastAPI would document them in the route's own media type
# (text/event-stream for the events route), so that route spells them out.
JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": HTTPStatus(status).phrase,
        "content": {
            "application/json": {
                "schema": {"$ref": f"#/components/schemas/{'InvalidBody' if status == 422 else 'ErrorBody'}"}
            }
        },
    }
    for status in ERROR_STATUSES
}


def install_error_handlers(app: FastAPI) -> None:
    """Answer every failure with a JSON error body."""
    app.exception_handler(ApiError)(api_error)
    app.exception_handler(StatementError)(unstorable)
    app.exception_handler(RequestValidationError)(invalid_request)
    app.exception_handler(StarletteHTTPException)(http_error)
    app.add_exception_handler(Exception, unexpected)


async def api_error(request: Request, exc: ApiError) -> JSONResponse:
    body = ErrorBody(error=exc.code, message=exc.message, rejected=exc.rejected, request_id=_rid(request))
    return JSONResponse(body.model_dump(mode="json"), status_code=exc.status, headers=exc.headers)


async def unstorable(request: Request, exc: StatementError) -> JSONResponse:
    # Values the schema admits but the database cannot hold: a NUL character in text (PostgreSQL), a
    # whole number beyond 64 bits in a JSON column. The client's data, so a 422, not a server failure.
    if not _unstorable(exc):
        raise exc
    log.warning(
        json.dumps({"event": "unstorable", "request_id": _rid(request), "error": type(exc.orig).__name__})
    )
    body = ErrorBody(
        error="unstorable_value",
        message="a value in the request cannot be stored (a NUL character, or a number out of range);"
        " nothing was applied",
        request_id=_rid(request),
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=422)


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = {
        ".".join(str(p) for p in e.get("loc", ())) or "*": str(e.get("msg", "invalid")) for e in exc.errors()
    }
    message = "the request is not valid: " + "; ".join(f"{k}: {v}" for k, v in list(problems.items())[:5])
    body = InvalidBody(
        error="invalid_request", message=message[:2000], request_id=_rid(request), problems=problems
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=422)


async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    body = ErrorBody(
        error=codes.get(exc.status_code, "http_error"), message=str(exc.detail), request_id=_rid(request)
    )
    return JSONResponse(
        body.model_dump(mode="json"), status_code=exc.status_code, headers=getattr(exc, "headers", None)
    )


async def unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"request_id": _rid(request)})
    body = ErrorBody(
        error="internal",
        message="the server failed; the change was not applied",
        request_id=_rid(request),
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=500)


def _unstorable(exc: StatementError) -> bool:
    return isinstance(exc, DataError) or isinstance(exc.orig, orjson.JSONEncodeError | OverflowError)


def _rid(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)
