"""One connection and one transaction per request: commit on success, roll back on any error.

A POST carrying an Idempotency-Key claims it first thing in the transaction (api/idempotency), so
the key, the request's writes and the answer stored beside the key commit or vanish together.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request

from api.db import Connection, Pool
from api.errors import DomainError
from api.idempotency import claim_key, release_key

NO_TRANSACTION = "no_transaction"
"""Route opt key: the route only reads, and each of its statements may see its own committed state."""


async def provide_connection(request: Request[Any, Any, Any]) -> AsyncGenerator[Connection, None]:
    """The request's connection, inside its transaction (unless the route opted out)."""
    pool: Pool = request.app.state.db_pool
    if request.route_handler.opt.get(NO_TRANSACTION) and request.method in {"GET", "HEAD"}:
        async with pool.acquire() as conn:
            yield conn
        return
    async with pool.acquire() as conn:
        transaction = conn.transaction()
        await transaction.start()
        try:
            await claim_key(conn, request)
            yield conn
        except DomainError as error:
            if error.keep_writes:
                await release_key(conn)
                await transaction.commit()
            else:
                await transaction.rollback()
            raise
        except BaseException:
            await transaction.rollback()
            raise
        else:
            await transaction.commit()
