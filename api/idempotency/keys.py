"""Idempotency-Key on POSTs: a replay returns the original answer and creates nothing.

The key is claimed inside the request's own transaction (insert ... on conflict do nothing), and the
answer is stored in that same transaction by an after-request hook, before the commit. So:
- a duplicate arriving later finds the complete stored answer and gets it back;
- a concurrent duplicate waits on the key's unique index until the first commits, then finds the
  answer; if the first rolled back, the duplicate simply runs, as nothing happened;
- there is never an effect without its stored answer, nor an answer without its effect.
Keys belong to the signed-in account: two members cannot collide, and anonymous requests (sign-in,
activation) are not covered.
"""

from __future__ import annotations

import hashlib
import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Request, Response
from litestar.serialization import default_serializer
from litestar.types import ASGIApp, Receive, Scope, Send

from api.db import Connection
from api.errors import Conflict, InvalidInput, Unprocessable
from api.sql import queries_beside

Q = queries_beside(__file__)

HEADER = "idempotency-key"
REPLAYED_HEADER = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"[\x21-\x7e]{1,200}")


@dataclass(slots=True)
class _Claim:
    """The key a request carries, and the connection once the key is claimed in its transaction."""

    account_id: UUID
    key: str
    conn: Connection | None = None


_current: ContextVar[_Claim | None] = ContextVar("idempotency_claim", default=None)


class Replay(Exception):
    """Raised instead of running a request whose key already has an answer."""

    def __init__(self, status: int, content_type: str | None, location: str | None, body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.content_type = content_type
        self.location = location
        self.body = body


class IdempotencyMiddleware:
    """Notes the key of a signed-in POST for the connection dependency; refuses malformed keys."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        claim = _claim_for(scope) if scope.get("method") == "POST" else None
        token = _current.set(claim)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


def _claim_for(scope: Scope) -> _Claim | None:
    raw = next((value for name, value in scope["headers"] if name == b"idempotency-key"), None)
    principal = scope.get("user")
    if raw is None or principal is None:
        return None
    key = raw.decode("latin-1")
    if not _VALID_KEY.fullmatch(key):
        # Raised from a middleware, the app's exception handlers still turn it into a problem.
        raise InvalidInput("Idempotency-Key must be 1 to 200 visible ASCII characters.")
    return _Claim(account_id=principal.account_id, key=key)


async def claim_key(conn: Connection, request: Request[Any, Any, Any]) -> None:
    """Claim the request's key in its transaction, or raise ``Replay`` with the answer already given."""
    claim = _current.get()
    if claim is None:
        return
    fingerprint = request_fingerprint(
        request.method, request.scope["path"], request.scope.get("query_string", b""), await request.body()
    )
    await conn.execute(Q["expire"], claim.account_id)
    if await conn.fetchval(Q["claim"], claim.account_id, claim.key, fingerprint) is not None:
        claim.conn = conn
        return
    stored = await conn.fetchrow(Q["stored"], claim.account_id, claim.key)
    if stored is None or stored["status"] is None:
        raise Conflict(
            "A request with this Idempotency-Key is still being processed; try again shortly.",
            headers={"Retry-After": "1"},  # tells an offline queue to retry, unlike a real conflict
        )
    if stored["request_hash"] != fingerprint:
        raise Unprocessable("This Idempotency-Key was already used for a different request.")
    raise Replay(stored["status"], stored["content_type"], stored["location"], stored["body"])


async def release_key(conn: Connection) -> None:
    """A refusal that keeps its writes (a failed sign-in) is not an answer to replay: free the key."""
    claim = _current.get()
    if claim is not None and claim.conn is conn:
        await conn.execute(Q["forget"], claim.account_id, claim.key)
        claim.conn = None


async def remember_answer(response: Any) -> Any:
    """After-request hook: store the answer beside the key, still inside the request's transaction."""
    claim = _current.get()
    if claim is None or claim.conn is None or not isinstance(response, Response):
        return response
    media_type = str(response.media_type)
    body = response.render(response.content, media_type, default_serializer)
    location = response.headers.get("location")
    await claim.conn.execute(
        Q["remember"], claim.account_id, claim.key, response.status_code, media_type, location, body
    )
    claim.conn = None
    return response


def replay_response(request: Request[Any, Any, Any], exc: Replay) -> Response[bytes]:
    """The first request's answer, marked as a replay."""
    headers = {REPLAYED_HEADER: "true"}
    if exc.location:
        headers["Location"] = exc.location
    return Response(content=exc.body, status_code=exc.status, media_type=exc.content_type, headers=headers)


def request_fingerprint(method: str, path: str, query: bytes, body: bytes) -> bytes:
    """What makes two requests "the same": method, path, query and body."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query):
        digest.update(part + b"\0")
    digest.update(body)
    return digest.digest()
