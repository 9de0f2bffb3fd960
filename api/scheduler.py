"""Periodic jobs run by every worker process, each once per interval across all of them.

A job is a name, an interval and ``async def run(conn, now) -> int`` (how many things it did). Before a run a
process claims the job's interval in Redis (``SET NX`` that expires with the interval): however many workers
tick, one of them runs the job per interval, and the others sleep until the claim expires. The claim only
saves work: the jobs are idempotent and safe to run concurrently, so while Redis is unreachable every process
runs them on its own ticks rather than none. ``now`` is the database's clock, read at the start of the run.

A run has a timeout no longer than its interval, so a run has (all but) ended before another process can
claim the next interval. A failure or timeout is logged (the error's class and place, not its message) and the
job runs again at its next interval; it never stops the other jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import traceback
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import msgspec
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from api.db import Connection, Pool

log = logging.getLogger("ehandbook.scheduler")

JobFunction = Callable[[Connection, datetime], Awaitable[int]]
STOP_GRACE = 10.0
"""Seconds a run in progress may take to finish after the worker is asked to stop; then it is cancelled (its
batches committed so far stay, the rest is done at a later run)."""
CLAIM_PREFIX = "ehb:schedule:"
"""Redis key of a job's claim, followed by the job's name."""
CLAIM_TIMEOUT = 5.0
"""Seconds a claim may take before Redis is taken for unavailable."""
UNCLAIMED_PAUSE = 0.05
"""Seconds to wait past a claim's expiry before trying again, so that a clock tick early does not spin."""
_ROOT = str(Path(__file__).resolve().parent.parent)


class PeriodicJob(msgspec.Struct, frozen=True, kw_only=True):
    """One job of the schedule."""

    name: str
    """Stable and unique: it names the claim in Redis and the log lines."""
    every: timedelta
    """The interval between the starts of two runs, across all workers."""
    run: JobFunction
    """Does the work on the connection it is given (opening its own transactions) as of ``now``."""
    timeout: timedelta | None = None
    """How long a run may take before it is cancelled; at most (and by default) the interval."""

    def __post_init__(self) -> None:
        """Refuse a timeout past the interval: the next claim would start a second run beside this one."""
        if self.every <= timedelta(0):
            raise ValueError(f"job {self.name}: the interval must be positive")
        if self.timeout is not None and not timedelta(0) < self.timeout <= self.every:
            raise ValueError(f"job {self.name}: the timeout must be positive and at most the interval")

    @property
    def time_limit(self) -> float:
        """The timeout in seconds."""
        return (self.timeout or self.every).total_seconds()


class Scheduler:
    """Runs each job of a schedule at its interval until stopped; one per worker process."""

    def __init__(self, pool: Pool, redis: aioredis.Redis, jobs: Sequence[PeriodicJob], *, grace: float = STOP_GRACE):
        """Set up; the caller owns the pool and the Redis client.

        Args:
            pool: The worker's database pool; a run borrows one connection.
            redis: Where intervals are claimed (any client of the deployment's Redis).
            jobs: The schedule (:data:`api.schedule.SCHEDULE`; tests pass shorter intervals).
            grace: Seconds a run in progress may go on after ``stop`` is set.
        """
        names = [job.name for job in jobs]
        if len(set(names)) != len(names):
            raise ValueError("scheduled job names must be unique")
        self.pool = pool
        self.redis = redis
        self.jobs = tuple(jobs)
        self.grace = grace
        self.owner = f"{socket.gethostname()}:{os.getpid()}"

    async def run(self, stop: asyncio.Event) -> None:
        """Run every job, the first time as soon as its interval is free, until ``stop`` is set.

        Args:
            stop: Set it to stop: idle jobs end at once, a run in progress gets the grace period.
        """
        loops = [asyncio.create_task(self._keep_running(job, stop), name=f"schedule:{job.name}") for job in self.jobs]
        try:
            await stop.wait()
            _, late = await asyncio.wait(loops, timeout=self.grace) if loops else (set(), set())
            for task in late:
                log.warning("%s did not finish in the grace period: cancelled", task.get_name())
                task.cancel()
        finally:
            for task in loops:
                task.cancel()
            await asyncio.gather(*loops, return_exceptions=True)

    async def _keep_running(self, job: PeriodicJob, stop: asyncio.Event) -> None:
        while not stop.is_set():
            wait = await self.run_once(job)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)

    async def run_once(self, job: PeriodicJob) -> float:
        """Run ``job`` if its interval is not claimed yet; never raises (but on cancellation).

        Returns:
            Seconds until the job should be tried again.
        """
        every = job.every.total_seconds()
        started = asyncio.get_running_loop().time()
        wait = await self._claim(job)
        if wait is not None:
            return wait
        try:
            async with asyncio.timeout(job.time_limit), self.pool.acquire() as conn:
                now: datetime = await conn.fetchval("select now()")
                done = await job.run(conn, now)
        except TimeoutError:
            log.warning("scheduled job %s timed out (%.0f s); it goes on at its next run", job.name, job.time_limit)
        except Exception as error:  # noqa: BLE001 - one job's fault must not stop the schedule
            # Not the message: a database error's DETAIL quotes row values (a citizen ID number, say).
            log.error(  # noqa: TRY400 - the traceback would carry the message
                "scheduled job %s failed: %s%s at %s; it runs again at its next interval",
                job.name,
                type(error).__name__,
                f" (SQLSTATE {code})" if (code := getattr(error, "sqlstate", None)) else "",
                where(error),
            )
        else:
            if done:
                log.info("scheduled job %s: %d done", job.name, done)
        return max(UNCLAIMED_PAUSE, every - (asyncio.get_running_loop().time() - started))

    async def _claim(self, job: PeriodicJob) -> float | None:
        """Claim this interval of the job: None when claimed (run it), else seconds until the claim expires."""
        key = f"{CLAIM_PREFIX}{job.name}"
        try:
            async with asyncio.timeout(CLAIM_TIMEOUT):
                if await self.redis.set(key, self.owner, nx=True, px=max(1, int(job.every.total_seconds() * 1000))):
                    return None
                left = await self.redis.pttl(key)
        except (RedisError, OSError, TimeoutError) as error:
            log.warning("scheduled job %s runs unclaimed: Redis unavailable (%s)", job.name, type(error).__name__)
            return None
        if left == -2:  # expired between the two commands: try again now
            return UNCLAIMED_PAUSE
        if left < 0:  # a claim without expiry was never written by us: leave it alone, do not spin on it
            return job.every.total_seconds()
        return left / 1000 + UNCLAIMED_PAUSE


def where(error: BaseException) -> str:
    """The innermost frame of this project's code in the error's traceback, as ``path:line in function``."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if frame.filename.startswith(_ROOT) and "/.venv/" not in frame.filename]
    if not (ours or frames):
        return "an unknown place"
    frame = (ours or frames)[-1]
    return f"{os.path.relpath(frame.filename, _ROOT)}:{frame.lineno} in {frame.name}"
