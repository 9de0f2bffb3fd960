"""Fan-out planning: quiet hours on the member's clock, chunking, muted categories, stable job keys."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from uuid import UUID, uuid4

from litestar.testing import AsyncTestClient

from api.db import connect
from api.outbox import Audience, NotificationIntent, enqueue_notification
from push.fanout import Target, iter_chunks, plan_chunks, quiet_until
from push.outbox import expand_outbox
from push.testclient import TestSubscriber
from tests.helpers import bearer

# 23:30 in Hanoi / Ho Chi Minh City (UTC+7).
LATE = datetime(2026, 6, 1, 16, 30, tzinfo=UTC)


def test_quiet_hours_hold_until_their_local_end() -> None:
    assert quiet_until(LATE, None, None) is None
    assert quiet_until(LATE, time(22, 0), time(6, 0)) == datetime(2026, 6, 1, 23, 0, tzinfo=UTC)
    assert quiet_until(LATE, time(23, 0), time(23, 45)) == datetime(2026, 6, 1, 16, 45, tzinfo=UTC)
    assert quiet_until(LATE, time(6, 0), time(22, 0)) is None
    assert quiet_until(LATE, time(23, 30), time(1, 0)) is not None, "the start is inside"
    assert quiet_until(LATE, time(21, 0), time(23, 30)) is None, "the end is outside"


def test_chunks_are_full_ordered_and_keyed_by_their_first_device() -> None:
    ids = sorted(uuid4() for _ in range(7))
    targets = [Target(i, n) for n, i in enumerate(ids)]
    targets[2] = Target(ids[2], 2, time(22, 0), time(6, 0))
    jobs = plan_chunks(9, targets, now=LATE, size=3)
    assert [len(j.targets) for j in jobs] == [3, 3, 1]
    assert [j.not_before for j in jobs[:2]] == [None, None]
    assert jobs[2].not_before == datetime(2026, 6, 1, 23, 0, tzinfo=UTC)
    assert jobs[0].key == f"push:9:{ids[0]}"
    assert plan_chunks(9, targets, now=LATE, size=3) == jobs, "re-planning gives the same keys"


def _body(endpoint: str) -> dict[str, Any]:
    phone = TestSubscriber.generate(endpoint)
    return {"endpoint": endpoint, "keys": {"p256dh": phone.p256dh_b64, "auth": phone.auth_b64}}


async def test_the_audience_devices_without_muted_ones(client: AsyncTestClient[Any], database_url: str) -> None:
    member, secretary = await bearer(client, "demo.member"), await bearer(client, "demo.secretary")
    for n in range(2):
        url = f"https://fcm.googleapis.com/fcm/send/m{n}"
        assert (await client.post("/api/v1/push/subscriptions", headers=member, json=_body(url))).status_code == 201
    url = "https://updates.push.services.mozilla.com/wpush/v2/s"
    assert (await client.post("/api/v1/push/subscriptions", headers=secretary, json=_body(url))).status_code == 201
    muted = await client.put(
        "/api/v1/notifications/preferences", headers=secretary, json={"muted_categories": ["notice"]}
    )
    assert muted.status_code == 200

    conn = await connect(database_url)
    try:
        branch = await conn.fetchval(
            "select m.branch_id from members m join accounts a on a.member_id = m.id where a.username = 'demo.member'"
        )
        intent = NotificationIntent(
            kind="notice.published", category="notice", title="t", body="b", url="/", audience=Audience(units=(branch,))
        )
        async with conn.transaction():
            outbox_id = await enqueue_notification(conn, intent, source="test:fanout")
        await expand_outbox(conn)
        jobs = [job async for job in iter_chunks(conn, outbox_id, "notice", now=LATE, size=1, page=1)]
        devices: set[UUID] = {d for job in jobs for d, _ in job.targets}
        mine = set(
            await conn.fetchval(
                "select array_agg(s.id) from push_subscriptions s join accounts a on a.id = s.account_id "
                "where a.username = 'demo.member'"
            )
        )
        assert devices == mine, "the secretary muted notices"
        assert len({job.key for job in jobs}) == len(jobs) == 2
        again = [job async for job in iter_chunks(conn, outbox_id, "meeting", now=LATE)]
        assert len(again[0].targets) == 3, "meetings are not muted"
    finally:
        await conn.close()
