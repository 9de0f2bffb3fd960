"""The scheduler of periodic jobs: once per interval across workers, the database's clock, failures and
timeouts that stop nothing else, and a prompt stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta

import pytest
import redis.asyncio as aioredis

from api.db import Connection, Pool, create_pool
from api.scheduler import CLAIM_PREFIX, PeriodicJob, Scheduler

CITIZEN_ID = "001234567890"
SHORT = timedelta(milliseconds=200)
LONG = timedelta(hours=1)


class Counter:
    """A job that counts its runs and keeps the ``now`` it was given."""

    def __init__(self) -> None:
        self.runs = 0
        self.nows: list[datetime] = []

    async def __call__(self, conn: Connection, now: datetime) -> int:
        await conn.fetchval("select 1")
        self.runs += 1
        self.nows.append(now)
        return 1


class Failing:
    """A job that fails every time, with what a database error's DETAIL would quote in its message."""

    def __init__(self) -> None:
        self.runs = 0

    async def __call__(self, conn: Connection, now: datetime) -> int:
        self.runs += 1
        raise ValueError(f"Key (citizen_id)=({CITIZEN_ID}) already exists.")


async def until(condition: Callable[[], Awaitable[bool]], *, seconds: float = 20.0) -> None:
    async with asyncio.timeout(seconds):
        while not await condition():  # noqa: ASYNC110 - polls state another task or server changes
            await asyncio.sleep(0.02)


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[Pool]:
    pool = await create_pool(database_url, min_size=1, max_size=4)
    yield pool
    await pool.close()


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


def test_a_timeout_past_the_interval_is_refused() -> None:
    async def job(conn: Connection, now: datetime) -> int:
        return 0

    with pytest.raises(ValueError, match="at most the interval"):
        PeriodicJob(name="slow", every=timedelta(minutes=1), timeout=timedelta(minutes=2), run=job)
    with pytest.raises(ValueError, match="positive"):
        PeriodicJob(name="never", every=timedelta(0), run=job)


async def test_each_interval_is_run_by_one_of_several_workers(pool: Pool, database_url: str, redis_url: str) -> None:
    counter = Counter()
    job = PeriodicJob(name="count", every=LONG, run=counter)
    pools = [pool, *[await create_pool(database_url, min_size=1, max_size=1) for _ in range(2)]]
    clients = [aioredis.Redis.from_url(redis_url) for _ in pools]
    try:
        schedulers = [Scheduler(each, client, [job]) for each, client in zip(pools, clients, strict=True)]
        waits = await asyncio.gather(*(scheduler.run_once(job) for scheduler in schedulers))
        assert counter.runs == 1
        assert all(0 < wait <= LONG.total_seconds() + 1 for wait in waits), "each tries again after the interval"
        assert await schedulers[0].run_once(job) > 0
        assert counter.runs == 1, "the interval is claimed until it ends"
    finally:
        for client in clients:
            await client.aclose()
        for each in pools[1:]:
            await each.close()


async def test_the_next_interval_runs_again_on_the_database_clock(
    pool: Pool, redis: aioredis.Redis, database_url: str
) -> None:
    counter = Counter()
    job = PeriodicJob(name="count", every=SHORT, run=counter)
    scheduler = Scheduler(pool, redis, [job])
    async with pool.acquire() as conn:
        before = await conn.fetchval("select clock_timestamp()")
    await scheduler.run_once(job)

    async def claim_expired() -> bool:
        return not await redis.exists(f"{CLAIM_PREFIX}count")

    await until(claim_expired)
    await scheduler.run_once(job)
    async with pool.acquire() as conn:
        after = await conn.fetchval("select clock_timestamp()")
    assert counter.runs == 2
    assert before <= counter.nows[0] <= counter.nows[1] <= after


async def test_without_redis_every_worker_runs_its_jobs(pool: Pool) -> None:
    counter = Counter()
    job = PeriodicJob(name="count", every=LONG, run=counter)
    down = aioredis.Redis.from_url("redis://127.0.0.1:9/0")
    try:
        await Scheduler(pool, down, [job]).run_once(job)
        await Scheduler(pool, down, [job]).run_once(job)
    finally:
        await down.aclose()
    assert counter.runs == 2, "the claim only saves work; the jobs are safe to repeat"


async def test_a_failing_or_hanging_job_stops_neither_itself_nor_the_others(
    pool: Pool, redis: aioredis.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    counter = Counter()
    hung = 0

    async def hangs(conn: Connection, now: datetime) -> int:
        nonlocal hung
        hung += 1
        await asyncio.Event().wait()
        return 0

    fails = Failing()
    jobs = [
        PeriodicJob(name="fails", every=SHORT, run=fails),
        PeriodicJob(name="hangs", every=SHORT, timeout=timedelta(milliseconds=50), run=hangs),
        PeriodicJob(name="count", every=SHORT, run=counter),
    ]
    stop = asyncio.Event()
    caplog.set_level(logging.INFO, logger="ehandbook.scheduler")
    task = asyncio.create_task(Scheduler(pool, redis, jobs).run(stop))
    try:

        async def all_ran_thrice() -> bool:
            return fails.runs >= 3 and hung >= 3 and counter.runs >= 3

        await until(all_ran_thrice)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    failures = [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR]
    assert failures
    assert all("fails failed: ValueError at tests/test_scheduler.py" in message for message in failures)
    assert CITIZEN_ID not in caplog.text
    assert not any(record.exc_info for record in caplog.records), "no traceback: it would carry the message"
    assert any("hangs timed out" in record.getMessage() for record in caplog.records)
    assert pool.get_size() - pool.get_idle_size() == 0, "every connection went back to the pool"


async def test_stop_ends_idle_jobs_at_once_and_cancels_a_run_past_the_grace(pool: Pool, redis: aioredis.Redis) -> None:
    counter = Counter()
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def runs_long(conn: Connection, now: datetime) -> int:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return 0

    jobs = [PeriodicJob(name="count", every=LONG, run=counter), PeriodicJob(name="long", every=LONG, run=runs_long)]
    stop = asyncio.Event()
    task = asyncio.create_task(Scheduler(pool, redis, jobs, grace=0.1).run(stop))

    async def both_started() -> bool:
        return counter.runs == 1 and started.is_set()

    await until(both_started)
    stop.set()
    # Both are long: the idle one sleeps for an hour, the running one for ever; stop ends both.
    await asyncio.wait_for(task, 10)
    assert cancelled.is_set()
    assert counter.runs == 1
