"""The worker process: dispatcher and chunk jobs together, graceful shutdown, and Redis outages."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from api.db import connect, create_pool
from api.settings import Settings
from push.dispatcher import Dispatcher
from push.lease import ChunkLease
from push.mockservice import MockPushService, Script
from push.transport.inprocess import AsgiPoster
from push.worker import (
    RedisSentLog,
    WorkerOptions,
    WorkerThread,
    close_queue,
    create_queue,
    finishing_when_swept,
    run_worker,
    with_heartbeat,
)
from tests.push.test_delivery import ORIGIN, add_devices, figures, publish


async def wait_for(condition: Callable[[], Awaitable[bool]], *, seconds: float = 20.0) -> None:
    async with asyncio.timeout(seconds):
        while not await condition():  # noqa: ASYNC110 - polls state outside this process's events
            await asyncio.sleep(0.05)


def start(settings: Settings, service: MockPushService, stop: asyncio.Event) -> asyncio.Task[None]:
    options = WorkerOptions(concurrency=2, per_host=4, grace_seconds=10, pool_size=4)
    return asyncio.create_task(run_worker(settings, stop, options=options, poster=AsgiPoster(service)))


async def test_the_worker_delivers_what_is_published_and_stops_on_request(
    push_settings: Settings, database_url: str
) -> None:
    service = MockPushService(ORIGIN)
    devices = await add_devices(database_url, service, 4)
    stop = asyncio.Event()
    task = start(push_settings, service, stop)
    outbox_id = await publish(database_url)

    async def delivered() -> bool:
        return service.accepted == len(devices)

    await wait_for(delivered)
    stop.set()
    await asyncio.wait_for(task, 15)
    numbers = await figures(database_url, outbox_id)
    assert (numbers["targeted"], numbers["sent"]) == (4, 4)


async def test_shutdown_finishes_the_chunks_in_flight(push_settings: Settings, database_url: str) -> None:
    service = MockPushService(ORIGIN)
    devices = await add_devices(database_url, service, 3)
    for device in devices:
        service.set_script(device.name, Script(delay=1.0))
    stop = asyncio.Event()
    task = start(push_settings, service, stop)
    outbox_id = await publish(database_url)
    queue = create_queue(str(push_settings.redis_url.reveal()) if push_settings.redis_url else "")
    try:

        async def in_flight() -> bool:
            return bool((await queue.info())["active"])

        await wait_for(in_flight)
    finally:
        await queue.disconnect()
    assert service.accepted == 0, "the push service is still answering"
    stop.set()
    await asyncio.wait_for(task, 15)
    assert service.accepted == 3
    assert (await figures(database_url, outbox_id))["sent"] == 3


async def test_while_redis_is_down_the_outbox_waits(push_settings: Settings, database_url: str, redis_url: str) -> None:
    service = MockPushService(ORIGIN)
    await add_devices(database_url, service, 2)
    outbox_id = await publish(database_url)
    pool = await create_pool(database_url, min_size=1, max_size=2)
    down = create_queue("redis://127.0.0.1:9/0")
    up = create_queue(redis_url)
    try:
        stop = asyncio.Event()
        loop = asyncio.create_task(Dispatcher(pool, down).run(stop, idle=0.05))
        await asyncio.sleep(1.0)
        stop.set()
        await asyncio.wait_for(loop, 5)
        conn = await connect(database_url)
        try:
            row = await conn.fetchrow("select dispatched_at, fanned_out_at from outbox where id = $1", outbox_id)
            inbox = await conn.fetchval("select count(*) from notifications where outbox_id = $1", outbox_id)
        finally:
            await conn.close()
        assert row is not None
        assert row["dispatched_at"] is not None, "inboxes fill without Redis"
        assert row["fanned_out_at"] is None, "the push waits for Redis"
        assert inbox >= 2
        assert await Dispatcher(pool, up).step() == 1
        assert (await figures(database_url, outbox_id))["targeted"] == 2
    finally:
        await close_queue(down)
        await close_queue(up)
        await pool.close()


async def test_without_vapid_settings_only_inboxes_fill(settings: Settings, database_url: str) -> None:
    service = MockPushService(ORIGIN)
    await add_devices(database_url, service, 2)
    stop = asyncio.Event()
    task = start(settings, service, stop)
    outbox_id = await publish(database_url)

    async def fanned_out() -> bool:
        return bool(await figures(database_url, outbox_id))

    await wait_for(fanned_out)
    stop.set()
    await asyncio.wait_for(task, 15)
    assert (await figures(database_url, outbox_id))["targeted"] == 0
    assert service.accepted == 0


async def test_the_worker_runs_on_a_thread_for_the_dev_server(push_settings: Settings, database_url: str) -> None:
    service = MockPushService(ORIGIN)
    await add_devices(database_url, service, 2)
    options = WorkerOptions(concurrency=2, per_host=4, grace_seconds=10, pool_size=2)
    worker = WorkerThread(push_settings, options=options, poster=AsgiPoster(service))
    worker.start()
    try:
        outbox_id = await publish(database_url)

        async def sent() -> bool:
            return (await figures(database_url, outbox_id)).get("sent") == 2

        await wait_for(sent)
    finally:
        await asyncio.to_thread(worker.stop, 15)
    assert service.accepted == 2


async def test_the_sent_log_keeps_devices_per_chunk_round_until_forgotten(redis_url: str) -> None:
    queue = create_queue(redis_url)
    try:
        log = RedisSentLog(queue.redis, ttl=60)
        key = f"push:1:{uuid.uuid4()}"
        devices = [uuid.uuid4() for _ in range(3)]
        assert not await log.accepted(key)
        await log.add(key, devices[:2])
        await log.add(key, devices[2:])
        assert set(await log.accepted(key)) == set(devices)
        assert 0 < await queue.redis.ttl(f"push:sent:{key}") <= 60
        await log.forget(key)
        assert not await log.accepted(key)
    finally:
        await queue.disconnect()


async def test_the_sent_log_without_redis_costs_duplicates_not_errors() -> None:
    down = create_queue("redis://127.0.0.1:9/0")
    try:
        log = RedisSentLog(down.redis)
        await log.add("push:1:x", [uuid.uuid4()])
        assert not await log.accepted("push:1:x")
        await log.forget("push:1:x")
    finally:
        await close_queue(down)


async def test_the_chunk_lease_without_redis_lets_the_run_go_on() -> None:
    down = create_queue("redis://127.0.0.1:9/0")
    runs = 0
    try:
        async with ChunkLease(down.redis).hold("push:1:x"):
            runs += 1
    finally:
        await close_queue(down)
    assert runs == 1


async def test_a_chunk_lease_is_released_after_the_run_and_expires_after_a_dead_one(redis_url: str) -> None:
    queue = create_queue(redis_url)
    try:
        lease = ChunkLease(queue.redis, seconds=0.5, renew_every=0.1)
        async with lease.hold("push:1:a"):
            assert await queue.redis.exists("push:lease:push:1:a")
            await asyncio.sleep(0.7)  # renewed while the run goes on
            assert await queue.redis.exists("push:lease:push:1:a")
        assert not await queue.redis.exists("push:lease:push:1:a")
        # A run that died holding the lease (nobody renews it): the next run gets it once it expires.
        await queue.redis.set("push:lease:push:1:b", "dead-run", px=300)
        async with asyncio.timeout(5), lease.hold("push:1:b"):
            assert await queue.redis.get("push:lease:push:1:b") != b"dead-run"
    finally:
        await queue.disconnect()


async def test_a_running_chunk_job_is_touched_until_it_ends() -> None:
    class Job:
        touched = 0

        async def update(self) -> None:
            self.touched += 1

    async def slow(_ctx: dict[str, Any], *, seconds: float) -> str:
        await asyncio.sleep(seconds)
        return "done"

    job = Job()
    assert await with_heartbeat(slow, every=0.02)({"job": job}, seconds=0.15) == "done"
    touched = job.touched
    assert touched >= 3
    await asyncio.sleep(0.06)
    assert job.touched == touched, "the heartbeat stops with the job"


async def test_a_chunk_aborted_by_the_sweep_finishes_unless_the_worker_stops() -> None:
    finished: list[str] = []

    async def chunk(_ctx: dict[str, Any], *, name: str) -> str:
        await asyncio.sleep(0.2)
        finished.append(name)
        return name

    stopping = asyncio.Event()
    for name in ("aborted by the sweep", "cancelled at shutdown"):
        if name == "cancelled at shutdown":
            stopping.set()
        run = asyncio.create_task(finishing_when_swept(chunk, stopping)({}, name=name))
        await asyncio.sleep(0.05)
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
    await asyncio.sleep(0.3)
    assert finished == ["aborted by the sweep"]
