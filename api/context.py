"""What a service needs to know about the request it serves, without seeing HTTP."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request
from litestar.di import NamedDependency

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


async def provide_context(request: Request[Any, Any, Any], settings: NamedDependency[Settings]) -> RequestContext:
    auth = request.scope.get("auth") or {}
    return RequestContext(
        principal=request.scope.get("user"),
        ip=_text(client_address(request.scope, settings.client_ip_header)),
        user_agent=request.headers.get("user-agent", "")[:300],
        token_digest=auth.get("token_digest"),
    )


def _text(address: IPAddress | None) -> str | None:
    return None if address is None else str(address)
