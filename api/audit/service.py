"""The append-only audit log: who did what to whom, when and from where."""

from __future__ import annotations

from typing import Any

import msgspec

from api.audit.schemas import AuditEvent, AuditPage
from api.auth.principal import ADMINS
from api.context import RequestContext
from api.db import Connection
from api.sql import queries_beside

Q = queries_beside(__file__)


async def record(
    conn: Connection,
    ctx: RequestContext,
    action: str,
    *,
    target: str = "",
    unit_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append one event in the caller's transaction: it is kept exactly when the action is."""
    actor = ctx.principal.account_id if ctx.principal else None
    await conn.execute(Q["append_event"], actor, action, target, unit_id, ctx.ip, details or {})


async def list_events(
    conn: Connection, ctx: RequestContext, *, after: int | None, action: str | None, limit: int
) -> AuditPage:
    """Events in the admin's subtrees, newest first; events tied to no unit only for the province's admins."""
    units = ctx.caller.units_for(ADMINS)
    rows = await conn.fetch(Q["list_events"], units, after, action, limit + 1)
    items = [msgspec.convert(dict(row), AuditEvent) for row in rows[:limit]]
    next_cursor = str(items[-1].id) if len(rows) > limit else None
    return AuditPage(items=items, next_cursor=next_cursor)
