"""One run of a chunk at a time: a lease in Redis that a chunk run holds while it sends.

SAQ can start a second run of a chunk job while the first still runs: its sweep takes a job for dead
when the job sits in the active list before its status says so, or when a heartbeat comes late on a
starved machine, and retries it. Two live runs of one chunk would both read an empty sent log and send
every device twice. The second run therefore waits for the lease; by the time it gets it, the first
run has recorded the chunk (the second skips it) or died (the second sends what its sent log lacks).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

LEASE_SECONDS = 15.0
"""How long a lease outlives a run that stopped renewing it (a killed worker)."""
RENEW_EVERY = 5.0
WAIT_STEP = 0.25
"""Seconds between two tries of a run that waits for the lease."""

# Renew or release only a lease we still hold: after an expiry another run may own the key.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class ChunkLease:
    """Leases per chunk round in the push queue's Redis."""

    def __init__(
        self, redis: aioredis.Redis, *, seconds: float = LEASE_SECONDS, renew_every: float = RENEW_EVERY
    ) -> None:
        """Use the queue's Redis connection.

        Args:
            redis: Any client of the push queue's Redis.
            seconds: Lifetime of a lease nobody renews.
            renew_every: Seconds between renewals while the run goes on (well under ``seconds``).
        """
        self.redis = redis
        self.milliseconds = int(seconds * 1000)
        self.renew_every = renew_every

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Wait until no other run holds chunk round ``key``, then hold it for the block's duration.

        Redis errors are logged and the block runs without a lease: a Redis outage must not stop
        delivery, and at worst costs duplicates (as a lost sent log does).
        """
        name, token = f"push:lease:{key}", os.urandom(12).hex()
        if not await self._acquire(name, token):
            yield
            return
        renewing = asyncio.create_task(self._renew(name, token))
        try:
            yield
        finally:
            renewing.cancel()
            with contextlib.suppress(RedisError, OSError):
                await self.redis.eval(_RELEASE, 1, name, token)

    async def _acquire(self, name: str, token: str) -> bool:
        """Wait for the lease; False when Redis cannot be asked."""
        try:
            while not await self.redis.set(name, token, nx=True, px=self.milliseconds):  # noqa: ASYNC110
                await asyncio.sleep(WAIT_STEP)  # the holder may be another process: nothing to wait on here
        except (RedisError, OSError) as error:
            log.warning("chunk lease unavailable (%s): sending without it", type(error).__name__)
            return False
        return True

    async def _renew(self, name: str, token: str) -> None:
        while True:
            await asyncio.sleep(self.renew_every)
            try:
                await self.redis.eval(_RENEW, 1, name, token, self.milliseconds)
            except (RedisError, OSError) as error:
                log.warning("chunk lease not renewed (%s)", type(error).__name__)
