"""Matrix rows: live updates.

A stream never ends on its own, and the test client waits for the whole answer; so here every
signed-in caller already holds their three stream slots and must be refused with 429, which proves
the request passed the guard and reached the caller's own slots. What a stream carries, to whom, and
that it ends at sign-out is tested against a real server in tests/test_live_updates.py.
"""

from __future__ import annotations

import time

import httpx
import redis.asyncio as aioredis

from api.live.streams import MAX_STREAMS, slots_key
from tests.authz.world import LOGINS, Request, World

MATRIX: dict[str, dict[str, tuple[int | str, ...]]] = {
    "GetLiveUpdates": {"in": (401, 429, 429, 429, 429, 429, 429)},
}


async def _live(world: World, role: str, scope: str) -> httpx.Response:
    if role in world.tokens:
        account = await world.sql("select id from accounts where username = $1", LOGINS[role])
        # The app's own client lives on the test client's event loop: talk to the same server from this one.
        app_pool = world.client.app.state.redis.connection_pool
        pool = aioredis.ConnectionPool(connection_class=app_pool.connection_class, **app_pool.connection_kwargs)
        redis = aioredis.Redis(connection_pool=pool)
        try:
            await redis.zadd(slots_key(account), {f"held-{n}": time.time() for n in range(MAX_STREAMS)})
        finally:
            await redis.aclose()
            await pool.aclose()
    return await world.client.get("/api/v1/live", headers=world.auth(role))


REQUESTS: dict[str, Request] = {"GetLiveUpdates": _live}
