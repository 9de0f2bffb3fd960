"""The dispatcher: outbox rows -> inbox rows -> chunk jobs on the SAQ queue.

Each step expands waiting outbox rows into inboxes (:func:`push.outbox.expand_outbox`), then takes
one expanded notification at a time, plans its chunks (:func:`push.fanout.iter_chunks`), enqueues
them with idempotent keys and only then marks it fanned out, in one transaction that holds the
row. A dispatcher that dies midway leaves the row unmarked: the next one re-plans the same keys,
the queue refuses those still waiting, and chunk jobs skip those already finished.

When Redis is down, enqueueing fails, the transaction rolls back and the loop retries with backoff:
the outbox waits in PostgreSQL and nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import msgspec
from redis.exceptions import RedisError
from saq import Queue

from api.db import Connection, Pool
from api.outbox import NotificationIntent
from api.sql import load_queries
from push.delivery import CHUNK_JOB_OPTIONS, JOB_FUNCTION, Chunk, clamp_ttl, collapse_topic
from push.digest import DIGEST_KIND, send_daily_digest
from push.fanout import DEFAULT_CHUNK, ChunkJob, iter_chunks
from push.outbox import expand_outbox

log = logging.getLogger(__name__)
Q = load_queries(Path(__file__).with_name("dispatcher.sql"))

IDLE_SECONDS = 1.0
"""How long the loop sleeps when there was nothing to do."""
DIGEST_CHECK = timedelta(minutes=1)
"""How often the loop asks whether the daily digest is due."""
MAX_BACKOFF = 30.0
"""The longest wait between attempts while PostgreSQL or Redis is unreachable."""
TRANSIENT_ERRORS = (RedisError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError)


async def enqueue_chunk(queue: Queue, chunk: Chunk, *, scheduled: int = 0) -> bool:
    """Put one chunk job on the queue, unless a job with its key is still waiting or running.

    Args:
        queue: The push queue.
        chunk: The job's arguments; ``chunk.key`` is the job key.
        scheduled: Epoch seconds before which it must not run (quiet hours, retry delay); 0: now.

    Returns:
        Whether it was enqueued (False: a job with this key is already pending).
    """
    job = await queue.enqueue(
        JOB_FUNCTION, key=chunk.key, scheduled=scheduled, chunk=msgspec.to_builtins(chunk), **CHUNK_JOB_OPTIONS
    )
    return job is not None


def chunk_of(job: ChunkJob, intent: NotificationIntent) -> Chunk:
    """The chunk job arguments for a planned chunk of a notification."""
    return Chunk(
        key=job.key,
        outbox_id=job.outbox_id,
        targets=job.targets,
        ttl=clamp_ttl(intent.ttl_seconds),
        urgency=intent.urgency,
        topic=collapse_topic(intent.topic) if intent.topic else None,
        tag=intent.topic,
    )


class Dispatcher:
    """Moves notifications from the outbox onto the queue; one or more may run at once."""

    def __init__(
        self,
        pool: Pool,
        queue: Queue | None,
        *,
        batch: int = 100,
        chunk_size: int = DEFAULT_CHUNK,
        announce: Callable[[NotificationIntent], Awaitable[object]] | None = None,
    ) -> None:
        """Set up; the caller owns pool and queue.

        Args:
            pool: The worker's asyncpg pool.
            queue: The push queue; None when push is off (inboxes still fill, nothing is sent).
            batch: Outbox rows expanded per step.
            chunk_size: Devices per chunk job.
            announce: Called with each notification once it is in the inboxes (live updates to open screens).
        """
        self.pool = pool
        self.queue = queue
        self.batch = batch
        self.chunk_size = chunk_size
        self.announce = announce
        self._digest_checked: datetime | None = None

    async def step(self) -> int:
        """Expand waiting outbox rows, then fan out every expanded notification.

        Returns:
            Outbox rows expanded plus notifications fanned out (0: nothing to do).
        """
        async with self.pool.acquire() as conn:
            await self._digest_if_due(conn)
            done = await expand_outbox(conn, batch=self.batch)
            while await self._fan_out_one(conn):
                done += 1
        return done

    async def _digest_if_due(self, conn: Connection) -> None:
        # Once a minute is plenty for a once-a-day job, and keeps the idle loop at one query a second.
        now = datetime.now(UTC)
        if self._digest_checked is not None and now - self._digest_checked < DIGEST_CHECK:
            return
        self._digest_checked = now
        if members := await send_daily_digest(conn, now):
            log.info("daily digest for %d members", members)

    async def _fan_out_one(self, conn: Connection) -> bool:
        async with conn.transaction():
            row = await conn.fetchrow(Q["take_fanout"])
            if row is None:
                return False
            targeted = 0
            intent: NotificationIntent | None = None
            try:
                intent = msgspec.convert(row["payload"], NotificationIntent)
            except msgspec.ValidationError:
                log.exception("outbox row %s is not a notification intent; not pushed", row["id"])
            else:
                targeted = await self._enqueue_all(conn, row["id"], intent)
            await conn.execute(Q["set_targeted"], row["id"], targeted)
            await conn.execute(Q["mark_fanned_out"], row["id"])
        log.info("notification %s fanned out to %d devices", row["id"], targeted)
        if intent is not None and self.announce is not None:
            await self.announce(intent)  # after the commit: screens refetch what is now there
        return True

    async def _enqueue_all(self, conn: Connection, outbox_id: int, intent: NotificationIntent) -> int:
        if self.queue is None:
            return 0
        targeted = 0
        now = datetime.now(UTC)
        past_digest = intent.urgency == "high" or intent.kind == DIGEST_KIND
        chunks = iter_chunks(conn, outbox_id, intent.category, now=now, size=self.chunk_size, past_digest=past_digest)
        async for job in chunks:
            scheduled = 0 if job.not_before is None else int(job.not_before.timestamp())
            await enqueue_chunk(self.queue, chunk_of(job, intent), scheduled=scheduled)
            targeted += len(job.targets)
        return targeted

    async def run(self, stop: asyncio.Event, *, idle: float = IDLE_SECONDS) -> None:
        """Step until ``stop`` is set; a step in progress finishes first.

        Args:
            stop: Set it to end the loop (SIGTERM, tests).
            idle: Seconds to wait when a step found nothing.
        """
        failures = 0
        while not stop.is_set():
            try:
                done = await self.step()
            except TRANSIENT_ERRORS as error:
                failures += 1
                wait = min(MAX_BACKOFF, 2.0 ** (failures - 1))
                log.warning("dispatcher: %s (%s); retrying in %.0f s", type(error).__name__, error, wait)
            else:
                failures = 0
                wait = 0.0 if done else idle
            if wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
