"""The worker process: the dispatcher loop, the SAQ worker that runs chunk jobs and the periodic jobs
(:mod:`api.scheduler`), sharing one event loop, one database pool, one set of push-service connections and
one VAPID signer.

``ehandbook worker`` calls :func:`run_worker_forever`; ``ehandbook dev`` can run :func:`run_worker`
as a task next to the server and set its ``stop`` event on shutdown. On SIGTERM/SIGINT the
dispatcher finishes its step, the SAQ worker stops taking jobs and waits for the chunks in flight
(up to a grace period), a periodic job in progress gets its own grace period, and only then are the
connections and the pool closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
import threading
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any, cast
from uuid import UUID

import msgspec
import redis.asyncio as aioredis
from redis.exceptions import RedisError
from saq import Worker
from saq.job import Job
from saq.queue.redis import RedisQueue
from saq.types import PartialTimersDict

from api.db import create_pool
from api.live.publisher import publish as publish_live
from api.notifications.receipts import receipt_for
from api.outbox import NotificationIntent
from api.schedule import SCHEDULE
from api.scheduler import PeriodicJob, Scheduler
from api.settings import Settings
from push.delivery import CHUNK_JOB_OPTIONS, JOB_FUNCTION, Chunk, Deliverer, scheduled_at
from push.dispatcher import Dispatcher, enqueue_chunk
from push.http import DEFAULT_PER_HOST, PushClient
from push.lease import ChunkLease
from push.transport.base import Poster
from push.transport.pool import PooledPoster
from push.vapid import VapidSigner

log = logging.getLogger(__name__)

QUEUE_NAME = "push"
REDIS_DOWN_PAUSE = 2.0
"""Seconds a job slot waits after Redis refused it, instead of spinning."""
HEARTBEAT_EVERY = 5.0
"""Seconds between two touches of a running chunk job (its ``heartbeat`` limit is several times this)."""
SWEEP_EVERY = 10
"""Seconds between two looks for chunk jobs of a dead worker (SAQ's default is a minute)."""


class WorkerOptions(msgspec.Struct, frozen=True, kw_only=True):
    """How hard one worker process pushes."""

    concurrency: int = 8
    """Chunk jobs run at once; with 300 devices each, thousands of requests can be in flight."""
    per_host: int = DEFAULT_PER_HOST
    """Requests in flight per push-service host."""
    grace_seconds: int = 60
    """On shutdown, how long chunks in flight may take to finish before they are cancelled (and retried)."""
    pool_size: int = 10
    dispatch: bool = True
    """Run the dispatcher loop in this process (one or two per deployment are plenty)."""


class PushQueue(RedisQueue):
    """SAQ's Redis queue, except that a job slot pauses while Redis is down instead of retrying in a busy loop."""

    async def dequeue(self, timeout: float = 0.0, poll_interval: float = 0.0) -> Job | None:  # noqa: ASYNC109 - SAQ's signature
        """Take the next job, or None after ``timeout`` seconds or when Redis is unreachable."""
        try:
            return await super().dequeue(timeout, poll_interval)
        except (RedisError, OSError) as error:
            log.warning("push queue: Redis unavailable (%s); pausing", type(error).__name__)
            await asyncio.sleep(REDIS_DOWN_PAUSE)
            return None


def create_queue(redis_url: str) -> PushQueue:
    """The push queue on the given Redis."""
    return PushQueue(aioredis.from_url(redis_url), name=QUEUE_NAME)


async def close_queue(queue: PushQueue) -> None:
    """Disconnect, even when Redis is gone (SAQ's disconnect talks to Redis to end its subscriptions)."""
    try:
        await queue.disconnect()
    except (RedisError, OSError) as error:
        log.warning("push queue: closing without Redis (%s)", type(error).__name__)
        await queue.redis.aclose()


class RedisSentLog:
    """:class:`push.delivery.SentLog` in Redis: a set of device ids per chunk round, kept for a job's lifetime.

    Redis errors are logged and swallowed: without the log a chunk run again only sends more twice.
    """

    def __init__(self, redis: aioredis.Redis, *, ttl: int = CHUNK_JOB_OPTIONS["ttl"]) -> None:
        """Use the queue's Redis connection.

        Args:
            redis: Any client of the push queue's Redis.
            ttl: Seconds a round's log is kept when nobody forgets it.
        """
        self.redis = redis
        self.ttl = ttl

    @staticmethod
    def _name(key: str) -> str:
        return f"push:sent:{key}"

    async def accepted(self, key: str) -> Collection[UUID]:
        """The devices recorded for chunk round ``key``."""
        try:
            members = await self.redis.smembers(self._name(key))
        except (RedisError, OSError) as error:
            log.warning("sent log unreadable (%s): the chunk is sent in full", type(error).__name__)
            return ()
        return {UUID(bytes=member if isinstance(member, bytes) else member.encode("latin-1")) for member in members}

    async def add(self, key: str, devices: Sequence[UUID]) -> None:
        """Record accepted devices of chunk round ``key``."""
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.sadd(self._name(key), *(device.bytes for device in devices))
                pipe.expire(self._name(key), self.ttl)
                await pipe.execute()
        except (RedisError, OSError) as error:
            log.warning("sent log not written (%s)", type(error).__name__)

    async def forget(self, key: str) -> None:
        """Drop the log of a recorded round."""
        with contextlib.suppress(RedisError, OSError):
            await self.redis.delete(self._name(key))


JobFunction = Callable[..., Awaitable[Any]]


def with_heartbeat(function: JobFunction, every: float = HEARTBEAT_EVERY) -> JobFunction:
    """Touch the running job every ``every`` seconds, so that SAQ's sweep tells a dead worker's job by its
    silence (``heartbeat`` in :data:`push.delivery.CHUNK_JOB_OPTIONS`) rather than by its timeout.

    Args:
        function: A SAQ job function.
        every: Seconds between touches.

    Returns:
        The job function with a heartbeat.
    """

    async def run(ctx: dict[str, Any], **kwargs: Any) -> Any:
        job: Job = ctx["job"]

        async def beat() -> None:
            while True:
                await asyncio.sleep(every)
                try:
                    await job.update()
                except (RedisError, OSError) as error:
                    log.warning("chunk job heartbeat failed (%s)", type(error).__name__)

        heart = asyncio.create_task(beat())
        try:
            return await function(ctx, **kwargs)
        finally:
            heart.cancel()

    run.__name__ = getattr(function, "__name__", "job")
    return run


def finishing_when_swept(function: JobFunction, stopping: asyncio.Event) -> JobFunction:
    """Let a running chunk finish when SAQ aborts it for a dead one, unless the worker is stopping.

    SAQ's sweep aborts (cancels) and retries a job it takes for dead: a job in the active list whose
    status does not yet say so (the moment between dequeue and start), or whose heartbeat came late
    on a starved machine. Cancelled midway, a live chunk would leave the pushes in flight to be sent
    again by the retry. Finished instead, it records the chunk; the retry waits for the chunk's lease
    (:mod:`push.lease`) and then skips it. Only a stopping worker's cancellations go through.

    Args:
        function: A SAQ job function.
        stopping: Set when the worker shuts down.

    Returns:
        The job function, finishing its work through an abort.
    """

    async def run(ctx: dict[str, Any], **kwargs: Any) -> Any:
        work: asyncio.Future[Any] = asyncio.ensure_future(function(ctx, **kwargs))
        try:
            return await asyncio.shield(work)
        except asyncio.CancelledError:
            if stopping.is_set():
                work.cancel()
                raise
            log.warning("a running chunk job was aborted by SAQ's sweep: it finishes, and its retry skips it")
            with contextlib.suppress(Exception):
                await work
            raise

    run.__name__ = getattr(function, "__name__", "job")
    return run


def create_saq_worker(
    queue: PushQueue, deliverer: Deliverer, options: WorkerOptions, stopping: asyncio.Event
) -> Worker[Any]:
    """A SAQ worker for chunk jobs that leaves signal handling to :func:`run_worker`."""
    worker: Worker[Any] = Worker(
        queue,
        [(JOB_FUNCTION, finishing_when_swept(with_heartbeat(deliverer.job), stopping))],
        concurrency=options.concurrency,
        # A bounded wait lets idle job slots notice a shutdown within a second.
        dequeue_timeout=1.0,
        shutdown_grace_period_s=options.grace_seconds,
        # PartialTimersDict inherits required keys from TimersDict (total=False does not reach them).
        timers=cast("PartialTimersDict", {"sweep": SWEEP_EVERY}),
    )
    worker.SIGNALS = []
    return worker


async def _stop_saq_worker(worker: Worker[Any], started: asyncio.Task[None]) -> None:
    worker.event.set()
    # The upkeep loops sleep up to a minute between rounds; they hold nothing, so they go now, while
    # the job slots ("process" tasks) get the grace period to finish their chunks.
    for task in list(worker.tasks):
        if task.get_name() != "process":
            task.cancel()
    await worker.stop()
    await started


async def run_worker(
    settings: Settings,
    stop: asyncio.Event,
    *,
    options: WorkerOptions | None = None,
    poster: Poster | None = None,
    schedule: Sequence[PeriodicJob] = SCHEDULE,
) -> None:
    """Run the dispatcher, the chunk-job worker and the periodic jobs until ``stop`` is set, then shut down
    gracefully.

    Args:
        settings: Needs database and Redis URLs; without VAPID settings only inboxes are filled (the periodic
            jobs run either way).
        stop: Set it to stop (the CLI sets it on SIGTERM/SIGINT).
        options: Concurrency and shutdown limits.
        poster: For tests: where the HTTP requests go (the local push service in-process); the worker
            closes it. Default: kept-open connections to the real push services.
        schedule: The periodic jobs; tests pass shorter intervals.
    """
    options = options or WorkerOptions()
    if settings.database_url is None or settings.redis_url is None:
        raise ValueError("the push worker needs database and Redis URLs")
    pool = await create_pool(settings.database_url.reveal(), min_size=1, max_size=options.pool_size)
    queue = create_queue(settings.redis_url.reveal())
    poster = poster or PooledPoster()
    try:
        await queue.connect()
        tasks: list[asyncio.Task[None]] = []
        saq_worker: Worker[Any] | None = None
        if settings.push_enabled:
            deliverer = _deliverer(settings, pool, queue, PushClient(poster, per_host=options.per_host))
            saq_worker = create_saq_worker(queue, deliverer, options, stop)
            tasks.append(asyncio.create_task(saq_worker.start(), name="push-worker"))
        else:
            log.warning("push is off (no VAPID key/subject): notifications fill inboxes only")
        redis = queue.redis

        async def announce(intent: NotificationIntent) -> None:
            await publish_live(redis, intent)

        dispatcher = Dispatcher(pool, queue if settings.push_enabled else None, announce=announce)
        if options.dispatch:
            tasks.append(asyncio.create_task(dispatcher.run(stop), name="push-dispatcher"))
        # Every worker runs the schedule: each job's interval is claimed in Redis, so one of them runs it.
        tasks.append(asyncio.create_task(Scheduler(pool, redis, schedule).run(stop), name="scheduler"))
        await stop.wait()
        if saq_worker is not None:
            await _stop_saq_worker(saq_worker, tasks[0])
        await asyncio.gather(*tasks)
    finally:
        await poster.aclose()
        await close_queue(queue)
        await pool.close()


def _deliverer(settings: Settings, pool: Any, queue: PushQueue, client: PushClient) -> Deliverer:
    assert settings.vapid_private_key is not None  # noqa: S101 - push_enabled checked both
    assert settings.vapid_subject is not None  # noqa: S101
    signer = VapidSigner(settings.vapid_private_key.reveal(), settings.vapid_subject)

    async def enqueue_retry(chunk: Chunk, delay: float) -> None:
        await enqueue_chunk(queue, chunk, scheduled=scheduled_at(delay))

    secret_key = settings.secret_key.reveal()
    return Deliverer(
        pool,
        client,
        signer,
        enqueue_retry,
        receipt=functools.partial(receipt_for, secret_key),
        sent_log=RedisSentLog(queue.redis),
        lease=ChunkLease(queue.redis),
    )


async def run_worker_forever(settings: Settings, *, options: WorkerOptions | None = None) -> None:
    """:func:`run_worker` until SIGTERM or SIGINT (the ``ehandbook worker`` command).

    Args:
        settings: As for :func:`run_worker`.
        options: As for :func:`run_worker`.
    """
    # SAQ logs every enqueue, start and finish at INFO: hundreds of lines per broadcast.
    logging.getLogger("saq").setLevel(max(logging.WARNING, logging.getLogger().level))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await run_worker(settings, stop, options=options)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(signum)


class WorkerThread:
    """:func:`run_worker` on a thread of its own, for ``ehandbook dev`` (whose server blocks the main thread)."""

    def __init__(
        self,
        settings: Settings,
        *,
        options: WorkerOptions | None = None,
        poster: Poster | None = None,
        schedule: Sequence[PeriodicJob] = SCHEDULE,
    ) -> None:
        """Prepare; nothing runs before :meth:`start`.

        Args:
            settings: As for :func:`run_worker`, with database and Redis URLs filled in.
            options: As for :func:`run_worker`.
            poster: As for :func:`run_worker`.
            schedule: As for :func:`run_worker`.
        """
        self._settings, self._options, self._poster, self._schedule = settings, options, poster, schedule
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="push-worker", daemon=True)

    def _main(self) -> None:
        async def main() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            self._ready.set()
            await run_worker(
                self._settings, self._stop, options=self._options, poster=self._poster, schedule=self._schedule
            )

        try:
            asyncio.run(main())
        except Exception:
            log.exception("the push worker thread failed")
        finally:
            self._ready.set()

    def start(self) -> None:
        """Start the worker thread and return once its loop runs."""
        self._thread.start()
        self._ready.wait()

    def stop(self, timeout: float | None = None) -> None:
        """Ask the worker to stop gracefully and wait for it (chunks in flight finish first).

        Args:
            timeout: Seconds to wait for the thread; None waits as long as it takes.
        """
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout)
