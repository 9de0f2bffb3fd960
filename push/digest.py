"""The daily digest: one evening push, instead of one per notification, for those who chose it.

Members who turn on the digest keep getting every notification in their inbox, but ordinary ones
are not pushed (see :mod:`push.fanout`); urgent ones (meeting changes) still are. At
``DIGEST_HOUR`` local time the dispatcher writes one digest notification for every such member with
something unread since the last digest. ``digest_runs`` makes that once a day however many
dispatchers run, and the digest goes through the outbox like any notification, so it survives a
Redis outage as well.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

from api.db import Connection
from api.outbox import Audience, NotificationIntent, enqueue_notification
from api.sql import load_queries
from push.fanout import LOCAL_ZONE

Q = load_queries(Path(__file__).with_name("digest.sql"))

DIGEST_HOUR = time(19, 0)
"""After the working day and the evening meal, before the usual quiet hours begin."""
DIGEST_KIND = "notification.digest"
DIGEST_CATEGORY = "digest"


def digest_due(now: datetime) -> datetime | None:
    """Today's digest time (aware) if it has passed, else None."""
    local = now.astimezone(LOCAL_ZONE)
    today = local.replace(hour=DIGEST_HOUR.hour, minute=DIGEST_HOUR.minute, second=0, microsecond=0)
    return today if local >= today else None


async def send_daily_digest(conn: Connection, now: datetime) -> int:
    """Write today's digest into the outbox once it is due; returns how many members it goes to.

    Args:
        conn: A connection outside any transaction; this function opens its own.
        now: The current instant (aware).

    Returns:
        0 when it is not yet time, another worker sent it already, or nobody has anything unread.
    """
    due = digest_due(now)
    if due is None:
        return 0
    async with conn.transaction():
        if await conn.fetchval(Q["claim_day"], due.date()) is None:
            return 0
        members = [row["member_id"] for row in await conn.fetch(Q["digest_members"], due - timedelta(days=1))]
        await conn.execute(Q["count_members"], due.date(), len(members))
        if members:
            intent = NotificationIntent(
                kind=DIGEST_KIND,
                category=DIGEST_CATEGORY,
                title="Thông báo trong ngày",
                body="Bạn có thông báo mới chưa đọc. Chạm để xem.",
                url="/notifications",
                audience=Audience(members=tuple(members)),
                topic=f"digest:{due.date().isoformat()}",
                ttl_seconds=12 * 3600,
            )
            await enqueue_notification(conn, intent, source=f"digest:{due.date().isoformat()}")
    return len(members)
