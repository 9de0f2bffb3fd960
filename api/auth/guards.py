"""Route guards: who may call a route at all. Which rows they see is the services' business.

Guards are coroutines: Litestar runs a plain function guard on a worker thread, a hop that cost more
than the whole of a cached section read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from api.auth.principal import Principal, Role
from api.errors import Forbidden, Unauthenticated

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Awaitable[None]]


def current_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.scope.get("user")
    if not isinstance(principal, Principal):
        raise Unauthenticated("Vui lòng đăng nhập để tiếp tục.")
    return principal


async def signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    current_principal(connection)


def requires(*roles: Role | Iterable[Role]) -> Guard:
    """Allow callers holding any of ``roles`` somewhere; the service then checks the exact unit."""
    wanted: set[Role] = set()
    for role in roles:
        wanted.update([role] if isinstance(role, Role) else role)

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not current_principal(connection).holds(wanted):
            raise Forbidden("Vai trò của bạn không được phép làm việc này.")

    return guard
