"""/health, /ready and /metrics for every process: on the Slack web port, or on BRIEFBOT_HEALTH_PORT beside the rest."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from adapters.http_server import BoundedServer, WSGIApp
from adapters.metrics import Metrics
from adapters.settings import setting
from adapters.tokens import ConfigError
from knowledge.base import KnowledgeBase
from knowledge.errors import UsageError
from knowledge.lists.freshness import store_list_ages
from knowledge.store.database import Store

__all__ = [
    "Health",
    "health_port",
    "make_server",
    "port_from_env",
    "start_health_server",
    "with_health",
]

log = logging.getLogger(__name__)


@dataclass
class Health:
    """What a process reports about itself: alive at all, ready to answer, and its metrics."""

    store: Store
    knowledge: Callable[[], KnowledgeBase | None]
    metrics: Metrics
    clock: Callable[[], dt.datetime]
    # Further readiness checks of the process (the gateway connected, the socket open): name -> ok.
    checks: dict[str, Callable[[], bool]] = field(default_factory=dict)

    def ready(self) -> tuple[bool, dict[str, Any]]:
        report: dict[str, Any] = {}
        try:
            lists = {source: age.as_json() for source, age in store_list_ages(self.store, now=self.clock()).items()}
            report["store"] = "reachable"
        except Exception as error:  # any failure to read the store means: not ready, and say which kind
            lists = {}
            report["store"] = f"unreachable ({type(error).__name__})"
        kb = self.knowledge()
        report["knowledge"] = f"{len(kb.entities)} entities" if kb is not None else "not loaded"
        report["lists"] = lists
        ok = report["store"] == "reachable" and kb is not None
        for name, check in self.checks.items():
            try:
                passed = check()
            except Exception:
                passed = False
            report[name] = "ok" if passed else "not ready"
            ok = ok and passed
        report["status"] = "ready" if ok else "not ready"
        return ok, report


def _respond(start_response: Callable[..., Any], status: str, body: bytes, content_type: str) -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def _not_found(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    return _respond(start_response, "404 Not Found", b'{"error": "not found"}', "application/json")


def with_health(health: Health, app: WSGIApp = _not_found) -> WSGIApp:
    """`app` with GET /health, /ready and /metrics answered before it sees them."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or path not in ("/health", "/ready", "/metrics"):
            return app(environ, start_response)
        if path == "/health":
            return _respond(start_response, "200 OK", b'{"status": "ok"}', "application/json")
        if path == "/metrics":
            return _respond(start_response, "200 OK", generate_latest(health.metrics.registry), CONTENT_TYPE_LATEST)
        ok, report = health.ready()
        body = json.dumps(report).encode()
        return _respond(start_response, "200 OK" if ok else "503 Service Unavailable", body, "application/json")

    return application


def port_from_env(name: str, default: int | None) -> int | None:
    """The TCP port of setting `name` (PORT, BRIEFBOT_HEALTH_PORT), else `default`; ConfigError naming it when it is
    not one."""
    try:
        port = setting(name)
    except UsageError as error:
        raise ConfigError(str(error)) from None
    return default if port is None else int(port)  # type: ignore[call-overload]


def health_port() -> int | None:
    """BRIEFBOT_HEALTH_PORT, for the processes without a web port of their own; None when unset."""
    return port_from_env("BRIEFBOT_HEALTH_PORT", None)


def make_server(app: WSGIApp, *, port: int, host: str = "0.0.0.0") -> BoundedServer:
    """A bounded server (adapters.http_server) bound to `port`; ConfigError when the port cannot be had (in use,
    no right)."""
    try:
        return BoundedServer(app, host=host, port=port)
    except OSError as error:
        raise ConfigError(f"cannot listen on port {port}: {error.strerror or error}.") from error


def start_health_server(health: Health, *, port: int) -> BoundedServer:
    """/health, /ready and /metrics on their own port, served from a daemon thread."""
    server = make_server(with_health(health), port=port)
    threading.Thread(target=server.run, name="health", daemon=True).start()
    log.info("health, readiness and metrics on port %d", port)
    return server
