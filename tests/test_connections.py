"""Thousands of idle and trickling sockets against every port the project serves, through the real processes:
/health and a signed Slack request are still answered, and no connection outlives its deadline."""

import contextlib
import json
import resource
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters import http_server
from adapters.http_server import BoundedServer
from bench.slack_standin import slack_signature
from conftest import SECRET, _command_body, _free_port, _get, _post, _process, _wait_until_up
from discord_standin import HELLO, discord_standin, gateway_answer
from socket_standin import socket_standin

SIEGE = 2_500
# Each held socket sends a byte this often: a server that counts any byte as activity never closes it.
TRICKLE_S = 2.0


def _enough_files(count: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count + 512
    if soft != resource.RLIM_INFINITY and soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            pytest.skip(f"this process may open {hard} files; the test needs {wanted}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


@contextlib.contextmanager
def siege(port: int, count: int = SIEGE) -> Iterator[list[socket.socket]]:
    """`count` sockets held open on `port`, each having begun a request it never finishes, one byte at a time."""
    _enough_files(count)
    held: list[socket.socket] = []
    stop = threading.Event()

    def trickle() -> None:
        while not stop.wait(TRICKLE_S):
            for sock in held:
                with contextlib.suppress(OSError):
                    sock.send(b"a")

    try:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            with contextlib.suppress(OSError):
                sock.send(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(sock)
        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        yield held
    finally:
        stop.set()
        for sock in held:
            sock.close()


def test_the_slack_web_process_answers_health_and_a_signed_command_under_thousands_of_held_sockets(slack_web):
    port = int(slack_web.base.rsplit(":", 1)[1])
    with siege(port):
        assert _get(f"{slack_web.base}/health")[0] == 200
        body = _command_body(slack_web.standin, "i-Soon", 2500)
        headers = {**slack_signature(body, SECRET), "Content-Type": "application/x-www-form-urlencoded"}
        assert _post(f"{slack_web.base}/slack/events", body, headers) == 200
        [answer] = slack_web.standin.wait_for("/response/2500", timeout=60)
        assert "Sichuan Anxun" in json.dumps(answer.body)
        assert _get(f"{slack_web.base}/ready")[0] == 200


def test_the_discord_workers_health_port_answers_under_thousands_of_held_sockets(seeded_store, tmp_path: Path):
    port = _free_port()
    log = tmp_path / "stderr.log"
    token = "A" * 24 + ".abcdef." + "B" * 27
    with discord_standin() as api, socket_standin(greeting=(HELLO,)) as gateway:
        gateway.answer = gateway_answer(gateway.url)
        env = {
            "DISCORD_TOKEN": token,
            "DISCORD_API_URL": api.url,
            "DISCORD_GATEWAY_URL": gateway.url,
            "BRIEFBOT_HEALTH_PORT": str(port),
        }
        with _process(["discord", "run"], env, log) as process:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{base}/health", process, log)
            with siege(port):
                assert _get(f"{base}/health")[0] == 200
                assert _get(f"{base}/metrics")[0] == 200
            assert process.poll() is None


def test_the_clock_processes_health_port_answers_under_thousands_of_held_sockets(seeded_store, tmp_path: Path):
    port = _free_port()
    log = tmp_path / "stderr.log"
    with _process(["digest", "run"], {"BRIEFBOT_HEALTH_PORT": str(port), "SLACK_BOT_TOKEN": ""}, log) as process:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/health", process, log)
        with siege(port):
            assert _get(f"{base}/health")[0] == 200
            assert _get(f"{base}/ready")[0] == 200
        assert process.poll() is None


def test_a_connection_trickling_a_request_is_closed_at_its_deadline_whatever_it_sends(slack_web):
    port = int(slack_web.base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
        sock.send(b"POST /slack/events HTTP/1.1\r\nX-Slow: ")
        deadline = time.monotonic() + 4 * http_server.REQUEST_TIMEOUT_S
        closed = False
        while not closed and time.monotonic() < deadline:
            try:
                sock.send(b"a")
                closed = sock.recv(1024) == b""
            except TimeoutError:
                continue
            except OSError:
                closed = True
        assert closed


def _health_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"status": "ok"}']


def test_a_full_server_makes_room_by_closing_the_connection_that_waited_longest(monkeypatch):
    monkeypatch.setattr(http_server, "CONNECTION_LIMIT", 50)
    server = BoundedServer(_health_app, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    try:
        assert server.limit == 50
        with siege(server.effective_port, count=80) as held:
            assert _get(f"{base}/health")[0] == 200
            oldest = held[0]
            oldest.settimeout(10)
            with contextlib.suppress(ConnectionResetError):
                assert oldest.recv(1024) == b""
            assert len(server.connections) <= 50
    finally:
        server.close()


def test_bodies_sent_at_once_by_many_clients_are_capped_together_and_health_still_answers(monkeypatch):
    monkeypatch.setattr(http_server, "MAX_BUFFERED_BYTES", 256 * 1024)
    server = BoundedServer(_health_app, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{server.effective_port}"
    held = []
    try:
        # Each begins a 1 MB body and sends 100 KB of it: ten of them hold four times the cap.
        for _ in range(10):
            sock = socket.create_connection(("127.0.0.1", server.effective_port), timeout=10)
            sock.sendall(b"POST /slack/events HTTP/1.1\r\nContent-Length: 1000000\r\n\r\n" + b"x" * 100_000)
            held.append(sock)
        assert _get(f"{base}/health")[0] == 200
        # The server closed all but the two or three that fit: they are readable (at their end), the others not.
        closed, _, _ = select.select(held, [], [], 10)
        assert len(closed) >= 7 and server.buffered <= 256 * 1024
    finally:
        for sock in held:
            sock.close()
        server.close()


def _echo_app(environ, start_response):
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']} {len(body)}".encode()]


@pytest.fixture
def echo_server() -> Iterator[int]:
    server = BoundedServer(_echo_app, host="127.0.0.1", port=0)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield server.effective_port
    finally:
        server.close()


def _exchange(port: int, data: bytes) -> bytes:
    """What the server writes back until it closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


_BIG_HEAD = b"GET / HTTP/1.1\r\nX-Big: "
READ_TWO_WAYS = {
    "a chunked body (a proxy in front could read it otherwise)": (
        b"POST /slack/events HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"501",
    ),
    "two Content-Lengths": (b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", b"400"),
    "a space before a header's colon": (b"GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello", b"400"),
    "a signed Content-Length": (b"POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello", b"400"),
    "a body over a megabyte": (b"POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", b"413"),
    # One byte past the cap: refused once all is read, so no unread byte turns the close into a reset.
    "headers over 64 KiB": (_BIG_HEAD + b"a" * (http_server.MAX_HEADER_BYTES + 1 - len(_BIG_HEAD)), b"431"),
    "no request line": (b"hello\r\n\r\n", b"400"),
}


@pytest.mark.parametrize("what", list(READ_TWO_WAYS))
def test_a_request_that_could_be_read_two_ways_is_refused_and_the_connection_closed(echo_server, what):
    data, status = READ_TWO_WAYS[what]
    answer = _exchange(echo_server, data)
    assert answer.startswith(b"HTTP/1.1 " + status) and b"Connection: close" in answer


def test_pipelined_requests_are_answered_in_order_on_one_connection(echo_server):
    answer = _exchange(
        echo_server,
        b"POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nConnection: close\r\n\r\n",
    )
    assert answer.count(b"HTTP/1.1 200 OK") == 2
    assert answer.index(b"POST /a 3") < answer.index(b"GET /b 0")
