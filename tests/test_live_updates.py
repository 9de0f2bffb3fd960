"""Live updates: a member's open stream hears what concerns them, and ends when they sign out."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import msgspec
import pytest
import redis.asyncio as aioredis

from api.db import connect
from api.live import publish
from api.live.streams import HEARTBEAT_SECONDS, MAX_STREAMS
from api.outbox import Audience, NotificationIntent
from tests.app_server import AppServer
from tests.servers import DEMO_PASSWORD


@pytest.fixture
def server(database_url: str, redis_url: str, tmp_path: Any) -> Any:
    # Streams never end on their own: they need a real server (the test client waits for the whole body).
    app = AppServer(database_url, redis_url, None, tmp_path)
    try:
        app.wait_ready(None)
        yield app
    finally:
        app.stop()


async def _signed_in(client: httpx.AsyncClient) -> dict[str, str]:
    answer = await client.post(
        "/api/v1/auth/login", json={"login": "demo.member", "password": DEMO_PASSWORD, "client": "bearer"}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


async def _branch_of_demo_member(database_url: str) -> tuple[int, int]:
    conn = await connect(database_url)
    try:
        row = await conn.fetchrow(
            "select b.id, b.path from accounts a join members m on m.id = a.member_id "
            "join org_units b on b.id = m.branch_id where a.username = 'demo.member'"
        )
        assert row is not None
        return row["id"], row["path"][-2]
    finally:
        await conn.close()


async def _read_events(lines: Any, wanted: int) -> list[tuple[str, str]]:
    events: list[tuple[str, str]] = []
    event = ""
    async for line in lines:
        if line.startswith("event: "):
            event = line.removeprefix("event: ")
        elif line.startswith("data: "):
            events.append((event, line.removeprefix("data: ")))
            if len(events) == wanted:
                return events
    return events


async def test_a_member_hears_their_commune_and_stops_at_sign_out(
    server: AppServer, database_url: str, redis_url: str
) -> None:
    client = httpx.AsyncClient(base_url=server.base_url, timeout=20, trust_env=False)
    member = await _signed_in(client)
    _branch, commune = await _branch_of_demo_member(database_url)
    redis = aioredis.Redis.from_url(redis_url)
    notice = NotificationIntent(
        kind="notice.published",
        category="notice",
        title="Họp chi bộ",
        body="Tối thứ Sáu.",
        url="/notices/1",
        audience=Audience(units=(commune,)),
    )
    elsewhere = msgspec.structs.replace(notice, url="/notices/2", audience=Audience(units=(-1,)))
    try:
        async with client.stream("GET", "/api/v1/live", headers=member) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.aiter_lines()
            assert (await _read_events(lines, 1))[0][0] == "ready"
            await publish(redis, elsewhere)  # not for this member: never arrives
            for _ in range(100):
                if await publish(redis, notice):
                    break
                await asyncio.sleep(0.02)
            event, data = (await asyncio.wait_for(_read_events(lines, 1), 10))[0]
            assert event == "update"
            assert json.loads(data) == {"kind": "notice.published", "category": "notice", "url": "/notices/1"}

            # Signing out ends the stream at once (PostgreSQL announces it at commit), not at the next heartbeat.
            await client.post("/api/v1/auth/logout", headers=member)
            event, _ = (await asyncio.wait_for(_read_events(lines, 1), HEARTBEAT_SECONDS / 2))[0]
            assert event == "signed-out"
    finally:
        await redis.aclose()
        await client.aclose()


async def test_streams_are_limited_per_account(server: AppServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=20, trust_env=False) as client:
        await _limited(client, await _signed_in(client))


async def _limited(client: httpx.AsyncClient, member: dict[str, str]) -> None:
    async with (
        client.stream("GET", "/api/v1/live", headers=member) as first,
        client.stream("GET", "/api/v1/live", headers=member) as second,
        client.stream("GET", "/api/v1/live", headers=member) as third,
    ):
        assert [s.status_code for s in (first, second, third)] == [200] * MAX_STREAMS
        refused = await client.get("/api/v1/live", headers=member)
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
