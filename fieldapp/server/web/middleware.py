"""The request middleware: request ids, the request-body limit, security headers, one JSON log line and one
access-log entry per request, in one pure ASGI layer outside the application (decision 0044)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

import orjson
from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fieldapp.server.audit import trail as audit

log = logging.getLogger("fieldapp.server")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
UNAUDITED_ROUTES = frozenset({"/health"})
UNAUDITED_PREFIXES = ("/office/static/",)  # the office pages' stylesheet
TOO_LARGE = orjson.dumps(
    {"error": "too_large", "message": "the request is larger than this server accepts", "rejected": []}
)
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
    (b"strict-transport-security", b"max-age=31536000"),
]


class _HttpMiddleware:
    """A pure ASGI middleware that handles HTTP requests (``http``) and passes anything else through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class BodyTooLarge(HTTPException):
    """The request's body is over the server's limit: raised while the route reads it, answered by the
    error handlers as any refusal (``too_large``, JSON, with the request id)."""

    def __init__(self) -> None:
        super().__init__(413, "the request is larger than this server accepts")


class RequestContext(_HttpMiddleware):
    """The one layer outside everything (decision 0044): gives every request an id, limits the request
    body, adds the secure headers to every answer (a 500 too), logs one JSON line per request (no
    patient data) and records it in the access log."""

    def __init__(self, app: ASGIApp, max_body_size: int) -> None:
        super().__init__(app)
        self.max_body_size = max_body_size

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming, declared = _request_id_and_length(scope)
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        started, status, limit = time.perf_counter(), 500, self.max_body_size
        received, refused = 0, False

        async def receive_limited() -> Message:
            nonlocal received
            if declared > limit:  # refused before a byte is read
                raise BodyTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # a streamed body (no Content-Length) that grew past the limit
                    raise BodyTooLarge()
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal status, refused
            if message["type"] == "http.response.start":
                if declared > limit and message["status"] != 413:  # the route never read the body
                    refused, message = True, _too_large_start()
                status = message["status"]
                headers = message.get("headers", [])
                present = {name.lower() for name, _ in headers}
                extra = [(b"x-request-id", request_id.encode())]
                extra += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = [*headers, *extra]
            elif refused:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": TOO_LARGE, "more_body": False}
            await send(message)

        try:  # every failure inside was answered (a 500 at worst) through send_with_headers: its status
            await self.app(scope, receive_limited, send_with_headers)
        finally:
            _log_request(scope, request_id, status, started)


def _request_id_and_length(scope: Scope) -> tuple[str, int]:
    """The request id the client sent ('' if none) and the body size it declared (-1 if none, or nonsense)."""
    request_id, length = b"", b""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            request_id = value
        elif name == b"content-length":
            length = value
    return request_id.decode("latin-1"), int(length) if length.isdigit() else -1


def _too_large_start() -> Message:
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(TOO_LARGE))]
    return {"type": "http.response.start", "status": 413, "headers": headers}


def _log_request(scope: Scope, request_id: str, status: int, started: float) -> None:
    route = getattr(scope.get("route"), "path", "?")
    _record_access(scope, request_id, route, status, started)
    if log.isEnabledFor(logging.INFO):
        line = {
            "event": "request",
            "request_id": request_id,
            "method": scope.get("method"),
            "route": route,
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "user": scope.get("state", {}).get("user_id"),
        }
        log.info(orjson.dumps(line).decode())


def _record_access(scope: Scope, request_id: str, route: str, status: int, started: float) -> None:
    """Every API access goes to the access log (health checks and the office's static files excepted)."""
    path = str(scope.get("path", ""))
    if route in UNAUDITED_ROUTES or path.startswith(UNAUDITED_PREFIXES):
        return
    if route == "?":  # no route matched (a 404): the path itself says what was tried
        route = path
    app = scope.get("app")
    app_state = getattr(app, "state", None)
    access_log: audit.AccessLog | None = getattr(app_state, "access_log", None)
    if app_state is None or access_log is None:
        return
    state = scope.get("state", {})
    params = scope.get("path_params") or {}
    target = next((str(value) for value in params.values()), None)
    client = scope.get("client")
    access_log.add(
        audit.access_entry(
            at=app_state.clock(),
            request_id=request_id,
            user_id=state.get("user_id"),
            device_id=state.get("device_id"),
            method=str(scope.get("method", "?")),
            route=route,
            target=target,
            status=status,
            ms=(time.perf_counter() - started) * 1000,
            client=client[0] if client else "",
        )
    )


class Api(FastAPI):
    """FastAPI with our request context outside everything (the server's error answers included): one
    pure ASGI layer instead of FastAPI's body limit (three layers, and a plain-text 413 we rewrote in a
    fourth) and our own two."""

    def __init__(self, *, max_body_size: int, **options: Any) -> None:
        # No OpenTelemetry: nothing here exports traces, and a validation failure's record would carry
        # the request's data (patients'); off, FastAPI also skips its per-request checks for it.
        self.body_limit = max_body_size
        off = TelemetryConfig(tracing=False, metrics=False, logs=False, operation_spans=False)
        super().__init__(telemetry={**off, "auto_configure": False}, **options)

    def build_middleware_stack(self) -> ASGIApp:
        return RequestContext(super().build_middleware_stack(), self.body_limit)
