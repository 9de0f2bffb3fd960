"""Sign-in throttling in Redis: one atomic script per attempt, correct across any number of workers."""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
from redis.asyncio import Redis

# Counts the attempt and returns the new count and the window's remaining milliseconds, in one step,
# so two workers can never both see "one attempt left".
_COUNT_ATTEMPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""


class Verdict(msgspec.Struct, frozen=True):
    allowed: bool
    count: int
    retry_after_seconds: int


class Throttle:
    """A fixed window per key: ``limit`` attempts per ``window_seconds``, then 429 until it ends."""

    def __init__(self, redis: Redis, *, namespace: str, limit: int, window_seconds: int) -> None:
        self._redis = redis
        self._namespace = namespace
        self._limit = limit
        self._window_ms = window_seconds * 1000
        self._script: Any = redis.register_script(_COUNT_ATTEMPT)

    def _key(self, subject: str) -> str:
        # Subjects are login names and addresses: keep them out of Redis in clear.
        return f"ehb:throttle:{self._namespace}:{hashlib.sha256(subject.encode('utf-8')).hexdigest()[:32]}"

    async def attempt(self, subject: str) -> Verdict:
        count, ttl_ms = await self._script(keys=[self._key(subject)], args=[self._window_ms])
        count, ttl_ms = int(count), int(ttl_ms)
        return Verdict(allowed=count <= self._limit, count=count, retry_after_seconds=max(1, -(-ttl_ms // 1000)))

    async def reset(self, subject: str) -> None:
        await self._redis.delete(self._key(subject))

    async def release(self, subject: str) -> None:
        """Take back one counted attempt (it succeeded), so only failures add up."""
        key = self._key(subject)
        if await self._redis.decr(key) <= 0:
            await self._redis.delete(key)

    @property
    def limit(self) -> int:
        return self._limit
