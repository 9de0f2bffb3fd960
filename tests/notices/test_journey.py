"""Notices end to end: a secretary posts, a member reads and acknowledges, the secretary follows up."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.testing import AsyncTestClient

from tests.notices.helpers import Demo, demo, fetch, scalar


async def _outbox(database_url: str, notice_id: str) -> list[dict[str, Any]]:
    return await fetch(
        database_url,
        "select topic, payload, available_at, dispatched_at from outbox where source = $1 order by id",
        f"notice:{notice_id}",
    )


async def test_a_secretary_posts_and_members_read(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    plain = await d.post(d.secretary, title="Họp chi bộ tháng 6", body="Họp lúc **19h** tại nhà văn hoá.")
    pinned = await d.post(
        d.secretary, title="Nộp đảng phí", body="Hạn cuối *thứ Sáu*.", pinned=True, requires_acknowledgement=True
    )
    assert plain["unit_id"] == d.branch_id, "the audience defaults to the secretary's branch"
    assert plain["state"] == "published"
    assert plain["body_html"] == "<p>Họp lúc <strong>19h</strong> tại nhà văn hoá.</p>\n"
    assert plain["can_manage"] is True
    assert plain["body"] == "Họp lúc **19h** tại nhà văn hoá."

    # The publication and its push were written together; the push goes to the branch.
    [queued] = await _outbox(database_url, plain["id"])
    assert queued["payload"]["audience"] == {"units": [d.branch_id], "members": []}
    assert queued["payload"]["kind"] == "notice.published"
    assert len(queued["payload"]["topic"]) <= 32
    assert queued["payload"]["ttl_seconds"] == 86_400

    feed = await d.feed(d.member)
    assert [item["id"] for item in feed["items"]] == [pinned["id"], plain["id"]], "pinned first, then newest"
    assert [item["read"] for item in feed["items"]] == [False, False]
    assert feed["unread_count"] == 2
    assert feed["next_cursor"] is None
    assert "body_html" not in feed["items"][0]

    await _read_and_acknowledge(d, pinned["id"], plain["id"])
    feed = await d.feed(d.member)
    assert [(item["read"], item["acknowledged"]) for item in feed["items"]] == [(True, True), (False, False)]
    assert feed["unread_count"] == 1

    await _follow_up(d, pinned["id"])


async def _read_and_acknowledge(d: Demo, required: str, plain: str) -> None:
    url = f"/api/v1/notices/{required}"
    shown = (await d.client.get(url, headers=d.member)).json()
    assert shown["read_at"] is None, "getting a notice marks nothing"
    assert shown["body"] is None, "members get the rendering, not the source"
    assert shown["can_manage"] is False
    first = await d.client.post(f"{url}/read", headers=d.member)
    again = await d.client.post(f"{url}/read", headers=d.member)
    assert first.status_code == again.status_code == 200
    assert first.json()["read_at"] == again.json()["read_at"]
    acknowledged = await d.client.post(f"{url}/acknowledge", headers=d.member)
    assert acknowledged.status_code == 200, acknowledged.text
    assert (await d.client.post(f"{url}/acknowledge", headers=d.member)).json() == acknowledged.json()
    refused = await d.client.post(f"/api/v1/notices/{plain}/acknowledge", headers=d.member)
    assert refused.status_code == 409, "only notices that ask for it are acknowledged"
    assert refused.headers["content-type"].startswith("application/problem+json")
    # The admin may see the branch's notice but it is not addressed to them.
    assert (await d.client.post(f"{url}/read", headers=d.admin)).status_code == 403


async def _follow_up(d: Demo, notice_id: str) -> None:
    url = f"/api/v1/notices/{notice_id}"
    members = await fetch(
        d.database_url, "select id, full_name from members where branch_id = $1 and status = 'active'", d.branch_id
    )
    report = (await d.client.get(f"{url}/receipts", headers=d.secretary)).json()
    assert report["total"]["members"] == len(members)
    assert (report["total"]["read"], report["total"]["acknowledged"]) == (1, 1)
    assert report["total"]["read_percent"] == round(100 / len(members), 1)
    assert len(report["members"]) == len(members), "the secretary sees every name of their branch"
    readers = [m["member_id"] for m in report["members"] if m["acknowledged_at"] is not None]
    assert readers == [d.member_id]

    above = (await d.client.get(f"{url}/receipts", headers=d.admin)).json()
    assert above["members"] == [], "committees above see counts, never names"
    assert [(b["unit_id"], b["read"], b["acknowledged"]) for b in above["branches"]] == [(d.branch_id, 1, 1)]

    reminded = await d.client.post(f"{url}/remind", headers=d.secretary)
    assert reminded.status_code == 200, reminded.text
    assert reminded.json()["recipients"] == len(members) - 1
    reminder = (await _outbox(d.database_url, notice_id))[-1]["payload"]
    assert reminder["kind"] == "notice.reminder"
    assert sorted(reminder["audience"]["members"]) == sorted(
        str(m["id"]) for m in members if str(m["id"]) != d.member_id
    )
    assert reminder["audience"]["units"] == [], "the reminder goes to those members alone"

    for who in (d.secretary, d.admin):
        again = await d.client.post(f"{url}/remind", headers=who)
        assert again.status_code == 429, again.text
        assert "một lần" in again.json()["detail"]
        assert 0 < int(again.headers["retry-after"]) <= 86_400
    report = (await d.client.get(f"{url}/receipts", headers=d.secretary)).json()
    assert report["last_reminded_at"] is not None


async def test_a_scheduled_notice_waits_and_a_withdrawal_cancels(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    publish_at = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    scheduled = await d.post(d.secretary, title="Sắp tới", publish_at=publish_at.isoformat())
    assert scheduled["state"] == "scheduled"
    [queued] = await _outbox(database_url, scheduled["id"])
    assert queued["available_at"] == publish_at, "the push waits for the publication time"
    assert (await d.feed(d.member))["items"] == []
    assert (await client.get(f"/api/v1/notices/{scheduled['id']}", headers=d.member)).status_code == 404
    assert (await client.post(f"/api/v1/notices/{scheduled['id']}/read", headers=d.member)).status_code == 404
    managed = (await client.get("/api/v1/notices/managed", headers=d.secretary)).json()
    assert [(n["id"], n["state"]) for n in managed["items"]] == [(scheduled["id"], "scheduled")]

    # Moving the time moves the queued push with it.
    later = publish_at + timedelta(hours=1)
    moved = await client.put(
        f"/api/v1/notices/{scheduled['id']}",
        headers=d.secretary,
        json={"revision": scheduled["revision"], "publish_at": later.isoformat(), "title": "Sắp tới (dời)"},
    )
    assert moved.status_code == 200, moved.text
    [queued] = await _outbox(database_url, scheduled["id"])
    assert (queued["available_at"], queued["payload"]["title"]) == (later, "Sắp tới (dời)")

    withdrawn = await client.post(
        f"/api/v1/notices/{scheduled['id']}/withdraw",
        headers=d.secretary,
        json={"revision": moved.json()["revision"], "reason": "Đổi lịch"},
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["state"] == "withdrawn"
    assert await _outbox(database_url, scheduled["id"]) == [], "the waiting push is cancelled"
    actions = await fetch(
        database_url, "select action from audit_log where target = $1 order by id", f"notice:{scheduled['id']}"
    )
    assert [a["action"] for a in actions] == ["notice_created", "notice_updated", "notice_withdrawn"]

    # Once its time has come, a scheduled notice is in the feed.
    due = await d.post(d.secretary, title="Đến giờ", publish_at=publish_at.isoformat())
    await scalar(
        database_url, "update notices set publish_at = now() - interval '1 second' where id = $1::uuid", due["id"]
    )
    assert [item["id"] for item in (await d.feed(d.member))["items"]] == [due["id"]]


async def test_a_withdrawn_notice_leaves_the_feed(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    notice = await d.post(d.secretary, title="Nhầm", body="Đăng nhầm.")
    assert [item["id"] for item in (await d.feed(d.member))["items"]] == [notice["id"]]
    withdrawn = await client.post(
        f"/api/v1/notices/{notice['id']}/withdraw", headers=d.secretary, json={"revision": notice["revision"]}
    )
    assert withdrawn.status_code == 200
    assert (await d.feed(d.member))["items"] == []
    assert (await client.get(f"/api/v1/notices/{notice['id']}", headers=d.member)).status_code == 404
    assert (await client.get(f"/api/v1/notices/{notice['id']}", headers=d.secretary)).json()["state"] == "withdrawn"
    again = await client.post(
        f"/api/v1/notices/{notice['id']}/withdraw", headers=d.secretary, json={"revision": withdrawn.json()["revision"]}
    )
    assert again.status_code == 409


async def test_committee_notices_reach_every_branch_below(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    province = await d.post(d.admin, title="Toàn tỉnh", body="Cho mọi đảng viên.", category="urgent")
    commune = await d.post(d.admin, title="Cả xã", body="Cho xã.", unit_id=d.commune_id)
    elsewhere = await d.post(d.admin, title="Chi bộ khác", body="Không phải của bạn.", unit_id=d.other_branch_id)
    assert province["unit_id"] != d.commune_id, "an admin's default audience is the unit of their grant"
    [queued] = await _outbox(database_url, province["id"])
    assert queued["payload"]["urgency"] == "high"
    ids = [item["id"] for item in (await d.feed(d.member))["items"]]
    assert ids == [commune["id"], province["id"]]
    assert elsewhere["id"] not in ids
    # The secretary follows up the province's notice for their own branch, by name.
    await client.post(f"/api/v1/notices/{province['id']}/read", headers=d.member)
    report = (await client.get(f"/api/v1/notices/{province['id']}/receipts", headers=d.secretary)).json()
    assert [b["unit_id"] for b in report["branches"]] == [d.branch_id]
    assert [m["member_id"] for m in report["members"] if m["read_at"]] == [d.member_id]
    # The secretary cannot edit what the committee posted.
    edit = await client.put(f"/api/v1/notices/{province['id']}", headers=d.secretary, json={"revision": 1})
    assert edit.status_code == 403


async def test_a_client_made_id_posts_once(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    notice_id = str(uuid.uuid4())
    first = await d.post(d.secretary, id=notice_id, title="Soạn khi mất sóng")
    again = await d.post(d.secretary, id=notice_id, title="Soạn khi mất sóng")
    assert first == again
    assert len(await _outbox(database_url, notice_id)) == 1
    taken = await client.post("/api/v1/notices", headers=d.admin, json={"id": notice_id, "title": "X", "body": "Y"})
    assert taken.status_code == 409


async def test_concurrent_duplicates_post_once(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    body = {"title": "Gửi hai lần cùng lúc", "body": "Mạng chập chờn."}
    keyed = {**d.secretary, "Idempotency-Key": "notice-double-tap"}
    first, second = await asyncio.gather(
        client.post("/api/v1/notices", headers=keyed, json=body),
        client.post("/api/v1/notices", headers=keyed, json=body),
    )
    assert {first.status_code, second.status_code} == {201}
    assert first.json()["id"] == second.json()["id"]
    same_id = {**body, "id": str(uuid.uuid4()), "title": "Cùng mã"}
    third, fourth = await asyncio.gather(
        client.post("/api/v1/notices", headers=d.secretary, json=same_id),
        client.post("/api/v1/notices", headers=d.secretary, json=same_id),
    )
    assert third.json() == fourth.json()
    rows = await fetch(database_url, "select title, count(*) as n from notices group by title order by title")
    assert [(r["title"], r["n"]) for r in rows] == [("Cùng mã", 1), ("Gửi hai lần cùng lúc", 1)]
    queued = await scalar(database_url, "select count(*) from outbox where source like 'notice:%'")
    assert queued == 2
