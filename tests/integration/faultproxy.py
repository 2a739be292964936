"""``FaultProxy``: a TCP proxy on loopback that makes the faults a mobile network makes.

It sits between a device and the live server (point the device's server URL at ``proxy.url``) and
forwards bytes both ways, one thread per direction and connection, in one of these modes:

- ``PASS``: bytes go through untouched;
- ``DROP``: every connection is closed at once with a reset (and the open ones are reset when the mode
  is set): the server looks unreachable;
- ``DELAY``: each chunk is held ``delay_s`` before it is forwarded (a slow link);
- ``RESET``: requests go through, but the response to a request whose path starts with ``cut_path``
  (any, if None) is cut after its headers and ``cut_after`` bytes of its body: the proxy sends those,
  then resets both connections (SO_LINGER 0), so the client sees "connection reset" mid-response
  while the server has done the work. ``skip`` matching responses pass first, and at most ``times``
  are cut (None: all), after which the proxy behaves as in ``PASS``;
- ``LIMIT``: each connection carries at most ``limit_bytes`` from the client (a link that drops every
  64 KB): the proxy forwards that many, then resets the client and closes the server side, as a mobile
  link that goes away mid-upload.

HTTP/1.1 keep-alive clients send one request at a time on a connection, so the proxy knows which
request a response answers from the last request line it saw on that connection.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from urllib.parse import urlsplit

CHUNK = 16 * 1024
METHODS = (b"GET ", b"POST ", b"PUT ", b"DELETE ", b"PATCH ", b"HEAD ", b"OPTIONS ")


class Mode(StrEnum):
    """What the proxy does to the traffic."""

    PASS = "pass"
    DROP = "drop"
    DELAY = "delay"
    RESET = "reset"
    LIMIT = "limit"


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN (SO_LINGER on, timeout 0)."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


@dataclass
class _Link:
    """One proxied connection and what it is answering."""

    client: socket.socket
    upstream: socket.socket
    path: str = ""
    cut: bool = False  # the response now flowing is to be cut
    head: bytes = b""  # response bytes seen so far while looking for the end of its headers
    closed: bool = False
    sent_up: int = 0  # bytes forwarded from the client (``LIMIT`` counts them)


class FaultProxy:
    """A fault-injecting TCP proxy from ``url`` (127.0.0.1, a free port) to ``upstream``."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.mode = Mode.PASS
        self.delay_s = 0.0
        self.cut_path: str | None = None
        self.cut_after = 0
        self.skip = 0
        self.times: int | None = None
        self.limit_bytes = 0
        self.stats: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._links: list[_Link] = []
        self._stopped = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)
        self.port = int(self._listener.getsockname()[1])
        self._acceptor = threading.Thread(target=self._accept, name="faultproxy-accept", daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- control ---------------------------------------------------------------------------------------

    def set(
        self,
        mode: Mode,
        *,
        delay_s: float = 0.0,
        cut_path: str | None = None,
        cut_after: int = 0,
        skip: int = 0,
        times: int | None = None,
        limit_bytes: int = 0,
    ) -> None:
        """Switch mode (options apply from the next chunk, request or connection on)."""
        with self._lock:
            self.mode, self.delay_s, self.limit_bytes = mode, delay_s, limit_bytes
            self.cut_path, self.cut_after, self.skip, self.times = cut_path, cut_after, skip, times
            links = list(self._links) if mode is Mode.DROP else []
        for link in links:  # the network is gone: open connections die too
            self._drop(link)

    def close(self) -> None:
        """Stop accepting and reset every open connection."""
        self._stopped.set()
        self._acceptor.join(5)
        _close(self._listener)
        with self._lock:
            links = list(self._links)
        for link in links:
            self._drop(link)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------------------------

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            self.stats["accepted"] += 1
            if self.mode is Mode.DROP:
                self.stats["dropped"] += 1
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
                upstream.settimeout(None)
            except OSError:
                self.stats["upstream_unreachable"] += 1
                _reset(client)
                continue
            link = _Link(client, upstream)
            with self._lock:
                self._links.append(link)
            for target in (self._requests, self._responses):
                threading.Thread(target=target, args=(link,), name="faultproxy-pump", daemon=True).start()

    def _requests(self, link: _Link) -> None:
        """Client to server: note each request line, so its response can be recognised."""
        while True:
            data = self._recv(link, link.client)
            if not data:
                break
            if data.startswith(METHODS):
                self._new_request(link, data.split(b"\r\n", 1)[0])
            self._pause()
            if self.mode is Mode.LIMIT and link.sent_up + len(data) >= self.limit_bytes > 0:
                self._send(link, link.upstream, data[: self.limit_bytes - link.sent_up])
                self.stats["limited"] += 1
                self._drop(link)
                return
            link.sent_up += len(data)
            if not self._send(link, link.upstream, data):
                break
        self._drop(link, graceful=True)

    def _new_request(self, link: _Link, line: bytes) -> None:
        parts = line.split(b" ")
        path = parts[1].decode("latin-1") if len(parts) > 1 else ""
        with self._lock:
            link.path, link.head, link.cut = path, b"", False
            if self.mode is not Mode.RESET or (self.cut_path and not path.startswith(self.cut_path)):
                return
            if self.skip > 0:
                self.skip -= 1
                return
            if self.times is not None:
                if self.times <= 0:
                    return
                self.times -= 1
            link.cut = True

    def _responses(self, link: _Link) -> None:
        """Server to client: forwarded, or cut after the headers and ``cut_after`` body bytes."""
        while True:
            data = self._recv(link, link.upstream)
            if not data:
                break
            self._pause()
            if link.cut:
                link.head += data
                end = link.head.find(b"\r\n\r\n")
                if end < 0:
                    continue  # keep the headers back until they are complete
                keep = link.head[: end + 4 + self.cut_after]
                self._send(link, link.client, keep)
                self.stats["reset"] += 1
                self._drop(link)
                return
            if not self._send(link, link.client, data):
                break
        self._drop(link, graceful=True)

    def _pause(self) -> None:
        if self.mode is Mode.DELAY and self.delay_s > 0:
            time.sleep(self.delay_s)

    def _recv(self, link: _Link, sock: socket.socket) -> bytes:
        while not link.closed:
            try:
                ready, _, _ = select.select([sock], [], [], 0.2)
                if ready:
                    return sock.recv(CHUNK)
            except (OSError, ValueError):
                return b""
        return b""

    def _send(self, link: _Link, sock: socket.socket, data: bytes) -> bool:
        try:
            sock.sendall(data)
        except OSError:
            return False
        self.stats["bytes"] += len(data)
        return not link.closed

    def _drop(self, link: _Link, graceful: bool = False) -> None:
        with self._lock:
            if link.closed:
                return
            link.closed = True
            if link in self._links:
                self._links.remove(link)
        if graceful:
            _close(link.client)
        else:
            _reset(link.client)
        _close(link.upstream)
