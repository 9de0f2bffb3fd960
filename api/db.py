"""The asyncpg pool, owned by the app lifespan, and single connections set up the same way."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy
from litestar import Litestar

# A connection of our own (CLI, migrations) or one lent by the pool (requests): the same to callers.
if TYPE_CHECKING:
    Connection: TypeAlias = asyncpg.Connection[asyncpg.Record] | PoolConnectionProxy[asyncpg.Record]
    Pool: TypeAlias = asyncpg.Pool[asyncpg.Record]
else:
    # asyncpg's classes are generic only in its stubs; at run time Litestar's signature models see Any,
    # since msgspec cannot validate a union of two classes (and a connection needs no validating).
    Connection = Any
    Pool = asyncpg.Pool

Acquire: TypeAlias = "Callable[[], AbstractAsyncContextManager[Connection]]"
"""Lends a connection for as long as the ``async with`` lasts (``pool.acquire``): for reads served from a
worker's copies, which borrow one only when something must be read."""


async def _init_connection(conn: Connection) -> None:
    # jsonb columns in and out as Python values; audit details and job payloads use them.
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def connect(dsn: str) -> asyncpg.Connection[asyncpg.Record]:
    """A single connection (CLI commands, migrations, tests) set up like the pool's."""
    conn = await asyncpg.connect(dsn, server_settings={"timezone": "UTC", "application_name": "ehandbook-cli"})
    await _init_connection(conn)
    return conn


async def _no_reset(conn: Connection) -> None:
    """Requests leave no session state behind: each runs in one transaction that has ended before the
    connection goes back (locks are transaction-scoped, nothing uses SET or LISTEN). asyncpg's default
    reset would cost every request one more round trip to PostgreSQL."""


async def create_pool(dsn: str, *, min_size: int, max_size: int) -> Pool:
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_no_reset,
        command_timeout=60,
        server_settings={"timezone": "UTC", "application_name": "ehandbook"},
    )
    assert pool is not None  # noqa: S101 - asyncpg types it Optional only for the un-awaited form
    return pool


def pool_lifespan(dsn: str, *, min_size: int, max_size: int) -> Any:
    """A lifespan context that opens the pool into ``app.state.db_pool`` and closes it on shutdown."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.db_pool = await create_pool(dsn, min_size=min_size, max_size=max_size)
        try:
            yield
        finally:
            await app.state.db_pool.close()

    return lifespan
