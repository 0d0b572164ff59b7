"""Loopback stand-ins for Discord: the HTTP calls a worker makes at login, and the gateway's opening exchange."""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

# The bot user as GET /users/@me describes it (Discord's documented User object).
BOT_USER = {"id": "1234567890123456789", "username": "briefbot", "discriminator": "0", "avatar": None, "bot": True}
# The application as GET /oauth2/applications/@me describes it (Discord's documented Application object).
APPLICATION = {
    "id": "1234567890123456789",
    "name": "briefbot",
    "description": "",
    "icon": None,
    "bot_public": False,
    "bot_require_code_grant": False,
    "verify_key": "0" * 64,
    "owner": {"id": "987654321098765432", "username": "owner", "discriminator": "0", "avatar": None},
    "flags": 0,
}


# The gateway's opening exchange (Discord's documented opcodes): HELLO on connecting, READY after IDENTIFY (op 2),
# a heartbeat (op 1) acknowledged (op 11).
HELLO = json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}})


def gateway_answer(resume_url: str):  # type: ignore[no-untyped-def]
    def answer(text: str) -> list[str]:
        op = json.loads(text).get("op")
        if op == 2:
            ready = {
                "v": 10,
                "user": BOT_USER,
                "guilds": [],
                "session_id": "standin-session",
                "resume_gateway_url": resume_url,
                "application": {"id": APPLICATION["id"], "flags": 0},
            }
            return [json.dumps({"op": 0, "t": "READY", "s": 1, "d": ready})]
        return [json.dumps({"op": 11})] if op == 1 else []

    return answer


@dataclass
class DiscordStandIn:
    url: str
    # False: every token is refused (401), as Discord refuses a revoked one.
    accepts: bool = True
    paths: list[str] = field(default_factory=list)


def _handler(standin: DiscordStandIn) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            standin.paths.append(self.path)
            if not standin.accepts:
                self._answer(401, {"message": "401: Unauthorized", "code": 0})
            elif self.path.endswith("/users/@me"):
                self._answer(200, BOT_USER)
            elif self.path.endswith("/oauth2/applications/@me"):
                self._answer(200, APPLICATION)
            else:
                self._answer(404, {"message": "Unknown", "code": 0})

        def _answer(self, status: int, body: dict) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextlib.contextmanager
def discord_standin() -> Iterator[DiscordStandIn]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), None)  # type: ignore[arg-type]
    standin = DiscordStandIn(url=f"http://127.0.0.1:{server.server_address[1]}/api/v10")
    server.RequestHandlerClass = _handler(standin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
