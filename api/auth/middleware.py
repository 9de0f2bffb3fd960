"""Resolve the caller from the session cookie or a bearer token, and enforce CSRF for cookies."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from api.auth.guards import ACCESS, AccessRule
from api.auth.sessions import SessionStore
from api.auth.tokens import csrf_matches, token_digest
from api.errors import Forbidden

SESSION_COOKIE = "ehb_session"
CSRF_COOKIE = "ehb_csrf"
CSRF_HEADER = b"x-csrf-token"
SESSIONLESS = "sessionless"
"""Route opt key: the route ignores any session presented (sign-in, activation)."""
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_MAX_TOKEN_LENGTH = 100


class SessionMiddleware(ASGIMiddleware):
    """Sets ``scope["user"]`` to the Principal (or None) and ``scope["auth"]`` to how it was proven,
    then applies the route's access rule (api/auth/guards.py).

    A cookie is sent by the browser on its own, so a state-changing request authenticated by cookie
    must also carry the session's CSRF token in a header, which another site cannot read or set.
    A bearer token is never sent implicitly and needs no such proof.
    """

    scopes = ("http",)  # type: ignore[assignment]

    def __init__(self, secret_key: str) -> None:
        self._secret_key = secret_key

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        headers = _headers(scope)
        token, via = _presented_token(headers)
        scope["user"] = None
        scope["auth"] = None
        if scope["route_handler"].opt.get(SESSIONLESS):
            # Signing in acts on no existing session, so a stale cookie must neither help nor block it.
            token = None
        if token:
            store: SessionStore = scope["litestar_app"].state.sessions
            digest = token_digest(token)
            principal = await store.resolve_digest(digest)
            if principal is not None:
                if via == "cookie" and scope.get("method") not in _SAFE_METHODS:
                    presented = headers.get(CSRF_HEADER, b"").decode("latin-1")
                    if not csrf_matches(self._secret_key, digest, presented):
                        raise Forbidden("Phiên làm việc cần được xác thực lại (thiếu mã CSRF). Vui lòng tải lại trang.")
                scope["user"] = principal
                scope["auth"] = {"via": via, "token_digest": digest}
        rule: AccessRule | None = scope["route_handler"].opt.get(ACCESS)
        if rule is not None:
            rule.check(scope["user"])
        await next_app(scope, receive, send)


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return dict(scope.get("headers", ()))


def _presented_token(headers: dict[bytes, bytes]) -> tuple[str | None, str | None]:
    authorization = headers.get(b"authorization", b"").decode("latin-1")
    if authorization[:7].lower() == "bearer ":
        token = authorization[7:].strip()
        return (token, "bearer") if 0 < len(token) <= _MAX_TOKEN_LENGTH else (None, None)
    raw_cookie = headers.get(b"cookie")
    if raw_cookie:
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(raw_cookie.decode("latin-1"))
        except Exception:  # noqa: BLE001 - a malformed cookie header means: no session
            return None, None
        morsel: Any = cookie.get(SESSION_COOKIE)
        if morsel is not None and 0 < len(morsel.value) <= _MAX_TOKEN_LENGTH:
            return morsel.value, "cookie"
    return None, None
