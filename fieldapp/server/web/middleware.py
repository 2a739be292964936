"""The request middleware: request ids, one JSON log line and one access-log entry per request, security
headers, and the request-body limit's answer in JSON."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

import orjson
from fastapi import FastAPI
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


class RequestContextMiddleware(_HttpMiddleware):
    """Gives every request an id, logs one JSON line per request (no patient data), adds secure headers."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(b"x-request-id", request_id.encode())]
                extra += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            # The body limit interrupts the request from inside (reading the body) and answers 413 outside
            # this middleware: record what the client gets, not a 500.
            if getattr(exc, "status_code", None) == 413:
                status = 413
            raise
        finally:
            route = scope.get("route")
            _record_access(scope, request_id, getattr(route, "path", "?"), status, started)
            log.info(
                json.dumps(
                    {
                        "event": "request",
                        "request_id": request_id,
                        "method": scope.get("method"),
                        "route": getattr(route, "path", "?"),
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "user": scope.get("state", {}).get("user_id"),
                    }
                )
            )


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
    """FastAPI with one more layer outside everything: the request-body limit answers before any of our
    middleware runs, in plain text and without our headers; this turns that answer into our JSON error."""

    def build_middleware_stack(self) -> ASGIApp:
        return _JsonBodyLimitAnswer(super().build_middleware_stack())


class _JsonBodyLimitAnswer(_HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        rewriting = False

        async def send_json(message: Message) -> None:
            nonlocal rewriting
            if message["type"] == "http.response.start" and message["status"] == 413:
                headers = dict(message.get("headers", []))
                if headers.get(b"content-type", b"").startswith(b"text/plain"):
                    rewriting = True
                    message["headers"] = [
                        (b"content-type", b"application/json"),
                        (b"content-length", b"%d" % len(TOO_LARGE)),
                        *SECURITY_HEADERS,
                    ]
            elif rewriting and message["type"] == "http.response.body":
                message = {"type": "http.response.body", "body": TOO_LARGE, "more_body": False}
            await send(message)

        await self.app(scope, receive, send_json)
