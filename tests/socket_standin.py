"""A loopback WebSocket server standing in for Slack's Socket Mode and Discord's gateway: handshake, pings, drops."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import socket
import struct
import threading
from collections.abc import Callable, Iterator

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455's constant for Sec-WebSocket-Accept
_TEXT, _CLOSE, _PING, _PONG = 0x1, 0x8, 0x9, 0xA


class SocketStandIn:
    """Accepts WebSocket clients on loopback; `url` is what apps.connections.open hands out. `greeting`: text
    messages sent to each client once connected; `answer`: the text messages that answer one of the client's."""

    def __init__(self, greeting: tuple[str, ...] = (), answer: Callable[[str], list[str]] = lambda text: []) -> None:
        self.greeting = greeting
        self.answer = answer
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=standin"
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # dropped
            with self._lock:
                self._clients.append(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with contextlib.suppress(OSError, ValueError):
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = client.recv(4096)
                if not chunk:
                    return
                request += chunk
            key = next(
                line.split(":", 1)[1].strip()
                for line in request.decode().split("\r\n")
                if line.lower().startswith("sec-websocket-key:")
            )
            accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
            client.sendall(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
            )
            for text in self.greeting:
                client.sendall(_frame(_TEXT, text.encode()))
            reader = client.makefile("rb")
            while True:
                opcode, payload = _read_frame(reader)
                if opcode == _TEXT:
                    for text in self.answer(payload.decode()):
                        client.sendall(_frame(_TEXT, text.encode()))
                elif opcode == _PING:
                    client.sendall(_frame(_PONG, payload))
                elif opcode == _CLOSE:
                    client.sendall(_frame(_CLOSE, payload))
                    return

    def drop(self) -> None:
        """Slack going away: every connection closed with a close frame (1001, going away), no new one accepted."""
        # shutdown() first: a bare close() leaves the port listening while the accepting thread waits in accept().
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        with self._lock:
            for client in self._clients:
                with contextlib.suppress(OSError):
                    client.sendall(_frame(_CLOSE, struct.pack("!H", 1001)))
                    client.shutdown(socket.SHUT_RDWR)
                client.close()


def _read_frame(reader) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    head = reader.read(2)
    if len(head) < 2:
        raise ValueError("closed")
    opcode, length = head[0] & 0x0F, head[1] & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", reader.read(2))
    elif length == 127:
        (length,) = struct.unpack("!Q", reader.read(8))
    mask = reader.read(4) if head[1] & 0x80 else b"\0\0\0\0"
    data = reader.read(length)
    return opcode, bytes(b ^ mask[i % 4] for i, b in enumerate(data))


def _frame(opcode: int, payload: bytes) -> bytes:
    # A server's frames are never masked.
    if len(payload) < 126:
        return bytes([0x80 | opcode, len(payload)]) + payload
    return bytes([0x80 | opcode, 126]) + struct.pack("!H", len(payload)) + payload


@contextlib.contextmanager
def socket_standin(
    greeting: tuple[str, ...] = (), answer: Callable[[str], list[str]] = lambda text: []
) -> Iterator[SocketStandIn]:
    standin = SocketStandIn(greeting, answer)
    try:
        yield standin
    finally:
        standin.drop()
