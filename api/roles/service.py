"""Granting and revoking roles; every change is audited and takes effect at once."""

from __future__ import annotations

from uuid import UUID

import msgspec

from api.audit.service import record
from api.auth.principal import ADMINS, BRANCH_LEADERS, Principal
from api.auth.sessions import SessionStore
from api.context import RequestContext
from api.db import Connection
from api.errors import InvalidInput, NotFound
from api.org.service import OrgService
from api.roles.schemas import RoleGrant, RoleGrantCreate
from api.sql import queries_beside

Q = queries_beside(__file__)


class RoleService:
    def __init__(self, conn: Connection, ctx: RequestContext, sessions: SessionStore) -> None:
        self.conn = conn
        self.ctx = ctx
        self.sessions = sessions

    @property
    def principal(self) -> Principal:
        return self.ctx.caller

    async def list(self, unit_id: int | None) -> list[RoleGrant]:
        rows = await self.conn.fetch(Q["list_grants"], self.principal.units_for(ADMINS), unit_id)
        return [msgspec.convert(dict(row), RoleGrant) for row in rows]

    async def grant(self, data: RoleGrantCreate) -> RoleGrant:
        """An admin grants any role on a unit inside their subtree; branch roles only on branches."""
        unit = await OrgService(self.conn).find(data.unit_id)
        if unit is None or not self.principal.covers(ADMINS, unit.path):
            raise NotFound(f"No org unit {data.unit_id}.")
        if data.role in BRANCH_LEADERS and unit.kind not in ("branch", "group"):
            raise InvalidInput("Bí thư và phó bí thư được phân công theo chi bộ.")
        account_id = await self._account(data)
        grant_id = await self.conn.fetchval(
            Q["insert_grant"], account_id, data.role.value, unit.id, self.principal.account_id
        )
        await self._forget_sessions(account_id)
        await record(
            self.conn,
            self.ctx,
            "role_granted",
            target=f"account:{account_id}",
            unit_id=unit.id,
            details={"role": data.role.value},
        )
        return next(grant for grant in await self.list(unit.id) if grant.id == grant_id)

    async def revoke(self, grant_id: int) -> None:
        row = await self.conn.fetchrow(Q["get_grant"], grant_id)
        if row is None or not self.principal.covers(ADMINS, row["path"]):
            raise NotFound(f"No role grant {grant_id}.")
        await self.conn.execute(Q["delete_grant"], grant_id)
        await self._forget_sessions(row["account_id"])
        await record(
            self.conn,
            self.ctx,
            "role_revoked",
            target=f"account:{row['account_id']}",
            unit_id=row["unit_id"],
            details={"role": row["role"]},
        )

    async def _account(self, data: RoleGrantCreate) -> UUID:
        if (data.account_id is None) == (data.member_id is None):
            raise InvalidInput("Chọn đúng một trong account_id hoặc member_id.")
        if data.member_id is not None:
            account_id: UUID | None = await self.conn.fetchval(Q["find_account_for_member"], data.member_id)
        else:
            exists = await self.conn.fetchval(Q["account_exists"], data.account_id)
            account_id = data.account_id if exists else None
        if account_id is None:
            raise NotFound("Không tìm thấy tài khoản.")
        return account_id

    async def _forget_sessions(self, account_id: UUID) -> None:
        # Cached callers carry their roles; drop them so the change applies to the next request.
        rows = await self.conn.fetch(Q["live_session_digests"], account_id)
        await self.sessions.forget([row["token_digest"] for row in rows])
