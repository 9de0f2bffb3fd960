"""The outbox fills members' inboxes; members page, read and tune their notifications."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar.testing import AsyncTestClient

from api.db import connect
from api.outbox import Audience, NotificationIntent, enqueue_notification
from push.outbox import expand_outbox
from tests.helpers import bearer


def _intent(audience: Audience, title: str = "Thông báo mới") -> NotificationIntent:
    return NotificationIntent(
        kind="notice.published", category="notice", title=title, body="Họp chi bộ.", url="/notices/1", audience=audience
    )


async def _queue(database_url: str, intent: NotificationIntent, *, commit: bool = True) -> int:
    conn = await connect(database_url)
    try:
        transaction = conn.transaction()
        await transaction.start()
        outbox_id = await enqueue_notification(conn, intent, source="test:1")
        await (transaction.commit() if commit else transaction.rollback())
        return outbox_id
    finally:
        await conn.close()


async def _expand(database_url: str) -> int:
    conn = await connect(database_url)
    try:
        return await expand_outbox(conn)
    finally:
        await conn.close()


async def _scalar(database_url: str, query: str, *args: object) -> Any:
    conn = await connect(database_url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


async def test_a_commune_notice_reaches_every_active_member_once(database_url: str) -> None:
    commune = await _scalar(
        database_url,
        "select b.path[cardinality(b.path) - 1] from org_units b join members m on m.branch_id = b.id "
        "join accounts a on a.member_id = m.id where a.username = 'demo.member'",
    )
    outbox_id = await _queue(database_url, _intent(Audience(units=(commune,))))
    assert await _expand(database_url) >= 1
    expected = await _scalar(
        database_url,
        "select count(*) from members m join org_units b on b.id = m.branch_id "
        "where m.status = 'active' and b.path @> array[$1::bigint]",
        commune,
    )
    got = await _scalar(database_url, "select count(*) from notifications where outbox_id = $1", outbox_id)
    assert got == expected > 0
    assert await _scalar(database_url, "select dispatched_at is not null from outbox where id = $1", outbox_id)
    assert await _expand(database_url) == 0, "a dispatched row is not expanded again"
    # A repeat after a crash (row not yet marked) writes nothing twice.
    await _scalar(database_url, "update outbox set dispatched_at = null where id = $1 returning id", outbox_id)
    await _expand(database_url)
    assert await _scalar(database_url, "select count(*) from notifications where outbox_id = $1", outbox_id) == got


async def test_explicit_members_and_a_rolled_back_notice(database_url: str) -> None:
    member = await _scalar(database_url, "select member_id from accounts where username = 'demo.member'")
    secretary = await _scalar(database_url, "select member_id from accounts where username = 'demo.secretary'")
    outbox_id = await _queue(database_url, _intent(Audience(members=(member, secretary, member))))
    await _queue(database_url, _intent(Audience(members=(member,)), title="rolled back"), commit=False)
    await _expand(database_url)
    rows = await _scalar(
        database_url,
        "select array_agg(member_id order by member_id) from notifications where outbox_id = $1",
        outbox_id,
    )
    assert sorted(rows) == sorted([member, secretary])
    assert await _scalar(database_url, "select count(*) from notifications where title = 'rolled back'") == 0


async def test_a_member_pages_reads_and_sets_preferences(client: AsyncTestClient[Any], database_url: str) -> None:
    member: UUID = await _scalar(database_url, "select member_id from accounts where username = 'demo.member'")
    for n in range(5):
        await _queue(database_url, _intent(Audience(members=(member,)), title=f"Tin {n}"))
    await _expand(database_url)
    headers = await bearer(client, "demo.member")

    first = (await client.get("/api/v1/notifications?limit=3", headers=headers)).json()
    assert [n["title"] for n in first["items"]] == ["Tin 4", "Tin 3", "Tin 2"]
    assert first["unread"] == 5
    rest = (await client.get(f"/api/v1/notifications?limit=3&after={first['next']}", headers=headers)).json()
    assert [n["title"] for n in rest["items"]] == ["Tin 1", "Tin 0"]
    assert rest["next"] is None

    read = await client.post(f"/api/v1/notifications/{first['items'][0]['id']}/read", headers=headers)
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert (await client.get("/api/v1/notifications", headers=headers)).json()["unread"] == 4
    other = await bearer(client, "demo.secretary")
    assert (
        await client.post(f"/api/v1/notifications/{first['items'][1]['id']}/read", headers=other)
    ).status_code == 404
    assert (await client.post("/api/v1/notifications/read", headers=headers)).json()["updated"] == 4
    assert (await client.get("/api/v1/notifications", headers=headers)).json()["unread"] == 0
    bad = await client.get("/api/v1/notifications?after=bm9wZQ", headers=headers)
    assert bad.status_code == 400

    defaults = (await client.get("/api/v1/notifications/preferences", headers=headers)).json()
    assert defaults == {"muted_categories": [], "quiet_hours": None, "daily_digest": False}
    wanted = {"muted_categories": ["study", "meeting"], "quiet_hours": {"start": "22:00", "end": "06:30"}}
    saved = await client.put(
        "/api/v1/notifications/preferences", headers=headers, json={**wanted, "daily_digest": True}
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {**wanted, "muted_categories": ["meeting", "study"], "daily_digest": True}
    assert (await client.get("/api/v1/notifications/preferences", headers=headers)).json() == saved.json()
    for hostile in (
        {"quiet_hours": {"start": "25:00", "end": "06:00"}},
        {"quiet_hours": {"start": "06:00", "end": "06:00"}},
        {"muted_categories": ["<script>"]},
        {"muted_categories": ["notice"] * 21},
        {"surprise": 1},
    ):
        refused = await client.put("/api/v1/notifications/preferences", headers=headers, json=hostile)
        assert refused.status_code == 400, (hostile, refused.text)
    assert msgspec.json.decode(saved.content)["daily_digest"] is True
