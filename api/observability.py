"""What every request leaves behind: its id, its metrics and access log line, and the security headers."""

from __future__ import annotations

import contextvars
import json
import logging
import random
import re
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from api import metrics

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
access_log = logging.getLogger("ehandbook.access")

# Scripts only from our origin, nothing inline; the API docs page is the one place that loads a CDN.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "img-src 'self' data: https:; font-src 'self' https://fonts.gstatic.com; connect-src 'self'; "
    "frame-ancestors 'none'"
)


SLOW_REQUEST_MS = 500.0
"""With ``access_log="problems"``, a request slower than this is logged although it succeeded."""


class RequestRecordMiddleware(ASGIMiddleware):
    """Give every request an id (kept from X-Request-ID when sane), echo it, count it and log it.

    One middleware for the three, since each needs the same two moments, the request's start and its
    answer's status: one layer and one wrapped ``send`` per request instead of two (decision 40).

    ``access_log="all"`` logs one line per request; ``"problems"`` (the default) only failed (4xx/5xx)
    and slow ones: the reverse proxy in front keeps the full access log, and a line per request cost
    about a sixth of a cached section read (decision 25). Only the method, the route template, the
    status and the duration are logged: never bodies, query strings or headers, which may carry
    passwords, tokens or citizen ID numbers.
    """

    scopes = ("http",)  # type: ignore[assignment]

    def __init__(self, *, log_all: bool = False) -> None:
        self._log_all = log_all

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        incoming = next((value for name, value in scope["headers"] if name == b"x-request-id"), b"")
        request_id = incoming.decode("latin-1")
        if not _REQUEST_ID.match(request_id):
            request_id = new_request_id()
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableScopeHeaders.from_message(message)["x-request-id"] = request_id
            await send(message)

        try:
            await next_app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            method = str(scope.get("method", "-"))
            route = str(scope.get("path_template") or "unmatched")
            if metrics.measured(route):
                metrics.record(method, route, status, elapsed)
            if self._log_all or status >= 400 or elapsed * 1000 > SLOW_REQUEST_MS:
                access_log.info(
                    "request",
                    extra={
                        "http": {
                            "method": method,
                            "route": scope.get("path_template") or _route_template(scope),
                            "status": status,
                            "ms": round(elapsed * 1000, 1),
                        }
                    },
                )
            request_id_var.reset(token)


def new_request_id() -> str:
    """128 random bits in hex. An id only has to be unique, not secret: no system call per request."""
    return f"{random.getrandbits(128):032x}"


def _route_template(scope: Scope) -> str:
    handler = scope.get("route_handler")
    paths = getattr(handler, "paths", None)
    return sorted(paths)[0] if paths else "unmatched"


def security_headers(*, hsts: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """A before-send hook: it sees every response, also the 404s of paths no route matches,
    which route middleware never does."""

    # Encoded once: this runs for every answer, and a by-name set on the header list costs a scan each.
    fixed = [
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(self), geolocation=(), microphone=()"),
    ]
    if hsts:
        fixed.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
    ours = {name for name, _ in fixed} | {b"content-security-policy", b"strict-transport-security"}
    app_csp, docs_csp = (b"content-security-policy", CSP.encode()), (b"content-security-policy", DOCS_CSP.encode())

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = [(name, value) for name, value in message.get("headers", ()) if name.lower() not in ours]
        headers.extend(fixed)
        headers.append(docs_csp if scope["path"].startswith("/api/docs") else app_csp)
        if not hsts and scope.get("scheme") == "https":
            headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
        if not any(name.lower() == b"x-request-id" for name, _ in headers):
            headers.append((b"x-request-id", new_request_id().encode()))
        message["headers"] = headers

    return add_headers


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id of the request being served."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id_var.get(),
        }
        http = getattr(record, "http", None)
        if http:
            entry["http"] = http
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        http = getattr(record, "http", None)
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} [{request_id_var.get()[:8]}] "
        if http:
            return line + f"{http['method']} {http['route']} {http['status']} {http['ms']}ms"
        text = line + f"{record.name}: {record.getMessage()}"
        return text + ("\n" + self.formatException(record.exc_info) if record.exc_info else "")


def configure_logging(*, json_lines: bool, level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
