"""The demo notices: written once, and in the demo member's feed."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from api.db import connect
from api.notices.seed import seed_notices
from tests.notices.helpers import demo


async def test_seeding_is_idempotent_and_reaches_the_demo_member(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    conn = await connect(database_url)
    try:
        assert await seed_notices(conn) == 3
        assert await seed_notices(conn) == 0
    finally:
        await conn.close()
    d = await demo(client, database_url)
    feed = await d.feed(d.member)
    assert [item["title"] for item in feed["items"]] == [
        "Sinh hoạt chi bộ định kỳ tháng này",
        "Thu đảng phí quý",
        "Học tập chuyên đề năm",
    ]
    assert feed["items"][0]["pinned"] is True
    assert feed["unread_count"] == 3
