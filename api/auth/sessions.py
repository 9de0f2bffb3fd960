"""Sessions: PostgreSQL holds the truth, Redis caches the resolved caller for a few minutes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from uuid import UUID

import msgspec
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from api.auth.principal import Grant, Principal, Role
from api.auth.tokens import new_session_token, token_digest
from api.db import Connection, Pool
from api.sql import queries_beside

log = logging.getLogger("ehandbook.sessions")
Q = queries_beside(__file__)

# How long a resolved session is trusted from Redis; also the granularity of "last seen".
CACHE_SECONDS = 300


class _Cached(msgspec.Struct, frozen=True):
    principal: Principal
    expires_at: datetime


class SessionStore:
    """Create, resolve and forget sessions."""

    def __init__(self, pool: Pool, redis: aioredis.Redis, *, session_days: int) -> None:
        self._pool = pool
        self._redis = redis
        self._session_days = session_days
        self._encoder = msgspec.msgpack.Encoder()
        self._decoder = msgspec.msgpack.Decoder(_Cached)

    async def create(
        self,
        conn: Connection,
        account_id: UUID,
        *,
        client_kind: str,
        user_agent: str,
        ip: str | None,
    ) -> tuple[str, UUID]:
        """Open a session inside the caller's transaction; return the token (shown once) and the id."""
        token = new_session_token()
        session_id = await conn.fetchval(
            Q["create_session"], token_digest(token), account_id, self._session_days, client_kind, user_agent[:300], ip
        )
        return token, session_id

    async def resolve(self, token: str) -> Principal | None:
        """The caller behind a token, or None for an unknown, expired or revoked one."""
        digest = token_digest(token)
        key = _cache_key(digest)
        cached = await self._cache_get(key)
        if cached is not None:
            return cached.principal
        async with self._pool.acquire() as conn:
            row = await conn.fetchrow(Q["load_session_principal"], digest)
            if row is None:
                return None
            await conn.execute(Q["touch_session"], row["session_id"])
        principal = Principal(
            account_id=row["account_id"],
            session_id=row["session_id"],
            display_name=row["display_name"],
            member_id=row["member_id"],
            branch_id=row["branch_id"],
            grants=tuple(_parse_grant(text) for text in row["grants"]),
            reach=tuple(row["reach"]),
        )
        await self._cache_put(key, _Cached(principal=principal, expires_at=row["expires_at"]))
        return principal

    async def forget(self, digests: list[bytes]) -> None:
        """Drop cached sessions after a revocation or a role change, so they end at once."""
        if not digests:
            return
        try:
            await self._redis.delete(*[_cache_key(digest) for digest in digests])
        except RedisError:
            # The cache entry then lives at most CACHE_SECONDS; say so loudly.
            log.warning("could not drop %d cached sessions from Redis", len(digests))

    async def _cache_get(self, key: str) -> _Cached | None:
        try:
            raw = await self._redis.get(key)
        except RedisError:
            log.warning("session cache unavailable; reading sessions from PostgreSQL")
            return None
        if raw is None:
            return None
        cached = self._decoder.decode(raw.encode() if isinstance(raw, str) else raw)
        return cached if cached.expires_at > _now() else None

    async def _cache_put(self, key: str, cached: _Cached) -> None:
        try:
            await self._redis.set(key, self._encoder.encode(cached), ex=CACHE_SECONDS)
        except RedisError:
            log.warning("session cache unavailable; not caching")


def _cache_key(digest: bytes) -> str:
    return f"ehb:session:{digest.hex()}"


def _parse_grant(text: str) -> Grant:
    role, unit_id = text.rsplit(":", 1)
    return Grant(role=Role(role), unit_id=int(unit_id))


def _now() -> datetime:
    return datetime.now(UTC)
