"""The feed's first page comes from the worker's copy of each unit's notices: it must never show a stale one.

Every write to a notice moves its unit's version (a trigger) and announces it; the copy is evicted by the
announcement (or, while the listener is lost, checked against the version on every request); a scheduled
publication or an expiry comes with time alone, and the copy knows when that is. A change made behind the
app's back shows once the app has heard its announcement (``app_heard``), which a route's own write does
not wait for.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.db import connect
from api.notices.feed import FeedCache
from api.notices.routes import FEED_CACHE
from tests.announced import app_heard
from tests.notices.helpers import Demo, demo, scalar


async def _titles(d: Demo) -> list[str]:
    return [item["title"] for item in (await d.feed(d.member))["items"]]


async def _behind_the_triggers(database_url: str, query: str, *args: object) -> None:
    """Change a row without moving its version, as only a bug could: shows what the copy is serving."""
    conn = await connect(database_url)
    try:
        await conn.execute("set session_replication_role = replica")
        await conn.execute(query, *args)
    finally:
        await conn.close()


async def test_the_copy_serves_until_a_notice_is_written(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    notice = await d.post(d.secretary, title="Bản đầu")
    assert await _titles(d) == ["Bản đầu"]
    feeds = app.state[FEED_CACHE]
    assert isinstance(feeds, FeedCache)
    assert len(feeds) > 0, "the units of the member's reach are kept"

    await _behind_the_triggers(database_url, "update notices set title = 'Lén sửa' where id = $1::uuid", notice["id"])
    assert await _titles(d) == ["Bản đầu"], "no version moved: the kept copy is what is served"

    edited = await client.put(
        f"/api/v1/notices/{notice['id']}",
        headers=d.secretary,
        json={"revision": notice["revision"], "title": "Bản sửa"},
    )
    assert edited.status_code == 200, edited.text
    assert await _titles(d) == ["Bản sửa"], "an edit moves the version: the copy is read again"


async def test_posting_and_withdrawing_change_the_feed_and_the_unread_count_at_once(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    first = await d.post(d.secretary, title="Một")
    assert (await d.feed(d.member))["unread_count"] == 1
    second = await d.post(d.admin, title="Hai", unit_id=d.commune_id)
    feed = await d.feed(d.member)
    assert [item["id"] for item in feed["items"]] == [second["id"], first["id"]], "a unit above: its own copy"
    assert feed["unread_count"] == 2

    withdrawn = await client.post(
        f"/api/v1/notices/{second['id']}/withdraw", headers=d.admin, json={"revision": second["revision"]}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    feed = await d.feed(d.member)
    assert [item["id"] for item in feed["items"]] == [first["id"]]
    assert feed["unread_count"] == 1

    elsewhere = await d.post(d.admin, title="Chi bộ khác", unit_id=d.other_branch_id)
    feed = await d.feed(d.member)
    assert elsewhere["id"] not in [item["id"] for item in feed["items"]], "another branch's copy is not theirs"
    assert feed["unread_count"] == 1


async def test_reading_and_acknowledging_show_on_the_next_feed(client: AsyncTestClient[Any], database_url: str) -> None:
    d = await demo(client, database_url)
    asks = await d.post(d.secretary, title="Xác nhận", requires_acknowledgement=True)
    plain = await d.post(d.secretary, title="Đọc")
    assert (await d.feed(d.member))["unread_count"] == 2

    assert (await client.post(f"/api/v1/notices/{plain['id']}/read", headers=d.member)).status_code == 200
    feed = await d.feed(d.member)
    assert [(i["title"], i["read"], i["acknowledged"]) for i in feed["items"]] == [
        ("Đọc", True, False),
        ("Xác nhận", False, False),
    ]
    assert feed["unread_count"] == 1

    assert (await client.post(f"/api/v1/notices/{asks['id']}/acknowledge", headers=d.member)).status_code == 200
    feed = await d.feed(d.member)
    assert [(i["read"], i["acknowledged"]) for i in feed["items"]] == [(True, False), (True, True)]
    assert feed["unread_count"] == 0
    assert (await d.feed(d.secretary))["unread_count"] == 2, "the secretary's own read state, not the member's"


async def _wait_for_database_time(database_url: str, deadline: datetime) -> None:
    """Until the database's clock has passed ``deadline`` (a wait for an event, not a measurement)."""
    seconds = await scalar(database_url, "select extract(epoch from $1::timestamptz - now())::float", deadline)
    await asyncio.sleep(max(0.0, seconds) + 0.1)
    assert await scalar(database_url, "select now() > $1::timestamptz", deadline)


async def test_a_scheduled_notice_comes_out_and_another_expires_with_no_write(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    await d.post(d.secretary, title="Cũ")  # something to keep the unit's copy busy
    insert = (
        "insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary, "
        "publish_at, expires_at) select gen_random_uuid(), $1, author_id, author_name, $2, 'b', '<p>b</p>', 'b', "
        "$3::timestamptz, $4::timestamptz from notices limit 1 returning publish_at"
    )
    # Straight in SQL: the API keeps a minute between publication and expiry, and this test must not wait one.
    soon = await scalar(database_url, "select clock_timestamp() + interval '6 seconds'")
    an_hour_ago = await scalar(database_url, "select now() - interval '1 hour'")
    await scalar(database_url, insert, d.branch_id, "Sắp đăng", soon, None)
    await scalar(database_url, insert, d.branch_id, "Sắp hết hạn", an_hour_ago, soon)
    await app_heard(app, database_url)
    feed = await d.feed(d.member)
    assert [item["title"] for item in feed["items"]] == ["Cũ", "Sắp hết hạn"]
    assert feed["unread_count"] == 2
    assert await scalar(database_url, "select now() < $1::timestamptz", soon), "premise: the change is still to come"
    version = await scalar(database_url, "select version from notice_unit_versions where unit_id = $1", d.branch_id)

    await _wait_for_database_time(database_url, soon)
    feed = await d.feed(d.member)
    assert [item["title"] for item in feed["items"]] == ["Sắp đăng", "Cũ"], "time alone changed the feed"
    assert feed["unread_count"] == 2
    after = await scalar(database_url, "select version from notice_unit_versions where unit_id = $1", d.branch_id)
    assert after == version, "no write happened meanwhile: the copy's own deadline made it read again"


async def test_a_renamed_unit_shows_its_new_name(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    await d.post(d.secretary, title="Tên")
    await d.feed(d.member)
    await scalar(database_url, "update org_units set name = 'Chi bộ Mới' where id = $1", d.branch_id)
    await app_heard(app, database_url)
    assert [item["unit_name"] for item in (await d.feed(d.member))["items"]] == ["Chi bộ Mới"]


async def test_a_first_page_longer_than_the_copies_agrees_with_them(
    app: Litestar, client: AsyncTestClient[Any], database_url: str
) -> None:
    d = await demo(client, database_url)
    await d.post(d.secretary, title="Mẫu")
    await scalar(
        database_url,
        "insert into notices (id, unit_id, author_id, author_name, title, body_md, body_html, summary, pinned, "
        "publish_at) select gen_random_uuid(), unit_id, author_id, author_name, 'Số ' || g, 'b', '<p>b</p>', 'b', "
        "g % 7 = 0, now() - g * interval '1 minute' from notices, generate_series(1, 30) as g",
    )
    await app_heard(app, database_url)
    short, long = await d.feed(d.member), await d.feed(d.member, limit=50)
    assert len(short["items"]) == 20
    assert len(long["items"]) == 31
    assert long["items"][:20] == short["items"], "the copies and the database give the same order"
    assert short["unread_count"] == long["unread_count"] == 31
    assert long["next_cursor"] is None
    rest = await d.feed(d.member, after=short["next_cursor"])
    assert [item["id"] for item in short["items"] + rest["items"]] == [item["id"] for item in long["items"]]
