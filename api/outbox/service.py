"""Write side effects into the outbox inside the caller's transaction (the push worker delivers them)."""

from __future__ import annotations

from datetime import datetime

import msgspec

from api.db import Connection
from api.outbox.schemas import NotificationIntent
from api.sql import queries_beside

Q = queries_beside(__file__)

NOTIFICATION_TOPIC = "notification"


async def enqueue_notification(
    conn: Connection, intent: NotificationIntent, *, source: str, available_at: datetime | None = None
) -> int:
    """Queue one notification; it leaves only if the caller's transaction commits.

    Args:
        conn: the request's connection, inside its transaction.
        intent: what to say and to whom.
        source: the thing that caused it (``notice:42``), so a later withdrawal can cancel it.
        available_at: not before this time (scheduled publication); now when omitted.

    Returns:
        The outbox row's id.
    """
    payload = msgspec.to_builtins(intent)
    outbox_id: int = await conn.fetchval(Q["enqueue"], NOTIFICATION_TOPIC, source, payload, available_at)
    return outbox_id


async def cancel_pending(conn: Connection, source: str) -> int:
    """Drop what ``source`` queued and the worker has not yet taken; returns how many rows went."""
    status: str = await conn.execute(Q["cancel_pending"], source)
    return int(status.rsplit(" ", 1)[-1])
