"""Sessions: PostgreSQL holds the truth; each worker caches the resolved caller for a few minutes.

The worker's own cache answers most requests with no round trip at all. PostgreSQL announces every
change to a session, an account, its grants or its member (triggers in migrations/0006), which evicts
the caller in every worker, whoever made the change (a route, the member import, psql). A shared
Redis copy could not be evicted by account, so there is none: a cache miss is one indexed query.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec

from api.auth.principal import Grant, Principal, Role
from api.auth.tokens import new_session_token, token_digest
from api.db import Connection, Pool
from api.invalidation import InvalidationListener
from api.local_cache import LocalCache
from api.sql import queries_beside

Q = queries_beside(__file__)

CACHE_SECONDS = 300.0
"""How long a worker trusts a resolution without hearing of a change; also the granularity of "last seen"."""
CACHE_ENTRIES = 50_000


class _Cached(msgspec.Struct, frozen=True):
    principal: Principal
    expires_at: datetime


class SessionStore:
    """Create, resolve and forget sessions."""

    def __init__(self, pool: Pool, listener: InvalidationListener, *, session_days: int) -> None:
        self._pool = pool
        self._session_days = session_days
        self._cache: LocalCache[bytes, _Cached] = LocalCache(max_entries=CACHE_ENTRIES, ttl=CACHE_SECONDS)
        listener.on("account", self._evict_account)
        listener.on_state(self._listening)

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
        return await self.resolve_digest(token_digest(token))

    async def resolve_digest(self, digest: bytes) -> Principal | None:
        """As ``resolve``, from the token's digest (what a request keeps of it after sign-in checks)."""
        cached = self._cache.get(digest)
        if cached is not None and cached.expires_at > _now():
            return cached.principal
        epoch = self._cache.epoch()
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
        self._cache.put(digest, _Cached(principal=principal, expires_at=row["expires_at"]), epoch=epoch)
        return principal

    async def forget(self, digests: list[bytes]) -> None:
        """Drop revoked sessions from this worker at once (the others hear it from PostgreSQL at commit)."""
        for digest in digests:
            self._cache.evict(digest)

    def _evict_account(self, key: str) -> None:
        account_id = UUID(key)
        self._cache.evict_where(lambda cached: cached.principal.account_id == account_id)

    def _listening(self, listening: bool) -> None:  # noqa: FBT001 - a state callback
        self._cache.clear()
        self._cache.enabled = listening


def _parse_grant(text: str) -> Grant:
    role, unit_id = text.rsplit(":", 1)
    return Grant(role=Role(role), unit_id=int(unit_id))


def _now() -> datetime:
    return datetime.now(UTC)
