"""Sign-in by phone, hash upgrades, and what happens while Redis is away."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from api.app import create_app
from api.db import connect
from tests.helpers import bearer
from tests.servers import DEMO_PASSWORD, make_settings


async def test_sign_in_by_phone_in_any_common_spelling(client: AsyncTestClient[Any], database_url: str) -> None:
    conn = await connect(database_url)
    try:
        phone = await conn.fetchval(
            "select m.phone from members m join accounts a on a.member_id = m.id where a.username = 'demo.member'"
        )
    finally:
        await conn.close()
    assert phone is not None
    assert phone.startswith("0")
    for spelling in (phone, "+84" + phone[1:], f"{phone[:4]} {phone[4:7]} {phone[7:]}"):
        response = await client.post(
            "/api/v1/auth/login", json={"login": spelling, "password": DEMO_PASSWORD, "client": "bearer"}
        )
        assert response.status_code == 200, spelling
        assert response.json()["me"]["username"] == "demo.member"


async def test_stronger_argon2_parameters_rehash_at_next_sign_in(database_url: str, redis_url: str) -> None:
    async def stored_hash() -> str:
        conn = await connect(database_url)
        try:
            return str(await conn.fetchval("select password_hash from accounts where username = 'demo.admin'"))
        finally:
            await conn.close()

    before = await stored_hash()
    assert "t=2" in before
    stronger = make_settings(database_url, redis_url, argon2_time_cost=3)
    async with AsyncTestClient(app=create_app(stronger), base_url="https://testserver.local") as client:
        await bearer(client, "demo.admin")
    after = await stored_hash()
    assert after.startswith("$argon2id$")
    assert "t=3" in after
    async with AsyncTestClient(app=create_app(stronger), base_url="https://testserver.local") as client:
        await bearer(client, "demo.admin")


async def test_without_redis_sessions_still_work_and_sign_in_waits(
    client: AsyncTestClient[Any], database_url: str
) -> None:
    token = await bearer(client, "demo.member")
    no_redis = make_settings(database_url, "redis://127.0.0.1:1/0")
    async with AsyncTestClient(app=create_app(no_redis), base_url="https://testserver.local") as other:
        me = await other.get("/api/v1/me", headers=token)
        assert me.status_code == 200, "sessions are read from PostgreSQL when the cache is away"
        refused = await other.post("/api/v1/auth/login", json={"login": "demo.member", "password": DEMO_PASSWORD})
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == "30"
        assert refused.headers["content-type"].startswith("application/problem+json")
