"""``ServiceTransport``: the sync protocol answered by the server's own services, in this process.

The intent oracle (test_intent.py) runs tens of thousands of steps; over sockets that would take hours.
This transport implements the engine's ``SyncTransport`` port by calling the real server code the HTTP
routes call (``services.sync.push`` / ``pull``, ``services.audit``, ``services.blobs``) on a real database,
each request in its own transaction, and turns the server's errors into the engine's ``Refused`` as the
HTTP transport does. What it leaves out is HTTP itself (routing, JSON bodies, gzip, authentication by
token: the principal is fixed at construction); the integration tests over loopback cover those.

Time is simulated: every request takes ``latency`` there and back on the simulated clock, and the server
reads that clock, so the offsets the device measures have a real error (half the round trip).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from fieldapp.server.audit import trail as audit
from fieldapp.server.auth.sessions import Principal
from fieldapp.server.blobs import store as blobs
from fieldapp.server.core import pull as pull_service
from fieldapp.server.core import push as sync_service
from fieldapp.server.database import Database
from fieldapp.server.errors import ApiError, Conflict, Forbidden, NotFound
from fieldapp.server.settings import Settings
from fieldapp.sync.errors import Refused
from fieldapp.sync.protocol import AuditAck, AuditUpload, Health, PullPage, PushRequest, PushResponse

T = TypeVar("T")


class SimTime:
    """True time in milliseconds, moved by the test (and by requests in flight)."""

    def __init__(self, start_ms: int) -> None:
        self.ms = start_ms

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.ms / 1000, UTC)


@dataclass
class ServiceTransport:
    """The server's services as one device's transport (see the module's docstring)."""

    database: Database
    settings: Settings
    principal: Principal
    time: SimTime
    rng: random.Random
    max_latency_ms: int = 300

    def health(self) -> Health:
        return self._request(
            lambda now: Health(
                status="ok",
                database=self.database.dialect,
                server_time_ms=int(now.timestamp() * 1000),
                max_clock_ahead_ms=self.settings.max_clock_ahead_ms,
            )
        )

    def push(self, request: PushRequest) -> PushResponse:
        def apply(now: datetime) -> PushResponse:
            with self.database.write() as session:
                answer, _ = sync_service.push(session, self.principal, request, self.settings, now)
                return answer

        return self._request(apply)

    def pull(self, cursor: str | None, limit: int) -> PullPage:
        def read(now: datetime) -> PullPage:
            with self.database.read() as session:
                body = pull_service.pull(session, self.principal, cursor, limit, self.settings, now)
            return PullPage.parse(body)

        return self._request(read)

    def upload_blob(self, sha256: str, content: bytes, media_type: str) -> None:
        def put(now: datetime) -> None:
            with self.database.write() as session:
                blobs.put(
                    session, self.principal, sha256, content, media_type, self.settings.max_blob_bytes, now
                )

        self._request(put)

    def upload_audit(self, upload: AuditUpload) -> AuditAck:
        def store(now: datetime) -> AuditAck:
            with self.database.write() as session:
                return audit.store_device_events(session, self.principal, upload, now)

        return self._request(store)

    def _request(self, handle: Callable[[datetime], T]) -> T:
        self.time.ms += self.rng.randint(0, self.max_latency_ms)  # on its way
        try:
            answer = handle(self.time.now())
        except ApiError as exc:
            raise Refused(exc.message, _status(exc), exc.code, exc.rejected) from exc
        finally:
            self.time.ms += self.rng.randint(0, self.max_latency_ms)  # and back
        return answer


def _status(exc: ApiError) -> int:
    if isinstance(exc, Forbidden):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict):
        return 409
    return 422
