"""Posting restrictions: a moderator keeps an account from posting feedback for a period."""

from __future__ import annotations

from api.auth.principal import Principal
from api.db import Connection
from api.errors import Forbidden
from api.sql import queries_beside

Q = queries_beside(__file__)


async def ensure_may_post(conn: Connection, principal: Principal) -> None:
    """Raise Forbidden while a restriction on the caller's account runs."""
    until = await conn.fetchval(Q["active_restriction"], principal.account_id)
    if until is not None:
        raise Forbidden(f"Tài khoản của bạn bị hạn chế gửi góp ý đến {until.isoformat(timespec='minutes')}.")
