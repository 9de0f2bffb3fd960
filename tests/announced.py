"""Test helpers for the announced caches: waiting for a worker to have heard every commit, counting checkouts."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Litestar

from api.db import connect
from api.invalidation import CHANNEL, InvalidationListener


async def heard(listener: InvalidationListener, database_url: str) -> None:
    """Until ``listener`` has dispatched every announcement committed before this call.

    PostgreSQL delivers notifications to a listening connection in commit order: once a marker sent now
    has come through, everything committed earlier has been handed to the caches' handlers.
    """
    kind = f"test-marker-{uuid.uuid4().hex}"
    arrived = asyncio.Event()

    def mark(_: str) -> None:
        arrived.set()

    listener.on(kind, mark)
    try:
        conn = await connect(database_url)
        try:
            await conn.execute("select pg_notify($1, $2)", CHANNEL, f"{kind}:")
        finally:
            await conn.close()
        await asyncio.wait_for(arrived.wait(), timeout=10)
    finally:
        listener.off(kind, mark)


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Until ``check()`` is true (five seconds at most)."""
    for _ in range(200):
        if await check():
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"never happened: {what}")


async def cut_listeners(database_url: str) -> None:
    """End every worker's listening connection to the test database, as a network fault would."""
    conn = await connect(database_url)
    try:
        await conn.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity "
            "where datname = current_database() and query like 'LISTEN %'"
        )
    finally:
        await conn.close()


async def app_heard(app: Litestar, database_url: str) -> None:
    await heard(app.state.invalidation, database_url)


class CountingPool:
    """The app's pool, counting the connections borrowed through ``acquire`` (what a route would take)."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.acquired = 0

    def acquire(self) -> Any:
        self.acquired += 1
        return self.pool.acquire()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pool, name)


def count_checkouts(app: Litestar) -> CountingPool:
    """Count from now on the connections the app's routes borrow (sessions keep their own pool reference)."""
    pool = app.state.db_pool
    counting = pool if isinstance(pool, CountingPool) else CountingPool(pool)
    app.state.db_pool = counting
    counting.acquired = 0
    return counting
