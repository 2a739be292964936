"""Helpers for the client benchmarks: a seeded ``fieldapp server`` subprocess, real devices, floor servers.

Importing or running this module does nothing by itself (``make bench`` runs every benchmarks/*.py).
"""

from __future__ import annotations

import contextlib
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import _server  # noqa: E402
from fieldapp.app import Device, open_device, sign_in  # noqa: E402
from fieldapp.config import Profile  # noqa: E402
from fieldapp.domain.entities import Entity  # noqa: E402
from fieldapp.security.unlock import SessionKeyring as MemoryKeyring  # noqa: E402

PASSWORD = "bench-password-1"


# -- credentials -------------------------------------------------------------------------------------------


def use_memory_keyring() -> None:
    """Send every credential of this process to an in-memory keyring."""
    keyring.set_keyring(MemoryKeyring())


# -- processes: the server benchmarks' helpers (one place for starting and stopping servers) ------------


# -- seeding the server database directly ------------------------------------------------------------------


def seed(
    database_url: str,
    workers: Sequence[str],
    plan: Callable[[dict[str, uuid.UUID]], dict[str, tuple[Sequence[Entity], Sequence[uuid.UUID]]]],
) -> dict[str, uuid.UUID]:
    """Users ``office`` and ``workers``; then, per worker, ``plan(user ids)`` gives the records the office
    writes (patients first) and the patients put on that worker's caseload. Returns the user ids.
    """
    from fieldapp.server import migrate
    from fieldapp.server.auth import admin
    from fieldapp.server.auth import sessions as auth
    from fieldapp.server.database import Database
    from fieldapp.server.models import User
    from fieldapp.server.settings import Settings
    from fieldapp.sync.protocol import Role

    database = Database(database_url)
    try:
        migrate.upgrade(database.engine)
        settings = Settings(database_url=database_url)
        now = datetime.now(UTC)
        with database.write() as session:
            users = {"office": auth.create_user(session, "office", PASSWORD, Role.OFFICE, now).id}
            for name in workers:
                users[name] = auth.create_user(session, name, PASSWORD, Role.WORKER, now).id
        for name, (records, patient_ids) in plan(users).items():
            with database.write() as session:
                author = session.get(User, users["office"])
                assert author is not None
                admin.write_records(session, settings, author, records, now)
            assign_all(
                session_factory=database.write, worker_id=users[name], patient_ids=patient_ids, now=now
            )
        return users
    finally:
        database.dispose()


def assign_all(
    session_factory: Callable[[], contextlib.AbstractContextManager[Any]],
    worker_id: uuid.UUID,
    patient_ids: Sequence[uuid.UUID],
    now: datetime,
) -> None:
    """Put many patients on a worker's caseload in one transaction.

    What ``caseload.assign`` does for a patient never assigned before (an active assignment row with a
    new change number), in bulk: it takes ~4 ms per patient, most of the seeding time of 10,000 patients.
    The re-numbering of the patient's records that ``assign`` also does only matters to devices that
    pulled before the assignment; here no device has pulled yet.
    """
    import sqlalchemy as sa

    from fieldapp.server.core import caseload, feed
    from fieldapp.server.models import Assignment

    ids = list(patient_ids)
    with session_factory() as session:
        feed.begin(session)
        numbers = feed.allocate(session, len(ids))
        rows = [
            {
                "worker_id": worker_id,
                "patient_id": patient_id,
                "active": True,
                "seq": seq,
                "changed_at": now,
                "unassigned_at_ms": None,
            }
            for patient_id, seq in zip(ids, numbers, strict=True)
        ]
        session.execute(sa.insert(Assignment), rows)
        if set(caseload.caseload(session, worker_id)) != set(ids):
            raise RuntimeError("the bulk assignment did not give the worker exactly these patients")


# -- devices -----------------------------------------------------------------------------------------------


def new_device(folder: Path, base_url: str, username: str) -> Device:
    """A fresh device profile on disk, signed in, with a token the server already accepts."""
    device = open_device(Profile.at(folder), base_url)
    sign_in(device, username, PASSWORD)
    # The sign-in's session row may be committed just after the answer is sent: wait until it works.
    session, token = device.transport.session, device.transport.tokens.access
    for _ in range(200):
        answer = session.get(f"{base_url}/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        if answer.status_code != 401:
            break
        time.sleep(0.01)
    return device


def login_token(base_url: str, username: str, device_id: str) -> tuple[requests.Session, str]:
    """A plain requests session signed in as ``username`` on ``device_id`` (for capturing pages)."""
    http = requests.Session()
    answer = http.post(
        f"{base_url}/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": device_id},
        timeout=60,
    )
    answer.raise_for_status()
    http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    for _ in range(200):
        if http.get(f"{base_url}/auth/me", timeout=30).status_code != 401:
            break
        time.sleep(0.01)
    return http, device_id


def capture_pages(base_url: str, username: str, page_size: int) -> list[tuple[dict[str, str], bytes]]:
    """Every page of ``username``'s initial pull as the server sends it: (headers, raw body on the wire)."""
    import gzip

    import orjson

    http, _ = login_token(base_url, username, f"capture{uuid.uuid4().hex[:8]}")
    pages: list[tuple[dict[str, str], bytes]] = []
    cursor: str | None = None
    try:
        while True:
            params: dict[str, Any] = {"limit": page_size}
            if cursor:
                params["cursor"] = cursor
            answer = http.get(f"{base_url}/sync/pull", params=params, stream=True, timeout=120)
            answer.raise_for_status()
            raw = answer.raw.read(decode_content=False)
            headers = {"Content-Type": answer.headers.get("content-type", "application/json")}
            encoding = answer.headers.get("content-encoding")
            if encoding:
                headers["Content-Encoding"] = encoding
            pages.append((headers, raw))
            page = orjson.loads(gzip.decompress(raw) if encoding == "gzip" else raw)
            cursor = page["cursor"]
            if not page["has_more"]:
                return pages
    finally:
        http.close()


# -- a floor HTTP server: fixed answers from memory ----------------------------------------------------------


def write_pages(folder: Path, pages: Sequence[tuple[dict[str, str], bytes]]) -> None:
    """Save captured pages as ``folder``/N.body and N.head for ``serve_floor``."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, (headers, body) in enumerate(pages):
        (folder / f"{n}.body").write_bytes(body)
        (folder / f"{n}.head").write_text("".join(f"{k}: {v}\r\n" for k, v in headers.items()))


def serve_floor(folder: str, port: int) -> None:
    """GET /page/N answers the saved page N; GET /health a tiny body; any POST reads its body, answers 200.

    Keep-alive HTTP/1.1, every answer written in one call from memory. Run in a subprocess (like the real
    server, so it does not share the client's GIL).
    """
    import socketserver
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    pages: dict[str, bytes] = {}
    for body_path in sorted(Path(folder).glob("*.body")):
        body = body_path.read_bytes()
        head = "HTTP/1.1 200 OK\r\n" + body_path.with_suffix(".head").read_text()
        head += f"Content-Length: {len(body)}\r\n\r\n"
        pages[f"/page/{body_path.stem}"] = head.encode("latin-1") + body
    ok = b'{"status":"ok"}'
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(ok)
    short = head + ok
    pages["/health"] = short

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            answer = pages.get(self.path)
            if answer is None:
                self.send_error(404)
                return
            self.wfile.write(answer)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.wfile.write(short)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    socketserver.TCPServer.allow_reuse_address = True
    with ThreadingHTTPServer(("127.0.0.1", port), Handler) as httpd:
        httpd.daemon_threads = True
        httpd.serve_forever()


def floor_server(folder: Path, log_path: Path) -> contextlib.AbstractContextManager[str]:
    """``serve_floor`` in a subprocess on a free port (the server benchmarks' launcher); yields its URL."""
    return _server.floor_server(folder, log_path, ("benchmarks._client", "serve_floor"))
