"""Per-worker caches of sessions and sections stay correct: PostgreSQL announces every change."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from api.db import connect
from api.local_cache import LocalCache
from tests.helpers import bearer


def test_a_read_that_started_before_an_eviction_is_not_cached() -> None:
    now = [0.0]
    cache: LocalCache[str, int] = LocalCache(max_entries=2, ttl=10, clock=lambda: now[0])
    cache.enabled = True
    epoch = cache.epoch()
    cache.evict("a")  # a change announced while the read was in flight
    cache.put("a", 1, epoch=epoch)
    assert cache.get("a") is None

    cache.put("a", 1, epoch=cache.epoch())
    cache.put("b", 2, epoch=cache.epoch())
    assert cache.get("a") == 1  # now "b" is the least recently used
    cache.put("c", 3, epoch=cache.epoch())
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)

    now[0] = 11.0
    assert cache.get("a") is None  # past its time limit

    cache.put("d", 4, epoch=cache.epoch())
    cache.enabled = False  # the listener is down: nothing is served or kept
    assert cache.get("d") is None


async def _eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    for _ in range(200):
        if await check():
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"never happened: {what}")


async def _sql(database_url: str, query: str, *args: Any) -> Any:
    conn = await connect(database_url)
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


async def test_a_section_changed_behind_the_apps_back_is_served_fresh(
    client: AsyncTestClient[Litestar], database_url: str
) -> None:
    member = await bearer(client, "demo.member")
    section_id = await _sql(database_url, "select id from sections where deleted_at is null order by position limit 1")
    url = f"/api/v1/sections/{section_id}"
    first = await client.get(url, headers=member)
    assert first.status_code == 200

    # Another worker, the CLI or psql: no route of this app is involved, only the trigger's announcement.
    await _sql(database_url, "update sections set body_html = '<p>Đã sửa.</p>' where id = $1", section_id)

    async def fresh() -> bool:
        return (await client.get(url, headers=member)).json()["body_html"] == "<p>Đã sửa.</p>"

    await _eventually(fresh, "the edited section is served")

    document_id = first.json()["document_id"]
    await _sql(database_url, "update documents set status = 'archived' where id = $1", document_id)

    async def hidden() -> bool:
        return (await client.get(url, headers=member)).status_code == 404

    await _eventually(hidden, "an archived document's section is no longer readable")


async def test_a_session_revoked_or_regranted_behind_the_apps_back_takes_effect(
    client: AsyncTestClient[Litestar], database_url: str
) -> None:
    member = await bearer(client, "demo.member")
    section_id = await _sql(database_url, "select id from sections where deleted_at is null order by position limit 1")
    source = f"/api/v1/sections/{section_id}/source"
    assert (await client.get(source, headers=member)).status_code == 403  # the guard reads the cached caller

    await _sql(
        database_url,
        "insert into role_grants (account_id, role, unit_id) select id, 'editor', "
        "(select id from org_units where parent_id is null) from accounts where username = 'demo.member'",
    )

    async def granted() -> bool:
        return (await client.get(source, headers=member)).status_code == 200

    await _eventually(granted, "the new grant is seen")

    # The Redis copy would still say "signed in" for minutes: only the announcement can end it now.
    await _sql(
        database_url,
        "update sessions set revoked_at = now() where account_id = (select id from accounts where username = $1)",
        "demo.member",
    )

    async def signed_out() -> bool:
        return (await client.get("/api/v1/me", headers=member)).status_code == 401

    await _eventually(signed_out, "the revoked session is refused")


async def test_caches_step_aside_while_the_listener_is_down(
    client: AsyncTestClient[Litestar], database_url: str
) -> None:
    member = await bearer(client, "demo.member")
    section_id = await _sql(database_url, "select id from sections where deleted_at is null order by position limit 1")
    url = f"/api/v1/sections/{section_id}"
    assert (await client.get(url, headers=member)).status_code == 200

    # Cut the listener off; while it is away, changes are unheard, so nothing may come from the cache.
    await _sql(
        database_url,
        "select pg_terminate_backend(pid) from pg_stat_activity "
        "where datname = current_database() and query like 'LISTEN %'",
    )
    await _sql(database_url, "update sections set body_html = '<p>Lúc mất kết nối.</p>' where id = $1", section_id)

    async def fresh() -> bool:
        return (await client.get(url, headers=member)).json()["body_html"] == "<p>Lúc mất kết nối.</p>"

    await _eventually(fresh, "the section is read from PostgreSQL while the listener is down")

    async def listening_again() -> bool:
        return bool(
            await _sql(
                database_url,
                "select count(*) from pg_stat_activity where datname = current_database() and query like 'LISTEN %'",
            )
        )

    await _eventually(listening_again, "the listener reconnects")


async def test_search_answers_follow_content_changes(client: AsyncTestClient[Litestar], database_url: str) -> None:
    member = await bearer(client, "demo.member")

    async def hits_for(word: str) -> int:
        answer = await client.get("/api/v1/search", params={"q": word}, headers=member)
        assert answer.status_code == 200
        return len(answer.json()["hits"])

    assert await hits_for("xylophon") == 0  # now cached as "nothing found"
    section_id = await _sql(database_url, "select id from sections where deleted_at is null order by position limit 1")
    await _sql(
        database_url,
        "update sections set body_md = body_md || ' xylophon', search_text = search_text || ' xylophon' where id = $1",
        section_id,
    )

    async def found() -> bool:
        return await hits_for("xylophon") == 1

    await _eventually(found, "search finds the word added behind the app's back")
