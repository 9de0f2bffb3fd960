"""Browsing the organisation tree."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import NamedDependency, Provide

from api.auth.guards import ACCESS, current_principal, signed_in
from api.deps import Conn, IdPath, IdQuery
from api.org.schemas import OrgUnit
from api.org.service import OrgService


async def provide_org_service(conn: Conn) -> OrgService:
    return OrgService(conn)


class OrgController(Controller):
    path = "/api/v1/org/units"
    tags = ["org"]
    opt = {ACCESS: signed_in}
    dependencies = {"org": Provide(provide_org_service)}

    @get("/", operation_id="ListOrgUnits")
    async def list_units(
        self, request: Request[Any, Any, Any], org: NamedDependency[OrgService], parent_id: IdQuery = None
    ) -> list[OrgUnit]:
        """Children of a unit, or the roots of the caller's scopes."""
        return await org.children(current_principal(request), parent_id)

    @get("/{unit_id:int}", operation_id="GetOrgUnit")
    async def get_unit(
        self, request: Request[Any, Any, Any], org: NamedDependency[OrgService], unit_id: IdPath
    ) -> OrgUnit:
        """One unit the caller may see."""
        return await org.visible_unit(current_principal(request), unit_id)
