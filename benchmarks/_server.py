"""Helpers for the server benchmarks: a real ``fieldapp server`` subprocess, seeding, a scripted device.

Importing or running this module does nothing by itself (``make bench`` runs every benchmarks/*.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fieldapp.domain.clock import HybridClock  # noqa: E402
from fieldapp.domain.entities import Entity, data_fields  # noqa: E402

PASSWORD = "bench-password-1"
PG_URL = os.environ.get("FIELDAPP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
GZIP = {"Accept-Encoding": "gzip"}
JSON_BODY = {"Content-Type": "application/json"}


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process group (uvicorn's workers included), then SIGKILL to what is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


@contextlib.contextmanager
def running(
    argv: list[str],
    log_path: Path,
    ready: Callable[[], bool],
    timeout_s: float = 120,
    root: Path = ROOT,
    hide: tuple[str, ...] = (),
) -> Iterator[subprocess.Popen[bytes]]:
    """Start ``argv`` in its own process group, wait until ``ready()``, and always stop the group.

    ``root``: the checkout whose code it runs (another one: an older commit measured beside this one);
    ``hide``: modules it must run without (``code_env``)."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=root,
            start_new_session=True, env=code_env(root, hide),
        )  # fmt: skip
        try:
            deadline = time.monotonic() + timeout_s
            while not ready():
                if process.poll() is not None:
                    raise RuntimeError(f"{argv[:4]} exited with {process.returncode}:\n{_tail(log_path)}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{argv[:4]} not ready after {timeout_s} s:\n{_tail(log_path)}")
                time.sleep(0.1)
            yield process
        finally:
            _stop(process)


def check(response: requests.Response) -> requests.Response:
    """The response if it is a success, else an error naming the request and the server's answer."""
    if response.status_code >= 400:
        raise RuntimeError(
            f"{response.request.method} {response.url} -> {response.status_code}: {response.text[:500]}"
        )
    return response


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def code_env(root: Path, hide: tuple[str, ...] = ()) -> dict[str, str]:
    """The environment for a subprocess running ``root``'s fieldapp (first on its path); the modules named
    in ``hide`` cannot be imported there (a baseline measured as it ran before they were installed)."""
    first = [str(_hiding(hide))] if hide else []
    path = os.pathsep.join([*first, str(root), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def _hiding(modules: tuple[str, ...]) -> Path:
    """A folder of packages named ``modules`` whose import fails (ImportError), so libraries that fall back
    when an optional module is missing (uvicorn: httptools, uvloop) do so."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / f"fieldapp-hide-{os.getpid()}-{'-'.join(sorted(modules))}"
    for name in modules:
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} hidden by the benchmark')\n")
    return folder


@contextlib.contextmanager
def fieldapp_server(
    database_url: str, log_path: Path, workers: int = 1, root: Path = ROOT, hide: tuple[str, ...] = ()
) -> Iterator[str]:
    """``fieldapp server`` (``root``'s code, without the modules in ``hide``) on a free loopback port, ready
    (/health answers); yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "fieldapp", "server", "--port", str(port), "--database", database_url]
    argv += ["--workers", str(workers)]
    with running(argv, log_path, lambda: _answers(f"{base}/health"), root=root, hide=hide):
        yield base


# -- a floor HTTP server: fixed bytes from memory ------------------------------------------------------------


def serve_files(folder: str, port: int) -> None:
    """Serve ``folder``/N.body (with the headers in N.json) at /page/N, keep-alive, from memory.

    Run in a subprocess by the benchmarks (``python -c``), as the floor of a real server's answers.
    """
    import socketserver
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    pages: dict[str, bytes] = {}
    for body_path in sorted(Path(folder).glob("*.body")):
        headers = json.loads(body_path.with_suffix(".json").read_text())
        body = body_path.read_bytes()
        head = "HTTP/1.1 200 OK\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        head += f"Content-Length: {len(body)}\r\n\r\n"
        pages[f"/page/{body_path.stem}"] = head.encode("latin-1") + body
    pages["/health"] = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            answer = pages.get(self.path)
            if answer is None:
                self.send_error(404)
                return
            self.wfile.write(answer)  # status line, headers and body in one write

        def log_message(self, format: str, *args: Any) -> None:
            pass

    socketserver.TCPServer.allow_reuse_address = True
    with ThreadingHTTPServer(("127.0.0.1", port), Handler) as httpd:
        httpd.daemon_threads = True
        httpd.serve_forever()


@contextlib.contextmanager
def floor_server(
    folder: Path, log_path: Path, serve: tuple[str, str] = ("benchmarks._server", "serve_files")
) -> Iterator[str]:
    """``serve`` (module, function: ``serve_files`` unless told) in a subprocess on a free port, serving
    ``folder``; yields its base URL."""
    module, function = serve
    port = free_port()
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from {module} import {function}; "
    code += f"{function}({str(folder)!r}, {port})"
    base = f"http://127.0.0.1:{port}"
    with running([sys.executable, "-c", code], log_path, lambda: _answers(f"{base}/health")):
        yield base


# -- PostgreSQL scratch databases ----------------------------------------------------------------------------


def pg_conninfo(url: str) -> str:
    """A SQLAlchemy URL in the form psycopg itself accepts."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def scratch_postgres(name: str) -> Iterator[str]:
    """A fresh database ``name`` on the PostgreSQL at ``FIELDAPP_TEST_PG_URL``, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = psycopg.connect(pg_conninfo(PG_URL), autocommit=True)
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        admin.close()


# -- a scripted device over HTTP -----------------------------------------------------------------------------


class Device:
    """One signed-in device: its own requests session (gzip), token and hybrid logical clock."""

    def __init__(self, base_url: str, username: str, device_id: str, password: str = PASSWORD) -> None:
        self.base, self.device_id = base_url, device_id
        self.http = requests.Session()
        self.http.headers.update(GZIP)
        response = self.http.post(
            f"{base_url}/auth/login",
            json={"username": username, "password": password, "device_id": device_id},
            timeout=60,
        )
        if response.status_code != 200:
            raise RuntimeError(f"sign-in of {username} failed: {response.status_code} {response.text[:300]}")
        body = response.json()
        self.user_id = uuid.UUID(body["user"]["id"])
        self.http.headers["Authorization"] = f"Bearer {body['access_token']}"
        # The server may answer the sign-in before its session row is committed (write_session's commit
        # runs after the response is sent), so a token used at once can be refused: wait until it works.
        self.sign_in_retries = 0
        while self.http.get(f"{base_url}/auth/me", timeout=60).status_code == 401:
            self.sign_in_retries += 1
            if self.sign_in_retries > 100:
                raise RuntimeError(f"the token of {username} on {device_id} never started working")
            time.sleep(0.01)
        self.clock = HybridClock(device_id)
        self.cursor: str | None = None
        self.send_cursor = True  # servers from before issue 14 refuse the field

    def create(self, record: Entity) -> dict[str, Any]:
        """A mutation creating ``record``, every field stamped now."""
        stamp = self.clock.now().encode()
        wire = record.model_dump(mode="json")
        return {
            "mutation_id": str(uuid.uuid4()),
            "entity": record.entity_name,
            "record_id": str(record.id),
            "changes": {name: {"v": wire[name], "s": stamp} for name in data_fields(type(record))},
        }

    def update(
        self, entity: str, record_id: uuid.UUID | str, changes: dict[str, Any], bases: dict[str, str]
    ) -> dict[str, Any]:
        """A mutation changing some fields of a record this device knows (``bases``: the stamps it saw)."""
        stamp = self.clock.now().encode()
        return {
            "mutation_id": str(uuid.uuid4()),
            "entity": entity,
            "record_id": str(record_id),
            "changes": {
                name: {"v": value, "s": stamp, "b": bases.get(name)} for name, value in changes.items()
            },
        }

    def push_body(self, mutations: list[dict[str, Any]]) -> bytes:
        """The serialised push request, with this device's cursor as the tablet's engine sends it."""
        body: dict[str, Any] = {"device_id": self.device_id, "mutations": mutations}
        if self.cursor and self.send_cursor:
            body["cursor"] = self.cursor
        return json.dumps(body).encode()

    def post_push(self, body: bytes, timeout: float = 120) -> requests.Response:
        """POST a serialised push request."""
        return self.http.post(f"{self.base}/sync/push", data=body, headers=JSON_BODY, timeout=timeout)

    def get_pull(self, limit: int = 1000, timeout: float = 120, stream: bool = False) -> requests.Response:
        """GET one page after this device's cursor (the caller decodes it and moves the cursor)."""
        params: dict[str, Any] = {"limit": limit}
        if self.cursor:
            params["cursor"] = self.cursor
        return self.http.get(f"{self.base}/sync/pull", params=params, timeout=timeout, stream=stream)

    def close(self) -> None:
        self.http.close()
