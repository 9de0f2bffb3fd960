"""Reading the audit log (admins, within their scope)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import QueryParameter

from api.audit.schemas import AuditPage
from api.audit.service import list_events
from api.auth.guards import ACCESS, requires
from api.auth.principal import ADMINS
from api.deps import Conn, Ctx, IdQuery, Limit


class AuditController(Controller):
    path = "/api/v1/audit"
    tags = ["audit"]

    @get("/", operation_id="ListAuditEvents", opt={ACCESS: requires(ADMINS)})
    async def list_audit(
        self,
        conn: Conn,
        ctx: Ctx,
        after: IdQuery = None,
        action: Annotated[str | None, QueryParameter(max_length=64)] = None,
        limit: Limit = 100,
    ) -> AuditPage:
        """Audit events in the caller's scope, newest first."""
        return await list_events(conn, ctx, after=after, action=action, limit=limit)
