"""``EventListener``: follows the server's change notices (server-sent events) on a background thread.

Qt-free. The listener opens ``transport.events(last_event_id)``, parses the SSE wire format itself
(``SseParser``), calls ``on_change(seq)`` for each ``changes`` event and reconnects with Last-Event-ID
after any error or end of stream, with capped exponential backoff and jitter (reset after a successful
connect). A read timeout a bit above the server's heartbeat detects connections that died silently.
A notice only prompts a pull, so a missed one costs a delay, never data (docs/decisions/0005).

``stop()`` ends it promptly from any thread by shutting the open response's socket. Nothing raises into
the caller: failures are logged and reported through ``on_state(connected)``. A refused sign-in
(``SignInRequired``) stops retrying until ``start()`` is called again.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import random
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import orjson

from fieldapp.sync.errors import DeviceRetired, SignInRequired

log = logging.getLogger(__name__)

CHANGES = "changes"
READ_CHUNK = 64 * 1024
MAX_LINE = 64 * 1024  # a line longer than this is not an event we send; drop it rather than grow forever


class EventSource(Protocol):
    """What the listener needs from the transport (``HttpTransport`` implements it)."""

    def events(self, last_event_id: str | None = None, read_timeout: float = 60.0) -> Any:
        """An open streaming response (``requests.Response`` with ``stream=True``)."""
        ...


@dataclass(frozen=True, slots=True)
class ServerEvent:
    """One dispatched event: its type ("message" when the server gave none), data and id."""

    event: str
    data: str
    id: str | None


class SseParser:
    """Incremental parser for the ``text/event-stream`` format (WHATWG HTML, "server-sent events").

    Feed it bytes as they arrive; it returns the events completed by them. Lines end with CRLF, LF or
    CR; lines starting with ``:`` are comments (heartbeats); a blank line dispatches the event.
    """

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._after_cr = False
        self._first = True
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None
        self.last_event_id: str | None = None  # set when an event is dispatched, as the standard says

    def feed(self, chunk: bytes) -> list[ServerEvent]:
        """Parse ``chunk``; returns the events it completed, in order."""
        text = self._decoder.decode(chunk)
        if self._first and text:
            text, self._first = text.removeprefix("\ufeff"), False
        self._buffer += text
        events: list[ServerEvent] = []
        for line in self._lines():
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def _lines(self) -> Iterator[str]:
        """Complete lines from the buffer. A CR ends a line at once; an LF right after it (even in the
        next chunk) is the rest of a CRLF and is skipped."""
        buffer, start = self._buffer, 0
        if self._after_cr and buffer.startswith("\n"):
            start = 1
        self._after_cr = False
        while (end := _line_end(buffer, start)) != -1:
            yield buffer[start:end]
            if buffer[end] == "\r":
                if end + 1 == len(buffer):
                    self._after_cr = True
                elif buffer[end + 1] == "\n":
                    end += 1
            start = end + 1
        rest = buffer[start:]
        self._buffer = rest if len(rest) <= MAX_LINE else ""

    def _line(self, line: str) -> ServerEvent | None:
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id" and "\0" not in value:
            self._id = value or None
        # "retry" is ignored on purpose: the listener's own capped backoff decides when to reconnect.
        return None

    def _dispatch(self) -> ServerEvent | None:
        """A blank line: the id counts from now on (even without data), the event fires if it has data."""
        self.last_event_id = self._id
        event, data = self._event or "message", self._data
        self._event, self._data = "", []
        if not data:
            return None
        return ServerEvent(event, "\n".join(data), self.last_event_id)


def _line_end(buffer: str, start: int) -> int:
    """The index of the next CR or LF at or after ``start``, or -1."""
    lf, cr = buffer.find("\n", start), buffer.find("\r", start)
    return lf if cr == -1 else cr if lf == -1 else min(lf, cr)


def change_number(event: ServerEvent) -> int | None:
    """The change number a ``changes`` event announces (its data's ``seq``, else its id)."""
    try:
        seq = orjson.loads(event.data).get("seq")
        if isinstance(seq, int):
            return seq
    except (orjson.JSONDecodeError, AttributeError):
        pass
    return int(event.id) if event.id and event.id.isdigit() else None


class Backoff:
    """Capped exponential delays with jitter: ``initial`` doubling up to ``maximum``, each drawn from
    the upper half of its range so a fleet of tablets does not reconnect all at once."""

    def __init__(
        self, initial: float = 1.0, maximum: float = 60.0, rand: Callable[[], float] = random.random
    ) -> None:
        self.initial, self.maximum, self._rand = initial, maximum, rand
        self._next = initial

    def reset(self) -> None:
        """Start again from the initial delay (after a successful connect)."""
        self._next = self.initial

    def next_delay(self) -> float:
        """The delay to wait now; the following one doubles, up to the cap."""
        delay = self._next
        self._next = min(self._next * 2, self.maximum)
        return delay / 2 + self._rand() * delay / 2


class EventListener:
    """Follows one user's change notices and calls ``on_change(seq)`` from its own daemon thread.

    ``read_timeout`` should be a bit above the server's heartbeat interval (15 s by default).
    Callbacks run on the listener's thread: a Qt caller marshals them with a queued signal.
    """

    def __init__(
        self,
        transport: EventSource,
        on_change: Callable[[int], None],
        *,
        on_state: Callable[[bool], None] | None = None,
        last_event_id: str | None = None,
        read_timeout: float = 25.0,
        backoff: Backoff | None = None,
    ) -> None:
        self._transport, self._on_change, self._on_state = transport, on_change, on_state
        self._last_event_id = last_event_id
        self.read_timeout = read_timeout
        self._backoff = backoff or Backoff()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._response: Any = None
        self._connected = False
        self.needs_sign_in = False

    @property
    def last_event_id(self) -> str | None:
        """The id of the newest event seen; sent as Last-Event-ID when reconnecting."""
        return self._last_event_id

    @property
    def connected(self) -> bool:
        """Whether a stream is open right now."""
        return self._connected

    def is_running(self) -> bool:
        """Whether the listener's thread is alive."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def start(self) -> None:
        """Start listening (again, also after a refused sign-in); no-op while running."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and not self._stopping.is_set():
                return
            self.needs_sign_in = False
            self._stopping = threading.Event()  # each run has its own, so a late old thread sees its own
            self._wake.clear()
            self._backoff.reset()
            self._thread = threading.Thread(
                target=self._run, args=(self._stopping,), name="fieldapp-events", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop and wait up to ``timeout`` s for the thread (a daemon: it never holds the process)."""
        with self._lock:
            self._stopping.set()
            self._wake.set()
            response, thread = self._response, self._thread
        if response is not None:
            _abort(response)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("the change-notice listener is still finishing a connection attempt")

    def reconnect(self) -> None:
        """Reconnect now, without waiting out the backoff: the network just came back, and a stream
        opened before the change is probably dead without knowing it (Last-Event-ID resumes it)."""
        self._backoff.reset()
        with self._lock:
            response = self._response
            self._wake.set()
        if response is not None:
            _abort(response)

    # -- the thread ------------------------------------------------------------------------------------------

    def _run(self, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                self._listen_once(stopping)
            except SignInRequired as exc:
                log.info("change notices paused until sign-in: %s", exc.message)
                self.needs_sign_in = True
                return
            except DeviceRetired as exc:  # the next sync hands the data in and erases the tablet
                log.info("change notices stopped: %s", exc.message)
                return
            except Exception as exc:  # any failure only means "reconnect later"
                log.info("change-notice stream ended: %s", _describe(exc))
            finally:
                self._set_connected(False)
            if stopping.is_set():
                return
            self._wake.wait(self._backoff.next_delay())
            self._wake.clear()

    def _listen_once(self, stopping: threading.Event) -> None:
        response = self._transport.events(self._last_event_id, read_timeout=self.read_timeout)
        with self._lock:
            if stopping.is_set():
                _abort(response)
                return
            self._response = response
        try:
            self._backoff.reset()
            self._set_connected(True)
            self._consume(response, stopping)
        finally:
            with self._lock:
                self._response = None
            _close(response)

    def _consume(self, response: Any, stopping: threading.Event) -> None:
        parser = SseParser()
        for chunk in _chunks(response):
            if stopping.is_set():
                return
            events = parser.feed(chunk)
            if parser.last_event_id is not None:
                self._last_event_id = parser.last_event_id
            for event in events:
                if event.event == CHANGES:
                    self._announce(event)

    def _announce(self, event: ServerEvent) -> None:
        seq = change_number(event)
        if seq is None:
            log.warning("a change notice without a change number was ignored")
            return
        try:
            self._on_change(seq)
        except Exception:
            log.exception("the change-notice callback failed")

    def _set_connected(self, connected: bool) -> None:
        if connected == self._connected:
            return
        self._connected = connected
        if self._on_state is not None:
            try:
                self._on_state(connected)
            except Exception:
                log.exception("the connection-state callback failed")


def _chunks(response: Any) -> Iterator[bytes]:
    """The body as it arrives: ``read1`` returns whatever one read of the socket gives (chunked or not)."""
    raw = response.raw
    if not hasattr(raw, "read1"):
        yield from response.iter_content(chunk_size=None)
        return
    while True:
        data = raw.read1(READ_CHUNK)
        if not data:
            return
        yield data


def _abort(response: Any) -> None:
    """Unblock a read in progress on another thread, then close. Closing alone does not wake a thread
    blocked in recv() on Linux; shutting the socket down does (urllib3 >= 2.3)."""
    shutdown = getattr(getattr(response, "raw", None), "shutdown", None)
    if shutdown is not None:
        with contextlib.suppress(OSError, ValueError, RuntimeError):
            shutdown()
    _close(response)


def _close(response: Any) -> None:
    try:
        response.close()
    except Exception:
        log.debug("closing the change-notice stream failed", exc_info=True)


def _describe(exc: Exception) -> str:
    message = getattr(exc, "message", None)
    return message if isinstance(message, str) else f"{type(exc).__name__}: {exc}"
