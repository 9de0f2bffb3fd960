"""Who may call a route at all. Which rows they see is the services' business.

A route states its rule in its ``opt`` under ``ACCESS`` (a controller's rule holds for its routes
unless a route names its own); SessionMiddleware checks it as soon as it knows the caller, before
the body is read or a connection taken. Litestar's own guards would do the same job, but Litestar
hands every guard a copy of the route handler, per request: a tenth of a cached section read
(decision 37).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from litestar.connection import ASGIConnection

from api.auth.principal import Principal, Role
from api.errors import Forbidden, Unauthenticated

ACCESS = "access"
"""Route opt key: the route's AccessRule."""


def current_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    return signed_in.check(connection.scope.get("user"))


class AccessRule:
    """Anyone signed in (no roles), or only callers holding one of ``roles`` somewhere; the service
    then checks the exact unit."""

    __slots__ = ("roles",)

    def __init__(self, roles: frozenset[Role] = frozenset()) -> None:
        self.roles = roles

    def check(self, principal: object) -> Principal:
        """The caller, if this rule lets them in; else the problem to answer."""
        if not isinstance(principal, Principal):
            raise Unauthenticated("Vui lòng đăng nhập để tiếp tục.")
        if self.roles and not principal.holds(self.roles):
            raise Forbidden("Vai trò của bạn không được phép làm việc này.")
        return principal


signed_in = AccessRule()


def requires(*roles: Role | Iterable[Role]) -> AccessRule:
    """Callers holding any of ``roles`` somewhere."""
    wanted: set[Role] = set()
    for role in roles:
        wanted.update([role] if isinstance(role, Role) else role)
    return AccessRule(frozenset(wanted))
