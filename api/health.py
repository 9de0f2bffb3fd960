"""Liveness and readiness for the load balancer and the orchestrator."""

from __future__ import annotations

import asyncio

import msgspec
from litestar import Response, get
from litestar.datastructures import State
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE


class Health(msgspec.Struct, frozen=True, omit_defaults=True):
    status: str
    postgres: str | None = None
    redis: str | None = None


@get("/health/live", operation_id="HealthLive", tags=["health"], include_in_schema=True)
async def live() -> Health:
    """The process answers."""
    return Health(status="ok")


@get("/health/ready", operation_id="HealthReady", tags=["health"])
async def ready(state: State) -> Response[Health]:
    """PostgreSQL and Redis both answer within two seconds."""
    postgres = await _check(_ping_postgres(state))
    redis = await _check(state.redis.ping())
    ok = postgres == "ok" and redis == "ok"
    return Response(
        Health(status="ok" if ok else "unavailable", postgres=postgres, redis=redis),
        status_code=HTTP_200_OK if ok else HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Cache-Control": "no-store"},
    )


async def _ping_postgres(state: State) -> object:
    async with state.db_pool.acquire() as conn:
        return await conn.fetchval("select 1")


async def _check(probe: object) -> str:
    try:
        await asyncio.wait_for(probe, timeout=2)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - any failure means "not ready"; the reason is not for the public
        return "unavailable"
    return "ok"
