"""The feed's cursor pages, optimistic concurrency on edits, scope, attachments and posting limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from tests.notices.helpers import demo, scalar


async def test_cursor_pages_walk_the_feed_once_in_order(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    posted = [await d.post(d.secretary, title=f"Thông báo {i}", pinned=i == 2) for i in range(7)]
    # Two notices published at the same instant still page apart (the id breaks the tie).
    await scalar(
        database_url,
        "update notices set publish_at = (select min(publish_at) from notices) where id = any($1::uuid[])",
        [posted[0]["id"], posted[1]["id"]],
    )
    expected = [n["id"] for n in (await d.feed(d.member, limit=100))["items"]]
    assert expected[0] == posted[2]["id"], "pinned first"
    assert sorted(expected) == sorted(n["id"] for n in posted)
    seen: list[str] = []
    page = await d.feed(d.member, limit=3)
    assert page["unread_count"] == 7
    while True:
        seen.extend(item["id"] for item in page["items"])
        if page["next_cursor"] is None:
            break
        page = await d.feed(d.member, limit=3, after=page["next_cursor"])
        assert page["unread_count"] is None, "counted on the first page only"
    assert seen == expected


@pytest.mark.parametrize("cursor", ["%%%", "AAAA", "MS4xLjE", "x" * 101, ""])
async def test_a_foreign_cursor_is_refused(client: AsyncTestClient[Any], database_url: str, cursor: str) -> None:
    d = await demo(client, database_url)
    response = await client.get("/api/v1/notices", headers=d.member, params={"after": cursor})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_stale_edit_is_refused(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    notice = await d.post(d.secretary, title="Bản đầu", body="Nội dung.")
    url = f"/api/v1/notices/{notice['id']}"
    edited = await client.put(
        url, headers=d.secretary, json={"revision": 1, "body": "Nội dung **mới**.", "pinned": True}
    )
    assert edited.status_code == 200, edited.text
    assert (edited.json()["revision"], edited.json()["pinned"]) == (2, True)
    assert edited.json()["body_html"] == "<p>Nội dung <strong>mới</strong>.</p>\n"
    assert edited.json()["title"] == "Bản đầu", "fields left out keep their value"
    stale = await client.put(url, headers=d.secretary, json={"revision": 1, "title": "Ghi đè"})
    assert stale.status_code == 409
    assert stale.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(url, headers=d.secretary)).json()["title"] == "Bản đầu"
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    moved = await client.put(url, headers=d.secretary, json={"revision": 2, "publish_at": later})
    assert moved.status_code == 409, "a published notice keeps its publication time"
    stale_withdraw = await client.post(f"{url}/withdraw", headers=d.secretary, json={"revision": 1})
    assert stale_withdraw.status_code == 409
    expiry = await client.put(url, headers=d.secretary, json={"revision": 2, "expires_at": later})
    assert expiry.status_code == 200
    assert expiry.json()["expires_at"] is not None
    audited = await scalar(
        database_url,
        "select count(*) from audit_log where action = 'notice_updated' and target = $1",
        f"notice:{notice['id']}",
    )
    assert audited == 2


async def test_expired_notices_leave_the_feed(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    notice = await d.post(d.secretary, title="Hết hạn", expires_at=soon)
    assert [i["id"] for i in (await d.feed(d.member))["items"]] == [notice["id"]]
    await scalar(
        database_url,
        "update notices set publish_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' "
        "where id = $1::uuid",
        notice["id"],
    )
    assert (await d.feed(d.member))["items"] == []
    assert (await client.get(f"/api/v1/notices/{notice['id']}", headers=d.member)).json()["state"] == "expired"
    remind = await client.post(f"/api/v1/notices/{notice['id']}/remind", headers=d.secretary)
    assert remind.status_code == 409


async def test_out_of_scope_notices_answer_404(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    other = await d.post(d.admin, title="Chi bộ khác", unit_id=d.other_branch_id)
    url = f"/api/v1/notices/{other['id']}"
    refused = [
        await client.get(url, headers=d.member),
        await client.get(url, headers=d.secretary),
        await client.post(f"{url}/read", headers=d.member),
        await client.post(f"{url}/acknowledge", headers=d.member),
        await client.get(f"{url}/receipts", headers=d.secretary),
        await client.post(f"{url}/remind", headers=d.secretary),
        await client.put(url, headers=d.secretary, json={"revision": 1, "title": "Sửa"}),
        await client.post(f"{url}/withdraw", headers=d.secretary, json={"revision": 1}),
        await client.post(
            "/api/v1/notices", headers=d.secretary, json={"title": "T", "body": "B", "unit_id": d.other_branch_id}
        ),
        await client.post(
            "/api/v1/notices", headers=d.secretary, json={"title": "T", "body": "B", "unit_id": d.commune_id}
        ),
        await client.get("/api/v1/notices/00000000-0000-0000-0000-000000000000", headers=d.admin),
    ]
    assert [r.status_code for r in refused] == [404] * len(refused)
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in refused)
    assert (await client.post("/api/v1/notices", headers=d.member, json={"title": "T", "body": "B"})).status_code == 403


async def test_attachments_of_readable_documents(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    documents = (await client.get("/api/v1/documents", headers=d.admin)).json()
    document = next(doc for doc in documents if doc["status"] == "published")
    uploaded = await client.post(
        f"/api/v1/documents/{document['id']}/attachments",
        params={"file_name": "lich-hop.pdf"},
        content=b"%PDF-1.4\n%%EOF\n",
        headers={**d.admin, "Content-Type": "application/pdf"},
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()["id"]
    notice = await d.post(d.secretary, title="Kèm tài liệu", attachments=[attachment])
    assert [(a["id"], a["file_name"]) for a in notice["attachments"]] == [(attachment, "lich-hop.pdf")]
    assert (await client.get(f"/api/v1/attachments/{attachment}", headers=d.member)).status_code == 200
    twice = await client.post(
        "/api/v1/notices",
        headers=d.secretary,
        json={"title": "T", "body": "B", "attachments": [attachment, attachment]},
    )
    assert twice.status_code == 400
    assert [e["field"] for e in twice.json()["errors"]] == ["attachments[1]"]
    edited = await client.put(
        f"/api/v1/notices/{notice['id']}", headers=d.secretary, json={"revision": 1, "attachments": []}
    )
    assert edited.json()["attachments"] == []


async def test_posting_is_limited_per_member(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    for i in range(30):
        await d.post(d.secretary, title=f"Tin {i}")
    refused = await client.post("/api/v1/notices", headers=d.secretary, json={"title": "Tin 31", "body": "B"})
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(refused.headers["retry-after"]) <= 3600
    assert await scalar(database_url, "select count(*) from notices") == 30
    assert (await client.post("/api/v1/notices", headers=d.admin, json={"title": "T", "body": "B"})).status_code == 201
