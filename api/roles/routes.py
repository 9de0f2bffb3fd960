"""Role grants: who is secretary, officer, moderator, editor or admin where."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody

from api.auth.guards import ACCESS, requires
from api.auth.principal import ADMINS
from api.context import request_context
from api.deps import Conn, IdPath, IdQuery
from api.roles.schemas import RoleGrant, RoleGrantCreate
from api.roles.service import RoleService


async def provide_role_service(conn: Conn, request: Request[Any, Any, Any], state: State) -> RoleService:
    return RoleService(conn, request_context(request), state.sessions)


class RolesController(Controller):
    path = "/api/v1/role-grants"
    tags = ["roles"]
    opt = {ACCESS: requires(ADMINS)}
    dependencies = {"roles": Provide(provide_role_service)}

    @get("/", operation_id="ListRoleGrants")
    async def list_grants(self, roles: NamedDependency[RoleService], unit_id: IdQuery = None) -> list[RoleGrant]:
        """Role grants within the caller's admin scope."""
        return await roles.list(unit_id)

    @post("/", operation_id="GrantRole")
    async def grant(self, data: JSONBody[RoleGrantCreate], roles: NamedDependency[RoleService]) -> RoleGrant:
        """Grant a role on a unit (idempotent)."""
        return await roles.grant(data)

    @delete("/{grant_id:int}", operation_id="RevokeRole")
    async def revoke(self, grant_id: IdPath, roles: NamedDependency[RoleService]) -> None:
        """Take a role away."""
        await roles.revoke(grant_id)
