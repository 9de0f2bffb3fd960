"""Moderation notifications, written into the outbox in the transaction of the act behind them."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from api.db import Connection
from api.outbox import Audience, NotificationIntent, enqueue_notification
from api.sql import queries_beside

Q = queries_beside(__file__)

_TO_AUTHOR = {
    "hidden": "Nội dung của bạn đã bị ẩn",
    "restored": "Nội dung của bạn đã được hiện lại",
    "restricted": "Tài khoản của bạn bị hạn chế gửi góp ý",
    "upheld": "Kháng nghị của bạn không được chấp nhận",
    "overturned": "Kháng nghị của bạn được chấp nhận",
}


async def _send(
    conn: Connection, members: Sequence[UUID], *, kind: str, title: str, body: str, url: str, source: str, topic: str
) -> None:
    if not members:
        return
    intent = NotificationIntent(
        kind=kind,
        category="moderation",
        title=title,
        body=body[:200],
        url=url,
        audience=Audience(members=tuple(members)),
        topic=topic,
    )
    await enqueue_notification(conn, intent, source=source)


async def _moderators(conn: Connection, unit_path: Sequence[int]) -> list[UUID]:
    return [row["member_id"] for row in await conn.fetch(Q["moderator_members"], list(unit_path))]


async def reported(conn: Connection, kind: str, item_id: UUID, unit_path: Sequence[int]) -> None:
    """Tell the moderators over an item that it was reported: at most once an hour per item."""
    if await conn.fetchval(Q["claim_alert"], kind, item_id) is None:
        return
    await _send(
        conn,
        await _moderators(conn, unit_path),
        kind="moderation.reported",
        title="Có nội dung bị báo cáo vi phạm",
        body="Mở hàng chờ kiểm duyệt để xem xét.",
        url="/moderation",
        source=f"moderation:{kind}:{item_id}",
        topic=f"moderation:{kind}:{item_id}",
    )


async def appealed(conn: Connection, kind: str, item_id: UUID, unit_path: Sequence[int]) -> None:
    await _send(
        conn,
        await _moderators(conn, unit_path),
        kind="moderation.appealed",
        title="Có kháng nghị chờ xét",
        body="Một người kiểm duyệt khác với người đã ẩn nội dung cần xét kháng nghị này.",
        url="/moderation",
        source=f"moderation:{kind}:{item_id}",
        topic=f"moderation:{kind}:{item_id}:appeal",
    )


async def tell_author(conn: Connection, kind: str, item_id: UUID, thread_id: UUID, what: str, message: str) -> None:
    """Tell an item's author what a moderator did, with the moderator's message."""
    member_id = await conn.fetchval(Q["author_member"], kind, item_id)
    await _send(
        conn,
        [] if member_id is None else [member_id],
        kind=f"moderation.{what}",
        title=_TO_AUTHOR[what],
        body=message or "Mở ứng dụng để xem lý do.",
        url=f"/feedback/{thread_id}",
        source=f"moderation:{kind}:{item_id}",
        topic=f"moderation:{kind}:{item_id}:author",
    )
