"""The daily digest: a member who chose it is pushed only urgent news during the day, and one
evening push when something is unread; however many dispatchers ask, the digest goes once a day."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient

from api.db import Connection, connect
from api.outbox import Audience, NotificationIntent, enqueue_notification
from push.digest import DIGEST_KIND, send_daily_digest
from push.fanout import iter_chunks
from push.outbox import expand_outbox
from push.testclient import TestSubscriber
from tests.helpers import bearer

# Local times in Ho Chi Minh City (UTC+7).
AFTERNOON = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # 15:00
EVENING = datetime(2026, 6, 1, 12, 30, tzinfo=UTC)  # 19:30
NEXT_MORNING = datetime(2026, 6, 2, 1, 0, tzinfo=UTC)  # 08:00 the next day


async def _subscribe(client: AsyncTestClient[Any], login: str, endpoint: str) -> None:
    phone = TestSubscriber.generate(endpoint)
    body = {"endpoint": endpoint, "keys": {"p256dh": phone.p256dh_b64, "auth": phone.auth_b64}}
    answer = await client.post("/api/v1/push/subscriptions", headers=await bearer(client, login), json=body)
    assert answer.status_code == 201, answer.text


async def _publish(conn: Connection, *, urgency: str = "normal") -> int:
    branch = await conn.fetchval(
        "select m.branch_id from members m join accounts a on a.member_id = m.id where a.username = 'demo.member'"
    )
    intent = NotificationIntent(
        kind="notice.published",
        category="notice",
        title="t",
        body="b",
        url="/",
        audience=Audience(units=(branch,)),
        urgency=urgency,  # type: ignore[arg-type]
    )
    async with conn.transaction():
        outbox_id: int = await enqueue_notification(conn, intent, source="test:digest")
    await expand_outbox(conn)
    return outbox_id


async def _owners(conn: Connection, outbox_id: int, *, past_digest: bool) -> set[str]:
    jobs = iter_chunks(conn, outbox_id, "notice", now=AFTERNOON, past_digest=past_digest)
    devices = {device async for job in jobs for device, _ in job.targets}
    rows = await conn.fetch(
        "select a.username from push_subscriptions s join accounts a on a.id = s.account_id where s.id = any($1)",
        list(devices),
    )
    return {row["username"] for row in rows}


async def test_digest_members_get_one_evening_push_instead_of_one_each(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    await _subscribe(client, "demo.member", "https://fcm.googleapis.com/fcm/send/digest")
    await _subscribe(client, "demo.secretary", "https://fcm.googleapis.com/fcm/send/every")
    chosen = await client.put(
        "/api/v1/notifications/preferences",
        headers=await bearer(client, "demo.member"),
        json={"muted_categories": [], "daily_digest": True},
    )
    assert chosen.status_code == 200, chosen.text

    conn = await connect(database_url)
    try:
        ordinary = await _publish(conn)
        assert await _owners(conn, ordinary, past_digest=False) == {"demo.secretary"}
        urgent = await _publish(conn, urgency="high")
        assert await _owners(conn, urgent, past_digest=True) == {"demo.secretary", "demo.member"}

        assert await send_daily_digest(conn, AFTERNOON) == 0, "not before the evening"
        assert await send_daily_digest(conn, EVENING) == 1, "only demo.member chose the digest"
        assert await send_daily_digest(conn, EVENING) == 0, "once a day, whoever asks again"

        # The digest is a notification like any other: in the inbox, and pushed past the digest filter.
        digest = await conn.fetchrow("select id, payload from outbox where source like 'digest:%'")
        assert digest is not None
        assert digest["payload"]["kind"] == DIGEST_KIND
        assert await expand_outbox(conn) == 1
        inbox = await conn.fetchval(
            "select count(*) from notifications n join accounts a on a.member_id = n.member_id "
            "where a.username = 'demo.member' and n.kind = $1",
            DIGEST_KIND,
        )
        assert inbox == 1
        assert await _owners(conn, digest["id"], past_digest=True) == {"demo.member"}

        # Everything read by the next evening: no digest that day.
        await conn.execute("update notifications set read_at = now()")
        next_evening = NEXT_MORNING.replace(hour=12, minute=30)
        assert await send_daily_digest(conn, next_evening) == 0
    finally:
        await conn.close()
