"""The demo feedback seed: idempotent, and what it makes reads like any other feedback."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from api.db import connect
from api.feedback.seed import seed_feedback
from tests.helpers import bearer


async def test_seeding_twice_adds_once(client: AsyncTestClient[Any], database_url: str) -> None:
    conn = await connect(database_url)
    try:
        assert await seed_feedback(conn) == 4
        assert await seed_feedback(conn) == 0
    finally:
        await conn.close()
    member = await bearer(client, "demo.member")
    mine = (await client.get("/api/v1/feedback/mine", headers=member)).json()["items"]
    assert sorted(item["status"] for item in mine) == ["answered", "new"]
    faq = (await client.get("/api/v1/faq", headers=member)).json()["items"]
    assert [entry["question"] for entry in faq] == ["Chi bộ sinh hoạt thường kỳ bao lâu một lần?"]
    secretary = await bearer(client, "demo.secretary")
    inbox = (await client.get("/api/v1/feedback/inbox", headers=secretary)).json()["items"]
    assert {item["anonymous"]: item["author_name"] is None for item in inbox} == {True: True, False: False}
