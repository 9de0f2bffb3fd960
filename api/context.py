"""What a service needs to know about the request it serves, without seeing HTTP."""

from __future__ import annotations

from typing import Any, cast

import msgspec
from litestar import Request

from api.auth.principal import Principal
from api.errors import Unauthenticated
from api.net import IPAddress, client_address
from api.settings import Settings


class RequestContext(msgspec.Struct, frozen=True, kw_only=True):
    principal: Principal | None
    ip: str | None
    """The client address as text (msgspec models it as a string; PostgreSQL's inet takes it as is)."""
    user_agent: str
    token_digest: bytes | None = None

    @property
    def caller(self) -> Principal:
        """The signed-in caller, for services behind a ``signed_in`` or ``requires`` guard."""
        if self.principal is None:
            raise Unauthenticated("Vui lòng đăng nhập để tiếp tục.")
        return self.principal


_CONTEXT_KEY = "ehb.context"


def request_context(request: Request[Any, Any, Any]) -> RequestContext:
    """The request's context, made on first use and kept in its scope.

    Service providers call this rather than naming ``ctx`` as a dependency: Litestar resolves
    dependencies that do not depend on each other (``conn`` and ``ctx``) concurrently, in a task group
    per request, which cost more than the feed's whole database work (decision 37).
    """
    scope: dict[str, Any] = request.scope  # type: ignore[assignment]
    context = scope.get(_CONTEXT_KEY)
    if context is None:
        context = scope[_CONTEXT_KEY] = _context_of(request)
    return cast("RequestContext", context)


def app_settings(request: Request[Any, Any, Any]) -> Settings:
    """The app's settings, for providers (the same object the ``settings`` dependency gives)."""
    return cast("Settings", request.app.state.settings)


async def provide_context(request: Request[Any, Any, Any]) -> RequestContext:
    return request_context(request)


def _context_of(request: Request[Any, Any, Any]) -> RequestContext:
    auth = request.scope.get("auth") or {}
    return RequestContext(
        principal=request.scope.get("user"),
        ip=_text(client_address(request.scope, app_settings(request).client_ip_header)),
        user_agent=request.headers.get("user-agent", "")[:300],
        token_digest=auth.get("token_digest"),
    )


def _text(address: IPAddress | None) -> str | None:
    return None if address is None else str(address)
