"""The organisation tree: which units exist and which of them a caller may see."""

from __future__ import annotations

import msgspec

from api.auth.principal import Principal
from api.db import Connection
from api.errors import NotFound
from api.org.schemas import OrgUnit
from api.sql import queries_beside

Q = queries_beside(__file__)


async def branch_index(conn: Connection) -> dict[str, tuple[int, frozenset[int]]]:
    """Every branch-level unit by code, with the ids on its path (for scope checks without queries)."""
    return {row["code"]: (row["id"], frozenset(row["path"])) for row in await conn.fetch(Q["branch_codes"])}


async def insert_units(conn: Connection, units: list[tuple[str, str, str, str | None]]) -> None:
    """Create units given as (code, name, kind, parent code), parents first; existing codes are kept."""
    await conn.executemany(Q["insert_unit"], units)


class OrgService:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    async def find(self, unit_id: int) -> OrgUnit | None:
        row = await self.conn.fetchrow(Q["get_unit"], unit_id)
        return msgspec.convert(dict(row), OrgUnit) if row else None

    async def visible_unit(self, principal: Principal, unit_id: int) -> OrgUnit:
        """A unit the caller may see: one above or at their own branch, or inside a subtree they hold a role in.

        Anything else answers 404, exactly as a unit that does not exist.
        """
        unit = await self.find(unit_id)
        if unit is None or not await self._may_see(principal, unit):
            raise NotFound(f"No org unit {unit_id}.")
        return unit

    async def children(self, principal: Principal, parent_id: int | None) -> list[OrgUnit]:
        """Children of a visible unit; without a parent, the roots of the caller's own scopes."""
        if parent_id is None:
            roots = sorted({grant.unit_id for grant in principal.grants} | self._own_path_top(principal))
            rows = await self.conn.fetch(Q["list_units"], roots)
        else:
            parent = await self.visible_unit(principal, parent_id)
            rows = await self.conn.fetch(Q["list_children"], parent.id)
        units = [msgspec.convert(dict(row), OrgUnit) for row in rows]
        return [unit for unit in units if await self._may_see(principal, unit)]

    async def _may_see(self, principal: Principal, unit: OrgUnit) -> bool:
        if any(grant.unit_id in unit.path for grant in principal.grants):
            return True
        if principal.branch_id is None:
            return False
        branch = await self.find(principal.branch_id)
        return branch is not None and unit.id in branch.path

    @staticmethod
    def _own_path_top(principal: Principal) -> set[int]:
        return {principal.branch_id} if principal.branch_id is not None else set()
