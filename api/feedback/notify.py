"""Notifications about feedback, written into the outbox in the transaction of the change behind them.

Texts never name the asker: a push lands on a lock screen, and an anonymous thread stays anonymous there.
"""

from __future__ import annotations

from uuid import UUID

from api.db import Connection
from api.feedback.access import responsible_roles
from api.outbox import Audience, NotificationIntent, enqueue_notification
from api.sql import queries_beside

Q = queries_beside(__file__)

KIND_WORDS = {"question": "Câu hỏi", "suggestion": "Góp ý", "petition": "Kiến nghị"}


async def responsible_members(conn: Connection, unit_id: int, level: str) -> tuple[UUID, ...]:
    """The members who answer at a unit (its own grants, not those above it: they have their own level)."""
    roles = sorted(role.value for role in responsible_roles(level))
    return tuple(row["member_id"] for row in await conn.fetch(Q["responsible_members"], unit_id, roles))


async def asker(conn: Connection, thread_id: UUID) -> tuple[UUID, ...]:
    member_id: UUID | None = await conn.fetchval(Q["asker_member"], thread_id)
    return () if member_id is None else (member_id,)


async def notify(
    conn: Connection,
    thread_id: UUID,
    members: tuple[UUID, ...],
    *,
    kind: str,
    title: str,
    body: str,
    side: str = "officers",
) -> None:
    """Queue one notification about a thread to some members (nothing when there is nobody to tell)."""
    if not members:
        return
    intent = NotificationIntent(
        kind=kind,
        category="feedback",
        title=title,
        body=body[:200],
        url=f"/feedback/{thread_id}",
        audience=Audience(members=members),
        topic=f"feedback:{thread_id}:{kind}:{side}",
        ttl_seconds=3 * 86_400,
    )
    await enqueue_notification(conn, intent, source=f"feedback:{thread_id}")


async def tell_officers(conn: Connection, thread_id: UUID, unit_id: int, level: str, *, kind: str, body: str) -> None:
    members = await responsible_members(conn, unit_id, level)
    await notify(conn, thread_id, members, kind=kind, title="Góp ý của đảng viên", body=body)


async def tell_asker(conn: Connection, thread_id: UUID, *, kind: str, title: str, body: str) -> None:
    await notify(conn, thread_id, await asker(conn, thread_id), kind=kind, title=title, body=body, side="asker")
