"""The change-notice listener: the SSE parser on its own, then against the real server on loopback."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from urllib3.util.retry import Retry

from fieldapp.server.fleet import devices as fleet
from fieldapp.sync.errors import SignInRequired
from fieldapp.transport.events import Backoff, EventListener, ServerEvent, SseParser, change_number
from fieldapp.transport.http import HttpTransport, Tokens
from tests.integration.conftest import PASSWORD, LiveServer, free_port, start_server
from tests.server import helpers as h


def fast() -> Backoff:
    return Backoff(initial=0.05, maximum=0.5)


SILENT_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
)


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


class Recording:
    """Wraps a transport and remembers the Last-Event-ID of every connection attempt."""

    def __init__(self, transport: Any) -> None:
        self.transport = transport
        self.asked: list[str | None] = []

    def events(self, last_event_id: str | None = None, read_timeout: float = 60.0) -> Any:
        self.asked.append(last_event_id)
        return self.transport.events(last_event_id, read_timeout=read_timeout)


class Seen:
    """Callbacks that record what the listener reported."""

    def __init__(self) -> None:
        self.changes: list[int] = []
        self.states: list[bool] = []

    def change(self, seq: int) -> None:
        self.changes.append(seq)

    def state(self, connected: bool) -> None:
        self.states.append(connected)


def signed_in(url: str, username: str) -> HttpTransport:
    transport = HttpTransport(url)
    transport.login(username, PASSWORD, f"{username}{uuid.uuid4().hex[:8]}")
    return transport


def assign(office: HttpTransport, worker_id: uuid.UUID, patient_id: uuid.UUID) -> None:
    """An office write through the API, so the server publishes a notice as in production."""
    office._request("PUT", f"/caseloads/{worker_id}/{patient_id}")


# -- the wire format ---------------------------------------------------------------------------------------


def parse(*chunks: bytes) -> tuple[list[ServerEvent], SseParser]:
    parser = SseParser()
    events = [event for chunk in chunks for event in parser.feed(chunk)]
    return events, parser


def test_parser_reads_events_comments_and_ids() -> None:
    events, parser = parse(
        b': connected\nretry: 3000\n\nid: 7\nevent: changes\ndata: {"seq": 7}\n\n: heartbeat\n\n'
    )
    assert events == [ServerEvent("changes", '{"seq": 7}', "7")]
    assert parser.last_event_id == "7" and change_number(events[0]) == 7


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_parser_accepts_every_line_ending_even_split_across_chunks(newline: bytes) -> None:
    wire = newline.join([b"id: 3", b"event: changes", b"data: a", b"data: b", b"", b"data: c", b"", b""])
    whole, _ = parse(wire)
    one_byte_at_a_time, _ = parse(*(wire[i : i + 1] for i in range(len(wire))))
    expected = [ServerEvent("changes", "a\nb", "3"), ServerEvent("message", "c", "3")]
    assert whole == one_byte_at_a_time == expected


def test_parser_edge_cases_of_the_standard() -> None:
    events, parser = parse(
        "\ufeffdata:no space\n\nid: 9\n\nevent: changes\n\ndata: é".encode()[:-1],
        "é\n\n".encode()[1:],
    )
    # A BOM is skipped, the space after the colon is optional, an id without data dispatches nothing but
    # is remembered, an event type without data is forgotten, a UTF-8 character may be split.
    assert events == [ServerEvent("message", "no space", None), ServerEvent("message", "é", "9")]
    assert parser.last_event_id == "9"


def test_an_id_counts_only_once_its_event_is_complete() -> None:
    parser = SseParser()
    parser.feed(b"id: 5\ndata: x\n\nid: 6\ndata: y\n")  # the connection breaks before the blank line
    assert parser.last_event_id == "5"  # resuming from 6 would skip the event that never arrived


def test_change_number_falls_back_to_the_id() -> None:
    assert change_number(ServerEvent("changes", "not json", "12")) == 12
    assert change_number(ServerEvent("changes", "{}", None)) is None


def test_backoff_doubles_to_the_cap_with_jitter_and_resets() -> None:
    top = Backoff(1.0, 60.0, rand=lambda: 1.0)
    assert [top.next_delay() for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    bottom = Backoff(1.0, 60.0, rand=lambda: 0.0)
    assert [bottom.next_delay() for _ in range(3)] == [0.5, 1, 2]
    top.reset()
    assert top.next_delay() == 1


# -- against the real server -------------------------------------------------------------------------------


def test_an_office_write_is_announced_within_seconds(live_server: LiveServer) -> None:
    patient = h.patient()
    live_server.office_writes(patient)
    seen = Seen()
    listener = EventListener(signed_in(live_server.url, "nurse"), seen.change, on_state=seen.state)
    listener.start()
    try:
        assert wait_until(lambda: listener.connected)
        assign(signed_in(live_server.url, "office"), live_server.users["nurse"], patient.id)
        assert wait_until(lambda: bool(seen.changes), timeout=5)
        assert listener.last_event_id == str(seen.changes[-1])
    finally:
        started = time.monotonic()
        listener.stop()
        assert time.monotonic() - started < 1.0
    assert not listener.is_running() and seen.states == [True, False]


@pytest.fixture
def own_server(live_server: LiveServer) -> Iterator[dict[str, Any]]:
    """A second server process-alike on the same database that the test may kill and restart."""
    url = live_server.settings.database_url
    server, thread, base = start_server(url)
    handle = {"server": server, "thread": thread, "url": base}
    yield handle
    handle["server"].should_exit = True
    handle["thread"].join(10)


def kill(handle: dict[str, Any]) -> None:
    handle["server"].should_exit = True
    handle["server"].force_exit = True  # do not wait for open streams to end: this is a crash
    handle["thread"].join(10)
    assert not handle["thread"].is_alive()


def test_the_listener_reconnects_to_a_restarted_server_with_last_event_id(
    live_server: LiveServer, own_server: dict[str, Any]
) -> None:
    first, second = h.patient(), h.patient()
    live_server.office_writes(first, second)
    nurse = Recording(signed_in(own_server["url"], "nurse"))
    seen = Seen()
    listener = EventListener(nurse, seen.change, on_state=seen.state, backoff=fast())
    listener.start()
    try:
        assert wait_until(lambda: listener.connected)
        assign(signed_in(own_server["url"], "office"), live_server.users["nurse"], first.id)
        assert wait_until(lambda: bool(seen.changes))
        before = seen.changes[-1]

        kill(own_server)
        assert wait_until(lambda: not listener.connected)
        port = int(own_server["url"].rsplit(":", 1)[1])
        server, thread, _ = start_server(live_server.settings.database_url, port)
        own_server.update(server=server, thread=thread)
        assert wait_until(lambda: listener.connected, timeout=10)
        assert nurse.asked[0] is None and nurse.asked[-1] == str(before)
        time.sleep(0.3)
        assert seen.changes == [before]  # resumed: nothing re-announced

        assign(signed_in(own_server["url"], "office"), live_server.users["nurse"], second.id)
        assert wait_until(lambda: len(seen.changes) == 2)
        assert seen.changes[1] > before
    finally:
        started = time.monotonic()
        listener.stop()
        assert time.monotonic() - started < 1.0


def test_a_silent_connection_is_dropped_after_the_read_timeout() -> None:
    """A stream that answered and then went quiet (no heartbeats): the listener gives up and reconnects."""
    accepted: list[socket.socket] = []
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        listening.settimeout(0.2)
        port = listening.getsockname()[1]
        done = threading.Event()

        def serve() -> None:
            while not done.is_set():
                try:
                    conn, _ = listening.accept()
                except TimeoutError:
                    continue
                conn.recv(65536)
                conn.sendall(SILENT_STREAM_HEAD)
                accepted.append(conn)

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        listener = EventListener(
            HttpTransport(f"http://127.0.0.1:{port}", Tokens("token")),
            lambda _: None,
            read_timeout=0.3,
            backoff=fast(),
        )
        listener.start()
        try:
            assert wait_until(lambda: len(accepted) >= 3, timeout=5)
        finally:
            started = time.monotonic()
            listener.stop()
            assert time.monotonic() - started < 1.0
            done.set()
            thread.join(2)
            for conn in accepted:
                conn.close()


def test_stop_is_prompt_while_waiting_to_reconnect() -> None:
    nowhere = Recording(HttpTransport(f"http://127.0.0.1:{free_port()}", Tokens("token"), retry=Retry(0)))
    listener = EventListener(nowhere, lambda _: None, backoff=Backoff(30.0, 60.0))
    listener.start()
    assert wait_until(lambda: len(nowhere.asked) == 1)
    time.sleep(0.1)
    started = time.monotonic()
    listener.stop()
    assert time.monotonic() - started < 1.0 and not listener.is_running()


def test_a_refused_sign_in_stops_retrying_until_started_again(live_server: LiveServer) -> None:
    nurse = Recording(signed_in(live_server.url, "nurse"))
    token = nurse.transport.tokens.access
    nurse.transport.tokens.update("not-a-token", None)
    listener = EventListener(nurse, lambda _: None, backoff=fast())
    listener.start()
    assert wait_until(lambda: not listener.is_running())
    time.sleep(0.3)
    assert listener.needs_sign_in and len(nurse.asked) == 1

    nurse.transport.tokens.update(token, None)
    listener.start()
    try:
        assert wait_until(lambda: listener.connected) and not listener.needs_sign_in
    finally:
        listener.stop()


def test_a_retired_device_stops_listening(live_server: LiveServer) -> None:
    transport = HttpTransport(live_server.url)
    transport.login("nurse", PASSWORD, "retiringtablet")
    nurse = Recording(transport)
    with live_server.database.write() as session:
        fleet.disable_device(session, "retiringtablet", datetime.now(UTC))
    listener = EventListener(nurse, lambda _: None, backoff=fast())
    listener.start()
    assert wait_until(lambda: not listener.is_running())
    time.sleep(0.3)
    assert len(nurse.asked) == 1, "no reconnecting: the next sync hands the data in and erases the tablet"
    assert not listener.needs_sign_in


def test_callbacks_that_fail_do_not_stop_the_listener(live_server: LiveServer) -> None:
    patient = h.patient()
    live_server.office_writes(patient)
    calls: list[int] = []

    def broken(seq: int) -> None:
        calls.append(seq)
        raise RuntimeError("a bug in the caller")

    listener = EventListener(signed_in(live_server.url, "nurse"), broken, on_state=lambda _: 1 / 0)
    listener.start()
    try:
        assert wait_until(lambda: listener.connected)
        assign(signed_in(live_server.url, "office"), live_server.users["nurse"], patient.id)
        assert wait_until(lambda: bool(calls))
        assert listener.connected and listener.is_running()
    finally:
        listener.stop()


def test_sign_in_required_is_what_a_missing_token_raises(live_server: LiveServer) -> None:
    """The listener relies on the transport raising SignInRequired before any request without a token."""
    with pytest.raises(SignInRequired):
        HttpTransport(live_server.url).events()
